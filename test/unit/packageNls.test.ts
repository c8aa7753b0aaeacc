// package.json's user-facing strings go through package.nls.json (VS Code puts the value of `%key%`
// in their place, in the display language when a package.nls.<language>.json has it), so the
// extension can be translated: every placeholder has its text, every text is used, and no field a
// person reads is left written in package.json itself.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const texts = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, unknown>;

/** Fields VS Code and the marketplaces show to people, wherever they appear in the manifest. */
const READ_BY_PEOPLE = new Set(['displayName', 'description', 'title', 'name', 'contextualTitle', 'category', 'markdownDescription', 'enumDescriptions', 'contents', 'deprecationMessage', 'markdownDeprecationMessage', 'label']);
/** Top-level parts of the manifest that are not shown as text (the package id, packaging, scripts, dependencies). */
const NOT_SHOWN = new Set(['name', 'scripts', 'devDependencies', 'dependencies', 'allowScripts', 'repository', 'bugs', 'engines', 'bin']);

/** Every string of the manifest with its JSON path, and the field it is the value of. */
function strings(value: unknown, at: string, field: string, out: Array<{ at: string; field: string; text: string }>): void {
  if (typeof value === 'string') out.push({ at, field, text: value });
  else if (Array.isArray(value)) value.forEach((item, index) => strings(item, `${at}[${index}]`, field, out));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) if (!(at === '' && NOT_SHOWN.has(key))) strings(inner, `${at}.${key}`, key, out);
  }
}

describe('package.nls.json', () => {
  const all: Array<{ at: string; field: string; text: string }> = [];
  strings(manifest, '', '', all);
  const placeholders = all.filter((entry) => /^%[^%]+%$/.test(entry.text));
  const used = new Set(placeholders.map((entry) => entry.text.slice(1, -1)));

  it('has the text of every %key% in package.json', () => {
    assert.ok(placeholders.length > 50, `package.json uses placeholders (${placeholders.length})`);
    const missing = placeholders.filter((entry) => typeof texts[entry.text.slice(1, -1)] !== 'string');
    assert.deepEqual(missing.map((entry) => `${entry.at}: ${entry.text}`), []);
  });

  it('has no key package.json does not use, and no empty text', () => {
    assert.deepEqual(Object.keys(texts).filter((key) => !used.has(key)), []);
    assert.deepEqual(Object.entries(texts).filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key), []);
  });

  it('leaves no text a person reads written in package.json', () => {
    const literal = all.filter((entry) => READ_BY_PEOPLE.has(entry.field) && !/^%[^%]+%$/.test(entry.text) && !entry.text.startsWith('$('));
    assert.deepEqual(literal.map((entry) => `${entry.at}: ${entry.text.slice(0, 60)}`), []);
  });
});

// Issue 12, item 6: `.reliability/` YAML from a repository anyone may have written. An alias bomb,
// an alias to nothing, a huge file, a link out of the folder or a FIFO each become one problem at
// their file (and document); every other file and document still loads, and nothing hangs.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../src/core/model';
import { MAX_ALIAS_EXPANSION, MAX_ANCHORS_AND_ALIASES } from '../../src/sources/yamlAliases';
import { MAX_YAML_FILE_BYTES, MAX_YAML_TOTAL_BYTES } from '../../src/sources/yamlDocuments';
import { loadDefinitions } from '../../src/workspace/definitions';
import { prefetchTagHistory } from '../../src/workspace/historyPrefetch';
import {
  buildWorkspace,
  openSloSlo,
  positionOf,
  removeTemporaryFolders,
  temporaryFolder,
  writeFile,
  yamlDocuments,
  yamlLines,
} from './builders/workspaceBuilders';

const CONFIG = yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["services/checkout/**"]');

function slo(name: string): object {
  return openSloSlo({ name, service: 'checkout', indicator: { prometheus: { good: 'good_total', total: 'all_total' } } });
}

/**
 * "Billion laughs": anchor `a` holds ten strings, each next level ten aliases of the one before, so
 * `levels` levels stand for 10^levels strings in a few hundred bytes. `tail` is YAML that uses the last level.
 */
function aliasBomb(levels: number, tail: (lastAnchor: string) => string): string {
  const name = (level: number) => `l${level}`;
  const lines = [`${name(1)}: &${name(1)} [${Array(10).fill('"lol"').join(', ')}]`];
  for (let level = 2; level <= levels; level++) {
    lines.push(`${name(level)}: &${name(level)} [${Array(10).fill(`*${name(level - 1)}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n${tail(name(levels))}`;
}

/** YAML comment lines adding up to `bytes` (rounded down to whole lines): size that costs the parser nothing. */
function comments(bytes: number): string {
  const line = `# ${'x'.repeat(97)}\n`;
  return line.repeat(Math.floor(bytes / line.length));
}

function problemsOf(problems: Problem[], file: string): Problem[] {
  return problems.filter((problem) => problem.file === file);
}

describe('reading .reliability/ YAML from a repository nobody vetted', () => {
  after(removeTemporaryFolders);

  describe('YAML aliases', () => {
    it('skips an incidents.yaml whose aliases stand for a billion values, as a problem at the alias, and loads the rest', async () => {
      const incidents = aliasBomb(9, (last) => `incidents: *${last}\n`);
      const root = buildWorkspace({ config: CONFIG, incidents, slos: { 'checkout.yaml': yamlDocuments(slo('checkout-availability')) } });

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.incidents, []);
      assert.deepEqual(
        loaded.slos.map((definition) => definition.name),
        ['checkout-availability'],
      );
      assert.deepEqual(loaded.config.services.map((service) => service.name), ['checkout']);
      const [problem, ...others] = problemsOf(loaded.problems, '.reliability/incidents.yaml');
      assert.equal(others.length, 0);
      assert.equal(problem.severity, 'error');
      assert.match(problem.message, /^this document is skipped: its YAML aliases expand it to more than 1,000,000 values/);
      // Refused at the alias that crossed the limit: levels 2 to 5 add 123,440 values, and each alias
      // of level 5 (111,111 values) in level 6 adds as many again; the eighth passes 1,000,000.
      assert.deepEqual({ line: problem.line, column: problem.column }, positionOf(incidents, '*l5', 8));
    });

    it('in a file of several SLO documents, skips only the bomb; its neighbours and the other files load', async () => {
      const before = yamlDocuments(slo('first'));
      const bomb = aliasBomb(9, (last) => `apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: bomb}\nspec: *${last}\n`);
      const text = `${before}---\n${bomb}---\n${yamlDocuments(slo('third'))}`;
      const root = buildWorkspace({ config: CONFIG, slos: { 'mixed.yaml': text, 'other.yaml': yamlDocuments(slo('other')) } });

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos.map((definition) => definition.name).sort(), ['first', 'other', 'third']);
      const problems = problemsOf(loaded.problems, '.reliability/slos/mixed.yaml');
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0].message, /aliases expand it to more than/);
      assert.ok(problems[0].line > before.split('\n').length, 'the problem is in the second document');
    });

    it('loads an ordinary file that uses one anchor 1,001 times', async () => {
      const lines = ['incidents:'];
      for (let index = 0; index <= 1000; index++) {
        lines.push(
          `  - id: INC-${index}`,
          '    title: Checkout errors',
          '    severity: SEV3',
          index === 0 ? '    service: &service checkout' : '    service: *service',
          '    startedAt: 2026-03-01T00:00:00Z',
          '    resolvedAt: 2026-03-01T01:00:00Z',
        );
      }
      const root = buildWorkspace({ config: CONFIG, incidents: yamlLines(...lines) });

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.problems, []);
      assert.equal(loaded.incidents.length, 1001);
      assert.ok(loaded.incidents.every((incident) => incident.service === 'checkout'));
    });

    it('loads aliases that add many values in all, up to the limit', async () => {
      // One anchor of 999 values used 1,000 times: 999,000 values, just under the limit.
      const items = Array.from({ length: 998 }, (_, index) => `x${index}`).join(', ');
      const text = yamlLines(`shared: &shared [${items}]`, 'uses:', ...Array.from({ length: 1000 }, () => '  - *shared'), 'version: 1');
      assert.ok(999 * 1000 <= MAX_ALIAS_EXPANSION);
      const root = buildWorkspace({ config: text });

      const loaded = await loadDefinitions(root);

      assert.deepEqual(
        loaded.problems.filter((problem) => problem.severity === 'error'),
        [],
      );
      assert.ok(loaded.problems.some((problem) => problem.message.startsWith('unknown key "shared"')));
    });

    it(`skips a document with more than ${MAX_ANCHORS_AND_ALIASES} anchors and aliases, naming the limit`, async () => {
      const text = yamlLines('version: 1', 'x-tags:', '  - &tag v1', ...Array.from({ length: MAX_ANCHORS_AND_ALIASES }, () => '  - *tag'));
      const root = buildWorkspace({ config: text });

      const loaded = await loadDefinitions(root);

      const [problem] = problemsOf(loaded.problems, '.reliability/config.yaml');
      assert.equal(problem.message, 'this document is skipped: it holds more than 5,000 YAML anchors and aliases');
      assert.equal(problem.line, 3 + MAX_ANCHORS_AND_ALIASES);
    });

    it('reports an alias to no anchor, and an alias inside the node it names, as problems at the alias', async () => {
      const text = ['a: &loop [1, *loop]', '---', 'b: *missing', '---', yamlDocuments(slo('fine'))].join('\n');
      const root = buildWorkspace({ config: CONFIG, slos: { 'aliases.yaml': text } });

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos.map((definition) => definition.name), ['fine']);
      assert.deepEqual(
        problemsOf(loaded.problems, '.reliability/slos/aliases.yaml').map(({ line, column, message }) => ({ line, column, message })),
        [
          { line: 1, column: 14, message: 'this document is skipped: alias *loop stands for a node that contains the alias itself' },
          { line: 3, column: 4, message: 'this document is skipped: alias *missing names no anchor &missing before it' },
        ],
      );
    });
  });

  describe('file size', () => {
    it('refuses a 50 MB file from its size alone, with the size and the limit in the message', async () => {
      const root = buildWorkspace({ config: CONFIG, incidents: '' });
      // Sparse: 50 MB on paper, nothing on disk, and nothing read.
      truncateSync(join(root, '.reliability/incidents.yaml'), 50_000_000);

      const loaded = await loadDefinitions(root);

      assert.deepEqual(problemsOf(loaded.problems, '.reliability/incidents.yaml'), [
        {
          file: '.reliability/incidents.yaml',
          line: 0,
          column: 0,
          severity: 'error',
          message: '.reliability/incidents.yaml is 50.0 MB; files in .reliability/ are read up to 1 MB',
        },
      ]);
      assert.deepEqual(loaded.config.services.map((service) => service.name), ['checkout']);
    });

    it('refuses an SLO file of 5 MB of real text, and reads one just under the limit', async () => {
      const root = buildWorkspace({
        config: CONFIG,
        slos: { 'huge.yaml': comments(5_000_000), 'large.yaml': `${comments(MAX_YAML_FILE_BYTES - 2_000)}${yamlDocuments(slo('large'))}` },
      });

      const loaded = await loadDefinitions(root);

      assert.deepEqual(
        problemsOf(loaded.problems, '.reliability/slos/huge.yaml').map((problem) => problem.message),
        ['.reliability/slos/huge.yaml is 5.0 MB; files in .reliability/ are read up to 1 MB'],
      );
      assert.deepEqual(loaded.slos.map((definition) => definition.name), ['large']);
    });

    it('reads files up to a total for the folder, in a fixed order, so many files cannot add up', async () => {
      const file = (name: string) => `${comments(MAX_YAML_FILE_BYTES - 100_000)}${yamlDocuments(slo(name))}`;
      const names = ['a', 'b', 'c', 'd', 'e'];
      const incidents = yamlLines('incidents:', '  - {id: INC-1, title: Down, severity: SEV2, service: checkout, startedAt: 2026-03-01T00:00:00Z}');
      const root = buildWorkspace({ config: CONFIG, slos: Object.fromEntries(names.map((name) => [`${name}.yaml`, file(name)])), incidents });
      assert.ok(4 * (MAX_YAML_FILE_BYTES - 99_000) < MAX_YAML_TOTAL_BYTES && 5 * (MAX_YAML_FILE_BYTES - 100_000) > MAX_YAML_TOTAL_BYTES);

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos.map((definition) => definition.name), ['a', 'b', 'c', 'd']);
      const refused = loaded.problems.filter((problem) => problem.severity === 'error');
      assert.deepEqual(
        refused.map((problem) => [problem.file, problem.message.replace(/hold [\d.]+ MB/, 'hold N MB')]),
        [['.reliability/slos/e.yaml', '.reliability/slos/e.yaml is not read: the YAML files in .reliability/ are read up to 4 MB in all, and those read before it hold N MB']],
      );
      // What is left still takes a small file read after the refused one.
      assert.deepEqual(loaded.incidents.map((incident) => incident.id), ['INC-1']);
    });
  });

  describe('what a file in .reliability/ may be', () => {
    function outsideSecret(): { folder: string; secret: string } {
      const folder = temporaryFolder('outside-');
      const secret = `SECRET-${Math.random().toString(36).slice(2)}`;
      writeFile(folder, 'secret.yaml', yamlDocuments(slo(secret)));
      writeFile(folder, 'slos/stolen.yaml', yamlDocuments(slo(`${secret}-listed`)));
      return { folder, secret };
    }

    it('refuses an SLO file that is a symbolic link to a file outside, and shows none of its content', async () => {
      const { folder, secret } = outsideSecret();
      const root = buildWorkspace({ config: CONFIG, slos: { 'good.yaml': yamlDocuments(slo('good')) } });
      symlinkSync(join(folder, 'secret.yaml'), join(root, '.reliability/slos/linked.yaml'));

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos.map((definition) => definition.name), ['good']);
      assert.deepEqual(problemsOf(loaded.problems, '.reliability/slos/linked.yaml').map((problem) => problem.message), [
        '.reliability/slos/linked.yaml leads outside .reliability/ through a symbolic link; it is not read',
      ]);
      assert.ok(!JSON.stringify(loaded).includes(secret));
    });

    it('follows a symbolic link that stays inside .reliability/', async () => {
      const root = buildWorkspace({ config: CONFIG });
      writeFile(root, '.reliability/shared/checkout.yaml', yamlDocuments(slo('shared')));
      mkdirSync(join(root, '.reliability/slos'));
      symlinkSync('../shared/checkout.yaml', join(root, '.reliability/slos/checkout.yaml'));

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos.map((definition) => definition.name), ['shared']);
      assert.deepEqual(loaded.problems, []);
    });

    it('does not list a slos folder that is a symbolic link out of .reliability/', async () => {
      const { folder, secret } = outsideSecret();
      const root = buildWorkspace({ config: CONFIG });
      symlinkSync(join(folder, 'slos'), join(root, '.reliability/slos'));

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos, []);
      assert.deepEqual(problemsOf(loaded.problems, '.reliability/slos').map((problem) => problem.message), [
        '.reliability/slos/ leads outside .reliability/ through a symbolic link; its files are not read',
      ]);
      assert.ok(!JSON.stringify(loaded).includes(secret));
      assert.ok(!JSON.stringify(loaded).includes('stolen'), 'no file name from outside is shown');
    });

    it('refuses every file when .reliability/ itself is a symbolic link out of the workspace', async () => {
      const { folder, secret } = outsideSecret();
      writeFile(folder, 'config.yaml', CONFIG);
      const root = temporaryFolder('workspace-');
      symlinkSync(folder, join(root, '.reliability'));

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos, []);
      assert.deepEqual(loaded.config.services, []);
      assert.match(problemsOf(loaded.problems, '.reliability/config.yaml')[0].message, /leads outside the workspace through a symbolic link/);
      assert.deepEqual(problemsOf(loaded.problems, '.reliability/slos').map((problem) => problem.message), [
        '.reliability/slos/ leads outside the workspace through a symbolic link; its files are not read',
      ]);
      assert.ok(!JSON.stringify(loaded).includes(secret));
      assert.ok(!JSON.stringify(loaded).includes('stolen'), 'no file name from outside is shown');
    });

    it('refuses a named pipe without waiting for a writer, and a dangling link', async function () {
      const root = buildWorkspace({ config: CONFIG, slos: { 'good.yaml': yamlDocuments(slo('good')) } });
      try {
        execFileSync('mkfifo', [join(root, '.reliability/slos/pipe.yaml')]);
      } catch {
        this.skip();
      }
      symlinkSync('nowhere.yaml', join(root, '.reliability/slos/dangling.yaml'));

      const loaded = await loadDefinitions(root);

      assert.deepEqual(loaded.slos.map((definition) => definition.name), ['good']);
      assert.deepEqual(problemsOf(loaded.problems, '.reliability/slos/pipe.yaml').map((problem) => problem.message), [
        '.reliability/slos/pipe.yaml is a named pipe (FIFO), not a regular file; it is not read',
      ]);
      assert.deepEqual(problemsOf(loaded.problems, '.reliability/slos/dangling.yaml').map((problem) => problem.message), [
        '.reliability/slos/dangling.yaml does not exist (a symbolic link that leads nowhere?); it is not read',
      ]);
    });

    it('a config.yaml that is a named pipe holds up neither the early start of git nor the loader', async function () {
      const root = temporaryFolder('workspace-');
      mkdirSync(join(root, '.reliability'));
      try {
        execFileSync('mkfifo', [join(root, '.reliability/config.yaml')]);
      } catch {
        this.skip();
      }

      // Not a git repository: the early start only has to return (it never throws).
      await prefetchTagHistory(root);
      const loaded = await loadDefinitions(root);

      assert.deepEqual(problemsOf(loaded.problems, '.reliability/config.yaml').map((problem) => problem.message), [
        '.reliability/config.yaml is a named pipe (FIFO), not a regular file; it is not read',
      ]);
    });
  });
});

import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import * as sax from 'sax';
import { decideMerge } from '../../src/core/mergeCheck';
import type { Commit, Incident, SloReport } from '../../src/core/model';
import type { MergeCheckResult } from '../../src/workspace/engine';
import { renderCheckMarkdown } from '../../src/ci/formats/checkMarkdown';
import { checkAnnotations } from '../../src/ci/formats/checkAnnotations';
import { renderCheckJunit } from '../../src/ci/formats/checkJunit';
import { encodeCommandData, encodeCommandProperty } from '../../src/ci/formats/workflowCommands';
import { markdownLink, markdownText } from '../../src/ci/formats/markdownText';
import { xmlText } from '../../src/ci/formats/xmlText';
import { HOUR, NOW, defaultPolicy, incident, sloReport } from './builders/reportBuilders';

const feature: Commit = { sha: 'a'.repeat(40), time: NOW - HOUR, parents: [], subject: 'Add a faster cart', body: '' };

/** A check result as the engine makes it, from the verdict core/mergeCheck.ts decides. */
function checkResult(input: { files: Array<[string, string[]]>; slos?: SloReport[]; incidents?: Incident[]; commits?: Commit[]; services?: string[] }): MergeCheckResult {
  const services = input.services ?? [...new Set(input.files.flatMap(([, owners]) => owners))];
  const slos = input.slos ?? [];
  const incidents = input.incidents ?? [];
  const verdict = decideMerge({ services, sloReports: slos, incidents, commits: input.commits ?? [feature], policy: defaultPolicy, now: NOW });
  return {
    ...verdict,
    base: 'origin/main',
    slos: slos.filter((slo) => services.includes(slo.service)),
    openIncidents: incidents.filter((i) => services.includes(i.service) && i.resolvedAt === null),
    changedFiles: input.files.map(([path, owners]) => ({ path, services: owners })),
    now: NOW,
  };
}

const critical = sloReport({
  name: 'checkout-availability',
  service: 'checkout',
  status: 'critical',
  sli: 0.98,
  budget: { remaining: -0.12, consumed: 1.12 },
  alerts: [{ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }],
});
const warning = sloReport({ name: 'search-latency', service: 'search', status: 'warning', budget: { remaining: 0.2, consumed: 0.8 } });
const healthy = sloReport({ name: 'accounts-availability', service: 'accounts', budget: { remaining: 0.9, consumed: 0.1 } });
const sev2 = incident({ id: 'INC-7', service: 'checkout', severity: 'SEV2', title: 'Payments time out', url: 'https://status.example.com/INC-7' });
const sev4 = incident({ id: 'INC-8', service: 'search', severity: 'SEV4', title: 'Slow suggestions' });

// Hostile values: a name that would end a table cell, HTML, a link and an image, a mention, a heading
// on a new line, backticks, control characters and a terminal escape.
const HOSTILE_SLO = 'a|b <img src=x onerror=alert(1)> [x](javascript:alert(1)) `code` @octocat';
const HOSTILE_TITLE = 'Down\n## Merged anyway\r\n| forged | row |\n<script>alert(1)</script> ![i](https://evil.example/i.png) \u001b[2J\u0000 </details>';
const HOSTILE_FILE = 'services/checkout/a|b,c:d%0A\n::error::forged.ts';

/** The rendered HTML of a markdown report, as GitHub-flavoured markdown renders it. */
function html(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false });
}

describe('check --format markdown', () => {
  it('says the verdict first, then a table per service with budget and alerts, the blocking incident and the evidence folded', () => {
    const result = checkResult({ files: [['services/checkout/pay.ts', ['checkout']], ['services/search/q.ts', ['search']]], slos: [critical, warning], incidents: [sev2, sev4] });
    const markdown = renderCheckMarkdown(result, 'freeze');
    const lines = markdown.split('\n');
    assert.equal(lines[0], '### 🔴 Can I merge? **FREEZE**');
    assert.equal(lines[2], 'Services: checkout, search · compared with origin\\/main · as of 2026\\-11\\-20 12\\:00 UTC');
    assert.ok(lines.includes('#### checkout: 🔴 freeze'), markdown);
    assert.ok(lines.includes('| checkout\\-availability | critical | \\-12\\% | 98\\% / 99\\.9\\% | page 1h\\/5m &gt; 14\\.4× |'), markdown);
    assert.ok(lines.includes('| search\\-latency | warning | 20\\% | 99\\.95\\% / 99\\.9\\% | none |'), markdown);
    assert.ok(lines.includes('- **🔴 freeze** (fails the gate): [INC\\-7](https://status.example.com/INC-7) (SEV2, opened 2 hours ago): Payments time out'), markdown);
    assert.ok(lines.includes('- **🟡 caution**: INC\\-8 (SEV4, opened 2 hours ago): Slow suggestions'), markdown);
    const details = markdown.slice(markdown.indexOf('<details>'));
    assert.match(details, /<summary>Evidence: 4 reasons, 2 changed files<\/summary>/);
    assert.ok(details.includes('- services\\/checkout\\/pay\\.ts (checkout)\n- services\\/search\\/q\\.ts (search)'), details);
    assert.ok(markdown.indexOf('<details>') > markdown.indexOf('#### search'), 'the evidence comes last');
  });

  it('marks cautions that fail the gate under fail-on caution, and an exempted freeze', () => {
    const caution = checkResult({ files: [['services/search/q.ts', ['search']]], slos: [warning] });
    assert.match(renderCheckMarkdown(caution, 'freeze'), /^### 🟡 Can I merge\? \*\*CAUTION\*\*/);
    assert.match(renderCheckMarkdown(caution, 'caution'), /- \*\*🟡 caution\*\* \(fails the gate\): SLO search\\-latency/);
    const fix: Commit = { ...feature, subject: 'Fix INC-7: retry the payment provider' };
    const exempt = checkResult({ files: [['services/checkout/pay.ts', ['checkout']]], slos: [critical], incidents: [sev2], commits: [fix] });
    const markdown = renderCheckMarkdown(exempt, 'freeze');
    assert.match(markdown, /^### 🟢 Can I merge\? \*\*GO\*\*/);
    assert.match(markdown, /\*\*exempt\\: fixes INC\\-7\*\*: the freeze below does not hold for this change\./);
    assert.match(markdown, /- \*\*🔴 freeze\*\* \(exempt\): SLO checkout\\-availability/);
  });

  it('says go with no service touched', () => {
    const markdown = renderCheckMarkdown(checkResult({ files: [['README.md', []]] }), 'freeze');
    assert.match(markdown, /^### 🟢 Can I merge\? \*\*GO\*\*\n\nServices: none · /);
    assert.match(markdown, /the change touches no configured service/);
  });

  it('renders hostile SLO names, incident titles and file names as text: no HTML, link, image, mention, heading or extra cell', () => {
    const slo = sloReport({ ...critical, name: HOSTILE_SLO });
    const hostileIncident = { ...sev2, title: HOSTILE_TITLE, url: 'javascript:alert(1)' };
    const result = checkResult({ files: [[HOSTILE_FILE, ['checkout']]], slos: [slo], incidents: [hostileIncident] });
    const rendered = html(renderCheckMarkdown(result, 'freeze'));
    assert.doesNotMatch(rendered, /<img|<script|<a |href=|<h2|<code/i, rendered);
    assert.equal((rendered.match(/<\/details>/g) ?? []).length, 1, 'only the report closes <details>');
    // The table: a header and one row, five cells each, the name whole in the first.
    const rows = rendered.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal((row.match(/<t[dh]>/g) ?? []).length, 5, row);
    const firstCell = /<td>([\s\S]*?)<\/td>/.exec(rows[1])![1];
    assert.equal(decodeEntities(firstCell), HOSTILE_SLO.replace('@', '@\u2060'));
    // The title reads on one line, without its controls; the mention is broken by a word joiner.
    assert.match(decodeEntities(rendered), /Down ## Merged anyway \| forged \| row \| <script>alert\(1\)<\/script> !\[i\]\(https:\/\/evil\.example\/i\.png\) <\/details>/);
    assert.doesNotMatch(rendered, /@octocat/);
    assert.doesNotMatch(rendered, /[\u0000\u001b]/);
  });

  it('links only to http(s) pages, with an address that cannot end the link', () => {
    assert.equal(markdownLink('INC-1', 'javascript:alert(1)'), 'INC\\-1');
    assert.equal(markdownLink('INC-1', 'data:text/html,<b>'), 'INC\\-1');
    assert.equal(markdownLink('INC-1', 'not a url'), 'INC\\-1');
    const link = markdownLink('INC-1', 'https://x.example/a)b](c "t" <d>');
    assert.equal(link, '[INC\\-1](https://x.example/a%29b%5D%28c%20%22t%22%20%3Cd%3E)');
    assert.match(html(link), /^<p><a href="https:\/\/x\.example\/a%29b%5D%28c%20%22t%22%20%3Cd%3E">INC-1<\/a><\/p>/);
  });

  it('escapes every markdown character and keeps a value on one line', () => {
    assert.equal(markdownText('*a* _b_ `c` #d |e| <f> &g; [h](i) ~j~\n\tk'), '\\*a\\* \\_b\\_ \\`c\\` \\#d \\|e\\| &lt;f&gt; &amp;g\\; \\[h\\]\\(i\\) \\~j\\~ k');
  });
});

/** The runner's reading of a workflow command line (actions/runner ActionCommand.TryParseV2 and its unescaping). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  assert.ok(match, `not a command: ${line}`);
  const unescape = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    properties[pair.slice(0, at)] = unescape(pair.slice(at + 1));
  }
  return { command: match[1], properties, message: match[3].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') };
}

describe('check --format github (workflow commands)', () => {
  it('encodes % CR LF in data, and : , too in properties', () => {
    assert.equal(encodeCommandData('100%\r\nnext\rline'), '100%25%0D%0Anext%0Dline');
    assert.equal(encodeCommandProperty('a:b,c%d'), 'a%3Ab%2Cc%25d');
    assert.equal(encodeCommandData('%0A stays %0A'), '%250A stays %250A');
  });

  it('puts an error naming the SLO and incident on each changed file of a frozen service, a warning on a cautioned one', () => {
    const result = checkResult({ files: [['services/checkout/pay.ts', ['checkout']], ['services/search/q.ts', ['search']], ['README.md', []]], slos: [critical, warning], incidents: [sev2] });
    const commands = checkAnnotations(result).map(parseCommand);
    assert.deepEqual(commands.map((c) => [c.command, c.properties.file, c.properties.title]), [
      ['error', 'services/checkout/pay.ts', 'Merge freeze: SLO checkout-availability, incident INC-7'],
      ['warning', 'services/search/q.ts', 'Merge caution: SLO search-latency'],
    ]);
    assert.deepEqual(commands[0].message.split('\n'), result.reasons.slice(0, 2));
  });

  it('stops at ten errors and ten warnings, and says how many files it left out', () => {
    const files: Array<[string, string[]]> = [];
    for (let i = 0; i < 13; i++) files.push([`services/checkout/f${i}.ts`, ['checkout']]);
    for (let i = 0; i < 11; i++) files.push([`services/search/f${i}.ts`, ['search']]);
    const commands = checkAnnotations(checkResult({ files, slos: [critical, warning] })).map(parseCommand);
    assert.equal(commands.filter((c) => c.command === 'error').length, 10);
    assert.equal(commands.filter((c) => c.command === 'warning').length, 10);
    assert.deepEqual(commands.filter((c) => c.command === 'notice').map((c) => c.message), [
      '3 more changed files of frozen services not annotated (GitHub shows 10 errors per step); the job summary lists them all',
      '1 more changed file of cautioned services not annotated (GitHub shows 10 warnings per step); the job summary lists them all',
    ]);
  });

  it('annotates an exempted freeze as a warning, and named services without a file', () => {
    const fix: Commit = { ...feature, subject: 'Revert "Add a faster cart"' };
    const exempt = checkAnnotations(checkResult({ files: [['services/checkout/pay.ts', ['checkout']]], slos: [critical], commits: [fix] })).map(parseCommand);
    assert.deepEqual(exempt.map((c) => [c.command, c.properties.title]), [['warning', 'Freeze exempted (exempt: every commit is a revert): SLO checkout-availability']]);
    const named = checkAnnotations(checkResult({ files: [], services: ['checkout'], slos: [critical], incidents: [sev2] })).map(parseCommand);
    assert.deepEqual(named.map((c) => [c.command, c.properties.file, c.properties.title]), [
      ['error', undefined, 'Merge freeze: SLO checkout-availability'],
      ['error', undefined, 'Merge freeze: incident INC-7'],
    ]);
  });

  it('keeps hostile names inside their command: one line each, properties read back whole', () => {
    const slo = sloReport({ ...critical, name: 'x::error file=evil.ts::forged,title=y' });
    const result = checkResult({ files: [[HOSTILE_FILE, ['checkout']]], slos: [slo], incidents: [{ ...sev2, title: HOSTILE_TITLE }] });
    const lines = checkAnnotations(result);
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0], /[\r\n\u0000\u001b]/);
    const [command] = lines.map(parseCommand);
    assert.equal(command.properties.file, 'services/checkout/a|b,c:d%0A ::error::forged.ts', 'the file name whole, its break made a space');
    assert.equal(command.properties.title, 'Merge freeze: SLO x::error file=evil.ts::forged,title=y, incident INC-7');
    assert.deepEqual(Object.keys(command.properties), ['file', 'title']);
    // The title's line breaks are the message's own: each line as the reason has it, without controls.
    assert.ok(command.message.includes('Down\n## Merged anyway\r\n| forged | row |\n<script>'), command.message);
    assert.doesNotMatch(command.message, /[\u0000\u001b]/);
  });
});

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses with sax in strict mode: throws on anything that is not well-formed XML. */
function parseXml(xml: string): XmlElement {
  const parser = sax.parser(true);
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (tag) => {
    const element = { name: tag.name, attributes: tag.attributes, children: [], text: '' };
    stack[stack.length - 1].children.push(element);
    stack.push(element);
  };
  parser.onclosetag = () => void stack.pop();
  parser.ontext = (text) => {
    stack[stack.length - 1].text += text;
  };
  parser.write(xml).close();
  return root.children[0];
}

const findAll = (element: XmlElement, name: string): XmlElement[] =>
  element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);

describe('check --format junit', () => {
  const result = checkResult({
    files: [['services/checkout/pay.ts', ['checkout']], ['services/search/q.ts', ['search']], ['services/accounts/a.ts', ['accounts']]],
    slos: [critical, warning, healthy],
    incidents: [sev2, sev4],
  });

  it('has one test case per touched service and SLO; freezes fail, cautions are output', () => {
    const suites = parseXml(renderCheckJunit(result, 'freeze'));
    assert.equal(suites.name, 'testsuites');
    assert.deepEqual([suites.attributes.tests, suites.attributes.failures], ['6', '2']);
    const cases = findAll(suites, 'testcase');
    assert.deepEqual(cases.map((c) => `${c.attributes.classname}/${c.attributes.name}`), [
      'checkout/service checkout',
      'checkout/SLO checkout-availability',
      'search/service search',
      'search/SLO search-latency',
      'accounts/service accounts',
      'accounts/SLO accounts-availability',
    ]);
    const failed = cases.filter((c) => findAll(c, 'failure').length > 0).map((c) => c.attributes.name);
    assert.deepEqual(failed, ['service checkout', 'SLO checkout-availability']);
    assert.equal(findAll(cases[1], 'failure')[0].attributes.type, 'freeze');
    assert.equal(findAll(cases[1], 'failure')[0].attributes.message, result.reasons[0]);
    assert.match(findAll(cases[3], 'system-out')[0].text, /^caution: SLO search-latency \(search\) is warning/);
    assert.equal(findAll(cases[5], 'system-out')[0].text, 'SLO accounts-availability is healthy (budget remaining 90%)');
  });

  it('fails cautions too under fail-on caution, and nothing under never', () => {
    const strict = parseXml(renderCheckJunit(result, 'caution'));
    assert.equal(strict.attributes.failures, '4');
    const caution = findAll(strict, 'testcase').find((c) => c.attributes.name === 'SLO search-latency')!;
    assert.equal(findAll(caution, 'failure')[0].attributes.type, 'caution');
    assert.equal(parseXml(renderCheckJunit(result, 'never')).attributes.failures, '0');
  });

  it('writes hostile names and titles as well-formed XML that reads back as the text, inert', () => {
    const slo = sloReport({ ...critical, name: `"quoted" & 'single' <tag> ]]> \u0001\u0008\uFFFE\uD800 ${HOSTILE_SLO}` });
    const hostile = checkResult({ files: [[HOSTILE_FILE, ['checkout']]], slos: [slo], incidents: [{ ...sev2, title: HOSTILE_TITLE }] });
    const xml = renderCheckJunit(hostile, 'freeze');
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    const cases = findAll(parseXml(xml), 'testcase');
    // The controls go (as in the terminal), and what XML cannot hold at all reads U+FFFD.
    assert.equal(cases[1].attributes.name, `SLO "quoted" & 'single' <tag> ]]> \uFFFD\uFFFD ${HOSTILE_SLO}`);
    const failure = findAll(cases[0], 'failure')[0];
    assert.ok(failure.text.includes('Down\n## Merged anyway\n| forged | row |\n<script>alert(1)</script>'), failure.text);
    assert.doesNotMatch(xml, /\u001b|\]0;|\u202e/);
    assert.equal(xmlText('a\u0000b\u001bc'), 'a\uFFFDb\uFFFDc');
  });
});

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

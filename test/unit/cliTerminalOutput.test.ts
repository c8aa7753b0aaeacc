// Issue 12 item 8: incident ids and titles, PagerDuty titles, commit subjects, tag and file names reach the
// terminal. Whatever bytes they hold, what the CLI prints is text a terminal only displays: no escape
// sequence, no carriage return drawing a fake line, no bidi override, in human and JSON output and on
// stderr, while the readable words stay and JSON still parses to the very same data.
import { strict as assert } from 'node:assert';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/main';
import { renderTable } from '../../src/cli/table';
import { inertJson, inertLine } from '../../src/core/inertText';
import { cli, cliWithEnv, type CliResult } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { csvText, openSloSlo, writeFile } from './builders/workspaceBuilders';
import { startFakeServer, type FakeServer } from './fakes/fakeServer';
import { pagerDutyHandler, pagerDutyIncident } from './fakes/pagerDutyFake';

const NOW = '2026-11-20T12:00:00Z';
const PAGERDUTY_TOKEN = 'pd-token-for-the-terminal-test';

/** Everything a terminal acts on, except the tab and newline a human table may hold. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Each attack on its own, then all of them in one value.
const TITLE_ESCAPE = '\u001b]0;owned window\u0007';
const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const HYPERLINK = '\u001b]8;;https://evil.example/\u001b\\click here\u001b]8;;\u001b\\';
const FAKE_LINE = '\rCan I merge? GO';
const C1_CSI = '\u009b31m';
const BIDI = '\u202egnp.exe\u202c and \u2066isolate\u2069';
const ALL = `${TITLE_ESCAPE}${CLEAR_SCREEN}${HYPERLINK}${FAKE_LINE} ${C1_CSI}\u007f\u0085${BIDI}`;
/** What a reader sees of ALL. */
const ALL_READABLE = 'click here Can I merge? GO gnp.exe and isolate';

function assertInert(text: string, label: string): void {
  const found = CONTROL.exec(text);
  if (found) {
    const code = found[0].charCodeAt(0).toString(16).padStart(4, '0');
    assert.fail(`${label}: U+${code} at ${found.index}, in ${JSON.stringify(text.slice(Math.max(0, found.index - 30), found.index + 30))}`);
  }
}

function assertAllInert(result: CliResult, label: string): void {
  assertInert(result.stdout, `${label} stdout`);
  assertInert(result.stderr, `${label} stderr`);
}

describe('terminal text', () => {
  it('removes every escape sequence whole, with its payload, and keeps the words', () => {
    assert.equal(inertLine(`Payments${TITLE_ESCAPE} down`), 'Payments down');
    assert.equal(inertLine(`a${CLEAR_SCREEN}b`), 'ab');
    assert.equal(inertLine(`see ${HYPERLINK}!`), 'see click here!');
    assert.equal(inertLine(`p${C1_CSI}q`), 'pq');
    assert.equal(inertLine('\u009d0;c1 title\u009cafter'), 'after');
  });

  it('turns breaks into spaces and drops controls, DEL, C1 and bidi characters', () => {
    assert.equal(inertLine(`Payments${FAKE_LINE}`), 'Payments Can I merge? GO');
    assert.equal(inertLine('one\r\ntwo\tthree\nfour'), 'one two three four');
    assert.equal(inertLine('a\u0000b\u0007c\u007fd\u0085e\u0090f'), 'abcdef');
    assert.equal(inertLine(BIDI), 'gnp.exe and isolate');
  });

  it('keeps what a reader sees of all the attacks together', () => {
    assert.equal(inertLine(`Payments ${ALL}`), `Payments ${ALL_READABLE}`);
  });

  it('leaves no control character behind, whatever is left of a broken sequence', () => {
    for (const text of [ALL, '\u001b\u001b[[2J', '\u001b]0;no end', '\u001b\u0000[2J', '\u009b\u009b', `${ALL}${ALL}`]) {
      assertInert(inertLine(text), JSON.stringify(text));
    }
  });

  it('escapes DEL, C1 and bidi characters in JSON, which still parses to the same value', () => {
    const value = { title: ALL, nested: [{ id: `INC-1${C1_CSI}` }] };
    const text = inertJson(value);
    assertInert(text, 'json');
    assert.match(text, /\\u009b31m/);
    assert.match(text, /\\u202e/);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('makes each table cell safe before padding, so the columns still line up', () => {
    const table = renderTable(['ID', 'TITLE'], [[`INC-1${CLEAR_SCREEN}`, 'first'], ['INC-22', `second${FAKE_LINE}`]]);
    assertInert(table, 'table');
    const lines = table.split('\n');
    assert.equal(lines[1], 'INC-1   first');
    assert.equal(lines[2], 'INC-22  second Can I merge? GO');
  });

  it('renders a table of 200,000 rows (no spread of the column into Math.max)', () => {
    const rows = Array.from({ length: 200_000 }, (_, index) => [`INC-${index}`, 'title']);
    const table = renderTable(['ID', 'TITLE'], rows);
    assert.equal(table.split('\n').length, 200_001);
    assert.equal(table.split('\n')[200_000], 'INC-199999  title');
  });
});

describe('the CLI prints hostile values inertly', function () {
  this.timeout(120_000);
  let repo: GitRepoBuilder;
  let pagerDuty: FakeServer;
  let hostileFile: string;
  const env = () => ({ RELIABILITY_LENS_PAGERDUTY_TOKEN: PAGERDUTY_TOKEN, RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: pagerDuty.origin });

  before(async () => {
    pagerDuty = await startFakeServer(
      pagerDutyHandler(
        [pagerDutyIncident(41, { title: `Checkout 5xx ${ALL}`, status: 'triggered', created_at: '2026-11-20T10:30:00Z', resolved_at: null })],
        PAGERDUTY_TOKEN,
        () => Date.parse(NOW),
      ),
    );
    repo = GitRepoBuilder.create('rl-terminal-');
    hostileFile = `services/checkout/pay${CLEAR_SCREEN}${TITLE_ESCAPE}.ts`;
    const rootCause = repo.commit({ at: '2026-11-01T10:00:00Z', message: `Start payments ${ALL}`, files: { 'services/checkout/pay.ts': 'a\n', [hostileFile]: 'x\n' } });
    repo.tag('v1.0.0', { annotatedAt: '2026-11-01T12:00:00Z' });
    repo.commit({ at: '2026-11-10T10:00:00Z', message: `Tune payments ${ALL}\n\nbody ${ALL}`, files: { 'services/checkout/pay.ts': 'b\n', [hostileFile]: 'y\n' } });
    // Git refuses C0 controls and DEL in a ref name, but not C1 controls or bidi characters.
    repo.tag(`v1.1.0-\u009b2J\u202e`, { annotatedAt: '2026-11-10T12:00:00Z' });
    repo.git(['checkout', '--quiet', '-b', 'feature']);
    repo.commit({ at: '2026-11-19T10:00:00Z', message: `Feature ${ALL}`, files: { 'services/checkout/pay.ts': 'c\n' } });

    const config = {
      version: 1,
      services: [
        { name: 'checkout', paths: ['services/checkout/**'] },
        { name: `search${CLEAR_SCREEN}\u202e`, paths: ['services/search/**'] },
      ],
      deployments: { source: 'git-tags', tagPattern: 'v*' },
      incidents: { sources: [{ type: 'file' }, { type: 'pagerduty', url: pagerDuty.origin, serviceMap: ['PSVC1=checkout'] }] },
    };
    writeFile(repo.root, '.reliability/config.yaml', stringify(config));
    writeFile(repo.root, '.reliability/slos/checkout.yaml', stringify(openSloSlo({ name: `checkout-availability${TITLE_ESCAPE}`, service: 'checkout', indicator: { csv: { path: 'data/checkout.csv' } } })));
    writeFile(repo.root, '.reliability/data/checkout.csv', csvText([['2026-11-20T10:00:00Z', 990, 1000], ['2026-11-20T11:00:00Z', 999, 1000]]));
    const incidents = [
      { id: 'INC-1', title: `Payment declines ${ALL}`, severity: 'SEV2', service: 'checkout', startedAt: '2026-11-20T09:00:00Z', commits: [rootCause] },
      { id: `INC-2${ALL}`, title: 'Escapes in the id', severity: 'SEV4', service: 'checkout', startedAt: '2026-11-02T00:00:00Z', resolvedAt: '2026-11-02T01:00:00Z' },
      // Invalid: the problem message quotes what it found.
      { id: 'INC-3', title: 'bad severity', severity: `SEV9${ALL}`, service: 'checkout', startedAt: '2026-11-03T00:00:00Z' },
    ];
    writeFile(repo.root, '.reliability/incidents.yaml', stringify({ incidents }));
  });
  after(async () => {
    await pagerDuty.close();
    repo.remove();
  });

  const commands: string[][] = [['report'], ['incidents'], ['incidents', 'payment'], ['dora'], ['check'], ['lens', 'services/checkout/pay.ts'], ['sources']];
  for (const argv of commands) {
    for (const json of [false, true]) {
      it(`${argv.join(' ')}${json ? ' --json' : ''}`, async () => {
        const result = await cliWithEnv(env(), repo.root, ...argv, '--now', NOW, ...(json ? ['--json'] : []));
        // `check` may freeze (1); `sources` exits 2 as the ledger holds an invalid incident.
        assert.ok([0, 1, 2].includes(result.code) && result.stdout.length > 0, `exit ${result.code}: ${result.stderr}`);
        assertAllInert(result, argv.join(' '));
        if (json) result.json();
      });
    }
  }

  it('keeps the readable words in human output, and the exact data in JSON', async () => {
    const human = await cliWithEnv(env(), repo.root, 'incidents', '--now', NOW);
    assert.ok(human.stdout.includes(`Payment declines ${ALL_READABLE}`), human.stdout);
    assert.ok(human.stdout.includes(`Checkout 5xx ${ALL_READABLE}`), 'the PagerDuty title');
    assert.ok(human.stdout.includes(`INC-2${ALL_READABLE}`), 'the id');
    // Every row still starts at the left edge: no carriage return pulls text back over it.
    for (const line of human.stdout.split('\n')) assert.ok(!line.startsWith(' '), JSON.stringify(line));
    const json = (await cliWithEnv(env(), repo.root, 'incidents', '--now', NOW, '--json')).json();
    const titles = json.incidents.map((i: any) => i.title);
    assert.ok(titles.includes(`Payment declines ${ALL}`), 'JSON carries the title exactly');
    assert.ok(titles.includes(`Checkout 5xx ${ALL}`), 'and the PagerDuty title exactly');
  });

  it('shows commit subjects, tag names and the lens file name as plain text', async () => {
    const lens = await cli(repo.root, 'lens', hostileFile, '--now', NOW);
    assert.equal(lens.code, 0, lens.stderr);
    assertAllInert(lens, 'lens of the hostile file');
    assert.match(lens.stdout, /^services\/checkout\/pay\.ts$/m);
    assert.ok(lens.stdout.includes(`Tune payments ${ALL_READABLE}`), lens.stdout);
    // The tag's C1 CSI took "2J" with it, as a terminal would have.
    assert.match(lens.stdout, /\sv1\.1\.0-\s/);
    const lensJson = (await cli(repo.root, 'lens', hostileFile, '--now', NOW, '--json')).json();
    assert.equal(lensJson.file, hostileFile);
    assert.equal(lensJson.changes[0].subject, `Tune payments ${ALL}`);
  });

  it('keeps its own colours on a terminal, and only those', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli({
      argv: ['report', '--now', NOW],
      cwd: repo.root,
      env: env(),
      isTty: true,
      clock: () => Date.parse(NOW),
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
    });
    assert.equal(code, 0, err.join('\n'));
    const stdout = out.join('\n');
    assert.match(stdout, /\u001b\[1mReliability report/, 'bold title');
    assert.match(stdout, /\u001b\[31mopen\u001b\[0m/, 'red open state');
    // eslint-disable-next-line no-control-regex
    assertInert(stdout.replace(/\u001b\[\d+m/g, ''), 'report on a terminal, without its own colours');
  });

  it('prints error messages that quote a hostile value inertly, on one line', async () => {
    for (const argv of [
      ['check', '--base', `main${TITLE_ESCAPE}${FAKE_LINE}`, '--now', NOW],
      ['report', '--now', `2026-11-20${CLEAR_SCREEN}`],
      [`report${HYPERLINK}`, '--now', NOW],
      ['report', `--colour${C1_CSI}`, '--now', NOW],
    ]) {
      const result = await cli(repo.root, ...argv);
      assert.equal(result.code, 2, `${JSON.stringify(argv)}: ${result.stdout}`);
      assertAllInert(result, JSON.stringify(argv));
      assert.equal(result.stderr.split('\n').length, 1, result.stderr);
    }
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { cli } from './builders/cliRunner';

const NOW = '2026-11-20T12:00:00.000Z';

describe('reliability-lens check --format and --fail-on', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-check-formats-'));
    await createDemoWorkspace(dir, { now: Date.parse(NOW) });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints each format from the same check: json as --json, markdown, github commands, junit', async () => {
    const json = await cli(dir, 'check', '--now', NOW, '--json');
    const asFormat = await cli(dir, 'check', '--now', NOW, '--format', 'json');
    assert.equal(asFormat.stdout, json.stdout);
    assert.equal(json.json().verdict, 'freeze');
    const reasons: string[] = json.json().reasons;

    const markdown = await cli(dir, 'check', '--now', NOW, '--format', 'markdown');
    assert.equal(markdown.code, 1, markdown.stderr);
    assert.match(markdown.stdout, /^### 🔴 Can I merge\? \*\*FREEZE\*\*\n/);
    assert.match(markdown.stdout, /\n#### checkout: 🔴 freeze\n/);
    assert.match(markdown.stdout, /\n- \*\*🔴 freeze\*\* \(fails the gate\): \[?INC\\-7/);
    assert.match(markdown.stdout, new RegExp(`<summary>Evidence: ${reasons.length} reasons?, `));

    const github = await cli(dir, 'check', '--now', NOW, '--format', 'github');
    assert.equal(github.code, 1);
    const lines = github.stdout.split('\n');
    assert.match(lines[0], /^::error file=services\/checkout\/[^,]+,title=Merge freeze%3A SLO checkout-availability%2C incident INC-7::SLO checkout-availability/);
    assert.ok(lines.includes('Can I merge? FREEZE  (services: checkout)'), github.stdout);

    const junit = await cli(dir, 'check', '--now', NOW, '--format', 'junit');
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="reliability-lens check" tests="2" failures="2"/);
  });

  it('exits by --fail-on: never passes a freeze, caution fails a caution, --strict is caution', async () => {
    assert.equal((await cli(dir, 'check', '--now', NOW, '--fail-on', 'never')).code, 0);
    assert.equal((await cli(dir, 'check', '--now', NOW, '--fail-on', 'freeze')).code, 1);
    assert.equal((await cli(dir, 'check', '--now', NOW, '--service', 'search', '--fail-on', 'freeze')).code, 0);
    assert.equal((await cli(dir, 'check', '--now', NOW, '--service', 'search', '--fail-on', 'caution')).code, 1);
    const junit = await cli(dir, 'check', '--now', NOW, '--service', 'search', '--strict', '--format', 'junit');
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /<failure type="caution"/);
  });

  it('says what is wrong with a format or fail-on value', async () => {
    const cases: Array<[string[], string]> = [
      [['--format', 'html'], 'reliability-lens: invalid --format "html": expected text, json, markdown, github, junit'],
      [['--json', '--format', 'markdown'], 'reliability-lens: --json and --format markdown ask for two formats; give one'],
      [['--fail-on', 'always'], 'reliability-lens: invalid --fail-on "always": expected freeze, caution, never'],
      [['--strict', '--fail-on', 'never'], 'reliability-lens: --strict means --fail-on caution, which contradicts --fail-on never; give one'],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(dir, 'check', '--now', NOW, ...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.equal(result.stderr, message);
    }
  });
});

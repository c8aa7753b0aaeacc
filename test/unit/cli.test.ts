import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace, type DemoWorkspaceFacts } from '../fixtures/demoWorkspace';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';

const NOW = '2026-11-20T12:00:00.000Z';

function gitCommit(dir: string, message: string, date: string): void {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['commit', '-q', '--allow-empty', '-a', '-m', message], { cwd: dir, env });
}

describe('reliability-lens CLI on the demo workspace', function () {
  this.timeout(60_000);
  let dir: string;
  let facts: DemoWorkspaceFacts;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-cli-'));
    facts = await createDemoWorkspace(dir, { now: Date.parse(NOW) });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('report --json follows the contract: services, SLOs, DORA and incidents', async () => {
    const result = await cli(dir, 'report', '--now', NOW, '--json');
    assert.equal(result.code, 0, result.stderr);
    const report = result.json();
    assert.equal(report.now, NOW);
    assert.deepEqual(report.services.map((s: any) => s.name), ['checkout', 'search', 'accounts']);
    const checkout = report.services[0];
    assert.deepEqual(checkout.openIncidents, ['INC-7']);
    const slo = checkout.slos[0];
    assert.deepEqual(Object.keys(slo).sort(), ['alerts', 'budget', 'budgetingMethod', 'burnRates', 'exhaustionEta', 'good', 'name', 'objective', 'sli', 'status', 'total', 'window'].sort());
    assert.equal(slo.name, 'checkout-availability');
    assert.equal(slo.window, '28d');
    assert.equal(slo.status, 'critical');
    assert.equal(slo.sli, slo.good / slo.total);
    assert.ok(Math.abs(slo.budget.remaining - (1 - slo.budget.consumed)) < 1e-12);
    assert.deepEqual(Object.keys(slo.burnRates), ['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    assert.deepEqual(slo.alerts[0], { severity: 'page', long: '1h', short: '5m', threshold: 14.4 });
    assert.match(slo.exhaustionEta, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual(report.services.map((s: any) => s.slos.map((x: any) => x.status)), [['critical'], ['warning'], ['healthy', 'healthy']]);
    for (const key of ['window', 'deployments', 'deploymentsPerWeek', 'leadTimeSeconds', 'changeFailureRate', 'failedDeploymentRecoverySeconds', 'timeToRestoreSeconds', 'reworkRate', 'tiers', 'weekly']) {
      assert.ok(key in report.dora, key);
    }
    assert.equal(report.dora.window, '90d');
    assert.equal(report.dora.deploymentsPerWeek, (report.dora.deployments / 90) * 7);
    const ids = report.incidents.map((i: any) => i.id);
    assert.deepEqual(ids.slice(0, 2), ['INC-7', 'INC-8'], 'open incidents first');
    assert.equal(report.incidents[0].resolvedAt, null);
    assert.deepEqual(report.problems, []);
  });

  it('report prints an aligned table for people', async () => {
    const result = await cli(dir, 'report', '--now', NOW);
    assert.equal(result.code, 0);
    const header = result.stdout.split('\n').find((l) => l.startsWith('SERVICE'))!;
    const row = result.stdout.split('\n').find((l) => l.startsWith('checkout '))!;
    assert.equal(row.indexOf('checkout-availability'), header.indexOf('SLO'));
    assert.match(row, /critical$/);
    assert.ok(!result.stdout.includes('\u001b['), 'no colour when not on a terminal');
  });

  it('check freezes the feature branch touching a critical service with an open SEV2, exit 1', async () => {
    const result = await cli(dir, 'check', '--now', NOW, '--json');
    assert.equal(result.code, 1);
    const verdict = result.json();
    assert.equal(verdict.verdict, 'freeze');
    assert.deepEqual(verdict.services, ['checkout']);
    assert.equal(verdict.base, 'main');
    assert.match(verdict.reasons[0], /^SLO checkout-availability \(checkout\) is critical/);
    assert.match(verdict.reasons[1], /^incident INC-7 \(SEV2, checkout\) is open for 3h: /);
  });

  it('check with --service: go exits 0, caution exits 0 and 1 with --strict', async () => {
    // Accounts is go until its slow-logins release four days ago, a suspect deployment (demoImpact.test.ts).
    const go = await cli(dir, 'check', '--now', '2026-11-15T12:00:00Z', '--service', 'accounts');
    assert.equal(go.code, 0, go.stderr);
    assert.match(go.stdout, /GO/);
    const caution = await cli(dir, 'check', '--now', NOW, '--service', 'search', '--json');
    assert.equal(caution.code, 0);
    assert.equal(caution.json().verdict, 'caution');
    const strict = await cli(dir, 'check', '--now', NOW, '--service', 'search', '--strict');
    assert.equal(strict.code, 1);
  });

  it('check exempts a branch whose every commit names the open incident', async () => {
    execFileSync('git', ['checkout', '-q', '-b', 'fix/inc-7', 'main'], { cwd: dir });
    try {
      fs.appendFileSync(path.join(dir, 'services/checkout/pay.ts'), 'export const CURRENCY_FALLBACK = "EUR";\n');
      gitCommit(dir, 'Fall back to EUR for unknown currencies (INC-7)', '2026-11-20T11:50:00Z');
      const result = await cli(dir, 'check', '--now', NOW, '--json');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.json().verdict, 'go');
      assert.equal(result.json().reasons[0], 'exempt: fixes INC-7');
    } finally {
      execFileSync('git', ['checkout', '-q', facts.branch], { cwd: dir });
    }
  });

  it('incidents QUERY finds by id, title, service and severity', async () => {
    const byTitle = await cli(dir, 'incidents', 'retry', '--now', NOW, '--json');
    assert.deepEqual(byTitle.json().incidents.map((i: any) => i.id), ['INC-5']);
    assert.equal(byTitle.json().incidents[0].deployment, facts.releases['retry-storm']);
    const bySeverity = await cli(dir, 'incidents', 'SEV1', '--now', NOW, '--json');
    assert.deepEqual(bySeverity.json().incidents.map((i: any) => i.id), ['INC-3']);
  });

  it('lens FILE lists recent commits with lines, deployment and incidents', async () => {
    const result = await cli(dir, 'lens', 'services/checkout/pay.ts', '--now', NOW, '--json');
    assert.equal(result.code, 0, result.stderr);
    const lens = result.json();
    assert.equal(lens.file, 'services/checkout/pay.ts');
    const currency = lens.changes.find((c: any) => c.commit === facts.commits['pay-currency']);
    assert.deepEqual(currency.incidents, [{ id: 'INC-7', reason: 'root-cause' }]);
    assert.equal(currency.deployment, facts.releases['multi-currency']);
    assert.equal(currency.lines.length, 1);
    const storm = lens.changes.find((c: any) => c.commit === facts.commits['pay-retry-storm']);
    assert.deepEqual(storm.incidents, [{ id: 'INC-5', reason: 'root-cause' }]);
    assert.deepEqual(storm.lines, [], 'the revert removed every line of the root cause');
    const undeployed = lens.changes[0];
    assert.equal(undeployed.deployment, null);
  });

  it("lens FILE gives each change's signal: its incidents and the SLOs its service's deployment degraded, by `deployments`", async () => {
    const lens = (await cli(dir, 'lens', 'services/checkout/pay.ts', '--now', NOW, '--json')).json();
    const deployments = (await cli(dir, 'deployments', '--now', NOW, '--json')).json().deployments;
    // pay.ts is checkout's (the demo's config.yaml): its changes shipped in checkout's deployments.
    const degradedBy = (name: string | null) =>
      [...new Set(deployments.filter((d: any) => d.name === name && d.service === 'checkout').flatMap((d: any) => d.impact.filter((i: any) => i.verdict === 'degraded').map((i: any) => i.slo)))];
    for (const change of lens.changes) {
      const incidents = change.incidents.map((link: any) => link.id);
      const degradedSlos = degradedBy(change.deployment);
      const expected = incidents.length || degradedSlos.length ? { incidents, degradedSlos } : null;
      assert.deepEqual(change.signal, expected, `${change.subject} shipped by ${change.deployment}`);
    }
    const storm = lens.changes.find((c: any) => c.commit === facts.commits['pay-retry-storm']);
    assert.deepEqual(storm.signal.degradedSlos, ['checkout-availability'], 'the retry storm release degraded checkout');
    assert.ok(lens.changes.some((c: any) => c.signal === null), 'ordinary changes carry none');
    const human = await cli(dir, 'lens', 'services/checkout/pay.ts', '--now', NOW);
    assert.match(human.stdout, new RegExp(`${facts.releases['retry-storm'].replace(/\./g, '\\.')} \\(degraded checkout-availability\\)`));
  });

  it('dora --json prints the DORA block of report', async () => {
    const dora = (await cli(dir, 'dora', '--now', NOW, '--json')).json();
    const report = (await cli(dir, 'report', '--now', NOW, '--json')).json();
    assert.deepEqual(dora, report.dora);
  });

  it('reads --now so a past report ignores later tags and incidents', async () => {
    const earlier = (await cli(dir, 'report', '--now', '2026-11-01T00:00:00Z', '--json')).json();
    assert.ok(!earlier.incidents.some((i: any) => i.id === 'INC-7'));
    const later = (await cli(dir, 'report', '--now', NOW, '--json')).json();
    assert.ok(earlier.dora.deployments <= later.dora.deployments + 5);
    assert.notDeepEqual(earlier.dora.weekly.at(-1), later.dora.weekly.at(-1));
  });
});

describe('reliability-lens CLI: bad input exits 2 with one clear line', function () {
  this.timeout(30_000);
  let empty: string;
  let notGit: string;

  before(() => {
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-empty-'));
    notGit = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-nogit-'));
    fs.mkdirSync(path.join(notGit, '.reliability'));
    fs.writeFileSync(path.join(notGit, '.reliability', 'config.yaml'), 'version: 1\nservices: []\n');
  });
  after(() => {
    fs.rmSync(empty, { recursive: true, force: true });
    fs.rmSync(notGit, { recursive: true, force: true });
  });

  const expectBadInput = async (cwd: string, argv: string[], message: RegExp) => {
    const result = await cli(cwd, ...argv);
    assert.equal(result.code, 2, `${argv.join(' ')}: ${result.stdout}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.split('\n').length, 1, result.stderr);
    assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
  };

  it('no .reliability/ folder', async () => {
    await expectBadInput(empty, ['report'], /No \.reliability\/ folder in .*rl-empty-/);
    await expectBadInput(empty, ['report', '--workspace', empty], /No \.reliability\/ folder/);
  });

  it('a workspace that is not a git repository: the commands that need git history', async () => {
    // report and incidents still answer there (cliWithoutGit.test.ts).
    await expectBadInput(notGit, ['check'], /is not inside a git repository/);
    await expectBadInput(notGit, ['dora'], /is not inside a git repository/);
    await expectBadInput(notGit, ['lens', 'file.ts'], /is not inside a git repository/);
  });

  it('an invalid --now, an unknown command or option', async () => {
    await expectBadInput(notGit, ['report', '--now', 'yesterday'], /invalid --now "yesterday": expected an ISO 8601 time/);
    await expectBadInput(notGit, ['reprot'], /unknown command "reprot"/);
    await expectBadInput(notGit, ['report', '--colour'], /unknown option --colour/);
    await expectBadInput(notGit, ['report', '--strict'], /option --strict does not apply to report/);
    await expectBadInput(notGit, ['report', '--now'], /option --now needs a value/);
  });

  it('a --now that names a date or time that does not exist, rather than rolling it over', async () => {
    for (const now of ['2026-02-30', '2026-02-29T12:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01', '2026-11-20T24:30:00Z', '2026-11-20T12:60:00Z']) {
      await expectBadInput(notGit, ['report', '--now', now], new RegExp(`^reliability-lens: invalid --now "${now}": expected an ISO 8601 time that exists`));
    }
  });

  it('an unknown base ref or service', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-demo-'));
    try {
      await createDemoWorkspace(repo, { now: Date.parse(NOW) });
      await expectBadInput(repo, ['check', '--base', 'no-such-branch', '--now', NOW], /unknown git ref "no-such-branch"/);
      await expectBadInput(repo, ['check', '--service', 'billing', '--now', NOW], /unknown service "billing"; services: checkout, search, accounts/);
      await expectBadInput(repo, ['lens', '/etc/hostname', '--now', NOW], /outside the git repository/);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('--help prints usage and exits 0', async () => {
    const result = await cli(empty, '--help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: reliability-lens <command>/);
    const check = await cli(empty, 'check', '--help');
    assert.match(check.stdout, /--strict/);
  });

  it('the built bin runs and sets its exit code', function () {
    const bin = path.resolve(__dirname, '../../dist/cli.js');
    if (!fs.existsSync(bin)) execFileSync('node', ['esbuild.js'], { cwd: path.resolve(__dirname, '../..') });
    const result = spawnSync('node', [bin, 'report', '--workspace', empty], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^reliability-lens: No \.reliability\/ folder/);
  });
});

describe('reliability-lens check: which base it compares with', function () {
  this.timeout(60_000);
  let repo: GitRepoBuilder;
  const configWith = (extra: string) =>
    `version: 1\nservices:\n  - name: checkout\n    paths: ["services/checkout/**"]\n  - name: search\n    paths: ["services/search/**"]\n${extra}`;
  const setConfig = (extra: string) => repo.write({ '.reliability/config.yaml': configWith(extra) });

  before(() => {
    repo = GitRepoBuilder.create('rl-base-');
    repo.commit({
      at: '2026-11-01T00:00:00Z',
      message: 'init',
      files: { '.reliability/config.yaml': configWith(''), 'services/checkout/a.ts': 'a\n', 'services/search/b.ts': 'b\n' },
    });
    repo.tag('v1.0.0');
    repo.branch('trunk').checkout('trunk');
    repo.commit({ at: '2026-11-02T00:00:00Z', message: 'trunk work', files: { 'services/checkout/a.ts': 'a2\n' } });
    repo.branch('feature').checkout('feature');
    repo.commit({ at: '2026-11-03T00:00:00Z', message: 'feature work', files: { 'services/search/b.ts': 'b2\n' } });
  });
  afterEach(() => setConfig(''));
  after(() => repo.remove());

  it('uses config.yaml defaultBranch when --base is not given', async () => {
    const found = await cli(repo.root, 'check', '--now', NOW, '--json');
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual([found.json().base, found.json().services], ['main', ['checkout', 'search']]);
    setConfig('defaultBranch: trunk\n');
    const configured = await cli(repo.root, 'check', '--now', NOW, '--json');
    assert.equal(configured.code, 0, configured.stderr);
    assert.deepEqual([configured.json().base, configured.json().services], ['trunk', ['search']]);
    const named = await cli(repo.root, 'check', '--base', 'main', '--now', NOW, '--json');
    assert.deepEqual([named.json().base, named.json().services], ['main', ['checkout', 'search']], '--base still wins');
  });

  it('says plainly when config.yaml defaultBranch names no branch', async () => {
    setConfig('defaultBranch: develop\n');
    const result = await cli(repo.root, 'check', '--now', NOW);
    assert.equal(result.code, 2, result.stdout);
    assert.equal(
      result.stderr,
      'reliability-lens: defaultBranch "develop" in .reliability/config.yaml is no branch, tag or commit of this repository (nor origin/develop); correct it, or name the base with --base',
    );
  });

  it('refuses a shallow clone with the shallow-clone message, exit 2, with or without --base', async () => {
    const shallow = repo.shallowClone(1);
    try {
      shallow.git(['fetch', '--quiet', '--depth=1', 'origin', '+refs/heads/main:refs/remotes/origin/main']);
      for (const argv of [['check', '--base', 'origin/main'], ['check'], ['check', '--service', 'search']]) {
        const result = await cli(shallow.root, ...argv, '--now', NOW);
        assert.equal(result.code, 2, `${argv.join(' ')}: ${result.stdout}`);
        assert.match(result.stderr, /^reliability-lens: this is a shallow clone with only 2 commits present; run `git fetch --unshallow` so the change can be compared with its base$/);
      }
    } finally {
      shallow.remove();
    }
  });
});

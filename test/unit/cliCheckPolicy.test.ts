// `reliability-lens check` on generated repositories (issue 10): the policy's exemptions through the
// command line, and the rule that the policy, services, sources and maintenance windows come from the
// base revision, never from the change under review.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkQuery } from '../../src/workspace/engine';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { csvText, openSloSlo, yamlDocuments } from './builders/workspaceBuilders';

const NOW = '2026-11-20T12:00:00Z';

const SERVICES = ['services:', '  - name: checkout', '    paths: ["services/checkout/**"]', '  - name: search', '    paths: ["services/search/**"]'];
const config = (...policy: string[]) => ['version: 1', ...SERVICES, ...(policy.length > 0 ? ['policy:', ...policy] : []), ''].join('\n');

/** An open SEV2 on checkout since 10:00: freezes checkout by default. */
const OPEN_SEV2 = ['- id: INC-9', '  title: Payments time out', '  severity: SEV2', '  service: checkout', '  startedAt: 2026-11-20T10:00:00Z', ''].join('\n');

/** A repository whose main holds `.reliability/` (config and incidents), and a branch `feature` off it. */
function repository(files: Record<string, string>): GitRepoBuilder {
  const repo = GitRepoBuilder.create('rl-policy-');
  repo.commit({
    at: '2026-11-01T00:00:00Z',
    message: 'init',
    files: { 'services/checkout/pay.ts': 'pay\n', 'services/search/find.ts': 'find\n', ...files },
  });
  repo.branch('feature').checkout('feature');
  return repo;
}

describe('reliability-lens check: exemptions on the command line', function () {
  this.timeout(60_000);
  let repo: GitRepoBuilder;
  before(() => {
    repo = repository({ '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2 });
    repo.commit({ at: '2026-11-20T11:00:00Z', message: 'Faster payments', files: { 'services/checkout/pay.ts': 'pay2\n' } });
  });
  after(() => repo.remove());

  it('freezes without an exemption, and lists none', async () => {
    const result = await cli(repo.root, 'check', '--now', NOW, '--json');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.json().verdict, 'freeze');
    assert.deepEqual(result.json().exemptions, []);
  });

  it('--exempt "<reason>" lets the freeze through, saying so first, in JSON and for people', async () => {
    const json = await cli(repo.root, 'check', '--now', NOW, '--json', '--exempt', 'hotfix for INC-9 approved by SRE');
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.json().verdict, 'go');
    assert.equal(json.json().reasons[0], 'exempt (--exempt: "hotfix for INC-9 approved by SRE")');
    assert.match(json.json().reasons[1], /^incident INC-9 \(SEV2, checkout\) is open for 2h: Payments time out \(freezes at SEV2 or worse\)$/);
    assert.deepEqual(json.json().exemptions, [{ source: 'cli', reason: '--exempt: "hotfix for INC-9 approved by SRE"' }]);
    const human = await cli(repo.root, 'check', '--now', NOW, '--exempt', 'hotfix for INC-9 approved by SRE');
    assert.match(human.stdout, /GO .*\n {2}- exempt \(--exempt: "hotfix for INC-9 approved by SRE"\)\n/);
  });

  it('refuses an empty, multi-line or overlong reason, exit 2', async () => {
    for (const [reason, message] of [
      ['  ', /^reliability-lens: --exempt needs a reason/],
      ['approved\nby me', /^reliability-lens: --exempt: the reason must be one line of text without control characters$/],
      ['x'.repeat(301), /^reliability-lens: --exempt: the reason is 301 characters long; at most 300$/],
    ] as const) {
      const result = await cli(repo.root, 'check', '--now', NOW, '--exempt', reason);
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, message);
    }
  });
});

// ---- the base rule ----------------------------------------------------------------------------------

/** checkout-availability over 28 days from data/checkout.csv, 99.9%. */
const CHECKOUT_SLO = yamlDocuments(openSloSlo({ name: 'checkout-availability', service: 'checkout', indicator: { csv: { path: 'data/checkout.csv' } }, objectives: [{ target: 0.999 }] }));
/** One bucket at 11:30 with every event bad: the budget is spent 1000 times over, exhausted (and a page alert). */
const EXHAUSTING_DATA = csvText([['2026-11-20T11:30:00Z', 0, 1000]]);
const COVERING_NOW = ['  maintenance:', '    - { start: 2026-11-20T11:00:00Z, end: 2026-11-20T12:00:00Z }'];

/** A branch `feature` off main whose one commit touches checkout and writes `files` (its `.reliability/` edits). */
function changeOf(repo: GitRepoBuilder, files: Record<string, string>): void {
  repo.commit({ at: '2026-11-20T11:00:00Z', message: 'Faster payments', files: { 'services/checkout/pay.ts': 'pay2\n', ...files } });
}

describe('reliability-lens check: the policy, services and sources come from the base revision', function () {
  this.timeout(60_000);
  const repos: GitRepoBuilder[] = [];
  const made = (files: Record<string, string>) => {
    const repo = repository(files);
    repos.push(repo);
    return repo;
  };
  after(() => repos.forEach((repo) => repo.remove()));

  async function verdictOf(repo: GitRepoBuilder, ...argv: string[]) {
    const result = await cli(repo.root, 'check', '--now', NOW, '--json', ...argv);
    assert.ok([0, 1].includes(result.code), result.stderr);
    return result.json() as { verdict: string; services: string[]; reasons: string[]; base: string };
  }

  const EDIT_REASON = (files: string) =>
    `the change edits .reliability/ (${files}): the verdict reads the policy, services, sources, SLOs and incidents from the base main, not from these edits`;

  it('a maintenance window the change adds over the bad minutes: still the base verdict (freeze), and a caution naming the file', async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/slos/checkout.yaml': CHECKOUT_SLO, '.reliability/data/checkout.csv': EXHAUSTING_DATA });
    changeOf(repo, { '.reliability/config.yaml': config(...COVERING_NOW) });
    const result = await verdictOf(repo);
    assert.equal(result.verdict, 'freeze');
    assert.match(result.reasons[0], /^SLO checkout-availability \(checkout\) is exhausted: SLI 0% against 99\.9%/);
    assert.equal(result.reasons[1], EDIT_REASON('.reliability/config.yaml'));
    // The same window on the base is honoured: the bad bucket leaves the sums, so no data and no freeze.
    const honoured = made({ '.reliability/config.yaml': config(...COVERING_NOW), '.reliability/slos/checkout.yaml': CHECKOUT_SLO, '.reliability/data/checkout.csv': EXHAUSTING_DATA });
    changeOf(honoured, {});
    assert.deepEqual((await verdictOf(honoured)).reasons, ['SLO checkout-availability is no-data (budget remaining 100%)']);
  });

  it('SLI data the change rewrites does not count either', async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/slos/checkout.yaml': CHECKOUT_SLO, '.reliability/data/checkout.csv': EXHAUSTING_DATA });
    changeOf(repo, { '.reliability/data/checkout.csv': csvText([['2026-11-20T11:30:00Z', 1000, 1000]]), '.reliability/slos/checkout.yaml': '' });
    const result = await verdictOf(repo);
    assert.equal(result.verdict, 'freeze');
    assert.equal(result.reasons[1], EDIT_REASON('.reliability/data/checkout.csv, .reliability/slos/checkout.yaml'));
  });

  it('an exemptLabel the change names for itself exempts nothing; the base one does (engine labels option)', async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2 });
    changeOf(repo, { '.reliability/config.yaml': config('  exemptLabel: bug') });
    const options = { now: Date.parse(NOW), allowRemote: false };
    const own = await checkQuery(repo.root, { labels: ['bug'] }, options);
    assert.equal(own.verdict, 'freeze');
    assert.deepEqual(own.reasons, [
      'incident INC-9 (SEV2, checkout) is open for 2h: Payments time out (freezes at SEV2 or worse)',
      EDIT_REASON('.reliability/config.yaml'),
    ]);
    const base = await checkQuery(repo.root, { labels: ['reliability-exempt'] }, options);
    assert.equal(base.verdict, 'go');
    assert.equal(base.reasons[0], 'exempt (label reliability-exempt set on the pull request)');
  });

  it("a change that removes its service's paths is still judged as touching it", async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2 });
    const unowned = config().replace('services/checkout/**', 'nothing/**');
    changeOf(repo, { '.reliability/config.yaml': unowned });
    const result = await verdictOf(repo);
    assert.deepEqual([result.verdict, result.services], ['freeze', ['checkout']]);
    assert.equal(result.reasons[1], EDIT_REASON('.reliability/config.yaml'));
  });

  it('a change that lowers freezeSeverity, or resolves the incident in the ledger, still freezes', async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2 });
    changeOf(repo, { '.reliability/config.yaml': config('  freezeSeverity: SEV1'), '.reliability/incidents.yaml': `${OPEN_SEV2}  resolvedAt: 2026-11-20T10:30:00Z\n` });
    const result = await verdictOf(repo);
    assert.equal(result.verdict, 'freeze');
    assert.deepEqual(result.reasons, [
      'incident INC-9 (SEV2, checkout) is open for 2h: Payments time out (freezes at SEV2 or worse)',
      EDIT_REASON('.reliability/config.yaml, .reliability/incidents.yaml'),
    ]);
  });

  it('with --service too, and a stricter base policy applies to a change that relaxes it', async () => {
    const repo = made({ '.reliability/config.yaml': config('  freezeOn: [{openIncident: SEV3}]'), '.reliability/incidents.yaml': OPEN_SEV2.replace('SEV2', 'SEV3') });
    changeOf(repo, { '.reliability/config.yaml': config() });
    const result = await verdictOf(repo, '--service', 'checkout');
    assert.equal(result.verdict, 'freeze');
    assert.equal(result.reasons[0], 'incident INC-9 (SEV3, checkout) is open for 2h: Payments time out (freezes at SEV3 or worse)');
  });

  it('a change that edits nothing under .reliability/ gets no caution for it', async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2 });
    changeOf(repo, { 'services/search/find.ts': 'find2\n' });
    const result = await verdictOf(repo);
    assert.deepEqual(result.reasons, ['incident INC-9 (SEV2, checkout) is open for 2h: Payments time out (freezes at SEV2 or worse)']);
  });

  it('first adoption: a base without .reliability/ is said, and the working tree judges with a caution', async () => {
    const repo = made({});
    changeOf(repo, { '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2.replace('SEV2', 'SEV3') });
    const result = await verdictOf(repo);
    assert.equal(result.verdict, 'caution');
    assert.deepEqual(result.reasons, [
      'the base main has no .reliability/ (first adoption): the policy, services and sources were read from the working tree, which this change sets itself',
      'incident INC-9 (SEV3, checkout) is open for 2h: Payments time out',
    ]);
  });

  it('reads the base folder at the workspace’s place in the repository, and never follows a link the base holds', async () => {
    const repo = GitRepoBuilder.create('rl-policy-sub-');
    repos.push(repo);
    repo.commit({
      at: '2026-11-01T00:00:00Z',
      message: 'init',
      files: { 'app/.reliability/config.yaml': config(), 'app/.reliability/incidents.yaml': OPEN_SEV2, 'app/services/checkout/pay.ts': 'pay\n', '.reliability/config.yaml': 'version: 1\n' },
    });
    fs.symlinkSync('/etc/hostname', path.join(repo.root, 'app/.reliability/slos.yaml'));
    repo.git(['add', 'app/.reliability/slos.yaml']);
    repo.commit({ at: '2026-11-02T00:00:00Z', message: 'a link' });
    repo.branch('feature').checkout('feature');
    repo.commit({ at: '2026-11-20T11:00:00Z', message: 'Faster payments', files: { 'app/services/checkout/pay.ts': 'pay2\n', 'app/.reliability/config.yaml': config('  freezeSeverity: SEV1') } });
    const result = await cli(path.join(repo.root, 'app'), 'check', '--now', NOW, '--json');
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(result.json().reasons, [
      'incident INC-9 (SEV2, checkout) is open for 2h: Payments time out (freezes at SEV2 or worse)',
      EDIT_REASON('.reliability/config.yaml'),
      "the base main's .reliability/ holds entries that are not regular files (.reliability/slos.yaml): they were not read",
    ]);
  });

  it('leaves no copy of the base folder behind', async () => {
    const repo = made({ '.reliability/config.yaml': config(), '.reliability/incidents.yaml': OPEN_SEV2 });
    changeOf(repo, {});
    // A temporary folder of this test's own (os.tmpdir() reads TMPDIR at each call): a check that another
    // test left running in this process may copy and remove its own base meanwhile, in the shared one.
    const ownTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'base-copy-test-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = ownTemp;
    try {
      await verdictOf(repo);
      await cli(repo.root, 'check', '--now', NOW, '--service', 'nothing');
      assert.deepEqual(fs.readdirSync(ownTemp), []);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      fs.rmSync(ownTemp, { recursive: true, force: true });
    }
  });
});

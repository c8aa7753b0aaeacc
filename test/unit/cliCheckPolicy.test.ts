// `reliability-lens check` on generated repositories (issue 10): the policy's exemptions through the
// command line, and the rule that the policy, services, sources and maintenance windows come from the
// base revision, never from the change under review.
import { strict as assert } from 'node:assert';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';

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

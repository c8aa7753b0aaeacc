// Deployment impact through the engine and the CLI in file mode: the SLI data pass sums the events
// around the deployments it is told about, `deployments` lists them with their impact, and `check`
// cautions about a suspect deployment of a service the change touches (DOMAIN.md sections 4 to 6).
// The rows are 10-minute rows of 1,000 events (2 bad, burn 0.2 at objective 0.99) over two days up
// to NOW, with one bad hour of 50 bad a row right after v2; each number is worked out next to it.
import { strict as assert } from 'node:assert';
import { stringify } from 'yaml';
import { loadSnapshot } from '../../src/workspace/engine';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { csvText, openSloSlo, yamlDocuments } from './builders/workspaceBuilders';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const V1 = NOW - 30 * HOUR;
const V2 = NOW - 20 * HOUR;
const V3 = NOW - 10 * HOUR;

function rows(bad: (end: number) => number): Array<[string, number, number]> {
  const out: Array<[string, number, number]> = [];
  for (let end = NOW - 2 * DAY + 10 * MINUTE; end <= NOW; end += 10 * MINUTE) out.push([iso(end), 1000 - bad(end), 1000]);
  return out;
}

/** A repository with checkout and search, tags v1..v3 deploying both, and the SLI data; `incidents` as YAML entries. */
function buildRepository(incidents: object[]): GitRepoBuilder {
  const repo = GitRepoBuilder.create('lens-impact-');
  const slo = (name: string, service: string) =>
    openSloSlo({ name, service, objectives: [{ target: 0.99 }], indicator: { csv: { path: `data/${name}.csv`, goodColumn: 'good', totalColumn: 'total' } } });
  repo.commit({
    at: iso(NOW - 40 * HOUR),
    message: 'Add the services and the reliability folder',
    files: {
      'services/checkout/pay.ts': 'export {};\n',
      'services/search/query.ts': 'export {};\n',
      '.reliability/config.yaml': stringify({
        version: 1,
        services: [
          { name: 'checkout', paths: ['services/checkout/**'] },
          { name: 'search', paths: ['services/search/**'] },
        ],
        defaultBranch: 'main',
      }),
      '.reliability/slos/slos.yaml': yamlDocuments(slo('checkout-availability', 'checkout'), slo('search-availability', 'search')),
      '.reliability/incidents.yaml': stringify({ incidents }),
      '.reliability/data/checkout-availability.csv': csvText(rows((end) => (end > V2 && end <= V2 + HOUR ? 50 : 2))),
      '.reliability/data/search-availability.csv': csvText(rows(() => 2)),
    },
  });
  repo.tag('v1', { annotatedAt: iso(V1) });
  repo.commit({ at: iso(V2 - HOUR), message: 'Pay in one step', files: { 'services/checkout/pay.ts': 'export const oneStep = true;\n' } });
  repo.tag('v2', { annotatedAt: iso(V2) });
  repo.commit({ at: iso(V3 - HOUR), message: 'Faster queries', files: { 'services/search/query.ts': 'export const fast = true;\n' } });
  repo.tag('v3', { annotatedAt: iso(V3) });
  repo.branch('feature').checkout('feature');
  repo.commit({ at: iso(NOW - HOUR), message: 'Retry payments', files: { 'services/checkout/pay.ts': 'export const retry = true;\n' } });
  return repo;
}

describe('deployment impact in a workspace (file mode)', function () {
  this.timeout(60_000);
  const repositories: GitRepoBuilder[] = [];
  after(() => repositories.forEach((repo) => repo.remove()));
  const repository = (incidents: object[]) => {
    const repo = buildRepository(incidents);
    repositories.push(repo);
    return repo.root;
  };

  it('deployments --json lists each deployment once per service, newest first, with its impact', async () => {
    const root = repository([]);
    const result = await cli(root, 'deployments', '--now', iso(NOW), '--json');
    assert.equal(result.code, 0, result.stderr);
    const { deployments } = result.json();
    assert.deepEqual(deployments.map((entry: any) => `${entry.name}/${entry.service}`), ['v3/checkout', 'v3/search', 'v2/checkout', 'v2/search', 'v1/checkout', 'v1/search']);
    const v2 = deployments[2];
    assert.equal(v2.time, iso(V2));
    // before: (V2 - 6h, V2], 36 rows of 2 bad = 72 / 36,000, burn 0.2. First hour: 300 / 6,000 = burn 5.
    // After-window (V2, V2 + 6h] (v3 comes 10 h later): 300 + 30 rows of 2 = 360 / 36,000, burn 1.
    // Budget: 360 bad of a * total(W) = 0.01 * 288 rows * 1,000 = 2,880 allowed: 0.125.
    assert.equal(v2.impact.length, 1);
    const impact = v2.impact[0];
    assert.equal(impact.slo, 'checkout-availability');
    assert.ok(Math.abs(impact.before - 0.2) < 1e-12, `${impact.before}`);
    assert.ok(Math.abs(impact.after1h - 5) < 1e-12, `${impact.after1h}`);
    assert.ok(Math.abs(impact.after - 1) < 1e-12, `${impact.after}`);
    assert.ok(Math.abs(impact.budgetSpent - 0.125) < 1e-12, `${impact.budgetSpent}`);
    assert.equal(impact.verdict, 'degraded');
    assert.equal(v2.suspect, true);
    assert.deepEqual(v2.incidents, []);
    // v3's after-window (V3, V3 + 6h]: 36 rows of 2 = burn 0.2, 72 / 2,880 of the budget.
    const v3 = deployments[0].impact[0];
    for (const key of ['before', 'after1h', 'after'] as const) assert.ok(Math.abs(v3[key] - 0.2) < 1e-12, `v3 ${key}: ${v3[key]}`);
    assert.ok(Math.abs(v3.budgetSpent - 72 / 2880) < 1e-12, `${v3.budgetSpent}`);
    assert.equal(v3.verdict, 'ok');
    assert.equal(deployments[3].verdict, 'ok', 'search was not hurt by v2');
    assert.equal(deployments[3].suspect, false);

    const human = await cli(root, 'deployments', '--now', iso(NOW));
    assert.equal(human.code, 0, human.stderr);
    const row = human.stdout.split('\n').find((line) => line.startsWith('v2 ') && line.includes('checkout-availability'))!;
    assert.match(row, /0\.20×\s+5\.00×\s+1\.00×\s+12\.5%\s+degraded \(suspect\)/);
  });

  it('looks back: --now before v2 sees neither v2 nor v3', async () => {
    const root = repository([]);
    const { deployments } = (await cli(root, 'deployments', '--now', iso(V2 - MINUTE), '--json')).json();
    assert.deepEqual(deployments.map((entry: any) => entry.name), ['v1', 'v1']);
    // v1's after-window is whole by then: (V1, V1 + 6h].
    assert.equal(deployments[0].afterWindowEnd, iso(V1 + 6 * HOUR));
  });

  it('check cautions about a suspect deployment of a touched service, naming its numbers', async () => {
    const root = repository([]);
    const result = await cli(root, 'check', '--now', iso(NOW), '--json');
    assert.equal(result.code, 0, result.stderr);
    const verdict = result.json();
    assert.equal(verdict.verdict, 'caution');
    assert.deepEqual(verdict.services, ['checkout']);
    assert.deepEqual(verdict.reasons, [
      'suspect deployment v2 (checkout, 20 hours ago) degraded with no incident linked: burned 12.5% of checkout-availability in 6h, 5.00× vs 0.20× before',
    ]);
    // A change to search alone is not cautioned by checkout's deployment.
    const search = await cli(root, 'check', '--now', iso(NOW), '--service', 'search', '--json');
    assert.equal(search.json().verdict, 'go');
    // Eight days later the suspect is out of the week the check looks at.
    const later = await cli(root, 'check', '--now', iso(V2 + 7 * DAY + MINUTE), '--json');
    assert.ok(!later.json().reasons.some((reason: string) => reason.startsWith('suspect deployment')), later.stdout);
  });

  it('a deployment with an incident linked to it is no suspect, in deployments and in check', async () => {
    // No root-cause commits: linked to the latest checkout deployment at or before its start, v2.
    const root = repository([{ id: 'INC-1', title: 'Payments fail', severity: 'SEV3', service: 'checkout', startedAt: iso(V2 + 30 * MINUTE), resolvedAt: iso(V2 + HOUR) }]);
    const { deployments } = (await cli(root, 'deployments', '--now', iso(NOW), '--json')).json();
    const v2 = deployments.find((entry: any) => entry.name === 'v2' && entry.service === 'checkout');
    assert.equal(v2.verdict, 'degraded');
    assert.deepEqual(v2.incidents, ['INC-1']);
    assert.equal(v2.suspect, false);
    const check = (await cli(root, 'check', '--now', iso(NOW), '--json')).json();
    assert.equal(check.verdict, 'go', check.reasons.join('\n'));
  });

  it('looking back to before the incident was declared, the deployment is a suspect and fails nothing yet', async () => {
    const root = repository([{ id: 'INC-1', title: 'Payments fail', severity: 'SEV3', service: 'checkout', startedAt: iso(V2 + 30 * MINUTE), resolvedAt: iso(V2 + HOUR) }]);
    // Twenty minutes in: A = (V2, V2 + 20m], two rows of 50 bad: 100 / 2,000 / 0.01 = burn 5, 100 bad events.
    const snapshot = await loadSnapshot(root, { now: V2 + 20 * MINUTE, allowRemote: false });
    assert.deepEqual(snapshot.deployments.find((deployment) => deployment.name === 'v2')!.incidents, []);
    const v2 = snapshot.deploymentImpacts!.find((entry) => entry.deployment === 'v2' && entry.service === 'checkout')!;
    assert.equal(v2.afterEnd, V2 + 20 * MINUTE);
    assert.ok(Math.abs(v2.impact[0].after - 5) < 1e-12, `${v2.impact[0].after}`);
    assert.equal(v2.verdict, 'degraded');
    assert.equal(v2.suspect, true);
    // Once INC-1 exists it is linked to v2, which then failed.
    const later = await loadSnapshot(root, { now: V2 + HOUR, allowRemote: false });
    assert.deepEqual(later.deployments.find((deployment) => deployment.name === 'v2')!.incidents, ['INC-1']);
    assert.equal(later.deploymentImpacts!.find((entry) => entry.deployment === 'v2' && entry.service === 'checkout')!.suspect, false);
  });

  it('the merge check reads delivery history only when a deployment of its week degraded', async () => {
    const root = repository([]);
    const quiet = await loadSnapshot(root, { now: V2 - MINUTE, allowRemote: false, deliveryQuestion: 'suspects', dora: 'none', deploymentList: false });
    assert.equal(quiet.delivery, null);
    assert.equal(quiet.sources.find((source) => source.name === 'git')!.message, 'delivery history not read for this question');
    assert.deepEqual(quiet.deploymentImpacts!.map((entry) => [entry.deployment, entry.verdict]), [['v1', 'ok'], ['v1', 'ok']]);
    const burning = await loadSnapshot(root, { now: NOW, allowRemote: false, deliveryQuestion: 'suspects', dora: 'none', deploymentList: false });
    assert.notEqual(burning.delivery, null);
    assert.match(burning.sources.find((source) => source.name === 'git')!.message!, /3 deployments; the 3 since/);
  });

  it('the editor snapshot carries the impact of the DORA window once delivery is in', async () => {
    const root = repository([]);
    const stages: Array<boolean> = [];
    const snapshot = await loadSnapshot(root, { now: NOW, allowRemote: false, onEarlySnapshot: (early) => stages.push(early.deploymentImpacts === undefined) });
    assert.ok(stages.every(Boolean), 'no impact without the links that decide suspects');
    assert.deepEqual(
      snapshot.deploymentImpacts!.filter((entry) => entry.suspect).map((entry) => `${entry.deployment}/${entry.service}`),
      ['v2/checkout'],
    );
  });
});

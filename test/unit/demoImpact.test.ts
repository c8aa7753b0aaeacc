// The demo's story of deployment impact (DOMAIN.md section 6), whatever the weekday: the release that
// shipped the retry change is degraded and linked to INC-5, the release before the slow logins is the
// one suspect, and no other deployment is degraded. The expected numbers are computed here from the
// demo's CSV rows by the rule as DOMAIN.md words it, not taken from the engine.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BAD_DAY, createDemoWorkspace, SCRIPTED_RELEASES, type DemoWorkspaceFacts } from '../fixtures/demoWorkspace';
import { cli } from './builders/cliRunner';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Row {
  time: number;
  good: number;
  total: number;
}

function readRows(workspace: string, file: string): Row[] {
  const text = fs.readFileSync(path.join(workspace, '.reliability', 'data', file), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [time, good, total] = line.split(',');
      return { time: Date.parse(time), good: Number(good), total: Number(total) };
    });
}

/** good and total of the rows with start < timestamp <= end (DOMAIN.md section 2's window rule). */
function sums(rows: readonly Row[], start: number, end: number): { good: number; total: number } {
  let good = 0;
  let total = 0;
  for (const row of rows) {
    if (row.time > start && row.time <= end) {
      good += row.good;
      total += row.total;
    }
  }
  return { good, total };
}

const errorRatio = (counts: { good: number; total: number }) => (counts.total === 0 ? 0 : 1 - counts.good / counts.total);

/** Section 6 for a deployment at `t` whose after-window is whole, (t, t + 6h], by the words of the rule. */
function expectedImpact(rows: readonly Row[], t: number, objective: number, budget: { windowStart: number; now: number } | null) {
  const a = 1 - objective;
  const before = errorRatio(sums(rows, t - 6 * HOUR, t)) / a;
  const firstHour = sums(rows, t, t + HOUR);
  const afterWindow = sums(rows, t, t + 6 * HOUR);
  const after1h = errorRatio(firstHour) / a;
  const after = errorRatio(afterWindow) / a;
  const threshold = 2 * Math.max(before, 1);
  const degrades = (counts: { good: number; total: number }) => errorRatio(counts) / a >= threshold && counts.total - counts.good >= 10;
  const budgetSpent =
    budget === null ? null : (() => {
      const inWindow = sums(rows, Math.max(t, budget.windowStart), t + 6 * HOUR);
      return (inWindow.total - inWindow.good) / (a * sums(rows, budget.windowStart, budget.now).total);
    })();
  return { before, after1h, after, budgetSpent, verdict: degrades(firstHour) || degrades(afterWindow) ? 'degraded' : 'ok' };
}

function assertNumbersClose(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'number') assert.ok(Math.abs((actual[key] as number) - value) <= 1e-12 * Math.max(1, Math.abs(value)), `${key}: ${actual[key]} is not ${value}`);
    else assert.equal(actual[key], value, key);
  }
}

// Three evaluation times on different weekdays and hours, so releases and episodes fall differently.
for (const now of ['2026-11-20T12:00:00.000Z', '2026-11-23T03:17:00.000Z', '2026-11-29T22:41:00.000Z']) {
  describe(`the demo's deployment impact at ${now}`, function () {
    this.timeout(60_000);
    let dir: string;
    let facts: DemoWorkspaceFacts;
    const nowMs = Math.floor(Date.parse(now) / MINUTE) * MINUTE;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-demo-impact-'));
      facts = await createDemoWorkspace(dir, { now: nowMs });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('flags the retry-storm release degraded on checkout, linked to INC-5, and the slow-logins release as the one suspect', async () => {
      const result = await cli(dir, 'deployments', '--now', now, '--json');
      assert.equal(result.code, 0, result.stderr);
      const deployments: any[] = result.json().deployments;
      const degraded = deployments.filter((entry) => entry.verdict === 'degraded').map((entry) => `${entry.name}/${entry.service}`);
      assert.deepEqual(degraded, [`${facts.releases['slow-logins']}/accounts`, `${facts.releases['retry-storm']}/checkout`]);
      assert.deepEqual(deployments.filter((entry) => entry.suspect).map((entry) => `${entry.name}/${entry.service}`), [`${facts.releases['slow-logins']}/accounts`]);

      const storm = deployments.find((entry) => entry.name === facts.releases['retry-storm'] && entry.service === 'checkout');
      const stormTime = nowMs - SCRIPTED_RELEASES['retry-storm'];
      assert.equal(storm.time, new Date(stormTime).toISOString());
      assert.equal(storm.afterWindowEnd, new Date(stormTime + 6 * HOUR).toISOString(), 'no release cuts its after-window');
      assert.deepEqual(storm.incidents, ['INC-5']);
      assert.equal(storm.suspect, false);
      const checkoutRows = readRows(dir, 'checkout-availability.csv');
      const { slo, ...numbers } = storm.impact[0];
      assert.equal(slo, 'checkout-availability');
      assertNumbersClose(numbers, expectedImpact(checkoutRows, stormTime, 0.999, { windowStart: nowMs - 28 * DAY, now: nowMs }));

      const logins = deployments.find((entry) => entry.name === facts.releases['slow-logins'] && entry.service === 'accounts');
      const loginsTime = nowMs - SCRIPTED_RELEASES['slow-logins'];
      assert.deepEqual(logins.incidents, []);
      const latency = logins.impact.find((entry: any) => entry.slo === 'accounts-latency');
      const { slo: latencySlo, ...latencyNumbers } = latency;
      assert.equal(latencySlo, 'accounts-latency');
      // Timeslices budgeting: no budget share (DOMAIN.md section 6).
      assertNumbersClose(latencyNumbers, expectedImpact(readRows(dir, 'accounts-latency.csv'), loginsTime, 0.99, null));
    });

    it('looking back into the bad hours, before INC-5 was declared, the retry-storm release is the suspect', async () => {
      const suspectMoment = nowMs - BAD_DAY.retryStormSuspect;
      const result = await cli(dir, 'deployments', '--now', new Date(suspectMoment).toISOString(), '--json');
      assert.equal(result.code, 0, result.stderr);
      const deployments: any[] = result.json().deployments;
      assert.deepEqual(deployments.filter((entry) => entry.suspect).map((entry) => `${entry.name}/${entry.service}`), [`${facts.releases['retry-storm']}/checkout`]);
      const storm = deployments.find((entry) => entry.suspect);
      const stormTime = nowMs - SCRIPTED_RELEASES['retry-storm'];
      // The after-window is cut at the moment looked back to: (release, moment], 90 minutes.
      assert.equal(storm.afterWindowEnd, new Date(suspectMoment).toISOString());
      const rows = readRows(dir, 'checkout-availability.csv');
      const a = 1 - 0.999;
      const before = errorRatio(sums(rows, stormTime - 6 * HOUR, stormTime)) / a;
      const after1h = errorRatio(sums(rows, stormTime, stormTime + HOUR)) / a;
      const after = errorRatio(sums(rows, stormTime, suspectMoment)) / a;
      const inWindow = sums(rows, stormTime, suspectMoment);
      const budgetSpent = (inWindow.total - inWindow.good) / (a * sums(rows, suspectMoment - 28 * DAY, suspectMoment).total);
      assertNumbersClose(storm.impact[0], { slo: 'checkout-availability', before, after1h, after, budgetSpent, verdict: 'degraded' });
      assert.deepEqual(storm.incidents, [], 'INC-5 is declared twenty minutes later');
    });

    it('check on accounts cautions about the suspect release, and the feature branch still freezes on checkout', async () => {
      const accounts = (await cli(dir, 'check', '--now', now, '--service', 'accounts', '--json')).json();
      assert.equal(accounts.verdict, 'caution');
      assert.equal(accounts.reasons.length, 1);
      assert.match(accounts.reasons[0], new RegExp(`^suspect deployment ${facts.releases['slow-logins'].replace(/\./g, '\\.')} \\(accounts, 4 days ago\\) degraded with no incident linked: burned accounts-latency at `));
      const branch = (await cli(dir, 'check', '--now', now, '--json')).json();
      assert.equal(branch.verdict, 'freeze');
    });
  });
}

// Deployment impact (DOMAIN.md section 6) from one pass over the samples, as file mode reads it. Every
// expectation is worked out by hand next to it. The samples are 10-minute rows of 1,000 events; the
// SLOs have objective 0.99, so a = 0.01 and a row with 2 bad events burns at 0.2, one with 50 at 5.
import { strict as assert } from 'node:assert';
import { countsFromIntervals, deploymentImpacts, impactBoundaries, impactSloOfReport, impactSpans, type DeploymentImpact } from '../../src/core/deploymentImpact';
import { maintenanceSpans } from '../../src/core/maintenance';
import type { Deployment, Incident, MaintenanceWindow, SloDefinition } from '../../src/core/model';
import { evaluateSlo } from '../../src/core/slo';
import { SloCountsAccumulator, sloWindowRange } from '../../src/core/sloCounts';
import { at, DAY, HOUR, MINUTE, policy, rollingSlo } from './builders/sloBuilders';
import { incident } from './builders/reportBuilders';

const T = at('2026-03-20T06:00:00Z');
const STEP = 10 * MINUTE;
const checkoutSlo = rollingSlo({ objective: 0.99, window: '28d' });

/** Rows ending at from + STEP, ..., to; `bad(end)` says how many of each row's 1,000 events failed. */
function rows(from: number, to: number, bad: (end: number) => number, total = 1000): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let end = from + STEP; end <= to; end += STEP) out.push([end, total - bad(end), total]);
  return out;
}

/** 2 bad events a row, except 50 in the bad hour (T, T + 1h]. */
const badHourAfterT = (end: number) => (end > T && end <= T + HOUR ? 50 : 2);

function deployment(name: string, time: number, services: string[] = ['checkout']): Deployment {
  return { name, commit: 'c'.repeat(40), time, services, source: 'git-tags' };
}

interface Scenario {
  slos?: Array<{ def: SloDefinition; samples: Array<[number, number, number]> }>;
  deployments: Deployment[];
  now: number;
  since?: number;
  maintenance?: MaintenanceWindow[];
  incidents?: Incident[];
  links?: Map<string, string | null>;
}

/** Gathers each SLO's counts in one pass with the boundaries the deployments need, then assesses them. */
function assess(scenario: Scenario): DeploymentImpact[] {
  const since = scenario.since ?? scenario.now - 90 * DAY;
  const slos = (scenario.slos ?? []).map(({ def, samples }) => {
    const windowStart = sloWindowRange(def, scenario.now).start;
    const times = impactBoundaries(scenario.deployments, def.service, since, scenario.now, windowStart);
    const accumulator = new SloCountsAccumulator(def, scenario.now, maintenanceSpans(scenario.maintenance, def.service), times);
    for (const [timestamp, good, total] of samples) accumulator.add(timestamp, good, total);
    const counts = accumulator.result();
    return impactSloOfReport({ ...evaluateSlo(def, counts, scenario.now, policy()), counts });
  });
  return deploymentImpacts({
    deployments: scenario.deployments,
    since,
    now: scenario.now,
    slos,
    incidents: scenario.incidents ?? [],
    links: scenario.links ?? new Map(),
  });
}

function assertClose(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} is not ${expected}`);
}

describe('deployment impact (DOMAIN.md section 6)', () => {
  it('flags a deployment right before a bad hour as degraded, and a suspect until an incident is linked to it', () => {
    // Rows over (T - 24h, T + 12h] (216 rows), the bad hour just after the deployment at T.
    const scenario: Scenario = { slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) }], deployments: [deployment('v1', T)], now: T + 12 * HOUR };
    const [entry] = assess(scenario);
    assert.equal(entry.deployment, 'v1');
    assert.equal(entry.service, 'checkout');
    assert.equal(entry.afterEnd, T + 6 * HOUR, 'no next deployment: six hours');
    const [impact] = entry.impact;
    // before: (T - 6h, T], 36 rows of 2 bad: 72 / 36,000 = 0.002, burn 0.2.
    assertClose(impact.before, 0.2, 'before');
    // first hour: 6 rows of 50 bad: 300 / 6,000 = 0.05, burn 5.
    assertClose(impact.after1h, 5, 'after1h');
    // after-window (T, T + 6h]: 300 + 30 rows of 2 = 360 / 36,000 = 0.01, burn 1.
    assertClose(impact.after, 1, 'after');
    // 360 bad over a * total(W) = 0.01 * 216,000 = 2,160: a sixth of the budget.
    assertClose(impact.budgetSpent, 360 / 2160, 'budgetSpent');
    // The first hour burns 5 >= 2 * max(0.2, 1) = 2 with 300 >= 10 bad events.
    assert.equal(impact.verdict, 'degraded');
    assert.equal(entry.verdict, 'degraded');
    assert.deepEqual(entry.incidents, []);
    assert.equal(entry.suspect, true);

    // An incident linked to it makes it a failed deployment, not a suspect.
    const linked = assess({ ...scenario, incidents: [incident({ id: 'INC-1', service: 'checkout', startedAt: T + 30 * MINUTE })], links: new Map([['INC-1', 'v1']]) });
    assert.deepEqual(linked[0].incidents, ['INC-1']);
    assert.equal(linked[0].suspect, false);
    // An incident that starts after `now` does not exist yet, whatever it is linked to.
    const later = assess({ ...scenario, incidents: [incident({ id: 'INC-2', service: 'checkout', startedAt: T + 13 * HOUR })], links: new Map([['INC-2', 'v1']]) });
    assert.equal(later[0].suspect, true);
  });

  it('cuts the after-window at the next deployment: two deployments an hour apart', () => {
    const [second, first] = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) }],
      deployments: [deployment('v1', T), deployment('v2', T + HOUR)],
      now: T + 12 * HOUR,
    });
    assert.deepEqual([second.deployment, first.deployment], ['v2', 'v1'], 'newest first');
    // v1: A = (T, T + 1h], all of it the bad hour: 300 / 6,000, burn 5 in the first hour and over A.
    assert.equal(first.afterEnd, T + HOUR);
    assertClose(first.impact[0].after1h, 5, 'v1 after1h');
    assertClose(first.impact[0].after, 5, 'v1 after');
    assertClose(first.impact[0].budgetSpent, 300 / 2160, 'v1 budgetSpent');
    assert.equal(first.verdict, 'degraded');
    // v2: before (T - 5h, T + 1h] = 30 rows of 2 + the bad hour's 300 = 360 / 36,000, burn 1;
    // A = (T + 1h, T + 7h], 36 rows of 2: burn 0.2, 72 bad of the 2,160 allowed.
    assertClose(second.impact[0].before, 1, 'v2 before');
    assertClose(second.impact[0].after1h, 0.2, 'v2 after1h');
    assertClose(second.impact[0].after, 0.2, 'v2 after');
    assertClose(second.impact[0].budgetSpent, 72 / 2160, 'v2 budgetSpent');
    assert.equal(second.verdict, 'ok');
    assert.equal(second.suspect, false);
  });

  it('says no-data for a deployment with no events after it', () => {
    // Rows stop at T; the evaluation is three hours later.
    const [entry] = assess({ slos: [{ def: checkoutSlo, samples: rows(T - DAY, T, () => 2) }], deployments: [deployment('v1', T)], now: T + 3 * HOUR });
    assert.equal(entry.afterEnd, T + 3 * HOUR, 'cut at now');
    assert.deepEqual(entry.impact[0], { slo: 'checkout-availability', before: 0.2, after1h: 0, after: 0, budgetSpent: 0, verdict: 'no-data' });
    assert.equal(entry.verdict, 'no-data');
    assert.equal(entry.suspect, false);
  });

  it('says no-data for a deployment at the evaluation time: its after-window is empty', () => {
    const [entry] = assess({ slos: [{ def: checkoutSlo, samples: rows(T - DAY, T, () => 2) }], deployments: [deployment('v1', T)], now: T });
    assert.equal(entry.afterEnd, T);
    assert.deepEqual(entry.impact[0], { slo: 'checkout-availability', before: 0.2, after1h: 0, after: 0, budgetSpent: 0, verdict: 'no-data' });
  });

  it('leaves maintenance out: an after-window wholly in maintenance is no-data', () => {
    const [entry] = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) }],
      deployments: [deployment('v1', T)],
      now: T + 12 * HOUR,
      maintenance: [{ start: T, end: T + 6 * HOUR, services: ['checkout'] }],
    });
    // before is outside the maintenance: 0.2 as ever; nothing of A is counted, the bad hour included.
    assert.deepEqual(entry.impact[0], { slo: 'checkout-availability', before: 0.2, after1h: 0, after: 0, budgetSpent: 0, verdict: 'no-data' });
    // Maintenance of another service changes nothing.
    const [other] = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) }],
      deployments: [deployment('v1', T)],
      now: T + 12 * HOUR,
      maintenance: [{ start: T, end: T + 6 * HOUR, services: ['search'] }],
    });
    assert.equal(other.verdict, 'degraded');
  });

  it('needs 10 bad events: a burning first hour of a quiet service is ok', () => {
    // Rows of 10 events; the first hour's 6 rows have 1 bad each: burn 6 / 60 / 0.01 = 10, but 6 bad events.
    // Over A: 6 / 360 / 0.01 = 1.67 < 2.
    const [entry] = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, (end) => (end > T && end <= T + HOUR ? 1 : 0), 10) }],
      deployments: [deployment('v1', T)],
      now: T + 12 * HOUR,
    });
    assertClose(entry.impact[0].after1h, 10, 'after1h');
    assertClose(entry.impact[0].after, 6 / 360 / 0.01, 'after');
    assert.equal(entry.verdict, 'ok');
  });

  it('compares with twice the burn before, when it was above 1', () => {
    // 30 bad a row before and after the bad hour: before burns 3, so degrading needs 6. The first hour
    // burns 5, A burns (300 + 30 * 30) / 36,000 / 0.01 = 3.33.
    const [entry] = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, (end) => (end > T && end <= T + HOUR ? 50 : 30)) }],
      deployments: [deployment('v1', T)],
      now: T + 12 * HOUR,
    });
    assertClose(entry.impact[0].before, 3, 'before');
    assertClose(entry.impact[0].after, 1200 / 36000 / 0.01, 'after');
    assert.equal(entry.verdict, 'ok');
  });

  it('gives deployments of a service at the same instant one after-window', () => {
    const impacts = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) }],
      deployments: [deployment('checkout-1', T), deployment('v1', T, ['checkout']), deployment('v2', T + 2 * HOUR)],
      now: T + 12 * HOUR,
    });
    assert.deepEqual(impacts.map((entry) => [entry.deployment, entry.afterEnd]), [
      ['v2', T + 8 * HOUR],
      ['v1', T + 2 * HOUR],
      ['checkout-1', T + 2 * HOUR],
    ]);
    // A = (T, T + 2h]: 300 + 6 rows of 2 = 312 / 12,000, burn 2.6.
    assertClose(impacts[1].impact[0].after, 312 / 12000 / 0.01, 'v1 after');
    assert.deepEqual(impacts[1].impact, impacts[2].impact);
  });

  it('reads budgetSpent inside the SLO window only, and gives none without Occurrences', () => {
    // A one-day window at T + 24h 30m starts at T + 30m: of A = (T, T + 6h] it holds (T + 30m, T + 6h],
    // 3 rows of the bad hour (150) and 30 rows of 2 (60) = 210 bad; total(W) = 144 rows = 144,000.
    const daily = rollingSlo({ objective: 0.99, window: '1d' });
    const now = T + DAY + 30 * MINUTE;
    const [entry] = assess({ slos: [{ def: daily, samples: rows(T - DAY, now, badHourAfterT) }], deployments: [deployment('v1', T)], now });
    assertClose(entry.impact[0].budgetSpent, 210 / 1440, 'budgetSpent');
    // The burn rates and the verdict are over A as a whole, window or not.
    assertClose(entry.impact[0].after, 1, 'after');
    assert.equal(entry.verdict, 'degraded');

    const timeslices = rollingSlo({ objective: 0.99, window: '28d', timeslices: { sliceMs: 5 * MINUTE, sliceTarget: 0.95 } });
    const [sliced] = assess({ slos: [{ def: timeslices, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) }], deployments: [deployment('v1', T)], now: T + 12 * HOUR });
    assert.equal(sliced.impact[0].budgetSpent, null);
    assert.equal(sliced.verdict, 'degraded');
  });

  it('lists a deployment once per service, degraded when any SLO of that service is', () => {
    const latency = { ...rollingSlo({ objective: 0.99, window: '28d', name: 'checkout-latency' }) };
    const search = { ...rollingSlo({ objective: 0.99, window: '28d', name: 'search-availability' }), service: 'search' };
    const impacts = assess({
      slos: [
        { def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, badHourAfterT) },
        { def: latency, samples: rows(T - DAY, T + 12 * HOUR, () => 2) },
        { def: search, samples: rows(T - DAY, T + 12 * HOUR, () => 2) },
      ],
      deployments: [deployment('v1', T, ['checkout', 'search'])],
      now: T + 12 * HOUR,
    });
    assert.deepEqual(
      impacts.map((entry) => [entry.service, entry.impact.map((slo) => `${slo.slo}:${slo.verdict}`), entry.verdict, entry.suspect]),
      [
        ['checkout', ['checkout-availability:degraded', 'checkout-latency:ok'], 'degraded', true],
        ['search', ['search-availability:ok'], 'ok', false],
      ],
    );
  });

  it('assesses only the deployments in (since, now], each deployed service even without an SLO', () => {
    const impacts = assess({
      slos: [{ def: checkoutSlo, samples: rows(T - DAY, T + 12 * HOUR, () => 2) }],
      deployments: [deployment('old', T - 2 * HOUR), deployment('v1', T, ['checkout', 'search']), deployment('future', T + 13 * HOUR)],
      now: T + 12 * HOUR,
      since: T - HOUR,
    });
    assert.deepEqual(impacts.map((entry) => [entry.deployment, entry.service, entry.impact.length, entry.verdict]), [
      ['v1', 'checkout', 1, 'ok'],
      ['v1', 'search', 0, 'no-data'],
    ]);
  });
});

describe('impact spans and interval sums', () => {
  it('spans the 6 hours before, the first hour and the after-window, cut by the next deployment and now', () => {
    assert.deepEqual(impactSpans(T, null, T + DAY, T - DAY), {
      before: { start: T - 6 * HOUR, end: T },
      first: { start: T, end: T + HOUR },
      after: { start: T, end: T + 6 * HOUR },
      inBudgetWindow: { start: T, end: T + 6 * HOUR },
    });
    const cut = impactSpans(T, T + 30 * MINUTE, T + DAY, T + 10 * MINUTE);
    assert.deepEqual(cut.first, { start: T, end: T + 30 * MINUTE });
    assert.deepEqual(cut.inBudgetWindow, { start: T + 10 * MINUTE, end: T + 30 * MINUTE });
    // An after-window that ends before the SLO window starts has no part in it.
    assert.deepEqual(impactSpans(T, null, T + DAY, T + 7 * HOUR).inBudgetWindow, { start: T + 6 * HOUR, end: T + 6 * HOUR });
  });

  it('sums each sample into the segment (times[i], times[i + 1]] holding it, maintenance left out', () => {
    const times = [T, T + 10 * MINUTE, T + 30 * MINUTE];
    const accumulator = new SloCountsAccumulator(checkoutSlo, T + HOUR, [{ start: T + 15 * MINUTE, end: T + 20 * MINUTE }], times);
    // At T: outside (left-open); at T + 10m: first segment; T + 20m in maintenance; after T + 30m: outside.
    for (const minutes of [0, 5, 10, 15, 20, 30, 31]) accumulator.add(T + minutes * MINUTE, 9, 10);
    const intervals = accumulator.result().intervals!;
    assert.deepEqual(intervals, { times, good: [18, 18], total: [20, 20] });
    assert.deepEqual(countsFromIntervals(intervals, { start: T, end: T + 30 * MINUTE }), { good: 36, total: 40 });
    assert.deepEqual(countsFromIntervals(intervals, { start: T + 10 * MINUTE, end: T + 10 * MINUTE }), { good: 0, total: 0 });
    assert.equal(countsFromIntervals(intervals, { start: T, end: T + 20 * MINUTE }), null, 'not a boundary: not counted');
    assert.equal(new SloCountsAccumulator(checkoutSlo, T + HOUR).result().intervals, undefined);
  });
});

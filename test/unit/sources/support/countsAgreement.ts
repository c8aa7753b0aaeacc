// What the Prometheus tests compare: an SLO over the checkout series, and the counts file mode computes
// from the same buckets, with the tolerance each comparison allows.
import { strict as assert } from 'node:assert';
import { BURN_WINDOWS } from '../../../../src/core/model';
import type { BudgetingMethod, Indicator, SloCounts, SloDefinition, TimeWindow } from '../../../../src/core/model';
import { SloCountsAccumulator } from '../../../../src/core/sloCounts';
import type { TimeSpan } from '../../../../src/core/maintenance';
import { DAY_MS } from './checkoutSeries';
import type { Bucket } from './checkoutSeries';

/** Floating-point rounding: what "equal" means between two sums of the same events. */
export const ROUNDING = 1e-9;

export function slo(indicator: Indicator, options: { window?: TimeWindow; budgeting?: BudgetingMethod } = {}): SloDefinition {
  return {
    name: 'checkout-availability',
    service: 'checkout',
    objective: 0.999,
    window: options.window ?? { kind: 'rolling', label: '30d', durationMs: 30 * DAY_MS },
    budgeting: options.budgeting ?? { method: 'Occurrences' },
    indicator,
    file: '.reliability/slos/checkout.yaml',
    line: 1,
  };
}

export const goodTotal: Indicator = {
  type: 'prometheus',
  good: 'rl_requests_good_total{job="checkout"}',
  total: 'rl_requests_total{job="checkout"}',
  counter: true,
};

/** What file mode computes from the same buckets. */
export function csvCounts(def: SloDefinition, buckets: readonly Bucket[], now: number, maintenance: readonly TimeSpan[] = []): SloCounts {
  const accumulator = new SloCountsAccumulator(def, now, maintenance);
  for (const bucket of buckets) accumulator.add(bucket.end, bucket.good, bucket.total);
  return accumulator.result();
}

export function assertClose(actual: number, expected: number, relative: number, what: string): void {
  const allowed = relative * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= allowed, `${what}: ${actual} vs ${expected} (allowed ±${allowed})`);
}

export function assertCountsAgree(actual: SloCounts, expected: SloCounts, relative: number): void {
  assertClose(actual.window.good, expected.window.good, relative, 'window good');
  assertClose(actual.window.total, expected.window.total, relative, 'window total');
  assertExcludedAgree(actual.window.excludedTotal, expected.window.excludedTotal, relative, 'window');
  for (const label of BURN_WINDOWS) {
    assertClose(actual.burn[label].good, expected.burn[label].good, relative, `${label} good`);
    assertClose(actual.burn[label].total, expected.burn[label].total, relative, `${label} total`);
    assertExcludedAgree(actual.burn[label].excludedTotal, expected.burn[label].excludedTotal, relative, label);
  }
  assert.equal(actual.buckets.length, expected.buckets.length, 'bucket count');
  actual.buckets.forEach((bucket, index) => {
    const other = expected.buckets[index];
    assert.equal(bucket.end, other.end, `bucket ${index} end`);
    assertClose(bucket.good, other.good, relative, `bucket ${index} good`);
    assertClose(bucket.total, other.total, relative, `bucket ${index} total`);
  });
  assert.deepEqual(actual.slices, expected.slices);
}

/** Both absent (no maintenance covers the SLO), or both there and equal to rounding. */
function assertExcludedAgree(actual: number | undefined, expected: number | undefined, relative: number, what: string): void {
  if (expected === undefined || actual === undefined) assert.equal(actual, expected, `${what} excludedTotal`);
  else assertClose(actual, expected, relative, `${what} excludedTotal`);
}


// A Sloth raw SLI (`sli.raw.error_ratio_query`) against a REAL Prometheus (Debian package `prometheus`),
// backfilled with the same 30 days of per-minute counters as prometheus.test.ts. The reading: the error
// ratio over a window w is the query evaluated with `{{.window}}` = w. A raw query written as one minus
// good over total must then give, for every window, the error ratio file mode computes from the same
// buckets: so the burn rates, the budget and the status agree to floating-point rounding.
import { strict as assert } from 'node:assert';
import { BURN_WINDOWS } from '../../../src/core/model';
import type { SloDefinition } from '../../../src/core/model';
import { evaluateSlo } from '../../../src/core/slo';
import { SloCountsAccumulator } from '../../../src/core/sloCounts';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { fetchSloCounts } from '../../../src/sources/prometheus';
import { DAY_MS, SERIES_END, checkoutBuckets, checkoutOpenMetrics } from './support/checkoutSeries';
import { startBackfilledPrometheus } from './support/realServers';
import type { BackfilledPrometheus } from './support/realServers';

const ROUNDING = 1e-9;

function slo(indicator: SloDefinition['indicator']): SloDefinition {
  return {
    name: 'checkout-availability',
    service: 'checkout',
    objective: 0.999,
    window: { kind: 'rolling', label: '30d', durationMs: 30 * DAY_MS },
    budgeting: { method: 'Occurrences' },
    indicator,
    file: '.reliability/slos/checkout.yaml',
    line: 1,
  };
}

describe('Sloth raw SLI against a real Prometheus', function () {
  this.timeout(60_000);
  const buckets = checkoutBuckets();
  let prometheus: BackfilledPrometheus | undefined;
  let baseUrl = '';

  before(async () => {
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(buckets), 'reliability-lens-prometheus-raw-');
    baseUrl = prometheus.baseUrl;
  });

  after(async () => {
    await prometheus?.stop();
  });

  it('reads the error ratio over each window as the query with {{.window}} = that window', async () => {
    const raw = slo({
      type: 'sloth-raw',
      errorRatioQuery:
        '1 - (sum(increase(rl_requests_good_total{job="checkout"}[{{.window}}])) / sum(increase(rl_requests_total{job="checkout"}[{{.window}}])))',
    });
    const events = slo({ type: 'csv', path: 'data/checkout.csv', goodColumn: 'good', totalColumn: 'total' });
    const client = createHttpClient({ sourceName: 'Prometheus', baseUrl });
    const counts = await fetchSloCounts(client, raw, SERIES_END);

    const accumulator = new SloCountsAccumulator(events, SERIES_END);
    for (const bucket of buckets) accumulator.add(bucket.end, bucket.good, bucket.total);
    const expected = accumulator.result();

    // One event per window: total 1, bad = the error ratio, so good = 1 - e(w).
    const errorRatio = (good: number, total: number) => 1 - good / total;
    assert.equal(counts.window.total, 1);
    assert.ok(Math.abs(errorRatio(counts.window.good, 1) - errorRatio(expected.window.good, expected.window.total)) <= ROUNDING);
    for (const label of BURN_WINDOWS) {
      assert.equal(counts.burn[label].total, 1, `${label} total`);
      const difference = errorRatio(counts.burn[label].good, 1) - errorRatio(expected.burn[label].good, expected.burn[label].total);
      assert.ok(Math.abs(difference) <= ROUNDING, `${label}: e(w) differs by ${difference}`);
    }

    const policy = { cautionBelow: 0.25, freezeSeverity: 'SEV2' as const };
    const fromRaw = evaluateSlo(raw, counts, SERIES_END, policy);
    const fromCsv = evaluateSlo(events, expected, SERIES_END, policy);
    assert.equal(fromRaw.status, fromCsv.status);
    assert.ok(Math.abs(fromRaw.budget.remaining - fromCsv.budget.remaining) <= ROUNDING * 1000);
    for (const label of BURN_WINDOWS) assert.ok(Math.abs(fromRaw.burnRates[label] - fromCsv.burnRates[label]) <= ROUNDING * 1000, `burn ${label}`);
    assert.deepEqual(fromRaw.alerts, fromCsv.alerts);
    // The data is not trivial: the current burst burns the 5m window.
    assert.ok(fromCsv.burnRates['5m'] > 1);
  });

  it('is no data, not a perfect SLI, where the ratio has no value', async () => {
    const client = createHttpClient({ sourceName: 'Prometheus', baseUrl });
    const counts = await fetchSloCounts(client, slo({ type: 'sloth-raw', errorRatioQuery: 'sum(rate(no_such_metric[{{.window}}]))' }), SERIES_END);
    assert.deepEqual([counts.window, counts.burn['1h']], [{ good: 0, total: 0 }, { good: 0, total: 0 }]);
  });
});

// Long windows read as kept hour steps plus edges (sources/prometheusSteps.ts), against a real
// Prometheus holding the checkout series: every refresh of a session gives the numbers file mode gives
// for the same events, and a refresh after the first asks only for what can have changed, which
// Prometheus's own query statistics (`stats=all`) show as far fewer samples touched.
import { strict as assert } from 'node:assert';
import axios from 'axios';
import { maintenanceSpans } from '../../../src/core/maintenance';
import type { SloCounts } from '../../../src/core/model';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { fetchSloCounts } from '../../../src/sources/prometheus';
import { PrometheusSession } from '../../../src/sources/prometheusSession';
import { DAY_MS, MINUTE_MS, SERIES_END, checkoutBuckets, checkoutOpenMetrics } from './support/checkoutSeries';
import { ROUNDING, assertCountsAgree, csvCounts, goodTotal, slo } from './support/countsAgreement';
import { startBackfilledPrometheus } from './support/realServers';
import type { BackfilledPrometheus } from './support/realServers';

const HOUR_MS = 3_600_000;

/** Requests and samples of each refresh, as Prometheus counts them. */
interface Cost {
  requests: number;
  samples: number;
  queries: string[];
}

describe('Prometheus long windows from kept hour steps', function () {
  this.timeout(120_000);
  const buckets = checkoutBuckets();
  let prometheus: BackfilledPrometheus | undefined;

  before(async () => {
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(buckets), 'reliability-lens-steps-');
  });

  after(async () => {
    await prometheus?.stop();
  });

  /** A client that asks Prometheus for its query statistics and adds them up in `cost`. */
  function measuredClient(cost: Cost) {
    const measured = axios.create();
    measured.interceptors.request.use((config) => {
      cost.requests++;
      const form = new URLSearchParams(String(config.data ?? ''));
      cost.queries.push(form.get('query') ?? '');
      form.set('stats', 'all');
      config.data = form.toString();
      return config;
    });
    measured.interceptors.response.use((response) => {
      const body = JSON.parse(String(response.data)) as { data?: { stats?: { samples?: { totalQueryableSamples?: number } } } };
      const samples = body.data?.stats?.samples?.totalQueryableSamples;
      assert.equal(typeof samples, 'number', 'Prometheus reports the samples each query touched');
      cost.samples += samples as number;
      return response;
    });
    return createHttpClient({ sourceName: 'Prometheus', baseUrl: (prometheus as BackfilledPrometheus).baseUrl, axios: measured });
  }

  async function refresh(session: PrometheusSession | undefined, now: number, maintenance = maintenanceSpans([], 'checkout')): Promise<{ counts: SloCounts; cost: Cost }> {
    const cost: Cost = { requests: 0, samples: 0, queries: [] };
    const counts = await fetchSloCounts(measuredClient(cost), slo(goodTotal), now, { session, burnDown: false, maintenance });
    return { counts, cost };
  }

  const fileMode = (now: number) => ({ ...csvCounts(slo(goodTotal), buckets, now), buckets: [] });

  it('gives the numbers of file mode on every refresh of a session, and later refreshes touch far fewer samples', async () => {
    const session = new PrometheusSession();
    // Minutes apart on the sample grid, as the editor's refreshes are; the last one is on the hour.
    const times = [SERIES_END - 2 * HOUR_MS - 7 * MINUTE_MS, SERIES_END - 2 * HOUR_MS - 2 * MINUTE_MS, SERIES_END - HOUR_MS - 57 * MINUTE_MS, SERIES_END - HOUR_MS];
    const costs: Cost[] = [];
    for (const now of times) {
      const { counts, cost } = await refresh(session, now);
      assertCountsAgree(counts, fileMode(now), ROUNDING);
      costs.push(cost);
    }
    // Cold: the missing hours of the window by one query_range, and the rest in one instant query.
    assert.equal(costs[0].requests, 2);
    for (const later of costs.slice(1)) {
      assert.equal(later.requests, 1, 'one instant query per refresh once the hours are kept');
      assert.ok(later.samples * 20 <= costs[0].samples, `a later refresh touched ${later.samples} samples, the first ${costs[0].samples}`);
      // Nothing longer than an hour is asked for again.
      for (const range of later.queries.join(' ').matchAll(/\[(\d+)([smhd])/g)) {
        const ms = Number(range[1]) * { s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS }[range[2] as 's' | 'm' | 'h' | 'd'];
        assert.ok(ms <= HOUR_MS, `a range of ${range[0]} in a later refresh`);
      }
    }
  });

  it('composes Sloth rate() queries and a calendar window the same way', async () => {
    const session = new PrometheusSession();
    const sloth = slo(
      { type: 'sloth', errorQuery: 'sum(rate(rl_requests_errors_total{job="checkout"}[{{.window}}]))', totalQuery: 'sum(rate(rl_requests_total{job="checkout"}[{{.window}}]))' },
      { window: { kind: 'calendar', label: '1M', unit: 'M', count: 1, startTime: Date.parse('2025-01-01T00:00:00Z'), timeZone: 'UTC' } },
    );
    for (const now of [SERIES_END - 3 * HOUR_MS - 11 * MINUTE_MS, SERIES_END - 3 * HOUR_MS - 6 * MINUTE_MS]) {
      const cost: Cost = { requests: 0, samples: 0, queries: [] };
      const counts = await fetchSloCounts(measuredClient(cost), sloth, now, { session, burnDown: false });
      assertCountsAgree(counts, { ...csvCounts(sloth, buckets, now), buckets: [] }, ROUNDING);
    }
  });

  it('agrees with file mode when the evaluation time jumps back (looking back) and returns', async () => {
    const session = new PrometheusSession();
    for (const now of [SERIES_END - 10 * MINUTE_MS, SERIES_END - 9 * DAY_MS - 13 * MINUTE_MS, SERIES_END]) {
      const { counts } = await refresh(session, now);
      assertCountsAgree(counts, fileMode(now), ROUNDING);
    }
  });

  it('keeps maintenance out of composed windows as file mode does', async () => {
    const session = new PrometheusSession();
    // The bad day's worst hours are maintenance, a span that crosses whole hours and ends inside one.
    const window = { start: SERIES_END - 9 * DAY_MS + 10 * HOUR_MS + 30 * MINUTE_MS, end: SERIES_END - 9 * DAY_MS + 13 * HOUR_MS + 20 * MINUTE_MS };
    const maintenance = maintenanceSpans([window], 'checkout');
    for (const now of [SERIES_END - 3 * HOUR_MS - 4 * MINUTE_MS, SERIES_END]) {
      const { counts } = await refresh(session, now, maintenance);
      const accumulator = csvCounts(slo(goodTotal), buckets, now, maintenance);
      assertCountsAgree(counts, { ...accumulator, buckets: [] }, ROUNDING);
      assert.ok((counts.window.excludedTotal ?? 0) > 0, 'the maintenance took events out');
    }
  });
});

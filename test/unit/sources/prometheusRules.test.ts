// Rules mode against a real Prometheus: the rule file `reliability-lens rules` writes is backfilled
// over the checkout series with promtool (as if the server had evaluated it all along), and the SLO
// read from the recorded series gives file mode's numbers within the documented bound (core/
// recordingRules.ts: the events of one rule interval at each end of a window), equal where the
// evaluations fall on the 5-minute grid, while touching a small fraction of raw mode's samples.
import { strict as assert } from 'node:assert';
import axios from 'axios';
import { BURN_WINDOWS } from '../../../src/core/model';
import type { SloCounts, SloDefinition } from '../../../src/core/model';
import { RULE_INTERVAL_MS, planRuleFile, renderRuleFileYaml } from '../../../src/core/recordingRules';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { fetchSloCounts } from '../../../src/sources/prometheus';
import { chooseSloReadings } from '../../../src/sources/prometheusRecords';
import { PrometheusSession } from '../../../src/sources/prometheusSession';
import { DAY_MS, MINUTE_MS, SERIES_END, SERIES_START, checkoutBuckets, checkoutOpenMetrics } from './support/checkoutSeries';
import type { Bucket } from './support/checkoutSeries';
import { ROUNDING, assertCountsAgree, csvCounts, goodTotal, slo } from './support/countsAgreement';
import { startBackfilledPrometheus } from './support/realServers';
import type { BackfilledPrometheus } from './support/realServers';

const rolling28d = slo(goodTotal, { window: { kind: 'rolling', label: '28d', durationMs: 28 * DAY_MS } });

describe('Prometheus rules mode (recorded series) against a real Prometheus', function () {
  this.timeout(300_000);
  const buckets = checkoutBuckets();
  let prometheus: BackfilledPrometheus | undefined;
  let samples = 0;

  before(async () => {
    const rules = renderRuleFileYaml(planRuleFile([rolling28d]));
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(buckets), 'reliability-lens-rules-', {
      rules: { text: rules, start: SERIES_START, end: SERIES_END },
    });
  });

  after(async () => {
    await prometheus?.stop();
  });

  function client() {
    const measured = axios.create();
    measured.interceptors.request.use((config) => {
      const form = new URLSearchParams(String(config.data ?? ''));
      form.set('stats', 'all');
      config.data = form.toString();
      return config;
    });
    measured.interceptors.response.use((response) => {
      const body = JSON.parse(String(response.data)) as { data?: { stats?: { samples?: { totalQueryableSamples?: number } } } };
      samples += body.data?.stats?.samples?.totalQueryableSamples ?? 0;
      return response;
    });
    return createHttpClient({ sourceName: 'Prometheus', baseUrl: (prometheus as BackfilledPrometheus).baseUrl, axios: measured });
  }

  async function readings(defs: SloDefinition[], now: number, mode: 'auto' | 'raw' = 'auto') {
    return chooseSloReadings(client(), defs, now, mode, new PrometheusSession());
  }

  it('finds the recorded series of an SLO, and says why others are read raw', async () => {
    const [recorded, timeslices, longer, edited] = await readings(
      [
        rolling28d,
        slo(goodTotal, { window: rolling28d.window, budgeting: { method: 'Timeslices', sliceMs: 5 * MINUTE_MS, sliceTarget: 0.95 } }),
        slo(goodTotal, { window: { kind: 'rolling', label: '90d', durationMs: 90 * DAY_MS } }),
        slo({ type: 'prometheus', good: 'rl_requests_good_total{job="checkout",edited="yes"}', total: 'rl_requests_total{job="checkout"}', counter: true }, { window: rolling28d.window }),
      ],
      SERIES_END,
    );
    assert.equal(recorded.mode.mode, 'rules');
    assert.match(recorded.mode.reason, /recorded series reliability_lens_id="[0-9a-f]{16}"/);
    assert.equal(timeslices.mode.mode, 'raw');
    assert.match(timeslices.mode.reason, /Timeslices budgeting needs each slice's own counts/);
    assert.equal(longer.mode.mode, 'raw', 'a 90-day window reaches before the records');
    assert.match(longer.mode.reason, /recorded series start .* after the start of what it reads/);
    assert.equal(edited.mode.mode, 'raw', 'an edited query has other series');
    assert.match(edited.mode.reason, /no series recorded for its queries/);
    const [configuredRaw] = await readings([rolling28d], SERIES_END, 'raw');
    assert.deepEqual(configuredRaw.mode, { mode: 'raw', reason: 'config.yaml sets slis.prometheus.mode: raw' });
  });

  // The checkout series has one series per selector, so raw mode touches one sample per minute of a
  // window; the benchmark's ten series per selector make the ratio ten times larger again.
  it('gives file mode numbers within one rule interval of events at each end, and touches 40 times fewer samples than raw mode', async () => {
    for (const now of [SERIES_END, SERIES_END - DAY_MS - 3 * MINUTE_MS]) {
      const [reading] = await readings([rolling28d], now);
      assert.equal(reading.mode.mode, 'rules');
      samples = 0;
      const fromRecords = await fetchSloCounts(client(), rolling28d, now, { queries: reading.queries, burnDown: false });
      const recordedSamples = samples;
      samples = 0;
      const fromRaw = await fetchSloCounts(client(), rolling28d, now, { burnDown: false });
      const rawSamples = samples;
      assert.ok(recordedSamples * 40 <= rawSamples, `rules mode touched ${recordedSamples} samples, raw mode ${rawSamples}`);
      const fileMode = { ...csvCounts(rolling28d, buckets, now), buckets: [] };
      assertCountsAgree(fromRaw, fileMode, ROUNDING);
      assertWithinRuleInterval(fromRecords, { ...csvCounts(rolling28d, buckets, now), buckets: [] }, buckets, now);
    }
  });
});

// Prometheus evaluates a rule group at a fixed phase within its interval, a hash of the group's name
// and file (promtool's backfill does the same). With the samples on that phase's minute grid, every
// evaluation falls on a sample, so each recorded increase is exact, and rules mode equals file mode
// evaluated at the last evaluation time: at `now` itself when now is one.
describe('Prometheus rules mode on data aligned to the rule evaluations', function () {
  this.timeout(300_000);
  let prometheus: BackfilledPrometheus | undefined;
  let phase = 0;
  let aligned: Bucket[] = [];
  const rules = renderRuleFileYaml(planRuleFile([rolling28d]));

  before(async () => {
    // The phase first, from an hour of any data evaluated under the same group and file names.
    const probe = await startBackfilledPrometheus(checkoutOpenMetrics(checkoutBuckets().slice(-120)), 'reliability-lens-rules-phase-', {
      rules: { text: rules, start: SERIES_END - 60 * MINUTE_MS, end: SERIES_END },
    });
    try {
      const response = await axios.get(`${probe.baseUrl}/api/v1/query`, {
        params: { query: 'timestamp(reliability_lens:slo_events:increase5m{reliability_lens_kind="total"})', time: SERIES_END / 1000 },
      });
      phase = Math.round(Number(response.data.data.result[0].value[1]) * 1000) % RULE_INTERVAL_MS;
    } finally {
      await probe.stop();
    }
    const shift = phase % MINUTE_MS;
    aligned = checkoutBuckets().map((bucket) => ({ ...bucket, end: bucket.end + shift }));
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(aligned), 'reliability-lens-rules-aligned-', {
      rules: { text: rules, start: SERIES_START, end: SERIES_END },
    });
  });

  after(async () => {
    await prometheus?.stop();
  });

  it('equals file mode to rounding at each evaluation time, and at the last one before a time between them', async () => {
    const client = createHttpClient({ sourceName: 'Prometheus', baseUrl: (prometheus as BackfilledPrometheus).baseUrl });
    const session = new PrometheusSession();
    const evaluation = (k: number) => Math.floor(SERIES_END / RULE_INTERVAL_MS) * RULE_INTERVAL_MS + phase - k * RULE_INTERVAL_MS;
    for (const [now, lastEvaluation] of [
      [evaluation(14), evaluation(14)],
      [evaluation(2), evaluation(2)],
      [evaluation(2) + 3 * MINUTE_MS + 7_000, evaluation(2)],
    ]) {
      const [reading] = await chooseSloReadings(client, [rolling28d], now, 'auto', session);
      assert.equal(reading.mode.mode, 'rules');
      const counts = await fetchSloCounts(client, rolling28d, now, { queries: reading.queries, session, burnDown: false });
      assertCountsAgree(counts, { ...csvCounts(rolling28d, aligned, lastEvaluation), buckets: [] }, ROUNDING);
    }
  });
});

/**
 * Rules mode reads (T - w, T] for T the last evaluation at or before now: at most one rule interval
 * earlier. Its counts may then differ from file mode's by the events of one rule interval at each
 * end of the window (and the burn windows by the same).
 */
function assertWithinRuleInterval(actual: SloCounts, expected: SloCounts, buckets: readonly Bucket[], now: number): void {
  const interval = (end: number) => buckets.filter((bucket) => bucket.end > end - RULE_INTERVAL_MS && bucket.end <= end);
  const events = (end: number, pick: (bucket: Bucket) => number) => interval(end).reduce((sum, bucket) => sum + pick(bucket), 0);
  const check = (what: string, windowMs: number, got: SloCounts['window'], want: SloCounts['window']) => {
    for (const [kind, pick] of [['total', (bucket: Bucket) => bucket.total], ['good', (bucket: Bucket) => bucket.good]] as const) {
      const bound = events(now, pick) + events(now - windowMs, pick) + ROUNDING * Math.max(1, want[kind]);
      assert.ok(Math.abs(got[kind] - want[kind]) <= bound, `${what} ${kind}: ${got[kind]} vs ${want[kind]} (bound ${bound})`);
    }
  };
  check('window', 28 * DAY_MS, actual.window, expected.window);
  for (const label of BURN_WINDOWS) check(label, burnMs(label), actual.burn[label], expected.burn[label]);
}

function burnMs(label: string): number {
  const units: Record<string, number> = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: DAY_MS };
  return Number(label.slice(0, -1)) * units[label.slice(-1)];
}

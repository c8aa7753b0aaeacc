// Prometheus mode against a REAL Prometheus (Debian package `prometheus`), backfilled with 30 days of
// per-minute counters by promtool, compared with the exact sums file mode computes from the same
// buckets (SloCountsAccumulator, the CSV path).
//
// Tolerances, and why:
// - `now` on a sample time (the DOMAIN.md setup: counters sampled at the CSV's bucket ends): the
//   range [now - w, now] of Prometheus 2.x starts and ends on a sample, increase() extrapolates
//   nothing and equals the CSV sum. Only floating-point rounding remains (rate() * seconds for Sloth
//   queries): relative 1e-9.
// - `now` between samples (30 s past one): the range holds one bucket fewer than the window and
//   increase() stretches the n-1 buckets it sees to the full window, i.e. it reports
//   sum(b2..bn) * n / (n - 1). That is exact arithmetic too, and it differs from the CSV sum by
//   mean(b2..bn) - b1: at most one bucket's events. The test checks both statements.
// Two server settings matter and are pinned here: --storage.tsdb.retention.time (the backfilled
// blocks lie in 2025; the default 15d retention would delete them on start-up) and the block range
// of the backfill (--max-block-duration: promtool's default 2h blocks would be 360 directories and
// a slow start). --query.lookback-delta does not matter, because every query uses range selectors,
// never a bare instant selector; it would for a Sloth query without `[{{.window}}]`.
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { parse as parseYaml } from 'yaml';
import { BURN_WINDOWS } from '../../../src/core/model';
import type { Indicator, SloCounts, SloDefinition } from '../../../src/core/model';
import { evaluateSlo } from '../../../src/core/slo';
import { SloCountsAccumulator } from '../../../src/core/sloCounts';
import { maintenanceSpans } from '../../../src/core/maintenance';
import { fixedDurationMs } from '../../../src/core/duration';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { SourceError } from '../../../src/sources/http/sourceError';
import { checkPrometheus, fetchSloCounts } from '../../../src/sources/prometheus';
import { combinedInstantQuery, fillSlothWindow } from '../../../src/core/promql';
import { computeSloReports } from '../../../src/workspace/sloData';
import { loadDefinitions } from '../../../src/workspace/definitions';
import { buildWorkspace, openSloSlo, removeTemporaryFolders, yamlDocuments, yamlLines } from '../builders/workspaceBuilders';
import { sendJson, startFakeServer } from '../fakes/fakeServer';
import type { FakeServer, RecordedRequest } from '../fakes/fakeServer';
import { DAY_MS, MINUTE_MS, SERIES_END, SERIES_START, checkoutBuckets, checkoutOpenMetrics, exactWindow } from './support/checkoutSeries';
import type { Bucket } from './support/checkoutSeries';
import { startBackfilledPrometheus } from './support/realServers';
import type { BackfilledPrometheus } from './support/realServers';
import { ROUNDING, assertClose, assertCountsAgree, csvCounts, goodTotal, slo } from './support/countsAgreement';

const FIXTURES = join(__dirname, '../../fixtures/prometheus');

describe('Prometheus source against a real Prometheus', function () {
  this.timeout(60_000);
  const buckets = checkoutBuckets();
  let prometheus: BackfilledPrometheus | undefined;
  let baseUrl = '';
  let requestCount = 0;

  before(async () => {
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(buckets), 'reliability-lens-prometheus-');
    baseUrl = prometheus.baseUrl;
  });

  after(async () => {
    await prometheus?.stop();
  });

  function client() {
    const counted = axios.create();
    counted.interceptors.request.use((config) => {
      requestCount++;
      return config;
    });
    return createHttpClient({ sourceName: 'Prometheus', baseUrl, axios: counted, headers: { 'X-Scope-OrgID': 'tenant-1' } });
  }

  it('answers the sources check with its version', async () => {
    const info = await checkPrometheus(client());
    assert.match(info.version, /^\d+\.\d+\.\d+/);
  });

  it('agrees with the CSV path to rounding when now is a sample time, in two requests', async () => {
    const def = slo(goodTotal);
    requestCount = 0;
    const counts = await fetchSloCounts(client(), def, SERIES_END);
    assert.equal(requestCount, 2, 'one instant query for every window, one query_range for the buckets');
    const expected = csvCounts(def, buckets, SERIES_END);
    assertCountsAgree(counts, expected, ROUNDING);
    // The data is not trivial: the bad day and the current burst show.
    assert.equal(counts.buckets.length, 360);
    assert.ok(expected.window.total - expected.window.good > 10_000);
    assert.ok(expected.burn['5m'].total - expected.burn['5m'].good === 200);
    // And so the reports agree.
    const policy = { cautionBelow: 0.25, freezeSeverity: 'SEV2' as const };
    const fromPrometheus = evaluateSlo(def, counts, SERIES_END, policy);
    const fromCsv = evaluateSlo(def, expected, SERIES_END, policy);
    assert.equal(fromPrometheus.status, fromCsv.status);
    assertClose(fromPrometheus.budget.remaining, fromCsv.budget.remaining, ROUNDING, 'budget remaining');
    for (const label of BURN_WINDOWS) assertClose(fromPrometheus.burnRates[label], fromCsv.burnRates[label], ROUNDING, `burn ${label}`);
    assert.deepEqual(fromPrometheus.alerts, fromCsv.alerts);
  });

  it('gives the same counts from a bad counter (good = total - bad) and from per-bucket gauges', async () => {
    const expected = csvCounts(slo(goodTotal), buckets, SERIES_END);
    const fromBad = await fetchSloCounts(
      client(),
      slo({ type: 'prometheus', bad: 'rl_requests_errors_total{job="checkout"}', total: 'rl_requests_total{job="checkout"}', counter: true }),
      SERIES_END,
    );
    assertCountsAgree(fromBad, expected, ROUNDING);
    const fromGauges = await fetchSloCounts(
      client(),
      slo({ type: 'prometheus', good: 'rl_bucket_good{job="checkout"}', total: 'rl_bucket_total{job="checkout"}', counter: false }),
      SERIES_END,
    );
    assertCountsAgree(fromGauges, expected, ROUNDING);
  });

  it('reads a Sloth spec and the equivalent OpenSLO spec to the same numbers', async () => {
    const sloth = parseYaml(readFileSync(join(FIXTURES, 'checkout-sloth.yaml'), 'utf8')) as {
      slos: Array<{ sli: { events: { error_query: string; total_query: string } } }>;
    };
    const openslo = parseYaml(readFileSync(join(FIXTURES, 'checkout-openslo.yaml'), 'utf8')) as {
      spec: { indicator: { spec: { ratioMetric: { counter: boolean; good: MetricSpec; total: MetricSpec } } } };
    };
    type MetricSpec = { metricSource: { spec: { query: string } } };
    const events = sloth.slos[0].sli.events;
    const ratio = openslo.spec.indicator.spec.ratioMetric;
    const fromSloth = await fetchSloCounts(
      client(),
      slo({ type: 'sloth', errorQuery: events.error_query, totalQuery: events.total_query }),
      SERIES_END,
    );
    const fromOpenSlo = await fetchSloCounts(
      client(),
      slo({ type: 'prometheus', good: ratio.good.metricSource.spec.query, total: ratio.total.metricSource.spec.query, counter: ratio.counter }),
      SERIES_END,
    );
    assertCountsAgree(fromSloth, fromOpenSlo, ROUNDING);
    assertCountsAgree(fromSloth, csvCounts(slo(goodTotal), buckets, SERIES_END), ROUNDING);
  });

  it('between samples, is off by increase() extrapolation of one edge bucket, exactly as predicted', async () => {
    const now = SERIES_END - 30_000;
    const counts = await fetchSloCounts(client(), slo(goodTotal), now);
    for (const label of BURN_WINDOWS) {
      const windowMs = fixedDurationMs(label) as number;
      const { total, inWindow } = exactWindow(buckets, now, windowMs);
      const n = inWindow.length;
      const seen = inWindow.slice(1).reduce((sum, bucket) => sum + bucket.total, 0);
      // Prometheus sees buckets 2..n and scales them to n buckets.
      assertClose(counts.burn[label].total, (seen * n) / (n - 1), ROUNDING, `${label} total vs extrapolation`);
      const oneBucket = Math.max(...inWindow.map((bucket) => bucket.total));
      assert.ok(
        Math.abs(counts.burn[label].total - total) <= oneBucket,
        `${label}: ${counts.burn[label].total} differs from ${total} by more than one bucket (${oneBucket})`,
      );
    }
    // The burn rates move by at most the share of one bucket in the window.
    const expected = csvCounts(slo(goodTotal), buckets, now);
    assertClose(counts.window.total, expected.window.total, 1 / (30 * 1440), 'window total within one bucket');
  });

  it('judges timeslices like the CSV path, paging query_range below the 11,000-point limit', async () => {
    const def = slo(goodTotal, { budgeting: { method: 'Timeslices', sliceMs: MINUTE_MS, sliceTarget: 0.999 } });
    requestCount = 0;
    const counts = await fetchSloCounts(client(), def, SERIES_END);
    // 43,200 one-minute slices in 5 range queries of at most 10,000 points, plus buckets and windows.
    assert.equal(requestCount, 7);
    const expected = csvCounts(def, buckets, SERIES_END);
    assert.ok(expected.slices && expected.slices.good < expected.slices.withData, 'some slices are bad');
    assertCountsAgree(counts, expected, ROUNDING);
  });

  it('counts a calendar window from its period start, with a partial last bucket and slice', async () => {
    const def = slo(goodTotal, {
      window: { kind: 'calendar', label: '1M', unit: 'M', count: 1, startTime: Date.parse('2025-01-01T00:00:00Z'), timeZone: 'UTC' },
      budgeting: { method: 'Timeslices', sliceMs: 7 * MINUTE_MS, sliceTarget: 0.99 },
    });
    const now = Date.parse('2025-10-30T23:01:00Z');
    const counts = await fetchSloCounts(client(), def, now);
    const expected = csvCounts(def, buckets, now);
    assert.equal(counts.buckets[counts.buckets.length - 1].end, now);
    assertCountsAgree(counts, expected, ROUNDING);
  });

  describe('with maintenance windows', () => {
    const HOUR_MS = 60 * MINUTE_MS;
    const badHoursStart = Date.parse('2025-10-22T10:00:00Z');
    const badHoursEnd = Date.parse('2025-10-22T14:00:00Z');
    const maintenance = maintenanceSpans(
      [
        // Two overlapping windows whose union is the bad day's bad hours (minutes ending 10:01 to 14:00).
        { start: badHoursStart, end: Date.parse('2025-10-22T12:30:00Z') },
        { start: Date.parse('2025-10-22T12:00:00Z'), end: badHoursEnd, services: ['checkout'] },
        // Parts of two 2h burn-down buckets and of 7-minute slices: read with `@` at their ends.
        { start: Date.parse('2025-10-25T03:17:00Z'), end: Date.parse('2025-10-25T05:43:00Z') },
        // Reaching past now: the last 3 minutes, inside every burn window.
        { start: SERIES_END - 3 * MINUTE_MS, end: SERIES_END + HOUR_MS },
        // Another service's: nothing here.
        { start: SERIES_END - 10 * DAY_MS, end: SERIES_END - 9 * DAY_MS, services: ['payments'] },
      ],
      'checkout',
    );
    const inMaintenanceHere = (bucket: Bucket) =>
      (bucket.end > badHoursStart && bucket.end <= badHoursEnd) ||
      (bucket.end > Date.parse('2025-10-25T03:17:00Z') && bucket.end <= Date.parse('2025-10-25T05:43:00Z')) ||
      bucket.end > SERIES_END - 3 * MINUTE_MS;

    function csvCountsWithMaintenance(def: SloDefinition): SloCounts {
      const accumulator = new SloCountsAccumulator(def, SERIES_END, maintenance);
      for (const bucket of buckets) accumulator.add(bucket.end, bucket.good, bucket.total);
      return accumulator.result();
    }

    function slothIndicator(): Indicator {
      const sloth = parseYaml(readFileSync(join(FIXTURES, 'checkout-sloth.yaml'), 'utf8')) as {
        slos: Array<{ sli: { events: { error_query: string; total_query: string } } }>;
      };
      const events = sloth.slos[0].sli.events;
      return { type: 'sloth', errorQuery: events.error_query, totalQuery: events.total_query };
    }

    it('equals the sums of the buckets outside maintenance, and the CSV path, still in two requests', async () => {
      const def = slo(goodTotal);
      requestCount = 0;
      const counts = await fetchSloCounts(client(), def, SERIES_END, maintenance);
      assert.equal(requestCount, 2, 'the maintenance parts ride in the one instant query');
      // The sums straight from the buckets: 240 bad-day minutes, 146 minutes on 10-25, the last 3.
      const kept = buckets.filter((bucket) => !inMaintenanceHere(bucket));
      const left = buckets.filter(inMaintenanceHere);
      assert.equal(left.length, 240 + 146 + 3);
      const sum = (list: readonly Bucket[], pick: (bucket: Bucket) => number) => list.reduce((total, bucket) => total + pick(bucket), 0);
      assertClose(counts.window.total, sum(kept, (bucket) => bucket.total), ROUNDING, 'window total');
      assertClose(counts.window.good, sum(kept, (bucket) => bucket.good), ROUNDING, 'window good');
      assertClose(counts.window.excludedTotal as number, sum(left, (bucket) => bucket.total), ROUNDING, 'window excluded');
      // The last 7 minutes had 40 bad events each; the last 3 are maintenance, so 5m sees 2 of them.
      assertClose(counts.burn['5m'].total - counts.burn['5m'].good, 80, ROUNDING, '5m bad events');
      assertClose(counts.burn['5m'].excludedTotal as number, sum(buckets.slice(-3), (bucket) => bucket.total), ROUNDING, '5m excluded');
      assertCountsAgree(counts, csvCountsWithMaintenance(def), ROUNDING);
    });

    it('agrees with the CSV path for a bad counter, per-bucket gauges, a Sloth spec and timeslices', async () => {
      const indicators: Indicator[] = [
        { type: 'prometheus', bad: 'rl_requests_errors_total{job="checkout"}', total: 'rl_requests_total{job="checkout"}', counter: true },
        { type: 'prometheus', good: 'rl_bucket_good{job="checkout"}', total: 'rl_bucket_total{job="checkout"}', counter: false },
        slothIndicator(),
      ];
      const expected = csvCountsWithMaintenance(slo(goodTotal));
      for (const indicator of indicators) {
        const counts = await fetchSloCounts(client(), slo(indicator), SERIES_END, maintenance);
        assertCountsAgree(counts, expected, ROUNDING);
      }
      const sliced = slo(goodTotal, { budgeting: { method: 'Timeslices', sliceMs: 7 * MINUTE_MS, sliceTarget: 0.99 } });
      const slicedExpected = csvCountsWithMaintenance(sliced);
      assert.notDeepEqual(slicedExpected.slices, csvCounts(sliced, buckets, SERIES_END).slices, 'maintenance changes the slices');
      assertCountsAgree(await fetchSloCounts(client(), sliced, SERIES_END, maintenance), slicedExpected, ROUNDING);
    });

    it('asks nothing more and adds no excludedTotal when no maintenance covers the service', async () => {
      const counts = await fetchSloCounts(client(), slo(goodTotal), SERIES_END, maintenanceSpans([{ start: SERIES_START, end: SERIES_END, services: ['payments'] }], 'checkout'));
      assertCountsAgree(counts, csvCounts(slo(goodTotal), buckets, SERIES_END), ROUNDING);
      assert.equal(counts.window.excludedTotal, undefined);
    });
  });

  it('builds one instant query from labelled windows', () => {
    assert.equal(
      combinedInstantQuery([
        { name: 'good:5m', expression: 'sum(increase(a[5m]))' },
        { name: 'total:5m', expression: 'sum(increase(b[5m]))' },
      ]),
      'label_replace(sum(increase(a[5m])), "rl_series", "good:5m", "", "") or label_replace(sum(increase(b[5m])), "rl_series", "total:5m", "", "")',
    );
    assert.equal(fillSlothWindow('sum(rate(x[{{.window}}])) / sum(rate(y[{{ .window }}]))', 3 * DAY_MS), 'sum(rate(x[3d])) / sum(rate(y[3d]))');
  });

  it('reports a query Prometheus rejects in plain words', async () => {
    const broken = slo({ type: 'prometheus', good: 'rl_requests_good_total{job=', total: 'rl_requests_total', counter: true });
    await assert.rejects(fetchSloCounts(client(), broken, SERIES_END), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.match(error.message, /^Prometheus at 127\.0\.0\.1:\d+ rejected the request \(400\): .*parse error/);
      return true;
    });
  });

  it('reads no data as zero events outside the backfilled range', async () => {
    const counts = await fetchSloCounts(client(), slo(goodTotal), SERIES_START - DAY_MS);
    assert.deepEqual(counts.window, { good: 0, total: 0 });
    assert.ok(counts.buckets.every((bucket) => bucket.total === 0));
  });
});

describe('Prometheus source against a server that sends values which are not counts', function () {
  // A hang guard only.
  this.timeout(10_000);
  const now = Date.parse('2026-03-20T12:00:00Z');
  let server: FakeServer | undefined;
  /** Series label (`good:5m`, `total:window`, ...) or range kind -> the value the server sends for it. */
  let instantValues: Record<string, string> = {};
  let rangeValue = '1';

  /** Answers every series the query asks for, as Prometheus does, with the value the test chose (default "1"). */
  function handler(request: RecordedRequest, response: ServerResponse): void {
    const form = new URLSearchParams(request.body);
    const names = [...(form.get('query') ?? '').matchAll(/"rl_series", "([^"]+)"/g)].map((match) => match[1]);
    if (request.path === '/api/v1/query') {
      const time = Number(form.get('time'));
      const result = names.map((name) => ({ metric: { rl_series: name }, value: [time, instantValues[name] ?? '1'] }));
      // A series nobody asked for is not judged, whatever it holds.
      result.push({ metric: { rl_series: 'unasked' }, value: [time, 'NaN'] });
      sendJson(response, 200, { status: 'success', data: { resultType: 'vector', result } });
    } else if (request.path === '/api/v1/query_range') {
      const start = Number(form.get('start'));
      const result = names.map((name) => ({ metric: { rl_series: name }, values: [[start, name === 'total' ? rangeValue : '1']] }));
      sendJson(response, 200, { status: 'success', data: { resultType: 'matrix', result } });
    } else {
      sendJson(response, 404, { status: 'error', error: 'not found' });
    }
  }

  before(async () => {
    server = await startFakeServer(handler);
  });
  after(async () => {
    await server?.close();
    removeTemporaryFolders();
  });
  beforeEach(() => {
    instantValues = {};
    rangeValue = '1';
  });

  function fakeClient() {
    return createHttpClient({ sourceName: 'Prometheus', baseUrl: server!.origin, axios: axios.create() });
  }

  it('reads finite counts as they are', async () => {
    const counts = await fetchSloCounts(fakeClient(), slo(goodTotal), now);
    assert.deepEqual(counts.window, { good: 1, total: 1 });
    assert.deepEqual(counts.burn['5m'], { good: 1, total: 1 });
  });

  const refusals: Array<[string, string, string]> = [
    ['total:5m', 'NaN', 'a value that is not a number for the total events over the last 5m'],
    ['good:window', '+Inf', 'an infinite value for the good events over the SLO window'],
    ['total:1d', '-Inf', 'an infinite value for the total events over the last 1d'],
    ['good:3d', '-1', 'a negative value for the good events over the last 3d'],
    ['total:window', '', 'a value that is not a number for the total events over the SLO window'],
  ];
  for (const [series, value, words] of refusals) {
    it(`fails the SLO in plain words when the server sends ${JSON.stringify(value)} for ${series}`, async () => {
      instantValues = { [series]: value };
      await assert.rejects(fetchSloCounts(fakeClient(), slo(goodTotal), now), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.message, `Prometheus at ${server!.host} answered ${words}; event counts must be finite and 0 or more`);
        return true;
      });
    });
  }

  it('fails the SLO when a burn-down step is not a count, naming the step', async () => {
    rangeValue = 'NaN';
    await assert.rejects(fetchSloCounts(fakeClient(), slo(goodTotal), now), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.match(error.message, /^Prometheus at 127\.0\.0\.1:\d+ answered a value that is not a number for the total events of the 2h step ending 2026-02-18T14:00:00\.000Z;/);
      return true;
    });
  });

  it('gives that SLO a report with the reason and no data, and evaluates the others', async () => {
    instantValues = { 'total:5m': '+Inf' };
    const root = buildWorkspace({
      config: yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["checkout/**"]', 'slis:', '  source: prometheus', '  prometheus:', `    url: ${server!.origin}`),
      slos: {
        'checkout.yaml': yamlDocuments(
          openSloSlo({ name: 'infinite', service: 'checkout', indicator: { prometheus: { good: 'good_total', total: 'requests_total' } } }),
        ),
      },
    });
    const definitions = await loadDefinitions(root);
    assert.deepEqual(definitions.problems, []);
    const result = await computeSloReports(root, definitions.config, definitions.slos, { now, allowRemote: true });
    const [report] = result.reports;
    assert.equal(report.status, 'no-data');
    assert.equal(report.error, `Prometheus at ${server!.host} answered an infinite value for the total events over the last 5m; event counts must be finite and 0 or more`);
    assert.ok([report.budget.remaining, report.budget.consumed, ...Object.values(report.burnRates)].every(Number.isFinite));
    assert.equal(result.sources[0].state, 'failing');
  });
});

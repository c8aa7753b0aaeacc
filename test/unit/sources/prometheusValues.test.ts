// OpenSLO thresholdMetric and ratioMetric.raw in Prometheus mode, against a REAL Prometheus (Debian
// package `prometheus`) backfilled by promtool with three days of per-minute gauges, compared with file
// mode reading the same data points from a CSV value column (DOMAIN.md section 2, "Other
// indicators"). The data holds what each mode must leave out alike: a NaN value (a bad CSV row, a
// point Prometheus mode drops) and a raw ratio of 1.5 (likewise).
//
// Why they agree: every window counts the points in (now - w, now]. Prometheus mode reads the query
// at each whole minute (PROMETHEUS_VALUE_STEP_MS) through a subquery whose range is 1 ms short of the
// window, so its steps fall on the same minutes as the CSV rows; the instant selector at a step picks
// the sample written at that minute. Counts are then equal exactly, and the raw sums to rounding.
import { strict as assert } from 'node:assert';
import { BURN_WINDOWS } from '../../../src/core/model';
import type { SloReport } from '../../../src/core/model';
import { loadDefinitions } from '../../../src/workspace/definitions';
import { computeSloReports } from '../../../src/workspace/sloData';
import { buildWorkspace, removeTemporaryFolders, yamlDocuments, yamlLines } from '../builders/workspaceBuilders';
import { startBackfilledPrometheus } from './support/realServers';
import type { BackfilledPrometheus } from './support/realServers';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SERIES_END = Date.parse('2025-10-31T00:00:00Z');
const MINUTES = 3 * 1440;
const ROUNDING = 1e-9;

interface Point {
  end: number;
  latency: number;
  ratio: number;
}

/** Minute `i` (1-based) ends at SERIES_END - MINUTES + i minutes; one NaN latency, one NaN and one 1.5 ratio. */
function points(): Point[] {
  const list: Point[] = [];
  for (let i = 1; i <= MINUTES; i++) {
    const end = SERIES_END - (MINUTES - i) * MINUTE_MS;
    let latency = ((i * 7919) % 97) / 100;
    let ratio = ((i * 31) % 17) / 16;
    if (i === 100 || i === MINUTES - 2) latency = Number.NaN;
    if (i === 200) ratio = Number.NaN;
    if (i === MINUTES - 1) ratio = 1.5;
    list.push({ end, latency, ratio });
  }
  return list;
}

function openMetrics(list: readonly Point[]): string {
  const text = (value: number) => (Number.isNaN(value) ? 'NaN' : String(value));
  const lines = ['# TYPE rl_latency_seconds gauge'];
  for (const point of list) lines.push(`rl_latency_seconds{job="checkout"} ${text(point.latency)} ${point.end / 1000}`);
  lines.push('# TYPE rl_success_ratio gauge');
  for (const point of list) lines.push(`rl_success_ratio{job="checkout"} ${text(point.ratio)} ${point.end / 1000}`);
  lines.push('# EOF', '');
  return lines.join('\n');
}

function csv(list: readonly Point[]): string {
  return yamlLines('timestamp,latency,ratio', ...list.map((point) => `${new Date(point.end).toISOString()},${point.latency},${point.ratio}`));
}

/** The four SLOs, reading either the CSV columns or the Prometheus gauges. */
function slos(source: 'csv' | 'prometheus'): string {
  const metric = (column: string, query: string) =>
    source === 'csv'
      ? { metricSource: { type: 'CSV', spec: { path: 'data/checkout.csv', column } } }
      : { metricSource: { type: 'Prometheus', spec: { query } } };
  const latency = { thresholdMetric: metric('latency', 'rl_latency_seconds{job="checkout"}') };
  const raw = (rawType: string) => ({ ratioMetric: { rawType, raw: metric('ratio', 'rl_success_ratio{job="checkout"}') } });
  const slo = (name: string, sli: object, objective: object, budgetingMethod = 'Occurrences') => ({
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name },
    spec: {
      service: 'checkout',
      indicator: { metadata: { name: `${name}-sli` }, spec: sli },
      timeWindow: [{ duration: '7d', isRolling: true }],
      budgetingMethod,
      objectives: [objective],
    },
  });
  return yamlDocuments(
    slo('latency', latency, { target: 0.5, op: 'lte', value: 0.5 }),
    slo('latency-slices', latency, { target: 0.5, op: 'gt', value: 0.25, timeSliceTarget: 0.7, timeSliceWindow: '1h' }, 'Timeslices'),
    slo('success', raw('success'), { target: 0.4, timeSliceWindow: '1h' }, 'RatioTimeslices'),
    slo('failure', raw('failure'), { target: 0.4 }),
  );
}

function assertClose(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) return assert.equal(actual, expected, what);
  const allowed = ROUNDING * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= allowed, `${what}: ${actual} vs ${expected}`);
}

describe('OpenSLO threshold and raw metrics against a real Prometheus', function () {
  this.timeout(60_000);
  const list = points();
  let prometheus: BackfilledPrometheus | undefined;
  let baseUrl = '';

  before(async () => {
    prometheus = await startBackfilledPrometheus(openMetrics(list), 'reliability-lens-prometheus-values-');
    baseUrl = prometheus.baseUrl;
  });

  after(async () => {
    await prometheus?.stop();
    removeTemporaryFolders();
  });

  async function reports(source: 'csv' | 'prometheus') {
    const config =
      source === 'csv'
        ? yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["checkout/**"]')
        : yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["checkout/**"]', 'slis:', '  source: prometheus', '  prometheus:', `    url: ${baseUrl}`);
    const root = buildWorkspace({ config, slos: { 'checkout.yaml': slos(source) }, data: source === 'csv' ? { 'data/checkout.csv': csv(list) } : {} });
    const definitions = await loadDefinitions(root);
    assert.deepEqual(definitions.problems, []);
    return computeSloReports(root, definitions.config, definitions.slos, { now: SERIES_END, allowRemote: true });
  }

  it('agrees with file mode on every number of every SLO', async () => {
    const fromCsv = await reports('csv');
    const fromPrometheus = await reports('prometheus');
    // File mode skips the rows that hold no data point, at their lines (minute i is line i + 1): the
    // NaN latencies of minutes 100 and MINUTES - 2, the NaN ratio of minute 200 and the 1.5 of MINUTES - 1.
    // (Each column is its own read, so the two reads' problems are sorted here.)
    assert.deepEqual(
      fromCsv.problems.map((problem) => [problem.line, problem.message]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      [
        [101, 'latency: expected a finite number'],
        [201, 'ratio: expected a ratio between 0 and 1'],
        [MINUTES - 1, 'latency: expected a finite number'],
        [MINUTES, 'ratio: expected a ratio between 0 and 1'],
      ],
    );
    assert.deepEqual(fromPrometheus.sources.map((source) => source.state), ['ok']);
    assert.deepEqual(fromPrometheus.reports.map((report) => report.error), [undefined, undefined, undefined, undefined]);

    fromCsv.reports.forEach((expected: SloReport, index) => {
      const actual = fromPrometheus.reports[index];
      const name = expected.name;
      assert.equal(actual.name, name);
      assertClose(actual.good, expected.good, `${name} good`);
      assert.equal(actual.total, expected.total, `${name} total`);
      assertClose(actual.sli, expected.sli, `${name} sli`);
      assertClose(actual.budget.remaining, expected.budget.remaining, `${name} remaining`);
      for (const label of BURN_WINDOWS) assertClose(actual.burnRates[label], expected.burnRates[label], `${name} burn ${label}`);
      assert.equal(actual.status, expected.status, `${name} status`);
      assert.equal(actual.burnDown.length, expected.burnDown.length, `${name} burn-down points`);
      actual.burnDown.forEach(([time, remaining], point) => {
        assert.equal(time, expected.burnDown[point][0]);
        assertClose(remaining, expected.burnDown[point][1], `${name} burn-down ${point}`);
      });
    });
  });

  it('counts what was written by hand: each minute one event, the NaN and 1.5 points left out', async () => {
    const { reports: [latency, , success, failure] } = await reports('prometheus');
    // 3 days of minutes, less the two NaN latencies.
    assert.equal(latency.total, MINUTES - 2);
    const holds = list.filter((point) => point.latency <= 0.5).length;
    assert.equal(latency.good, holds);
    // The last 5 minutes: minutes MINUTES-4..MINUTES, the one at MINUTES-2 is NaN: 4 points.
    const lastFive = list.slice(-5).filter((point) => !Number.isNaN(point.latency));
    assert.equal(lastFive.length, 4);
    const badInFive = lastFive.filter((point) => !(point.latency <= 0.5)).length;
    assert.equal(latency.burnRates['5m'], badInFive === 0 ? 0 : badInFive / 4 / 0.5);
    // Ratios: 3 days less the NaN and the 1.5; the success SLI is their mean over 1h slices.
    const ratios = list.filter((point) => point.ratio >= 0 && point.ratio <= 1);
    assert.equal(failure.total, MINUTES - 2);
    const meanSuccess = ratios.reduce((sum, point) => sum + point.ratio, 0) / ratios.length;
    assertClose(failure.sli, 1 - meanSuccess, 'failure sli = mean of 1 - r');
    assert.equal(success.budgetingMethod, 'RatioTimeslices');
    assert.equal(DAY_MS % (60 * MINUTE_MS), 0);
  });
});

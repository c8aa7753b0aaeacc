// Deployment impact in Prometheus mode against a REAL Prometheus (Debian's package, backfilled by
// promtool with the per-minute counters of support/checkoutSeries.ts), compared with what file mode
// sums from the same buckets. The bad day's bad hours are the minutes ending 2025-10-22 10:01 to 14:00.
//
// Tolerances, and why (sources/prometheusImpact.ts says the same):
// - a deployment on a bucket end: every span starts and ends on a sample, increase() extrapolates
//   nothing, and the counts agree with file mode to floating-point rounding (relative 1e-9);
// - a deployment between bucket ends (30 s past one): each span is off by at most one bucket's events
//   at each end, so by at most two buckets' worth; the verdict is the same away from its threshold.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import axios from 'axios';
import { countsFromIntervals, impactBoundaries, impactSpans, sloImpact, type ImpactSlo, type ImpactSpans } from '../../../src/core/deploymentImpact';
import { maintenanceSpans, type TimeSpan } from '../../../src/core/maintenance';
import type { Deployment, SloDefinition, WindowCounts } from '../../../src/core/model';
import { SloCountsAccumulator, sloWindowRange } from '../../../src/core/sloCounts';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { fetchImpactCounts, type ImpactQuestion } from '../../../src/sources/prometheusImpact';
import { cli } from '../builders/cliRunner';
import { DAY_MS, MINUTE_MS, SERIES_END, checkoutBuckets, checkoutOpenMetrics, type Bucket } from './support/checkoutSeries';
import { startBackfilledPrometheus, temporaryDirectory, type BackfilledPrometheus } from './support/realServers';

const HOUR_MS = 60 * MINUTE_MS;
const ROUNDING = 1e-9;
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'prometheus');
/** Twenty minutes before the bad hours, on a bucket end. */
const DEPLOYED = Date.parse('2025-10-22T09:40:00Z');

const def: SloDefinition = {
  name: 'checkout-availability',
  service: 'checkout',
  objective: 0.999,
  window: { kind: 'rolling', label: '30d', durationMs: 30 * DAY_MS },
  budgeting: { method: 'Occurrences' },
  indicator: { type: 'prometheus', good: 'rl_requests_good_total{job="checkout"}', total: 'rl_requests_total{job="checkout"}', counter: true },
  file: '.reliability/slos/checkout.yaml',
  line: 1,
};

function deployment(time: number): Deployment {
  return { name: 'v2', commit: 'c'.repeat(40), time, services: ['checkout'], source: 'git-tags' };
}

/** File mode's counts of the spans: one pass with the spans' boundaries (what sloData.ts does). */
function csvSpanCounts(buckets: readonly Bucket[], time: number, now: number, maintenance: readonly TimeSpan[] = []): (span: TimeSpan) => WindowCounts {
  const windowStart = sloWindowRange(def, now).start;
  const accumulator = new SloCountsAccumulator(def, now, maintenance, impactBoundaries([deployment(time)], 'checkout', time - 1, now, windowStart));
  for (const bucket of buckets) accumulator.add(bucket.end, bucket.good, bucket.total);
  const counts = accumulator.result();
  return (span) => countsFromIntervals(counts.intervals!, span)!;
}

function question(time: number, now: number, maintenance: readonly TimeSpan[] = []): ImpactQuestion {
  const spans = impactSpans(time, null, now, sloWindowRange(def, now).start);
  return { def, time, spans, closed: time + 6 * HOUR_MS <= now, maintenance };
}

const spanList = (spans: ImpactSpans): TimeSpan[] => [spans.before, spans.first, spans.after, spans.inBudgetWindow];

function impactSlo(windowTotal: number, countsIn: (span: TimeSpan) => WindowCounts | null): ImpactSlo {
  return { name: def.name, service: def.service, objective: def.objective, budgetingMethod: 'Occurrences', windowStart: SERIES_END - 30 * DAY_MS, windowTotal, countsIn };
}

function assertClose(actual: number, expected: number, allowed: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= allowed, `${what}: ${actual} vs ${expected} (allowed ±${allowed})`);
}

describe('deployment impact from a real Prometheus', function () {
  this.timeout(90_000);
  const buckets = checkoutBuckets();
  const windowTotal = buckets.reduce((sum, bucket) => sum + bucket.total, 0);
  const largestBucket = Math.max(...buckets.map((bucket) => bucket.total));
  let prometheus: BackfilledPrometheus | undefined;
  let requests = 0;

  before(async () => {
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(buckets), 'reliability-lens-impact-');
  });
  after(async () => {
    await prometheus?.stop();
  });

  function client() {
    const counted = axios.create();
    counted.interceptors.request.use((config) => {
      requests++;
      return config;
    });
    return createHttpClient({ sourceName: 'Prometheus', baseUrl: prometheus!.baseUrl, axios: counted });
  }

  it('agrees with file mode to rounding for a deployment on a bucket end, in one request', async () => {
    const asked = question(DEPLOYED, SERIES_END);
    requests = 0;
    const answers = await fetchImpactCounts(client(), [asked]);
    assert.equal(requests, 1, 'one instant query for every span of the deployment');
    assert.deepEqual(answers.failures, []);
    const csv = csvSpanCounts(buckets, DEPLOYED, SERIES_END);
    for (const span of spanList(asked.spans)) {
      const fromPrometheus = answers.countsIn(def, span)!;
      const expected = csv(span);
      assertClose(fromPrometheus.total, expected.total, ROUNDING * expected.total, `total ${JSON.stringify(span)}`);
      assertClose(fromPrometheus.good, expected.good, ROUNDING * expected.total, `good ${JSON.stringify(span)}`);
    }
    const fromPrometheus = sloImpact(impactSlo(windowTotal, (span) => answers.countsIn(def, span)), asked.spans, {
      before: answers.countsIn(def, asked.spans.before)!,
      first: answers.countsIn(def, asked.spans.first)!,
      after: answers.countsIn(def, asked.spans.after)!,
      inBudgetWindow: answers.countsIn(def, asked.spans.inBudgetWindow)!,
    });
    const fromCsv = sloImpact(impactSlo(windowTotal, csv), asked.spans, {
      before: csv(asked.spans.before),
      first: csv(asked.spans.first),
      after: csv(asked.spans.after),
      inBudgetWindow: csv(asked.spans.inBudgetWindow),
    });
    assert.equal(fromCsv.verdict, 'degraded', 'the bad hours follow the deployment');
    assert.equal(fromPrometheus.verdict, fromCsv.verdict);
    for (const key of ['before', 'after1h', 'after', 'budgetSpent'] as const) {
      assertClose(fromPrometheus[key]!, fromCsv[key]!, ROUNDING * Math.max(1, fromCsv[key]!), key);
    }
  });

  it('between bucket ends, each span is within one bucket at each end of file mode, and the verdict holds', async () => {
    const between = DEPLOYED + 30_000;
    const asked = question(between, SERIES_END);
    const answers = await fetchImpactCounts(client(), [asked]);
    const csv = csvSpanCounts(buckets, between, SERIES_END);
    for (const span of spanList(asked.spans)) {
      const fromPrometheus = answers.countsIn(def, span)!;
      const expected = csv(span);
      assertClose(fromPrometheus.total, expected.total, 2 * largestBucket, `total ${JSON.stringify(span)}`);
      assertClose(fromPrometheus.total - fromPrometheus.good, expected.total - expected.good, 2 * largestBucket, `bad ${JSON.stringify(span)}`);
    }
    const verdictOf = (countsIn: (span: TimeSpan) => WindowCounts) =>
      sloImpact(impactSlo(windowTotal, countsIn), asked.spans, {
        before: countsIn(asked.spans.before),
        first: countsIn(asked.spans.first),
        after: countsIn(asked.spans.after),
        inBudgetWindow: countsIn(asked.spans.inBudgetWindow),
      }).verdict;
    assert.equal(verdictOf((span) => answers.countsIn(def, span)!), verdictOf(csv));
  });

  it('keeps a closed after-window for good and asks again about one still open', async () => {
    const cache = new Map<string, WindowCounts>();
    const closed = question(DEPLOYED, SERIES_END);
    // Deployed two hours before now: its after-window is still growing.
    const open = question(SERIES_END - 2 * HOUR_MS, SERIES_END);
    assert.equal(open.closed, false);
    requests = 0;
    await fetchImpactCounts(client(), [closed, open], cache);
    assert.equal(requests, 2);
    requests = 0;
    const again = await fetchImpactCounts(client(), [closed, open], cache);
    assert.equal(requests, 1, 'only the open one is asked again');
    assert.equal(again.requests, 1);
    assert.ok(again.countsIn(def, closed.spans.after)!.total > 0, 'the closed one answered from the cache');
  });

  it('subtracts maintenance as file mode leaves it out', async () => {
    const maintenance = maintenanceSpans([{ start: Date.parse('2025-10-22T10:00:00Z'), end: Date.parse('2025-10-22T12:00:00Z') }], 'checkout');
    const asked = question(DEPLOYED, SERIES_END, maintenance);
    const answers = await fetchImpactCounts(client(), [asked]);
    const csv = csvSpanCounts(buckets, DEPLOYED, SERIES_END, maintenance);
    for (const span of spanList(asked.spans)) {
      const expected = csv(span);
      const fromPrometheus = answers.countsIn(def, span)!;
      assertClose(fromPrometheus.total, expected.total, ROUNDING * Math.max(1, expected.total), `total ${JSON.stringify(span)}`);
      assertClose(fromPrometheus.good, expected.good, ROUNDING * Math.max(1, expected.total), `good ${JSON.stringify(span)}`);
    }
    // The first hour is (09:40, 10:40]: its 40 bad-hour minutes are maintenance, 20 good ones remain.
    assert.equal(csv(asked.spans.first).total, buckets.filter((b) => b.end > DEPLOYED && b.end <= DEPLOYED + 20 * MINUTE_MS).reduce((sum, b) => sum + b.total, 0));
  });

  it('deployments --json gives the same numbers from Prometheus as from the same data in a CSV file', async () => {
    const directory = temporaryDirectory('rl-impact-cli-');
    try {
      const csvRows = `${['timestamp,good,total', ...buckets.map((b) => `${new Date(b.end).toISOString()},${b.good},${b.total}`)].join('\n')}\n`;
      const openSlo = fs.readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8');
      const csvSlo = openSlo
        .replace(/type: Prometheus\n(\s+)spec:\n\s+query: rl_requests_good_total\{job="checkout"\}/, 'type: CSV\n$1spec: { path: data/checkout.csv, column: good }')
        .replace(/type: Prometheus\n(\s+)spec:\n\s+query: rl_requests_total\{job="checkout"\}/, 'type: CSV\n$1spec: { path: data/checkout.csv, column: total }');
      const fileMode = tagged(path.join(directory.path, 'file'), '', csvSlo, csvRows);
      const promMode = tagged(path.join(directory.path, 'prometheus'), `slis:\n  source: prometheus\n  prometheus:\n    url: ${prometheus!.baseUrl}\n`, openSlo);
      const now = new Date(SERIES_END).toISOString();
      const expected = (await cli(fileMode, 'deployments', '--now', now, '--json')).json().deployments;
      const result = await cli(promMode, 'deployments', '--now', now, '--json');
      assert.equal(result.code, 0, result.stderr);
      const actual = result.json().deployments;
      assert.deepEqual(actual.map((entry: any) => [entry.name, entry.verdict, entry.suspect]), [
        ['v2', 'degraded', true],
        ['v1', 'ok', false],
      ]);
      assert.deepEqual(expected.map((entry: any) => [entry.name, entry.verdict, entry.suspect]), actual.map((entry: any) => [entry.name, entry.verdict, entry.suspect]));
      actual.forEach((entry: any, index: number) => {
        const [impact, expectedImpact] = [entry.impact[0], expected[index].impact[0]];
        for (const key of ['before', 'after1h', 'after', 'budgetSpent']) assertClose(impact[key], expectedImpact[key], ROUNDING * Math.max(1, expectedImpact[key]), `${entry.name} ${key}`);
      });
    } finally {
      directory.remove();
    }
  });
});

/** A workspace repository with tags v1 (2025-10-15 12:00) and v2 (DEPLOYED), each annotated at its time. */
function tagged(root: string, config: string, slo: string, data?: string): string {
  fs.mkdirSync(path.join(root, '.reliability', 'slos'), { recursive: true });
  fs.writeFileSync(path.join(root, '.reliability', 'config.yaml'), `version: 1\nservices:\n  - name: checkout\n    paths: ["checkout/**"]\n${config}`);
  fs.writeFileSync(path.join(root, '.reliability', 'slos', 'checkout.yaml'), slo);
  if (data) {
    fs.mkdirSync(path.join(root, '.reliability', 'data'), { recursive: true });
    fs.writeFileSync(path.join(root, '.reliability', 'data', 'checkout.csv'), data);
  }
  const env = (date: string) => ({ ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com', GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
  const git = (args: string[], date: string) => execFileSync('git', args, { cwd: root, env: env(date) });
  git(['init', '-q', '-b', 'main'], '2025-09-01T00:00:00Z');
  git(['commit', '-q', '--allow-empty', '-m', 'Initial'], '2025-09-01T00:00:00Z');
  git(['tag', '-a', 'v1', '-m', 'v1'], '2025-10-15T12:00:00Z');
  git(['commit', '-q', '--allow-empty', '-m', 'Second'], '2025-10-22T09:00:00Z');
  git(['tag', '-a', 'v2', '-m', 'v2'], new Date(DEPLOYED).toISOString());
  return root;
}

// The real-Prometheus support (support/realServers.ts) backfills recording rules too: a rule file's
// series are computed from the raw data by `promtool tsdb create-blocks-from rules` against a running
// Prometheus, so the source tests and the benchmark can read recorded series at past times exactly as
// if Prometheus had evaluated the rules all along. Also: raw data in several OpenMetrics documents,
// extra server flags, and a cache that is reused while its key and the rules are unchanged.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBackfilledPrometheus, temporaryDirectory } from './support/realServers';
import type { BackfilledPrometheus, RuleBackfill } from './support/realServers';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The first sample; six hours of one sample a minute follow. */
const SERIES_START = Date.parse('2025-10-30T00:00:00Z');
const SERIES_END = SERIES_START + 6 * HOUR_MS;
/** Events a minute per instance: constant rates, so every 5-minute increase is known exactly. */
const RATES: Record<string, number> = { i0: 60, i1: 30 };
const RECORD = 'rl:requests:increase5m';
const RAW_EXPRESSION = 'sum by (instance) (increase(rl_requests_total[5m]))';

/** The counters as OpenMetrics: one document per `[from, to)` part of the six hours. */
function openMetrics(from: number, to: number): string {
  const lines = ['# TYPE rl_requests counter'];
  for (const [instance, rate] of Object.entries(RATES)) {
    for (let t = from; t < to; t += MINUTE_MS) {
      lines.push(`rl_requests_total{instance="${instance}"} ${((t - SERIES_START) / MINUTE_MS) * rate} ${t / 1000}`);
    }
  }
  return [...lines, '# EOF', ''].join('\n');
}

const wholeSeries = () => openMetrics(SERIES_START, SERIES_END + MINUTE_MS);

function ruleFile(record: string): string {
  return `groups:\n  - name: rl-test\n    interval: 5m\n    rules:\n      - record: ${record}\n        expr: ${RAW_EXPRESSION}\n`;
}

/** Records from half an hour in to an hour before the end: both edges lie inside the raw data. */
const rules = (record = RECORD): RuleBackfill => ({ text: ruleFile(record), start: SERIES_START + HOUR_MS / 2, end: SERIES_END - HOUR_MS });

interface Series {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

async function api<T>(baseUrl: string, path: string, params: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${path}?${new URLSearchParams(params)}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  assert.equal(body.status, 'success', `${path} ${JSON.stringify(params)}: ${body.error}`);
  return body.data;
}

/** Every sample of `selector` in the six hours, by instance, with its time (an instant range selector). */
async function samplesOf(baseUrl: string, selector: string): Promise<Map<string, Array<{ t: number; value: number }>>> {
  const data = await api<{ result: Series[] }>(baseUrl, '/api/v1/query', { query: `${selector}[7h]`, time: String(SERIES_END / 1000 + HOUR_MS / 1000) });
  return new Map(data.result.map((series) => [series.metric.instance, series.values.map(([t, value]) => ({ t: t * 1000, value: Number(value) }))]));
}

function blockNames(directory: string): string[] {
  return existsSync(directory) ? readdirSync(directory).filter((name) => !name.startsWith('.')).sort() : [];
}

describe('real Prometheus with recording rules backfilled by promtool', function () {
  this.timeout(90_000);
  // Each test stops its servers itself, failing or not: a server left running keeps mocha alive.
  let prometheus: BackfilledPrometheus | undefined;

  afterEach(async () => {
    await prometheus?.stop();
    prometheus = undefined;
  });

  it('serves a rule series at past times, each record equal to its expression on the raw data then', async () => {
    prometheus = await startBackfilledPrometheus(wholeSeries(), 'rl-backfilled-rules-', { rules: rules(), flags: ['--query.max-samples=123456'] });
    const { baseUrl } = prometheus;
    // The flags reached the server.
    const flags = await api<Record<string, string>>(baseUrl, '/api/v1/status/flags');
    assert.equal(flags['query.max-samples'], '123456');

    const recorded = await samplesOf(baseUrl, RECORD);
    assert.deepEqual([...recorded.keys()].sort(), ['i0', 'i1']);
    const { start, end } = rules();
    for (const [instance, records] of recorded) {
      // One record every 5 minutes over the backfilled range, and none outside it: nothing evaluated them live.
      assert.ok(records.length >= 53 && records.length <= 55, `${instance}: ${records.length} records`);
      assert.ok(records[0].t >= start && records[0].t < start + 5 * MINUTE_MS, `${instance} first record at ${new Date(records[0].t).toISOString()}`);
      assert.ok(records[records.length - 1].t <= end);
      records.slice(1).forEach((record, index) => assert.equal(record.t - records[index].t, 5 * MINUTE_MS));
      // Constant rates: five minutes' worth of events, whatever the group's offset from the minute grid.
      for (const record of records) assert.ok(Math.abs(record.value - 5 * RATES[instance]) < 1e-9, `${instance} at ${record.t}: ${record.value}`);
    }
    // And each record is what the expression gives on the raw data at the record's time.
    for (const record of recorded.get('i0')!.filter((_, index) => index % 10 === 0)) {
      const raw = await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(baseUrl, '/api/v1/query', {
        query: RAW_EXPRESSION,
        time: String(record.t / 1000),
      });
      assert.equal(Number(raw.result.find((series) => series.metric.instance === 'i0')?.value[1]), record.value);
    }
    // The raw data is all there too.
    const raw = await samplesOf(baseUrl, 'rl_requests_total');
    assert.equal(raw.get('i0')?.length, 6 * 60 + 1);
  });

  it('keeps its backfills in a cache: reused while key and rules hold, the rules redone when they change', async () => {
    const cache = temporaryDirectory('rl-backfill-cache-');
    try {
      const options = (record: string) => ({ rules: rules(record), cache: { directory: cache.path, key: 'rates i0=60 i1=30' } });
      // Raw data in two documents, each backfilled by its own promtool run.
      const halves = [openMetrics(SERIES_START, SERIES_START + 3 * HOUR_MS), openMetrics(SERIES_START + 3 * HOUR_MS, SERIES_END + MINUTE_MS)];
      prometheus = await startBackfilledPrometheus(halves, 'rl-backfill-cached-', options(RECORD));
      assert.equal((await samplesOf(prometheus.baseUrl, 'rl_requests_total')).get('i1')?.length, 6 * 60 + 1);
      await prometheus.stop();
      prometheus = undefined;
      const rawBlocks = blockNames(join(cache.path, 'raw'));
      const ruleBlocks = blockNames(join(cache.path, 'rules'));
      assert.ok(rawBlocks.length > 0 && ruleBlocks.length > 0);

      // Same key and rules: the raw data is not even generated, and no block is rewritten.
      const notGenerated = {
        *[Symbol.iterator](): Iterator<string> {
          throw new Error('the cached raw data was generated again');
        },
      };
      prometheus = await startBackfilledPrometheus(notGenerated, 'rl-backfill-cached-', options(RECORD));
      assert.equal((await samplesOf(prometheus.baseUrl, RECORD)).get('i0')?.[0].value, 300);
      await prometheus.stop();
      prometheus = undefined;
      assert.deepEqual(blockNames(join(cache.path, 'raw')), rawBlocks);
      assert.deepEqual(blockNames(join(cache.path, 'rules')), ruleBlocks);

      // Other rules: computed again from the cached raw data, and the old records are gone.
      prometheus = await startBackfilledPrometheus(notGenerated, 'rl-backfill-cached-', options('rl:requests:other5m'));
      assert.equal((await samplesOf(prometheus.baseUrl, 'rl:requests:other5m')).get('i1')?.[0].value, 150);
      assert.equal((await samplesOf(prometheus.baseUrl, RECORD)).size, 0);
      assert.deepEqual(blockNames(join(cache.path, 'raw')), rawBlocks);
      assert.notDeepEqual(blockNames(join(cache.path, 'rules')), ruleBlocks);
    } finally {
      await prometheus?.stop();
      prometheus = undefined;
      cache.remove();
    }
  });
});

// Prometheus mode (DOMAIN.md section 2): the counts the SLO engine needs, computed by PromQL over the
// same windows file mode uses, evaluated at `time=now`. Works with anything that speaks the
// Prometheus HTTP API (Thanos, Mimir/Cortex with `X-Scope-OrgID`, VictoriaMetrics): only
// /api/v1/query, /api/v1/query_range and /api/v1/status/buildinfo are used.
//
// Request budget per SLO: ONE instant query for the SLO window, the seven burn windows and the
// partial tail bucket/slice (every window is a separate series of one result vector, told apart by
// a label added with label_replace and joined with `or`; the parts of those windows, buckets and
// slices that lie in maintenance windows ride along, each read at its end with `@`), plus
// query_range calls for the burn-down
// buckets (one, at most 500 points) and, for Timeslices budgeting, the slices (one per 10,000
// slices). All are sent together; the client caps concurrency per host.
//
// How exact it is. For a counter, good(w) = sum(increase(SELECTOR[w])). Prometheus 2.x selects the
// samples in [now - w, now]; when the counter is sampled at the CSV's bucket ends and `now` is one
// of them, the first sample sits exactly on now - w and the last on now, so increase() needs no
// extrapolation and equals the CSV sum over now - w < t <= now to floating-point rounding. When
// `now` falls between samples (or on Prometheus 3, whose ranges are left-open and so drop the
// sample on now - w), increase() sees one bucket fewer and scales the rest up to the window:
// the result is the mean of the other buckets in place of the first one, so it is off by at most
// one bucket's worth of events (|mean(b2..bn) - b1|). Ratios (SLI, burn rates) are affected only
// through that edge bucket too. test/unit/sources/prometheus.test.ts shows both cases against a
// real server.
import { z } from 'zod';
import { BURN_WINDOWS } from '../core/model';
import { burnDownBucketMs, slicesOf, sloWindowLengthMs, sloWindowRange } from '../core/sloCounts';
import { clipToSpan } from '../core/maintenance';
import type { TimeSpan } from '../core/maintenance';
import { fixedDurationMs } from '../core/duration';
import type { BurnWindow, Indicator, SloCounts, SloDefinition, WindowCounts } from '../core/model';
import { combinedInstantQuery, eventQueries, PromqlSetupError, promqlDuration, promqlTime, SERIES_LABEL } from '../core/promql';
import type { EventKind, EventQueries } from '../core/promql';
import type { HttpClient } from './http/httpClient';
import { SourceError } from './http/sourceError';
import type { PrometheusSession } from './prometheusSession';
import { StepPlan, stepStore } from './prometheusSteps';
import type { KindValues } from './prometheusSteps';

/** Prometheus refuses query_range answers above 11,000 points per series; stay well under. */
const MAX_POINTS_PER_RANGE_QUERY = 10_000;

const sampleValue = z.tuple([z.number(), z.string()]);
const instantResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })),
  }),
});
const rangeResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) })),
  }),
});
const buildInfoResponse = z.object({
  status: z.literal('success'),
  data: z.object({ version: z.string() }).loose(),
});


export interface PrometheusInfo {
  version: string;
}

/**
 * Asks the server who it is (GET /api/v1/status/buildinfo), for the `sources` command. Some
 * compatible servers do not implement buildinfo; for those a trivial query proves the API works.
 */
export async function checkPrometheus(client: HttpClient): Promise<PrometheusInfo> {
  try {
    const response = await client.getJson('api/v1/status/buildinfo', buildInfoResponse);
    return { version: response.data.data.version };
  } catch (error) {
    if (!(error instanceof SourceError) || error.reason !== 'not-found') throw error;
    await client.getJson('api/v1/query', instantResponse, { query: 'vector(1)' });
    return { version: 'unknown (Prometheus-compatible)' };
  }
}

/** How one SLO is read; every field may be left out. */
export interface FetchSloOptions {
  /** Spans in maintenance for this SLO (core/maintenance.ts maintenanceSpans). */
  maintenance?: readonly TimeSpan[];
  /** Read the burn-down buckets (a query_range); default true. */
  burnDown?: boolean;
  /** How to ask for events: the indicator's own queries by default, recorded series in rules mode. */
  queries?: EventQueries;
  /** Where the step counts of long windows are kept between refreshes (none: nothing is kept). */
  session?: PrometheusSession;
}

/**
 * Everything the SLO engine needs about `def` at `now`, read from Prometheus. Windows, buckets and
 * slices follow the same boundaries as the CSV path (src/core/sloCounts.ts): the SLO window is
 * (start, now], buckets and slices are aligned to its start, and the last of each may be partial.
 *
 * Long windows (two hours or more: the SLO window, 2h, 6h, 1d, 3d) are read in parts
 * (sources/prometheusSteps.ts): whole hours on the epoch's hour grid, kept in the session once
 * settled, plus the part before the first whole hour and the part after the last. A refresh then
 * asks only for the new hour, the edges and the short windows, all in the one instant query.
 *
 * Maintenance (DOMAIN.md section 6; `maintenance` as core/maintenance.ts maintenanceSpans gives it):
 * the events of each part of a window, bucket or slice that lies in maintenance are asked for in the
 * same instant query, each part at its own end with the `@` modifier, and subtracted; a span wholly
 * in maintenance is simply empty. The windows then carry what was subtracted as `excludedTotal`.
 */
export async function fetchSloCounts(
  client: HttpClient,
  def: SloDefinition,
  now: number,
  maintenanceOrOptions: readonly TimeSpan[] | FetchSloOptions = [],
): Promise<SloCounts> {
  const options: FetchSloOptions = Array.isArray(maintenanceOrOptions) ? { maintenance: maintenanceOrOptions } : (maintenanceOrOptions as FetchSloOptions);
  const maintenance = options.maintenance ?? [];
  const queries = options.queries ?? indicatorQueries(client, def.indicator);
  const { start } = sloWindowRange(def, now);
  const elapsedMs = now - start;
  if (!(elapsedMs > 0)) {
    return { window: { good: 0, total: 0 }, burn: emptyBurn(), buckets: [] };
  }

  // The same bucket width as file mode (chosen from the full window length), so charts match.
  const bucketMs = burnDownBucketMs(sloWindowLengthMs(def, now));
  const bucketGrid = grid(start, now, bucketMs);
  const sliceGrid = def.budgeting.method === 'Occurrences' ? null : grid(start, now, def.budgeting.sliceMs);

  // Every window ending at `now`.
  const instantWindows = new Map<string, number>();
  instantWindows.set('window', elapsedMs);
  for (const label of BURN_WINDOWS) instantWindows.set(label, burnWindowMs(label));
  if (bucketGrid.tailMs > 0) instantWindows.set('bucketTail', bucketGrid.tailMs);
  if (sliceGrid && sliceGrid.tailMs > 0) instantWindows.set('sliceTail', sliceGrid.tailMs);

  // What maintenance takes out of each of them, planned before anything is asked.
  const plan = new MaintenancePlan(maintenance);
  const windowExclusions = new Map<string, Exclusion | undefined>();
  for (const [name, windowMs] of instantWindows) windowExclusions.set(name, plan.exclusion({ start: now - windowMs, end: now }));
  const bucketExclusions = plan.gridExclusions(bucketGrid);
  const sliceExclusions = sliceGrid ? plan.gridExclusions(sliceGrid) : new Map<number, Exclusion>();

  // Long windows from kept steps and their edges; the rest asked for whole.
  const steps = queries.additive ? new StepPlan(stepStore(options.session, client, queries), now, queries) : null;
  const asked: AskedSpan[] = [];
  for (const [name, lengthMs] of instantWindows) {
    if (steps?.composes(lengthMs)) steps.compose(name, lengthMs, instantWindowWords(name));
    else asked.push({ name, lengthMs, end: now, words: instantWindowWords(name) });
  }
  asked.push(...plan.parts());
  if (steps) asked.push(...steps.askedSpans());
  const wantsBuckets = options.burnDown ?? true;
  const [instant, buckets, slices, rangeSteps] = await Promise.all([
    instantCounts(client, queries, asked, now),
    wantsBuckets ? rangeCounts(client, queries, bucketGrid) : Promise.resolve([]),
    sliceGrid ? rangeCounts(client, queries, sliceGrid) : Promise.resolve([]),
    steps ? steps.fetchRange((stepGrid) => rangeCounts(client, queries, stepGrid)) : Promise.resolve([]),
  ]);
  if (steps) {
    steps.settle(instant, rangeSteps);
    for (const [name, values] of steps.composed()) instant.set(name, values);
  }

  const tracksExcluded = maintenance.length > 0;
  const net = (values: KindValues | undefined, exclusion: Exclusion | undefined): WindowCounts => {
    const counts = netCounts(queries, values ?? {}, exclusion, instant);
    if (!tracksExcluded) delete counts.excludedTotal;
    return counts;
  };
  const step = (value: { end: number; values: KindValues }, exclusions: ReadonlyMap<number, Exclusion>) => {
    const { good, total } = net(value.values, exclusions.get(value.end));
    return { end: value.end, good, total };
  };
  const tail = (name: string) => {
    const { good, total } = net(instant.get(name), windowExclusions.get(name));
    return { end: now, good, total };
  };

  const counts: SloCounts = {
    window: net(instant.get('window'), windowExclusions.get('window')),
    burn: emptyBurn(),
    buckets: buckets.map((bucket) => step(bucket, bucketExclusions)),
  };
  for (const label of BURN_WINDOWS) counts.burn[label] = net(instant.get(label), windowExclusions.get(label));
  if (wantsBuckets && bucketGrid.tailMs > 0) counts.buckets.push(tail('bucketTail'));

  if (sliceGrid) {
    const allSlices = slices.map((slice) => step(slice, sliceExclusions));
    if (sliceGrid.tailMs > 0) allSlices.push(tail('sliceTail'));
    // Judged (Timeslices) or averaged (RatioTimeslices) by the same rule as the CSV path.
    const judged = slicesOf(def, allSlices.filter((slice) => slice.total !== 0).map((slice) => slice.good / slice.total));
    if (judged !== null) counts.slices = judged;
  }
  return counts;
}

/** The indicator's own queries; an indicator Prometheus cannot read fails the SLO with the reason. */
export function indicatorQueries(client: HttpClient, indicator: Indicator): EventQueries {
  try {
    return eventQueries(indicator);
  } catch (error) {
    if (error instanceof PromqlSetupError) throw configurationError(client, error.message);
    throw error;
  }
}

/** A span `(end - lengthMs, end]` asked for in the instant query, named by `name`. */
export interface AskedSpan {
  name: string;
  lengthMs: number;
  end: number;
  /** The expression to ask, when not the queries' own for this span (a run of whole hours). */
  expression?: (kind: EventKind) => string;
  /** For messages: `over the last 5m`. */
  words: string;
}

/** What maintenance takes out of one span: all of it, or the named parts asked for. */
type Exclusion = { whole: true } | { whole: false; parts: string[] };

/**
 * The parts of windows, buckets and slices that lie in maintenance, each asked for once however many
 * spans share it (the maintenance part of every burn window that reaches back into the same interval
 * ends at the same instant, and often starts there too).
 */
export class MaintenancePlan {
  private readonly byKey = new Map<string, AskedSpan>();

  constructor(private readonly maintenance: readonly TimeSpan[]) {}

  exclusion(span: TimeSpan): Exclusion | undefined {
    const inside = clipToSpan(this.maintenance, span);
    if (inside.length === 0) return undefined;
    if (inside.length === 1 && inside[0].start === span.start && inside[0].end === span.end) return { whole: true };
    return { whole: false, parts: inside.map((part) => this.part(part)) };
  }

  /** Exclusions of the whole steps of `stepGrid` that maintenance reaches, by step end. */
  gridExclusions(stepGrid: Grid): Map<number, Exclusion> {
    const exclusions = new Map<number, Exclusion>();
    if (stepGrid.firstEnd === null) return exclusions;
    const { firstEnd, lastEnd, stepMs } = stepGrid;
    for (const span of this.maintenance) {
      // Only the steps the span overlaps: (end - step, end] meets (span.start, span.end].
      const firstStep = Math.max(0, Math.floor((span.start - firstEnd) / stepMs) + 1);
      for (let end = firstEnd + firstStep * stepMs; end <= lastEnd && end - stepMs < span.end; end += stepMs) {
        if (exclusions.has(end)) continue;
        const exclusion = this.exclusion({ start: end - stepMs, end });
        if (exclusion) exclusions.set(end, exclusion);
      }
    }
    return exclusions;
  }

  parts(): AskedSpan[] {
    return [...this.byKey.values()];
  }

  private part(part: TimeSpan): string {
    const key = `${part.start}:${part.end}`;
    let asked = this.byKey.get(key);
    if (!asked) {
      const name = `maintenance${this.byKey.size}`;
      const words = `over the maintenance from ${new Date(part.start).toISOString()} to ${new Date(part.end).toISOString()}`;
      asked = { name, lengthMs: part.end - part.start, end: part.end, words };
      this.byKey.set(key, asked);
    }
    return asked.name;
  }
}

/**
 * A span's counts with maintenance taken out. Subtracting may leave a tiny negative from
 * floating-point rounding (all of a window's events in maintenance), or good above total where
 * increase() extrapolated differently; counts are kept within 0 <= good <= total.
 */
export function netCounts(queries: EventQueries, base: KindValues, exclusion: Exclusion | undefined, instant: ReadonlyMap<string, KindValues>): WindowCounts {
  if (exclusion === undefined) return { ...toGoodTotal(queries, (kind) => base[kind] ?? 0), excludedTotal: 0 };
  if (exclusion.whole) return { good: 0, total: 0, excludedTotal: base.total ?? 0 };
  const subtracted = (kind: EventKind) => exclusion.parts.reduce((sum, name) => sum + (instant.get(name)?.[kind] ?? 0), 0);
  const { good, total } = toGoodTotal(queries, (kind) => (base[kind] ?? 0) - subtracted(kind));
  const kept = Math.max(0, total);
  return { good: Math.min(kept, Math.max(0, good)), total: kept, excludedTotal: subtracted('total') };
}


export async function instantCounts(
  client: HttpClient,
  queries: EventQueries,
  spans: readonly AskedSpan[],
  now: number,
): Promise<Map<string, KindValues>> {
  const entries: Array<{ name: string; expression: string }> = [];
  for (const { name, lengthMs, end, expression: own } of spans) {
    for (const kind of queries.kinds) {
      // A span ending at `now` is the query's own time; one ending earlier is read at its end.
      const expression = own ? own(kind) : end === now ? queries.expression(kind, lengthMs) : queries.expressionAt(kind, lengthMs, end);
      entries.push({ name: `${kind}:${name}`, expression });
    }
  }
  const response = await client.request(
    {
      method: 'POST',
      path: 'api/v1/query',
      // POST keeps a long combined query out of the URL, where proxies cap the length.
      form: { query: combinedInstantQuery(entries), time: promqlTime(now) },
    },
    instantResponse,
  );
  // Kept as text until read: only the series asked for are judged (and must be counts).
  const values = new Map<string, string>();
  for (const sample of response.data.data.result) {
    const name = sample.metric[SERIES_LABEL];
    if (name !== undefined) values.set(name, sample.value[1]);
  }
  const counts = new Map<string, KindValues>();
  for (const { name, lengthMs, words } of spans) {
    const factor = queries.scale(lengthMs);
    const kindValues: KindValues = {};
    for (const kind of queries.kinds) kindValues[kind] = eventCount(client, values.get(`${kind}:${name}`), `the ${kind} events ${words}`) * factor;
    counts.set(name, kindValues);
  }
  return counts;
}

export interface Grid {
  /** End of the first whole step, epoch ms; null when the window is shorter than one step. */
  firstEnd: number | null;
  lastEnd: number;
  stepMs: number;
  /** Length of the partial step that ends at `now` (0 when the steps fit exactly). */
  tailMs: number;
}

/** Steps of `stepMs` from `start` (exclusive) to `now`: whole ones, then a partial tail. */
function grid(start: number, now: number, stepMs: number): Grid {
  const whole = Math.floor((now - start) / stepMs);
  const lastEnd = start + whole * stepMs;
  return { firstEnd: whole > 0 ? start + stepMs : null, lastEnd, stepMs, tailMs: now - lastEnd };
}

/** Events per step across a grid, by query_range (chunked below Prometheus' points limit). */
async function rangeCounts(
  client: HttpClient,
  queries: EventQueries,
  stepGrid: Grid,
): Promise<Array<{ end: number; values: KindValues }>> {
  if (stepGrid.firstEnd === null) return [];
  const { firstEnd, lastEnd, stepMs } = stepGrid;
  const query = combinedInstantQuery(queries.kinds.map((kind) => ({ name: kind, expression: queries.expression(kind, stepMs) })));
  const chunkSpanMs = (MAX_POINTS_PER_RANGE_QUERY - 1) * stepMs;
  const chunks: Array<[number, number]> = [];
  for (let chunkStart = firstEnd; chunkStart <= lastEnd; chunkStart += chunkSpanMs + stepMs) {
    chunks.push([chunkStart, Math.min(lastEnd, chunkStart + chunkSpanMs)]);
  }
  const answers = await Promise.all(
    chunks.map(([chunkStart, chunkEnd]) =>
      client.request(
        {
          method: 'POST',
          path: 'api/v1/query_range',
          form: {
            query,
            start: promqlTime(chunkStart),
            end: promqlTime(chunkEnd),
            step: promqlDuration(stepMs),
          },
        },
        rangeResponse,
      ),
    ),
  );
  const byKind = new Map<string, Map<number, string>>();
  for (const answer of answers) {
    for (const series of answer.data.data.result) {
      const kind = series.metric[SERIES_LABEL];
      if (kind === undefined) continue;
      const points = byKind.get(kind) ?? new Map<number, string>();
      for (const [seconds, value] of series.values) points.set(Math.round(seconds * 1000), value);
      byKind.set(kind, points);
    }
  }
  const factor = queries.scale(stepMs);
  const stepWords = promqlDuration(stepMs);
  const steps: Array<{ end: number; values: KindValues }> = [];
  for (let end = firstEnd; end <= lastEnd; end += stepMs) {
    const values: KindValues = {};
    for (const kind of queries.kinds) {
      values[kind] = eventCount(client, byKind.get(kind)?.get(end), `the ${kind} events of the ${stepWords} step ending ${new Date(end).toISOString()}`) * factor;
    }
    steps.push({ end, values });
  }
  return steps;
}

function toGoodTotal(queries: EventQueries, read: (kind: EventKind) => number): WindowCounts {
  const total = read('total');
  const good = queries.kinds.includes('good') ? read('good') : total - read('bad');
  return { good, total };
}

/**
 * An event count from a sample value (a string: "12", "1e+06", "NaN", "+Inf", "-1"); no sample is no
 * events. A value that is not a finite count fails the SLO with a plain reason naming what was asked:
 * read as 0 it would hide an outage, read as it is it would turn every number after it into NaN.
 */
function eventCount(client: HttpClient, text: string | undefined, what: string): number {
  if (text === undefined) return 0;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (Number.isFinite(value) && value >= 0) return value;
  // Described, not quoted: the text is the server's, and may be anything.
  let described = 'a negative value';
  if (/^\s*[+-]?inf/i.test(text) || value === Infinity || value === -Infinity) described = 'an infinite value';
  else if (Number.isNaN(value)) described = 'a value that is not a number';
  throw new SourceError(
    client.sourceName,
    client.host,
    'unexpected-shape',
    `${client.sourceName} at ${client.host} answered ${described} for ${what}; event counts must be finite and 0 or more`,
  );
}

/** Words for a series of the instant query: `over the last 5m`, `over the SLO window`. */
function instantWindowWords(name: string): string {
  if (name === 'window') return 'over the SLO window';
  if (name === 'bucketTail') return 'over the last, partial burn-down step';
  if (name === 'sliceTail') return 'over the last, partial timeslice';
  return `over the last ${name}`;
}


function burnWindowMs(label: BurnWindow): number {
  const ms = fixedDurationMs(label);
  if (ms === null) throw new RangeError(`burn window ${label} is not a fixed duration`);
  return ms;
}

function emptyBurn(): Record<BurnWindow, WindowCounts> {
  const burn = {} as Record<BurnWindow, WindowCounts>;
  for (const label of BURN_WINDOWS) burn[label] = { good: 0, total: 0 };
  return burn;
}

function configurationError(client: HttpClient, words: string): SourceError {
  return new SourceError(client.sourceName, client.host, 'configuration', `${client.sourceName}: ${words}`);
}

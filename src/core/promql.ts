// PromQL for the events of an SLO's indicator (DOMAIN.md section 2, Prometheus mode): the text of
// every query the engine sends and every rule `reliability-lens rules` writes. Pure: building a query
// asks nothing of a server.
import { formatDurationLabel } from './duration';
import type { Indicator, ThresholdOp, ValueReading } from './model';

/** The label that names each series of a combined instant query. */
export const SERIES_LABEL = 'rl_series';

/** An indicator Prometheus cannot read as it is written (a plain reason for the SLO's report). */
export class PromqlSetupError extends Error {}

export type EventKind = 'good' | 'bad' | 'total';

/** How to ask for the events of one kind in a window, for one indicator. */
export interface EventQueries {
  kinds: readonly EventKind[];
  /** PromQL whose single value is the events of `kind` in the `windowMs` ending at evaluation time. */
  expression(kind: EventKind, windowMs: number): string;
  /** The same for the `windowMs` ending at `endMs` (before evaluation time), with the `@` modifier. */
  expressionAt(kind: EventKind, windowMs: number, endMs: number): string;
  /** Factor turning the value into an event count (rate-based Sloth queries give events per second). */
  scale(windowMs: number): number;
  /**
   * Whether the events of a window are the sum of the events of its parts (counts are; a Sloth raw
   * ratio is not), so a long window may be read as the sum of kept steps (sources/prometheus.ts).
   */
  additive: boolean;
  /**
   * The events of the whole hours ending at `firstEnd`, `firstEnd + 1h`, ... `lastEnd` (each hour
   * `(h - 1h, h]`), as one expression, when the queries can read that cheaply (recorded hourly counts).
   */
  wholeHours?(kind: EventKind, firstEnd: number, lastEnd: number): string;
}

/** PromQL duration text for a window: `30d`, `5m`, `90061s`, `1500ms`. */
export function promqlDuration(ms: number): string {
  if (!(ms > 0) || !Number.isInteger(ms)) throw new RangeError(`not a positive whole number of ms: ${ms}`);
  return formatDurationLabel(ms);
}

/**
 * The range for the samples in (end - windowMs, end]: 1 ms shorter, because Prometheus 2.x ranges
 * include their left edge. A span of 1 ms keeps its 1 ms (a range must be positive): a sample exactly
 * on its left edge would count, which data at whole seconds never has.
 */
export function leftOpenRange(windowMs: number): string {
  return promqlDuration(windowMs > 1 ? windowMs - 1 : windowMs);
}

/** A Sloth query with its `{{.window}}` placeholders filled in. */
export function fillSlothWindow(query: string, windowMs: number): string {
  return query.replace(/\{\{\s*\.window\s*\}\}/g, promqlDuration(windowMs));
}

/**
 * One instant query whose result vector carries every window as its own series, named by a label.
 * An empty sub-result (no samples in that window) simply has no series, which reads as zero events.
 */
export function combinedInstantQuery(entries: ReadonlyArray<{ name: string; expression: string }>): string {
  return entries
    .map(({ name, expression }) => `label_replace(${expression}, "${SERIES_LABEL}", "${name}", "", "")`)
    .join(' or ');
}

export function eventQueries(indicator: Indicator): EventQueries {
  switch (indicator.type) {
    case 'prometheus': {
      const selectors: Partial<Record<EventKind, string>> = { total: indicator.total };
      if (indicator.good !== undefined) selectors.good = indicator.good;
      else if (indicator.bad !== undefined) selectors.bad = indicator.bad;
      else throw new PromqlSetupError('a Prometheus indicator needs a good or a bad query next to total');
      const kinds = (['good', 'bad', 'total'] as const).filter((kind) => selectors[kind] !== undefined);
      // A counter's events are its increase. A non-counter metric holds each interval's count
      // (like a CSV row), so the events are the sum of the samples in (now - w, now]: the range
      // is shortened by 1 ms because Prometheus 2.x ranges include their left edge. `at` is the
      // `@` modifier (default since Prometheus 2.33), which applies to the range selector.
      const events = (kind: EventKind, windowMs: number, at: string) => {
        const selector = selectors[kind] as string;
        return indicator.counter
          ? `sum(increase(${selector}[${promqlDuration(windowMs)}]${at}))`
          : `sum(sum_over_time(${selector}[${leftOpenRange(windowMs)}]${at}))`;
      };
      return selectorCountQueries(kinds, events);
    }
    case 'sloth': {
      // Sloth's own examples write rate() queries (events per second); their ratio is all Sloth
      // needs, but we report event counts, so a rate is multiplied back by the window's seconds
      // (Prometheus computes rate as exactly increase / range seconds). Queries written with
      // increase() or count_over_time() already give counts.
      const perSecond = [indicator.errorQuery, indicator.totalQuery].every((query) => /\b(?:i?rate)\s*\(/.test(query));
      const events = (kind: EventKind, windowMs: number) =>
        `sum(${fillSlothWindow(kind === 'total' ? indicator.totalQuery : indicator.errorQuery, windowMs)})`;
      return {
        kinds: ['bad', 'total'],
        expression: events,
        // `@` applies only to selectors and subqueries, and a Sloth query is any expression: a 1 ms
        // subquery ending at `endMs` evaluates it there, and last_over_time takes that value.
        expressionAt: (kind, windowMs, endMs) => `last_over_time((${events(kind, windowMs)})[1ms:1ms] @ ${promqlTime(endMs)})`,
        scale: (windowMs) => (perSecond ? windowMs / 1000 : 1),
        additive: true,
      };
    }
    case 'sloth-raw': {
      // A Sloth raw SLI gives the error ratio itself, not events. The reading Sloth's own rules make:
      // the error ratio over w is the query with `{{.window}}` = w. It is counted as one event per
      // window: total = 1 when the query has a value (a NaN ratio, no traffic, has none, which is
      // no data), bad = that ratio (kept to [0, 1]); so e(w) = bad / total is the query's value.
      const ratio = (windowMs: number) => `clamp_max((${fillSlothWindow(indicator.errorRatioQuery, windowMs)}) >= 0, 1)`;
      const events = (kind: EventKind, windowMs: number) =>
        kind === 'total' ? `clamp_max(count(${ratio(windowMs)}), 1)` : `avg(${ratio(windowMs)})`;
      return {
        kinds: ['bad', 'total'],
        expression: events,
        expressionAt: (kind, windowMs, endMs) => `last_over_time((${events(kind, windowMs)})[1ms:1ms] @ ${promqlTime(endMs)})`,
        scale: () => 1,
        additive: false,
      };
    }
    case 'prometheus-values':
      return valueQueries(indicator.query, indicator.reading);
    case 'unsupported':
      throw new PromqlSetupError(indicator.reason);
    case 'composite':
      // workspace/sloData.ts reads a composite's objectives, each with its own indicator, never the composite.
      throw new PromqlSetupError('a composite SLO is read through its objectives');
    case 'csv':
    case 'csv-values':
      throw new PromqlSetupError('this SLO reads a CSV file, not Prometheus');
  }
}

/**
 * The data points of an OpenSLO thresholdMetric or ratioMetric.raw (DOMAIN.md section 2, "Other
 * indicators"), read the way the CSV path reads a value column (core/valueReadings.ts): each value
 * of the query at each PROMETHEUS_VALUE_STEP, of each series it returns, is one data point, and so
 * one event. A window `w` ending at t holds the steps in (t - w, t], the CSV's window rule: the
 * subquery range is shortened by 1 ms because Prometheus 2.x subqueries include their left edge, and
 * Prometheus aligns subquery steps to multiples of the step, so with data at whole minutes the steps
 * fall on them. Each step sees the latest sample within the lookback (5m by default): data written
 * every minute is read once a point; data written less often is read at every step until it is stale.
 *
 * - threshold: total(w) = sum(count_over_time((Q >= -Inf)[w:1m])), every point that is a number (a
 *   NaN value is no data point, as a CSV row that holds none is skipped); good(w) the same count of
 *   `Q op value` (a filtering comparison keeps the points where it holds).
 * - raw: the points are `(Q >= 0) <= 1`, ratios (NaN and values outside 0..1 are dropped, as the CSV
 *   path skips such rows); total(w) = their count_over_time, and the success ratios' sum_over_time is
 *   good(w) (for `rawType: failure` it is bad(w), and good = total - bad). good(w)/total(w) is then
 *   avg_over_time of the good ratio over the window: the mean, each point weighing one.
 */
export const PROMETHEUS_VALUE_STEP_MS = 60_000;

const PROMQL_COMPARISON: Record<ThresholdOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

function valueQueries(query: string, reading: ValueReading): EventQueries {
  const step = promqlDuration(PROMETHEUS_VALUE_STEP_MS);
  const points = reading.kind === 'threshold' ? `(${query}) >= -Inf` : `((${query}) >= 0) <= 1`;
  const numerator: EventKind = reading.kind === 'raw' && reading.rawType === 'failure' ? 'bad' : 'good';
  const kinds: readonly EventKind[] = [numerator, 'total'];
  const events = (kind: EventKind, windowMs: number, at: string) => {
    const range = `[${leftOpenRange(windowMs)}:${step}]${at}`;
    if (kind === 'total') return `sum(count_over_time((${points})${range}))`;
    if (reading.kind === 'threshold') return `sum(count_over_time(((${query}) ${PROMQL_COMPARISON[reading.op]} ${promqlNumber(reading.threshold)})${range}))`;
    return `sum(sum_over_time((${points})${range}))`;
  };
  return selectorCountQueries(kinds, events);
}

/**
 * Queries whose values are event counts and whose `events(kind, windowMs, at)` puts `at` (empty, or
 * ` @ time`) right after a selector or subquery, where PromQL's `@` modifier applies.
 */
export function selectorCountQueries(kinds: readonly EventKind[], events: (kind: EventKind, windowMs: number, at: string) => string): EventQueries {
  return {
    kinds,
    expression: (kind, windowMs) => events(kind, windowMs, ''),
    expressionAt: (kind, windowMs, endMs) => events(kind, windowMs, ` @ ${promqlTime(endMs)}`),
    scale: () => 1,
    additive: true,
  };
}

/** A finite number as PromQL reads it back exactly (shortest round-trip text, exponent allowed). */
function promqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite threshold: ${value}`);
  return String(value);
}

/** Prometheus times are float seconds; ms precision survives. */
export function promqlTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

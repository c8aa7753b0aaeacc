// One pass over an SLO's samples (CSV rows, in any order) that yields every count the SLO engine needs:
// the SLO window, the seven burn windows, timeslices and burn-down buckets (DOMAIN.md section 2).
// A benchmark streams millions of rows through many accumulators, so `add` does a handful of
// comparisons and typed-array additions and never allocates; memory is fixed at construction by the
// number of buckets and slices, whatever the number of samples.
import { calendarPeriod } from './calendar';
import { fixedDurationMs } from './duration';
import { inMaintenance } from './maintenance';
import type { TimeSpan } from './maintenance';
import { BURN_WINDOWS } from './model';
import type { BurnWindow, IntervalSums, SloCounts, SloDefinition, WindowCounts } from './model';

/** The burn-down chart gets at most this many buckets across the SLO window. */
export const MAX_BURN_DOWN_BUCKETS = 500;

// Bucket widths a chart axis reads well and CSV intervals usually divide; the smallest that keeps the
// window within MAX_BURN_DOWN_BUCKETS is used (28d -> 2h, 7d -> 30m, a 92-day quarter -> 6h).
const NICE_BUCKET_MS = [
  1_000, 5_000, 10_000, 15_000, 30_000, 60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
  10_800_000, 21_600_000, 43_200_000, 86_400_000,
];
const DAY_MS = 86_400_000;

const BURN_WINDOW_MS: readonly number[] = BURN_WINDOWS.map((label) => {
  const ms = fixedDurationMs(label);
  if (ms === null) throw new Error(`burn window ${label} is not a fixed duration`);
  return ms;
});
const LONGEST_BURN_WINDOW_MS = BURN_WINDOW_MS[BURN_WINDOW_MS.length - 1];

/** The evaluated SLO window: samples with `start < timestamp <= end` count, and `end` is `now`. */
export function sloWindowRange(def: SloDefinition, now: number): { start: number; end: number } {
  const window = def.window;
  if (window.kind === 'rolling') return { start: now - window.durationMs, end: now };
  return { start: calendarPeriod(window, now).start, end: now };
}

/**
 * The SLO window's full length `W`: the rolling duration, or for a calendar window the whole period
 * containing `now` (not just the part elapsed), which is what the budget is spread over.
 */
export function sloWindowLengthMs(def: SloDefinition, now: number): number {
  const window = def.window;
  if (window.kind === 'rolling') return window.durationMs;
  const period = calendarPeriod(window, now);
  return period.end - period.start;
}

/**
 * Why `counts` cannot be evaluated, or null when they can: every count must be a finite number and
 * every total non-negative. A CSV row of `1e308` once summed into Infinity and every ratio after it
 * into NaN, shown as "budget remaining NaN%" under a GO; a server may send "NaN" or "+Inf". Whatever
 * the source, such counts mean nothing, and the SLO is reported as an error, never as healthy.
 */
export function invalidCountsReason(counts: SloCounts): string | null {
  const reason = invalidWindowReason(counts.window, 'in the SLO window');
  if (reason !== null) return reason;
  for (const label of BURN_WINDOWS) {
    const burnReason = invalidWindowReason(counts.burn[label], `in the last ${label}`);
    if (burnReason !== null) return burnReason;
  }
  for (const bucket of counts.buckets) {
    const where = Number.isFinite(bucket.end) ? `in the burn-down bucket ending ${new Date(bucket.end).toISOString()}` : 'in a burn-down bucket';
    const bucketReason = invalidWindowReason(bucket, where);
    if (bucketReason !== null) return bucketReason;
  }
  if (counts.slices && !(Number.isFinite(counts.slices.good) && Number.isFinite(counts.slices.withData))) return 'the count of timeslices is not a finite number';
  return null;
}

function invalidWindowReason(counts: WindowCounts, where: string): string | null {
  if (!Number.isFinite(counts.total) || counts.total < 0) return `the total events ${where} are ${describeBadCount(counts.total)}`;
  if (!Number.isFinite(counts.good)) return `the good events ${where} are ${describeBadCount(counts.good)}`;
  const excluded = counts.excludedTotal;
  if (excluded !== undefined && (!Number.isFinite(excluded) || excluded < 0)) {
    return `the events left out for maintenance ${where} are ${describeBadCount(excluded)}`;
  }
  return null;
}

function describeBadCount(value: number): string {
  if (Number.isNaN(value)) return 'not a number';
  if (!Number.isFinite(value)) return 'infinite (a value too large, or a sum that overflowed)';
  return 'negative';
}

/** The band of burn windows a sample of this age (0 <= age < 3d) is added to: the smallest window that holds it. */
function burnBand(age: number): number {
  let band = 0;
  while (age >= BURN_WINDOW_MS[band]) band++;
  return band;
}

/** Width of a burn-down bucket for an SLO window of `windowLengthMs`. */
export function burnDownBucketMs(windowLengthMs: number): number {
  for (const width of NICE_BUCKET_MS) {
    if (Math.ceil(windowLengthMs / width) <= MAX_BURN_DOWN_BUCKETS) return width;
  }
  return Math.ceil(windowLengthMs / MAX_BURN_DOWN_BUCKETS / DAY_MS) * DAY_MS;
}

/**
 * Accumulates one SLO's samples. A sample `(timestamp, good, total)` is the END of an interval; it
 * counts in a window `w` when `now - w < timestamp <= now`, in the SLO window when
 * `windowStart < timestamp <= now`. Samples after `now` (and a NaN timestamp) count nowhere.
 *
 * Buckets and timeslices are aligned to the window start: bucket `i` holds samples with
 * `start + i*width < timestamp <= start + (i+1)*width`. Only buckets and slices up to `now` exist, so the
 * last of each may be partial (a calendar period in progress, or a rolling window that is not a
 * multiple of the width); a partial slice is judged on the events it has so far.
 *
 * Maintenance (DOMAIN.md section 6): a sample in one of `maintenance` (sorted disjoint spans, from
 * maintenanceSpans) counts in no sum, not even a bucket or slice; its total events are counted as
 * `excludedTotal` of the SLO window and of each burn window that holds it. With no maintenance the
 * counts carry no `excludedTotal` at all, exactly as before maintenance windows existed.
 *
 * Interval sums (`intervalTimes`, sorted distinct times from core/deploymentImpact.ts): each sample
 * outside maintenance with `times[i] < timestamp <= times[i + 1]` is also added to segment `i`, so the
 * impact of the deployments asked about is read in this same pass (`counts.intervals`).
 */
export class SloCountsAccumulator {
  private readonly now: number;
  private readonly windowStart: number;
  private windowGood = 0;
  private windowTotal = 0;
  // Burn windows are nested, so each sample is added to the one band between the smallest window that
  // holds it and the next smaller one; result() sums the bands back into windows.
  private readonly bandGood = new Float64Array(BURN_WINDOW_MS.length);
  private readonly bandTotal = new Float64Array(BURN_WINDOW_MS.length);
  private readonly bucketMs: number;
  private readonly bucketGood: Float64Array;
  private readonly bucketTotal: Float64Array;
  private readonly sliceMs: number;
  private readonly def: SloDefinition;
  private readonly sliceGood: Float64Array | null;
  private readonly sliceTotal: Float64Array | null;
  private readonly maintenance: readonly TimeSpan[];
  private windowExcluded = 0;
  /** Lines of the first and last data-file row in the SLO window; 0 while none (lines start at 1). */
  private firstRow = 0;
  private lastRow = 0;
  private readonly bandExcluded = new Float64Array(BURN_WINDOW_MS.length);
  private readonly intervalTimes: readonly number[];
  private readonly intervalGood: Float64Array;
  private readonly intervalTotal: Float64Array;

  constructor(def: SloDefinition, now: number, maintenance: readonly TimeSpan[] = [], intervalTimes: readonly number[] = []) {
    this.now = now;
    this.intervalTimes = intervalTimes;
    const segments = Math.max(0, intervalTimes.length - 1);
    this.intervalGood = new Float64Array(segments);
    this.intervalTotal = new Float64Array(segments);
    this.def = def;
    this.maintenance = maintenance;
    const range = sloWindowRange(def, now);
    this.windowStart = range.start;
    const elapsedMs = Math.max(0, now - range.start);

    this.bucketMs = burnDownBucketMs(sloWindowLengthMs(def, now));
    const bucketCount = Math.ceil(elapsedMs / this.bucketMs);
    this.bucketGood = new Float64Array(bucketCount);
    this.bucketTotal = new Float64Array(bucketCount);

    const budgeting = def.budgeting;
    if (budgeting.method === 'Timeslices' || budgeting.method === 'RatioTimeslices') {
      if (!(budgeting.sliceMs > 0)) throw new RangeError(`SLO ${def.name}: timeslice window must be positive`);
      this.sliceMs = budgeting.sliceMs;
      const sliceCount = Math.ceil(elapsedMs / this.sliceMs);
      this.sliceGood = new Float64Array(sliceCount);
      this.sliceTotal = new Float64Array(sliceCount);
    } else {
      this.sliceMs = 0;
      this.sliceGood = null;
      this.sliceTotal = null;
    }
  }

  /** `line`: the sample's line in its data file, when it has one (file mode), for the row range `explain` shows. */
  add(timestampMs: number, good: number, total: number, line?: number): void {
    const age = this.now - timestampMs;
    if (!(age >= 0)) return;
    if (line !== undefined && timestampMs - this.windowStart > 0) {
      if (this.firstRow === 0 || line < this.firstRow) this.firstRow = line;
      if (line > this.lastRow) this.lastRow = line;
    }
    if (this.maintenance.length > 0 && inMaintenance(this.maintenance, timestampMs)) {
      this.exclude(age, timestampMs, total);
      return;
    }
    if (this.intervalGood.length > 0) this.addToInterval(timestampMs, good, total);

    if (age < LONGEST_BURN_WINDOW_MS) {
      const band = burnBand(age);
      this.bandGood[band] += good;
      this.bandTotal[band] += total;
    }

    const offset = timestampMs - this.windowStart;
    if (offset <= 0) return;
    this.windowGood += good;
    this.windowTotal += total;
    const bucket = Math.ceil(offset / this.bucketMs) - 1;
    this.bucketGood[bucket] += good;
    this.bucketTotal[bucket] += total;
    if (this.sliceGood !== null && this.sliceTotal !== null) {
      const slice = Math.ceil(offset / this.sliceMs) - 1;
      this.sliceGood[slice] += good;
      this.sliceTotal[slice] += total;
    }
  }

  /** Adds a sample to the segment `(times[i], times[i + 1]]` holding it, if any: a binary search, no allocation. */
  private addToInterval(timestampMs: number, good: number, total: number): void {
    const times = this.intervalTimes;
    if (!(timestampMs > times[0] && timestampMs <= times[times.length - 1])) return;
    // The first time at or after the sample ends its segment.
    let low = 1;
    let high = times.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (times[middle] < timestampMs) low = middle + 1;
      else high = middle;
    }
    this.intervalGood[low - 1] += good;
    this.intervalTotal[low - 1] += total;
  }

  /** A sample in maintenance: its events are only counted as left out, where the windows hold it. */
  private exclude(age: number, timestampMs: number, total: number): void {
    if (age < LONGEST_BURN_WINDOW_MS) this.bandExcluded[burnBand(age)] += total;
    if (timestampMs - this.windowStart > 0) this.windowExcluded += total;
  }

  /** The counts so far; does not reset, so it may be called again after more samples. */
  result(): SloCounts {
    const tracksExcluded = this.maintenance.length > 0;
    const burn = {} as Record<BurnWindow, WindowCounts>;
    let good = 0;
    let total = 0;
    let excludedTotal = 0;
    BURN_WINDOWS.forEach((label, band) => {
      good += this.bandGood[band];
      total += this.bandTotal[band];
      excludedTotal += this.bandExcluded[band];
      burn[label] = tracksExcluded ? { good, total, excludedTotal } : { good, total };
    });

    const buckets: SloCounts['buckets'] = [];
    for (let index = 0; index < this.bucketGood.length; index++) {
      buckets.push({
        end: Math.min(this.windowStart + (index + 1) * this.bucketMs, this.now),
        good: this.bucketGood[index],
        total: this.bucketTotal[index],
      });
    }

    const window: WindowCounts = { good: this.windowGood, total: this.windowTotal };
    if (tracksExcluded) window.excludedTotal = this.windowExcluded;
    const counts: SloCounts = { window, burn, buckets };
    if (this.firstRow > 0) counts.rows = { first: this.firstRow, last: this.lastRow };
    if (this.intervalGood.length > 0) counts.intervals = this.intervalSums();
    if (this.sliceGood !== null && this.sliceTotal !== null) {
      const ratios: number[] = [];
      for (let index = 0; index < this.sliceTotal.length; index++) {
        if (this.sliceTotal[index] !== 0) ratios.push(this.sliceGood[index] / this.sliceTotal[index]);
      }
      const slices = slicesOf(this.def, ratios);
      if (slices !== null) counts.slices = slices;
    }
    return counts;
  }

  private intervalSums(): IntervalSums {
    return { times: [...this.intervalTimes], good: Array.from(this.intervalGood), total: Array.from(this.intervalTotal) };
  }
}

/**
 * Timeslices: each slice with events is good when its ratio >= `target`. Shared with Prometheus mode,
 * which reads the same slices' counts by query_range.
 */
export function judgedSlices(ratios: readonly number[], target: number): { good: number; withData: number } {
  let good = 0;
  for (const ratio of ratios) if (ratio >= target) good++;
  return { good, withData: ratios.length };
}

/** RatioTimeslices: `good` is the sum of the slices' ratios, so good/withData is their mean. */
export function ratioSlices(ratios: readonly number[]): { good: number; withData: number } {
  let good = 0;
  for (const ratio of ratios) good += ratio;
  return { good, withData: ratios.length };
}

/** The slices of the SLO window's counts, judged or summed as `def`'s budgeting says; null without slices. */
export function slicesOf(def: SloDefinition, ratios: readonly number[]): { good: number; withData: number } | null {
  if (def.budgeting.method === 'Timeslices') return judgedSlices(ratios, def.budgeting.sliceTarget);
  if (def.budgeting.method === 'RatioTimeslices') return ratioSlices(ratios);
  return null;
}

// The one rule that turns a data point's value into events for OpenSLO's thresholdMetric and
// ratioMetric.raw (DOMAIN.md section 2, "Other indicators"; the reading is model.ts ValueReading).
// Every data point is one event (total += 1); its good part is 1 or 0 for a threshold (does
// `value op threshold` hold?) and the good ratio for a raw metric (`r`, or `1 - r` for failure). So
// over any window good/total is the share of points that held, or the mean of the good ratios with
// each point weighing one, and the engine's Occurrences and Timeslices math applies unchanged. The
// CSV path (workspace/sloData.ts) calls goodPartOf per row; Prometheus mode (sources/prometheus.ts)
// asks the server for the same sums.
import type { ThresholdOp, ValueReading } from './model';

export const THRESHOLD_OPS: readonly ThresholdOp[] = ['lt', 'lte', 'gt', 'gte'];

/** `value op threshold`; a NaN value holds for no operator. */
export function thresholdHolds(op: ThresholdOp, value: number, threshold: number): boolean {
  switch (op) {
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
  }
}

/** Whether `value` can be a data point of this reading: any finite number for a threshold, a ratio 0..1 for raw. */
export function isValidDataPoint(reading: ValueReading, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return reading.kind === 'threshold' || (value >= 0 && value <= 1);
}

/** What a data point of this reading must be, for problems: "a finite number", "a ratio between 0 and 1". */
export function dataPointExpected(reading: ValueReading): string {
  return reading.kind === 'threshold' ? 'a finite number' : 'a ratio between 0 and 1';
}

/**
 * The good events of one data point (its total is always 1). The caller has checked the value with
 * isValidDataPoint: a raw ratio outside 0..1 or a value that is not finite is no data point.
 */
export function goodPartOf(reading: ValueReading, value: number): number {
  if (reading.kind === 'threshold') return thresholdHolds(reading.op, value, reading.threshold) ? 1 : 0;
  return reading.rawType === 'success' ? value : 1 - value;
}

/** Words for explanations and messages: `value lte 0.3`, `raw success ratio`. */
export function describeReading(reading: ValueReading): string {
  return reading.kind === 'threshold' ? `value ${reading.op} ${reading.threshold}` : `raw ${reading.rawType} ratio`;
}

// Maintenance windows (DOMAIN.md section 6) as the SLO engine reads them: for one service, the
// disjoint, sorted intervals `(start, end]` whose samples leave every sum. One rule for both modes:
// the CSV accumulator asks `inMaintenance` per sample, Prometheus mode subtracts `clipToSpan` pieces.
import type { MaintenanceWindow } from './model';

/** A left-open, right-closed interval `(start, end]` of epoch ms, as samples are counted in windows. */
export interface TimeSpan {
  start: number;
  end: number;
}

/**
 * The maintenance of `service`: every window that names it or names no service, as sorted disjoint
 * spans. Overlapping windows act as their union (DOMAIN.md), so an event is excluded once however many
 * windows hold it; touching ones merge too, since `(a, b] ∪ (b, c] = (a, c]`. A window with
 * `start >= end` is a problem the loader reports, and holds nothing here.
 */
export function maintenanceSpans(windows: readonly MaintenanceWindow[] | undefined, service: string): TimeSpan[] {
  if (!windows || windows.length === 0) return [];
  const covering = windows
    .filter((window) => window.start < window.end && (window.services === undefined || window.services.includes(service)))
    .map((window) => ({ start: window.start, end: window.end }))
    .sort((a, b) => a.start - b.start);
  const merged: TimeSpan[] = [];
  for (const span of covering) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push(span);
  }
  return merged;
}

/**
 * Whether `timestamp` lies in one of `spans` (sorted and disjoint, as maintenanceSpans gives them).
 * A binary search without allocation: the CSV path calls this for every sample.
 */
export function inMaintenance(spans: readonly TimeSpan[], timestamp: number): boolean {
  let low = 0;
  let high = spans.length;
  // The first span that ends at or after the timestamp is the only one that can hold it.
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[middle].end < timestamp) low = middle + 1;
    else high = middle;
  }
  return low < spans.length && spans[low].start < timestamp;
}

/** The parts of `spans` inside `span`, in order; a part equal to `span` means all of it is maintenance. */
export function clipToSpan(spans: readonly TimeSpan[], span: TimeSpan): TimeSpan[] {
  const parts: TimeSpan[] = [];
  for (const maintenance of spans) {
    const start = Math.max(maintenance.start, span.start);
    const end = Math.min(maintenance.end, span.end);
    if (start < end) parts.push({ start, end });
  }
  return parts;
}

// Typed builders for SLO tests: definitions, policies and engine counts with only the fields a test
// cares about spelled out.
import { BURN_WINDOWS } from '../../../src/core/model';
import type {
  BurnWindow,
  CalendarUnit,
  Policy,
  SloCounts,
  SloDefinition,
  TimeWindow,
  WindowCounts,
} from '../../../src/core/model';
import { fixedDurationMs } from '../../../src/core/duration';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Epoch ms of an ISO 8601 text; throws on a typo so a test never runs against NaN. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${iso}`);
  return ms;
}

export function policy(overrides: Partial<Policy> = {}): Policy {
  return { cautionBelow: 0.25, freezeSeverity: 'SEV2', ...overrides };
}

interface SloOptions {
  objective: number;
  name?: string;
  timeslices?: { sliceMs: number; sliceTarget: number };
}

function slo(options: SloOptions, window: TimeWindow): SloDefinition {
  return {
    name: options.name ?? 'checkout-availability',
    service: 'checkout',
    objective: options.objective,
    window,
    budgeting: options.timeslices ? { method: 'Timeslices', ...options.timeslices } : { method: 'Occurrences' },
    indicator: { type: 'csv', path: 'data/checkout.csv', goodColumn: 'good', totalColumn: 'total' },
    file: '.reliability/slos/checkout.yaml',
    line: 1,
  };
}

/** A rolling-window SLO; `window` is a fixed duration label such as `28d`. */
export function rollingSlo(options: SloOptions & { window: string }): SloDefinition {
  const durationMs = fixedDurationMs(options.window);
  if (durationMs === null) throw new Error(`not a rolling window: ${options.window}`);
  return slo(options, { kind: 'rolling', label: options.window, durationMs });
}

export function calendarWindow(unit: CalendarUnit, count: number, startTime: string, timeZone: string) {
  return { kind: 'calendar' as const, label: `${count}${unit}`, unit, count, startTime: at(startTime), timeZone };
}

/** A calendar-window SLO (OpenSLO `isRolling: false`). */
export function calendarSlo(
  options: SloOptions & { unit: CalendarUnit; count?: number; startTime: string; timeZone: string },
): SloDefinition {
  return slo(options, calendarWindow(options.unit, options.count ?? 1, options.startTime, options.timeZone));
}

/** Engine counts as `[good, total]` pairs; burn windows left out had no events. */
export function sloCounts(spec: {
  window: [number, number];
  burn?: Partial<Record<BurnWindow, [number, number]>>;
  slices?: { good: number; withData: number };
  buckets?: SloCounts['buckets'];
}): SloCounts {
  const burn = {} as Record<BurnWindow, WindowCounts>;
  for (const label of BURN_WINDOWS) {
    const [good, total] = spec.burn?.[label] ?? [0, 0];
    burn[label] = { good, total };
  }
  const counts: SloCounts = {
    window: { good: spec.window[0], total: spec.window[1] },
    burn,
    buckets: spec.buckets ?? [],
  };
  if (spec.slices) counts.slices = spec.slices;
  return counts;
}

/** The same `[good, total]` in every burn window. */
export function everyBurnWindow(good: number, total: number): Record<BurnWindow, [number, number]> {
  const burn = {} as Record<BurnWindow, [number, number]>;
  for (const label of BURN_WINDOWS) burn[label] = [good, total];
  return burn;
}

// What the dashboard's charts and their tables show, as pure functions (no DOM, no uPlot), so the
// scales, the rows a screen reader gets and the service search are unit-tested without a browser.
import { formatBudgetPercent, formatUtc } from '../../src/core/format';
import type { DashboardServiceSummary, DashboardSlo } from '../../src/shared/protocol';

const DAY_MS = 86_400_000;

/** Tick steps a fitted axis may use, in percentage points. */
const NICE_STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50];

/**
 * The burn-down's y range in percent. Fixed: 0–100% (wider when the budget is overspent or above
 * 100%), so charts compare with each other. Fitted: the data's own span with a margin, on round
 * steps, so a drop from 97% to 93% fills the chart instead of a sliver of it.
 */
export function burnDownRange(percents: readonly number[], fit: boolean): [number, number] {
  const finite = percents.filter(Number.isFinite);
  if (finite.length === 0) return [0, 100];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  if (!fit) return [Math.min(0, Math.floor(min / 10) * 10), Math.max(100, Math.ceil(max / 10) * 10)];
  // A flat line gets a margin of half a point either side; otherwise a tenth of the span.
  const margin = max - min < 1e-9 ? 0.5 : (max - min) * 0.1;
  const low = min - margin;
  const high = max + margin;
  const step = NICE_STEPS.find((candidate) => (high - low) / candidate <= 5) ?? 100;
  return [roundTo(Math.floor(low / step) * step), roundTo(Math.ceil(high / step) * step)];
}

/** An axis tick in percent with as many decimals as the step between ticks needs: `95%`, `95.5%`. */
export function formatPercentTick(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  return `${value.toFixed(decimals)}%`;
}

export interface BurnDownDay {
  /** `2026-11-20` (UTC). */
  day: string;
  /** Budget remaining at the day's last bucket. */
  end: string;
  /** The lowest it was that day. */
  lowest: string;
}

/**
 * The burn-down's numbers as a table: one row per UTC day (a 28-day window has up to 336 buckets; a
 * day's end and low say what the line does without a row per bucket).
 */
export function burnDownDays(burnDown: DashboardSlo['burnDown']): BurnDownDay[] {
  const days = new Map<string, { end: number; lowest: number }>();
  for (const [time, remaining] of burnDown) {
    const day = new Date(Math.floor(time / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const seen = days.get(day);
    days.set(day, { end: remaining, lowest: seen ? Math.min(seen.lowest, remaining) : remaining });
  }
  return [...days.entries()].map(([day, { end, lowest }]) => ({ day, end: formatBudgetPercent(end), lowest: formatBudgetPercent(lowest) }));
}

export interface WeeklyRow {
  /** `2026-11-16` (the week's Monday, UTC). */
  week: string;
  value: string;
}

/** A weekly chart's numbers as a table: `no data` for a week without a value. */
export function weeklyRows(weekStarts: readonly number[], values: ReadonlyArray<number | null>, format: (value: number) => string): WeeklyRow[] {
  return weekStarts.map((start, index) => {
    const value = values[index];
    return { week: formatUtc(start * 1000).slice(0, 10), value: value === null || value === undefined || !Number.isFinite(value) ? 'no data' : format(value) };
  });
}

/**
 * The services the picker lists for what was typed: every service whose name contains each word
 * typed (case-insensitive), in the ranked order they came in. Empty query: all of them.
 */
export function searchServices<T extends Pick<DashboardServiceSummary, 'name'>>(services: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...services];
  return services.filter((service) => {
    const name = service.name.toLowerCase();
    return words.every((word) => name.includes(word));
  });
}

function roundTo(value: number): number {
  // Floating steps (0.1 * 953) leave 95.30000000000001; ticks and ranges read better rounded.
  return Math.round(value * 1000) / 1000;
}

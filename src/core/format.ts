// How numbers and times read, in one place for every front end: the CLI's tables, the merge check's
// reasons (core, shown in the terminal and the editor alike), the trees, tooltips and the dashboard's
// webview, which bundles this module too. So it is pure and imports neither Node nor vscode. Times are
// relative to the evaluation time a caller passes, never the clock (a report is reproducible).
// JSON output does not come through here: it stays unrounded.
import type { AlertRule, BurnRateOp } from './model';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Shown for a number that is absent or not finite. A report may carry NaN or Infinity from a source
 * that sent garbage; every front end then shows a dash rather than `NaN%`, and never throws (a
 * `RangeError` from `toISOString` would empty a whole tree).
 */
export const NO_NUMBER = '—';

/** `12.50` -> `12.5`, `3.00` -> `3`: fixed decimals without the zeros that say nothing. */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * A ratio as a percentage with up to `decimals` digits, trailing zeros dropped. Truncates towards zero
 * rather than rounding, so an SLI of 0.9999996 reads 99.999%, never a perfect 100% it did not reach;
 * exactly 1 reads 100%.
 */
export function formatRatioPercent(ratio: number | null, decimals = 3): string {
  if (ratio === null || !Number.isFinite(ratio)) return NO_NUMBER;
  const scale = 10 ** decimals;
  const scaled = ratio * 100 * scale;
  // The epsilon keeps 0.99962 * 1e5 = 99961.99999... (binary floating point) from truncating to 99.961.
  const truncated = (ratio >= 0 ? Math.floor(scaled + 1e-6) : Math.ceil(scaled - 1e-6)) / scale;
  return `${trimZeros(truncated.toFixed(decimals))}%`;
}

/** Budget remaining (or consumed) as a whole percent, e.g. 0.617 -> `62%`, -0.15 -> `-15%`. */
export function formatBudgetPercent(remaining: number | null): string {
  if (remaining === null || !Number.isFinite(remaining)) return NO_NUMBER;
  const rounded = Math.round(remaining * 100);
  return `${Object.is(rounded, -0) ? 0 : rounded}%`;
}

/** A rate of deployments, such as the change failure or rework rate, as a whole percent: 0.12 -> `12%`. */
export function formatRate(rate: number | null): string {
  return formatBudgetPercent(rate);
}

/** `20.1×`, `1.20×`, `0×`: two decimals below 10, where the alert thresholds (1, 3, 6) need them. */
export function formatBurnRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return NO_NUMBER;
  if (rate === 0) return '0×';
  return `${rate >= 10 ? rate.toFixed(1) : rate.toFixed(2)}×`;
}

/** An alert rule's burn-rate threshold: `14.4×`, `6×`. */
export function formatThreshold(threshold: number): string {
  return Number.isFinite(threshold) ? `${trimZeros(threshold.toFixed(1))}×` : NO_NUMBER;
}

/** An SLI as every front end shows it: a truncated percent, or `no data` when the window has no events. */
export function formatSli(sli: number | null): string {
  return sli === null ? 'no data' : formatRatioPercent(sli);
}

/**
 * Budget remaining as every front end shows it: `62%`, or `no data` when the SLO has no events (its
 * remaining of 1 then is DOMAIN.md's convention, not a measurement, so no front end shows it as 100%).
 */
export function formatBudgetRemaining(report: { sli: number | null; budget: { remaining: number } }): string {
  return report.sli === null ? 'no data' : formatBudgetPercent(report.budget.remaining);
}

const OP_SYMBOLS: Record<BurnRateOp, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** An alert rule's comparison with its threshold: `> 14.4×`, or `≥ 2×` for an OpenSLO condition with op gte. */
export function formatAlertComparison(alert: Pick<AlertRule, 'op' | 'threshold'>): string {
  return `${OP_SYMBOLS[alert.op ?? 'gt']} ${formatThreshold(alert.threshold)}`;
}

/**
 * An alert rule in one line: `page 1h/5m > 14.4×` for the default tiers; an OpenSLO condition has
 * one lookback window and a name: `page 1h > 10× (checkout-policy/fast-burn)`.
 */
export function formatAlertRule(alert: AlertRule): string {
  const windows = alert.long === alert.short ? alert.long : `${alert.long}/${alert.short}`;
  const source = alert.condition ? ` (${alert.condition.policy}/${alert.condition.name})` : '';
  return `${alert.severity} ${windows} ${formatAlertComparison(alert)}${source}`;
}

/** Deployments a week: `1.94/week`, `7/week`. */
export function formatPerWeek(value: number | null): string {
  return value === null || !Number.isFinite(value) ? NO_NUMBER : `${trimZeros(value.toFixed(2))}/week`;
}

/** `45s`, `12m`, `1h 30m`, `3d 4h`: the two largest units, the second left out when zero. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NO_NUMBER;
  const abs = Math.max(0, Math.round(ms));
  if (abs < MINUTE) return `${Math.round(abs / SECOND)}s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)}m`;
  if (abs < DAY) {
    const hours = Math.floor(abs / HOUR);
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  return hours ? `${days}d ${hours}h` : `${days}d`;
}

/** A duration given in seconds, as the DORA report holds them: 5400 -> `1h 30m`. */
export function formatSeconds(seconds: number | null): string {
  return seconds === null ? NO_NUMBER : formatDuration(seconds * SECOND);
}

/** `12 days ago`, `1 hour ago`, `just now`, `in 3 days` relative to `now`. */
export function formatAge(time: number, now: number): string {
  const delta = now - time;
  if (!Number.isFinite(delta)) return NO_NUMBER;
  const future = delta < 0;
  const abs = Math.abs(delta);
  if (abs < MINUTE) return 'just now';
  const [count, unit] =
    abs < HOUR ? [Math.floor(abs / MINUTE), 'minute'] : abs < DAY ? [Math.floor(abs / HOUR), 'hour'] : [Math.floor(abs / DAY), 'day'];
  const phrase = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}

/** `2026-12-01 03:00 UTC`. */
export function formatUtc(time: number | null): string {
  const iso = time === null ? undefined : isoTime(time);
  return iso === undefined ? NO_NUMBER : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** `03:00 UTC`. */
export function formatUtcClock(time: number): string {
  const iso = isoTime(time);
  return iso === undefined ? NO_NUMBER : `${iso.slice(11, 16)} UTC`;
}

/** Undefined for a time a Date cannot hold (not finite, or beyond ±8.64e15 ms), where toISOString throws. */
function isoTime(time: number): string | undefined {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A count of events: `998620`. */
export function formatCount(count: number): string {
  return Number.isFinite(count) ? String(count) : NO_NUMBER;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

// The SLO and error-budget rules of DOMAIN.md section 2, over counts however they were obtained (a CSV
// pass through SloCountsAccumulator, or PromQL per window). Numbers are not rounded here: rounding is
// for display, and tests compare the engine's numbers exactly.
import { BURN_WINDOWS } from './model';
import type { AlertRule, BurnRateOp, BurnWindow, Policy, SloCounts, SloDefinition, SloReport, SloStatus, WindowCounts } from './model';
import { SloCountsAccumulator, invalidCountsReason, sloWindowLengthMs, sloWindowRange } from './sloCounts';
import { maintenanceSpans } from './maintenance';
import type { TimeSpan } from './maintenance';

/**
 * Multiwindow, multi-burn-rate alerts (Google SRE workbook, plus the 1d/2h tier Sloth uses). A rule
 * fires when both its long and its short window burn strictly faster than `threshold`: the long window
 * shows the budget is really going, the short one that it is still going now.
 */
export const ALERT_RULES: readonly AlertRule[] = Object.freeze([
  Object.freeze<AlertRule>({ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }),
  Object.freeze<AlertRule>({ severity: 'page', long: '6h', short: '30m', threshold: 6 }),
  Object.freeze<AlertRule>({ severity: 'ticket', long: '1d', short: '2h', threshold: 3 }),
  Object.freeze<AlertRule>({ severity: 'ticket', long: '3d', short: '6h', threshold: 1 }),
]);

/**
 * Whether `rule` fires at these burn rates: `burn(long) op threshold` and `burn(short) op threshold`
 * (`op` default `gt`). The rules are the SLO's `alertRules` (an OpenSLO alert policy's burnrate
 * conditions, each with long = short = its lookbackWindow; Sloth's tiers that are not disabled) or,
 * when it has none, the four default tiers.
 */
export function alertFires(rule: AlertRule, burnRates: Readonly<Record<BurnWindow, number>>): boolean {
  return compareBurnRate(burnRates[rule.long], rule.op ?? 'gt', rule.threshold) && compareBurnRate(burnRates[rule.short], rule.op ?? 'gt', rule.threshold);
}

function compareBurnRate(burn: number, op: BurnRateOp, threshold: number): boolean {
  switch (op) {
    case 'gt':
      return burn > threshold;
    case 'gte':
      return burn >= threshold;
    case 'lt':
      return burn < threshold;
    case 'lte':
      return burn <= threshold;
  }
}

/** Error ratio `1 - good/total`, and 0 for a window without events. */
export function errorRatio(counts: WindowCounts): number {
  return counts.total > 0 ? 1 - counts.good / counts.total : 0;
}

/**
 * Evaluates one SLO at `now`.
 *
 * - Occurrences: `sli = good(W)/total(W)`, consumed `= e(W)/a` with `a = 1 - objective`.
 * - Timeslices: `sli = good slices / slices with data`, consumed `= (1 - sli)/a`; burn rates, alerts
 *   and the burn-down stay event-based (the windows are far shorter than a slice budget could judge).
 *   RatioTimeslices (OpenSLO): `sli` = the mean of the ratios of the slices with data, otherwise the same.
 *   `counts.slices` must then be present; its absence is a caller bug and throws.
 * - No data (`total(W) = 0`, or no slice with data): status `no-data`, `sli` null, budget untouched
 *   (remaining 1, consumed 0) and no exhaustion ETA, since nothing was measured to extrapolate.
 * - Time to exhaustion: `now + r * W / burn(1d)` for remaining `r > 0`; `now` when `r <= 0`; null when
 *   `burn(1d) = 0`. `W` is the rolling duration, or for a calendar window the full length of the period
 *   containing `now`: the budget is spread over the whole period, not the part elapsed.
 * - Burn-down: after each bucket, `1 - (cumulative bad events) / (a * total(W))`, the share of the whole
 *   window's allowed bad events not yet spent, so for Occurrences the last point equals
 *   `budget.remaining`. A window without events stays at 1.
 * - Counts that are not finite (NaN, Infinity: a value a source should not have sent, or an overflowing
 *   sum): the report of an SLO without data, status `no-data`, with `error` saying which count is bad.
 *   No NaN or Infinity from the counts reaches a number of the report, and it is never `healthy`.
 *   (An objective of 1 is the one source of Infinity left: any error burns its zero budget infinitely
 *   fast, and the SLO is `exhausted`.)
 * - Maintenance (DOMAIN.md section 6) is already out of `counts` (sloMaintenance gives the spans the
 *   counts are gathered with); the SLO window's `excludedTotal`, when the counts carry one, is passed on.
 */
export function evaluateSlo(def: SloDefinition, counts: SloCounts, now: number, policy: Policy): SloReport {
  const invalid = invalidCountsReason(counts);
  if (invalid !== null) {
    const empty = new SloCountsAccumulator(def, now).result();
    return { ...evaluateSlo(def, empty, now, policy), error: `its event counts cannot be evaluated: ${invalid}` };
  }
  const range = sloWindowRange(def, now);
  const allowedErrorRatio = 1 - def.objective;
  const { good, total } = counts.window;

  const sli = serviceLevelIndicator(def, counts);
  const consumed = sli === null ? 0 : burnRate(1 - sli, allowedErrorRatio);
  const remaining = 1 - consumed;

  const burnRates = {} as Record<BurnWindow, number>;
  for (const label of BURN_WINDOWS) burnRates[label] = burnRate(errorRatio(counts.burn[label]), allowedErrorRatio);

  const alerts = (def.alertRules ?? ALERT_RULES).filter((rule) => alertFires(rule, burnRates)).map((rule) => ({ ...rule }));

  const noData = sli === null;
  const status = sloStatus(noData, remaining, alerts, policy);
  const exhaustionEta = noData ? null : timeOfExhaustion(remaining, burnRates['1d'], sloWindowLengthMs(def, now), now);

  return {
    name: def.name,
    service: def.service,
    objective: def.objective,
    window: def.window.label,
    windowStart: range.start,
    windowEnd: range.end,
    budgetingMethod: def.budgeting.method,
    sli,
    good,
    total,
    ...(counts.window.excludedTotal !== undefined ? { excludedTotal: counts.window.excludedTotal } : {}),
    budget: { remaining, consumed },
    burnRates,
    alerts,
    exhaustionEta,
    status,
    burnDown: burnDown(counts.buckets, allowedErrorRatio * total),
    file: def.file,
  };
}

/** The maintenance spans (policy.maintenance) that cover `def`'s service, for gathering its counts. */
export function sloMaintenance(def: SloDefinition, policy: Policy): TimeSpan[] {
  return maintenanceSpans(policy.maintenance, def.service);
}

/** Accumulates `[timestamp, good, total]` samples in one pass, leaving out maintenance, and evaluates them. */
export function evaluateSloFromSamples(
  def: SloDefinition,
  samples: Iterable<readonly [number, number, number]>,
  now: number,
  policy: Policy,
): SloReport {
  const accumulator = new SloCountsAccumulator(def, now, sloMaintenance(def, policy));
  for (const [timestamp, good, total] of samples) accumulator.add(timestamp, good, total);
  return evaluateSlo(def, accumulator.result(), now, policy);
}

function serviceLevelIndicator(def: SloDefinition, counts: SloCounts): number | null {
  if (counts.window.total === 0) return null;
  // Timeslices: good slices / slices with data; RatioTimeslices: the mean of the slices' ratios
  // (counts.slices.good is their sum then). Both over the slices that had events.
  if (def.budgeting.method === 'Timeslices' || def.budgeting.method === 'RatioTimeslices') {
    if (!counts.slices) throw new Error(`SLO ${def.name} uses ${def.budgeting.method} budgeting but its counts have no slices`);
    return counts.slices.withData > 0 ? counts.slices.good / counts.slices.withData : null;
  }
  return counts.window.good / counts.window.total;
}

/** `errorRatio / allowed`; no errors burn nothing, even with an objective of 1 (allowed 0). */
function burnRate(errorRatioValue: number, allowedErrorRatio: number): number {
  return errorRatioValue === 0 ? 0 : errorRatioValue / allowedErrorRatio;
}

function sloStatus(noData: boolean, remaining: number, alerts: readonly AlertRule[], policy: Policy): SloStatus {
  if (noData) return 'no-data';
  if (remaining <= 0) return 'exhausted';
  if (alerts.some((alert) => alert.severity === 'page')) return 'critical';
  if (alerts.some((alert) => alert.severity === 'ticket') || remaining < policy.cautionBelow) return 'warning';
  return 'healthy';
}

/** DOMAIN.md section 2's time to exhaustion; the composite SLO applies it to its own numbers too. */
export function timeOfExhaustion(remaining: number, dailyBurn: number, windowLengthMs: number, now: number): number | null {
  if (remaining <= 0) return now;
  if (dailyBurn <= 0) return null;
  return now + (remaining * windowLengthMs) / dailyBurn;
}

function burnDown(buckets: SloCounts['buckets'], allowedBadEvents: number): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  let cumulativeBad = 0;
  for (const bucket of buckets) {
    cumulativeBad += bucket.total - bucket.good;
    points.push([bucket.end, cumulativeBad === 0 ? 1 : 1 - cumulativeBad / allowedBadEvents]);
  }
  return points;
}

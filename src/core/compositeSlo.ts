// Composite SLOs (DOMAIN.md section 2): OpenSLO objectives that carry their own indicator, each
// evaluated as an SLO of its own (slo.ts), combined here into the one SLO the report shows. Pure: it
// takes the objectives' reports, however their counts were read.
import { BURN_WINDOWS } from './model';
import type { BurnWindow, SloDefinition, SloReport, SloStatus } from './model';
import { timeOfExhaustion } from './slo';
import { sloWindowLengthMs, sloWindowRange } from './sloCounts';

export interface WeightedReport {
  weight: number;
  report: SloReport;
}

/**
 * From the worst: a composite is as bad as its worst objective. `no-data` ranks below every finding
 * and above `healthy`: an objective nobody measured keeps the composite from reading healthy, but does
 * not hide that another one is exhausted.
 */
const STATUS_FROM_WORST: readonly SloStatus[] = ['exhausted', 'critical', 'warning', 'no-data', 'healthy'];

/**
 * The composite SLO `def` at `now` from its objectives' reports (in `def.composite.objectives` order),
 * each with its `compositeWeight`. Over the objectives that have data (`sli` not null), with weights `w`:
 *
 * - budget remaining = Σ w·remaining / Σ w (consumed = 1 - remaining); burn rate over each window =
 *   Σ w·burn / Σ w; SLI = Σ w·sli / Σ w; objective = Σ w·objective / Σ w over all objectives (the target
 *   the weighted SLI is held to). An objective without data has no budget to count: it is left out of
 *   the means rather than counted as untouched.
 * - status: the worst of the objectives' statuses (STATUS_FROM_WORST); `no-data` when none has data.
 * - alerts: every alert an objective fires (they decide its status, so they decide the composite's).
 * - time to exhaustion: the rule of a single SLO over the composite's numbers (`now + r * W / burn(1d)`).
 * - good, total and the maintenance `excludedTotal`: sums over the objectives, so every event read is
 *   accounted for (objectives over the same requests count them once each).
 * - burn-down: at each bucket end, the weighted mean of the objectives' points there.
 * - error: each objective's error, named by the objective, when any could not be read.
 */
/** The SLOs that read data of their own: each composite's objectives in its place, every other SLO as it is. */
export function sloDataReaders(slos: readonly SloDefinition[]): SloDefinition[] {
  return slos.flatMap((def) => (def.composite ? def.composite.objectives.map((objective) => objective.definition) : [def]));
}

/** Whether an SLO that reads its own data reads it from Prometheus (not a CSV file, not a source this tool cannot read). */
export function readsPrometheus(def: SloDefinition): boolean {
  const type = def.indicator.type;
  return type !== 'csv' && type !== 'csv-values' && type !== 'unsupported' && type !== 'composite';
}

export function evaluateCompositeSlo(def: SloDefinition, objectives: readonly WeightedReport[], now: number): SloReport {
  const measured = objectives.filter(({ report }) => report.sli !== null);
  const weightOf = (list: readonly WeightedReport[]) => list.reduce((sum, { weight }) => sum + weight, 0);
  const measuredWeight = weightOf(measured);
  const weightedMean = (value: (report: SloReport) => number, list: readonly WeightedReport[] = measured, total = measuredWeight) =>
    list.reduce((sum, { weight, report }) => sum + weight * value(report), 0) / total;

  const noData = measured.length === 0;
  const remaining = noData ? 1 : weightedMean((report) => report.budget.remaining);
  const burnRates = {} as Record<BurnWindow, number>;
  for (const label of BURN_WINDOWS) burnRates[label] = noData ? 0 : weightedMean((report) => report.burnRates[label]);
  const range = sloWindowRange(def, now);
  const excluded = objectives.filter(({ report }) => report.excludedTotal !== undefined);
  const errors = objectives.filter(({ report }) => report.error !== undefined).map(({ report }) => `objective ${report.name}: ${report.error}`);
  const staleSince = objectives.map(({ report }) => report.staleSince).filter((time): time is number => time !== undefined);

  return {
    name: def.name,
    service: def.service,
    objective: objectives.length > 0 ? weightedMean((report) => report.objective, objectives, weightOf(objectives)) : def.objective,
    window: def.window.label,
    windowStart: range.start,
    windowEnd: range.end,
    budgetingMethod: def.budgeting.method,
    sli: noData ? null : weightedMean((report) => report.sli as number),
    good: objectives.reduce((sum, { report }) => sum + report.good, 0),
    total: objectives.reduce((sum, { report }) => sum + report.total, 0),
    ...(excluded.length > 0 ? { excludedTotal: excluded.reduce((sum, { report }) => sum + (report.excludedTotal as number), 0) } : {}),
    budget: { remaining, consumed: 1 - remaining },
    burnRates,
    alerts: objectives.flatMap(({ report }) => report.alerts.map((alert) => ({ ...alert }))),
    exhaustionEta: noData ? null : timeOfExhaustion(remaining, burnRates['1d'], sloWindowLengthMs(def, now), now),
    status: worstStatus(objectives.map(({ report }) => report.status)),
    burnDown: weightedBurnDown(measured),
    file: def.file,
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    ...(staleSince.length > 0 ? { staleSince: Math.min(...staleSince) } : {}),
    objectives: objectives.map(({ weight, report }) => ({ weight, report })),
  };
}

/** The worst of `statuses`; `no-data` for none. */
export function worstStatus(statuses: readonly SloStatus[]): SloStatus {
  for (const status of STATUS_FROM_WORST) if (statuses.includes(status)) return status;
  return 'no-data';
}

/** At each bucket end any measured objective has a point, the weighted mean of the points there. */
function weightedBurnDown(measured: readonly WeightedReport[]): Array<[number, number]> {
  const sums = new Map<number, { weighted: number; weight: number }>();
  for (const { weight, report } of measured) {
    for (const [time, remaining] of report.burnDown) {
      const sum = sums.get(time) ?? { weighted: 0, weight: 0 };
      sum.weighted += weight * remaining;
      sum.weight += weight;
      sums.set(time, sum);
    }
  }
  return [...sums.entries()].sort(([a], [b]) => a - b).map(([time, { weighted, weight }]) => [time, weighted / weight]);
}

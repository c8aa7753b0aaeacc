// "Explain every number" for an SLO (DOMAIN.md sections 2 and 5, `explain`): the windows with the counts
// that produced a report's numbers, the budget formula with the values put in, each alert rule with both
// windows' burn rates, the time to exhaustion and where the data came from. One plain object feeds the
// CLI (`explain`), the tree tooltips and the editor's explanation page, so they cannot disagree.
//
// The numbers themselves are the report's (what every front end showed); the explanation adds the
// counts and the rule each number came from, so a reader (and test/unit/explain.test.ts) can redo the
// arithmetic by hand and arrive at the same report.
import { ALERT_RULES } from './slo';
import { sloWindowLengthMs } from './sloCounts';
import { fixedDurationMs } from './duration';
import { BURN_WINDOWS } from './model';
import { RECORD_1H, RECORD_5M, RECORD_ID_LABEL, RULE_INTERVAL_MS } from './recordingRules';
import { policyOfService } from './policy';
import type { AlertRule, BurnWindow, Indicator, Policy, SloCounts, SloDefinition, SloReadMode, SloReport, SloStatus, WindowCounts, WorkspaceConfig } from './model';

export interface WindowExplanation {
  /** `28d`, `1M`, `5m`, ... */
  label: string;
  /** `slo`: the SLO window W; `burn`: one of the seven burn-rate windows. */
  role: 'slo' | 'burn';
  /** Exclusive start and inclusive end (epoch ms): samples with `start < timestamp <= end` count. */
  start: number;
  end: number;
  good: number;
  total: number;
  /** Events of the window's samples left out for maintenance (0 when no maintenance covers the SLO). */
  excludedTotal: number;
  /** `1 - good/total`, 0 without events. */
  errorRatio: number;
}

export interface BudgetExplanation {
  /** The rule, in words and symbols. */
  formula: string;
  /** The same formula with this SLO's values put in, and its result. */
  withValues: string;
  /** What the formula reads: events (Occurrences) or timeslices. */
  good: number;
  total: number;
  objective: number;
  allowedErrorRatio: number;
  remaining: number;
  consumed: number;
}

export interface AlertRuleExplanation extends AlertRule {
  longBurnRate: number;
  shortBurnRate: number;
  /** Both windows burn faster than the threshold (as the report decided). */
  fires: boolean;
}

export interface ExhaustionExplanation {
  eta: number | null;
  /** The full SLO window length W the budget is spread over (ms). */
  windowLengthMs: number;
  dailyBurnRate: number;
  /** `now + r × W / burn(1d)`, or why there is no such time. */
  rule: string;
}

/** What is different for a Timeslices SLO: the SLI and budget count slices, not events. */
export interface TimeslicesExplanation {
  method: string;
  sliceMs: number;
  /** A slice is good when its good/total reaches this (absent for RatioTimeslices: each slice gives its ratio). */
  sliceTarget?: number;
  /** Slices judged good (RatioTimeslices: the sum of the slices' ratios). */
  goodSlices: number;
  slicesWithData: number;
  note: string;
}

/** Prometheus SLOs also say whether they read recorded series (`rules`) or raw counters, and why. */
export type SourceExplanation = SourceKindExplanation & { mode?: 'rules' | 'raw'; modeReason?: string };

type SourceKindExplanation =
  | { type: 'csv'; file: string; goodColumn: string; totalColumn: string; reading: string; firstRow?: number; lastRow?: number }
  | { type: 'prometheus'; server: string | null; good?: string; bad?: string; total: string; counter: boolean; reading: string }
  | { type: 'sloth'; server: string | null; errorQuery: string; totalQuery: string; reading: string }
  | { type: 'sloth-raw'; server: string | null; errorRatioQuery: string; reading: string }
  | { type: 'unsupported'; reason: string; reading: string }
  /** Any other indicator kind: its type, the file or query it names, and how it is read. */
  | { type: string; file?: string; query?: string; server?: string | null; reading: string; firstRow?: number; lastRow?: number };

export interface SloExplanation {
  service: string;
  slo: string;
  now: number;
  objective: number;
  /** Label of the SLO window. */
  window: string;
  budgetingMethod: string;
  sli: number | null;
  /** The SLO window first, then the seven burn windows. */
  windows: WindowExplanation[];
  budget: BudgetExplanation;
  burnRates: Record<BurnWindow, number>;
  /** Every alert rule of the SLO, firing or not. */
  alerts: AlertRuleExplanation[];
  exhaustion: ExhaustionExplanation;
  status: SloStatus;
  /** Which rule of DOMAIN.md section 2 gave the status. */
  statusReason: string;
  source: SourceExplanation;
  timeslices?: TimeslicesExplanation;
  /** False when the report carries no counts (then only the SLO window's totals are known). */
  countsAvailable: boolean;
  error?: string;
  staleSince?: number;
  /** Anything a reader should know to redo the numbers (maintenance, what is not evaluated). */
  notes: string[];
}

export interface SloExplanationInput {
  definition: SloDefinition;
  report: SloReport;
  now: number;
  policy: Policy;
  /** config.yaml's slis.prometheus.url, named for Prometheus-backed SLOs. */
  prometheusUrl?: string;
}

const MINUS = '−';

/** A number as the formulas print it: up to six decimals, trailing zeros dropped (JSON keeps it exact). */
export function formulaNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const text = value.toFixed(6).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** What a workspace snapshot holds that an explanation reads (structurally: core knows no snapshot). */
export interface ExplanationContext {
  now: number;
  slos: readonly SloDefinition[];
  config: Pick<WorkspaceConfig, 'policy' | 'slis' | 'services'>;
}

/**
 * The explanation of one report of a snapshot, with its definition found by service and name: the one
 * way the engine (CLI), the tree tooltips and the editor's page build it. Undefined without a definition.
 */
export function explainSloReport(context: ExplanationContext, report: SloReport): SloExplanation | undefined {
  const definition = context.slos.find((slo) => slo.service === report.service && slo.name === report.name);
  if (!definition) return undefined;
  // The status was read with the service's own cautionBelow when it sets one (services[].policy).
  const policy = policyOfService(context.config.policy, context.config.services.find((service) => service.name === report.service)?.policy);
  return explainSlo({ definition, report, now: context.now, policy, prometheusUrl: context.config.slis.prometheus?.url });
}

export function explainSlo(input: SloExplanationInput): SloExplanation {
  const { definition, report, now } = input;
  // The counts the report was evaluated from (SloReport.counts, kept by workspace/sloData.ts).
  const counts = report.counts;
  const windows: WindowExplanation[] = [
    windowExplanation(report.window, 'slo', report.windowStart, report.windowEnd, counts?.window ?? report),
  ];
  if (counts) {
    for (const label of BURN_WINDOWS) {
      const ms = fixedDurationMs(label) as number;
      windows.push(windowExplanation(label, 'burn', now - ms, now, counts.burn[label]));
    }
  }
  const allowedErrorRatio = 1 - report.objective;
  const timeslices = timeslicesExplanation(definition, report);
  const budget = budgetExplanation(report, allowedErrorRatio, timeslices);
  const firing = (rule: AlertRule) =>
    report.alerts.some((alert) => alert.severity === rule.severity && alert.long === rule.long && alert.short === rule.short && alert.threshold === rule.threshold);
  const alerts = (definition.alertRules ?? ALERT_RULES).map((rule) => ({
    severity: rule.severity,
    long: rule.long,
    short: rule.short,
    threshold: rule.threshold,
    longBurnRate: report.burnRates[rule.long],
    shortBurnRate: report.burnRates[rule.short],
    fires: firing(rule),
  }));
  const notes: string[] = [];
  const excluded = counts?.window.excludedTotal ?? report.excludedTotal;
  if (excluded !== undefined) {
    notes.push(`Maintenance windows cover ${report.service}: samples in them are in no count above; their events are shown as excluded.`);
  }
  if (!counts) notes.push('The burn windows’ counts are not available for this SLO; only the SLO window’s totals are.');
  if (definition.alertRules && definition.alertRules !== ALERT_RULES) {
    notes.push('This SLO alerts on its own rules (an alert policy or disabled Sloth alerts), not the four default tiers; an alertAfter duration is not evaluated.');
  }
  return {
    service: report.service,
    slo: report.name,
    now,
    objective: report.objective,
    window: report.window,
    budgetingMethod: report.budgetingMethod,
    sli: report.sli,
    windows,
    budget,
    burnRates: { ...report.burnRates },
    alerts,
    exhaustion: exhaustionExplanation(definition, report, now),
    status: report.status,
    statusReason: statusReason(report, alerts, input.policy),
    source: withReadMode(withRowRange(sourceExplanation(definition.indicator, input.prometheusUrl ?? null), counts?.rows), report.readMode),
    ...(timeslices ? { timeslices } : {}),
    countsAvailable: counts !== undefined,
    ...(report.error ? { error: report.error } : {}),
    ...(report.staleSince !== undefined ? { staleSince: report.staleSince } : {}),
    notes,
  };
}

function windowExplanation(label: string, role: 'slo' | 'burn', start: number, end: number, counts: WindowCounts): WindowExplanation {
  return {
    label,
    role,
    start,
    end,
    good: counts.good,
    total: counts.total,
    excludedTotal: counts.excludedTotal ?? 0,
    errorRatio: counts.total > 0 ? 1 - counts.good / counts.total : 0,
  };
}

function timeslicesExplanation(definition: SloDefinition, report: SloReport): TimeslicesExplanation | undefined {
  const budgeting = definition.budgeting;
  if (budgeting.method === 'Occurrences') return undefined;
  const slices = report.counts?.slices ?? { good: 0, withData: 0 };
  const sliceTarget = 'sliceTarget' in budgeting ? budgeting.sliceTarget : undefined;
  const judged =
    sliceTarget !== undefined
      ? `a slice is good when its good/total is at least ${formulaNumber(sliceTarget)}; SLI = good slices / slices with events`
      : 'SLI = the mean of the slices’ good/total ratios, each slice with events weighing one';
  return {
    method: budgeting.method,
    sliceMs: budgeting.sliceMs,
    ...(sliceTarget !== undefined ? { sliceTarget } : {}),
    goodSlices: slices.good,
    slicesWithData: slices.withData,
    note: `${budgeting.method}: ${judged}; the burn rates, alerts and burn-down still count events.`,
  };
}

function budgetExplanation(report: SloReport, allowed: number, timeslices: TimeslicesExplanation | undefined): BudgetExplanation {
  const [good, total, goodName, totalName] = timeslices
    ? [timeslices.goodSlices, timeslices.slicesWithData, 'good slices', 'slices']
    : [report.good, report.total, 'good', 'total'];
  const formula = `budget remaining = 1 ${MINUS} (1 ${MINUS} ${goodName}/${totalName}) / (1 ${MINUS} objective)`;
  const base = { formula, good, total, objective: report.objective, allowedErrorRatio: allowed, remaining: report.budget.remaining, consumed: report.budget.consumed };
  if (report.sli === null) {
    return { ...base, withValues: `no ${totalName === 'total' ? 'events' : 'slices with events'} in the window: no data, the budget is untouched (remaining 1)` };
  }
  const withValues =
    `1 ${MINUS} (1 ${MINUS} ${formulaNumber(good)}/${formulaNumber(total)}) / (1 ${MINUS} ${formulaNumber(report.objective)})` +
    ` = 1 ${MINUS} ${formulaNumber(1 - report.sli)} / ${formulaNumber(allowed)} = 1 ${MINUS} ${formulaNumber(report.budget.consumed)} = ${formulaNumber(report.budget.remaining)}`;
  return { ...base, withValues };
}

function exhaustionExplanation(definition: SloDefinition, report: SloReport, now: number): ExhaustionExplanation {
  const windowLengthMs = sloWindowLengthMs(definition, now);
  const dailyBurnRate = report.burnRates['1d'];
  const remaining = report.budget.remaining;
  let rule: string;
  if (report.sli === null) rule = 'no data: nothing to extrapolate';
  else if (remaining <= 0) rule = 'budget remaining ≤ 0: exhausted now';
  else if (dailyBurnRate <= 0) rule = 'burn(1d) = 0: the budget never runs out at this rate';
  else {
    rule = `now + remaining × W / burn(1d) = now + ${formulaNumber(remaining)} × ${formulaNumber(windowLengthMs / 86_400_000)}d / ${formulaNumber(dailyBurnRate)}`;
  }
  return { eta: report.exhaustionEta, windowLengthMs, dailyBurnRate, rule };
}

/** The first rule of DOMAIN.md section 2's status order that holds, in words, from the report's values. */
function statusReason(report: SloReport, alerts: readonly AlertRuleExplanation[], policy: Policy): string {
  const firing = (severity: AlertRule['severity']) =>
    alerts.filter((alert) => alert.fires && alert.severity === severity).map((alert) => `${alert.long}/${alert.short} > ${formulaNumber(alert.threshold)}`);
  switch (report.status) {
    case 'no-data':
      return report.error || report.unsupported ? `no data: ${report.error ?? report.unsupported}` : 'no data: no events in the SLO window';
    case 'exhausted':
      return `exhausted: budget remaining ${formulaNumber(report.budget.remaining)} ≤ 0`;
    case 'critical':
      return `critical: a page alert fires (${firing('page').join(', ')})`;
    case 'warning': {
      const tickets = firing('ticket');
      return tickets.length > 0
        ? `warning: a ticket alert fires (${tickets.join(', ')})`
        : `warning: budget remaining ${formulaNumber(report.budget.remaining)} is below cautionBelow ${formulaNumber(policy.cautionBelow)}`;
    }
    case 'healthy':
      return `healthy: budget remaining ${formulaNumber(report.budget.remaining)} ≥ cautionBelow ${formulaNumber(policy.cautionBelow)} and no alert fires`;
  }
}

/**
 * Prometheus SLOs: which series the numbers came from (sources/prometheusRecords.ts), and why. In rules
 * mode the reading is the recorded counts', and how they may differ from raw mode is said with it.
 */
function withReadMode(source: SourceExplanation, readMode: SloReadMode | undefined): SourceExplanation {
  if (readMode === undefined) return source;
  if (readMode.mode === 'raw') return { ...source, mode: 'raw', modeReason: readMode.reason };
  return {
    ...source,
    mode: 'rules',
    modeReason: readMode.reason,
    reading:
      `good(w) and total(w) are sums of the counts recorded by \`reliability-lens rules\` (${RECORD_5M} and ${RECORD_1H}, ` +
      `${RECORD_ID_LABEL}="${readMode.recordId ?? ''}") over (T − w, T], T the last rule evaluation at or before now (at most ` +
      `${RULE_INTERVAL_MS / 60_000} minutes earlier): they differ from raw counters by at most the events of ${RULE_INTERVAL_MS / 60_000} minutes at each end of each window`,
  };
}

/** File mode: the lines of the data file whose rows the SLO window counted (first and last). */
function withRowRange(source: SourceExplanation, rows: SloCounts['rows']): SourceExplanation {
  return rows === undefined ? source : { ...source, firstRow: rows.first, lastRow: rows.last };
}

function sourceExplanation(indicator: Indicator, server: string | null): SourceExplanation {
  switch (indicator.type) {
    case 'csv':
      return {
        type: 'csv',
        file: `.reliability/${indicator.path}`,
        goodColumn: indicator.goodColumn,
        totalColumn: indicator.totalColumn,
        reading: 'each row is one interval ending at its timestamp; good(w) and total(w) sum the rows with now − w < timestamp ≤ now',
      };
    case 'prometheus':
      return {
        type: 'prometheus',
        server,
        ...(indicator.good !== undefined ? { good: indicator.good } : {}),
        ...(indicator.bad !== undefined ? { bad: indicator.bad } : {}),
        total: indicator.total,
        counter: indicator.counter,
        reading: indicator.counter
          ? `good(w) = sum(increase(SELECTOR[w])) at time=now${indicator.bad !== undefined ? ', good = total − bad' : ''}`
          : `good(w) = the sum of the selector's samples in (now − w, now]${indicator.bad !== undefined ? ', good = total − bad' : ''}`,
      };
    case 'sloth':
      return {
        type: 'sloth',
        server,
        errorQuery: indicator.errorQuery,
        totalQuery: indicator.totalQuery,
        reading: 'bad(w) and total(w) are the queries with {{.window}} = w, at time=now; good = total − bad',
      };
    case 'sloth-raw':
      return {
        type: 'sloth-raw',
        server,
        errorRatioQuery: indicator.errorRatioQuery,
        reading: 'the error ratio over w is the query with {{.window}} = w, at time=now (one event per window)',
      };
    case 'unsupported':
      return { type: 'unsupported', reason: indicator.reason, reading: 'this data source cannot be read: no data' };
    default: {
      // Indicator kinds added later (threshold and raw values...): their file or query as written.
      const other = indicator as { type: string; path?: string; query?: string };
      return {
        type: other.type,
        ...(other.path !== undefined ? { file: `.reliability/${other.path}` } : {}),
        ...(other.query !== undefined ? { query: other.query, server } : {}),
        reading: 'each data point is one event (see DOMAIN.md section 2, "Other indicators")',
      };
    }
  }
}

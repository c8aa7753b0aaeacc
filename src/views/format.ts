// Every plain text the views show, as pure functions of snapshot data, so the exact strings are
// unit-tested without an editor. Numbers and times read as core/format.ts says, the same in the CLI;
// this module holds only the editor's sentences around them. Times are relative to the snapshot's
// `now`, never the clock (DOMAIN.md: a report is reproducible). The dashboard webview bundles this
// module too, so it imports neither Node nor vscode. Markdown made from these texts goes through
// markdown.ts, which escapes them.
import type {
  DoraReport,
  FileChange,
  Incident,
  LinkReason,
  MergeVerdict,
  Problem,
  Severity,
  SloReadMode,
  SloReport,
  SloStatus,
  SourceState,
  Tier,
} from '../core/model';
import type { DeploymentView, IncidentView } from '../workspace/snapshot';
import type { DeploymentImpact, SloImpact } from '../core/deploymentImpact';
import { describeImpact, describeSloImpact, headlineImpact } from '../core/impactText';

import { isOpenAt } from '../core/incidents';
import {
  formatAge,
  formatBudgetPercent,
  formatBurnRate,
  formatDuration,
  formatPerWeek,
  formatRate,
  formatRatioPercent,
  formatSeconds,
  formatSli,
  formatUtc,
} from '../core/format';

// ---- SLOs ----------------------------------------------------------------------------------------

const STATUS_WORDS: Record<SloStatus, string> = {
  'no-data': 'no data',
  exhausted: 'budget exhausted',
  critical: 'critical',
  warning: 'warning',
  healthy: 'healthy',
};

export function formatStatus(status: SloStatus): string {
  return STATUS_WORDS[status];
}

/**
 * The SLO node's description: `99.962% · 62% budget left`; `99.8% · budget exhausted (-15%)`;
 * `no data`; `SLI unavailable` when the source failed; `… · stale` over the last good numbers.
 */
export function formatSloSummary(report: SloReport): string {
  if (report.error && report.staleSince === undefined) return 'SLI unavailable';
  if (report.staleSince !== undefined) return `${formatSloSummary({ ...report, error: undefined, staleSince: undefined })} · stale`;
  if (report.status === 'no-data' || report.sli === null) return 'no data';
  const sli = formatRatioPercent(report.sli);
  if (report.budget.remaining <= 0) return `${sli} · budget exhausted (${formatBudgetPercent(report.budget.remaining)})`;
  return `${sli} · ${formatBudgetPercent(report.budget.remaining)} budget left`;
}

/** `SLI 99.962% · objective 99.9% over 28d`. */
/** How a Prometheus SLO was read: `Read from recorded series (rules mode): …` or `Read from raw counters: …`. */
export function formatReadMode(readMode: SloReadMode): string {
  return readMode.mode === 'rules' ? `Read from recorded series (rules mode): ${readMode.reason}` : `Read from raw counters: ${readMode.reason}`;
}

export function formatSliLine(report: SloReport): string {
  const objective = `objective ${formatRatioPercent(report.objective)} over ${report.window}`;
  return `SLI ${formatSli(report.sli)} · ${objective}`;
}

/** `62% left · 38% consumed`. */
export function formatBudgetLine(report: SloReport): string {
  return `${formatBudgetPercent(report.budget.remaining)} left · ${formatBudgetPercent(report.budget.consumed)} consumed`;
}

/** Burn windows that take part in a firing alert, to mark them in the burn-rate list. */
export function alertingWindows(report: SloReport): Set<string> {
  const windows = new Set<string>();
  for (const alert of report.alerts) {
    windows.add(alert.long);
    windows.add(alert.short);
  }
  return windows;
}

/** `exhausted now`, `never at the current 1d burn rate`, `in 11d 3h (2026-12-01 03:00 UTC)`. */
export function formatExhaustion(report: SloReport, now: number): string {
  return formatExhaustionOf(report.status, report.budget.remaining, report.exhaustionEta, now);
}

/** formatExhaustion over the separate fields the dashboard's projection carries. */
export function formatExhaustionOf(status: SloStatus, remaining: number, exhaustionEta: number | null, now: number): string {
  if (status === 'no-data') return 'unknown without data';
  if (remaining <= 0) return 'exhausted now';
  if (exhaustionEta === null) return 'never at the current 1d burn rate';
  return `in ${formatDuration(exhaustionEta - now)} (${formatUtc(exhaustionEta)})`;
}

/** Status bar text without its icon: `checkout 62% budget`, or `checkout no data`. */
export function formatBudgetGlance(report: SloReport): string {
  if (report.status === 'no-data' || report.sli === null) return `${report.service} no data`;
  return `${report.service} ${formatBudgetPercent(report.budget.remaining)} budget`;
}

// ---- sources and problems ------------------------------------------------------------------------

/** `prometheus (prom.example.com): needs a token`. */
export function formatSourceState(source: SourceState, now: number): string {
  const name = source.host ? `${source.name} (${source.host})` : source.name;
  switch (source.state) {
    case 'ok':
      return `${name}: ok`;
    case 'needs-token':
      return `${name}: needs a token`;
    case 'failing':
      return `${name}: failing${source.message ? ` · ${source.message}` : ''}`;
    case 'stale':
      return `${name}: stale${source.lastSuccess ? ` since ${formatAge(source.lastSuccess, now)}` : ''}`;
    case 'disabled':
      return `${name}: off${source.message ? ` · ${source.message}` : ''}`;
  }
}

/**
 * Whether a problem points into a file (`.reliability/slos/x.yaml`) rather than naming a remote
 * source (`prometheus`), which has nothing to open.
 */
export function isFileProblem(problem: Problem): boolean {
  return problem.file.includes('/') || /\.[a-z0-9]+$/i.test(problem.file);
}

/** `slos/checkout.yaml:12:5` (relative to `.reliability/` when inside it). */
export function formatProblemLocation(problem: Problem): string {
  const file = problem.file.replace(/^\.reliability\//, '');
  if (problem.line <= 0) return file;
  return problem.column > 0 ? `${file}:${problem.line}:${problem.column}` : `${file}:${problem.line}`;
}

/** The 0-based position a 1-based Problem points at (0 line/column = the whole file or line). */
export function problemPosition(problem: Problem): { line: number; character: number } {
  return { line: Math.max(0, problem.line - 1), character: Math.max(0, problem.column - 1) };
}

export function formatProblemsLabel(count: number): string {
  return `Problems (${count})`;
}

// ---- incidents -----------------------------------------------------------------------------------

/** `INC-7 · SEV2 · checkout`. */
export function formatIncidentLabel(incident: Pick<Incident, 'id' | 'severity' | 'service'>): string {
  return `${incident.id} · ${incident.severity} · ${incident.service}`;
}

/**
 * `open for 2h 15m`, or `lasted 1h 30m` once resolved. Open as core decides at `now`: an incident
 * resolved after `now` is still open then.
 */
export function formatIncidentDuration(incident: Pick<Incident, 'startedAt' | 'resolvedAt'>, now: number): string {
  if (isOpenAt(incident, now) || incident.resolvedAt === null) return `open for ${formatDuration(now - incident.startedAt)}`;
  return `lasted ${formatDuration(incident.resolvedAt - incident.startedAt)}`;
}

const REASON_WORDS: Record<LinkReason, string> = {
  'root-cause': 'root cause',
  fix: 'fix',
  deployment: 'shipped in its deployment',
};

export function formatLinkReason(reason: LinkReason): string {
  return REASON_WORDS[reason];
}

/** What the views say while a load's early snapshot waits for git (tree node, dashboard). */
export const DELIVERY_PENDING_TEXT = 'Reading delivery history…';
/** ... and when that load ended without it (it failed; the error is shown beside). */
export const DELIVERY_NOT_READ_TEXT = 'Delivery history was not read';

/**
 * The deployment an incident shipped in, for its tooltip and page: `none linked` only once git has
 * been read and found none; before that (an early snapshot) it is not known yet; an incident neither
 * open nor recent whose root causes shipped before the delivery window was not searched further; one
 * whose old deployment git is still searching for (an interim snapshot) says so.
 */
export function formatIncidentDeployment(
  incident: Pick<IncidentView, 'deployment' | 'deploymentBeforeWindow' | 'deploymentLookupPending'>,
  deliveryPending: boolean,
): string {
  if (incident.deployment !== null) return incident.deployment;
  if (deliveryPending) return 'not known yet (git is still reading)';
  if (incident.deploymentLookupPending) return 'not known yet (git is searching its old deployments)';
  return incident.deploymentBeforeWindow ? 'shipped before the delivery window' : 'none linked';
}

/** QuickPick detail: `open for 2h 15m · deployment v1.32.0 · pagerduty`. */
export function formatIncidentDetail(incident: IncidentView, now: number): string {
  const parts = [formatIncidentDuration(incident, now)];
  if (incident.deployment) parts.push(`deployment ${incident.deployment}`);
  parts.push(incident.source);
  return parts.join(' · ');
}

// ---- code lenses ---------------------------------------------------------------------------------

/** Incident ids linked to any of the file's recent changes, in first-seen order. */
export function linkedIncidentIds(changes: readonly FileChange[]): string[] {
  const ids: string[] = [];
  for (const change of changes) for (const link of change.incidents) if (!ids.includes(link.id)) ids.push(link.id);
  return ids;
}

/** Line-0 lens: `3 recent changes · 2 incidents (INC-5, INC-7)` or `1 recent change · no incidents`. */
export function formatFileLensTitle(changes: readonly FileChange[]): string {
  const count = `${changes.length} recent change${changes.length === 1 ? '' : 's'}`;
  const ids = linkedIncidentIds(changes);
  if (ids.length === 0) return `${count} · no incidents`;
  return `${count} · ${ids.length} incident${ids.length === 1 ? '' : 's'} (${ids.join(', ')})`;
}

/**
 * A commit's lens: `INC-5 · SEV2 · root cause · shipped v1.32.0 · 12 days ago`; without incidents
 * `shipped v1.32.0 · 12 days ago` or `not yet deployed · 3 days ago`. Several incidents are joined with
 * `, ` strongest link first (the order the engine gives). A deployment that degraded an SLO (`degraded`:
 * deployment name -> the SLOs it degraded) says so after its name: `shipped v1.33.0 · which degraded
 * checkout-availability · 9 days ago`.
 */
export function formatChangeLensTitle(
  change: FileChange,
  severities: ReadonlyMap<string, Severity>,
  now: number,
  degraded: ReadonlyMap<string, readonly string[]> = new Map(),
): string {
  const links = change.incidents.map((link) => {
    const severity = severities.get(link.id);
    return [link.id, severity, formatLinkReason(link.reason)].filter(Boolean).join(' · ');
  });
  const degradedSlos = change.deployment === null ? undefined : degraded.get(change.deployment);
  // The deployment that shipped it degraded an SLO (DOMAIN.md section 6): said next to its name.
  const shipped = change.deployment === null ? 'not yet deployed' : `shipped ${change.deployment}${degradedSlos ? ` · which degraded ${degradedSlos.join(', ')}` : ''}`;
  const tail = `${shipped} · ${formatAge(change.time, now)}`;
  return links.length ? `${links.join(', ')} · ${tail}` : tail;
}

/** The first line (1-based) a commit still owns, where its lens goes; undefined when it owns none. */
export function firstOwnedLine(change: FileChange): number | undefined {
  let first: number | undefined;
  for (const [start] of change.lines) if (first === undefined || start < first) first = start;
  return first;
}

/**
 * Where a commit's lens goes: the first non-blank line it owns (a commit that added a function
 * often owns the blank line before it), else its first line. `lineText` reads a 1-based line.
 */
export function lensLine(change: FileChange, lineText: (line: number) => string | undefined): number | undefined {
  const ranges = [...change.lines].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of ranges) {
    for (let line = start; line <= end; line++) {
      const text = lineText(line);
      if (text === undefined) break;
      if (text.trim()) return line;
    }
  }
  return firstOwnedLine(change);
}

/** Whether a 1-based line is inside one of the commit's ranges. */
export function ownsLine(change: FileChange, line: number): boolean {
  return change.lines.some(([start, end]) => line >= start && line <= end);
}

// ---- DORA ----------------------------------------------------------------------------------------

export type DoraMetricKey = 'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'failedDeploymentRecovery' | 'timeToRestore' | 'reworkRate';

interface DoraMetricSpec {
  key: DoraMetricKey;
  label: string;
  value: (report: DoraReport) => number | null;
  format: (value: number) => string;
  /** Whether a larger value is an improvement (deploying more often is; failing more is not). */
  higherIsBetter: boolean;
  tier: (report: DoraReport) => Tier | null;
}


export const DORA_METRICS: readonly DoraMetricSpec[] = [
  {
    key: 'deploymentFrequency',
    label: 'Deployment frequency',
    value: (r) => r.deploymentsPerWeek,
    format: formatPerWeek,
    higherIsBetter: true,
    tier: (r) => r.tiers.deploymentFrequency,
  },
  {
    key: 'leadTime',
    label: 'Lead time for changes',
    value: (r) => r.leadTimeSeconds.median,
    format: formatSeconds,
    higherIsBetter: false,
    tier: (r) => r.tiers.leadTime,
  },
  {
    key: 'changeFailureRate',
    label: 'Change failure rate',
    value: (r) => r.changeFailureRate,
    format: formatRate,
    higherIsBetter: false,
    tier: (r) => r.tiers.changeFailureRate,
  },
  {
    key: 'failedDeploymentRecovery',
    label: 'Failed deployment recovery',
    value: (r) => r.failedDeploymentRecoverySeconds.median,
    format: formatSeconds,
    higherIsBetter: false,
    tier: (r) => r.tiers.failedDeploymentRecovery,
  },
  {
    key: 'timeToRestore',
    label: 'Time to restore',
    value: (r) => r.timeToRestoreSeconds.median,
    format: formatSeconds,
    higherIsBetter: false,
    tier: () => null,
  },
  {
    key: 'reworkRate',
    label: 'Rework rate',
    value: (r) => r.reworkRate,
    format: formatRate,
    higherIsBetter: false,
    tier: () => null,
  },
];

export type Trend = 'up' | 'down' | 'flat' | 'none';

export function trendOf(current: number | null, previous: number | null): Trend {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return 'none';
  if (Math.abs(current - previous) < 1e-9) return 'flat';
  return current > previous ? 'up' : 'down';
}

const TREND_ARROWS: Record<Trend, string> = { up: '↑', down: '↓', flat: '→', none: '' };

export function trendArrow(trend: Trend): string {
  return TREND_ARROWS[trend];
}

export interface DoraMetricLine {
  key: DoraMetricKey;
  label: string;
  /** `1.94/week · high ↑`, `1d · high ↓`, `no data`. */
  description: string;
  value: number | null;
  tier: Tier | null;
  trend: Trend;
  /** Whether the trend is an improvement, a regression, or neither. */
  direction: 'better' | 'worse' | 'same' | 'unknown';
  /** `previous 90d: 1.5/week`. */
  previousText: string;
}

export function doraMetricLines(current: DoraReport, previous: DoraReport | null): DoraMetricLine[] {
  return DORA_METRICS.map((spec) => {
    const value = spec.value(current);
    const before = previous ? spec.value(previous) : null;
    const trend = trendOf(value, before);
    const tier = spec.tier(current);
    const direction =
      trend === 'none' ? 'unknown' : trend === 'flat' ? 'same' : (trend === 'up') === spec.higherIsBetter ? 'better' : 'worse';
    const parts = [value === null ? 'no data' : spec.format(value)];
    if (tier) parts.push(tier);
    const arrow = trendArrow(trend);
    const description = arrow ? `${parts.join(' · ')} ${arrow}` : parts.join(' · ');
    const previousText = `previous ${previous?.window ?? current.window}: ${before === null ? 'no data' : spec.format(before)}`;
    return { key: spec.key, label: spec.label, description, value, tier, trend, direction, previousText };
  });
}

/** `v1.32.0` description: `12 days ago · 5 changes · failed (INC-7)`. */
export function formatDeploymentDescription(deployment: DeploymentView, now: number, impact?: DeploymentImpact): string {
  const parts = [formatAge(deployment.time, now), `${deployment.changes.length} change${deployment.changes.length === 1 ? '' : 's'}`];
  if (deployment.incidents.length) parts.push(`failed (${deployment.incidents.join(', ')})`);
  if (impact && impact.impact.length > 0) parts.push(describeImpact(impact));
  return parts.join(' · ');
}

// ---- deployment impact ------------------------------------------------------------------------------

/**
 * The entry a deployment's impact is told by when it deploys several services: a suspect first, then
 * a degraded one, then the one that spent the most budget (core/impactText.ts headlineImpact).
 */
export function headlineDeploymentImpact(entries: readonly DeploymentImpact[]): DeploymentImpact | undefined {
  const rank = (entry: DeploymentImpact) => (entry.suspect ? 3 : entry.verdict === 'degraded' ? 2 : entry.verdict === 'ok' ? 1 : 0);
  let best: DeploymentImpact | undefined;
  for (const entry of entries) {
    if (best === undefined || rank(entry) > rank(best)) best = entry;
    else if (rank(entry) === rank(best) && (headlineImpact(entry.impact)?.budgetSpent ?? -1) > (headlineImpact(best.impact)?.budgetSpent ?? -1)) best = entry;
  }
  return best;
}

/** One SLO's impact line for trees and hovers: `degraded · burned 32.3% of checkout-availability in 6h, 22.6× vs 0.25× before`. */
export function formatSloImpactLine(entry: SloImpact, afterMs: number): string {
  return `${entry.verdict} · ${describeSloImpact(entry, afterMs)}`;
}

/** The four numbers of one SLO's impact, for tooltips: `before 0.25× · first hour 22.6× · after-window 25.2× · budget 32.3%`. */
export function formatImpactNumbers(entry: SloImpact): string {
  const budget = entry.budgetSpent === null ? 'no budget share (not Occurrences)' : `budget spent ${formatRatioPercent(entry.budgetSpent, 1)}`;
  return `before ${formatBurnRate(entry.before)} · first hour ${formatBurnRate(entry.after1h)} · after-window ${formatBurnRate(entry.after)} · ${budget}`;
}

/** A suspect deployment in the Incidents view: `v1.35.0 · accounts`. */
export function formatSuspectLabel(entry: DeploymentImpact): string {
  return `${entry.deployment} · ${entry.service}`;
}

/** The deployments that degraded an SLO, by name, with the SLOs each degraded (for the code lens and hover). */
export function degradedDeployments(entries: readonly DeploymentImpact[] | undefined): Map<string, string[]> {
  const degraded = new Map<string, string[]>();
  for (const entry of entries ?? []) {
    const slos = entry.impact.filter((slo) => slo.verdict === 'degraded').map((slo) => slo.slo);
    if (slos.length > 0) degraded.set(entry.deployment, [...(degraded.get(entry.deployment) ?? []), ...slos]);
  }
  return degraded;
}

// ---- merge check ---------------------------------------------------------------------------------

/** Notification text, always starting `Can I merge: GO`, `CAUTION` or `FREEZE`. */
export function formatMergeMessage(result: MergeVerdict): string {
  const verdict = result.verdict.toUpperCase();
  const first =
    result.reasons[0] ??
    (result.services.length ? `no risk found for ${result.services.join(', ')}` : 'the change touches no configured service');
  return `Can I merge: ${verdict} · ${first}`;
}

/** The output channel's full account of a verdict. */
export function formatMergeReport(result: MergeVerdict, workspaceName: string, base: string | null): string[] {
  const lines = [
    `Can I merge (${workspaceName}${base ? `, compared with ${base}` : ''}): ${result.verdict.toUpperCase()}`,
    `  services: ${result.services.length ? result.services.join(', ') : 'none'}`,
  ];
  if (result.exemptFor?.length) lines.push(`  exempt: fixes ${result.exemptFor.join(', ')}`);
  for (const reason of result.reasons) lines.push(`  - ${reason}`);
  return lines;
}

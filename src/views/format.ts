// Every plain text the views show, as pure functions of snapshot data, so the exact strings are
// unit-tested without an editor. Numbers and times read as core/format.ts says, the same in the CLI;
// this module holds only the editor's sentences around them. Times are relative to the snapshot's
// `now`, never the clock (DOMAIN.md: a report is reproducible). The dashboard webview bundles this
// module too, so it imports neither Node nor vscode. Markdown made from these texts goes through
// markdown.ts, which escapes them. The words go through @vscode/l10n's t(), which the extension host
// gives VS Code's translations of the display language (views/localization.ts); without them (the
// tests, the webview, English) it formats the English text as written.
import * as l10n from '@vscode/l10n';
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


export function formatStatus(status: SloStatus): string {
  switch (status) {
    case 'no-data':
      return l10n.t('no data');
    case 'exhausted':
      return l10n.t('budget exhausted');
    case 'critical':
      return l10n.t('critical');
    case 'warning':
      return l10n.t('warning');
    case 'healthy':
      return l10n.t('healthy');
  }
}

/**
 * The SLO node's description: `99.962% · 62% budget left`; `99.8% · budget exhausted (-15%)`;
 * `no data`; `SLI unavailable` when the source failed; `… · stale` over the last good numbers.
 */
export function formatSloSummary(report: SloReport): string {
  if (report.error && report.staleSince === undefined) return l10n.t('SLI unavailable');
  if (report.staleSince !== undefined) return l10n.t('{0} · stale', formatSloSummary({ ...report, error: undefined, staleSince: undefined }));
  if (report.status === 'no-data' || report.sli === null) return l10n.t('no data');
  const sli = formatRatioPercent(report.sli);
  if (report.budget.remaining <= 0) return l10n.t('{0} · budget exhausted ({1})', sli, formatBudgetPercent(report.budget.remaining));
  return l10n.t('{0} · {1} budget left', sli, formatBudgetPercent(report.budget.remaining));
}

/** `SLI 99.962% · objective 99.9% over 28d`. */
/** How a Prometheus SLO was read: `Read from recorded series (rules mode): …` or `Read from raw counters: …`. */
export function formatReadMode(readMode: SloReadMode): string {
  return readMode.mode === 'rules' ? l10n.t('Read from recorded series (rules mode): {0}', readMode.reason) : l10n.t('Read from raw counters: {0}', readMode.reason);
}

export function formatSliLine(report: SloReport): string {
  return l10n.t('SLI {0} · objective {1} over {2}', formatSli(report.sli), formatRatioPercent(report.objective), report.window);
}

/** `62% left · 38% consumed`. */
export function formatBudgetLine(report: SloReport): string {
  return l10n.t('{0} left · {1} consumed', formatBudgetPercent(report.budget.remaining), formatBudgetPercent(report.budget.consumed));
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
  if (status === 'no-data') return l10n.t('unknown without data');
  if (remaining <= 0) return l10n.t('exhausted now');
  if (exhaustionEta === null) return l10n.t('never at the current 1d burn rate');
  return l10n.t('in {0} ({1})', formatDuration(exhaustionEta - now), formatUtc(exhaustionEta));
}

/** Status bar text without its icon: `checkout 62% budget`, or `checkout no data`. */
export function formatBudgetGlance(report: SloReport): string {
  if (report.status === 'no-data' || report.sli === null) return l10n.t('{0} no data', report.service);
  return l10n.t('{0} {1} budget', report.service, formatBudgetPercent(report.budget.remaining));
}

// ---- sources and problems ------------------------------------------------------------------------

/** `prometheus (prom.example.com): needs a token`. */
export function formatSourceState(source: SourceState, now: number): string {
  const name = source.host ? `${source.name} (${source.host})` : source.name;
  switch (source.state) {
    case 'ok':
      return l10n.t('{0}: ok', name);
    case 'needs-token':
      return l10n.t('{0}: needs a token', name);
    case 'failing':
      return source.message ? l10n.t('{0}: failing · {1}', name, source.message) : l10n.t('{0}: failing', name);
    case 'stale':
      return source.lastSuccess ? l10n.t('{0}: stale since {1}', name, formatAge(source.lastSuccess, now)) : l10n.t('{0}: stale', name);
    case 'disabled':
      return source.message ? l10n.t('{0}: off · {1}', name, source.message) : l10n.t('{0}: off', name);
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
  return l10n.t('Problems ({0})', count);
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
  if (isOpenAt(incident, now) || incident.resolvedAt === null) return l10n.t('open for {0}', formatDuration(now - incident.startedAt));
  return l10n.t('lasted {0}', formatDuration(incident.resolvedAt - incident.startedAt));
}

export function formatLinkReason(reason: LinkReason): string {
  switch (reason) {
    case 'root-cause':
      return l10n.t('root cause');
    case 'fix':
      return l10n.t('fix');
    case 'deployment':
      return l10n.t('shipped in its deployment');
  }
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
  if (deliveryPending) return l10n.t('not known yet (git is still reading)');
  if (incident.deploymentLookupPending) return l10n.t('not known yet (git is searching its old deployments)');
  return incident.deploymentBeforeWindow ? l10n.t('shipped before the delivery window') : l10n.t('none linked');
}

/** QuickPick detail: `open for 2h 15m · deployment v1.32.0 · pagerduty`. */
export function formatIncidentDetail(incident: IncidentView, now: number): string {
  const parts = [formatIncidentDuration(incident, now)];
  if (incident.deployment) parts.push(l10n.t('deployment {0}', incident.deployment));
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
  const count = changes.length === 1 ? l10n.t('1 recent change') : l10n.t('{0} recent changes', changes.length);
  const ids = linkedIncidentIds(changes);
  if (ids.length === 0) return l10n.t('{0} · no incidents', count);
  return ids.length === 1 ? l10n.t('{0} · 1 incident ({1})', count, ids[0]) : l10n.t('{0} · {1} incidents ({2})', count, ids.length, ids.join(', '));
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
  const shipped =
    change.deployment === null
      ? l10n.t('not yet deployed')
      : degradedSlos
        ? l10n.t('shipped {0} · which degraded {1}', change.deployment, degradedSlos.join(', '))
        : l10n.t('shipped {0}', change.deployment);
  const tail = `${shipped} · ${formatAge(change.time, now)}`;
  return links.length ? `${links.join(', ')} · ${tail}` : tail;
}

/** How much of a commit subject the current-line annotation shows before `…`. */
export const ANNOTATION_SUBJECT_CHARS = 60;

/**
 * The current-line annotation of a line a recent commit owns, in the manner of an inline blame: its
 * subject, then what its lens says (`Support multi-currency authorisations · shipped v1.37.0 · 2 days ago`).
 */
export function formatChangeAnnotation(
  change: FileChange,
  severities: ReadonlyMap<string, Severity>,
  now: number,
  degraded: ReadonlyMap<string, readonly string[]> = new Map(),
): string {
  const subject = [...change.subject.replace(/\s+/g, ' ').trim()];
  const shortSubject = subject.length > ANNOTATION_SUBJECT_CHARS ? `${subject.slice(0, ANNOTATION_SUBJECT_CHARS - 1).join('')}…` : subject.join('');
  return `${shortSubject} · ${formatChangeLensTitle(change, severities, now, degraded)}`;
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
    get label() {
      return l10n.t('Deployment frequency');
    },
    value: (r) => r.deploymentsPerWeek,
    format: formatPerWeek,
    higherIsBetter: true,
    tier: (r) => r.tiers.deploymentFrequency,
  },
  {
    key: 'leadTime',
    get label() {
      return l10n.t('Lead time for changes');
    },
    value: (r) => r.leadTimeSeconds.median,
    format: formatSeconds,
    higherIsBetter: false,
    tier: (r) => r.tiers.leadTime,
  },
  {
    key: 'changeFailureRate',
    get label() {
      return l10n.t('Change failure rate');
    },
    value: (r) => r.changeFailureRate,
    format: formatRate,
    higherIsBetter: false,
    tier: (r) => r.tiers.changeFailureRate,
  },
  {
    key: 'failedDeploymentRecovery',
    get label() {
      return l10n.t('Failed deployment recovery');
    },
    value: (r) => r.failedDeploymentRecoverySeconds.median,
    format: formatSeconds,
    higherIsBetter: false,
    tier: (r) => r.tiers.failedDeploymentRecovery,
  },
  {
    key: 'timeToRestore',
    get label() {
      return l10n.t('Time to restore');
    },
    value: (r) => r.timeToRestoreSeconds.median,
    format: formatSeconds,
    higherIsBetter: false,
    tier: () => null,
  },
  {
    key: 'reworkRate',
    get label() {
      return l10n.t('Rework rate');
    },
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
    const parts = [value === null ? l10n.t('no data') : spec.format(value)];
    if (tier) parts.push(tier);
    const arrow = trendArrow(trend);
    const description = arrow ? `${parts.join(' · ')} ${arrow}` : parts.join(' · ');
    const previousText = l10n.t('previous {0}: {1}', previous?.window ?? current.window, before === null ? l10n.t('no data') : spec.format(before));
    return { key: spec.key, label: spec.label, description, value, tier, trend, direction, previousText };
  });
}

/** `v1.32.0` description: `12 days ago · 5 changes · failed (INC-7)`. */
export function formatDeploymentDescription(deployment: DeploymentView, now: number, impact?: DeploymentImpact): string {
  const parts = [formatAge(deployment.time, now), deployment.changes.length === 1 ? l10n.t('1 change') : l10n.t('{0} changes', deployment.changes.length)];
  if (deployment.incidents.length) parts.push(l10n.t('failed ({0})', deployment.incidents.join(', ')));
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
  const budget = entry.budgetSpent === null ? l10n.t('no budget share (not Occurrences)') : l10n.t('budget spent {0}', formatRatioPercent(entry.budgetSpent, 1));
  return l10n.t('before {0} · first hour {1} · after-window {2} · {3}', formatBurnRate(entry.before), formatBurnRate(entry.after1h), formatBurnRate(entry.after), budget);
}

/** A suspect deployment in the Incidents view: `v1.35.0 · accounts`. */
export function formatSuspectLabel(entry: DeploymentImpact): string {
  return `${entry.deployment} · ${entry.service}`;
}

// ---- merge check ---------------------------------------------------------------------------------

/** Notification text, always starting `Can I merge: GO`, `CAUTION` or `FREEZE`. */
export function formatMergeMessage(result: MergeVerdict): string {
  const verdict = result.verdict.toUpperCase();
  const first =
    result.reasons[0] ??
    (result.services.length ? l10n.t('no risk found for {0}', result.services.join(', ')) : l10n.t('the change touches no configured service'));
  return l10n.t('Can I merge: {0} · {1}', verdict, first);
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

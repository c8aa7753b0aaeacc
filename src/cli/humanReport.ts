// Human-readable renderings of the engine's results, for a terminal. Numbers and times read as in the
// editor (core/format.ts: truncated SLIs, whole-percent budgets, `1h 30m` durations, UTC times). Every
// value from files, servers or git is printed inert: table cells by renderTable, other values through
// inertLine, before any colour.
import type { BurnWindow, DoraReport, FileChange, MergeVerdict, Problem, SloReport, SloStatus, SourceState } from '../core/model';
import type { DoraExplanation } from '../core/doraExplain';
import { formulaNumber, type SloExplanation, type SourceExplanation } from '../core/explain';
import { median } from '../core/stats';
import type { IncidentView, WorkspaceSnapshot } from '../workspace/snapshot';
import {
  NO_NUMBER,
  formatAge,
  formatBudgetPercent,
  formatBurnRate,
  formatCount,
  formatDuration,
  formatPerWeek,
  formatRate,
  formatRatioPercent,
  formatSeconds,
  formatAlertComparison,
  formatBudgetRemaining,
  formatSli,
  formatUtc,
  shortSha,
} from '../core/format';
import { isOpenAt, recentIncidents } from '../core/incidents';
import { serviceNames } from '../core/serviceList';
import { painted, renderTable, type Cell, type PaintedCell, type Styler } from './table';
import type { DeploymentImpact, ImpactVerdict } from '../core/deploymentImpact';
import { changeSignal, type DegradedDeployments } from '../core/changeSignal';
import { verdictLabel } from '../core/impactText';
import { inertLine } from '../core/inertText';

function statusCell(status: SloStatus, style: Styler): PaintedCell {
  if (status === 'healthy') return painted(status, style.green);
  if (status === 'warning') return painted(status, style.yellow);
  if (status === 'no-data') return painted(status, style.dim);
  return painted(status, style.red);
}

export function renderSloTable(snapshot: WorkspaceSnapshot, style: Styler): string {
  const rows: Cell[][] = [];
  for (const service of serviceNames(snapshot)) {
    for (const slo of snapshot.sloReports.filter((s) => s.service === service)) rows.push(sloRow(slo, style));
  }
  if (rows.length === 0) return style.dim('No SLOs defined in .reliability/slos/.');
  return renderTable(
    ['SERVICE', 'SLO', 'OBJECTIVE', 'WINDOW', 'SLI', 'BUDGET LEFT', 'BURN 1h', 'BURN 6h', 'BURN 1d', 'ALERTS', 'EXHAUSTED AT', 'STATUS'],
    rows,
    ['left', 'left', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left', 'left'],
  );
}

function sloRow(slo: SloReport, style: Styler): Cell[] {
  const alerts = slo.alerts.map((a) => `${a.severity} ${a.long}/${a.short}`).join(', ');
  return [
    slo.service,
    slo.name,
    formatRatioPercent(slo.objective),
    slo.window,
    formatSli(slo.sli),
    formatBudgetRemaining(slo),
    formatBurnRate(slo.burnRates['1h']),
    formatBurnRate(slo.burnRates['6h']),
    formatBurnRate(slo.burnRates['1d']),
    alerts || NO_NUMBER,
    slo.status === 'exhausted' ? 'now' : formatUtc(slo.exhaustionEta),
    slo.error ? painted(`error: ${slo.error}`, style.red) : slo.unsupported ? `no data: ${slo.unsupported}` : statusCell(slo.status, style),
  ];
}

export function renderDora(dora: DoraReport, bands: string): string {
  const tier = (t: string | null): string => t ?? NO_NUMBER;
  const rows = [
    ['Deployments', String(dora.deployments), ''],
    ['Deployment frequency', formatPerWeek(dora.deploymentsPerWeek), tier(dora.tiers.deploymentFrequency)],
    ['Lead time for changes (median)', formatSeconds(dora.leadTimeSeconds.median), tier(dora.tiers.leadTime)],
    ['Lead time for changes (p90)', formatSeconds(dora.leadTimeSeconds.p90), ''],
    ['Change failure rate', formatRate(dora.changeFailureRate), tier(dora.tiers.changeFailureRate)],
    ['Failed deployment recovery (median)', formatSeconds(dora.failedDeploymentRecoverySeconds.median), tier(dora.tiers.failedDeploymentRecovery)],
    ['Time to restore (median)', formatSeconds(dora.timeToRestoreSeconds.median), ''],
    ['Rework rate', formatRate(dora.reworkRate), ''],
  ];
  const head = `DORA over ${dora.window} (${formatUtc(dora.windowStart)} – ${formatUtc(dora.windowEnd)}), ${bands} bands`;
  return `${head}\n${renderTable(['METRIC', 'VALUE', 'TIER'], rows, ['left', 'right', 'left'])}`;
}

export function renderWeekly(dora: DoraReport): string {
  const rows = dora.weekly.map((w) => [w.weekStart, String(w.deployments), formatSeconds(w.leadTimeSecondsMedian), formatRate(w.changeFailureRate)]);
  return renderTable(['WEEK', 'DEPLOYS', 'LEAD TIME', 'CFR'], rows, ['left', 'right', 'right', 'right']);
}

export function renderIncidents(incidents: readonly IncidentView[], now: number, style: Styler): string {
  if (incidents.length === 0) return style.dim('No incidents.');
  const rows = incidents.map((i) => {
    // Open as core decides at `now`: a resolution after `now` has not happened yet.
    const open = isOpenAt(i, now) || i.resolvedAt === null;
    const duration = formatDuration((open ? now : i.resolvedAt!) - i.startedAt);
    return [
      i.id,
      i.severity,
      i.service,
      open ? painted('open', style.red) : 'resolved',
      formatUtc(i.startedAt),
      duration,
      i.deployment ?? NO_NUMBER,
      i.title,
    ];
  });
  return renderTable(['ID', 'SEV', 'SERVICE', 'STATE', 'STARTED', 'DURATION', 'DEPLOYMENT', 'TITLE'], rows);
}

/**
 * `deployments`: one row per deployment, service and SLO, newest first, with the burn before, in the
 * first hour and over the after-window, the budget that window spent and the verdict (DOMAIN.md section 6).
 */
export function renderDeployments(impacts: readonly DeploymentImpact[], now: number, style: Styler): string {
  if (impacts.length === 0) return style.dim('No deployments in the last 90 days.');
  const verdictCell = (verdict: ImpactVerdict, suspect: boolean): Cell =>
    painted(verdictLabel(verdict, suspect), verdict === 'degraded' ? style.red : verdict === 'ok' ? style.green : style.dim);
  const rows: Cell[][] = [];
  for (const entry of impacts) {
    const head = [entry.deployment, entry.service, formatUtc(entry.time), formatAge(entry.time, now), formatDuration(entry.afterEnd - entry.time)];
    const incidents = entry.incidents.join(', ') || NO_NUMBER;
    if (entry.impact.length === 0) rows.push([...head, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER, verdictCell(entry.verdict, entry.suspect), incidents]);
    for (const slo of entry.impact) {
      rows.push([
        ...head,
        slo.slo,
        formatBurnRate(slo.before),
        formatBurnRate(slo.after1h),
        formatBurnRate(slo.after),
        slo.budgetSpent === null ? NO_NUMBER : formatRatioPercent(slo.budgetSpent, 1),
        verdictCell(slo.verdict, slo.verdict === 'degraded' && entry.suspect),
        incidents,
      ]);
    }
  }
  return renderTable(
    ['DEPLOYMENT', 'SERVICE', 'DEPLOYED', 'AGE', 'AFTER', 'SLO', 'BEFORE', 'FIRST 1h', 'AFTER-WINDOW', 'BUDGET SPENT', 'VERDICT', 'INCIDENTS'],
    rows,
    ['left', 'left', 'left', 'left', 'right', 'left', 'right', 'right', 'right', 'right', 'left', 'left'],
  );
}

export function renderProblems(problems: readonly Problem[], style: Styler): string {
  return problems
    .map((p) => {
      const where = inertLine(p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file);
      const tag = p.severity === 'error' ? style.red('error') : style.yellow('warning');
      return `${where}: ${tag}: ${inertLine(p.message)}`;
    })
    .join('\n');
}

export function renderSources(states: readonly SourceState[], style: Styler): string {
  const rows = states.map((s) => {
    const state = painted(s.state, s.state === 'ok' ? style.green : s.state === 'disabled' ? style.dim : style.red);
    // A hint (git without a commit-graph file) follows the detail: advice, not a failure.
    const detail = [s.message, s.hint && `hint: ${s.hint}`].filter(Boolean).join('; ');
    return [s.name, s.host ?? NO_NUMBER, state, detail];
  });
  return renderTable(['SOURCE', 'HOST', 'STATE', 'DETAIL'], rows);
}

/** The human `report`; `recentDays` as for reportJson (`--recent-days`, else config.yaml's). */
export function renderReport(snapshot: WorkspaceSnapshot, bands: string, style: Styler, recentDays: number): string {
  const sections = [
    style.bold(`Reliability report for ${inertLine(snapshot.root)} at ${new Date(snapshot.now).toISOString()}`),
    renderSloTable(snapshot, style),
  ];
  if (snapshot.dora) sections.push(renderDora(snapshot.dora, bands));
  sections.push(
    style.bold(`Incidents (open, and recent: the last ${recentDays} day${recentDays === 1 ? '' : 's'})`),
    renderIncidents(recentIncidents(snapshot.incidents, snapshot.now, recentDays), snapshot.now, style),
  );
  const unhealthy = snapshot.sources.filter((s) => s.state !== 'ok' && s.state !== 'disabled');
  if (unhealthy.length > 0) sections.push(style.bold('Sources'), renderSources(unhealthy, style));
  if (snapshot.problems.length > 0) sections.push(style.bold(`Problems (${snapshot.problems.length})`), renderProblems(snapshot.problems, style));
  return sections.join('\n\n');
}

export function renderVerdict(verdict: MergeVerdict, style: Styler): string {
  const colour = verdict.verdict === 'go' ? style.green : verdict.verdict === 'caution' ? style.yellow : style.red;
  const services = verdict.services.length > 0 ? inertLine(verdict.services.join(', ')) : 'none';
  return [
    `${style.bold('Can I merge?')} ${colour(verdict.verdict.toUpperCase())}  (services: ${services})`,
    ...verdict.reasons.map((r) => `  - ${inertLine(r)}`),
  ].join('\n');
}

/** A deployment that degraded an SLO says so (core/changeSignal.ts): `v1.37.0 (degraded checkout-availability)`. */
export function renderLens(file: string, changes: readonly FileChange[], now: number, style: Styler, degraded: DegradedDeployments = new Map()): string {
  const safeFile = inertLine(file);
  if (changes.length === 0) return style.dim(`${safeFile}: no recent changes.`);
  const shippedBy = (change: FileChange) => {
    const slos = changeSignal(change, degraded)?.degradedSlos ?? [];
    return change.deployment === null ? 'undeployed' : slos.length ? `${change.deployment} (degraded ${slos.join(', ')})` : change.deployment;
  };
  const rows = changes.map((c) => [
    shortSha(c.commit),
    formatAge(c.time, now),
    c.lines.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',') || NO_NUMBER,
    shippedBy(c),
    c.incidents.map((i) => `${i.id} (${i.reason})`).join(', ') || NO_NUMBER,
    c.subject,
  ]);
  return `${style.bold(safeFile)}\n${renderTable(['COMMIT', 'WHEN', 'LINES', 'SHIPPED BY', 'INCIDENTS', 'SUBJECT'], rows)}`;
}

/** `explain SLO`: the windows and their counts, the budget formula with its values, the alert rules, the source. */
export function renderSloExplanation(explanation: SloExplanation, style: Styler): string {
  const sections = [
    style.bold(
      inertLine(`${explanation.slo} (${explanation.service}) at ${formatUtc(explanation.now)}: objective ${formatRatioPercent(explanation.objective)} over ${explanation.window}, ${explanation.budgetingMethod}`),
    ),
    `Status: ${inertLine(explanation.statusReason)}`,
  ];
  if (explanation.error) sections.push(style.red(inertLine(`Error: ${explanation.error}`)));
  const windowRows = explanation.windows.map((window) => [
    window.role === 'slo' ? `${window.label} (SLO)` : window.label,
    formatUtc(window.start),
    formatUtc(window.end),
    formatCount(window.good),
    formatCount(window.total),
    formatCount(window.excludedTotal),
    window.role === 'burn' ? formatBurnRate(explanation.burnRates[window.label as BurnWindow]) : formatRatioPercent(explanation.sli),
  ]);
  sections.push(
    renderTable(['WINDOW', 'START (EXCLUSIVE)', 'END', 'GOOD', 'TOTAL', 'EXCLUDED', 'SLI / BURN'], windowRows, ['left', 'left', 'left', 'right', 'right', 'right', 'right']),
  );
  const budget = explanation.budget;
  sections.push(`${budget.formula}\n  ${budget.withValues}\n  (${formatBudgetPercent(budget.remaining)} left)`);
  if (explanation.timeslices) sections.push(inertLine(explanation.timeslices.note));
  const alertRows = explanation.alerts.map((alert) => [
    alert.severity,
    `${alert.long} ${formatBurnRate(alert.longBurnRate)}`,
    `${alert.short} ${formatBurnRate(alert.shortBurnRate)}`,
    formatAlertComparison(alert),
    alert.fires ? painted('fires', alert.severity === 'page' ? style.red : style.yellow) : 'no',
  ]);
  sections.push(`Alerts: a rule fires when both windows burn faster than its threshold (burn = error ratio / ${formulaNumber(budget.allowedErrorRatio)})\n${renderTable(['SEVERITY', 'LONG', 'SHORT', 'THRESHOLD', 'FIRES'], alertRows)}`);
  const eta = explanation.exhaustion;
  sections.push(`Time to exhaustion: ${explanation.status === 'exhausted' ? 'now' : formatUtc(eta.eta)}  (${inertLine(eta.rule)})`);
  sections.push(`Source: ${sourceLines(explanation.source).map(inertLine).join('\n  ')}`);
  for (const note of explanation.notes) sections.push(`Note: ${inertLine(note)}`);
  return sections.join('\n\n');
}

function sourceLines(source: SourceExplanation): string[] {
  const lines: string[] = [source.type];
  for (const [key, value] of Object.entries(source)) {
    if (key === 'type' || value === undefined || value === null) continue;
    lines.push(`${key}: ${String(value)}`);
  }
  return lines;
}

/** `explain --dora`: each counted deployment with its changes, lead times and incidents; then the metrics they give. */
export function renderDoraExplanation(explanation: DoraExplanation, bands: string, style: Styler): string {
  const sections = [style.bold(`DORA inputs over ${explanation.window} (${formatUtc(explanation.windowStart)} – ${formatUtc(explanation.windowEnd)})`)];
  const deploymentRows = explanation.deployments.map((deployment) => [
    deployment.name,
    formatUtc(deployment.time),
    String(deployment.changes.length),
    formatSeconds(median(deployment.changes.flatMap((change) => (change.leadTimeSeconds === null ? [] : [change.leadTimeSeconds])))),
    deployment.incidents.map((incident) => incident.id).join(', ') || NO_NUMBER,
    deployment.failed ? painted('failed', style.red) : 'no',
    deployment.reworked ? 'rework' : 'no',
    formatSeconds(deployment.recoverySeconds),
  ]);
  sections.push(
    renderTable(['DEPLOYMENT', 'TIME', 'CHANGES', 'LEAD (MEDIAN)', 'INCIDENTS', 'FAILED', 'REWORK', 'RECOVERY'], deploymentRows, [
      'left', 'left', 'right', 'right', 'left', 'left', 'left', 'right',
    ]),
  );
  const changeRows = explanation.deployments.flatMap((deployment) =>
    deployment.changes.map((change) => [
      deployment.name,
      shortSha(change.sha),
      formatUtc(change.committedAt),
      change.leadTimeSeconds === null ? 'dropped' : formatSeconds(change.leadTimeSeconds),
      [change.revert ? 'revert' : '', ...change.namesIncidents].filter(Boolean).join(', ') || NO_NUMBER,
      change.subject,
    ]),
  );
  if (changeRows.length > 0) sections.push(renderTable(['DEPLOYMENT', 'COMMIT', 'COMMITTED', 'LEAD TIME', 'REWORK', 'SUBJECT'], changeRows));
  if (explanation.restores.length > 0) {
    const restoreRows = explanation.restores.map((restore) => [restore.id, formatUtc(restore.startedAt), formatUtc(restore.resolvedAt), formatSeconds(restore.seconds)]);
    sections.push(`Time to restore\n${renderTable(['INCIDENT', 'STARTED', 'RESOLVED', 'DURATION'], restoreRows)}`);
  }
  sections.push(Object.entries(explanation.rules).map(([metric, rule]) => `${metric}: ${rule}`).join('\n'));
  if (explanation.metrics) sections.push(renderDora(explanation.metrics, bands));
  return sections.join('\n\n');
}

// "Services & SLOs": source health and problems first (they explain missing data), then each
// service with its SLOs and, under each SLO, the numbers behind its status. Services are ranked as
// every list ranks them (core/attention.ts): the open file's services pinned first, then those that
// need attention, worst first; the view's filter can hide the others (a monorepo has hundreds).
import { BURN_WINDOWS } from '../../core/model';
import type { Problem, SloReport, SourceState } from '../../core/model';
import type { WorkspaceSnapshot } from '../../workspace/snapshot';
import { formatAlertRule, formatBudgetRemaining, formatSli, formatBudgetPercent, formatBurnRate, formatCount, formatRatioPercent, formatUtcClock } from '../../core/format';
import { isOpenAt, sortIncidents } from '../../core/incidents';
import { serviceNames } from '../../core/serviceList';
import {
  alertingWindows,
  formatBudgetLine,
  formatExhaustion,
  formatProblemLocation,
  formatProblemsLabel,
  formatReadMode,
  formatSliLine,
  formatSloSummary,
  formatSourceState,
  formatStatus,
} from '../format';
import { rankServices, serviceHealth, visibleServices, worstSlo } from '../../core/attention';
import { COMMANDS, VIEWS } from '../ids';
import type { DashboardArgs, FileLocationArgs, SloArgs } from '../ids';
import { explainSloReport } from '../../core/explain';
import type { SloExplanation } from '../../core/explain';
import { budgetExplanationMarkdown, burnRateExplanationMarkdown, sliExplanationMarkdown } from '../explainPage';
import { joinMarkdown, md, mdt } from '../markdown';
import * as l10n from '@vscode/l10n';
import { statusIcon, workspaceStateNodes } from './viewNode';
import { backoffNoticeText } from '../../state/refreshPressure';
import type { BackoffNotice } from '../../state/refreshPressure';
import type { ViewNode, ViewNodeCommand, WorkspaceViewState } from './viewNode';

/** How the view lists services: the filter (remembered per workspace) and the open file's services. */
export interface ServiceListOptions {
  /** Show only services that need attention (and the pinned ones). */
  attentionOnly: boolean;
  /** The services the active editor's file belongs to, in this workspace: listed first, never hidden. */
  pinned: readonly string[];
}

const ALL_SERVICES: ServiceListOptions = { attentionOnly: false, pinned: [] };

export function buildServiceNodes(workspace: WorkspaceViewState, options: ServiceListOptions = ALL_SERVICES): ViewNode[] {
  const nodes = workspaceStateNodes(workspace, VIEWS.services);
  const snapshot = workspace.snapshot;
  if (!snapshot) return nodes;
  const base = `${VIEWS.services}:${workspace.root}`;
  // With remote sources off, the state node above already says why they are disabled.
  const remoteOff = !workspace.trusted || !workspace.remoteEnabled;
  for (const source of snapshot.sources) {
    // Prometheus under pressure shows even when it answered: the numbers will be refreshed less often.
    const backoff = source.name === 'prometheus' ? workspace.backoff : undefined;
    if ((source.state === 'ok' && !backoff) || (source.state === 'disabled' && remoteOff)) continue;
    nodes.push(sourceNode(base, source, workspace, snapshot.now, backoff));
  }
  if (snapshot.problems.length) nodes.push(problemsNode(base, workspace.root, snapshot.problems));
  const services = serviceNames(snapshot);
  if (services.length === 0) {
    nodes.push({
      id: `${base}:noServices`,
      label: l10n.t('No services configured'),
      description: l10n.t('add services to .reliability/config.yaml'),
      icon: { id: 'info' },
      contextValue: 'noServices',
      command: openFileCommand(workspace.root, '.reliability/config.yaml', 0),
    });
  }
  const now = snapshot.now;
  const ranked = rankServices(
    services.map((name) =>
      serviceHealth(name, snapshot.sloReports, snapshot.incidents.filter((incident) => incident.service === name && isOpenAt(incident, now)).length),
    ),
    options.pinned,
  );
  const shown = visibleServices(ranked, options);
  for (const service of shown) nodes.push(serviceNode(base, workspace.root, snapshot, service.name, options.pinned.includes(service.name)));
  const hidden = ranked.length - shown.length;
  if (hidden > 0) nodes.push(hiddenServicesNode(base, hidden, shown.length === 0));
  return nodes;
}

/** What the filter hides, said where the services would be, with the way back to all of them. */
function hiddenServicesNode(base: string, hidden: number, none: boolean): ViewNode {
  const services = `${hidden} service${hidden === 1 ? '' : 's'}`;
  return {
    id: `${base}:hiddenServices`,
    label: none ? `No service needs attention (${services} hidden)` : `${services} not needing attention hidden`,
    description: 'show all',
    tooltip: md`The view shows only services with an SLO in warning, critical or exhausted, an SLO that could not be read, or an open incident, and the open file's service. Click to show all services.`,
    icon: { id: none ? 'pass' : 'eye-closed' },
    contextValue: 'hiddenServices',
    command: { command: COMMANDS.showAllServices, title: 'Show All Services', arguments: [] },
  };
}

function serviceNode(base: string, root: string, snapshot: WorkspaceSnapshot, service: string, pinned: boolean): ViewNode {
  const reports = snapshot.sloReports.filter((report) => report.service === service);
  const worst = worstSlo(reports);
  const openIncidents = sortIncidents(
    snapshot.incidents.filter((incident) => incident.service === service && isOpenAt(incident, snapshot.now)),
    snapshot.now,
  );
  const parts: string[] = [];
  if (!worst) parts.push(l10n.t('no SLOs'));
  else if (worst.status === 'no-data') parts.push(l10n.t('no data'));
  else parts.push(l10n.t('{0} budget · {1}', formatBudgetPercent(worst.budget.remaining), formatStatus(worst.status)));
  if (openIncidents.length) parts.push(openIncidents.length === 1 ? l10n.t('1 open incident') : l10n.t('{0} open incidents', openIncidents.length));
  const id = `${base}:service:${service}`;
  return {
    id,
    label: service,
    description: parts.join(' · '),
    tooltip: joinMarkdown([
      md`**${service}**`,
      ...(pinned ? [md``, md`The open file belongs to this service: listed first.`] : []),
      md``,
      ...reports.map((report) => md`- ${report.name}: ${formatSloSummary(report)} (${formatStatus(report.status)})`),
      ...(openIncidents.length ? [md``, mdt(l10n.t('Open: {0}'), openIncidents.map((incident) => incident.id).join(', '))] : []),
    ]),
    icon: worst ? statusIcon(worst.status) : { id: 'circle-outline' },
    contextValue: 'service',
    command: { command: COMMANDS.openDashboard, title: l10n.t('Open Dashboard'), arguments: [{ root, service } satisfies DashboardArgs] },
    children: reports.map((report) => sloNode(id, root, snapshot, report)),
    expanded: true,
  };
}

function sloNode(parentId: string, root: string, snapshot: WorkspaceSnapshot, report: SloReport): ViewNode {
  const id = `${parentId}:slo:${report.name}`;
  const definition = snapshot.slos.find((slo) => slo.name === report.name && slo.service === report.service);
  const explain: SloArgs = { root, service: report.service, slo: report.name };
  const explainMenu = { [COMMANDS.explainSlo]: explain };
  return {
    id,
    label: report.name,
    description: formatSloSummary(report),
    tooltip: joinMarkdown([
      md`**${report.name}** (${formatStatus(report.status)})`,
      md``,
      md`${formatSliLine(report)}`,
      md``,
      mdt(l10n.t('Budget: {0}'), formatBudgetLine(report)),
      md``,
      mdt(l10n.t('Exhaustion: {0}'), formatExhaustion(report, snapshot.now)),
      ...(report.readMode ? [md``, md`${formatReadMode(report.readMode)}`] : []),
      ...(report.error ? [md``, mdt(l10n.t('Error: {0}'), report.error)] : []),
    ]),
    icon: statusIcon(report.status),
    contextValue: 'slo',
    command: openFileCommand(root, definition?.file ?? report.file, definition?.line ?? 0),
    menuArguments: explainMenu,
    // Collapsed: every service and SLO stays in sight; the numbers behind one are a click away.
    children: sloDetailNodes(id, report, snapshot.now, explainSloReport(snapshot, report), explainMenu),
  };
}

/**
 * The numbers behind an SLO. Each number node's tooltip shows how it was computed (core/explain.ts, the
 * explanation `reliability-lens explain` prints) and its menu has Explain, which opens the whole page.
 */
function sloDetailNodes(
  parentId: string,
  report: SloReport,
  now: number,
  explanation: SloExplanation | undefined,
  explainMenu: Record<string, SloArgs>,
): ViewNode[] {
  const nodes: ViewNode[] = [];
  if (report.unsupported) {
    nodes.push({
      id: `${parentId}:unsupported`,
      label: l10n.t('No data'),
      description: report.unsupported,
      tooltip: mdt(l10n.t('No data: {0}'), report.unsupported),
      icon: { id: 'circle-slash', color: 'disabledForeground' },
      contextValue: 'sloUnsupported',
    });
  }
  if (report.error) {
    nodes.push({
      id: `${parentId}:error`,
      label: report.staleSince === undefined ? l10n.t('SLI unavailable') : l10n.t('Stale since {0}', formatUtcClock(report.staleSince)),
      description: report.error,
      tooltip: md`${report.error}`,
      icon: { id: 'error', color: 'errorForeground' },
      contextValue: 'sloError',
    });
  }
  nodes.push({
    id: `${parentId}:sli`,
    label: l10n.t('SLI {0}', formatSli(report.sli)),
    description:
      report.budgetingMethod === 'Occurrences'
        ? l10n.t('objective {0} · {1} window', formatRatioPercent(report.objective), report.window)
        : l10n.t('objective {0} · {1} timeslices', formatRatioPercent(report.objective), report.window),
    tooltip: explanation ? sliExplanationMarkdown(explanation) : mdt(l10n.t('{0} good of {1} events'), formatCount(report.good), formatCount(report.total)),
    icon: { id: 'graph-line' },
    contextValue: 'sli',
    menuArguments: explainMenu,
  });
  nodes.push({
    id: `${parentId}:budget`,
    label:
      report.sli === null
        ? l10n.t('Budget {0}', formatBudgetRemaining(report))
        : report.budget.remaining <= 0
          ? l10n.t('Budget exhausted')
          : l10n.t('Budget {0} left', formatBudgetRemaining(report)),
    description: l10n.t('{0} consumed', formatBudgetPercent(report.budget.consumed)),
    ...(explanation ? { tooltip: budgetExplanationMarkdown(explanation) } : {}),
    icon: statusIcon(report.status === 'no-data' ? 'no-data' : report.budget.remaining <= 0 ? 'exhausted' : report.status),
    contextValue: 'budget',
    menuArguments: explainMenu,
  });
  const alerting = alertingWindows(report);
  nodes.push({
    id: `${parentId}:burn`,
    label: l10n.t('Burn rates'),
    description: BURN_WINDOWS.filter((window) => ['1h', '6h', '1d'].includes(window))
      .map((window) => `${window} ${formatBurnRate(report.burnRates[window])}`)
      .join(' · '),
    ...(explanation ? { tooltip: burnRateExplanationMarkdown(explanation) } : {}),
    icon: { id: 'pulse' },
    contextValue: 'burnRates',
    menuArguments: explainMenu,
    children: BURN_WINDOWS.map((window) => ({
      id: `${parentId}:burn:${window}`,
      label: window,
      description: alerting.has(window) ? l10n.t('{0} · alerting', formatBurnRate(report.burnRates[window])) : formatBurnRate(report.burnRates[window]),
      ...(explanation ? { tooltip: burnRateExplanationMarkdown(explanation, window) } : {}),
      icon: alerting.has(window) ? { id: 'flame', color: 'errorForeground' } : { id: 'dash' },
      contextValue: alerting.has(window) ? 'burnRateAlerting' : 'burnRate',
      menuArguments: explainMenu,
    })),
  });
  if (report.alerts.length) {
    nodes.push({
      id: `${parentId}:alerts`,
      label: l10n.t('Firing alerts ({0})', report.alerts.length),
      icon: { id: 'bell-dot', color: 'errorForeground' },
      contextValue: 'alerts',
      children: report.alerts.map((alert) => ({
        id: `${parentId}:alert:${alert.severity}:${alert.long}:${alert.short}`,
        label: formatAlertRule(alert),
        description: alert.severity === 'page' ? l10n.t('page now') : l10n.t('open a ticket'),
        icon: alert.severity === 'page' ? { id: 'flame', color: 'errorForeground' } : { id: 'warning', color: 'editorWarning.foreground' },
        contextValue: 'alert',
      })),
      expanded: true,
    });
  } else {
    nodes.push({
      id: `${parentId}:alerts`,
      label: l10n.t('No burn-rate alert firing'),
      icon: { id: 'bell' },
      contextValue: 'alertsNone',
    });
  }
  nodes.push({
    id: `${parentId}:exhaustion`,
    label: l10n.t('Time to exhaustion'),
    description: formatExhaustion(report, now),
    icon: { id: 'watch' },
    contextValue: 'exhaustion',
  });
  return nodes;
}

function sourceNode(base: string, source: SourceState, workspace: WorkspaceViewState, now: number, backoff: BackoffNotice | undefined): ViewNode {
  const state = md`${source.message ?? formatSourceState(source, now)}`;
  const node: ViewNode = {
    id: `${base}:source:${source.name}`,
    label: formatSourceState(source, now),
    tooltip: backoff ? joinMarkdown([state, md`${backoffNoticeText(backoff)}`, mdt(l10n.t('Refresh asks at once.'))], '\n\n') : state,
    icon: { id: 'plug' },
    contextValue: `source-${source.state}`,
  };
  switch (source.state) {
    case 'needs-token':
      node.icon = { id: 'key', color: 'editorWarning.foreground' };
      node.description = l10n.t('set token');
      node.command = { command: COMMANDS.setToken, title: l10n.t('Set Token'), arguments: [source.name] };
      break;
    case 'failing':
      node.icon = { id: 'error', color: 'errorForeground' };
      node.description = l10n.t('retry');
      node.command = { command: COMMANDS.refresh, title: l10n.t('Refresh'), arguments: [] };
      break;
    case 'stale':
      node.icon = { id: 'history', color: 'editorWarning.foreground' };
      node.description = l10n.t('refresh');
      node.command = { command: COMMANDS.refresh, title: l10n.t('Refresh'), arguments: [] };
      break;
    case 'disabled':
      node.icon = { id: 'debug-disconnect', color: 'disabledForeground' };
      if (!workspace.trusted) node.command = { command: COMMANDS.manageTrust, title: l10n.t('Manage Workspace Trust'), arguments: [] };
      break;
    case 'ok':
      // Shown only while backing off: says so, and a click opens the log, where each slowed refresh is a line.
      node.icon = { id: 'watch', color: 'editorWarning.foreground' };
      node.description = l10n.t('backing off');
      node.command = { command: COMMANDS.showLog, title: l10n.t('Show Log'), arguments: [] };
      break;
  }
  return node;
}

function problemsNode(base: string, root: string, problems: readonly Problem[]): ViewNode {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return {
    id: `${base}:problems`,
    label: formatProblemsLabel(problems.length),
    description: errors === 0 ? l10n.t('warnings') : errors === 1 ? l10n.t('1 error') : l10n.t('{0} errors', errors),
    icon: errors ? { id: 'error', color: 'errorForeground' } : { id: 'warning', color: 'editorWarning.foreground' },
    contextValue: 'problems',
    children: problems.map((problem, index) => ({
      id: `${base}:problem:${index}:${problem.file}:${problem.line}:${problem.column}`,
      label: formatProblemLocation(problem),
      description: problem.message,
      tooltip: md`${problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file}\n\n${problem.message}`,
      icon: problem.severity === 'error' ? { id: 'error', color: 'errorForeground' } : { id: 'warning', color: 'editorWarning.foreground' },
      contextValue: 'problem',
      command: {
        command: COMMANDS.openProblem,
        title: l10n.t('Open Problem'),
        arguments: [{ root, file: problem.file, line: problem.line, column: problem.column } satisfies FileLocationArgs],
      },
    })),
  };
}

function openFileCommand(root: string, file: string, line: number): ViewNodeCommand {
  return { command: COMMANDS.openLocation, title: l10n.t('Open'), arguments: [{ root, file, line, column: 0 } satisfies FileLocationArgs] };
}

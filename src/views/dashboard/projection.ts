// The dashboard's data: a serializable projection of each workspace's snapshot (protocol.ts).
import { BURN_WINDOWS } from '../../core/model';
import type { SloReport } from '../../core/model';
import type { DashboardData, DashboardSlo, DashboardWorkspace } from '../../shared/protocol';
import { effectiveRecentDays, isOpenAt, isRecentAt, sortIncidents } from '../../core/incidents';
import { serviceNames } from '../../core/serviceList';
import { alertingWindows, worstSlo } from '../format';
import type { WorkspaceViewState } from '../tree/viewNode';

export function toDashboardData(workspaces: readonly WorkspaceViewState[]): DashboardData {
  return { workspaces: workspaces.map(toDashboardWorkspace) };
}

function toDashboardWorkspace(workspace: WorkspaceViewState): DashboardWorkspace {
  const snapshot = workspace.snapshot;
  const projected: DashboardWorkspace = {
    root: workspace.root,
    name: workspace.name,
    now: snapshot?.now ?? 0,
    loading: workspace.loading,
    error: workspace.error,
    restricted: !workspace.trusted,
    services: [],
    doraPending: false,
    dora: null,
    previousDora: null,
    deployments: [],
    incidents: [],
    problemCount: 0,
    sources: [],
    burnDownPending: workspace.burnDownPending === true,
  };
  if (!snapshot) return projected;
  const now = snapshot.now;
  projected.services = serviceNames(snapshot).map((name) => {
    const reports = snapshot.sloReports.filter((report) => report.service === name);
    return {
      name,
      status: worstSlo(reports)?.status ?? null,
      slos: reports.map(toDashboardSlo),
      openIncidents: sortIncidents(
        snapshot.incidents.filter((incident) => incident.service === name && isOpenAt(incident, now)),
        now,
      ).map((incident) => incident.id),
    };
  });
  projected.doraPending = snapshot.deliveryPending === true;
  projected.dora = snapshot.dora;
  projected.previousDora = snapshot.previousDora;
  projected.deployments = snapshot.deployments
    .filter((deployment) => deployment.time <= now)
    .map((deployment) => ({
      name: deployment.name,
      time: deployment.time,
      services: deployment.services,
      changes: deployment.changes.length,
      incidents: deployment.incidents,
      impacts: (snapshot.deploymentImpacts ?? [])
        .filter((entry) => entry.deployment === deployment.name && entry.time === deployment.time)
        .map((entry) => ({ service: entry.service, verdict: entry.verdict, suspect: entry.suspect, afterEnd: entry.afterEnd, slos: entry.impact.map((slo) => ({ ...slo })) })),
    }));
  // Every incident that exists at `now`, in the one incident order, each marked open and recent by
  // core's rules with the same recentDays as the Incidents view. The timeline draws them over time.
  const recentDays = effectiveRecentDays(snapshot.config.recentDays, workspace.recentDays);
  projected.incidents = sortIncidents(
    snapshot.incidents.filter((incident) => incident.startedAt <= now),
    now,
  ).map((incident) => ({
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    service: incident.service,
    startedAt: incident.startedAt,
    // A resolution after `now` has not happened yet at `now`.
    resolvedAt: isOpenAt(incident, now) ? null : incident.resolvedAt,
    open: isOpenAt(incident, now),
    recent: isRecentAt(incident, now, recentDays),
    deployment: incident.deployment,
    hasUrl: Boolean(incident.url),
  }));
  projected.problemCount = snapshot.problems.length;
  projected.sources = snapshot.sources;
  return projected;
}

function toDashboardSlo(report: SloReport): DashboardSlo {
  const alerting = alertingWindows(report);
  return {
    name: report.name,
    service: report.service,
    objective: report.objective,
    window: report.window,
    windowStart: report.windowStart,
    windowEnd: report.windowEnd,
    sli: report.sli,
    budgetRemaining: report.budget.remaining,
    budgetConsumed: report.budget.consumed,
    burnRates: BURN_WINDOWS.map((window) => ({ window, rate: report.burnRates[window], alerting: alerting.has(window) })),
    alerts: report.alerts,
    exhaustionEta: report.exhaustionEta,
    status: report.status,
    burnDown: report.burnDown,
    error: report.error,
    unsupported: report.unsupported,
  };
}

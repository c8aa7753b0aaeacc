// The dashboard's data (shared/protocol.ts), in two parts so a monorepo's dashboard stays light: the
// overview (each workspace's header facts and one summary per service, ranked as every list ranks
// them) after every change, and one service's details (SLO cards with burn-down buckets, deployments,
// incidents) when the page asks for that service.
import { BURN_WINDOWS } from '../../core/model';
import type { SloReport } from '../../core/model';
import type { DashboardData, DashboardDeployment, DashboardServiceDetail, DashboardSlo, DashboardWorkspace } from '../../shared/protocol';
import { effectiveRecentDays, isOpenAt, isRecentAt, sortIncidents } from '../../core/incidents';
import { serviceNames } from '../../core/serviceList';
import { needsAttention, rankServices, serviceHealth } from '../../core/attention';
import { alertingWindows } from '../format';
import type { WorkspaceViewState } from '../tree/viewNode';

const DAY_MS = 86_400_000;
/** The incident timeline's span when there is no delivery window to follow. */
const DEFAULT_TIMELINE_DAYS = 90;

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
    problemCount: 0,
    sources: [],
    burnDownPending: workspace.burnDownPending === true,
  };
  if (!snapshot) return projected;
  const ranked = rankServices(
    serviceNames(snapshot).map((name) => {
      const openIncidents = openIncidentIds(workspace, name);
      return { ...serviceHealth(name, snapshot.sloReports, openIncidents.length), openIncidentIds: openIncidents };
    }),
  );
  projected.services = ranked.map((health) => ({
    name: health.name,
    status: health.worst?.status ?? null,
    worstBudgetRemaining: health.worst?.budget.remaining ?? null,
    sloCount: snapshot.sloReports.filter((report) => report.service === health.name).length,
    openIncidents: health.openIncidentIds,
    needsAttention: needsAttention(health),
  }));
  projected.doraPending = snapshot.deliveryPending === true;
  projected.dora = snapshot.dora;
  projected.previousDora = snapshot.previousDora;
  projected.problemCount = snapshot.problems.length;
  projected.sources = snapshot.sources;
  return projected;
}

function openIncidentIds(workspace: WorkspaceViewState, service: string): string[] {
  const snapshot = workspace.snapshot;
  if (!snapshot) return [];
  return sortIncidents(
    snapshot.incidents.filter((incident) => incident.service === service && isOpenAt(incident, snapshot.now)),
    snapshot.now,
  ).map((incident) => incident.id);
}

/**
 * One service's details, or the reason there are none (in words the page shows): the folder has no
 * snapshot yet, or no such service.
 */
export function toServiceDetail(workspace: WorkspaceViewState, service: string): { detail: DashboardServiceDetail } | { error: string } {
  const snapshot = workspace.snapshot;
  if (!snapshot) return { error: workspace.loading ? 'still loading' : 'no data for this folder yet' };
  if (!serviceNames(snapshot).includes(service)) return { error: `no service named "${service}" in ${workspace.name}` };
  const now = snapshot.now;
  const reports = snapshot.sloReports.filter((report) => report.service === service);
  const timelineStart = snapshot.dora?.windowStart ?? now - DEFAULT_TIMELINE_DAYS * DAY_MS;
  // What the burn-downs mark and the timeline spans: nothing older is drawn.
  const windowStart = Math.min(timelineStart, ...reports.map((report) => report.windowStart));
  const deployments: DashboardDeployment[] = snapshot.deployments
    .filter((deployment) => deployment.time <= now && deployment.time > windowStart)
    // A deployment that names no services deploys the whole workspace (core/deployments.ts deploysService).
    .filter((deployment) => deployment.services.length === 0 || deployment.services.includes(service))
    .map((deployment) => ({
      name: deployment.name,
      time: deployment.time,
      changes: deployment.changes.length,
      incidents: deployment.incidents,
      impacts: (snapshot.deploymentImpacts ?? [])
        .filter((entry) => entry.deployment === deployment.name && entry.time === deployment.time && entry.service === service)
        .map((entry) => ({ service: entry.service, verdict: entry.verdict, suspect: entry.suspect, afterEnd: entry.afterEnd, slos: entry.impact.map((slo) => ({ ...slo })) })),
    }));
  // Every incident of the service that exists at `now`, in the one incident order, each marked open and
  // recent by core's rules with the same recentDays as the Incidents view. The timeline draws them over time.
  const recentDays = effectiveRecentDays(snapshot.config.recentDays, workspace.recentDays);
  const incidents = sortIncidents(
    snapshot.incidents.filter((incident) => incident.service === service && incident.startedAt <= now),
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
  return {
    detail: {
      root: workspace.root,
      service,
      now,
      slos: reports.map(toDashboardSlo),
      openIncidents: openIncidentIds(workspace, service),
      deployments,
      incidents,
      timelineStart,
    },
  };
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

// The JSON contract of DOMAIN.md section 5: key names are a promise to scripts and CI jobs. Times are ISO 8601
// strings; numbers are not rounded (a report must be reproducible from DOMAIN.md's rules exactly).
import type { DoraReport, FileChange, MergeVerdict, SloReport } from '../core/model';
import type { IncidentView, WorkspaceSnapshot } from '../workspace/snapshot';
import { isOpenAt, sortIncidents } from '../core/incidents';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function sloJson(slo: SloReport) {
  return {
    name: slo.name,
    objective: slo.objective,
    window: slo.window,
    budgetingMethod: slo.budgetingMethod,
    sli: slo.sli,
    good: slo.good,
    total: slo.total,
    ...(slo.excludedTotal !== undefined ? { excludedTotal: slo.excludedTotal } : {}),
    budget: { remaining: slo.budget.remaining, consumed: slo.budget.consumed },
    burnRates: { ...slo.burnRates },
    alerts: slo.alerts.map((a) => ({ severity: a.severity, long: a.long, short: a.short, threshold: a.threshold })),
    exhaustionEta: iso(slo.exhaustionEta),
    status: slo.status,
    ...(slo.error ? { error: slo.error } : {}),
  };
}

export function incidentJson(incident: IncidentView) {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    service: incident.service,
    startedAt: iso(incident.startedAt),
    resolvedAt: iso(incident.resolvedAt),
    url: incident.url ?? null,
    postmortem: incident.postmortem ?? null,
    commits: incident.commits,
    files: incident.files,
    deployment: incident.deployment,
    source: incident.source,
  };
}

export function doraJson(dora: DoraReport) {
  const { windowStart, windowEnd, ...rest } = dora;
  return { ...rest, windowStart: iso(windowStart), windowEnd: iso(windowEnd) };
}

/** Services in configuration order, then any service only an SLO or incident names. */
export function serviceNames(snapshot: WorkspaceSnapshot): string[] {
  const names = snapshot.config.services.map((s) => s.name);
  for (const slo of snapshot.sloReports) if (!names.includes(slo.service)) names.push(slo.service);
  for (const incident of snapshot.incidents) if (!names.includes(incident.service)) names.push(incident.service);
  return names;
}

/** Open incidents, and those started or resolved within the recent window. */
export function recentIncidents(snapshot: WorkspaceSnapshot): IncidentView[] {
  const since = snapshot.now - snapshot.config.recentDays * 86_400_000;
  return sortIncidents(
    snapshot.incidents.filter(
      (i) => i.startedAt <= snapshot.now && (i.resolvedAt === null || i.resolvedAt > snapshot.now || i.resolvedAt > since),
    ),
  );
}

export function reportJson(snapshot: WorkspaceSnapshot) {
  return {
    now: iso(snapshot.now),
    workspace: snapshot.root,
    services: serviceNames(snapshot).map((name) => ({
      name,
      slos: snapshot.sloReports.filter((s) => s.service === name).map(sloJson),
      openIncidents: sortIncidents(snapshot.incidents.filter((i) => i.service === name && isOpenAt(i, snapshot.now))).map((i) => i.id),
    })),
    dora: snapshot.dora ? doraJson(snapshot.dora) : null,
    incidents: recentIncidents(snapshot).map(incidentJson),
    sources: snapshot.sources,
    problems: snapshot.problems,
  };
}

export function checkJson(verdict: MergeVerdict, base: string | null) {
  return { verdict: verdict.verdict, services: verdict.services, reasons: verdict.reasons, base };
}

export function lensJson(file: string, changes: readonly FileChange[]) {
  return {
    file,
    changes: changes.map((c) => ({
      commit: c.commit,
      subject: c.subject,
      time: iso(c.time),
      lines: c.lines,
      deployment: c.deployment,
      incidents: c.incidents,
    })),
  };
}

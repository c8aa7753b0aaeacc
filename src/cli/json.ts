// The JSON contract of DOMAIN.md section 5: key names are a promise to scripts and CI jobs. Times are ISO 8601
// strings; numbers are not rounded (a report must be reproducible from DOMAIN.md's rules exactly).
import type { AlertRule, DoraReport, FileChange, MergeVerdict, SloReport } from '../core/model';
import type { IncidentView, WorkspaceSnapshot } from '../workspace/snapshot';
import { isOpenAt, recentIncidents, sortIncidents } from '../core/incidents';
import { serviceNames } from '../core/serviceList';
import type { DeploymentImpact } from '../core/deploymentImpact';
import { changeSignal, type DegradedDeployments } from '../core/changeSignal';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function sloJson(slo: SloReport): SloJson {
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
    alerts: slo.alerts.map(alertJson),
    exhaustionEta: iso(slo.exhaustionEta),
    status: slo.status,
    ...(slo.error ? { error: slo.error } : {}),
    ...(slo.unsupported ? { unsupported: slo.unsupported } : {}),
    // A composite SLO's objectives, each reported as an SLO of its own, with its weight.
    ...(slo.objectives ? { objectives: slo.objectives.map(({ weight, report }) => ({ weight, ...sloJson(report) })) } : {}),
  };
}

/** A firing alert. `op` and `condition` only for a rule from an OpenSLO alert policy (the default tiers burn faster than, `gt`). */
function alertJson(alert: AlertRule) {
  return {
    severity: alert.severity,
    long: alert.long,
    short: alert.short,
    threshold: alert.threshold,
    ...(alert.op !== undefined ? { op: alert.op } : {}),
    ...(alert.condition ? { condition: { ...alert.condition } } : {}),
  };
}

// Named so that a composite's `objectives` can hold SLOs of the same shape.
interface SloJson {
  name: string;
  objective: number;
  window: string;
  budgetingMethod: SloReport['budgetingMethod'];
  sli: number | null;
  good: number;
  total: number;
  excludedTotal?: number;
  budget: { remaining: number; consumed: number };
  burnRates: SloReport['burnRates'];
  alerts: Array<ReturnType<typeof alertJson>>;
  exhaustionEta: string | null;
  status: SloReport['status'];
  error?: string;
  objectives?: Array<SloJson & { weight: number }>;
}

/** An incident as it stands at `now`: a resolution after `now` has not happened yet, so `resolvedAt` is null. */
export function incidentJson(incident: IncidentView, now: number) {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    service: incident.service,
    startedAt: iso(incident.startedAt),
    resolvedAt: isOpenAt(incident, now) ? null : iso(incident.resolvedAt),
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

/**
 * `report --json`. `recentDays` is how many days count as recent for its incidents: `--recent-days`
 * when given, else config.yaml's `recentDays` (core/incidents.ts effectiveRecentDays).
 */
export function reportJson(snapshot: WorkspaceSnapshot, recentDays: number) {
  const now = snapshot.now;
  return {
    now: iso(now),
    workspace: snapshot.root,
    recentDays,
    services: serviceNames(snapshot).map((name) => ({
      name,
      slos: snapshot.sloReports.filter((s) => s.service === name).map(sloJson),
      openIncidents: sortIncidents(
        snapshot.incidents.filter((i) => i.service === name && isOpenAt(i, now)),
        now,
      ).map((i) => i.id),
    })),
    dora: snapshot.dora ? doraJson(snapshot.dora) : null,
    incidents: recentIncidents(snapshot.incidents, now, recentDays).map((incident) => incidentJson(incident, now)),
    sources: snapshot.sources,
    problems: snapshot.problems,
  };
}

/**
 * `deployments --json`: each deployment of the DORA window once per service, newest first, with its
 * impact on each SLO of the service (DOMAIN.md sections 5 and 6). Numbers unrounded.
 */
export function deploymentsJson(impacts: readonly DeploymentImpact[]) {
  return {
    deployments: impacts.map((entry) => ({
      name: entry.deployment,
      service: entry.service,
      time: iso(entry.time),
      afterWindowEnd: iso(entry.afterEnd),
      impact: entry.impact.map((slo) => ({ slo: slo.slo, before: slo.before, after1h: slo.after1h, after: slo.after, budgetSpent: slo.budgetSpent, verdict: slo.verdict })),
      verdict: entry.verdict,
      incidents: entry.incidents,
      suspect: entry.suspect,
    })),
  };
}

export function checkJson(verdict: MergeVerdict, base: string | null) {
  return { verdict: verdict.verdict, services: verdict.services, reasons: verdict.reasons, exemptions: verdict.exemptions ?? [], base };
}

/**
 * `signal`: why the change gets a code lens of its own in the editor (core/changeSignal.ts): the
 * incidents linked to it and the SLOs its deployment degraded; null for an ordinary change.
 */
export function lensJson(file: string, changes: readonly FileChange[], degraded: DegradedDeployments) {
  return {
    file,
    changes: changes.map((c) => ({
      commit: c.commit,
      subject: c.subject,
      time: iso(c.time),
      lines: c.lines,
      deployment: c.deployment,
      incidents: c.incidents,
      signal: changeSignal(c, degraded),
    })),
  };
}

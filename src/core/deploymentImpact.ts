// Deployment impact (DOMAIN.md section 6): for each deployment of a service and each SLO of that
// service, the burn before it, in its first hour and over its after-window, the share of the budget
// that after-window spent, and a verdict. Pure: the events of each interval come from the counts a
// source gathered (a CSV pass's interval sums, or PromQL at the deployment's time), and `now` is a
// parameter. A degraded deployment with no incident linked to it (section 3) is a suspect.
import { compareDeployments, deploysService } from './deployments';
import type { TimeSpan } from './maintenance';
import type { BudgetingMethodName, Deployment, Incident, IntervalSums, SloReport, WindowCounts } from './model';

const HOUR_MS = 3_600_000;
/** `before` reads the 6 hours up to the deployment. */
export const IMPACT_BEFORE_MS = 6 * HOUR_MS;
/** The after-window is at most 6 hours long. */
export const IMPACT_AFTER_MS = 6 * HOUR_MS;
/** `after1h` reads the first hour of the after-window. */
export const IMPACT_FIRST_MS = HOUR_MS;
/**
 * How many of the latest deployments the Delivery view lists, and so how many a source that pays per
 * question (Prometheus) assesses for the editor; file mode assesses every deployment of the window.
 */
export const RECENT_DEPLOYMENT_LIMIT = 20;
/** An interval needs at least this many bad events to degrade a deployment, so a handful of errors at night never does. */
export const MIN_DEGRADING_BAD_EVENTS = 10;

export type ImpactVerdict = 'degraded' | 'ok' | 'no-data';

/**
 * The intervals one deployment's impact of one SLO is read over, each `(start, end]` as samples count:
 * - `before`: `(t - 6h, t]`;
 * - `after`: the after-window `A = (t, min(t + 6h, next deployment of the service, now)]`;
 * - `first`: `(t, min(t + 1h, end of A)]`;
 * - `inBudgetWindow`: `A ∩ W`, W the SLO window `(windowStart, now]` (empty when A ends before it).
 * An empty interval has `start = end`.
 */
export interface ImpactSpans {
  before: TimeSpan;
  first: TimeSpan;
  after: TimeSpan;
  inBudgetWindow: TimeSpan;
}

/** The spans of a deployment at `time`, the next deployment of its service at `next` (null: none yet), at `now`. */
export function impactSpans(time: number, next: number | null, now: number, windowStart: number): ImpactSpans {
  // A deployment exists only at or before now, and the next one is strictly later (same-instant
  // deployments share one after-window), so the end is never before `time`; max() guards a caller's slip.
  const end = Math.max(time, Math.min(time + IMPACT_AFTER_MS, next ?? Number.POSITIVE_INFINITY, now));
  const budgetStart = Math.min(Math.max(time, windowStart), end);
  return {
    before: { start: time - IMPACT_BEFORE_MS, end: time },
    first: { start: time, end: Math.min(time + IMPACT_FIRST_MS, end) },
    after: { start: time, end },
    inBudgetWindow: { start: budgetStart, end },
  };
}

/** The events of each span of a deployment's impact, however a source counted them. */
export interface ImpactCounts {
  before: WindowCounts;
  first: WindowCounts;
  after: WindowCounts;
  inBudgetWindow: WindowCounts;
}

/** The impact of one deployment on one SLO, as `deployments --json` prints it (numbers unrounded). */
export interface SloImpact {
  slo: string;
  /** Burn rate over the 6 hours before the deployment. */
  before: number;
  /** Burn rate over the first hour of the after-window. */
  after1h: number;
  /** Burn rate over the whole after-window. */
  after: number;
  /** Bad events of the after-window (inside the SLO window) over the SLO window's allowed bad events; null without Occurrences or events. */
  budgetSpent: number | null;
  verdict: ImpactVerdict;
}

/** What the impact rule needs to know about an SLO besides the events of the intervals. */
export interface ImpactSlo {
  name: string;
  service: string;
  objective: number;
  budgetingMethod: BudgetingMethodName;
  /** Exclusive start of the SLO window at `now` (its end is `now`). */
  windowStart: number;
  /** total(W): the SLO window's events at `now`, maintenance left out. */
  windowTotal: number;
  /** The events of a span, however the source counted them; null when it has no count for that span. */
  countsIn(span: TimeSpan): WindowCounts | null;
}

/**
 * An SLO report as the impact rule reads it, its spans counted from the interval sums its CSV pass
 * gathered (report.counts.intervals); every span is null without them. A composite SLO has no counts
 * of its own and none either.
 */
export function impactSloOfReport(report: SloReport, countsIn?: (span: TimeSpan) => WindowCounts | null): ImpactSlo {
  const intervals = report.error === undefined ? report.counts?.intervals : undefined;
  const fromIntervals = (span: TimeSpan) => (intervals ? countsFromIntervals(intervals, span) : null);
  return {
    name: report.name,
    service: report.service,
    objective: report.objective,
    budgetingMethod: report.budgetingMethod,
    windowStart: report.windowStart,
    windowTotal: report.total,
    // A source that counts spans itself (Prometheus) answers for an SLO whose report it could read.
    countsIn: countsIn && report.error === undefined ? countsIn : fromIntervals,
  };
}

const bad = (counts: WindowCounts): number => counts.total - counts.good;

/** `e(I) / a`, with `e = 0` for an interval without events; no errors burn nothing, even at an objective of 1. */
function burnOf(counts: WindowCounts, allowed: number): number {
  const errorRatio = counts.total > 0 ? 1 - counts.good / counts.total : 0;
  return errorRatio === 0 ? 0 : errorRatio / allowed;
}

/** DOMAIN.md section 6's numbers and verdict for one SLO, from the events of its intervals. */
export function sloImpact(slo: ImpactSlo, spans: ImpactSpans, counts: ImpactCounts): SloImpact {
  const allowed = 1 - slo.objective;
  const before = burnOf(counts.before, allowed);
  const after1h = burnOf(counts.first, allowed);
  const after = burnOf(counts.after, allowed);
  const budgetSpent = slo.budgetingMethod === 'Occurrences' && slo.windowTotal > 0 ? bad(counts.inBudgetWindow) / (allowed * slo.windowTotal) : null;
  return { slo: slo.name, before, after1h, after, budgetSpent, verdict: impactVerdict(spans, counts, allowed, before) };
}

function impactVerdict(spans: ImpactSpans, counts: ImpactCounts, allowed: number, before: number): ImpactVerdict {
  if (spans.after.end <= spans.after.start || counts.after.total === 0) return 'no-data';
  const threshold = 2 * Math.max(before, 1);
  const degrades = (interval: WindowCounts) => burnOf(interval, allowed) >= threshold && bad(interval) >= MIN_DEGRADING_BAD_EVENTS;
  return degrades(counts.first) || degrades(counts.after) ? 'degraded' : 'ok';
}

/** A deployment is degraded when any SLO is; ok when some SLO had data and none degraded; else no-data. */
export function overallVerdict(impact: readonly SloImpact[]): ImpactVerdict {
  if (impact.some((entry) => entry.verdict === 'degraded')) return 'degraded';
  if (impact.some((entry) => entry.verdict === 'ok')) return 'ok';
  return 'no-data';
}

/** One deployment of one service with its impact on each SLO of the service (`deployments --json`). */
export interface DeploymentImpact {
  deployment: string;
  service: string;
  time: number;
  /** End of the after-window (equal to `time` when it is empty). */
  afterEnd: number;
  /** One entry per SLO of the service whose counts were read, in the order the SLOs were given. */
  impact: SloImpact[];
  verdict: ImpactVerdict;
  /** Incidents linked to the deployment (section 3) that exist at `now`. */
  incidents: string[];
  /** Degraded with no linked incident. */
  suspect: boolean;
}

export interface DeploymentImpactInput {
  /** The deployments, any order; those after `now` are ignored (they have not happened). */
  deployments: readonly Deployment[];
  /** Only deployments with `since < time <= now` are assessed (the DORA window's, or the merge check's 7 days). */
  since: number;
  now: number;
  slos: readonly ImpactSlo[];
  incidents: readonly Incident[];
  /** Incident id -> the deployment it is linked to (core/dora/linkedIncidents.ts). */
  links: ReadonlyMap<string, string | null>;
}

/**
 * The impact of every deployment in `(since, now]`, newest first (same-instant deployments by name,
 * last first), one entry per deployment and service it deploys, services in the deployment's order.
 * A deployment that names no services (a workspace without services configured) deploys every
 * service that has an SLO. An SLO whose counts a source could not give for every span is left out.
 */
export function deploymentImpacts(input: DeploymentImpactInput): DeploymentImpact[] {
  const { now } = input;
  const ordered = input.deployments.filter((deployment) => deployment.time <= now).sort(compareDeployments);
  const linked = incidentsByDeploymentAt(input.incidents, input.links, now);
  const allServices = [...new Set(input.slos.map((slo) => slo.service))];
  const result: DeploymentImpact[] = [];
  for (let index = ordered.length - 1; index >= 0; index--) {
    const deployment = ordered[index];
    if (deployment.time <= input.since) break;
    const services = deployment.services.length > 0 ? deployment.services : allServices;
    const incidents = linked.get(deployment.name) ?? [];
    for (const service of services) {
      const next = nextDeploymentTime(ordered, index, service);
      const impact: SloImpact[] = [];
      for (const slo of input.slos) {
        if (slo.service !== service) continue;
        const spans = impactSpans(deployment.time, next, now, slo.windowStart);
        const counts = countsOfSpans(slo, spans);
        if (counts !== null) impact.push(sloImpact(slo, spans, counts));
      }
      // The after-window does not depend on the SLO (only its part inside the SLO window does).
      const afterEnd = impactSpans(deployment.time, next, now, now).after.end;
      const verdict = overallVerdict(impact);
      result.push({ deployment: deployment.name, service, time: deployment.time, afterEnd, impact, verdict, incidents, suspect: verdict === 'degraded' && incidents.length === 0 });
    }
  }
  return result;
}

/**
 * Each deployment of `service` in `(since, now]`, newest first, with the time of the next deployment
 * of the service (null: none yet): what a source that counts spans itself needs to ask.
 */
export function serviceDeploymentsIn(deployments: readonly Deployment[], service: string, since: number, now: number): Array<{ deployment: Deployment; next: number | null }> {
  const ordered = deployments.filter((deployment) => deployment.time <= now && deploysService(deployment, service)).sort(compareDeployments);
  const result: Array<{ deployment: Deployment; next: number | null }> = [];
  for (let index = ordered.length - 1; index >= 0 && ordered[index].time > since; index--) {
    result.push({ deployment: ordered[index], next: nextDeploymentTime(ordered, index, service) });
  }
  return result;
}

/** Whether a deployment's after-window has closed at `now` (the next deployment came, or six hours passed): its numbers can no longer change. */
export function afterWindowClosed(time: number, next: number | null, now: number): boolean {
  return Math.min(time + IMPACT_AFTER_MS, next ?? Number.POSITIVE_INFINITY) <= now;
}

/** The next deployment of `service` strictly after the one at `index` (deployments at the same instant share an after-window). */
function nextDeploymentTime(ordered: readonly Deployment[], index: number, service: string): number | null {
  const time = ordered[index].time;
  for (let later = index + 1; later < ordered.length; later++) {
    const candidate = ordered[later];
    if (candidate.time > time && deploysService(candidate, service)) return candidate.time;
  }
  return null;
}

function countsOfSpans(slo: ImpactSlo, spans: ImpactSpans): ImpactCounts | null {
  const before = slo.countsIn(spans.before);
  const first = slo.countsIn(spans.first);
  const after = slo.countsIn(spans.after);
  const inBudgetWindow = slo.countsIn(spans.inBudgetWindow);
  if (before === null || first === null || after === null || inBudgetWindow === null) return null;
  return { before, first, after, inBudgetWindow };
}

/** Deployment name -> ids of the incidents linked to it that exist at `now` (one starting later has not happened). */
function incidentsByDeploymentAt(incidents: readonly Incident[], links: ReadonlyMap<string, string | null>, now: number): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const incident of incidents) {
    if (incident.startedAt > now) continue;
    const deployment = links.get(incident.id);
    if (!deployment) continue;
    grouped.set(deployment, [...(grouped.get(deployment) ?? []), incident.id]);
  }
  return grouped;
}

// ---- The times a CSV pass sums between ----------------------------------------------------------

/**
 * Every boundary of every span the deployments in `(since, now]` of `service` need for an SLO whose
 * window starts at `windowStart`, sorted and distinct: the times a single pass over the samples sums
 * between (SloCountsAccumulator's interval sums), so no span needs a second read.
 */
export function impactBoundaries(deployments: readonly Deployment[], service: string, since: number, now: number, windowStart: number): number[] {
  const times = new Set<number>();
  for (const { deployment, next } of serviceDeploymentsIn(deployments, service, since, now)) {
    const spans = impactSpans(deployment.time, next, now, windowStart);
    for (const span of [spans.before, spans.first, spans.after, spans.inBudgetWindow]) {
      times.add(span.start);
      times.add(span.end);
    }
  }
  return [...times].sort((a, b) => a - b);
}

/**
 * The events of `span` from interval sums, or null when its ends are not among the sums' times (the
 * counts were gathered for other deployments or another `now`). An empty span holds no events.
 */
export function countsFromIntervals(sums: IntervalSums, span: TimeSpan): WindowCounts | null {
  if (span.end <= span.start) return { good: 0, total: 0 };
  const from = indexOfTime(sums.times, span.start);
  const to = indexOfTime(sums.times, span.end);
  if (from < 0 || to < 0) return null;
  let good = 0;
  let total = 0;
  for (let segment = from; segment < to; segment++) {
    good += sums.good[segment];
    total += sums.total[segment];
  }
  return { good, total };
}

function indexOfTime(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (times[middle] === time) return middle;
    if (times[middle] < time) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

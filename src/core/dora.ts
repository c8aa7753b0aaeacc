// DORA metrics over a window ending at `now` (DOMAIN.md section 3). Pure: deployments, their changes
// and the commits come from core/deployments.ts over git data; incidents from the incident sources.
import { commitPrefixIndexOf, compareDeployments, deploysService } from './deployments';
import { createIncidentIdMatcher } from './linking';
import type { Commit, Deployment, DoraBands, DoraReport, Incident, Tier, WeeklyDora } from './model';
import { median, percentileNearestRank } from './stats';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

export interface DoraInput {
  /**
   * Deployments of the workspace. Each counts once however many services it deploys: DORA measures
   * how often the team delivers, and one tag that releases three services is one delivery.
   */
  deployments: readonly Deployment[];
  /** Deployment name -> SHAs it shipped first (core/deployments.ts computeDelivery). */
  changesByDeployment: ReadonlyMap<string, readonly string[]>;
  /** Commits by SHA: committer times for lead time, messages for rework. */
  commits: ReadonlyMap<string, Commit>;
  /** SHA -> deployment that shipped it, for incidents that name root-cause commits. */
  shippedBy: ReadonlyMap<string, string>;
  incidents: readonly Incident[];
  now: number;
  /** Default 90. */
  windowDays?: number;
  /** Default '2023'. */
  bands?: DoraBands;
  /**
   * Incident id -> linked deployment, when the caller has linked them already over the same
   * deployments (those at or before `now`): spares linking again. Ids missing from it are linked here.
   */
  incidentDeployments?: ReadonlyMap<string, string | null>;
}

/** A revert as git writes one: `Revert "subject"`, or a body that says which commit it reverts. */
export function isRevert(commit: Commit): boolean {
  return commit.subject.startsWith('Revert "') || commit.body.includes('This reverts commit');
}

/**
 * The deployment each incident is linked to (incident id -> deployment name, or null):
 * - with root-cause commits: the deployment that shipped the earliest-shipped of them. Prefixes
 *   that name no commit of the history are ignored (sources/git/revisions.ts reports them as warnings); when
 *   every prefix is unknown the incident is linked as if it listed none. Known commits no deployment
 *   has shipped yet link to nothing (null): the cause is not in production.
 * - otherwise: the latest deployment of the incident's service at or before `startedAt`.
 */
export function linkIncidentsToDeployments(input: {
  incidents: readonly Incident[];
  deployments: readonly Deployment[];
  commits: ReadonlyMap<string, Commit>;
  shippedBy: ReadonlyMap<string, string>;
}): Map<string, string | null> {
  const ordered = [...input.deployments].sort(compareDeployments);
  const orderOf = new Map(ordered.map((deployment, index) => [deployment.name, index]));
  const prefixes = commitPrefixIndexOf(input.commits);
  const links = new Map<string, string | null>();
  const resolved = prefixes.resolveAll(input.incidents.flatMap((incident) => incident.commits));

  for (const incident of input.incidents) {
    const rootCauses = incident.commits
      .map((prefix) => resolved.get(prefix) ?? null)
      .filter((sha): sha is string => sha !== null);
    if (rootCauses.length > 0) {
      let earliest: string | null = null;
      for (const sha of rootCauses) {
        const shipping = input.shippedBy.get(sha);
        if (shipping === undefined || !orderOf.has(shipping)) continue;
        if (earliest === null || (orderOf.get(shipping) as number) < (orderOf.get(earliest) as number)) earliest = shipping;
      }
      links.set(incident.id, earliest);
      continue;
    }
    let latest: string | null = null;
    for (const deployment of ordered) {
      if (deployment.time > incident.startedAt) break;
      if (deploysService(deployment, incident.service)) latest = deployment.name;
    }
    links.set(incident.id, latest);
  }
  return links;
}

/** Monday 00:00 UTC of the ISO week holding `time`. */
export function isoWeekStart(time: number): number {
  const date = new Date(time);
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - daysSinceMonday);
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

// ---- Tiers -------------------------------------------------------------------------------------------

interface TierInput {
  deployments: number;
  windowDays: number;
  leadTimeMedianMs: number | null;
  changeFailureRate: number | null;
  recoveryMedianMs: number | null;
}

type Tiers = DoraReport['tiers'];

/** DORA 2023 (Accelerate State of DevOps 2023), the table in DOMAIN.md section 3. */
function tiers2023(input: TierInput): Tiers {
  const { deployments: n, windowDays: days } = input;
  // Rates compared as cross-multiplied integers: n/days*7 >= 7 is n >= days, and so on, with no rounding.
  const deploymentFrequency: Tier = n >= days ? 'elite' : n * 7 >= days ? 'high' : n * 30 >= days ? 'medium' : 'low';
  const lead = input.leadTimeMedianMs;
  const leadTime: Tier | null =
    lead === null ? null : lead < DAY_MS ? 'elite' : lead < WEEK_MS ? 'high' : lead < 30 * DAY_MS ? 'medium' : 'low';
  const cfr = input.changeFailureRate;
  const changeFailureRate: Tier | null =
    cfr === null ? null : cfr <= 0.05 ? 'elite' : cfr <= 0.1 ? 'high' : cfr <= 0.15 ? 'medium' : 'low';
  const recovery = input.recoveryMedianMs;
  const failedDeploymentRecovery: Tier | null =
    recovery === null ? null : recovery < HOUR_MS ? 'elite' : recovery < DAY_MS ? 'high' : recovery < WEEK_MS ? 'medium' : 'low';
  return { deploymentFrequency, leadTime, changeFailureRate, failedDeploymentRecovery };
}

/**
 * DORA 2021 (Accelerate State of DevOps 2021, "Software delivery performance" table, chapter "How do
 * we compare?"), as we read it:
 *   deployment frequency  elite: on demand, multiple per day | high: once per week to once per month |
 *                         medium: once per month to once every 6 months | low: fewer than once every 6 months
 *   lead time             elite: < 1 hour | high: 1 day to 1 week | medium: 1 to 6 months | low: > 6 months
 *   time to restore       elite: < 1 hour | high: < 1 day | medium: 1 day to 1 week | low: > 6 months
 *   change failure rate   elite: 0-15% | high, medium, low: 16-30%
 * The bands leave gaps and overlaps; each value takes the best tier whose upper bound it meets:
 * frequency elite >= 1 a day, high >= 1 a month, medium >= 1 in 6 months (180 days); lead time
 * elite < 1 hour, high < 1 week, medium < 180 days; restore elite < 1 hour, high < 1 day, medium
 * < 1 week; change failure elite <= 15%, high <= 30% (medium cannot be told from high), low above.
 * DORA 2021 has no failed-deployment recovery metric: its tier rates time to restore (MTTR).
 */
function tiers2021(input: TierInput & { restoreMedianMs: number | null }): Tiers {
  const { deployments: n, windowDays: days } = input;
  const deploymentFrequency: Tier = n >= days ? 'elite' : n * 30 >= days ? 'high' : n * 180 >= days ? 'medium' : 'low';
  const lead = input.leadTimeMedianMs;
  const leadTime: Tier | null =
    lead === null ? null : lead < HOUR_MS ? 'elite' : lead < WEEK_MS ? 'high' : lead < 180 * DAY_MS ? 'medium' : 'low';
  const cfr = input.changeFailureRate;
  const changeFailureRate: Tier | null = cfr === null ? null : cfr <= 0.15 ? 'elite' : cfr <= 0.3 ? 'high' : 'low';
  const restore = input.restoreMedianMs;
  const failedDeploymentRecovery: Tier | null =
    restore === null ? null : restore < HOUR_MS ? 'elite' : restore < DAY_MS ? 'high' : restore < WEEK_MS ? 'medium' : 'low';
  return { deploymentFrequency, leadTime, changeFailureRate, failedDeploymentRecovery };
}

// ---- The report ----------------------------------------------------------------------------------------

/**
 * The values in ascending order, sorted natively as a Float64Array: a window's lead times are one
 * per shipped commit (tens of thousands), and median and percentileNearestRank each sort with a
 * comparator, which costs a call per comparison on unsorted input but one pass on sorted input.
 */
function inNumericOrder(values: number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

function secondsOrNull(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/**
 * The DORA block of a report. Incidents that start after `now` do not exist yet, and one resolved
 * after `now` is still open at `now`. Times are reported in seconds; rates are unrounded (the
 * renderers round).
 */
export function computeDora(input: DoraInput): DoraReport {
  const windowDays = input.windowDays ?? 90;
  const bands = input.bands ?? '2023';
  const now = input.now;
  const windowStart = now - windowDays * DAY_MS;
  const inWindow = (time: number) => time > windowStart && time <= now;

  const incidents = input.incidents.filter((incident) => incident.startedAt <= now);
  const resolvedAt = (incident: Incident) =>
    incident.resolvedAt !== null && incident.resolvedAt <= now ? incident.resolvedAt : null;

  const existing = input.deployments.filter((deployment) => deployment.time <= now);
  const given = input.incidentDeployments;
  const incidentDeployments =
    given && incidents.every((incident) => given.has(incident.id))
      ? given
      : linkIncidentsToDeployments({ incidents, deployments: existing, commits: input.commits, shippedBy: input.shippedBy });
  const incidentsByDeployment = new Map<string, Incident[]>();
  for (const incident of incidents) {
    const deployment = incidentDeployments.get(incident.id);
    if (!deployment) continue;
    const list = incidentsByDeployment.get(deployment);
    if (list) list.push(incident);
    else incidentsByDeployment.set(deployment, [incident]);
  }

  const counted = existing.filter((deployment) => inWindow(deployment.time)).sort(compareDeployments);
  const namesIncident = createIncidentIdMatcher(input.incidents.map((incident) => incident.id));

  // Asked twice per deployment (the window, then its week): computed once.
  const leadTimeCache = new Map<string, number[]>();
  const leadTimesOf = (deployment: Deployment): number[] => {
    const cached = leadTimeCache.get(deployment.name);
    if (cached) return cached;
    const values: number[] = [];
    leadTimeCache.set(deployment.name, values);
    for (const sha of input.changesByDeployment.get(deployment.name) ?? []) {
      const commit = input.commits.get(sha);
      if (!commit) continue;
      const lead = deployment.time - commit.time;
      if (lead > 0) values.push(lead);
    }
    return values;
  };
  const isRework = (deployment: Deployment): boolean =>
    (input.changesByDeployment.get(deployment.name) ?? []).some((sha) => {
      const commit = input.commits.get(sha);
      if (!commit) return false;
      return isRevert(commit) || namesIncident(`${commit.subject}\n${commit.body}`).size > 0;
    });
  const failed = (deployment: Deployment) => incidentsByDeployment.has(deployment.name);

  const leadTimes = inNumericOrder(counted.flatMap(leadTimesOf));
  const failedCount = counted.filter(failed).length;

  const recoveries: number[] = [];
  for (const deployment of counted) {
    const linked = incidentsByDeployment.get(deployment.name);
    if (!linked) continue;
    // Recovery needs every linked incident resolved; one still open leaves the deployment out. A loop,
    // not Math.max(...list): a ledger may link more incidents than a call can take arguments.
    let latest = -Infinity;
    let allResolved = true;
    for (const incident of linked) {
      const resolved = resolvedAt(incident);
      if (resolved === null) allResolved = false;
      else latest = Math.max(latest, resolved);
    }
    if (allResolved) recoveries.push(latest - deployment.time);
  }

  const restores: number[] = [];
  for (const incident of incidents) {
    const resolved = resolvedAt(incident);
    if (resolved !== null && inWindow(incident.startedAt)) restores.push(resolved - incident.startedAt);
  }

  const leadMedianMs = median(leadTimes);
  const changeFailureRate = counted.length === 0 ? null : failedCount / counted.length;
  const recoveryMedianMs = median(recoveries);
  const restoreMedianMs = median(restores);
  const tierInput = {
    deployments: counted.length,
    windowDays,
    leadTimeMedianMs: leadMedianMs,
    changeFailureRate,
    recoveryMedianMs,
  };

  const weekly: WeeklyDora[] = [];
  for (let week = isoWeekStart(windowStart + 1); week <= now; week += WEEK_MS) {
    const inWeek = counted.filter((deployment) => deployment.time >= week && deployment.time < week + WEEK_MS);
    weekly.push({
      weekStart: isoDate(week),
      deployments: inWeek.length,
      leadTimeSecondsMedian: secondsOrNull(median(inWeek.flatMap(leadTimesOf))),
      changeFailureRate: inWeek.length === 0 ? null : inWeek.filter(failed).length / inWeek.length,
    });
  }

  return {
    window: `${windowDays}d`,
    windowStart,
    windowEnd: now,
    deployments: counted.length,
    deploymentsPerWeek: (counted.length / windowDays) * 7,
    leadTimeSeconds: {
      median: secondsOrNull(leadMedianMs),
      p90: secondsOrNull(percentileNearestRank(leadTimes, 0.9)),
    },
    changeFailureRate,
    failedDeploymentRecoverySeconds: { median: secondsOrNull(recoveryMedianMs) },
    timeToRestoreSeconds: { median: secondsOrNull(restoreMedianMs) },
    reworkRate: counted.length === 0 ? null : counted.filter(isRework).length / counted.length,
    tiers: bands === '2021' ? tiers2021({ ...tierInput, restoreMedianMs }) : tiers2023(tierInput),
    weekly,
  };
}

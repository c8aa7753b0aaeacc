// DORA metrics over a window ending at `now` (DOMAIN.md section 3). Pure: deployments, their changes
// and the commits come from core/deployments.ts over git data; incidents from the incident sources.
// Each metric's rule lives in its own module under core/dora/; this one reads the input once and
// puts the report together.
import { compareDeployments, type CommitPrefixIndex, type ShippingLookup } from './deployments';
import { changeFailureRate, isFailedDeployment } from './dora/changeFailureRate';
import { deploymentsPerWeek } from './dora/deploymentFrequency';
import { failedDeploymentRecoveryMedian } from './dora/failedDeploymentRecovery';
import { leadTimeSummary, leadTimesOfDeployment } from './dora/leadTime';
import { incidentsByDeployment, linkIncidentsToDeployments } from './dora/linkedIncidents';
import { isReworkDeployment, reworkRate } from './dora/rework';
import { doraTiers } from './dora/tiers';
import { timeToRestoreMedian } from './dora/timeToRestore';
import { weeklyTrend } from './dora/weeklyTrend';
import { doraWindow, incidentsAsOf, isInWindow, secondsOrNull } from './dora/window';
import { createIncidentIdMatcher } from './linking';
import type { Commit, Deployment, DoraBands, DoraReport, Incident } from './model';

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
  shippedBy: ShippingLookup;
  /** Root-cause prefix -> full SHA as git resolved them (linkIncidentsToDeployments); else resolved among `commits`. */
  rootCauses?: ReadonlyMap<string, string | null>;
  commitPrefixes?: CommitPrefixIndex;
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

/**
 * The DORA block of a report. Incidents that start after `now` do not exist yet, and one resolved
 * after `now` is still open at `now`. Times are reported in seconds; rates are unrounded (the
 * renderers round).
 */
export function computeDora(input: DoraInput): DoraReport {
  const windowDays = input.windowDays ?? 90;
  const window = doraWindow(input.now, windowDays);
  const incidents = incidentsAsOf(input.incidents, input.now);
  const existing = input.deployments.filter((deployment) => deployment.time <= input.now);
  const given = input.incidentDeployments;
  const links =
    given && incidents.every((incident) => given.has(incident.id))
      ? given
      : linkIncidentsToDeployments({ incidents, deployments: existing, commits: input.commits, shippedBy: input.shippedBy, rootCauses: input.rootCauses, commitPrefixes: input.commitPrefixes });
  const linked = incidentsByDeployment(incidents, links);
  const counted = existing.filter((deployment) => isInWindow(window, deployment.time)).sort(compareDeployments);
  const changesOf = (deployment: Deployment) => input.changesByDeployment.get(deployment.name) ?? [];

  // Asked twice per deployment (the window, then its week): computed once.
  const leadTimeCache = new Map<string, number[]>();
  const leadTimesOf = (deployment: Deployment): number[] => {
    let values = leadTimeCache.get(deployment.name);
    if (!values) {
      values = leadTimesOfDeployment(deployment, changesOf(deployment), input.commits);
      leadTimeCache.set(deployment.name, values);
    }
    return values;
  };
  const failed = (deployment: Deployment) => isFailedDeployment(deployment, linked);
  const namesIncident = createIncidentIdMatcher(input.incidents.map((incident) => incident.id));

  const leadTime = leadTimeSummary(counted.flatMap(leadTimesOf));
  const failureRate = changeFailureRate(counted, linked);
  const recoveryMedianMs = failedDeploymentRecoveryMedian(counted, linked, input.now);
  const restoreMedianMs = timeToRestoreMedian(incidents, window);

  return {
    window: `${windowDays}d`,
    windowStart: window.start,
    windowEnd: input.now,
    deployments: counted.length,
    deploymentsPerWeek: deploymentsPerWeek(counted.length, windowDays),
    leadTimeSeconds: { median: secondsOrNull(leadTime.medianMs), p90: secondsOrNull(leadTime.p90Ms) },
    changeFailureRate: failureRate,
    failedDeploymentRecoverySeconds: { median: secondsOrNull(recoveryMedianMs) },
    timeToRestoreSeconds: { median: secondsOrNull(restoreMedianMs) },
    reworkRate: reworkRate(counted, (deployment) => isReworkDeployment(changesOf(deployment), input.commits, namesIncident)),
    tiers: doraTiers(input.bands ?? '2023', {
      deployments: counted.length,
      windowDays,
      leadTimeMedianMs: leadTime.medianMs,
      changeFailureRate: failureRate,
      recoveryMedianMs,
      restoreMedianMs,
    }),
    weekly: weeklyTrend(counted, window, leadTimesOf, failed),
  };
}

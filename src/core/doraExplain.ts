// "Explain every number" for DORA (DOMAIN.md section 3): the deployments of the window, each with its
// changes (committer time, lead time), its linked incidents and whether it failed or was rework, and the
// incidents behind time to restore, so every metric of the DORA report can be recomputed by hand.
// Pure, over the same delivery data computeDora reads (core/deployments.ts, core/dora.ts).
import { compareDeployments } from './deployments';
import { isFailedDeployment } from './dora/changeFailureRate';
import { recoveryOfDeployment } from './dora/failedDeploymentRecovery';
import { leadTimeOfChange } from './dora/leadTime';
import { incidentsByDeployment } from './dora/linkedIncidents';
import { isRework, reworkOfChange } from './dora/rework';
import { restoreOfIncident } from './dora/timeToRestore';
import { doraWindow, incidentsAsOf, isInWindow, resolvedAsOf, secondsOrNull } from './dora/window';
import { createIncidentIdMatcher } from './linking';
import type { Commit, Deployment, DoraReport, Incident, Severity } from './model';

export interface ChangeExplanation {
  sha: string;
  subject: string;
  /** Committer time (epoch ms); null when the commit is not in the history read. */
  committedAt: number | null;
  /** Deployment time minus committer time; null when not positive (dropped from lead time) or unknown. */
  leadTimeSeconds: number | null;
  /** A revert (`Revert "…"`, or a body saying `This reverts commit`). */
  revert: boolean;
  /** Known incident ids its message names. */
  namesIncidents: string[];
}

export interface LinkedIncidentExplanation {
  id: string;
  severity: Severity;
  startedAt: number;
  /** Null while open at `now` (a resolution after `now` has not happened yet). */
  resolvedAt: number | null;
}

export interface DeploymentExplanation {
  name: string;
  time: number;
  services: string[];
  changes: ChangeExplanation[];
  incidents: LinkedIncidentExplanation[];
  /** A linked incident exists. */
  failed: boolean;
  /** A change is a revert or names a known incident. */
  reworked: boolean;
  /** From the deployment to the latest resolution of its linked incidents; null unless failed and all resolved. */
  recoverySeconds: number | null;
}

export interface RestoreExplanation {
  id: string;
  startedAt: number;
  resolvedAt: number;
  seconds: number;
}

export interface DoraExplanation {
  now: number;
  window: string;
  /** Exclusive start and inclusive end (epoch ms): a deployment counts when `start < time <= end`. */
  windowStart: number;
  windowEnd: number;
  /** Counted deployments, oldest first. */
  deployments: DeploymentExplanation[];
  /** Incidents started in the window and resolved by `now` (time to restore). */
  restores: RestoreExplanation[];
  /** The report's numbers these reproduce. */
  metrics: DoraReport | null;
  /** Each metric's rule, in words. */
  rules: Record<'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'failedDeploymentRecovery' | 'timeToRestore' | 'reworkRate', string>;
}

export interface DoraExplanationInput {
  deployments: readonly Deployment[];
  changesByDeployment: ReadonlyMap<string, readonly string[]>;
  commits: ReadonlyMap<string, Commit>;
  incidents: readonly Incident[];
  /** Incident id -> linked deployment (core/dora.ts linkIncidentsToDeployments, over deployments at or before now). */
  incidentDeployments: ReadonlyMap<string, string | null>;
  now: number;
  windowDays: number;
  /** The DORA report of the same window, carried along so a reader sees the numbers next to their inputs. */
  report: DoraReport | null;
}

export function explainDora(input: DoraExplanationInput): DoraExplanation {
  const { now, windowDays } = input;
  const window = doraWindow(now, windowDays);
  const existingIncidents = incidentsAsOf(input.incidents, now);
  const namesIncident = createIncidentIdMatcher(input.incidents.map((incident) => incident.id));
  const linked = incidentsByDeployment(existingIncidents, input.incidentDeployments);

  const counted = input.deployments.filter((deployment) => isInWindow(window, deployment.time)).sort(compareDeployments);
  const deployments = counted.map((deployment): DeploymentExplanation => {
    let reworked = false;
    const changes = (input.changesByDeployment.get(deployment.name) ?? []).map((sha): ChangeExplanation => {
      const commit = input.commits.get(sha);
      if (!commit) return { sha, subject: '', committedAt: null, leadTimeSeconds: null, revert: false, namesIncidents: [] };
      const rework = reworkOfChange(commit, namesIncident);
      if (isRework(rework)) reworked = true;
      return {
        sha,
        subject: commit.subject,
        committedAt: commit.time,
        leadTimeSeconds: secondsOrNull(leadTimeOfChange(deployment, commit)),
        revert: rework.revert,
        namesIncidents: [...rework.namedIncidents].sort(),
      };
    });
    const incidents = linked.get(deployment.name) ?? [];
    return {
      name: deployment.name,
      time: deployment.time,
      services: [...deployment.services],
      changes,
      incidents: incidents.map((incident) => ({ id: incident.id, severity: incident.severity, startedAt: incident.startedAt, resolvedAt: resolvedAsOf(incident, now) })),
      failed: isFailedDeployment(deployment, linked),
      reworked,
      recoverySeconds: secondsOrNull(recoveryOfDeployment(deployment, incidents, now)),
    };
  });

  const restores: RestoreExplanation[] = [];
  for (const incident of existingIncidents) {
    const restore = restoreOfIncident(incident, window);
    if (restore !== null) restores.push({ id: incident.id, startedAt: incident.startedAt, resolvedAt: resolvedAsOf(incident, now) as number, seconds: restore / 1000 });
  }

  return {
    now,
    window: `${windowDays}d`,
    windowStart: window.start,
    windowEnd: now,
    deployments,
    restores,
    metrics: input.report,
    rules: {
      deploymentFrequency: `deployments in the window / ${windowDays} days × 7`,
      leadTime: 'for each change of a counted deployment, deployment time − committer time (values ≤ 0 dropped); median and p90 (nearest rank)',
      changeFailureRate: 'failed deployments (with a linked incident) / deployments',
      failedDeploymentRecovery: 'for each failed deployment whose linked incidents are all resolved, the latest resolution − deployment time; median',
      timeToRestore: 'for incidents started in the window and resolved, resolvedAt − startedAt; median',
      reworkRate: 'deployments with a revert or a change naming a known incident id / deployments',
    },
  };
}

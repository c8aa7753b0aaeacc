// "Explain every number" for DORA (DOMAIN.md section 3): the deployments of the window, each with its
// changes (committer time, lead time), its linked incidents and whether it failed or was rework, and the
// incidents behind time to restore, so every metric of the DORA report can be recomputed by hand.
// Pure, over the same delivery data computeDora reads (core/deployments.ts, core/dora.ts).
import { compareDeployments } from './deployments';
import { isRevert } from './dora';
import { createIncidentIdMatcher } from './linking';
import type { Commit, Deployment, DoraReport, Incident, Severity } from './model';

const DAY_MS = 86_400_000;

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
  const windowStart = now - windowDays * DAY_MS;
  const inWindow = (time: number) => time > windowStart && time <= now;
  const existingIncidents = input.incidents.filter((incident) => incident.startedAt <= now);
  const resolvedAt = (incident: Incident) => (incident.resolvedAt !== null && incident.resolvedAt <= now ? incident.resolvedAt : null);
  const namesIncident = createIncidentIdMatcher(input.incidents.map((incident) => incident.id));

  const linked = new Map<string, Incident[]>();
  for (const incident of existingIncidents) {
    const deployment = input.incidentDeployments.get(incident.id);
    if (deployment) linked.set(deployment, [...(linked.get(deployment) ?? []), incident]);
  }

  const counted = input.deployments.filter((deployment) => deployment.time <= now && inWindow(deployment.time)).sort(compareDeployments);
  const deployments = counted.map((deployment): DeploymentExplanation => {
    const changes = (input.changesByDeployment.get(deployment.name) ?? []).map((sha): ChangeExplanation => {
      const commit = input.commits.get(sha);
      if (!commit) return { sha, subject: '', committedAt: null, leadTimeSeconds: null, revert: false, namesIncidents: [] };
      const lead = deployment.time - commit.time;
      return {
        sha,
        subject: commit.subject,
        committedAt: commit.time,
        leadTimeSeconds: lead > 0 ? lead / 1000 : null,
        revert: isRevert(commit),
        namesIncidents: [...namesIncident(`${commit.subject}\n${commit.body}`)].sort(),
      };
    });
    const incidents = linked.get(deployment.name) ?? [];
    let recoverySeconds: number | null = null;
    if (incidents.length > 0 && incidents.every((incident) => resolvedAt(incident) !== null)) {
      let latest = -Infinity;
      for (const incident of incidents) latest = Math.max(latest, resolvedAt(incident) as number);
      recoverySeconds = (latest - deployment.time) / 1000;
    }
    return {
      name: deployment.name,
      time: deployment.time,
      services: [...deployment.services],
      changes,
      incidents: incidents.map((incident) => ({ id: incident.id, severity: incident.severity, startedAt: incident.startedAt, resolvedAt: resolvedAt(incident) })),
      failed: incidents.length > 0,
      reworked: changes.some((change) => change.revert || change.namesIncidents.length > 0),
      recoverySeconds,
    };
  });

  const restores: RestoreExplanation[] = [];
  for (const incident of existingIncidents) {
    const resolved = resolvedAt(incident);
    if (resolved !== null && inWindow(incident.startedAt)) {
      restores.push({ id: incident.id, startedAt: incident.startedAt, resolvedAt: resolved, seconds: (resolved - incident.startedAt) / 1000 });
    }
  }

  return {
    now,
    window: `${windowDays}d`,
    windowStart,
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

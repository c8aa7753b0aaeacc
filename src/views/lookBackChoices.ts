// What "Reliability: Look Back To…" offers besides a typed date and time: the deployments and the
// incident starts of the data shown, newest first, each a moment to evaluate every view at. Pure, so
// the list is tested without an editor; commands.ts shows it.
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { formatAge, formatUtc } from '../core/format';
import { describeImpact } from '../core/impactText';
import { formatIncidentLabel, headlineDeploymentImpact } from './format';

export interface LookBackChoice {
  kind: 'deployment' | 'incident';
  /** The moment to look back to (epoch ms). */
  time: number;
  label: string;
  description: string;
  detail?: string;
}

/** How many of each a picker lists; older moments can be typed. */
export const LOOK_BACK_CHOICES = 30;

/** The deployments (with their impact, when assessed) and incident starts of the snapshots, newest first. */
export function lookBackChoices(snapshots: ReadonlyArray<{ name: string; snapshot: WorkspaceSnapshot }>): LookBackChoice[] {
  const several = snapshots.length > 1;
  const deployments: LookBackChoice[] = [];
  const incidents: LookBackChoice[] = [];
  for (const { name, snapshot } of snapshots) {
    const where = several ? ` · ${name}` : '';
    for (const deployment of snapshot.deployments.filter((candidate) => candidate.time <= snapshot.now)) {
      const impact = headlineDeploymentImpact((snapshot.deploymentImpacts ?? []).filter((entry) => entry.deployment === deployment.name && entry.time === deployment.time));
      deployments.push({
        kind: 'deployment',
        time: deployment.time,
        label: deployment.name,
        description: `${formatUtc(deployment.time)} · ${formatAge(deployment.time, snapshot.now)}${where}`,
        detail: impact && impact.impact.length ? `${impact.verdict}${impact.suspect ? ' (suspect)' : ''} · ${describeImpact(impact)}` : undefined,
      });
    }
    for (const incident of snapshot.incidents.filter((candidate) => candidate.startedAt <= snapshot.now)) {
      incidents.push({
        kind: 'incident',
        time: incident.startedAt,
        label: `${formatIncidentLabel(incident)} starts`,
        description: `${formatUtc(incident.startedAt)} · ${formatAge(incident.startedAt, snapshot.now)}${where}`,
        detail: incident.title,
      });
    }
  }
  const newestFirst = (a: LookBackChoice, b: LookBackChoice) => b.time - a.time;
  return [...deployments.sort(newestFirst).slice(0, LOOK_BACK_CHOICES), ...incidents.sort(newestFirst).slice(0, LOOK_BACK_CHOICES)];
}

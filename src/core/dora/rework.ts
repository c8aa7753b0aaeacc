// Rework rate (DOMAIN.md section 3): the share of the window's deployments that shipped rework, a
// change that is a revert or whose message names a known incident id.
import type { Commit, Deployment } from '../model';

/** A revert as git writes one: `Revert "subject"`, or a body that says which commit it reverts. */
export function isRevert(commit: Commit): boolean {
  return commit.subject.startsWith('Revert "') || commit.body.includes('This reverts commit');
}

export interface ChangeRework {
  revert: boolean;
  /** Known incident ids the message names. */
  namedIncidents: ReadonlySet<string>;
}

/** Why a change is rework, if it is: `namesIncident` is linking.ts createIncidentIdMatcher over the known ids. */
export function reworkOfChange(commit: Commit, namesIncident: (message: string) => Set<string>): ChangeRework {
  return { revert: isRevert(commit), namedIncidents: namesIncident(`${commit.subject}\n${commit.body}`) };
}

export function isRework(change: ChangeRework): boolean {
  return change.revert || change.namedIncidents.size > 0;
}

/** Whether a deployment shipped rework; changes outside the history read are not. */
export function isReworkDeployment(
  changes: readonly string[],
  commits: ReadonlyMap<string, Commit>,
  namesIncident: (message: string) => Set<string>,
): boolean {
  return changes.some((sha) => {
    const commit = commits.get(sha);
    return commit !== undefined && isRework(reworkOfChange(commit, namesIncident));
  });
}

/** Deployments that shipped rework / deployments; null without deployments. */
export function reworkRate(deployments: readonly Deployment[], reworked: (deployment: Deployment) => boolean): number | null {
  return deployments.length === 0 ? null : deployments.filter(reworked).length / deployments.length;
}

// Revisions named in the workspace's files (deployments.yaml commits, incidents' root-cause commits,
// a base branch) resolved to full commit SHAs in one `git cat-file --batch-check`.
import { isCommitPrefix } from '../../core/deployments';
import type { Deployment, Incident } from '../../core/model';
import { repositoryLayout } from './layout';
import { runGit } from './process';

/**
 * Full commit SHAs for revisions (branch, tag, short SHA...) in one `git cat-file --batch-check`;
 * a revision that names no commit (missing or ambiguous) maps to null.
 */
export async function resolveRevisions(root: string, revisions: readonly string[], signal?: AbortSignal): Promise<Map<string, string | null>> {
  const layout = await repositoryLayout(root);
  const resolved = new Map<string, string | null>();
  const unique = [...new Set(revisions)].filter((revision) => !/[\n\0]/.test(revision) && revision.length > 0);
  if (unique.length === 0) return resolved;
  const output = await runGit(
    layout.topLevel,
    ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
    unique.map((revision) => `${revision}^{commit}`).join('\n') + '\n',
    signal,
  );
  const lines = output.split('\n');
  unique.forEach((revision, index) => {
    const [sha, type] = (lines[index] ?? '').split(' ');
    resolved.set(revision, type === 'commit' && /^[0-9a-f]{40}$/.test(sha) ? sha : null);
  });
  return resolved;
}

/**
 * Deployments read from deployments.yaml name their commit by any revision; this replaces it with
 * the full SHA. One that names no commit is dropped, with a warning the caller can show.
 */
export async function resolveDeploymentCommits(
  root: string,
  deployments: readonly Deployment[],
): Promise<{ deployments: Deployment[]; warnings: string[] }> {
  const resolved = await resolveRevisions(root, deployments.map((deployment) => deployment.commit));
  const warnings: string[] = [];
  const kept: Deployment[] = [];
  for (const deployment of deployments) {
    const sha = resolved.get(deployment.commit) ?? null;
    if (sha === null) warnings.push(`deployment ${deployment.name} names commit "${deployment.commit}", which is not in this repository; it is left out`);
    else kept.push({ ...deployment, commit: sha });
  }
  return { deployments: kept, warnings };
}

/**
 * Incidents' root-cause prefixes resolved to full commit SHAs (null for one that names no commit, or
 * names several), with a warning for each that is malformed or names nothing. Such a commit is ignored
 * for linking (core/dora/linkedIncidents.ts and core/linking.ts match only commits that exist).
 */
export async function resolveRootCauses(
  root: string,
  incidents: readonly Incident[],
  signal?: AbortSignal,
): Promise<{ rootCauses: Map<string, string | null>; warnings: string[] }> {
  const wellFormed = incidents.flatMap((incident) => incident.commits.filter(isCommitPrefix));
  const resolved = await resolveRevisions(root, wellFormed, signal);
  const rootCauses = new Map<string, string | null>();
  const warnings: string[] = [];
  for (const incident of incidents) {
    for (const commit of incident.commits) {
      rootCauses.set(commit, resolved.get(commit) ?? null);
      if (!isCommitPrefix(commit)) {
        warnings.push(`incident ${incident.id} lists root-cause commit "${commit}", which is not 7 to 40 hex characters; it is ignored`);
      } else if ((resolved.get(commit) ?? null) === null) {
        warnings.push(`incident ${incident.id} lists root-cause commit ${commit}, which is not in this repository (or is ambiguous); it is ignored`);
      }
    }
  }
  return { rootCauses, warnings };
}

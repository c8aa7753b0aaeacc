// Branches and the change under review, for the merge check: the base's commit, the change's files
// and commits, the current and default branch, and the merge base.
import * as path from 'node:path';
import type { Commit } from '../../core/model';
import { DetachedHeadError, UnknownRefError } from './errors';
import { commitFromFields, LOG_FORMAT, NulRecordReader } from './history';
import { repositoryLayout, requireFullHistory } from './layout';
import { gitAt, streamGit } from './process';
import { resolveRevisions } from './revisions';

/**
 * The commit a base names, as a full SHA: the later git commands get the SHA, so a name from
 * `--base` or config.yaml is never read as an option. Throws ShallowCloneError in a shallow clone
 * (where the branch left its base may be cut off, and the check would quietly see no change) and
 * UnknownRefError when the name is no commit.
 */
export async function resolveBase(root: string, base: string): Promise<string> {
  const layout = await repositoryLayout(root);
  await requireFullHistory(layout, 'the change can be compared with its base');
  const sha = (await resolveRevisions(layout.topLevel, [base])).get(base) ?? null;
  if (sha === null) throw new UnknownRefError(base);
  return sha;
}

/**
 * The change under review against `base`: its files (`git diff --name-only BASE...HEAD`, relative to
 * root; skipped when `files` is false, as when services are named instead) and its commits (BASE..HEAD,
 * newest first, with their messages). The base is resolved once for both reads. `head` (default HEAD)
 * names the tip of the change: a CI job that checked out a pull request's merge commit names the
 * pull request's own head, so the synthetic merge commit is not a commit of the change.
 */
export async function readChange(root: string, base: string, options: { files: boolean; head?: string }): Promise<{ files: string[]; commits: Commit[] }> {
  const sha = await resolveBase(root, base);
  const layout = await repositoryLayout(root);
  const head = options.head === undefined ? 'HEAD' : await headCommit(layout.topLevel, options.head);
  const readFiles = async () => {
    if (!options.files) return [];
    const output = await (await gitAt(path.resolve(root))).raw(['diff', '--name-only', '--relative', '-z', `${sha}...${head}`]);
    return output.split('\0').filter((name) => name.length > 0);
  };
  const readCommits = async () => {
    const commits: Commit[] = [];
    const reader = new NulRecordReader(5, (fields) => commits.push(commitFromFields(fields)));
    await streamGit(layout.topLevel, ['log', '-z', '--no-show-signature', LOG_FORMAT, `${sha}..${head}`, '--'], (chunk) => reader.push(chunk));
    reader.finish();
    return commits;
  };
  const [files, commits] = await Promise.all([readFiles(), readCommits()]);
  return { files, commits };
}

/** The commit a head revision names, as a full SHA (never read as an option); UnknownRefError when it is none. */
async function headCommit(topLevel: string, head: string): Promise<string> {
  const sha = (await resolveRevisions(topLevel, [head])).get(head) ?? null;
  if (sha === null) throw new UnknownRefError(head);
  return sha;
}

/** The branch checked out; throws DetachedHeadError when HEAD names a commit, not a branch. */
export async function currentBranch(root: string): Promise<string> {
  const layout = await repositoryLayout(root);
  // `symbolic-ref --quiet` on a detached HEAD exits 1 without a word, which simple-git resolves as empty output.
  const branch = await (await gitAt(layout.topLevel))
    .raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])
    .catch(() => '');
  if (branch.length === 0) throw new DetachedHeadError();
  return branch;
}

/** The merge base of HEAD and `base`; throws UnknownRefError for an unknown base. */
export async function mergeBase(root: string, base: string): Promise<string> {
  const sha = await resolveBase(root, base);
  return (await gitAt((await repositoryLayout(root)).topLevel)).raw(['merge-base', sha, 'HEAD']);
}

/**
 * The branch changes merge into: what origin/HEAD points at (`origin/main`), else a local `main`
 * or `master`, else their `origin/` counterparts.
 */
export async function defaultBranch(root: string): Promise<string> {
  const layout = await repositoryLayout(root);
  const git = await gitAt(layout.topLevel);
  // Both commands exit 1 silently when the ref is missing; simple-git then resolves with empty output.
  const remoteHead = await git.raw(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']).catch(() => '');
  if (remoteHead.length > 0) return remoteHead;
  for (const candidate of ['refs/heads/main', 'refs/heads/master', 'refs/remotes/origin/main', 'refs/remotes/origin/master']) {
    const sha = await git.raw(['rev-parse', '--verify', '--quiet', candidate]).catch(() => '');
    if (sha.length > 0) return candidate.replace(/^refs\/(heads|remotes)\//, '');
  }
  throw new UnknownRefError('main', 'no default branch: origin/HEAD is not set and no main or master branch exists; name the base with --base');
}

/**
 * A branch named in configuration as it exists here: `name` itself, else `origin/name` (a CI checkout
 * often has only the remote's branch); null when neither names a commit.
 */
export async function existingBranch(root: string, name: string): Promise<string | null> {
  const candidates = name.startsWith('origin/') ? [name] : [name, `origin/${name}`];
  const resolved = await resolveRevisions(root, candidates);
  return candidates.find((candidate) => (resolved.get(candidate) ?? null) !== null) ?? null;
}

/**
 * The revision a CI job compares a pull request with, given its base branch's name: the remote's
 * `origin/NAME` first (what the job fetched; a local branch of that name may be absent or stale), then
 * NAME itself; null when neither resolves.
 */
export async function remoteFirstBranch(root: string, name: string): Promise<string | null> {
  const candidates = name.startsWith('origin/') ? [name] : [`origin/${name}`, name];
  const resolved = await resolveRevisions(root, candidates);
  return candidates.find((candidate) => (resolved.get(candidate) ?? null) !== null) ?? null;
}

/** Whether a revision names a commit of the repository (a pull request's head SHA, say). */
export async function revisionExists(root: string, revision: string): Promise<boolean> {
  return ((await resolveRevisions(root, [revision])).get(revision) ?? null) !== null;
}

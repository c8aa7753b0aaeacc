// One file: the recent commits that touched it (for the file lens) and the lines each still owns.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileCommit } from '../../core/linking';
import { FileOutsideRepositoryError, PartialCloneContentError } from './errors';
import { NulRecordReader, withoutTrailingNewlines } from './history';
import { repositoryLayout, type RepositoryLayout } from './layout';
import { GitCommandError, gitAt, runGit, streamGit } from './process';

async function headSha(cwd: string): Promise<string | null> {
  // An unborn HEAD makes `rev-parse --verify --quiet` exit 1 silently: simple-git resolves with ''.
  const sha = await (await gitAt(cwd))
    .revparse(['--verify', '--quiet', 'HEAD^{commit}'])
    .catch(() => '');
  return sha.length > 0 ? sha : null;
}

/** The file as a `/`-separated path relative to the repository top level; throws when it is outside. */
async function repositoryPath(root: string, file: string): Promise<{ layout: RepositoryLayout; relative: string }> {
  const layout = await repositoryLayout(root);
  let absolute = path.resolve(root, file);
  // The top level comes back from git with symlinks resolved (macOS /tmp, /var); resolve the file's side too.
  for (let probe = absolute, rest = ''; ; ) {
    try {
      absolute = path.join(await fs.realpath(probe), rest);
      break;
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) break;
      rest = path.join(path.basename(probe), rest);
      probe = parent;
    }
  }
  const relative = path.relative(layout.topLevel, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new FileOutsideRepositoryError(file, layout.topLevel);
  }
  return { layout, relative: relative.split(path.sep).join('/') };
}

/** Git's message may quote the remote's address: never its user name or password. */
function withoutCredentials(message: string): string {
  return message.replace(/\/\/[^\s/@]*@/g, '//');
}

/** Whether the repository was cloned with a filter: objects may be missing and fetched on demand. */
async function isPartialClone(topLevel: string): Promise<boolean> {
  const output = await runGit(topLevel, ['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$']).catch(() => '');
  return output.trim().length > 0;
}

/** Git times are whole seconds and `--since` is inclusive: the first second strictly after `ms`. */
function firstSecondAfter(ms: number): number {
  return Math.floor(ms / 1000) + 1;
}

/**
 * A `--since` or `--until` option naming exactly this second, as an ISO date with its zone. Not
 * `@SECONDS`: git reads a number of fewer than nine digits after @ (a time before 1973, which a
 * `recentDays` of 20,000 reaches) as something else, and the window silently came back empty. A
 * second before 1970 is left out (git's times start there); callers check the window themselves.
 */
function gitTimeLimit(option: '--since' | '--until', seconds: number): string[] {
  if (!Number.isFinite(seconds) || seconds < 0) return [];
  return [`${option}=${new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`];
}

/**
 * Commits in the history of HEAD that touched the file with committer time in (sinceMs, untilMs],
 * newest first. Git's --since/--until narrow the walk; the window is checked again here on the
 * parsed times so the bounds are exactly the ones DOMAIN.md names.
 */
export async function recentCommitsOfFile(root: string, file: string, sinceMs: number, untilMs: number, signal?: AbortSignal): Promise<FileCommit[]> {
  const { layout, relative } = await repositoryPath(root, file);
  const commits: FileCommit[] = [];
  const reader = new NulRecordReader(6, ([sha, time, parents, author, subject, body]) => {
    const commitTime = Number(time) * 1000;
    if (commitTime <= sinceMs || commitTime > untilMs) return;
    commits.push({
      sha,
      time: commitTime,
      parents: parents.length === 0 ? [] : parents.split(' '),
      author,
      subject,
      body: withoutTrailingNewlines(body),
    });
  });
  // HEAD is asked about only when the log fails: a repository without commits has no recent changes,
  // and opening a file does not wait for one more git process in turn (the lens's first git read).
  const log = streamGit(
    layout.topLevel,
    [
      'log',
      '-z',
      '--no-show-signature',
      '--format=%H%x00%ct%x00%P%x00%an%x00%s%x00%b',
      ...gitTimeLimit('--since', firstSecondAfter(sinceMs)),
      ...gitTimeLimit('--until', Math.floor(untilMs / 1000)),
      'HEAD',
      '--',
      relative,
    ],
    (chunk) => reader.push(chunk),
    undefined,
    signal,
  );
  try {
    await log;
  } catch (error) {
    if (error instanceof GitCommandError && (await headSha(layout.topLevel)) === null) return [];
    throw error;
  }
  reader.finish();
  return commits;
}

function addRange(ranges: Map<string, Array<[number, number]>>, sha: string, first: number, count: number): void {
  const list = ranges.get(sha);
  if (list) list.push([first, first + count - 1]);
  else ranges.set(sha, [[first, first + count - 1]]);
}

/** Sorted ranges with touching or overlapping neighbours joined. */
function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/**
 * The 1-based inclusive line ranges each commit newer than `sinceMs` still owns in the WORKING file
 * (uncommitted edits included: `git blame` without a revision reads the working tree). Lines older
 * than the window stay with the boundary commit and uncommitted lines with the zero SHA; both are
 * left out. A file git cannot blame (untracked, deleted) owns nothing.
 */
export async function blameRecentLines(root: string, file: string, sinceMs: number, signal?: AbortSignal): Promise<Map<string, Array<[number, number]>>> {
  const { layout, relative } = await repositoryPath(root, file);
  let output: string;
  try {
    output = await runGit(layout.topLevel, ['blame', '--incremental', ...gitTimeLimit('--since', firstSecondAfter(sinceMs)), '--', relative], undefined, signal);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    // A partial clone fetches old versions of the file on demand; when that fails the lens would
    // silently own nothing, so it says why instead. Any other failure: a file git cannot blame.
    if (await isPartialClone(layout.topLevel)) throw new PartialCloneContentError(relative, withoutCredentials(error.stderr.trim().split('\n').pop() ?? ''));
    return new Map();
  }
  const raw = new Map<string, Array<[number, number]>>();
  const boundaries = new Set<string>();
  let current: string | null = null;
  for (const line of output.split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ (\d+) (\d+)$/.exec(line);
    if (header) {
      current = header[1];
      addRange(raw, current, Number(header[2]), Number(header[3]));
    } else if (line === 'boundary' && current) {
      boundaries.add(current);
    }
  }
  const ranges = new Map<string, Array<[number, number]>>();
  for (const [sha, list] of raw) {
    if (boundaries.has(sha) || /^0+$/.test(sha)) continue;
    ranges.set(sha, mergeRanges(list));
  }
  return ranges;
}


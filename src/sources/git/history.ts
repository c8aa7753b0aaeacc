// Delivery history: the commits reachable from tags, HEAD and deployments, and the tags, read in two
// processes (one streamed `git log` over the tags, one `git for-each-ref`) and cached per repository
// under a key made from HEAD and the refs on disk, so asking again costs a few stats.
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CommitGraph, CommitPrefixIndex, deploymentTagPatterns, deploymentsFromTags, tagPatternMatcher } from '../../core/deployments';
import type { GitTag } from '../../core/deployments';
import type { Commit, Deployment, ServiceConfig } from '../../core/model';
import { NoMatchingTagError } from './errors';
import { gitDirectoriesOnDisk, probeRepository, refsFingerprint, rememberProbedLayout, repositoryLayout, requireFullHistory } from './layout';
import { runGit, streamGitThroughFile } from './process';

/**
 * Splits a stream of NUL-terminated fields into records of `fieldCount` fields. With `-z` and a
 * `--format` whose fields are joined by %x00, git terminates each commit with a NUL, which ends
 * the last field; commit messages cannot contain NUL, so no field can be cut short.
 */
export class NulRecordReader {
  // Decodes chunk by chunk: a character split between two chunks is held back until it is whole.
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private fields: string[] = [];

  constructor(
    private readonly fieldCount: number,
    private readonly onRecord: (fields: string[]) => void,
  ) {}

  push(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\0', start); end !== -1; end = text.indexOf('\0', start)) {
      this.take(text.slice(start, end));
      start = end + 1;
    }
    this.pending = text.slice(start);
  }

  /** Fails loudly on a truncated stream rather than returning a history with a commit missing. */
  finish(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0 || this.fields.length > 0) throw new Error('git output ended inside a record');
  }

  private take(field: string): void {
    this.fields.push(field);
    if (this.fields.length === this.fieldCount) {
      // One array for every record: the callback reads the fields at once and must not keep the array.
      this.onRecord(this.fields);
      this.fields.length = 0;
    }
  }
}

export interface GitHistory {
  /** Absolute path of the repository's top level. */
  topLevel: string;
  /** Full SHA of HEAD; null in a repository without commits. */
  head: string | null;
  /** Every commit reachable from a tag, HEAD, or an extra revision asked for. */
  commits: Map<string, Commit>;
  /** The same commits numbered for walks (core/deployments.ts computeDelivery), built while git printed them. */
  graph: CommitGraph;
  /** Resolves incidents' commit prefixes against these commits, remembering its answers for the next question. */
  commitPrefixes: CommitPrefixIndex;
  /** Tags that name commits, peeled (nested tags and tags of trees or blobs are left out). */
  tags: GitTag[];
}

interface CachedHistory {
  /** The refs fingerprint the history was read under; null when refs moved during the read (never reused). */
  key: Promise<string | null>;
  history: Promise<GitHistory>;
}

// Entries are set before the read starts, so a second caller arriving meanwhile (the engine starts
// the read early, then asks again) waits for the same read instead of starting another.
const histories = new Map<string, Promise<CachedHistory>>();

// Each commit is five NUL-terminated fields. The body is read in the same pass: measured on 50,000
// commits, a second `git log --no-walk --stdin` for just the deployed changes cost more than the
// extra bytes of one pass (see test/bench/gitBench.ts).
export const LOG_FORMAT = '--format=%H%x00%ct%x00%P%x00%s%x00%b';

/** A commit from the five fields of LOG_FORMAT. */
export function commitFromFields([sha, time, parents, subject, body]: string[]): Commit {
  return {
    sha,
    time: Number(time) * 1000,
    parents: parents.length === 0 ? [] : parents.split(' '),
    subject,
    body: withoutTrailingNewlines(body),
  };
}

export function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The commits of a history and their graph, which always travel together. */
type CommitsAndGraph = Pick<GitHistory, 'commits' | 'graph'>;

/** Commits reachable from `startingPoints` (command-line revisions such as `--tags HEAD`) and the extra SHAs. */
async function readCommits(cwd: string, startingPoints: readonly string[], extraRevisions: readonly string[]): Promise<CommitsAndGraph> {
  const commits = new Map<string, Commit>();
  // Numbered as they arrive, while git still prints: the walks over the graph then start at once.
  const graph = new CommitGraph();
  const reader = new NulRecordReader(5, (fields) => {
    const commit = commitFromFields(fields);
    commits.set(commit.sha, commit);
    graph.add(commit);
  });
  // `--` keeps a file named like a revision (a file called HEAD) from making the arguments ambiguous.
  await streamGitThroughFile(
    cwd,
    ['log', '-z', LOG_FORMAT, '--stdin', ...startingPoints, '--'],
    (chunk) => reader.push(chunk),
    extraRevisions.length > 0 ? extraRevisions.join('\n') + '\n' : '',
  );
  reader.finish();
  return { commits, graph };
}

const TAG_FORMAT = '--format=%(objecttype)%00%(*objecttype)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)%00%(refname)';

async function readTags(cwd: string): Promise<GitTag[]> {
  const output = await runGit(cwd, ['for-each-ref', TAG_FORMAT, 'refs/tags']);
  const tags: GitTag[] = [];
  for (const line of output.split('\n')) {
    if (line.length === 0) continue;
    const [type, peeledType, objectName, peeledName, creatorDate, refName] = line.split('\0');
    // For an annotated tag the creator date is the tagger date; for a lightweight one, the commit's committer date.
    const time = Number(creatorDate) * 1000;
    const name = refName.slice('refs/tags/'.length);
    if (type === 'commit') tags.push({ name, commit: objectName, time, annotated: false });
    else if (type === 'tag' && peeledType === 'commit') tags.push({ name, commit: peeledName, time, annotated: true });
  }
  return tags;
}

/**
 * Reads tags, HEAD and the commit graph. The processes start at once, side by side with finding
 * the repository's layout: on a cold start the graph read is nearly all the time there is, so
 * nothing waits in front of it. The refs fingerprint is taken before and after; a history read
 * while refs moved is returned but never reused.
 */
async function readHistoryFresh(directory: string, extraRevisions: readonly string[]): Promise<CachedHistory> {
  // The fingerprint must be taken before the reads start, or a ref moving in between would be
  // cached as read. Finding the git directories on disk takes a millisecond where rev-parse takes a
  // process; rev-parse still runs (alongside the reads) and must agree, or nothing is cached.
  const guessed = await gitDirectoriesOnDisk(directory);
  const before = guessed ? await refsFingerprint(guessed) : null;
  // The commit graph first: it is nearly all the time there is, so its process starts before the others.
  const commitsAndGraph = readCommits(directory, ['--tags', 'HEAD'], extraRevisions).catch(async (error: unknown) => {
    // A repository without commits has no HEAD to start from: read from the tags alone, if any.
    if ((await head.catch(() => null)) !== null) throw error;
    return (await tags.catch(() => [])).length > 0 ? readCommits(directory, ['--tags'], extraRevisions) : { commits: new Map<string, Commit>(), graph: new CommitGraph() };
  });
  // HEAD and the layout come from one rev-parse; a layout already known is not asked again.
  const probe = probeRepository(directory);
  const head = probe.then(({ head: sha }) => sha);
  rememberProbedLayout(directory, probe);
  const tags = readTags(directory);
  // The reads may fail only because the directory is no repository; the layout below says so first.
  for (const read of [head, tags, commitsAndGraph]) read.catch(() => undefined);

  let resolveKey: (key: string | null) => void = () => undefined;
  const key = new Promise<string | null>((resolve) => (resolveKey = resolve));
  const history = (async (): Promise<GitHistory> => {
    try {
      const layout = await repositoryLayout(directory);
      await requireFullHistory(layout);
      const { commits, graph } = await commitsAndGraph;
      const result = { topLevel: layout.topLevel, head: await head, commits, graph, commitPrefixes: new CommitPrefixIndex(commits), tags: await tags };
      const after = await refsFingerprint(layout);
      const sameDirectories = guessed?.gitDir === layout.gitDir && guessed.commonDir === layout.commonDir;
      resolveKey(sameDirectories && before === after ? before : null);
      return result;
    } catch (error) {
      resolveKey(null);
      throw error;
    }
  })();
  return { key, history };
}

/**
 * The commits reachable from tags, HEAD and `extraRevisions` (full SHAs of deployments read from
 * deployments.yaml or GitHub), and the tags. Cached until HEAD or a ref changes.
 * Throws NotAGitRepositoryError, or ShallowCloneError since a shallow history cannot say what each
 * deployment shipped.
 */
export async function readHistory(root: string, extraRevisions: readonly string[] = []): Promise<GitHistory> {
  const directory = path.resolve(root);
  const cacheName = `${directory}\n${[...extraRevisions].sort().join(' ')}`;
  const cached = histories.get(cacheName);
  if (cached) {
    const entry = await cached;
    const key = await entry.key;
    if (key !== null && key === (await refsFingerprint(await repositoryLayout(directory)))) return entry.history;
    // Stale. Another caller may have started the fresh read while this one looked: share it.
    if (histories.get(cacheName) !== cached) return readHistory(root, extraRevisions);
  }
  const fresh = readHistoryFresh(directory, extraRevisions);
  histories.set(cacheName, fresh);
  fresh.catch(() => {
    if (histories.get(cacheName) === fresh) histories.delete(cacheName);
  });
  return (await fresh).history;
}

/**
 * Starts reading the history readHistory(root) returns, if no read of it is cached or running, and
 * resolves once git is running rather than when it is done: a caller about to do synchronous work
 * of its own (parsing `.reliability/`) lets git start first. Failures are left to readHistory.
 */
export async function prefetchHistory(root: string): Promise<void> {
  const directory = path.resolve(root);
  const cacheName = `${directory}\n`;
  if (!histories.has(cacheName)) readHistory(directory).catch(() => undefined);
  await histories.get(cacheName)?.catch(() => undefined);
}

/**
 * Deployments from the tags matching the workspace pattern and the services' own patterns, at or
 * before `now`, with the history they were computed from. Throws NoMatchingTagError when no tag at
 * all matches any pattern in use (a pattern typo should not look like "no deployments").
 */
export async function readTagDeployments(
  root: string,
  options: { tagPattern: string; services: readonly ServiceConfig[]; now: number },
): Promise<{ history: GitHistory; deployments: Deployment[] }> {
  const history = await readHistory(root);
  const patterns = deploymentTagPatterns(options.tagPattern, options.services);
  const matchers = patterns.map(tagPatternMatcher);
  if (!history.tags.some((tag) => matchers.some((matcher) => matcher.test(tag.name)))) {
    throw new NoMatchingTagError(patterns, history.tags.map((tag) => tag.name).sort());
  }
  return { history, deployments: deploymentsFromTags(history.tags, options) };
}

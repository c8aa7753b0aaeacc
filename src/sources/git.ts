// Git access for delivery history, file lenses and the merge check. The history a DORA report needs
// is read in two processes (one streamed `git log` over the tags, one `git for-each-ref`) and cached
// per repository under a key made from HEAD and the refs on disk, so asking again costs a few stats.
// Small questions (rev-parse, diff --name-only, symbolic-ref) go through simple-git.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { SimpleGit } from 'simple-git';
import { CommitGraph, deploymentTagPatterns, deploymentsFromTags, isCommitPrefix, registerCommitGraph, tagPatternMatcher } from '../core/deployments';
import type { GitTag } from '../core/deployments';
import type { FileCommit } from '../core/linking';
import type { Commit, Deployment, Incident, ServiceConfig } from '../core/model';

// ---- Errors: one class per situation, each with a one-line message a person can act on ----------

export class GitSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotAGitRepositoryError extends GitSourceError {
  constructor(readonly directory: string) {
    super(`${directory} is not inside a git repository`);
  }
}

export class ShallowCloneError extends GitSourceError {
  constructor(
    readonly presentCommits: number,
    /** What the missing history is needed for, ending the sentence "run `git fetch --unshallow` so ...". */
    purpose = 'delivery history can be read',
  ) {
    super(
      `this is a shallow clone with only ${presentCommits} commit${presentCommits === 1 ? '' : 's'} present; ` +
        `run \`git fetch --unshallow\` so ${purpose}`,
    );
  }
}

export class NoMatchingTagError extends GitSourceError {
  constructor(
    readonly patterns: string[],
    readonly existingTags: string[],
  ) {
    const shown = existingTags.slice(0, 10);
    const listing =
      existingTags.length === 0
        ? 'the repository has no tags'
        : `tags that exist: ${shown.join(', ')}${existingTags.length > shown.length ? `, ... (${existingTags.length} in all)` : ''}`;
    super(`no tag matches ${patterns.map((pattern) => `"${pattern}"`).join(' or ')}; ${listing}`);
  }
}

export class DetachedHeadError extends GitSourceError {
  constructor() {
    super('HEAD is detached; check out a branch, or name the base with --base');
  }
}

export class FileOutsideRepositoryError extends GitSourceError {
  constructor(readonly file: string, readonly repository: string) {
    super(`${file} is outside the git repository at ${repository}`);
  }
}

export class UnknownRefError extends GitSourceError {
  constructor(readonly ref: string, detail?: string) {
    super(detail ?? `unknown git ref "${ref}": no branch, tag or commit has that name`);
  }
}

// ---- Processes ---------------------------------------------------------------------------------------

/**
 * The environment of every git process. LC_ALL=C: messages and dates in one language to parse.
 * GIT_LITERAL_PATHSPECS: paths come from the user (`lens FILE`) and from the repository, and a path
 * such as `:(glob)**` must name that file, not every file a pathspec matches.
 */
function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_LITERAL_PATHSPECS: '1', ...extra };
}

class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed: ${stderr.trim().split('\n')[0] || `exit code ${exitCode}`}`);
  }
}

/** Runs git, handing stdout's bytes to `onData` as they arrive; rejects with the first stderr line on failure. */
function streamGit(cwd: string, args: readonly string[], onData: (chunk: Buffer) => void, input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // GIT_FLUSH=0: writing to a pipe, git otherwise flushes after every commit, and 50,000 commits
    // arrive as 20,000 small chunks that cost node three times the CPU of 1,500 large ones.
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: gitEnvironment({ GIT_FLUSH: '0' }) });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GitCommandError(args, code, stderr))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** How long to wait for git to write more when the output file has no new bytes. */
const OUTPUT_POLL_MS = 2;
/** Bytes read from the output file at a time. */
const OUTPUT_READ_BYTES = 1 << 18;

/**
 * Runs git like streamGit, but with stdout going to a temporary file that is read as it grows.
 * For output of megabytes (the commit graph): a pipe holds 64 KB, so whenever node's one thread is
 * busy (evaluating modules, parsing `.reliability/`, which the CLI does while git runs) git filled
 * the pipe within milliseconds and waited; measured on 50,000 commits, `git log` took half as long
 * again as on its own. A file never makes git wait, and node reads what has arrived when it is free.
 */
async function streamGitThroughFile(cwd: string, args: readonly string[], onData: (chunk: Buffer) => void, input?: string): Promise<void> {
  let directory: string | undefined;
  let output: fs.FileHandle;
  try {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'reliability-lens-git-'));
    output = await fs.open(path.join(directory, 'stdout'), 'w+');
  } catch {
    // No writable temporary folder: slower through the pipe, but the same output.
    if (directory) await fs.rm(directory, { recursive: true, force: true }).catch(() => undefined);
    return streamGit(cwd, args, onData, input);
  }
  try {
    const exit = new Promise<void>((resolve, reject) => {
      const child = spawn('git', args, { cwd, stdio: ['pipe', output.fd, 'pipe'], env: gitEnvironment() });
      let stderr = '';
      // Both exist (stdio 'pipe'); the types cannot tell with a file descriptor in the list.
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new GitCommandError(args, code, stderr))));
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input ?? '');
    });
    let exited = false;
    const settled = exit.then(
      () => (exited = true),
      () => (exited = true),
    );
    for (let position = 0; ; ) {
      // Whether git had exited is taken before the read: a read after the exit sees every byte.
      const finished = exited;
      // A fresh buffer each time: the caller may keep what it was handed.
      const buffer = Buffer.allocUnsafe(OUTPUT_READ_BYTES);
      const { bytesRead } = await output.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        onData(buffer.subarray(0, bytesRead));
      } else if (finished) {
        break;
      } else {
        await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, OUTPUT_POLL_MS))]);
      }
    }
    await exit;
  } finally {
    await output.close();
    await fs.rm(directory, { recursive: true, force: true });
  }
}

async function runGit(cwd: string, args: readonly string[], input?: string): Promise<string> {
  const chunks: Buffer[] = [];
  await streamGit(cwd, args, (chunk) => chunks.push(chunk), input);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Splits a stream of NUL-terminated fields into records of `fieldCount` fields. With `-z` and a
 * `--format` whose fields are joined by %x00, git terminates each commit with a NUL, which ends
 * the last field; commit messages cannot contain NUL, so no field can be cut short.
 */
class NulRecordReader {
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

// ---- Repository discovery ------------------------------------------------------------------------------

interface RepositoryLayout {
  /** Absolute path of the working tree's top level. */
  topLevel: string;
  /** The worktree's git directory (holds HEAD). */
  gitDir: string;
  /** The shared git directory (holds refs, packed-refs, shallow). */
  commonDir: string;
}

const layouts = new Map<string, Promise<RepositoryLayout>>();

/**
 * simple-git for the small questions, loaded on first use: reading delivery history spawns git
 * itself, and evaluating simple-git before that delayed the start of `git log` on every CLI run.
 */
async function gitAt(directory: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: directory, trimmed: true });
}

/**
 * The layout and HEAD from one `git rev-parse` (one process fewer on a cold start). HEAD is null in a
 * repository without commits: `--verify --quiet` then exits 1 silently after printing the layout.
 */
function probeRepository(directory: string): Promise<{ layout: RepositoryLayout; head: string | null }> {
  return new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
    const child = spawn('git', ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--verify', '--quiet', 'HEAD^{commit}'], {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: gitEnvironment(),
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
  }).then(
    async ({ stdout, code }) => {
      const lines = stdout.split('\n');
      if ((code !== 0 && code !== 1) || lines.length < 4) throw new NotAGitRepositoryError(directory);
      const [topLevel, gitDir, commonDir, head] = lines;
      const layout = { topLevel, gitDir: await fs.realpath(gitDir), commonDir: await fs.realpath(path.resolve(directory, commonDir)) };
      return { layout, head: code === 0 && /^[0-9a-f]{40}$/.test(head) ? head : null };
    },
    () => {
      throw new NotAGitRepositoryError(directory);
    },
  );
}

async function repositoryLayout(root: string): Promise<RepositoryLayout> {
  const directory = path.resolve(root);
  let cached = layouts.get(directory);
  if (!cached) {
    cached = (async () => {
      try {
        const stat = await fs.stat(directory);
        if (!stat.isDirectory()) throw new NotAGitRepositoryError(directory);
        const [topLevel, gitDir, commonDir] = (
          await (await gitAt(directory)).revparse(['--show-toplevel', '--absolute-git-dir', '--git-common-dir'])
        ).split('\n');
        // Real paths, so they compare equal to the ones found on disk by gitDirectoriesOnDisk.
        return { topLevel, gitDir: await fs.realpath(gitDir), commonDir: await fs.realpath(path.resolve(directory, commonDir)) };
      } catch (error) {
        if (error instanceof GitSourceError) throw error;
        throw new NotAGitRepositoryError(directory);
      }
    })();
    layouts.set(directory, cached);
    // A failed lookup is not remembered: the directory may become a repository.
    cached.catch(() => layouts.delete(directory));
  }
  return cached;
}

async function statKey(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return '-';
  }
}

/**
 * Throws ShallowCloneError in a shallow clone: history cut short cannot say what each deployment
 * shipped, nor where a branch left its base, and an answer from part of it would look complete.
 */
async function requireFullHistory(layout: RepositoryLayout, purpose?: string): Promise<void> {
  if ((await statKey(path.join(layout.commonDir, 'shallow'))) === '-') return;
  const count = Number(await (await gitAt(layout.topLevel)).raw(['rev-list', '--count', '--all']));
  throw new ShallowCloneError(count, purpose);
}

async function readOrDash(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return '-';
  }
}

/**
 * Every ref directory's stat, recursively. Creating, moving or deleting a loose ref goes through a
 * lock file in its directory, so the directory's mtime moves whenever a ref in it changes.
 */
async function refDirectoryKeys(directory: string, keys: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch {
    keys.push(`${directory}:-`);
    return;
  }
  keys.push(`${directory}:${await statKey(directory)}:${entries.length}`);
  await Promise.all(
    entries.filter((entry) => entry.isDirectory()).map((entry) => refDirectoryKeys(path.join(directory, entry.name), keys)),
  );
}

/** A key that changes whenever HEAD, a ref, packed-refs or shallowness changes; read from disk without git. */
async function refsFingerprint(layout: Pick<RepositoryLayout, 'gitDir' | 'commonDir'>): Promise<string> {
  const head = await readOrDash(path.join(layout.gitDir, 'HEAD'));
  const headRef = head.startsWith('ref: ') ? head.slice(5) : null;
  const keys: string[] = [head];
  if (headRef) keys.push(await readOrDash(path.join(layout.commonDir, headRef)));
  keys.push(await statKey(path.join(layout.commonDir, 'packed-refs')), await statKey(path.join(layout.commonDir, 'shallow')));
  const refKeys: string[] = [];
  await refDirectoryKeys(path.join(layout.commonDir, 'refs'), refKeys);
  // A loop, not push(...refKeys): a repository may hold more ref folders than a call takes arguments.
  for (const refKey of refKeys.sort()) keys.push(refKey);
  return keys.join('\n');
}

// ---- Delivery history ---------------------------------------------------------------------------------

export interface GitHistory {
  /** Absolute path of the repository's top level. */
  topLevel: string;
  /** Full SHA of HEAD; null in a repository without commits. */
  head: string | null;
  /** Every commit reachable from a tag, HEAD, or an extra revision asked for. */
  commits: Map<string, Commit>;
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
const LOG_FORMAT = '--format=%H%x00%ct%x00%P%x00%s%x00%b';

/** A commit from the five fields of LOG_FORMAT. */
function commitFromFields([sha, time, parents, subject, body]: string[]): Commit {
  return {
    sha,
    time: Number(time) * 1000,
    parents: parents.length === 0 ? [] : parents.split(' '),
    subject,
    body: withoutTrailingNewlines(body),
  };
}

function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Commits reachable from `startingPoints` (command-line revisions such as `--tags HEAD`) and the extra SHAs. */
async function readCommits(cwd: string, startingPoints: readonly string[], extraRevisions: readonly string[]): Promise<Map<string, Commit>> {
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
  registerCommitGraph(commits, graph);
  return commits;
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

async function headSha(cwd: string): Promise<string | null> {
  // An unborn HEAD makes `rev-parse --verify --quiet` exit 1 silently: simple-git resolves with ''.
  const sha = await (await gitAt(cwd))
    .revparse(['--verify', '--quiet', 'HEAD^{commit}'])
    .catch(() => '');
  return sha.length > 0 ? sha : null;
}

/**
 * The git directory and common directory found from `.git` above the directory, as git itself does
 * without GIT_DIR: a `.git` folder, or a `.git` file naming the folder (worktrees, submodules), whose
 * `commondir` file names the shared one. Null when there is none or it looks unusual.
 */
async function gitDirectoriesOnDisk(directory: string): Promise<Pick<RepositoryLayout, 'gitDir' | 'commonDir'> | null> {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, '.git');
    try {
      const stat = await fs.stat(candidate);
      let gitDir = candidate;
      if (stat.isFile()) {
        const pointer = /^gitdir: (.+)$/m.exec(await fs.readFile(candidate, 'utf8'));
        if (!pointer) return null;
        gitDir = path.resolve(current, pointer[1].trim());
      }
      const common = await readOrDash(path.join(gitDir, 'commondir'));
      return { gitDir: await fs.realpath(gitDir), commonDir: await fs.realpath(common === '-' ? gitDir : path.resolve(gitDir, common)) };
    } catch {
      if (path.dirname(current) === current) return null;
    }
  }
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
  const commits = readCommits(directory, ['--tags', 'HEAD'], extraRevisions).catch(async (error: unknown) => {
    // A repository without commits has no HEAD to start from: read from the tags alone, if any.
    if ((await head.catch(() => null)) !== null) throw error;
    return (await tags.catch(() => [])).length > 0 ? readCommits(directory, ['--tags'], extraRevisions) : new Map<string, Commit>();
  });
  // HEAD and the layout come from one rev-parse; a layout already known is not asked again.
  const probe = probeRepository(directory);
  const head = probe.then(({ head: sha }) => sha);
  if (!layouts.has(directory)) {
    const layout = probe.then(({ layout: found }) => found);
    layouts.set(directory, layout);
    layout.catch(() => layouts.delete(directory));
  }
  const tags = readTags(directory);
  // The reads may fail only because the directory is no repository; the layout below says so first.
  for (const read of [head, tags, commits]) read.catch(() => undefined);

  let resolveKey: (key: string | null) => void = () => undefined;
  const key = new Promise<string | null>((resolve) => (resolveKey = resolve));
  const history = (async (): Promise<GitHistory> => {
    try {
      const layout = await repositoryLayout(directory);
      await requireFullHistory(layout);
      const result = { topLevel: layout.topLevel, head: await head, commits: await commits, tags: await tags };
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

/**
 * Full commit SHAs for revisions (branch, tag, short SHA...) in one `git cat-file --batch-check`;
 * a revision that names no commit (missing or ambiguous) maps to null.
 */
export async function resolveRevisions(root: string, revisions: readonly string[]): Promise<Map<string, string | null>> {
  const layout = await repositoryLayout(root);
  const resolved = new Map<string, string | null>();
  const unique = [...new Set(revisions)].filter((revision) => !/[\n\0]/.test(revision) && revision.length > 0);
  if (unique.length === 0) return resolved;
  const output = await runGit(
    layout.topLevel,
    ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
    unique.map((revision) => `${revision}^{commit}`).join('\n') + '\n',
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
 * Warnings for root-cause commits of incidents that name nothing in the repository. Such a commit
 * is ignored for linking (core/dora.ts and core/linking.ts match only commits that exist).
 */
export async function rootCauseCommitWarnings(root: string, incidents: readonly Incident[]): Promise<string[]> {
  const wellFormed = incidents.flatMap((incident) => incident.commits.filter(isCommitPrefix));
  const resolved = await resolveRevisions(root, wellFormed);
  const warnings: string[] = [];
  for (const incident of incidents) {
    for (const commit of incident.commits) {
      if (!isCommitPrefix(commit)) {
        warnings.push(`incident ${incident.id} lists root-cause commit "${commit}", which is not 7 to 40 hex characters; it is ignored`);
      } else if ((resolved.get(commit) ?? null) === null) {
        warnings.push(`incident ${incident.id} lists root-cause commit ${commit}, which is not in this repository (or is ambiguous); it is ignored`);
      }
    }
  }
  return warnings;
}

// ---- One file: recent commits and the lines they still own --------------------------------------------

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
export async function recentCommitsOfFile(root: string, file: string, sinceMs: number, untilMs: number): Promise<FileCommit[]> {
  const { layout, relative } = await repositoryPath(root, file);
  if ((await headSha(layout.topLevel)) === null) return [];
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
  await streamGit(
    layout.topLevel,
    [
      'log',
      '-z',
      '--format=%H%x00%ct%x00%P%x00%an%x00%s%x00%b',
      ...gitTimeLimit('--since', firstSecondAfter(sinceMs)),
      ...gitTimeLimit('--until', Math.floor(untilMs / 1000)),
      'HEAD',
      '--',
      relative,
    ],
    (chunk) => reader.push(chunk),
  );
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
export async function blameRecentLines(root: string, file: string, sinceMs: number): Promise<Map<string, Array<[number, number]>>> {
  const { layout, relative } = await repositoryPath(root, file);
  let output: string;
  try {
    output = await runGit(layout.topLevel, ['blame', '--incremental', ...gitTimeLimit('--since', firstSecondAfter(sinceMs)), '--', relative]);
  } catch (error) {
    if (error instanceof GitCommandError) return new Map();
    throw error;
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

// ---- Merge check helpers ----------------------------------------------------------------------------------

/**
 * The commit a base names, as a full SHA: the later git commands get the SHA, so a name from
 * `--base` or config.yaml is never read as an option. Throws ShallowCloneError in a shallow clone
 * (where the branch left its base may be cut off, and the check would quietly see no change) and
 * UnknownRefError when the name is no commit.
 */
async function baseCommit(root: string, base: string): Promise<string> {
  const layout = await repositoryLayout(root);
  await requireFullHistory(layout, 'the change can be compared with its base');
  const sha = (await resolveRevisions(layout.topLevel, [base])).get(base) ?? null;
  if (sha === null) throw new UnknownRefError(base);
  return sha;
}

/**
 * The change under review against `base`: its files (`git diff --name-only BASE...HEAD`, relative to
 * root; skipped when `files` is false, as when services are named instead) and its commits (BASE..HEAD,
 * newest first, with their messages). The base is resolved once for both reads.
 */
export async function readChange(root: string, base: string, options: { files: boolean }): Promise<{ files: string[]; commits: Commit[] }> {
  const sha = await baseCommit(root, base);
  const layout = await repositoryLayout(root);
  const readFiles = async () => {
    if (!options.files) return [];
    const output = await (await gitAt(path.resolve(root))).raw(['diff', '--name-only', '--relative', '-z', `${sha}...HEAD`]);
    return output.split('\0').filter((name) => name.length > 0);
  };
  const readCommits = async () => {
    const commits: Commit[] = [];
    const reader = new NulRecordReader(5, (fields) => commits.push(commitFromFields(fields)));
    await streamGit(layout.topLevel, ['log', '-z', LOG_FORMAT, `${sha}..HEAD`, '--'], (chunk) => reader.push(chunk));
    reader.finish();
    return commits;
  };
  const [files, commits] = await Promise.all([readFiles(), readCommits()]);
  return { files, commits };
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
  const sha = await baseCommit(root, base);
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

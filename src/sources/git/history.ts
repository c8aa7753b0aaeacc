// Tags and the deployments they make, read with one `git for-each-ref` and cached per repository under
// a key made from HEAD and the refs on disk, so asking again costs a few stats. No commit history is
// read here: what each deployment shipped is read for the delivery window alone (deliveryWindow.ts).
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { deploymentTagPatterns, deploymentsFromTags, tagPatternMatcher } from '../../core/deployments';
import type { GitTag } from '../../core/deployments';
import type { Commit, Deployment, ServiceConfig } from '../../core/model';
import { NoMatchingTagError } from './errors';
import { gitDirectoriesOnDisk, refsFingerprint, repositoryLayout, requireFullHistory } from './layout';
import { runGit } from './process';

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

// Each commit is five NUL-terminated fields, the body read in the same pass (rework and linking read messages).
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

/** The tags of a repository as for-each-ref lists them. */
export interface RepositoryTags {
  /** Tags that name commits, peeled (a tag of a tag of a commit is left out, as git's own peeling stops at one level). */
  tags: GitTag[];
  /** Tags that name a tree or a blob (directly or through an annotated tag): never deployments. */
  nonCommitTags: Array<{ name: string; type: string }>;
}

const TAG_FORMAT = '--format=%(objecttype)%00%(*objecttype)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)%00%(refname)';

async function readTagsFresh(cwd: string, signal?: AbortSignal): Promise<RepositoryTags> {
  const output = await runGit(cwd, ['for-each-ref', TAG_FORMAT, 'refs/tags'], undefined, signal);
  const tags: GitTag[] = [];
  const nonCommitTags: RepositoryTags['nonCommitTags'] = [];
  for (const line of output.split('\n')) {
    if (line.length === 0) continue;
    const [type, peeledType, objectName, peeledName, creatorDate, refName] = line.split('\0');
    // For an annotated tag the creator date is the tagger date; for a lightweight one, the commit's committer date.
    const time = Number(creatorDate) * 1000;
    const name = refName.slice('refs/tags/'.length);
    if (type === 'commit') tags.push({ name, commit: objectName, time, annotated: false });
    else if (type === 'tag' && peeledType === 'commit') tags.push({ name, commit: peeledName, time, annotated: true });
    else if (type === 'tree' || type === 'blob' || peeledType === 'tree' || peeledType === 'blob') nonCommitTags.push({ name, type: type === 'tag' ? peeledType : type });
  }
  return { tags, nonCommitTags };
}

// One entry per repository: the refs fingerprint it was read under (null: refs moved during the
// read, never reused) and the read. Set before the read starts, so a second caller shares it.
const tagReads = new Map<string, { key: Promise<string | null>; tags: Promise<RepositoryTags> }>();

/**
 * The repository's tags, cached until HEAD or a ref changes. Throws NotAGitRepositoryError, or
 * ShallowCloneError since a shallow history cannot say what each deployment shipped.
 */
export async function readTags(root: string, signal?: AbortSignal): Promise<RepositoryTags> {
  const directory = path.resolve(root);
  const cached = tagReads.get(directory);
  if (cached) {
    const key = await cached.key;
    const current = await refsFingerprint(await repositoryLayout(directory));
    if (key !== null && key === current) return cached.tags;
  }
  // The fingerprint is taken before the read, or a ref moving in between would be cached as read.
  const guessed = await gitDirectoriesOnDisk(directory);
  const before = guessed ? await refsFingerprint(guessed) : null;
  let resolveKey: (key: string | null) => void = () => undefined;
  const key = new Promise<string | null>((resolve) => (resolveKey = resolve));
  const entry: { key: Promise<string | null>; tags: Promise<RepositoryTags> } = { key, tags: Promise.resolve({ tags: [], nonCommitTags: [] }) };
  entry.tags = (async () => {
    try {
      const layout = await repositoryLayout(directory);
      await requireFullHistory(layout);
      const read = await readTagsFresh(layout.topLevel, signal);
      const after = await refsFingerprint(layout);
      const sameDirectories = guessed?.gitDir === layout.gitDir && guessed.commonDir === layout.commonDir;
      resolveKey(sameDirectories && before === after ? before : null);
      return read;
    } catch (error) {
      resolveKey(null);
      if (tagReads.get(directory) === entry) tagReads.delete(directory);
      throw error;
    }
  })();
  tagReads.set(directory, entry);
  return entry.tags;
}

/**
 * Starts reading the tags, if no read is cached or running, and resolves once git is running rather
 * than when it is done: a caller about to do synchronous work of its own (parsing `.reliability/`)
 * lets git start first. Failures are left to readTags.
 */
export async function prefetchTags(root: string): Promise<void> {
  const directory = path.resolve(root);
  if (!tagReads.has(directory)) readTags(directory).catch(() => undefined);
}

/**
 * Deployments from the tags matching the workspace pattern and the services' own patterns, at or
 * before `now`, in time order. Throws NoMatchingTagError when no tag at all matches any pattern in
 * use (a pattern typo should not look like "no deployments"). `warnings` name matching tags that
 * point at a tree or a blob, which deploy nothing.
 */
export async function readTagDeployments(
  root: string,
  options: { tagPattern: string; services: readonly ServiceConfig[]; now: number; signal?: AbortSignal },
): Promise<{ deployments: Deployment[]; warnings: string[] }> {
  const { tags, nonCommitTags } = await readTags(root, options.signal);
  const patterns = deploymentTagPatterns(options.tagPattern, options.services);
  const matchers = patterns.map(tagPatternMatcher);
  const matches = (name: string) => matchers.some((matcher) => matcher.test(name));
  const warnings = nonCommitTags
    .filter((tag) => matches(tag.name))
    .map((tag) => `tag ${tag.name} matches the deployment tag pattern but points at a ${tag.type}, not a commit; it is not a deployment`);
  if (!tags.some((tag) => matches(tag.name))) {
    throw new NoMatchingTagError(patterns, [...tags.map((tag) => tag.name), ...nonCommitTags.map((tag) => tag.name)].sort(), warnings);
  }
  return { deployments: deploymentsFromTags(tags, options), warnings };
}

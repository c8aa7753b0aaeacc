// The commits the delivery questions need, and no more: for each lane of deployments (core/deployments.ts
// deliveryLanes), the commits reachable from its deployments after the window's start and from none at or
// before it, read with one `git log --stdin` whose walk git stops at the older deployments. A repository's
// size does not matter, only how much it changed in the window.
//
// In a long-lived process (the editor) each lane's read is kept, and the next read asks git only for
// what changed: commits reachable from new deployments and from none already read. A deployment that ages
// out of the window, a deleted tag or a moved one is settled on the commits in hand; only a change to
// the deployments before the window (a deleted or moved old tag) reads the lane again.
import { CommitGraph, deliveryLanes, laneReadPlan, type DeliveryLane } from '../../core/deployments';
import type { Commit, Deployment } from '../../core/model';
import { LOG_FORMAT } from './history';
import { repositoryLayout } from './layout';
import { GitCommandError, streamGitThroughFile } from './process';

/** The delivery window read: every lane's commits, each lane with its own graph. */
export interface DeliveryWindow {
  /** Exclusive start of the window read (epoch ms): deployments after it have their changes. */
  since: number;
  /** Every commit read, of every lane. */
  commits: Map<string, Commit>;
  /** Lane signature -> the graph its walks follow (core/deployments.ts computeDelivery's graphOf). */
  graphs: Map<string, CommitGraph>;
  /** The `every` lane's graph: a commit in it was shipped by a deployment after `since`. */
  every: CommitGraph;
}

interface LaneRead {
  positives: ReadonlySet<string>;
  negatives: ReadonlySet<string>;
  commits: Map<string, Commit>;
  graph: CommitGraph;
}

/** What the reads asked git for, for tests and the benchmark: the cost the window puts on git. */
export interface WindowReadStatistics {
  /** Lanes read from scratch. */
  fullReads: number;
  /** Lanes brought up to date by reading only the new deployments' commits. */
  incrementalReads: number;
  /** Lanes brought up to date without git. */
  settledInMemory: number;
  /** Commits git printed. */
  commitsRead: number;
}

export const windowReadStatistics: WindowReadStatistics = { fullReads: 0, incrementalReads: 0, settledInMemory: 0, commitsRead: 0 };

// Repository top level -> lane id -> the lane's last read.
const laneReads = new Map<string, Map<string, LaneRead>>();

/** Forgets every lane read kept for a repository (or all), so the next read starts from scratch. */
export function forgetDeliveryWindows(topLevel?: string): void {
  if (topLevel === undefined) laneReads.clear();
  else laneReads.delete(topLevel);
}

/**
 * The commits of the delivery window after `since` for time-ordered deployments (deploymentsAsOf).
 * `lanes: 'every'` reads only the walk behind what shipped each commit (a file's lens); `'all'` adds
 * each service's lane, for the changes of each deployment (DORA, the deployment list).
 */
export async function readDeliveryWindow(
  root: string,
  ordered: readonly Deployment[],
  since: number,
  options: { lanes: 'all' | 'every'; signal?: AbortSignal },
): Promise<DeliveryWindow> {
  const { topLevel } = await repositoryLayout(root);
  const { every, lanes } = deliveryLanes(ordered);
  const wanted = options.lanes === 'every' ? [every] : [every, ...lanes.filter((lane) => lane.signature !== every.signature)];
  const kept = laneReads.get(topLevel) ?? new Map<string, LaneRead>();
  const reads = await Promise.all(wanted.map((lane) => readLane(topLevel, lane, since, kept.get(lane.id), options.signal)));
  // Kept for the next read: this read's lanes; a lane no longer wanted (a service's pattern changed) is dropped.
  const next = options.lanes === 'every' ? new Map(kept) : new Map<string, LaneRead>();
  wanted.forEach((lane, index) => next.set(lane.id, reads[index]));
  laneReads.set(topLevel, next);

  const graphs = new Map<string, CommitGraph>();
  wanted.forEach((lane, index) => graphs.set(lane.signature, reads[index].graph));
  // One lane (every service deployed by the same tags, the common case) needs no union of its commits.
  const commits = reads.length === 1 ? reads[0].commits : new Map<string, Commit>();
  if (reads.length > 1) for (const read of reads) for (const [sha, commit] of read.commits) if (!commits.has(sha)) commits.set(sha, commit);
  return { since, commits, graphs, every: reads[0].graph };
}

async function readLane(topLevel: string, lane: DeliveryLane, since: number, previous: LaneRead | undefined, signal?: AbortSignal): Promise<LaneRead> {
  const plan = laneReadPlan(lane, since);
  const positives = new Set(plan.positives);
  const negatives = new Set(plan.negatives);
  if (positives.size === 0) return { positives, negatives, commits: new Map(), graph: new CommitGraph() };
  if (previous && canUpdate(previous, negatives)) {
    const added = plan.positives.filter((sha) => !previous.positives.has(sha));
    let fresh: Map<string, Commit> | null = new Map();
    if (added.length > 0) {
      // Commits of the new deployments that no deployment read before reaches, nor any now before the window.
      fresh = await logCommits(topLevel, added, [...previous.positives, ...negatives], signal).catch((error: unknown) => {
        // A deployment read before whose commit is gone (a rewritten and pruned history): read the lane again.
        if (error instanceof GitCommandError) return null;
        throw error;
      });
    }
    if (fresh) {
      if (added.length > 0) windowReadStatistics.incrementalReads++;
      else windowReadStatistics.settledInMemory++;
      return settle(previous, fresh, positives, negatives);
    }
  }
  windowReadStatistics.fullReads++;
  const graph = new CommitGraph();
  const commits = await logCommits(topLevel, plan.positives, plan.negatives, signal, graph);
  return { positives, negatives, commits, graph };
}

/**
 * Whether a lane read can be brought up to date from what it holds: every deployment it excluded is
 * still excluded, and each newly excluded one either was read (its commits are in hand to exclude) or
 * was already out of the read (reachable from an excluded one, so excluding it removes nothing).
 */
function canUpdate(previous: LaneRead, negatives: ReadonlySet<string>): boolean {
  for (const sha of previous.negatives) if (!negatives.has(sha)) return false;
  for (const sha of negatives) {
    if (!previous.negatives.has(sha) && !previous.positives.has(sha) && !previous.commits.has(sha)) return false;
  }
  return true;
}

/**
 * The lane's commits now: those held and those just read, less every commit a newly excluded
 * deployment reaches and every commit no current deployment reaches (a deleted or moved tag's).
 * Walks on the commits in hand: a path from a deployment to a commit of the window stays in the window.
 */
function settle(previous: LaneRead, fresh: Map<string, Commit>, positives: Set<string>, negatives: Set<string>): LaneRead {
  const unchanged =
    fresh.size === 0 &&
    positives.size === previous.positives.size &&
    [...positives].every((sha) => previous.positives.has(sha)) &&
    negatives.size === previous.negatives.size;
  if (unchanged) return { positives, negatives, commits: previous.commits, graph: previous.graph };
  const held = new Map(previous.commits);
  for (const [sha, commit] of fresh) held.set(sha, commit);
  const graph = CommitGraph.of(held.values());
  const excluded = new Uint8Array(graph.size);
  const walk = (tips: Iterable<string>, mark: Uint8Array, stopAt?: Uint8Array) => {
    const stack: number[] = [];
    for (const sha of tips) {
      const ordinal = graph.find(sha);
      if (ordinal !== undefined && graph.commits[ordinal] !== undefined) stack.push(ordinal);
    }
    while (stack.length > 0) {
      const ordinal = stack.pop() as number;
      if (mark[ordinal] === 1 || stopAt?.[ordinal] === 1) continue;
      mark[ordinal] = 1;
      const first = graph.parentStart[ordinal];
      for (let i = first; i < first + graph.parentCount[ordinal]; i++) {
        const parent = graph.parentOrdinals[i];
        if (graph.commits[parent] !== undefined) stack.push(parent);
      }
    }
  };
  walk([...negatives].filter((sha) => !previous.negatives.has(sha)), excluded);
  const included = new Uint8Array(graph.size);
  walk(positives, included, excluded);
  const commits = new Map<string, Commit>();
  for (const [sha, commit] of held) if (included[graph.find(sha) as number] === 1) commits.set(sha, commit);
  return { positives, negatives, commits, graph: commits.size === held.size ? graph : CommitGraph.of(commits.values()) };
}

/**
 * A commit of a window read, its fields kept as places in the bytes git printed. A window holds tens
 * of thousands of commits for as long as the process asks about them; as JS strings and arrays each
 * took about 450 bytes of heap, which all survived the young generation and grew it to its largest,
 * while the bytes themselves sit outside the heap. Subject and body are decoded when read (rework,
 * the explanation and the deployment list read them once or twice); the parents only when asked (the
 * lane's graph is numbered from them as the commit is read).
 */
class WindowCommit implements Commit {
  constructor(
    readonly sha: string,
    readonly time: number,
    private readonly output: Buffer,
    /** Offsets in `output` of every commit of the read: parents, subject and body, each [start, end). */
    private readonly offsets: Uint32Array,
    /** Where this commit's six offsets start. */
    private readonly at: number,
  ) {}

  get parents(): string[] {
    const text = this.output.toString('latin1', this.offsets[this.at], this.offsets[this.at + 1]);
    return text.length === 0 ? [] : text.split(' ');
  }

  get subject(): string {
    return this.output.toString('utf8', this.offsets[this.at + 2], this.offsets[this.at + 3]);
  }

  get body(): string {
    return this.output.toString('utf8', this.offsets[this.at + 4], this.offsets[this.at + 5]);
  }

  /** What tests and logs see: the fields as a plain commit. */
  toJSON(): Commit {
    return { sha: this.sha, time: this.time, parents: this.parents, subject: this.subject, body: this.body };
  }
}

const NUL = 0;
const NEWLINE = 10;
const SPACE = 32;

/**
 * The commits reachable from `from` and from none of `notFrom`, with their messages: one `git log
 * --stdin`. With `graph`, each commit is numbered into it as it is read.
 */
async function logCommits(
  topLevel: string,
  from: readonly string[],
  notFrom: Iterable<string>,
  signal?: AbortSignal,
  graph?: CommitGraph,
): Promise<Map<string, Commit>> {
  const chunks: Buffer[] = [];
  const lines = [...from];
  for (const sha of notFrom) lines.push(`^${sha}`);
  // --no-show-signature: a repository's log.showSignature must not make every read run gpg.
  await streamGitThroughFile(topLevel, ['log', '-z', '--no-show-signature', LOG_FORMAT, '--stdin', '--'], (chunk) => chunks.push(chunk), lines.join('\n') + '\n', signal);
  const output = Buffer.concat(chunks);
  chunks.length = 0;
  const commits = new Map<string, Commit>();
  // Six offsets per commit, in one array for the read, sized for the shortest record git can print
  // (a SHA, a time and four empty fields: 55 bytes), so it does not grow.
  let offsets = new Uint32Array(6 * Math.ceil(output.length / 55) + 6);
  let used = 0;
  // Five NUL-terminated fields per commit (LOG_FORMAT); messages cannot hold NUL, and no byte of a
  // multi-byte UTF-8 character is NUL, so the NULs split the bytes exactly.
  let position = 0;
  const nextField = (): [number, number] => {
    const end = output.indexOf(NUL, position);
    if (end === -1) throw new Error('git output ended inside a record');
    const field: [number, number] = [position, end];
    position = end + 1;
    return field;
  };
  while (position < output.length) {
    const [shaStart, shaEnd] = nextField();
    const [timeStart, timeEnd] = nextField();
    const [parentsStart, parentsEnd] = nextField();
    const [subjectStart, subjectEnd] = nextField();
    const [bodyStart, bodyEnd] = nextField();
    let trimmedBodyEnd = bodyEnd;
    while (trimmedBodyEnd > bodyStart && output[trimmedBodyEnd - 1] === NEWLINE) trimmedBodyEnd--;
    // The SHA the graph already holds as a parent's, when it has it: one string per commit, not two.
    const text = output.toString('latin1', shaStart, shaEnd);
    const known = graph?.find(text);
    const sha = known === undefined ? text : graph!.shaOf(known);
    if (used + 6 > offsets.length) {
      const larger = new Uint32Array(offsets.length * 2);
      larger.set(offsets);
      offsets = larger;
    }
    offsets[used] = parentsStart;
    offsets[used + 1] = parentsEnd;
    offsets[used + 2] = subjectStart;
    offsets[used + 3] = subjectEnd;
    offsets[used + 4] = bodyStart;
    offsets[used + 5] = trimmedBodyEnd;
    const commit = new WindowCommit(sha, Number(output.toString('latin1', timeStart, timeEnd)) * 1000, output, offsets, used);
    used += 6;
    commits.set(sha, commit);
    if (graph) graph.addWithParents(commit, parentShas(output, parentsStart, parentsEnd));
  }
  windowReadStatistics.commitsRead += commits.size;
  return commits;
}

const NO_PARENTS: readonly string[] = [];

function parentShas(output: Buffer, start: number, end: number): readonly string[] {
  if (start === end) return NO_PARENTS;
  const parents: string[] = [];
  for (let from = start; from < end; ) {
    let to = output.indexOf(SPACE, from);
    if (to === -1 || to > end) to = end;
    parents.push(output.toString('latin1', from, to));
    from = to + 1;
  }
  return parents;
}

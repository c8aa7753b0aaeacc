// Deployments and what each one shipped (DOMAIN.md section 3). Pure: git history arrives as plain
// data from sources/git/history.ts, and `now` is a parameter.
import { ANY_CHARACTER, GlobBuilder, cachedCompiler } from './glob';
import type { CharacterSet, GlobMatcher } from './glob';
import type { Commit, Deployment, ServiceConfig } from './model';

/** A tag as git reports it, already peeled to the commit it names. */
export interface GitTag {
  name: string;
  /** Full SHA of the tagged commit. */
  commit: string;
  /** Tagger date of an annotated tag, else the committer date of its commit (epoch ms). */
  time: number;
  annotated: boolean;
}

/**
 * What shipped a commit: the deployment's name, or undefined while no deployment reaches it. Read as
 * a map (DeliveryHistory.shippedBy), or through the git source's lookup, which adds the answers of
 * bounded queries for commits outside the delivery window it read.
 */
export type ShippingLookup = Pick<ReadonlyMap<string, string>, 'get'>;

/**
 * The answer of a shipping lookup for a commit that a deployment before the delivery window shipped,
 * when the question (a DORA window, a file's recent lens) does not need that deployment's name: it
 * orders before every deployment of the window and equals none of them.
 */
export const EARLIER_DEPLOYMENT = '\u0000an earlier deployment';

/** The delivery history the metrics and the code lens read. */
export interface DeliveryHistory {
  /** Deployments at or before `now`, in time order (ties by name). */
  deployments: Deployment[];
  /** Deployment name -> SHAs it shipped first (newest commit first); the earliest deployment of a service ships none. */
  changesByDeployment: Map<string, string[]>;
  /** Commit SHA -> name of the earliest deployment that reaches it. Undeployed commits are absent. */
  shippedBy: Map<string, string>;
}

/**
 * A matcher for a tag glob over the whole tag name: `*` any run of characters (slashes included, as
 * `git tag --list` matches), `?` one character, `[...]` a class (`[!...]` or `[^...]` negated, `a-z`
 * a range); a `[` without a closing `]` is itself. Matched by glob.ts, without backtracking: a
 * repository's tag pattern like `*a*a*a*...!` must not stall `dora` on a long tag name.
 */
export const tagPatternMatcher: (pattern: string) => GlobMatcher = cachedCompiler((pattern) => {
  const glob = new GlobBuilder();
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      glob.run(ANY_CHARACTER);
    } else if (char === '?') {
      glob.one(ANY_CHARACTER);
    } else if (char === '[' && pattern.indexOf(']', i + 2) !== -1) {
      // The first character of a class may be `]` itself, so the closing one is searched after it.
      const close = pattern.indexOf(']', i + 2);
      glob.one(characterClass(pattern.slice(i + 1, close)));
      i = close;
    } else {
      glob.literal(char);
    }
  }
  return glob.build();
});

/** The set a class body (between the brackets) names: single characters and `a-z` ranges. */
function characterClass(body: string): CharacterSet {
  const negated = body.startsWith('!') || body.startsWith('^');
  const items = negated ? body.slice(1) : body;
  const ranges: number[] = [];
  for (let k = 0; k < items.length; k++) {
    const from = items.charCodeAt(k);
    // A `-` between two characters makes a range; first or last it is itself.
    if (items[k + 1] === '-' && k + 2 < items.length) {
      ranges.push(from, items.charCodeAt(k + 2));
      k += 2;
    } else {
      ranges.push(from, from);
    }
  }
  return { kind: 'class', ranges, negated };
}

/** Whether a deployment deploys a service. No services configured at all means the whole workspace. */
export function deploysService(deployment: Deployment, service: string): boolean {
  return deployment.services.length === 0 || deployment.services.includes(service);
}

/** Time order, ties broken by name so the result never depends on the order tags were listed. */
export function compareDeployments(a: Deployment, b: Deployment): number {
  return a.time - b.time || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Deployments that exist at `now` (a later one has not happened yet), in time order. */
export function deploymentsAsOf(deployments: readonly Deployment[], now: number): Deployment[] {
  return deployments.filter((deployment) => deployment.time <= now).sort(compareDeployments);
}

/** The tag patterns in use: the workspace one (when some service listens to it) and every service's own. */
export function deploymentTagPatterns(workspacePattern: string, services: readonly ServiceConfig[]): string[] {
  const patterns = new Set<string>();
  if (services.length === 0 || services.some((service) => !service.tagPattern)) patterns.add(workspacePattern);
  for (const service of services) if (service.tagPattern) patterns.add(service.tagPattern);
  return [...patterns];
}

/**
 * Deployments from tags. A tag matching the workspace pattern deploys every service without a
 * `tagPattern` of its own; a service with one is deployed only by the tags matching it. With no
 * services configured a workspace tag deploys the whole workspace (`services: []`). A tag that
 * deploys no service is not a deployment. Tags after `now` are dropped.
 */
export function deploymentsFromTags(
  tags: readonly GitTag[],
  options: { tagPattern: string; services: readonly ServiceConfig[]; now: number },
): Deployment[] {
  const workspaceMatcher = tagPatternMatcher(options.tagPattern);
  const serviceMatchers = options.services.map((service) => ({
    name: service.name,
    matcher: service.tagPattern ? tagPatternMatcher(service.tagPattern) : null,
  }));
  const deployments: Deployment[] = [];
  for (const tag of tags) {
    if (tag.time > options.now) continue;
    const matchesWorkspace = workspaceMatcher.test(tag.name);
    const services = serviceMatchers
      .filter(({ matcher }) => (matcher ? matcher.test(tag.name) : matchesWorkspace))
      .map(({ name }) => name);
    const deploysWholeWorkspace = options.services.length === 0 && matchesWorkspace;
    if (services.length === 0 && !deploysWholeWorkspace) continue;
    deployments.push({ name: tag.name, commit: tag.commit, time: tag.time, services, source: 'git-tags' });
  }
  return deployments.sort(compareDeployments);
}

/**
 * The commit graph with every SHA numbered: walks follow parents through arrays of numbers instead
 * of looking each parent up by its 40-character SHA (a hash of the string, then a compare), which
 * on 50,000 commits was most of the cost of a walk. sources/git/history.ts builds it while git is still
 * printing the history and hands it over in the history value (GitHistory.graph), so the walk after
 * the read starts at once.
 */
export class CommitGraph {
  private readonly ordinals = new Map<string, number>();
  /** Ordinal -> commit; undefined for a SHA seen only as a parent (outside the loaded history). */
  readonly commits: Array<Commit | undefined> = [];
  /** Ordinal -> where its parents start in parentOrdinals, and how many it has. */
  readonly parentStart: number[] = [];
  readonly parentCount: number[] = [];
  readonly parentOrdinals: number[] = [];
  /** How many commits were added (SHAs seen only as parents are not counted). */
  loaded = 0;

  static of(commits: Iterable<Commit>): CommitGraph {
    const graph = new CommitGraph();
    for (const commit of commits) graph.add(commit);
    return graph;
  }

  /** Every SHA numbered so far, commits and parents alike. */
  get size(): number {
    return this.commits.length;
  }

  add(commit: Commit): void {
    this.addWithParents(commit, commit.parents);
  }

  /** Adds a commit whose parents the caller has at hand (a reader that keeps them out of the commit). */
  addWithParents(commit: Commit, parents: readonly string[]): void {
    const ordinal = this.ordinalOf(commit.sha);
    if (this.commits[ordinal] === undefined) this.loaded++;
    this.commits[ordinal] = commit;
    this.parentStart[ordinal] = this.parentOrdinals.length;
    this.parentCount[ordinal] = parents.length;
    for (const parent of parents) this.parentOrdinals.push(this.ordinalOf(parent));
  }

  /** The number of a SHA already seen, else undefined. */
  find(sha: string): number | undefined {
    return this.ordinals.get(sha);
  }

  /** The SHA of a number, as the graph holds it: a reader reuses it rather than keep a second copy. */
  shaOf(ordinal: number): string {
    return this.shas[ordinal];
  }

  private readonly shas: string[] = [];

  private ordinalOf(sha: string): number {
    let ordinal = this.ordinals.get(sha);
    if (ordinal === undefined) {
      ordinal = this.commits.length;
      this.ordinals.set(sha, ordinal);
      this.shas.push(sha);
      // Pushed rather than assigned past the end, so the arrays stay packed.
      this.commits.push(undefined);
      this.parentStart.push(0);
      this.parentCount.push(0);
    }
    return ordinal;
  }
}

/**
 * Marks, deployment by deployment in the given order, every commit reachable from it that no
 * earlier deployment reached. The walk stops at marked commits, so each commit is visited once per
 * call however many release lines are tagged side by side. The mark is the map from commit to the
 * deployment that reached it first.
 */
function firstReachers(
  ordered: readonly Deployment[],
  commits: ReadonlyMap<string, Commit>,
  graph: CommitGraph,
): { reachedBy: Map<string, string[]>; firstReacher: Map<string, string> } {
  const { parentStart, parentCount, parentOrdinals } = graph;
  const loaded = graph.commits;
  const firstReacher = new Map<string, string>();
  const reachedBy = new Map<string, string[]>();
  const marked = new Uint8Array(graph.size);
  const stack: number[] = [];
  for (const deployment of ordered) {
    const reached: string[] = [];
    // Whether the walk met the commits newest first (ties by SHA), checked on the way with the
    // commits in hand; only a list met out of order is sorted afterwards.
    let inOrder = true;
    let previousTime = Infinity;
    let previousSha = '';
    const tip = graph.find(deployment.commit);
    // A commit outside the loaded history (not fetched) ends the walk on that side.
    if (tip !== undefined && loaded[tip] !== undefined && marked[tip] === 0) stack.push(tip);
    while (stack.length > 0) {
      const ordinal = stack.pop() as number;
      if (marked[ordinal] === 1) continue;
      marked[ordinal] = 1;
      const commit = loaded[ordinal] as Commit;
      const sha = commit.sha;
      firstReacher.set(sha, deployment.name);
      reached.push(sha);
      if (inOrder && (commit.time > previousTime || (commit.time === previousTime && sha < previousSha))) inOrder = false;
      previousTime = commit.time;
      previousSha = sha;
      // Pushed last-parent first so the first parent is walked first: on a release line that meets
      // commits newest first, which spares the sort in newestFirst.
      const first = parentStart[ordinal];
      for (let i = first + parentCount[ordinal] - 1; i >= first; i--) {
        const parent = parentOrdinals[i];
        if (loaded[parent] !== undefined && marked[parent] === 0) stack.push(parent);
      }
    }
    reachedBy.set(deployment.name, inOrder ? reached : newestFirst(reached, commits));
  }
  return { reachedBy, firstReacher };
}

function newestFirst(shas: Iterable<string>, commits: ReadonlyMap<string, Commit>): string[] {
  const timed = Array.from(shas, (sha) => ({ sha, time: commits.get(sha)?.time ?? 0 }));
  timed.sort((a, b) => b.time - a.time || (a.sha < b.sha ? -1 : 1));
  return timed.map((entry) => entry.sha);
}

/**
 * Deployments that walk the graph together. `every` holds every deployment (the walk behind
 * `shippedBy`, which ignores services); each service lane holds the deployments of one service (or,
 * with no services configured, of the whole workspace), and services deployed by exactly the same
 * deployments share one lane. A lane's `signature` names its deployments, so equal lists are one walk.
 */
export interface DeliveryLane {
  signature: string;
  /** Stable name across reads while the services and their patterns stay: the git source caches a lane's read under it. */
  id: string;
  deployments: Deployment[];
}

const laneSignature = (deployments: readonly Deployment[]): string => deployments.map((d) => d.name).join('\u0000');

/** The lanes of time-ordered deployments (deploymentsAsOf): `every`, and one per distinct list of a service's deployments. */
export function deliveryLanes(ordered: readonly Deployment[]): { every: DeliveryLane; lanes: DeliveryLane[] } {
  // One lane per service, plus one for deployments of the whole workspace (no services configured).
  const wholeWorkspace = '\u0000workspace';
  const byService = new Map<string, Deployment[]>();
  for (const deployment of ordered) {
    for (const lane of deployment.services.length === 0 ? [wholeWorkspace] : deployment.services) {
      const list = byService.get(lane);
      if (list) list.push(deployment);
      else byService.set(lane, [deployment]);
    }
  }
  const bySignature = new Map<string, DeliveryLane>();
  for (const [service, deployments] of byService) {
    const signature = laneSignature(deployments);
    const lane = bySignature.get(signature);
    if (lane) lane.id += `\u0000${service}`;
    else bySignature.set(signature, { signature, id: `lane\u0000${service}`, deployments });
  }
  return { every: { signature: laneSignature(ordered), id: 'every', deployments: [...ordered] }, lanes: [...bySignature.values()] };
}

/**
 * What git must print for a lane's walks to give the changes of its deployments after `since` and
 * what shipped each commit they reach: the commits reachable from those deployments (`positives`) and
 * from no deployment of the lane at or before `since` (`negatives`). The lane's earliest deployment is
 * always a negative: it ships no changes, and the history it reaches, however long, is never read.
 * A commit reachable from a negative is answered, when a question needs it, by a query for that
 * commit alone (sources/git/shipping.ts).
 */
export function laneReadPlan(lane: DeliveryLane, since: number): { positives: string[]; negatives: string[] } {
  const positives = new Set<string>();
  const negatives = new Set<string>();
  lane.deployments.forEach((deployment, index) => {
    if (index === 0 || deployment.time <= since) negatives.add(deployment.commit);
    else positives.add(deployment.commit);
  });
  for (const sha of negatives) positives.delete(sha);
  return { positives: [...positives], negatives: [...negatives] };
}

/**
 * Changes of each deployment and the shipping deployment of each commit.
 *
 * Changes are computed per service: the commits reachable from a deployment and from no earlier
 * deployment of the same service. A deployment of several services ships the union of its
 * per-service changes (each SHA once). Services deployed by exactly the same deployments share one walk.
 * `shippedBy` ignores services: the earliest deployment of any service that reaches the commit.
 *
 * `graphOf(lane)` is the graph a lane walks. With the whole history it is one graph for every lane
 * (the default, built from `commits`). With a window read (sources/git/deliveryWindow.ts) each lane
 * has its own graph, holding exactly the commits of laneReadPlan: the walks then give every
 * deployment after the window's start its exact changes, and every commit of the `every` graph its
 * exact shipping deployment; a lane without a graph walks nothing.
 */
export function computeDelivery(
  deploymentsInput: readonly Deployment[],
  commits: ReadonlyMap<string, Commit>,
  now: number,
  graphOf?: (lane: DeliveryLane) => CommitGraph | undefined,
): DeliveryHistory {
  const deployments = deploymentsAsOf(deploymentsInput, now);
  let wholeGraph: CommitGraph | undefined;
  const graphFor =
    graphOf ??
    (() => {
      wholeGraph ??= CommitGraph.of(commits.values());
      return wholeGraph;
    });
  const walk = (lane: DeliveryLane) => {
    const graph = graphFor(lane);
    return graph ? firstReachers(lane.deployments, commits, graph) : { reachedBy: new Map<string, string[]>(), firstReacher: new Map<string, string>() };
  };

  const { every, lanes } = deliveryLanes(deployments);
  const { reachedBy: reachedByAny, firstReacher: shippedBy } = walk(every);

  // Per deployment, the change lists of its lanes; unioned only when a deployment is in several lanes that differ.
  const laneChanges = new Map<string, string[][]>();
  for (const lane of lanes) {
    // The common case, every deployment deploying every service, is the walk already done for shippedBy.
    const reachedBy = lane.signature === every.signature ? reachedByAny : walk(lane).reachedBy;
    lane.deployments.forEach((deployment, index) => {
      // The earliest deployment of a service contributes no changes: its history is not a delivery.
      if (index === 0) return;
      const lists = laneChanges.get(deployment.name) ?? [];
      lists.push(reachedBy.get(deployment.name) ?? []);
      laneChanges.set(deployment.name, lists);
    });
  }

  const changesByDeployment = new Map<string, string[]>();
  for (const deployment of deployments) {
    const lists = laneChanges.get(deployment.name) ?? [];
    // Each lane's list is newest first already; only a union of several is sorted again.
    changesByDeployment.set(deployment.name, lists.length === 0 ? [] : lists.length === 1 ? lists[0] : newestFirst(new Set(lists.flat()), commits));
  }
  return { deployments, changesByDeployment, shippedBy };
}

const HEX_PREFIX = /^[0-9a-f]{7,40}$/;

/** Whether text is usable as a commit reference from an incident: 7 to 40 hex characters. */
export function isCommitPrefix(text: string): boolean {
  return HEX_PREFIX.test(text.toLowerCase());
}

/**
 * Finds full SHAs from prefixes of 7+ hex characters. The index (SHAs grouped by their first seven
 * characters) is built on first use of a short prefix, so callers that only look up full SHAs never
 * pay for it. The git source keeps one with each history read (GitHistory.commitPrefixes), so the
 * answers found linking the current DORA window serve the previous window too. One pass over the SHAs: sorting 50,000 of them cost a fifth of a second.
 */
export class CommitPrefixIndex {
  /** Answers found so far, by lowercased prefix. */
  private readonly answers = new Map<string, string | null>();

  constructor(private readonly shas: ReadonlySet<string> | ReadonlyMap<string, unknown>) {}

  /** The one SHA starting with the prefix; null when none does, when it is ambiguous, or when it is not 7+ hex. */
  resolve(prefix: string): string | null {
    return this.resolveAll([prefix]).get(prefix) ?? null;
  }

  /**
   * Every prefix resolved at once (prefix as given -> SHA or null). Short prefixes not asked before
   * cost one pass over the SHAs together, comparing characters without building any string: sorting
   * 50,000 SHAs (or grouping them) for a few dozen incident commits cost more than the whole pass.
   */
  resolveAll(asked: Iterable<string>): Map<string, string | null> {
    const prefixes = [...asked];
    const result = new Map<string, string | null>();
    const pending = new Map<number, string[]>();
    for (const prefix of prefixes) {
      const wanted = prefix.toLowerCase();
      if (!isCommitPrefix(wanted)) result.set(prefix, null);
      else if (wanted.length === 40) result.set(prefix, this.shas.has(wanted) ? wanted : null);
      else if (this.answers.has(wanted)) result.set(prefix, this.answers.get(wanted) ?? null);
      else {
        const head = headOf(wanted);
        const list = pending.get(head);
        if (!list) pending.set(head, [wanted]);
        else if (!list.includes(wanted)) list.push(wanted);
      }
    }
    if (pending.size > 0) {
      const found = new Map<string, string | null>();
      // Few SHAs share even their first two hex digits with a prefix asked: a table of those pairs
      // skips the rest before reading seven digits and looking them up.
      const leadingPairs = new Uint8Array(256);
      for (const head of pending.keys()) leadingPairs[head >>> 20] = 1;
      for (const sha of this.shas.keys()) {
        if (leadingPairs[hexPairOf(sha)] !== 1) continue;
        const candidates = pending.get(headOf(sha));
        if (!candidates) continue;
        for (const wanted of candidates) {
          if (!sha.startsWith(wanted)) continue;
          // A second SHA with the prefix makes it ambiguous: null, and it stays null.
          found.set(wanted, found.has(wanted) ? null : sha);
        }
      }
      for (const list of pending.values()) for (const wanted of list) this.answers.set(wanted, found.get(wanted) ?? null);
    }
    for (const prefix of prefixes) if (!result.has(prefix)) result.set(prefix, this.answers.get(prefix.toLowerCase()) ?? null);
    return result;
  }
}

/** The first two hex characters of a SHA as a number from 0 to 255 (-1 when one is not lowercase hex). */
function hexPairOf(text: string): number {
  const high = hexDigit(text.charCodeAt(0));
  const low = hexDigit(text.charCodeAt(1));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexDigit(code: number): number {
  return code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
}

/** The first seven hex characters of a SHA or prefix as a number (-1 when one is not lowercase hex). */
function headOf(text: string): number {
  let value = 0;
  for (let i = 0; i < 7; i++) {
    const code = text.charCodeAt(i);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// What shipped a commit outside the delivery window read: an incident's root-cause commit from years
// ago, or (with clock skew) a recent commit an old deployment already reached. Answered for that commit
// alone and exactly, whatever the commit and tag dates say: "is it reachable from the first k
// deployments?" only grows with k, so the earliest deployment reaching it is found by searching k, each
// step one `git rev-list` that git stops as soon as the commit is painted. The search starts where the
// dates point (the first deployment after the commit), so on a sane history it takes two steps that each
// walk only the commits between the commit and that deployment; the dates never decide an answer.
import { compareDeployments } from '../../core/deployments';
import type { Deployment } from '../../core/model';
import { repositoryLayout } from './layout';
import { runGit } from './process';

/** How many searches run side by side: each is a short git process, and a few overlap their start-up. */
const PARALLEL_SEARCHES = 4;

interface ShippingMemory {
  /** Deployment name -> its commit and time, as they were when the answers were found. */
  deployments: Map<string, Deployment>;
  /** Commit -> the earliest deployment reaching it, or null when none does. */
  answers: Map<string, string | null>;
}

// Repository top level -> the answers found so far and the deployments they were found among.
const memories = new Map<string, ShippingMemory>();

/** Forgets the answers kept for a repository (its folder closed): the memory follows what is open. */
export function forgetShippingAnswers(topLevel: string): void {
  memories.delete(topLevel);
}

/** Queries run, for tests: how many commits were searched, and how many git processes that took. */
export const shippingStatistics = { searches: 0, steps: 0 };

/**
 * The earliest of time-ordered deployments (deploymentsAsOf) that reaches each commit, or null when
 * none does. Full SHAs only. Answers are remembered per repository; a later call keeps those that no
 * change to the deployments could affect.
 */
export async function shippingOf(root: string, shas: readonly string[], ordered: readonly Deployment[], signal?: AbortSignal): Promise<Map<string, string | null>> {
  const { topLevel } = await repositoryLayout(root);
  const memory = updatedMemory(memories.get(topLevel), ordered);
  memories.set(topLevel, memory);
  const result = new Map<string, string | null>();
  const pending = [...new Set(shas)].filter((sha) => {
    const known = memory.answers.get(sha);
    if (known !== undefined) result.set(sha, known);
    return known === undefined;
  });
  if (pending.length === 0) return result;
  const times = await commitTimes(topLevel, pending, signal);
  const queue = [...pending];
  const searcher = async () => {
    for (let sha = queue.shift(); sha !== undefined; sha = queue.shift()) {
      const answer = await earliestReaching(topLevel, sha, times.get(sha) ?? 0, ordered, signal);
      memory.answers.set(sha, answer);
      result.set(sha, answer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SEARCHES, pending.length) }, searcher));
  return result;
}

/**
 * The memory with only the answers the deployments' change leaves true. An answer "D" holds while
 * D is unchanged and every deployment added, removed or moved orders after it (none of them can be an
 * earlier reacher, and D still reaches the commit); an answer "none" holds while no deployment was
 * added or moved (a removal cannot make a commit reachable).
 */
function updatedMemory(previous: ShippingMemory | undefined, ordered: readonly Deployment[]): ShippingMemory {
  const deployments = new Map(ordered.map((deployment) => [deployment.name, deployment]));
  if (!previous) return { deployments, answers: new Map() };
  const changed: Deployment[] = [];
  let addedOrMoved = false;
  for (const [name, deployment] of deployments) {
    const before = previous.deployments.get(name);
    if (before && before.commit === deployment.commit && before.time === deployment.time) continue;
    changed.push(deployment);
    if (before) changed.push(before);
    addedOrMoved = true;
  }
  for (const [name, before] of previous.deployments) if (!deployments.has(name)) changed.push(before);
  if (changed.length === 0) return { deployments, answers: previous.answers };
  const answers = new Map<string, string | null>();
  for (const [sha, answer] of previous.answers) {
    if (answer === null) {
      if (!addedOrMoved) answers.set(sha, null);
      continue;
    }
    const shipping = previous.deployments.get(answer);
    const current = deployments.get(answer);
    if (!shipping || !current || current.commit !== shipping.commit || current.time !== shipping.time) continue;
    if (changed.every((deployment) => compareDeployments(shipping, deployment) < 0)) answers.set(sha, answer);
  }
  return { deployments, answers };
}

/** Committer times of commits, in one `git log --no-walk` (no walk: only these commits are read). */
async function commitTimes(topLevel: string, shas: readonly string[], signal?: AbortSignal): Promise<Map<string, number>> {
  const output = await runGit(topLevel, ['log', '--no-walk=unsorted', '--no-show-signature', '--format=%H %ct', '--stdin', '--'], shas.join('\n') + '\n', signal);
  const times = new Map<string, number>();
  for (const line of output.split('\n')) {
    const [sha, seconds] = line.split(' ');
    if (sha && seconds) times.set(sha, Number(seconds) * 1000);
  }
  return times;
}

/**
 * The earliest deployment reaching the commit: the smallest k such that the first k deployments reach
 * it. Once the first `a` are known not to, "do the first k reach it?" is "does one of deployments a+1
 * to k?": each step after the first asks git about the deployments in the gap only, not all before it.
 */
async function earliestReaching(topLevel: string, sha: string, commitTime: number, ordered: readonly Deployment[], signal?: AbortSignal): Promise<string | null> {
  shippingStatistics.searches++;
  // Where the dates point: the deployments before the commit's time cannot reach it on a sane history.
  let datedBefore = 0;
  while (datedBefore < ordered.length && ordered[datedBefore].time < commitTime) datedBefore++;
  // The first `notReaching` deployments do not reach it; the first `reaching` do (null: not known yet).
  let notReaching = 0;
  let reaching: number | null = null;
  const reachedByFirst = (k: number) => reachableFrom(topLevel, sha, ordered.slice(notReaching, k), signal);
  if (datedBefore > 0 && (await reachedByFirst(datedBefore))) {
    // Clock skew: an older deployment reaches it after all. The answer is below; search all of it.
    reaching = datedBefore;
  } else {
    notReaching = datedBefore;
    // Gallop forward from there: 1, 2, 4... deployments more, until some reach it or none ever does.
    for (let step = 1; reaching === null; step *= 2) {
      const k = Math.min(notReaching + step, ordered.length);
      if (await reachedByFirst(k)) reaching = k;
      else if (k === ordered.length) return null;
      else notReaching = k;
    }
  }
  // Halve the gap between the two to one.
  while (reaching - notReaching > 1) {
    const middle = Math.floor((notReaching + reaching) / 2);
    if (await reachedByFirst(middle)) reaching = middle;
    else notReaching = middle;
  }
  return ordered[reaching - 1].name;
}

/**
 * Whether any of the deployments reaches the commit: `git rev-list -n 1 SHA ^D...` prints nothing
 * exactly when the commit is reachable from one of them. git walks from the commit and the
 * deployments at once and stops when the commit is painted or nothing left can paint it.
 */
async function reachableFrom(topLevel: string, sha: string, deployments: readonly Deployment[], signal?: AbortSignal): Promise<boolean> {
  if (deployments.length === 0) return false;
  shippingStatistics.steps++;
  const lines = [sha, ...new Set(deployments.map((deployment) => `^${deployment.commit}`))];
  const output = await runGit(topLevel, ['rev-list', '-n', '1', '--stdin'], lines.join('\n') + '\n', signal);
  return output.trim().length === 0;
}

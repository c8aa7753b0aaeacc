// Lead time for changes (DOMAIN.md section 3): for each change a deployment shipped first, the
// deployment time minus the committer time; median and p90 (nearest rank) over the window.
import type { Commit, Deployment } from '../model';
import { median, percentileNearestRank } from '../stats';

/** Lead time of one change (ms); null when not positive (a tag at its own commit's time), which is dropped. */
export function leadTimeOfChange(deployment: Deployment, commit: Commit): number | null {
  const lead = deployment.time - commit.time;
  return lead > 0 ? lead : null;
}

/** Lead times of a deployment's changes (ms); changes outside the history read have none. */
export function leadTimesOfDeployment(deployment: Deployment, changes: readonly string[], commits: ReadonlyMap<string, Commit>): number[] {
  const values: number[] = [];
  for (const sha of changes) {
    const commit = commits.get(sha);
    if (!commit) continue;
    const lead = leadTimeOfChange(deployment, commit);
    if (lead !== null) values.push(lead);
  }
  return values;
}

/**
 * Median and p90 of a window's lead times (ms). The values are sorted natively as a Float64Array
 * first: a window has one per shipped commit (tens of thousands), and median and
 * percentileNearestRank each sort with a comparator, which costs a call per comparison on unsorted
 * input but one pass on sorted input.
 */
export function leadTimeSummary(leadTimes: readonly number[]): { medianMs: number | null; p90Ms: number | null } {
  const sorted = Array.from(Float64Array.from(leadTimes).sort());
  return { medianMs: median(sorted), p90Ms: percentileNearestRank(sorted, 0.9) };
}

// Failed deployment recovery time (DOMAIN.md section 3): for each failed deployment, from the
// deployment to the latest resolution of its linked incidents; median over the window.
import type { Deployment, Incident } from '../model';
import { median } from '../stats';
import { resolvedAsOf } from './window';

/**
 * Recovery of one deployment (ms): null unless incidents are linked to it and all of them are
 * resolved by `now` (one still open leaves the deployment out). A loop, not Math.max(...list): a
 * ledger may link more incidents than a call can take arguments.
 */
export function recoveryOfDeployment(deployment: Deployment, linked: readonly Incident[], now: number): number | null {
  if (linked.length === 0) return null;
  let latest = -Infinity;
  for (const incident of linked) {
    const resolved = resolvedAsOf(incident, now);
    if (resolved === null) return null;
    latest = Math.max(latest, resolved);
  }
  return latest - deployment.time;
}

/** Median recovery (ms) of the deployments that failed and recovered; null when none did. */
export function failedDeploymentRecoveryMedian(
  deployments: readonly Deployment[],
  linked: ReadonlyMap<string, readonly Incident[]>,
  now: number,
): number | null {
  const recoveries: number[] = [];
  for (const deployment of deployments) {
    const recovery = recoveryOfDeployment(deployment, linked.get(deployment.name) ?? [], now);
    if (recovery !== null) recoveries.push(recovery);
  }
  return median(recoveries);
}

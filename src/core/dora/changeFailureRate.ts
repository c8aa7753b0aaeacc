// Change failure rate (DOMAIN.md section 3): the share of the window's deployments that failed,
// a deployment failing when an incident is linked to it (linkedIncidents.ts).
import type { Deployment, Incident } from '../model';

export function isFailedDeployment(deployment: Deployment, linked: ReadonlyMap<string, readonly Incident[]>): boolean {
  return linked.has(deployment.name);
}

/** Failed deployments / deployments; null without deployments. */
export function changeFailureRate(deployments: readonly Deployment[], linked: ReadonlyMap<string, readonly Incident[]>): number | null {
  if (deployments.length === 0) return null;
  return deployments.filter((deployment) => isFailedDeployment(deployment, linked)).length / deployments.length;
}

// Which recent change of a file carries a reliability signal (issue 14): one linked to an incident for
// any reason (DOMAIN.md section 4), or one shipped by a deployment of the file's service that degraded
// an SLO (section 6; a suspect is a degraded deployment with no incident, so it is covered). The editor gives such a change
// a code lens of its own by default, and `lens --json` prints the same signal, so they never disagree.
// Pure: the changes come from core/linking.ts, the impacts from core/deploymentImpact.ts.
import type { DeploymentImpact } from './deploymentImpact';
import type { FileChange } from './model';

/** Deployment name -> the SLOs it degraded, in the impacts' order (one name may deploy several services). */
export type DegradedDeployments = ReadonlyMap<string, readonly string[]>;

/**
 * The deployments that degraded an SLO of one of `services` (the file's), by name. Section 6 assesses
 * a release once per service it deploys, and a release that degraded only another service's SLO was,
 * for this file's service, a deployment that went well: as section 4 links an incident through its
 * deployment only to files of the incident's service. A file of no service gets no such signal.
 */
export function degradedDeployments(impacts: readonly DeploymentImpact[] | undefined, services: readonly string[]): Map<string, string[]> {
  const degraded = new Map<string, string[]>();
  for (const entry of impacts ?? []) {
    if (!services.includes(entry.service)) continue;
    const slos = entry.impact.filter((slo) => slo.verdict === 'degraded').map((slo) => slo.slo);
    if (slos.length === 0) continue;
    const known = degraded.get(entry.deployment) ?? [];
    degraded.set(entry.deployment, [...known, ...slos.filter((slo) => !known.includes(slo))]);
  }
  return degraded;
}

/** Why a change carries a signal: the incidents linked to it, and the SLOs the deployment that shipped it degraded. */
export interface ChangeSignal {
  /** Ids of the incidents linked to the change, strongest link first (the engine's order). */
  incidents: string[];
  /** SLOs its shipping deployment degraded; empty when that deployment degraded none or it is undeployed. */
  degradedSlos: string[];
}

/** The signal a change carries, or null when it carries none (an ordinary recent change). */
export function changeSignal(change: Pick<FileChange, 'incidents' | 'deployment'>, degraded: DegradedDeployments): ChangeSignal | null {
  const incidents = change.incidents.map((link) => link.id);
  const degradedSlos = change.deployment === null ? [] : [...(degraded.get(change.deployment) ?? [])];
  return incidents.length > 0 || degradedSlos.length > 0 ? { incidents, degradedSlos } : null;
}

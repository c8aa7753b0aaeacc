// One workspace's state at an evaluation time: what every view and CLI command renders.
// Built by engine.ts from `.reliability/`, git and the configured sources; never mutated after.
import type {
  Deployment,
  DoraReport,
  Incident,
  Problem,
  SloDefinition,
  SloReport,
  SourceState,
  WorkspaceConfig,
} from '../core/model';
import type { DeliveryData } from './delivery';
import type { DeploymentImpact } from '../core/deploymentImpact';
import type { StarterPlan } from '../core/starterFiles';

export interface IncidentView extends Incident {
  /** Deployment the incident is linked to (DOMAIN.md section 3), if any. */
  deployment: string | null;
  /**
   * True when its root causes were shipped by a deployment before the delivery window read, which was
   * not searched for (the incident is neither open nor recent): `deployment` is null, but it did ship.
   */
  deploymentBeforeWindow?: boolean;
  /** True on an interim snapshot while git still searches which old deployment shipped its root causes. */
  deploymentLookupPending?: boolean;
}

export interface DeploymentView extends Deployment {
  /** Commits it shipped (first-shipped rule), newest first: sha and subject. */
  changes: Array<{ sha: string; subject: string; time: number }>;
  /** Incidents linked to it; non-empty means it failed. */
  incidents: string[];
}

export interface WorkspaceSnapshot {
  /** Absolute path of the workspace root (the folder holding `.reliability/`). */
  root: string;
  now: number;
  config: WorkspaceConfig;
  slos: SloDefinition[];
  sloReports: SloReport[];
  incidents: IncidentView[];
  deployments: DeploymentView[];
  /**
   * Each deployment of the question's window (the DORA window; the merge check's week) once per service
   * it deploys, newest first, with its impact on the service's SLOs and whether it is a suspect
   * (core/deploymentImpact.ts). Absent when not asked, or while delivery history is still read.
   */
  deploymentImpacts?: DeploymentImpact[];
  /** DORA over the default 90-day window; null when there is no usable git history. */
  dora: DoraReport | null;
  /** DORA over the previous period of the same length, for trends. */
  previousDora: DoraReport | null;
  problems: Problem[];
  sources: SourceState[];
  /** Git history and links behind `deployments`, for file lenses; null when git gave no history. */
  delivery: DeliveryData | null;
  /** Why git gave no history (not a repository, shallow clone, no matching tag); null when it did. */
  deliveryError: Error | null;
  /**
   * True on the early snapshot of a staged load (engine.ts EngineOptions.onEarlySnapshot): git is
   * still reading, so `delivery`, `dora` and `deployments` are empty for now, not missing.
   */
  deliveryPending?: boolean;
  /**
   * True on the interim snapshot of a staged load: delivery is in, but some incidents' deployments are
   * still searched (IncidentView.deploymentLookupPending); the complete snapshot follows.
   */
  linksPending?: boolean;
  /**
   * Zero configuration: the root has no `.reliability/` and was read as `init` would describe it
   * (core/starterFiles.ts); the plan says which services and tag pattern, and why.
   */
  inferred?: StarterPlan;
}

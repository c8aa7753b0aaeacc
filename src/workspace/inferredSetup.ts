// Zero configuration: a repository without `.reliability/` is read as `init` would describe it (the
// services and tag pattern core infers from its folders, CODEOWNERS and tags), so a first-time user
// sees delivery metrics of their own repository before writing any file. The plan travels with the
// load (EngineOptions.inferred) and the snapshot, so what is shown and the note saying where the
// tag pattern came from are one answer.
import { defaultWorkspaceConfig } from '../core/schemas/config';
import { planStarter, type StarterPlan } from '../core/starterFiles';
import type { WorkspaceDefinitions } from './definitions';
import { readRepositoryFacts, type RepositoryFactOptions } from './repositoryFacts';

/** What `init` would write for the repository at `root`: its services and tag pattern, and why. */
export async function inferSetup(root: string, options: RepositoryFactOptions = {}): Promise<StarterPlan> {
  return planStarter(await readRepositoryFacts(root, options));
}

/** The workspace a plan describes: its services and tag pattern, every other setting its default; no SLOs, no incidents. */
export function inferredDefinitions(plan: StarterPlan): WorkspaceDefinitions {
  const defaults = defaultWorkspaceConfig();
  return {
    config: {
      ...defaults,
      services: plan.services.services.map((service) => ({ name: service.name, paths: [...service.paths] })),
      deployments: { ...defaults.deployments, tagPattern: plan.tags.pattern },
    },
    slos: [],
    incidents: [],
    deployments: [],
    problems: [],
    files: [],
  };
}

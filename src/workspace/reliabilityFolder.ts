// The folder that makes a workspace, and the error for its absence. Kept apart from definitions.ts
// (which loads the schemas and the YAML parser) so the engine can name them without evaluating those:
// a CLI command starts git on the history before they load (historyPrefetch.ts).

export const RELIABILITY_FOLDER = '.reliability';

/** There is no `.reliability/` folder: nothing describes this workspace. */
export class WorkspaceNotFoundError extends Error {
  constructor(readonly root: string) {
    super(
      `No ${RELIABILITY_FOLDER}/ folder in ${root}. Reliability Lens reads services, SLOs and incidents from ` +
        `${RELIABILITY_FOLDER}/config.yaml and ${RELIABILITY_FOLDER}/slos/*.yaml at the workspace root; create it there ` +
        `or point --workspace at the folder that holds it.`,
    );
    this.name = 'WorkspaceNotFoundError';
  }
}

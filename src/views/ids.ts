// Identifiers package.json contributes and the code refers to. Kept free of `vscode` so the pure node
// builders (and their unit tests) can name commands too. Renaming one is a breaking change for the
// e2e tests and for users' keybindings.

export const COMMANDS = {
  findIncident: 'reliabilityLens.findIncident',
  canIMerge: 'reliabilityLens.canIMerge',
  openDashboard: 'reliabilityLens.openDashboard',
  refresh: 'reliabilityLens.refresh',
  createStarter: 'reliabilityLens.createStarter',
  setToken: 'reliabilityLens.setToken',
  forgetToken: 'reliabilityLens.forgetToken',
  openProblem: 'reliabilityLens.openProblem',
  openIncident: 'reliabilityLens.openIncident',
  showIncidentDetails: 'reliabilityLens.showIncidentDetails',
  openLocation: 'reliabilityLens.openLocation',
  showLog: 'reliabilityLens.showLog',
  explainSlo: 'reliabilityLens.explainSlo',
  lookBack: 'reliabilityLens.lookBack',
  returnToNow: 'reliabilityLens.returnToNow',
  showAtIncidentStart: 'reliabilityLens.showAtIncidentStart',
  /** The Services view's filter: only services that need attention, or all (state/serviceFilter.ts). */
  showAttentionOnly: 'reliabilityLens.showAttentionOnly',
  showAllServices: 'reliabilityLens.showAllServices',
  manageTrust: 'workbench.trust.manage',
} as const;

export const VIEWS = {
  container: 'reliabilityLens',
  services: 'reliabilityLens.services',
  delivery: 'reliabilityLens.delivery',
  incidents: 'reliabilityLens.incidents',
} as const;

export const DASHBOARD_VIEW_TYPE = 'reliabilityLens.dashboard';
export const DASHBOARD_TITLE = 'Reliability Dashboard';
export const OUTPUT_CHANNEL_NAME = 'Reliability Lens';
export const STATUS_BAR_ID = 'reliabilityLens.budget';
/** The "as of …" item shown while looking back. */
export const LOOK_BACK_STATUS_BAR_ID = 'reliabilityLens.asOf';
export const INCIDENT_DOCUMENT_SCHEME = 'reliability-lens';
/** The read-only explanation pages of SLOs (explainDocuments.ts); its own scheme, its own provider. */
export const EXPLAIN_DOCUMENT_SCHEME = 'reliability-lens-explain';

/** Context key for `when` clauses: `searching` until discovery finishes, then `none` or `found`. */
export const CONTEXT_WORKSPACE_STATE = 'reliabilityLens.workspaceState';
export type WorkspaceDiscoveryState = 'searching' | 'none' | 'found';

/** Context key for `when` clauses: true while the Services view shows only services that need attention. */
export const CONTEXT_ATTENTION_ONLY = 'reliabilityLens.attentionOnly';

/** Argument of `openProblem` / `openLocation`: a file relative to a workspace root, 1-based position (0 = unknown). */
export interface FileLocationArgs {
  root: string;
  file: string;
  line: number;
  column: number;
}

/** Argument of `openIncident` / `showIncidentDetails`: one incident, or several to pick from. */
export interface IncidentArgs {
  root: string;
  ids: string[];
}

/** Argument of `openDashboard`: the service to select. */
export interface DashboardArgs {
  root?: string;
  service?: string;
}

/** Argument of `lookBack`: the moment to evaluate every view at (epoch ms), e.g. a deployment's time. */
export interface LookBackArgs {
  time: number;
}

/** Argument of `explainSlo`: one SLO, identified by service and name. */
export interface SloArgs {
  root: string;
  service: string;
  slo: string;
}

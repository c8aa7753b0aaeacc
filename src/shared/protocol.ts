// Messages between the extension host and the dashboard webview, imported by both sides. Everything
// here is plain, structured-cloneable data: the webview gets a projection of the snapshot, never the
// snapshot itself (it holds config and paths the page has no use for).
import type { AlertRule, DoraReport, Severity, SloStatus, SourceState } from '../core/model';

export interface DashboardBurnRate {
  window: string;
  rate: number;
  /** Part of a firing alert. */
  alerting: boolean;
}

export interface DashboardSlo {
  name: string;
  service: string;
  objective: number;
  window: string;
  windowStart: number;
  windowEnd: number;
  sli: number | null;
  budgetRemaining: number;
  budgetConsumed: number;
  burnRates: DashboardBurnRate[];
  alerts: AlertRule[];
  exhaustionEta: number | null;
  status: SloStatus;
  /** [time ms, budget remaining ratio]. */
  burnDown: Array<[number, number]>;
  error?: string;
}

export interface DashboardService {
  name: string;
  /** Worst status among its SLOs; null without SLOs. */
  status: SloStatus | null;
  slos: DashboardSlo[];
  openIncidents: string[];
}

export interface DashboardIncident {
  id: string;
  title: string;
  severity: Severity;
  service: string;
  startedAt: number;
  resolvedAt: number | null;
  deployment: string | null;
  hasUrl: boolean;
}

export interface DashboardDeployment {
  name: string;
  time: number;
  services: string[];
  changes: number;
  /** Linked incidents; non-empty means the deployment failed. */
  incidents: string[];
}

export interface DashboardWorkspace {
  root: string;
  name: string;
  now: number;
  loading: boolean;
  error?: string;
  restricted: boolean;
  services: DashboardService[];
  dora: DoraReport | null;
  previousDora: DoraReport | null;
  deployments: DashboardDeployment[];
  incidents: DashboardIncident[];
  problemCount: number;
  sources: SourceState[];
}

export interface DashboardData {
  workspaces: DashboardWorkspace[];
}

// ---- extension host -> webview ---------------------------------------------------------------------

export interface SnapshotMessage {
  type: 'snapshot';
  data: DashboardData;
}

/** Select a service, e.g. when opened from the status bar for the active file's service. */
export interface SelectMessage {
  type: 'select';
  root?: string;
  service?: string;
}

export type ToWebviewMessage = SnapshotMessage | SelectMessage;

// ---- webview -> extension host ---------------------------------------------------------------------

/** Sent once the page's script runs; the host answers with a `snapshot`. */
export interface ReadyMessage {
  type: 'ready';
}

export interface OpenIncidentMessage {
  type: 'openIncident';
  root: string;
  id: string;
}

export interface OpenSloMessage {
  type: 'openSlo';
  root: string;
  service: string;
  slo: string;
}

export interface RefreshMessage {
  type: 'refresh';
}

export type FromWebviewMessage = ReadyMessage | OpenIncidentMessage | OpenSloMessage | RefreshMessage;

/** The webview's persisted view state (getState/setState), restored after reloads. */
export interface DashboardViewState {
  root?: string;
  service?: string;
}

const FROM_WEBVIEW_TYPES: ReadonlySet<string> = new Set<FromWebviewMessage['type']>(['ready', 'openIncident', 'openSlo', 'refresh']);

/** Messages cross a trust boundary: check the shape before acting on one. */
export function isFromWebviewMessage(value: unknown): value is FromWebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string' || !FROM_WEBVIEW_TYPES.has(message.type)) return false;
  switch (message.type) {
    case 'openIncident':
      return typeof message.root === 'string' && typeof message.id === 'string';
    case 'openSlo':
      return typeof message.root === 'string' && typeof message.service === 'string' && typeof message.slo === 'string';
    default:
      return true;
  }
}

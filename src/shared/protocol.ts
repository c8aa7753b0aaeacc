// Messages between the extension host and the dashboard webview, imported by both sides. Everything
// here is plain, structured-cloneable data: the webview gets a projection of the snapshot, never the
// snapshot itself (it holds config and paths the page has no use for).
import { z } from 'zod';
import type { AlertRule, DoraReport, Severity, SloStatus, SourceState } from '../core/model';
import type { ImpactVerdict, SloImpact } from '../core/deploymentImpact';
import { argumentText, describeIssues, isPlainObject, plainObject } from './untrustedArguments';

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
  /** Why there is no data when the source is one this tool cannot read. */
  unsupported?: string;
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
  /** Null while open at the snapshot's `now` (a later resolution has not happened yet). */
  resolvedAt: number | null;
  /** Open at `now`, and open or recent at `now` (core/incidents.ts), as the Incidents view lists them. */
  open: boolean;
  recent: boolean;
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
  /** Its impact on the SLOs of each service it deploys (DOMAIN.md section 6); empty when not assessed. */
  impacts: DashboardDeploymentImpact[];
}

/** One service's entry of a deployment's impact, as core/deploymentImpact.ts gives it. */
export interface DashboardDeploymentImpact {
  service: string;
  verdict: ImpactVerdict;
  suspect: boolean;
  /** End of the after-window (epoch ms). */
  afterEnd: number;
  slos: SloImpact[];
}

export interface DashboardWorkspace {
  root: string;
  name: string;
  now: number;
  loading: boolean;
  error?: string;
  restricted: boolean;
  services: DashboardService[];
  /** An early snapshot: git is still reading, so `dora` and `deployments` are empty for now, not missing. */
  doraPending: boolean;
  dora: DoraReport | null;
  previousDora: DoraReport | null;
  deployments: DashboardDeployment[];
  incidents: DashboardIncident[];
  problemCount: number;
  sources: SourceState[];
  /**
   * The snapshot was loaded while the dashboard was hidden, so its Prometheus SLOs have no burn-down
   * buckets; the refresh that brings them is asked for as the dashboard shows (state/burnDownDemand.ts).
   */
  burnDownPending: boolean;
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
// The page is a boundary: a script injected into it (or a bug in it) can post anything. Each message is
// therefore a zod schema (shared/untrustedArguments.ts: plain, strict, bounded) and its type is derived
// from the schema, so the check and the type cannot drift apart. The webview imports the types only, so
// zod stays out of its bundle.

const readyMessageSchema = plainObject({ type: z.literal('ready') });
const refreshMessageSchema = plainObject({ type: z.literal('refresh') });
const openIncidentMessageSchema = plainObject({ type: z.literal('openIncident'), root: argumentText, id: argumentText });
const openSloMessageSchema = plainObject({ type: z.literal('openSlo'), root: argumentText, service: argumentText, slo: argumentText });
/** The Explain button of an SLO card: the host opens the SLO's explanation page (the Explain SLO command). */
const explainSloMessageSchema = plainObject({ type: z.literal('explainSlo'), root: argumentText, service: argumentText, slo: argumentText });

/** Sent once the page's script runs; the host answers with a `snapshot`. */
export type ReadyMessage = z.output<typeof readyMessageSchema>;
export type OpenIncidentMessage = z.output<typeof openIncidentMessageSchema>;
export type OpenSloMessage = z.output<typeof openSloMessageSchema>;
export type ExplainSloMessage = z.output<typeof explainSloMessageSchema>;
export type RefreshMessage = z.output<typeof refreshMessageSchema>;
export type FromWebviewMessage = ReadyMessage | OpenIncidentMessage | OpenSloMessage | ExplainSloMessage | RefreshMessage;

const FROM_WEBVIEW_SCHEMAS: Readonly<Record<FromWebviewMessage['type'], z.ZodType<FromWebviewMessage>>> = {
  ready: readyMessageSchema,
  refresh: refreshMessageSchema,
  openIncident: openIncidentMessageSchema,
  openSlo: openSloMessageSchema,
  explainSlo: explainSloMessageSchema,
};

/**
 * A message from the webview, checked before the host acts on it; or the problem, in words that name
 * what was expected and never echo the message. Messages do not expect replies, so the host logs the
 * problem and ignores the message.
 */
export function parseFromWebviewMessage(value: unknown): { ok: true; message: FromWebviewMessage } | { ok: false; problem: string } {
  const type = isPlainObject(value) && Object.hasOwn(value, 'type') ? value.type : undefined;
  // Own keys only: a type inherited from Object.prototype (`toString`, `constructor`) is no type.
  const schema = typeof type === 'string' && Object.hasOwn(FROM_WEBVIEW_SCHEMAS, type) ? FROM_WEBVIEW_SCHEMAS[type as FromWebviewMessage['type']] : undefined;
  if (!schema) return { ok: false, problem: `expected an object whose type is one of ${Object.keys(FROM_WEBVIEW_SCHEMAS).join(', ')}` };
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, problem: `${type}: ${describeIssues(parsed.error)}` };
}

/** The webview's persisted view state (getState/setState), restored after reloads. */
export interface DashboardViewState {
  root?: string;
  service?: string;
}

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

/**
 * One service in the overview: what the service picker lists and ranks (core/attention.ts), and no
 * more. The SLO cards, burn-down buckets, deployments and incidents come per service, on demand
 * (ServiceDetailMessage), so the overview stays small however many services a monorepo has.
 */
export interface DashboardServiceSummary {
  name: string;
  /** Worst status among its SLOs; null without SLOs. */
  status: SloStatus | null;
  /** Budget remaining of its worst SLO; null without SLOs. */
  worstBudgetRemaining: number | null;
  sloCount: number;
  /** Open incidents at `now`, in the one incident order. */
  openIncidents: string[];
  /** core/attention.ts needsAttention. */
  needsAttention: boolean;
}

/** Everything the dashboard shows about one service: asked for by the page when it selects the service. */
export interface DashboardServiceDetail {
  root: string;
  service: string;
  /** The snapshot's evaluation time, so a reply to an older overview can be told apart. */
  now: number;
  slos: DashboardSlo[];
  openIncidents: string[];
  /** Deployments of this service (or of the whole workspace) up to now, within its SLO windows and the timeline. */
  deployments: DashboardDeployment[];
  /** This service's incidents that exist at now, in the one incident order. */
  incidents: DashboardIncident[];
  /** Start of the incident timeline (the delivery window, or 90 days). */
  timelineStart: number;
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
  /**
   * Only deployments of the service shown are sent, so the services a deployment names are not: in a
   * monorepo a release names hundreds, which made most of the old payload.
   */
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
  /** Ranked as every list ranks them (core/attention.ts rankServices): worst first. */
  services: DashboardServiceSummary[];
  /** An early snapshot: git is still reading, so `dora` and `deployments` are empty for now, not missing. */
  doraPending: boolean;
  dora: DoraReport | null;
  previousDora: DoraReport | null;
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

/** The overview of every workspace: sent when the page is ready and after each change (small). */
export interface SnapshotMessage {
  type: 'snapshot';
  data: DashboardData;
}

/**
 * One service's details: the reply to a `requestService` (`inReplyTo` its `requestId`), or sent after a
 * change for the service the page last asked for (no `inReplyTo`). `error` when the host could not
 * answer (the service or folder is gone), in words for the page to show.
 */
export type ServiceDetailMessage =
  | { type: 'serviceDetail'; inReplyTo?: number; root: string; service: string; detail: DashboardServiceDetail }
  | { type: 'serviceDetail'; inReplyTo?: number; root: string; service: string; error: string };

/** Select a service, e.g. when opened from the status bar for the active file's service. */
export interface SelectMessage {
  type: 'select';
  root?: string;
  service?: string;
}

export type ToWebviewMessage = SnapshotMessage | ServiceDetailMessage | SelectMessage;

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
/** The page selected a service: the host answers with its ServiceDetailMessage, `inReplyTo` this id. */
const requestServiceMessageSchema = plainObject({
  type: z.literal('requestService'),
  requestId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  root: argumentText,
  service: argumentText,
});

/** Sent once the page's script runs; the host answers with a `snapshot`. */
export type ReadyMessage = z.output<typeof readyMessageSchema>;
export type OpenIncidentMessage = z.output<typeof openIncidentMessageSchema>;
export type OpenSloMessage = z.output<typeof openSloMessageSchema>;
export type ExplainSloMessage = z.output<typeof explainSloMessageSchema>;
export type RefreshMessage = z.output<typeof refreshMessageSchema>;
export type RequestServiceMessage = z.output<typeof requestServiceMessageSchema>;
export type FromWebviewMessage = ReadyMessage | OpenIncidentMessage | OpenSloMessage | ExplainSloMessage | RefreshMessage | RequestServiceMessage;

const FROM_WEBVIEW_SCHEMAS: Readonly<Record<FromWebviewMessage['type'], z.ZodType<FromWebviewMessage>>> = {
  ready: readyMessageSchema,
  refresh: refreshMessageSchema,
  openIncident: openIncidentMessageSchema,
  openSlo: openSloMessageSchema,
  explainSlo: explainSloMessageSchema,
  requestService: requestServiceMessageSchema,
};

/**
 * A message from the webview, checked before the host acts on it; or the problem, in words that name
 * what was expected and never echo the message. Only `requestService` expects a reply, and
 * a reply needs a valid request id, so the host logs the problem and ignores the message.
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
  /** Burn-down charts fitted to their data instead of 0–100%. */
  fitBurnDown?: boolean;
}

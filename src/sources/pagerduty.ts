// PagerDuty incidents through the REST API v2 (GET /incidents), classic offset/limit/more paging.
//
// What is read: incidents created in the last `days` (default 180), asked for in spans of at most
// 180 days because the API refuses a since/until range over 6 months; plus every incident still
// triggered or acknowledged whatever its age (`date_range=all`), so an old open incident still
// freezes merges. Optional filters: `serviceIds` (service_ids[]) and `statuses` (statuses[]).
//
// Mapping to our model:
//   id          PD-<incident_number>, the number PagerDuty shows as #1234
//   service     `serviceMap` entry for the PagerDuty service id or name, else the PagerDuty service name
//   severity    the priority when the account uses priorities: P1..P5 -> SEV1..SEV5 (names like
//               "SEV-2" work too); without a priority, urgency high -> SEV2, low -> SEV4
//               (high urgency pages someone, which is what SEV2 means here; low waits for office hours)
//   resolvedAt  resolved_at, or last_status_change_at for a resolved incident from an older payload
// Each incident is checked on its own (http/remoteRecords.ts): one with an unreadable time is left
// out with the reason, and the others still count.
import { z } from 'zod';
import type { Incident, IncidentSourceConfig, Severity } from '../core/model';
import type { HttpClient, QueryParams } from './http/httpClient';
import { checkRecords, mergeChecked, nonEmptyText, recordLabel, recordName, recordNumber, remoteTime } from './http/remoteRecords';
import type { CheckedRecords } from './http/remoteRecords';
import { SourceError } from './http/sourceError';
import { explicitSeverity, mapped, optionMapping, optionNumber, optionStrings } from './http/sourceOptions';

/** Both service regions; a token saved for PagerDuty may go to either. */
export const PAGERDUTY_ACCEPT = 'application/vnd.pagerduty+json;version=2';

const DAY_MS = 86_400_000;
/** Shorter than any 6 months, so a span is never refused. */
const MAX_SPAN_MS = 180 * DAY_MS;
const PAGE_LIMIT = 100;
/** Classic pagination stops at offset + limit = 10,000. */
const MAX_OFFSET = 10_000;
/** Pages one span can take; also bounds a server that keeps saying `more: true`. */
const MAX_PAGES = MAX_OFFSET / PAGE_LIMIT;

const reference = z.object({ id: nonEmptyText, summary: z.string().nullish() }).loose();
const pagerDutyIncident = z
  .object({
    id: nonEmptyText,
    incident_number: recordNumber,
    title: z.string().nullish(),
    summary: z.string().nullish(),
    status: z.enum(['triggered', 'acknowledged', 'resolved']),
    urgency: z.string().nullish(),
    priority: z.object({ id: z.string().optional(), summary: z.string().nullish(), name: z.string().nullish() }).loose().nullish(),
    created_at: remoteTime,
    resolved_at: remoteTime.nullish(),
    last_status_change_at: remoteTime.nullish(),
    html_url: z.string().nullish(),
    service: reference,
  })
  .loose();
/** The page is checked as a whole; its incidents one by one. */
const incidentsPage = z.object({
  incidents: z.array(z.unknown()),
  more: z.boolean(),
});
type PagerDutyIncident = z.infer<typeof pagerDutyIncident>;

export interface PagerDutySourceOptions {
  /** Created-in-the-last-N-days history to read. Default 180. */
  days: number;
  serviceIds: string[];
  statuses: string[];
  /** PagerDuty service id or name -> our service. */
  serviceMap: ReadonlyMap<string, string>;
}

export function pagerDutyOptions(source: IncidentSourceConfig): PagerDutySourceOptions {
  return {
    days: optionNumber(source.options, 'days', 180),
    serviceIds: optionStrings(source.options, 'serviceIds'),
    statuses: optionStrings(source.options, 'statuses'),
    serviceMap: optionMapping(source.options, 'serviceMap'),
  };
}

/** The since/until spans covering (from, to], each at most MAX_SPAN_MS long, oldest first. */
export function pagerDutySpans(from: number, to: number, maxSpanMs: number = MAX_SPAN_MS): Array<{ since: number; until: number }> {
  const spans: Array<{ since: number; until: number }> = [];
  for (let since = from; since < to; since += maxSpanMs) spans.push({ since, until: Math.min(to, since + maxSpanMs) });
  return spans;
}

export function pagerDutySeverity(incident: Pick<PagerDutyIncident, 'priority' | 'urgency'>): Severity {
  const priority = incident.priority;
  const fromPriority = explicitSeverity(priority?.summary ?? undefined) ?? explicitSeverity(priority?.name ?? undefined);
  if (fromPriority) return fromPriority;
  return incident.urgency === 'low' ? 'SEV4' : 'SEV2';
}

export async function fetchPagerDutyIncidents(
  client: HttpClient,
  options: PagerDutySourceOptions,
  now: number,
): Promise<CheckedRecords<Incident>> {
  const filters: QueryParams = {
    'service_ids[]': options.serviceIds.length > 0 ? options.serviceIds : undefined,
    'statuses[]': options.statuses.length > 0 ? options.statuses : undefined,
    time_zone: 'UTC',
  };
  const spans = pagerDutySpans(now - options.days * DAY_MS, now);
  const openStatuses = ['triggered', 'acknowledged'].filter(
    (status) => options.statuses.length === 0 || options.statuses.includes(status),
  );
  const lists = await Promise.all([
    ...spans.map((span) =>
      allPages(client, { ...filters, since: new Date(span.since).toISOString(), until: new Date(span.until).toISOString() }),
    ),
    ...(openStatuses.length > 0 ? [allPages(client, { ...filters, 'statuses[]': openStatuses, date_range: 'all' })] : []),
  ]);
  const byId = new Map<string, Incident>();
  const problems = new Set<string>();
  for (const list of lists) {
    // A record in two lists (open, and created in a span) is reported once.
    for (const problem of list.problems) problems.add(problem);
    for (const incident of list.records) {
      const mapped = toIncident(incident, options);
      if (typeof mapped === 'string') problems.add(mapped);
      else byId.set(mapped.id, mapped);
    }
  }
  return { records: [...byId.values()].sort((a, b) => a.startedAt - b.startedAt), problems: [...problems] };
}

/** GET /incidents?limit=1, for the `sources` command: proves the token and the URL. */
export async function checkPagerDuty(client: HttpClient): Promise<void> {
  await client.request({ path: 'incidents', query: { limit: 1 }, headers: { Accept: PAGERDUTY_ACCEPT } }, incidentsPage);
}

async function allPages(client: HttpClient, query: QueryParams): Promise<CheckedRecords<PagerDutyIncident>> {
  const incidents: CheckedRecords<PagerDutyIncident> = { records: [], problems: [] };
  let offset = 0;
  for (let page = 0; ; page++) {
    const response = await client.request(
      { path: 'incidents', query: { ...query, limit: PAGE_LIMIT, offset }, headers: { Accept: PAGERDUTY_ACCEPT } },
      incidentsPage,
    );
    const { incidents: items, more } = response.data;
    mergeChecked(incidents, checkRecords(items, pagerDutyIncident, describeIncident));
    if (!more || items.length === 0) return incidents;
    // Our own count, not the offset the server echoes: a server repeating one offset would page forever.
    offset += items.length;
    if (offset + PAGE_LIMIT > MAX_OFFSET || page + 1 >= MAX_PAGES) {
      throw new SourceError(
        client.sourceName,
        client.host,
        'bad-request',
        `${client.sourceName} at ${client.host} has more than ${MAX_OFFSET} incidents in one span, more than its API pages through; narrow it with serviceIds or days`,
      );
    }
  }
}

/** `incident PD-12`, or the PagerDuty id or position when the number is unreadable. */
function describeIncident(item: unknown, index: number): string {
  const number = recordLabel(item, 'incident_number');
  return recordName('incident', number !== undefined ? `PD-${number}` : recordLabel(item, 'id'), index);
}

/** Our incident, or why it cannot be one. */
function toIncident(incident: PagerDutyIncident, options: PagerDutySourceOptions): Incident | string {
  const id = `PD-${incident.incident_number}`;
  const serviceName = incident.service.summary?.trim() || incident.service.id;
  let resolvedAt: number | null = null;
  if (incident.status === 'resolved') {
    resolvedAt = incident.resolved_at ?? incident.last_status_change_at ?? null;
    // Taken as open it could freeze merges; it is resolved, we just cannot say when.
    if (resolvedAt === null) return `incident ${id}: status is resolved, but it has neither resolved_at nor last_status_change_at`;
  }
  return {
    id,
    title: incident.title ?? incident.summary ?? `PagerDuty incident ${incident.incident_number}`,
    severity: pagerDutySeverity(incident),
    service: mapped(options.serviceMap, incident.service.id, serviceName) ?? serviceName,
    startedAt: incident.created_at,
    resolvedAt,
    url: incident.html_url ?? undefined,
    commits: [],
    files: [],
    source: 'pagerduty',
  };
}

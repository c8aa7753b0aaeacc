// Opsgenie incidents (Incident API, GET /v1/incidents), with `Authorization: GenieKey ...`.
//
// Atlassian is retiring Opsgenie: its API is scheduled to stop working on 2027-04-05. This source
// keeps working until then and says so in its SourceState (OPSGENIE_SHUTDOWN_NOTICE), so teams
// move their incidents to another source in time.
//
// Region: `region: eu` (or a url) talks to api.eu.opsgenie.com instead of api.opsgenie.com.
// Paging: offset/limit (max 100), following `paging.next` until it is absent.
// Mapping:
//   id          OG-<tinyId>, the short number Opsgenie shows
//   severity    priority P1..P5 -> SEV1..SEV5
//   service     `serviceMap` entry for the first impacted service id, else a `service:NAME` tag,
//               else option `defaultService` (default `unassigned`)
//   resolvedAt  the list API has no resolution time; for a resolved or closed incident we take
//               updatedAt, its last change, which is the resolution unless someone edited it later
// Each incident is checked on its own (http/remoteRecords.ts): one with an unreadable time is left
// out with the reason, and the others still count.
import { z } from 'zod';
import type { Incident, IncidentSourceConfig } from '../core/model';
import type { HttpClient, HttpResponse, QueryParams } from './http/httpClient';
import { checkRecords, nonEmptyText, recordLabel, recordName, remoteTime } from './http/remoteRecords';
import type { CheckedRecords } from './http/remoteRecords';
import { explicitSeverity, mapped, optionMapping, optionString } from './http/sourceOptions';

export const OPSGENIE_SHUTDOWN_NOTICE =
  "Opsgenie's API is scheduled to stop working on 2027-04-05 (Atlassian is retiring Opsgenie); move incidents to another source before then";

const PAGE_LIMIT = 100;
const MAX_PAGES = 100;

const opsgenieIncident = z
  .object({
    id: nonEmptyText,
    tinyId: nonEmptyText,
    message: z.string(),
    status: z.string(),
    priority: z.string(),
    createdAt: remoteTime,
    updatedAt: remoteTime.optional(),
    tags: z.array(z.string()).optional(),
    impactedServices: z.array(z.string()).optional(),
    links: z.object({ web: z.string().optional() }).loose().optional(),
  })
  .loose();
/** The page is checked as a whole; its incidents one by one. */
const incidentsPage = z.object({
  data: z.array(z.unknown()),
  paging: z.object({ next: z.string().optional() }).loose().optional(),
});
type OpsgenieIncident = z.infer<typeof opsgenieIncident>;

export interface OpsgenieSourceOptions {
  /** Opsgenie search query narrowing the incidents (e.g. `tag:payments`). */
  query?: string;
  /** Impacted service id -> our service. */
  serviceMap: ReadonlyMap<string, string>;
  defaultService: string;
}

export function opsgenieOptions(source: IncidentSourceConfig): OpsgenieSourceOptions {
  return {
    query: optionString(source.options, 'query'),
    serviceMap: optionMapping(source.options, 'serviceMap'),
    defaultService: optionString(source.options, 'defaultService') ?? 'unassigned',
  };
}

export async function fetchOpsgenieIncidents(client: HttpClient, options: OpsgenieSourceOptions): Promise<CheckedRecords<Incident>> {
  const incidents: CheckedRecords<Incident> = { records: [], problems: [] };
  let path: string | undefined = 'v1/incidents';
  let query: QueryParams | undefined = { query: options.query, offset: 0, limit: PAGE_LIMIT, sort: 'createdAt', order: 'desc' };
  for (let page = 0; path !== undefined && page < MAX_PAGES; page++) {
    const response: HttpResponse<z.infer<typeof incidentsPage>> = await client.request({ path, query }, incidentsPage);
    const checked = checkRecords(response.data.data, opsgenieIncident, describeIncident);
    for (const problem of checked.problems) incidents.problems.push(problem);
    for (const item of checked.records) {
      const incident = toIncident(item, options);
      if (typeof incident === 'string') incidents.problems.push(incident);
      else incidents.records.push(incident);
    }
    // `paging.next` is an absolute URL with every parameter; the client sends the key only if it
    // points at the same origin.
    path = response.data.data.length > 0 ? response.data.paging?.next : undefined;
    query = undefined;
  }
  return incidents;
}

/** GET /v1/incidents?limit=1, for the `sources` command. */
export async function checkOpsgenie(client: HttpClient): Promise<void> {
  await client.getJson('v1/incidents', incidentsPage, { limit: 1 });
}

/** `incident OG-12`, or the Opsgenie id or position when the tiny id is unreadable. */
function describeIncident(item: unknown, index: number): string {
  const tinyId = recordLabel(item, 'tinyId');
  return recordName('incident', tinyId !== undefined ? `OG-${tinyId}` : recordLabel(item, 'id'), index);
}

/** Our incident, or why it cannot be one. */
function toIncident(item: OpsgenieIncident, options: OpsgenieSourceOptions): Incident | string {
  const resolved = item.status === 'resolved' || item.status === 'closed';
  // Taken as open it could freeze merges; it is resolved, we just cannot say when.
  if (resolved && item.updatedAt === undefined) return `incident OG-${item.tinyId}: status is ${item.status}, but it has no updatedAt`;
  const resolvedAt = resolved ? (item.updatedAt ?? null) : null;
  const serviceTag = item.tags?.map((tag) => /^service:\s*(.+)$/i.exec(tag)?.[1]).find((name) => name !== undefined);
  return {
    id: `OG-${item.tinyId}`,
    title: item.message,
    severity: explicitSeverity(item.priority) ?? 'SEV3',
    service: mapped(options.serviceMap, ...(item.impactedServices ?? [])) ?? serviceTag?.trim() ?? options.defaultService,
    startedAt: item.createdAt,
    resolvedAt,
    url: item.links?.web,
    commits: [],
    files: [],
    source: 'opsgenie',
  };
}

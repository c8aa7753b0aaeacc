// Opsgenie Incident API, GET /v1/incidents, as documented: `Authorization: GenieKey KEY`, offset and
// limit (max 100) paging with absolute `paging.next`/`first`/`last` URLs in the body, `{data, took,
// requestId}` envelopes, 401 "Could not authenticate".
import { sendJson } from './fakeServer';
import type { FakeHandler } from './fakeServer';

export interface FakeOpsgenieIncident {
  id: string;
  tinyId: string;
  message: string;
  status: 'open' | 'resolved' | 'closed';
  priority: 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
  createdAt: string;
  updatedAt: string;
  tags: string[];
  impactedServices: string[];
}

export function opsgenieHandler(incidents: readonly FakeOpsgenieIncident[], key: string, origin: () => string): FakeHandler {
  return (request, response) => {
    if (request.headers.authorization !== `GenieKey ${key}`) {
      sendJson(response, 401, { message: 'Could not authenticate', took: 0.001, requestId: 'req-401' });
      return;
    }
    if (request.path !== '/v1/incidents') {
      sendJson(response, 404, { message: 'Not Found', took: 0.001, requestId: 'req-404' });
      return;
    }
    const limit = Math.min(100, Number(request.query.get('limit') ?? 20));
    const offset = Number(request.query.get('offset') ?? 0);
    const statusFilter = /status:\s*(\w+)/.exec(request.query.get('query') ?? '')?.[1];
    const matching = incidents.filter((incident) => !statusFilter || incident.status === statusFilter);
    const link = (at: number) => {
      const query = new URLSearchParams(request.query);
      query.set('offset', String(at));
      query.set('limit', String(limit));
      return `${origin()}/v1/incidents?${query.toString()}`;
    };
    const paging: Record<string, string> = { first: link(0), last: link(Math.max(0, matching.length - limit)) };
    if (offset + limit < matching.length) paging.next = link(offset + limit);
    sendJson(response, 200, {
      data: matching.slice(offset, offset + limit),
      paging,
      totalCount: matching.length,
      took: 0.01,
      requestId: 'req-ok',
    });
  };
}

export function opsgenieIncident(n: number, overrides: Partial<FakeOpsgenieIncident> = {}): FakeOpsgenieIncident {
  return {
    id: `uuid-${n}`,
    tinyId: String(n),
    message: `Opsgenie incident ${n}`,
    status: 'open',
    priority: 'P3',
    createdAt: '2026-11-10T08:00:00Z',
    updatedAt: '2026-11-10T09:00:00Z',
    tags: [],
    impactedServices: [],
    ...overrides,
  };
}

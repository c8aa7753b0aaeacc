// PagerDuty REST API v2, GET /incidents, as documented: `Authorization: Token token=KEY`, classic
// pagination (limit <= 100, offset, more), since/until limited to 6 months, `date_range=all`,
// statuses[] and service_ids[] filters. Errors use PagerDuty's `{error: {message, code, errors}}` body.
import { sendJson } from './fakeServer';
import type { FakeHandler } from './fakeServer';

export interface FakePagerDutyIncident {
  id: string;
  incident_number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  priority: { id: string; summary: string } | null;
  created_at: string;
  resolved_at: string | null;
  last_status_change_at: string;
  service: { id: string; type: 'service_reference'; summary: string };
  html_url: string;
}

const SIX_MONTHS_MS = 184 * 86_400_000;
const DEFAULT_RANGE_MS = 30 * 86_400_000;

export function pagerDutyHandler(incidents: readonly FakePagerDutyIncident[], token: string, now: () => number): FakeHandler {
  return (request, response) => {
    if (request.headers.authorization !== `Token token=${token}`) {
      sendJson(response, 401, { error: { message: 'Unauthorized', code: 2006 } });
      return;
    }
    if (request.path !== '/incidents') {
      sendJson(response, 404, { error: { message: 'Not Found', code: 2100 } });
      return;
    }
    const query = request.query;
    const limit = Math.min(100, Number(query.get('limit') ?? 25));
    const offset = Number(query.get('offset') ?? 0);
    let from = now() - DEFAULT_RANGE_MS;
    let to = now();
    if (query.get('date_range') === 'all') {
      from = -Infinity;
      to = Infinity;
    } else if (query.has('since') || query.has('until')) {
      from = Date.parse(query.get('since') ?? '');
      to = Date.parse(query.get('until') ?? '');
      if (to - from > SIX_MONTHS_MS) {
        sendJson(response, 400, { error: { message: 'Invalid Input Provided', code: 2001, errors: ['Date range cannot be greater than 6 months'] } });
        return;
      }
    }
    const statuses = query.getAll('statuses[]');
    const serviceIds = query.getAll('service_ids[]');
    const matching = incidents.filter((incident) => {
      const created = Date.parse(incident.created_at);
      return (
        // A record with an unreadable time, as a broken or hostile server sends it, comes back whatever is asked.
        (Number.isNaN(created) || (created >= from && created < to)) &&
        (statuses.length === 0 || statuses.includes(incident.status)) &&
        (serviceIds.length === 0 || serviceIds.includes(incident.service.id))
      );
    });
    const page = matching.slice(offset, offset + limit);
    sendJson(response, 200, { incidents: page, limit, offset, total: null, more: offset + limit < matching.length });
  };
}

/** A typed builder for fake PagerDuty incidents. */
export function pagerDutyIncident(number: number, overrides: Partial<FakePagerDutyIncident> = {}): FakePagerDutyIncident {
  const created = overrides.created_at ?? '2026-11-01T10:00:00Z';
  // Resolved an hour after it was created, unless told otherwise (and unparseable times stay as given).
  const createdMs = Date.parse(created);
  const resolved = Number.isNaN(createdMs) ? '2026-11-01T11:00:00Z' : new Date(createdMs + 3_600_000).toISOString();
  return {
    id: `PINC${number}`,
    incident_number: number,
    title: `Incident ${number}`,
    status: 'resolved',
    urgency: 'high',
    priority: null,
    created_at: created,
    resolved_at: resolved,
    last_status_change_at: resolved,
    service: { id: 'PSVC1', type: 'service_reference', summary: 'Checkout API' },
    html_url: `https://acme.pagerduty.com/incidents/PINC${number}`,
    ...overrides,
  };
}

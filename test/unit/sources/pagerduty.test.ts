import { strict as assert } from 'node:assert';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { validRecords } from './support/validRecords';
import { fetchPagerDutyIncidents, pagerDutyOptions, pagerDutySeverity, pagerDutySpans } from '../../../src/sources/pagerduty';
import type { PagerDutySourceOptions } from '../../../src/sources/pagerduty';
import { sendJson, startFakeServer } from '../fakes/fakeServer';
import type { FakeServer } from '../fakes/fakeServer';
import { withFaults } from '../fakes/faults';
import type { FaultInjector } from '../fakes/faults';
import { pagerDutyHandler, pagerDutyIncident } from '../fakes/pagerDutyFake';
import type { FakePagerDutyIncident } from '../fakes/pagerDutyFake';
import { describeFaults } from './support/faultMatrix';

const TOKEN = 'u+pdTok3nSecretValue_xyz';
const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

function incidents(): FakePagerDutyIncident[] {
  const list: FakePagerDutyIncident[] = [];
  // 230 resolved incidents over the last 170 days: three pages per span at limit 100.
  for (let n = 1; n <= 230; n++) {
    const created = new Date(NOW - 170 * DAY + n * 17 * 3_600_000).toISOString();
    list.push(pagerDutyIncident(n, { created_at: created, resolved_at: new Date(Date.parse(created) + 3_600_000).toISOString() }));
  }
  list.push(
    pagerDutyIncident(500, {
      title: 'Payments down',
      status: 'triggered',
      priority: { id: 'PPRI1', summary: 'P1' },
      created_at: new Date(NOW - 2 * 3_600_000).toISOString(),
      resolved_at: null,
      service: { id: 'PSVC2', type: 'service_reference', summary: 'Payments' },
    }),
    // Opened 200 days ago, still acknowledged: only date_range=all finds it.
    pagerDutyIncident(501, {
      title: 'Slow search',
      status: 'acknowledged',
      urgency: 'low',
      created_at: new Date(NOW - 200 * DAY).toISOString(),
      resolved_at: null,
      service: { id: 'PSVC3', type: 'service_reference', summary: 'Search' },
    }),
    // Resolved before the history window: left out.
    pagerDutyIncident(502, { created_at: new Date(NOW - 300 * DAY).toISOString() }),
  );
  return list;
}

describe('PagerDuty source', () => {
  let server: FakeServer;
  let faults: FaultInjector;

  beforeEach(async () => {
    faults = withFaults(pagerDutyHandler(incidents(), TOKEN, () => NOW));
    server = await startFakeServer(faults.handler);
  });
  afterEach(() => server.close());

  function client(overrides: { retries?: number; timeoutMs?: number } = {}) {
    return createHttpClient({
      sourceName: 'PagerDuty',
      baseUrl: server.origin,
      token: { value: TOKEN, scheme: 'Token token=', origin: server.origin },
      retryBaseDelayMs: 10,
      ...overrides,
    });
  }

  const options = (extra: Partial<PagerDutySourceOptions> = {}): PagerDutySourceOptions => ({
    ...pagerDutyOptions({ type: 'pagerduty', options: { serviceMap: ['PSVC1=checkout', 'payments=payments-api'] } }),
    ...extra,
  });

  it('reads every page of every span plus the open incidents, with the documented headers', async () => {
    const result = await validRecords(fetchPagerDutyIncidents(client(), options(), NOW));
    assert.equal(result.length, 232);
    for (const request of server.requests) {
      assert.equal(request.headers.authorization, `Token token=${TOKEN}`);
      assert.equal(request.headers.accept, 'application/vnd.pagerduty+json;version=2');
      assert.equal(request.query.get('limit'), '100');
    }
    // 180 days is one span: pages at offsets 0, 100, 200; and one page of open incidents.
    const spanOffsets = server.requests.filter((request) => request.query.has('since')).map((request) => request.query.get('offset'));
    assert.deepEqual(spanOffsets, ['0', '100', '200']);
    const open = server.requests.filter((request) => request.query.get('date_range') === 'all');
    assert.equal(open.length, 1);
    assert.deepEqual(open[0].query.getAll('statuses[]'), ['triggered', 'acknowledged']);

    const byId = new Map(result.map((incident) => [incident.id, incident]));
    assert.deepEqual(byId.get('PD-500'), {
      id: 'PD-500',
      title: 'Payments down',
      severity: 'SEV1',
      service: 'payments-api',
      startedAt: NOW - 2 * 3_600_000,
      resolvedAt: null,
      url: 'https://acme.pagerduty.com/incidents/PINC500',
      commits: [],
      files: [],
      source: 'pagerduty',
    });
    assert.equal(byId.get('PD-501')?.severity, 'SEV4');
    assert.equal(byId.get('PD-501')?.service, 'Search');
    assert.equal(byId.get('PD-1')?.service, 'checkout');
    assert.equal(byId.get('PD-1')?.severity, 'SEV2');
    assert.equal(byId.get('PD-1')?.resolvedAt, byId.get('PD-1')!.startedAt + 3_600_000);
    assert.equal(byId.has('PD-502'), false);
  });

  it('splits a history longer than 6 months into spans the API accepts', async () => {
    const result = await validRecords(fetchPagerDutyIncidents(client(), options({ days: 400 }), NOW));
    assert.ok(result.some((incident) => incident.id === 'PD-502'));
    const spans = server.requests.filter((request) => request.query.has('since') && request.query.get('offset') === '0');
    assert.equal(spans.length, 3);
    for (const span of spans) {
      const length = Date.parse(span.query.get('until')!) - Date.parse(span.query.get('since')!);
      assert.ok(length <= 180 * DAY);
    }
    assert.deepEqual(pagerDutySpans(0, 400 * DAY, 180 * DAY), [
      { since: 0, until: 180 * DAY },
      { since: 180 * DAY, until: 360 * DAY },
      { since: 360 * DAY, until: 400 * DAY },
    ]);
  });

  it('passes the service and status filters', async () => {
    const result = await validRecords(fetchPagerDutyIncidents(client(), options({ serviceIds: ['PSVC2'], statuses: ['triggered'] }), NOW));
    assert.deepEqual(result.map((incident) => incident.id), ['PD-500']);
    assert.ok(server.requests.every((request) => request.query.getAll('service_ids[]').join() === 'PSVC2'));
  });

  it('leaves out incidents it cannot read, naming them and the field, and keeps the rest', async () => {
    const valid = pagerDutyIncident(1, { status: 'triggered', priority: { id: 'P1', summary: 'P1' }, created_at: '2026-11-20T09:00:00Z', resolved_at: null });
    const page = JSON.stringify({
      incidents: [
        valid,
        pagerDutyIncident(2, { status: 'triggered', created_at: 'yesterday-ish', resolved_at: null }),
        { ...pagerDutyIncident(3), incident_number: 'NUMBER_PLACEHOLDER' },
        pagerDutyIncident(4, { resolved_at: null, last_status_change_at: null as unknown as string }),
      ],
      limit: 100,
      offset: 0,
      more: false,
    // JSON.parse reads 1e999 as Infinity: a number a server sends is not finite by nature.
    }).replace('"NUMBER_PLACEHOLDER"', '1e999');
    const broken = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(page);
    });
    try {
      const api = createHttpClient({ sourceName: 'PagerDuty', baseUrl: broken.origin, token: { value: TOKEN, scheme: 'Token token=', origin: broken.origin }, retries: 0 });
      const { records, problems } = await fetchPagerDutyIncidents(api, options(), NOW);
      assert.deepEqual(records.map((incident) => [incident.id, incident.severity, incident.resolvedAt]), [['PD-1', 'SEV1', null]]);
      assert.deepEqual(problems, [
        'incident PD-2: created_at: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "yesterday-ish"',
        'incident PINC3: incident_number: expected a whole number >= 0, got Infinity',
        'incident PD-4: status is resolved, but it has neither resolved_at nor last_status_change_at',
      ]);
    } finally {
      await broken.close();
    }
  });

  it('stops paging a server that keeps saying there is more', async () => {
    const endless = await startFakeServer((_request, response) =>
      sendJson(response, 200, { incidents: [pagerDutyIncident(1)], limit: 100, offset: 0, more: true }),
    );
    try {
      const api = createHttpClient({ sourceName: 'PagerDuty', baseUrl: endless.origin, token: { value: TOKEN, scheme: 'Token token=', origin: endless.origin }, retries: 0 });
      await assert.rejects(fetchPagerDutyIncidents(api, options({ statuses: ['resolved'] }), NOW), /more than 10000 incidents in one span/);
      assert.ok(endless.requests.length <= 100, `${endless.requests.length} requests`);
    } finally {
      await endless.close();
    }
  });

  it('maps priority first, then urgency', () => {
    assert.equal(pagerDutySeverity({ priority: { summary: 'P3' }, urgency: 'high' }), 'SEV3');
    assert.equal(pagerDutySeverity({ priority: { summary: 'SEV-2', name: 'SEV-2' }, urgency: 'low' }), 'SEV2');
    assert.equal(pagerDutySeverity({ priority: null, urgency: 'high' }), 'SEV2');
    assert.equal(pagerDutySeverity({ priority: null, urgency: 'low' }), 'SEV4');
  });

  describeFaults(() => ({
    sourceName: 'PagerDuty',
    host: () => server.host,
    token: TOKEN,
    faults,
    run: () => fetchPagerDutyIncidents(client({ retries: 1, timeoutMs: 300 }), options({ days: 30, statuses: ['resolved'] }), NOW),
    errorBody: (status) => ({ error: { message: status === 403 ? 'Access Denied' : 'Error', code: 2010 } }),
  }));
});

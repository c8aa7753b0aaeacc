import { strict as assert } from 'node:assert';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { validRecords } from './support/validRecords';
import { fetchOpsgenieIncidents, opsgenieOptions } from '../../../src/sources/opsgenie';
import { opsgenieBaseUrl } from '../../../src/sources/sourceAddresses';
import { startFakeServer } from '../fakes/fakeServer';
import type { FakeServer } from '../fakes/fakeServer';
import { withFaults } from '../fakes/faults';
import type { FaultInjector } from '../fakes/faults';
import { opsgenieHandler, opsgenieIncident } from '../fakes/opsgenieFake';
import type { FakeOpsgenieIncident } from '../fakes/opsgenieFake';
import { describeFaults } from './support/faultMatrix';

const KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';

function incidents(): FakeOpsgenieIncident[] {
  const list = Array.from({ length: 120 }, (_, index) => opsgenieIncident(index + 1, { status: 'closed' }));
  list.push(
    opsgenieIncident(300, { message: 'Checkout down', priority: 'P1', impactedServices: ['svc-uuid-1'], createdAt: '2026-11-20T10:00:00Z' }),
    opsgenieIncident(301, { message: 'Search slow', priority: 'P4', tags: ['service:search'], status: 'resolved', updatedAt: '2026-11-19T12:00:00Z' }),
  );
  return list;
}

describe('Opsgenie source', () => {
  let server: FakeServer;
  let faults: FaultInjector;

  beforeEach(async () => {
    const origin = { value: '' };
    faults = withFaults(opsgenieHandler(incidents(), KEY, () => origin.value));
    server = await startFakeServer(faults.handler);
    origin.value = server.origin;
  });
  afterEach(() => server.close());

  function client(overrides: { retries?: number; timeoutMs?: number } = {}) {
    return createHttpClient({ sourceName: 'Opsgenie', baseUrl: server.origin, token: { value: KEY, scheme: 'GenieKey', origin: server.origin }, retryBaseDelayMs: 10, ...overrides });
  }

  const options = opsgenieOptions({ type: 'opsgenie', options: { serviceMap: ['svc-uuid-1=checkout'] } });

  it('pages through paging.next with the GenieKey and maps P1..P5', async () => {
    const result = await validRecords(fetchOpsgenieIncidents(client(), options));
    assert.equal(result.length, 122);
    assert.deepEqual(server.requests.map((request) => request.query.get('offset')), ['0', '100']);
    assert.ok(server.requests.every((request) => request.headers.authorization === `GenieKey ${KEY}`));
    const byId = new Map(result.map((incident) => [incident.id, incident]));
    assert.deepEqual(byId.get('OG-300'), {
      id: 'OG-300',
      title: 'Checkout down',
      severity: 'SEV1',
      service: 'checkout',
      startedAt: Date.parse('2026-11-20T10:00:00Z'),
      resolvedAt: null,
      url: undefined,
      commits: [],
      files: [],
      source: 'opsgenie',
    });
    assert.equal(byId.get('OG-301')?.severity, 'SEV4');
    assert.equal(byId.get('OG-301')?.service, 'search');
    assert.equal(byId.get('OG-301')?.resolvedAt, Date.parse('2026-11-19T12:00:00Z'));
    assert.equal(byId.get('OG-1')?.service, 'unassigned');
  });

  it('leaves out incidents it cannot read, naming them and the field, and keeps the rest', async () => {
    const broken = await startFakeServer(
      opsgenieHandler(
        [
          opsgenieIncident(1, { priority: 'P1', createdAt: '2026-11-20T09:00:00Z' }),
          opsgenieIncident(2, { createdAt: 'last tuesday' }),
          { ...opsgenieIncident(3, { status: 'resolved' }), updatedAt: undefined as unknown as string },
          opsgenieIncident(4, { tinyId: '' }),
        ],
        KEY,
        () => broken.origin,
      ),
    );
    try {
      const api = createHttpClient({ sourceName: 'Opsgenie', baseUrl: broken.origin, token: { value: KEY, scheme: 'GenieKey', origin: broken.origin }, retries: 0 });
      const { records, problems } = await fetchOpsgenieIncidents(api, options);
      assert.deepEqual(records.map((incident) => [incident.id, incident.severity]), [['OG-1', 'SEV1']]);
      assert.deepEqual(problems, [
        'incident OG-2: createdAt: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "last tuesday"',
        'incident uuid-4: tinyId: expected a non-empty string, got ""',
        'incident OG-3: status is resolved, but it has no updatedAt',
      ]);
    } finally {
      await broken.close();
    }
  });

  it('passes a search query', async () => {
    const result = await validRecords(fetchOpsgenieIncidents(client(), opsgenieOptions({ type: 'opsgenie', options: { query: 'status: resolved' } })));
    assert.deepEqual(result.map((incident) => incident.id), ['OG-301']);
  });

  it('talks to the EU instance when asked', () => {
    assert.equal(opsgenieBaseUrl({ type: 'opsgenie', options: { region: 'eu' } }), 'https://api.eu.opsgenie.com');
    assert.equal(opsgenieBaseUrl({ type: 'opsgenie', options: {} }), 'https://api.opsgenie.com');
    assert.equal(opsgenieBaseUrl({ type: 'opsgenie', url: 'http://127.0.0.1:1', options: { region: 'eu' } }), 'http://127.0.0.1:1');
  });

  describeFaults(() => ({
    sourceName: 'Opsgenie',
    host: () => server.host,
    token: KEY,
    faults,
    run: () => fetchOpsgenieIncidents(client({ retries: 1, timeoutMs: 300 }), opsgenieOptions({ type: 'opsgenie', options: { query: 'status: resolved' } })),
    errorBody: (status) => ({ message: status === 403 ? 'You are not authorized for this action' : 'Error', took: 0.001, requestId: 'r' }),
  }));
});

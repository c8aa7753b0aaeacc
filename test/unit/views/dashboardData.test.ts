import { strict as assert } from 'node:assert';
import { parseFromWebviewMessage } from '../../../src/shared/protocol';
import { toDashboardData, toServiceDetail } from '../../../src/views/dashboard/projection';
import { originOf } from '../../../src/sources/http/origin';
import { configuredOrigin, parseTokenSecretKey, tokenSecretKey } from '../../../src/state/tokenOrigins';
import { DAY, HOUR, NOW, sloReport } from '../builders/reportBuilders';
import { config, deployment, incidentView, snapshot, viewState } from './viewBuilders';

describe('dashboard projection', () => {
  const state = viewState({
    snapshot: snapshot({
      sloReports: [
        sloReport({
          name: 'checkout-availability',
          service: 'checkout',
          status: 'critical',
          budget: { remaining: 0.62, consumed: 0.38 },
          alerts: [{ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }],
          burnDown: [
            [NOW - DAY, 0.9],
            [NOW, 0.62],
          ],
        }),
      ],
      incidents: [
        incidentView({ id: 'INC-7', service: 'checkout', url: 'https://pd.example.com/INC-7' }),
        incidentView({ id: 'INC-8', service: 'checkout', startedAt: NOW - HOUR, resolvedAt: NOW + HOUR }),
      ],
      deployments: [deployment({ name: 'v1.32.0', incidents: ['INC-7'] }), deployment({ name: 'v2.0.0', time: NOW + DAY })],
    }),
  });

  it('is plain data that survives structured cloning (no Maps, functions or config)', () => {
    const data = toDashboardData([state]);
    assert.deepEqual(structuredClone(data), data);
    assert.equal(JSON.stringify(data).includes('delivery'), false);
    assert.equal('config' in data.workspaces[0], false);
    const detail = toServiceDetail(state, 'checkout');
    assert.deepEqual(structuredClone(detail), detail);
  });

  it('summarises each service in the overview, worst first, without its SLO cards', () => {
    const [workspace] = toDashboardData([state]).workspaces;
    assert.deepEqual(
      workspace.services.map((service) => [service.name, service.status, service.sloCount, service.openIncidents, service.needsAttention]),
      [
        // Both open SEV3: INC-8 (started 1h ago) before INC-7 (2h ago), newest first.
        ['checkout', 'critical', 1, ['INC-8', 'INC-7'], true],
        ['search', null, 0, [], false],
      ],
    );
    assert.equal(workspace.services[0].worstBudgetRemaining, 0.62);
    assert.equal(JSON.stringify(workspace).includes('"burnDown"'), false, 'no burn-down buckets in the overview');
  });

  it("gives one service's SLOs, burn rates with alert state, deployments and incidents up to now", () => {
    const answer = toServiceDetail(state, 'checkout');
    assert.ok('detail' in answer);
    const { detail } = answer;
    const slo = detail.slos[0];
    assert.deepEqual(slo.burnRates.filter((rate) => rate.alerting).map((rate) => rate.window), ['5m', '1h']);
    assert.deepEqual(slo.burnDown, [
      [NOW - DAY, 0.9],
      [NOW, 0.62],
    ]);
    assert.deepEqual(detail.deployments.map((d) => [d.name, d.incidents]), [['v1.32.0', ['INC-7']]], 'v2.0.0 comes after now');
    assert.equal(detail.incidents.find((incident) => incident.id === 'INC-8')?.resolvedAt, null);
    assert.equal(detail.incidents.find((incident) => incident.id === 'INC-7')?.hasUrl, true);
    assert.deepEqual(detail.openIncidents, ['INC-8', 'INC-7']);
  });

  it('says why there are no details for a service that is not there, naming it', () => {
    assert.deepEqual(toServiceDetail(state, 'billing'), { error: 'no service named "billing" in shop' });
    assert.deepEqual(toServiceDetail(viewState({ snapshot: undefined, loading: true }), 'checkout'), { error: 'still loading' });
  });

  it("keeps the overview small as services grow, and a service's details independent of how many there are", () => {
    const sizes = [20, 200].map((count) => {
      const monorepo = monorepoState(count);
      const overview = JSON.stringify({ type: 'snapshot', data: toDashboardData([monorepo]) }).length;
      const one = JSON.stringify(toServiceDetail(monorepo, 'service-7')).length;
      const all = monorepo.snapshot!.config.services.reduce((sum, service) => sum + JSON.stringify(toServiceDetail(monorepo, service.name)).length, 0);
      return { count, overview, one, all };
    });
    const [small, large] = sizes;
    // Each service adds a summary line to the overview: a few hundred bytes, never its buckets.
    assert.ok((large.overview - small.overview) / (large.count - small.count) < 400, `bytes per service in the overview: ${JSON.stringify(sizes)}`);
    assert.ok(large.overview < 100_000, `overview of 200 services under 100 kB: ${large.overview}`);
    assert.equal(large.one, small.one, "one service's details do not depend on the number of services");
    assert.ok(large.overview + large.one < large.all / 20, `overview + one service is a small part of everything: ${JSON.stringify(large)}`);
  });
});

/** A monorepo: `count` services with 2–3 SLOs each, every SLO with a 28-day burn-down of 2-hour buckets. */
function monorepoState(count: number) {
  const services = Array.from({ length: count }, (_, index) => `service-${index}`);
  const burnDown: Array<[number, number]> = Array.from({ length: 336 }, (_, index) => [NOW - (336 - index) * 2 * HOUR, 1 - index / 1000]);
  return viewState({
    name: 'monorepo',
    snapshot: snapshot({
      config: config({ services: services.map((name) => ({ name, paths: [`services/${name}/**`] })) }),
      sloReports: services.flatMap((service, index) =>
        Array.from({ length: 2 + (index % 2) }, (_, slo) => sloReport({ name: `${service}-slo-${slo}`, service, burnDown })),
      ),
      incidents: [],
      deployments: [],
    }),
  });
}

describe('webview messages', () => {
  it('accepts only the known shapes', () => {
    assert.equal(parseFromWebviewMessage({ type: 'ready' }).ok, true);
    assert.equal(parseFromWebviewMessage({ type: 'openIncident', root: '/r', id: 'INC-7' }).ok, true);
    assert.equal(parseFromWebviewMessage({ type: 'openIncident', root: '/r' }).ok, false);
    assert.equal(parseFromWebviewMessage({ type: 'runCommand', command: 'x' }).ok, false);
    assert.equal(parseFromWebviewMessage('ready').ok, false);
    assert.equal(parseFromWebviewMessage({ type: 'requestService', requestId: 3, root: '/r', service: 'checkout' }).ok, true);
    // A reply needs an id to answer: a fraction, a negative number or a string is no request id.
    for (const requestId of [1.5, -1, '3', undefined]) {
      assert.equal(parseFromWebviewMessage({ type: 'requestService', requestId, root: '/r', service: 'checkout' }).ok, false, `requestId ${String(requestId)}`);
    }
    assert.equal(parseFromWebviewMessage(null).ok, false);
  });
});

describe('token origins', () => {
  it('binds tokens to the origin the config names', () => {
    assert.equal(originOf('https://prom.example.com:9090/api/v1'), 'https://prom.example.com:9090');
    assert.equal(originOf('file:///etc/passwd'), null);
    assert.equal(originOf('not a url'), null);
    const withPrometheus = config({ slis: { source: 'prometheus', prometheus: { url: 'https://prom.example.com/', headers: {}, mode: 'auto', minimumRefreshMs: null } } });
    assert.equal(configuredOrigin(withPrometheus, 'prometheus'), 'https://prom.example.com');
    assert.equal(configuredOrigin(config(), 'prometheus'), undefined);
    const withIncidents = config({
      incidents: {
        sources: [
          { type: 'pagerduty', options: {} },
          { type: 'opsgenie', options: { region: 'eu' } },
          { type: 'github', url: 'https://github.example.com/api/v3', options: {} },
        ],
      },
    });
    assert.equal(configuredOrigin(withIncidents, 'pagerduty'), 'https://api.pagerduty.com');
    assert.equal(configuredOrigin(withIncidents, 'opsgenie'), 'https://api.eu.opsgenie.com');
    assert.equal(configuredOrigin(withIncidents, 'github'), 'https://github.example.com');
  });

  it('keys secrets by source and origin, and reads the key back', () => {
    const key = tokenSecretKey('prometheus', 'https://prom.example.com');
    assert.equal(key, 'reliabilityLens.token:prometheus@https://prom.example.com');
    assert.deepEqual(parseTokenSecretKey(key), { source: 'prometheus', origin: 'https://prom.example.com' });
    assert.equal(parseTokenSecretKey('reliabilityLens.token:github@https://api.github.com'), undefined);
    assert.equal(parseTokenSecretKey('other'), undefined);
  });
});

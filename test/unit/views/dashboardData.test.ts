import { strict as assert } from 'node:assert';
import { parseFromWebviewMessage } from '../../../src/shared/protocol';
import { toDashboardData } from '../../../src/views/dashboard/projection';
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
  });

  it('projects services, burn rates with alert state, and what happened up to now', () => {
    const [workspace] = toDashboardData([state]).workspaces;
    assert.deepEqual(workspace.services.map((service) => [service.name, service.status, service.openIncidents]), [
      // Both open SEV3: INC-8 (started 1h ago) before INC-7 (2h ago), newest first.
      ['checkout', 'critical', ['INC-8', 'INC-7']],
      ['search', null, []],
    ]);
    const slo = workspace.services[0].slos[0];
    assert.deepEqual(slo.burnRates.filter((rate) => rate.alerting).map((rate) => rate.window), ['5m', '1h']);
    assert.deepEqual(slo.burnDown, [
      [NOW - DAY, 0.9],
      [NOW, 0.62],
    ]);
    assert.deepEqual(workspace.deployments.map((d) => [d.name, d.incidents]), [['v1.32.0', ['INC-7']]]);
    assert.equal(workspace.incidents.find((incident) => incident.id === 'INC-8')?.resolvedAt, null);
    assert.equal(workspace.incidents.find((incident) => incident.id === 'INC-7')?.hasUrl, true);
  });
});

describe('webview messages', () => {
  it('accepts only the known shapes', () => {
    assert.equal(parseFromWebviewMessage({ type: 'ready' }).ok, true);
    assert.equal(parseFromWebviewMessage({ type: 'openIncident', root: '/r', id: 'INC-7' }).ok, true);
    assert.equal(parseFromWebviewMessage({ type: 'openIncident', root: '/r' }).ok, false);
    assert.equal(parseFromWebviewMessage({ type: 'runCommand', command: 'x' }).ok, false);
    assert.equal(parseFromWebviewMessage('ready').ok, false);
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

import { strict as assert } from 'node:assert';
import type { IncidentSourceConfig, WorkspaceConfig } from '../../../src/core/model';
import { OPSGENIE_SHUTDOWN_NOTICE } from '../../../src/sources/opsgenie';
import { checkSources, environmentTokens, fetchRemoteIncidents } from '../../../src/sources/remoteSources';
import type { TokenProvider, TokenSource } from '../../../src/sources/remoteSources';
import { sendJson, sendProxyErrorPage, startFakeServer } from '../fakes/fakeServer';
import type { FakeServer } from '../fakes/fakeServer';
import { gitHubHandler } from '../fakes/gitHubFake';
import { opsgenieHandler, opsgenieIncident } from '../fakes/opsgenieFake';
import { pagerDutyHandler, pagerDutyIncident } from '../fakes/pagerDutyFake';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const PD_TOKEN = 'pd-secret-token-1234567890';
const OG_KEY = 'og-secret-key-1234567890';
const GH_TOKEN = 'ghp_secretToken1234567890';
const FAST = { retries: 0, timeoutMs: 2_000, retryBaseDelayMs: 10 };

function workspace(sources: IncidentSourceConfig[], extra: Partial<WorkspaceConfig> = {}): WorkspaceConfig {
  return {
    version: 1,
    services: [{ name: 'checkout', paths: ['services/checkout/**'] }],
    deployments: { source: 'git-tags', tagPattern: 'v*' },
    incidents: { sources },
    slis: { source: 'file' },
    policy: { cautionBelow: 0.25, freezeSeverity: 'SEV2' },
    recentDays: 30,
    ...extra,
  };
}

function tokensFor(entries: Partial<Record<TokenSource, string | { value: string; origin: string }>>): TokenProvider {
  return async (source) => entries[source];
}

describe('remote sources', () => {
  const servers: FakeServer[] = [];
  async function fake(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
    const server = await startFakeServer(handler);
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('fetches each source independently: one failing or lacking a token hides nothing else', async () => {
    const pagerDuty = await fake(pagerDutyHandler([pagerDutyIncident(7, { created_at: '2026-11-19T10:00:00Z' })], PD_TOKEN, () => NOW));
    const brokenOpsgenie = await fake((_request, response) => sendProxyErrorPage(response, 502));
    const gitHub = await fake((_request, response) => sendJson(response, 200, []));
    const config = workspace([
      { type: 'file', options: {} },
      { type: 'pagerduty', url: pagerDuty.origin, options: { statuses: ['resolved'] } },
      { type: 'opsgenie', url: brokenOpsgenie.origin, options: {} },
      { type: 'github', url: gitHub.origin, options: { repository: 'acme/shop' } },
    ]);
    const data = await fetchRemoteIncidents(
      config,
      tokensFor({ pagerduty: { value: PD_TOKEN, origin: pagerDuty.origin }, opsgenie: { value: OG_KEY, origin: brokenOpsgenie.origin } }),
      NOW,
      undefined,
      FAST,
    );
    assert.deepEqual(data.incidents.map((incident) => incident.id), ['PD-7']);
    assert.deepEqual(data.states, [
      { name: 'pagerduty', host: pagerDuty.host, state: 'ok', lastSuccess: NOW },
      {
        name: 'opsgenie',
        host: brokenOpsgenie.host,
        state: 'failing',
        message: `Opsgenie at ${brokenOpsgenie.host} answered 502 with an HTML page (a proxy error page?)`,
      },
      {
        name: 'github',
        host: gitHub.host,
        state: 'needs-token',
        message: 'GitHub needs a token: set it in the editor, or GITHUB_TOKEN for the CLI',
      },
    ]);
    assert.equal(gitHub.requests.length, 0);
  });

  it('withholds a token from a host it was not saved for, and says so', async () => {
    const elsewhere = await fake((_request, response) => sendJson(response, 200, { incidents: [], limit: 100, offset: 0, more: false }));
    const config = workspace([{ type: 'pagerduty', url: elsewhere.origin, options: {} }]);
    // A plain token (environment variable) belongs to api.pagerduty.com.
    const data = await fetchRemoteIncidents(config, tokensFor({ pagerduty: PD_TOKEN }), NOW, undefined, FAST);
    assert.equal(elsewhere.requests.length, 0, 'the foreign host was not even contacted');
    assert.deepEqual(data.states, [
      {
        name: 'pagerduty',
        host: elsewhere.host,
        state: 'needs-token',
        message: `the PagerDuty token is kept for api.pagerduty.com; config.yaml points at ${elsewhere.host}, which does not receive it. Save a token for ${elsewhere.host} to use it`,
      },
    ]);
    assert.ok(!JSON.stringify(data).includes(PD_TOKEN));
  });

  it('warns that Opsgenie is being retired while it still works, and reads GitHub deployments', async () => {
    const opsgenie = await fake(opsgenieHandler([opsgenieIncident(1)], OG_KEY, () => opsgenie.origin));
    const gitHub = await fake(
      gitHubHandler(
        {
          owner: 'acme',
          name: 'shop',
          issues: [],
          deployments: [
            {
              id: 5, sha: 'f'.repeat(40), ref: 'v2.0.0', environment: 'production', created_at: '2026-11-18T10:00:00Z', payload: {},
              statuses: [{ id: 1, state: 'success', created_at: '2026-11-18T10:02:00Z' }],
            },
          ],
        },
        GH_TOKEN,
        () => gitHub.origin,
      ),
    );
    const config = workspace([{ type: 'opsgenie', url: opsgenie.origin, options: {} }], {
      deployments: { source: 'github', tagPattern: 'v*', repository: 'acme/shop', environment: 'production', url: gitHub.origin },
    });
    const data = await fetchRemoteIncidents(
      config,
      tokensFor({ opsgenie: { value: OG_KEY, origin: opsgenie.origin }, github: { value: GH_TOKEN, origin: gitHub.origin } }),
      NOW,
      undefined,
      FAST,
    );
    assert.deepEqual(data.incidents.map((incident) => incident.id), ['OG-1']);
    assert.deepEqual(data.deployments.map((deployment) => [deployment.name, deployment.services]), [['5', ['checkout']]]);
    assert.deepEqual(data.states, [
      { name: 'opsgenie', host: opsgenie.host, state: 'ok', lastSuccess: NOW, message: OPSGENIE_SHUTDOWN_NOTICE },
      { name: 'github-deployments', host: gitHub.host, state: 'ok', lastSuccess: NOW },
    ]);
    assert.match(OPSGENIE_SHUTDOWN_NOTICE, /2027-04-05/);
  });

  it('stops every source when the caller cancels', async () => {
    const slow = await fake(() => undefined); // never answers
    const config = workspace([{ type: 'alertmanager', url: slow.origin, options: {} }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const data = await fetchRemoteIncidents(config, tokensFor({}), NOW, controller.signal, { ...FAST, timeoutMs: 10_000 });
    assert.deepEqual(data.states, [{ name: 'alertmanager', host: slow.host, state: 'failing', message: `Alertmanager at ${slow.host} did not answer before the request was cancelled` }]);
  });

  it('checks every configured source for the `sources` command', async () => {
    const prometheus = await fake((request, response) =>
      request.path === '/api/v1/status/buildinfo'
        ? sendJson(response, 200, { status: 'success', data: { version: '2.53.0', revision: 'x' } })
        : sendJson(response, 404, {}),
    );
    const alertmanager = await fake((_request, response) => sendJson(response, 200, { versionInfo: { version: '0.27.0' }, cluster: {} }));
    const pagerDuty = await fake(pagerDutyHandler([], PD_TOKEN, () => NOW));
    const config = workspace(
      [
        { type: 'alertmanager', url: alertmanager.origin, options: {} },
        { type: 'pagerduty', url: pagerDuty.origin, options: {} },
        { type: 'github', options: { repository: 'acme/shop' } },
      ],
      { slis: { source: 'prometheus', prometheus: { url: prometheus.origin, headers: { 'X-Scope-OrgID': 'team-a' } } } },
    );
    const states = await checkSources(
      config,
      tokensFor({ prometheus: 'prom-token-abcdef', pagerduty: { value: 'wrong-token-123', origin: pagerDuty.origin } }),
      NOW,
      undefined,
      FAST,
    );
    assert.deepEqual(states, [
      { name: 'prometheus', host: prometheus.host, state: 'ok', message: 'Prometheus 2.53.0', lastSuccess: NOW },
      { name: 'alertmanager', host: alertmanager.host, state: 'ok', message: 'Alertmanager 0.27.0', lastSuccess: NOW },
      { name: 'pagerduty', host: pagerDuty.host, state: 'failing', message: `PagerDuty at ${pagerDuty.host} rejected the token (401)` },
      { name: 'github', host: 'api.github.com', state: 'needs-token', message: 'GitHub needs a token: set it in the editor, or GITHUB_TOKEN for the CLI' },
    ]);
    // A plain Prometheus token belongs to the configured server and goes there with the headers.
    assert.equal(prometheus.requests[0].headers.authorization, 'Bearer prom-token-abcdef');
    assert.equal(prometheus.requests[0].headers['x-scope-orgid'], 'team-a');
  });

  it('reads tokens from the environment, pinned to a host when told', async () => {
    const tokens = environmentTokens({
      RELIABILITY_LENS_PROMETHEUS_TOKEN: 'p',
      RELIABILITY_LENS_PAGERDUTY_TOKEN: ' pd ',
      RELIABILITY_LENS_OPSGENIE_TOKEN: 'og',
      RELIABILITY_LENS_OPSGENIE_TOKEN_ORIGIN: 'http://127.0.0.1:4010/anything',
      GITHUB_TOKEN: 'gh',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    });
    assert.equal(await tokens('prometheus'), 'p');
    assert.equal(await tokens('pagerduty'), 'pd');
    assert.deepEqual(await tokens('opsgenie'), { value: 'og', origin: 'http://127.0.0.1:4010' });
    assert.deepEqual(await tokens('github'), { value: 'gh', origin: 'https://ghe.example.com' });
    assert.equal(await environmentTokens({})('github'), undefined);
  });
});

import { strict as assert } from 'node:assert';
import type { IncidentSourceConfig, WorkspaceConfig } from '../../../src/core/model';
import { OPSGENIE_SHUTDOWN_NOTICE } from '../../../src/sources/opsgenie';
import { checkSources, environmentTokens, fetchRemoteIncidents } from '../../../src/sources/remoteSources';
import type { TokenProvider, TokenSource } from '../../../src/sources/remoteSources';
import { insecureSkipVerifyFromEnvironment } from '../../../src/sources/http/tlsVerification';
import { LastGoodData } from '../../../src/workspace/lastGood';
import { sendJson, sendProxyErrorPage, startFakeServer } from '../fakes/fakeServer';
import type { FakeServer } from '../fakes/fakeServer';
import { gitHubHandler } from '../fakes/gitHubFake';
import { opsgenieHandler, opsgenieIncident } from '../fakes/opsgenieFake';
import { pagerDutyHandler, pagerDutyIncident } from '../fakes/pagerDutyFake';
import { selfSignedCertificate } from '../fakes/selfSignedCertificate';

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
  return async ({ source }) => entries[source];
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
        message:
          `the PagerDuty token is kept for api.pagerduty.com; config.yaml points at ${elsewhere.host}, which does not receive it. ` +
          `Save a token for ${elsewhere.host} in the editor, or pin the CLI's with RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN, to use it`,
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
    const alertmanager = await fake((request, response) =>
      request.path === '/api/v2/status' ? sendJson(response, 200, { versionInfo: { version: '0.27.0' }, cluster: {} }) : sendJson(response, 200, []),
    );
    const pagerDuty = await fake(pagerDutyHandler([], PD_TOKEN, () => NOW));
    const config = workspace(
      [
        { type: 'alertmanager', url: alertmanager.origin, options: {} },
        { type: 'pagerduty', url: pagerDuty.origin, options: {} },
        { type: 'github', options: { repository: 'acme/shop' } },
      ],
      { slis: { source: 'prometheus', prometheus: { url: prometheus.origin, headers: { 'X-Scope-OrgID': 'team-a' }, mode: 'auto', minimumRefreshMs: null } } },
    );
    const states = await checkSources(
      config,
      tokensFor({ prometheus: { value: 'prom-token-abcdef', origin: prometheus.origin }, pagerduty: { value: 'wrong-token-123', origin: pagerDuty.origin } }),
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
    // A Prometheus token saved for the configured server goes there, with the configured headers.
    assert.equal(prometheus.requests[0].headers.authorization, 'Bearer prom-token-abcdef');
    assert.equal(prometheus.requests[0].headers['x-scope-orgid'], 'team-a');
  });

  // ---- tokens go only where the user said ----------------------------------------------------------

  /** A Prometheus that answers buildinfo to anyone and records who sent what. */
  async function prometheusFake(): Promise<FakeServer> {
    return fake((request, response) =>
      request.path === '/api/v1/status/buildinfo'
        ? sendJson(response, 200, { status: 'success', data: { version: '2.53.0', revision: 'x' } })
        : sendJson(response, 404, {}),
    );
  }

  function prometheusAt(url: string): WorkspaceConfig {
    return workspace([], { slis: { source: 'prometheus', prometheus: { url, headers: {}, mode: 'auto', minimumRefreshMs: null } } });
  }

  it('sends a Prometheus token from the environment nowhere until RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN pins it', async () => {
    // The README's CI example: the token set, no origin. A config.yaml pointing anywhere must not get it.
    const attacker = await prometheusFake();
    const [state] = await checkSources(
      prometheusAt(`http://${attacker.host}/`),
      environmentTokens({ RELIABILITY_LENS_PROMETHEUS_TOKEN: 'prom-secret-0123456789' }),
      NOW,
      undefined,
      FAST,
    );
    assert.equal(state.state, 'needs-token');
    assert.match(state.message!, /not pinned to a server, so it is not sent/);
    assert.match(state.message!, /set RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN to the server it is for/);
    assert.ok(attacker.requests.every((request) => request.headers.authorization === undefined), 'no Authorization header arrived');
    assert.ok(!JSON.stringify(state).includes('prom-secret-0123456789'));
  });

  it('sends a Prometheus token to the server its pin names (a path in the pin is fine), and only there', async () => {
    const prometheus = await prometheusFake();
    const env = {
      RELIABILITY_LENS_PROMETHEUS_TOKEN: 'prom-secret-0123456789',
      RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN: `${prometheus.origin}/prometheus/`,
    };
    const [state] = await checkSources(prometheusAt(prometheus.origin), environmentTokens(env), NOW, undefined, FAST);
    assert.equal(state.state, 'ok', state.message);
    assert.equal(prometheus.requests[0].headers.authorization, 'Bearer prom-secret-0123456789');

    const other = await prometheusFake();
    const [elsewhere] = await checkSources(prometheusAt(other.origin), environmentTokens(env), NOW, undefined, FAST);
    assert.equal(elsewhere.state, 'needs-token');
    assert.equal(other.requests.length, 0);
  });

  for (const pin of ['prometheus.example.com', 'host:9090', ' ', '', 'ftp://x']) {
    it(`refuses RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN=${JSON.stringify(pin)}, naming the variable, and sends nothing`, async () => {
      const prometheus = await prometheusFake();
      const [state] = await checkSources(
        prometheusAt(prometheus.origin),
        environmentTokens({ RELIABILITY_LENS_PROMETHEUS_TOKEN: 'prom-secret-0123456789', RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN: pin }),
        NOW,
        undefined,
        FAST,
      );
      assert.equal(state.state, 'failing');
      assert.ok(
        state.message!.startsWith(`RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN is ${JSON.stringify(pin)}, which is not an http(s) URL`),
        state.message,
      );
      assert.ok(!state.message!.includes('prom-secret'));
      assert.equal(prometheus.requests.length, 0, 'nothing was sent');
    });
  }

  it('refuses malformed pins of the SaaS tokens too, GITHUB_API_URL included', async () => {
    const pagerDuty = await fake(pagerDutyHandler([], PD_TOKEN, () => NOW));
    const gitHub = await fake((_request, response) => sendJson(response, 200, []));
    const config = workspace([
      { type: 'pagerduty', url: pagerDuty.origin, options: {} },
      { type: 'github', url: gitHub.origin, options: { repository: 'acme/shop' } },
    ]);
    const tokens = environmentTokens({
      RELIABILITY_LENS_PAGERDUTY_TOKEN: PD_TOKEN,
      RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: pagerDuty.host,
      GITHUB_TOKEN: GH_TOKEN,
      GITHUB_API_URL: 'ghe.example.com/api/v3',
    });
    const data = await fetchRemoteIncidents(config, tokens, NOW, undefined, FAST);
    assert.deepEqual(data.states.map((state) => [state.name, state.state]), [['pagerduty', 'failing'], ['github', 'failing']]);
    assert.match(data.states[0].message!, /^RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN is "127\.0\.0\.1:\d+", which is not an http\(s\) URL/);
    assert.match(data.states[1].message!, /^GITHUB_API_URL is "ghe\.example\.com\/api\/v3", which is not an http\(s\) URL/);
    assert.equal(pagerDuty.requests.length + gitHub.requests.length, 0);
  });

  it('reads tokens from the environment: unpinned ones plain, pinned ones with their origin', async () => {
    const tokens = environmentTokens({
      RELIABILITY_LENS_PROMETHEUS_TOKEN: 'p',
      RELIABILITY_LENS_PAGERDUTY_TOKEN: ' pd ',
      RELIABILITY_LENS_OPSGENIE_TOKEN: 'og',
      RELIABILITY_LENS_OPSGENIE_TOKEN_ORIGIN: 'http://127.0.0.1:4010/anything',
      GITHUB_TOKEN: 'gh',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    });
    // A plain token is for the provider's own API only; a plain Prometheus token for none (see above).
    // The requested origin does not change the answer: openClient checks it against the pin.
    const asked = (source: TokenSource) => tokens({ source, origin: 'https://elsewhere.example' });
    assert.equal(await asked('prometheus'), 'p');
    assert.equal(await asked('pagerduty'), 'pd');
    assert.deepEqual(await asked('opsgenie'), { value: 'og', origin: 'http://127.0.0.1:4010' });
    assert.deepEqual(await asked('github'), { value: 'gh', origin: 'https://ghe.example.com' });
    assert.equal(await environmentTokens({})({ source: 'github', origin: 'https://api.github.com' }), undefined);
  });

  it('sends a token saved for an origin (as the editor offers them) to that origin only', async () => {
    const saved = await prometheusFake();
    const other = await prometheusFake();
    const editorTokens = tokensFor({ prometheus: { value: 'saved-token-0123456789', origin: saved.origin } });
    const [elsewhere] = await checkSources(prometheusAt(other.origin), editorTokens, NOW, undefined, FAST);
    assert.equal(elsewhere.state, 'needs-token');
    assert.equal(other.requests.length, 0);
    const [home] = await checkSources(prometheusAt(`${saved.origin}/`), editorTokens, NOW, undefined, FAST);
    assert.equal(home.state, 'ok');
    assert.equal(saved.requests[0].headers.authorization, 'Bearer saved-token-0123456789');
  });

  it('asks the token provider with each source and the exact origin config.yaml names, and nothing else', async () => {
    const prometheus = await prometheusFake();
    const asked: Array<{ source: TokenSource; origin: string }> = [];
    const recording: TokenProvider = async (request) => {
      asked.push(request);
      return undefined;
    };
    const config = workspace(
      [
        { type: 'file', options: {} },
        { type: 'pagerduty', options: {} },
        { type: 'opsgenie', options: { region: 'EU' } },
        // Scheme and host as written (upper case, default port, a path): the origin is normalized.
        { type: 'github', url: 'HTTPS://GHE.Example.com:443/api/v3/', options: { repository: 'acme/shop' } },
        // Alertmanager takes no token: the provider is not asked for it.
        { type: 'alertmanager', url: 'http://127.0.0.1:9/', options: {} },
      ],
      {
        slis: { source: 'prometheus', prometheus: { url: `${prometheus.origin}/prometheus/`, headers: {}, mode: 'auto', minimumRefreshMs: null } },
        deployments: { source: 'github', tagPattern: 'v*', repository: 'acme/shop', environment: 'production', url: 'https://ghe.example.org/api/v3' },
      },
    );
    await checkSources(config, recording, NOW, undefined, FAST);
    const byOrigin = (a: { origin: string }, b: { origin: string }) => a.origin.localeCompare(b.origin);
    assert.deepEqual(asked.sort(byOrigin), [
      { source: 'prometheus', origin: prometheus.origin },
      { source: 'opsgenie', origin: 'https://api.eu.opsgenie.com' },
      { source: 'pagerduty', origin: 'https://api.pagerduty.com' },
      { source: 'github', origin: 'https://ghe.example.com' },
      { source: 'github', origin: 'https://ghe.example.org' },
    ].sort(byOrigin));
  });

  // ---- TLS verification is the user's switch ----------------------------------------------------

  describe('TLS verification', function () {
    this.timeout(30_000);
    let tls: { key: string; cert: string };
    before(() => {
      tls = selfSignedCertificate();
    });

    async function selfSignedPrometheus(): Promise<FakeServer> {
      const server = await startFakeServer(
        (request, response) =>
          request.path === '/api/v1/status/buildinfo'
            ? sendJson(response, 200, { status: 'success', data: { version: '2.53.0', revision: 'x' } })
            : sendJson(response, 404, {}),
        { tls },
      );
      servers.push(server);
      return server;
    }

    it('stays on unless the user turns it off; an unreadable switch keeps it on and says so', async () => {
      const prometheus = await selfSignedPrometheus();
      const tokens = tokensFor({ prometheus: { value: 'prom-secret-0123456789', origin: prometheus.origin } });
      const config = prometheusAt(prometheus.origin);

      const [verified] = await checkSources(config, tokens, NOW, undefined, FAST);
      assert.equal(verified.state, 'failing');
      assert.match(verified.message!, /presented a TLS certificate that is not trusted/);
      assert.equal(prometheus.requests.length, 0, 'no request went over the untrusted connection');

      const [invalid] = await checkSources(config, tokens, NOW, undefined, {
        ...FAST,
        prometheusInsecureSkipVerify: insecureSkipVerifyFromEnvironment({ RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY: 'yes please' }),
      });
      assert.equal(invalid.state, 'failing');
      assert.match(invalid.message!, /RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY is "yes please"; set it to true or false/);
      assert.equal(prometheus.requests.length, 0);

      const [skipped] = await checkSources(config, tokens, NOW, undefined, {
        ...FAST,
        prometheusInsecureSkipVerify: insecureSkipVerifyFromEnvironment({ RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY: 'true' }),
      });
      assert.equal(skipped.state, 'ok', skipped.message);
      assert.equal(prometheus.requests[0].headers.authorization, 'Bearer prom-secret-0123456789');
    });
  });

  // ---- records that cannot be read ---------------------------------------------------------------

  it('fails a source whose incidents cannot all be read, naming them, while the valid ones still count', async () => {
    const pagerDuty = await fake(
      pagerDutyHandler(
        [
          pagerDutyIncident(12, { status: 'triggered', created_at: 'yesterday-ish', resolved_at: null, priority: { id: 'P2', summary: 'P2' } }),
          pagerDutyIncident(13, { status: 'triggered', created_at: '2026-11-20T09:00:00Z', resolved_at: null, priority: { id: 'P1', summary: 'P1' } }),
          pagerDutyIncident(14, { created_at: '2026-11-19T09:00:00Z', resolved_at: '2026-11-18T09:00:00Z', last_status_change_at: '2026-11-18T09:00:00Z' }),
        ],
        PD_TOKEN,
        () => NOW,
      ),
    );
    const config = workspace([{ type: 'pagerduty', url: pagerDuty.origin, options: {} }]);
    const tokens = tokensFor({ pagerduty: { value: PD_TOKEN, origin: pagerDuty.origin } });
    const data = await fetchRemoteIncidents(config, tokens, NOW, undefined, FAST);
    assert.deepEqual(data.incidents.map((incident) => [incident.id, incident.severity, incident.resolvedAt]), [['PD-13', 'SEV1', null]]);
    assert.deepEqual(data.states, [
      {
        name: 'pagerduty',
        host: pagerDuty.host,
        state: 'failing',
        message:
          `PagerDuty at ${pagerDuty.host} answered 2 incidents that could not be read, left out (the others count): ` +
          'incident PD-12: created_at: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "yesterday-ish"; ' +
          'incident PD-14: resolved at 2026-11-18T09:00:00.000Z, before it started at 2026-11-19T09:00:00.000Z',
      },
    ]);
    // `sources` reads as a load does, so it does not say ok either.
    const [checked] = await checkSources(config, tokens, NOW, undefined, FAST);
    assert.deepEqual(checked, data.states[0]);
  });

  it('fails Alertmanager and GitHub deployments on unreadable records too, keeping the rest', async () => {
    const alert = (fingerprint: string, startsAt: unknown) => ({
      fingerprint,
      startsAt,
      labels: { alertname: `Alert${fingerprint}`, severity: 'critical', service: 'checkout' },
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    const alertmanager = await fake((_request, response) =>
      sendJson(response, 200, [alert('a1', '2026-11-20T11:00:00.123456789Z'), alert('a2', 'not a time'), alert('a3', 1795176000)]),
    );
    const sha = 'f'.repeat(40);
    const gitHub = await fake(
      gitHubHandler(
        {
          owner: 'acme',
          name: 'shop',
          issues: [],
          deployments: [
            { id: 5, sha, ref: 'v2.0.0', environment: 'production', created_at: '2026-11-18T10:00:00Z', payload: {}, statuses: [{ id: 1, state: 'success', created_at: '2026-11-18T10:02:00Z' }] },
            { id: 6, sha: '--upload-pack=touch /tmp/pwned', ref: 'v2.0.1', environment: 'production', created_at: '2026-11-18T11:00:00Z', payload: {}, statuses: [{ id: 2, state: 'success', created_at: '2026-11-18T11:02:00Z' }] },
            { id: 7, sha, ref: 'v2.0.2', environment: 'production', created_at: '2026-11-18T12:00:00Z', payload: {}, statuses: [{ id: 3, state: 'success', created_at: '2026-02-30T12:02:00Z' }] },
          ],
        },
        GH_TOKEN,
        () => gitHub.origin,
      ),
    );
    const config = workspace([{ type: 'alertmanager', url: alertmanager.origin, options: {} }], {
      deployments: { source: 'github', tagPattern: 'v*', repository: 'acme/shop', environment: 'production', url: gitHub.origin },
    });
    const data = await fetchRemoteIncidents(config, tokensFor({ github: { value: GH_TOKEN, origin: gitHub.origin } }), NOW, undefined, FAST);
    assert.deepEqual(data.incidents.map((incident) => [incident.id, incident.severity, incident.startedAt]), [['AM-a1', 'SEV1', Date.parse('2026-11-20T11:00:00.123Z')]]);
    assert.deepEqual(data.deployments.map((deployment) => deployment.name), ['5']);
    assert.deepEqual(data.states.map((state) => [state.name, state.state]), [['alertmanager', 'failing'], ['github-deployments', 'failing']]);
    assert.equal(
      data.states[0].message,
      `Alertmanager at ${alertmanager.host} answered 2 incidents that could not be read, left out (the others count): ` +
        'alert AM-a2: startsAt: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "not a time"; ' +
        'alert AM-a3: startsAt: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got 1795176000',
    );
    assert.equal(
      data.states[1].message,
      `GitHub at ${gitHub.host} answered 2 deployment records that could not be read, left out (the others count): ` +
        'deployment 6: sha: expected a full commit SHA (40 or 64 hex digits), got "--upload-pack=touch /tmp/pwned"; ' +
        'deployment 7 status 3: created_at: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "2026-02-30T12:02:00Z"',
    );
  });

  it('keeps a partial answer in the editor: remembered incidents only fill in the ones left out', async () => {
    let bad = false;
    const pagerDuty = await fake((request, response) =>
      pagerDutyHandler(
        [
          pagerDutyIncident(1, { status: 'triggered', created_at: '2026-11-20T09:00:00Z', resolved_at: null, title: bad ? 'Now' : 'Before' }),
          pagerDutyIncident(2, { status: 'triggered', created_at: bad ? 'garbled' : '2026-11-20T10:00:00Z', resolved_at: null }),
        ],
        PD_TOKEN,
        () => NOW,
      )(request, response),
    );
    const config = workspace([{ type: 'pagerduty', url: pagerDuty.origin, options: {} }]);
    const tokens = tokensFor({ pagerduty: { value: PD_TOKEN, origin: pagerDuty.origin } });
    const lastGood = new LastGoodData();
    lastGood.applyToRemote(await fetchRemoteIncidents(config, tokens, NOW, undefined, FAST), NOW);
    bad = true;
    const later = lastGood.applyToRemote(await fetchRemoteIncidents(config, tokens, NOW + 60_000, undefined, FAST), NOW + 60_000);
    assert.deepEqual(later.incidents.map((incident) => [incident.id, incident.title]), [['PD-1', 'Now'], ['PD-2', 'Incident 2']]);
    assert.equal(later.states[0].state, 'stale');
    assert.match(later.states[0].message!, /incident PD-2: created_at/);
  });

  // ---- answer size -------------------------------------------------------------------------------

  it('refuses an answer larger than the cap as a plain failure, and the other sources still load', async () => {
    const huge = await fake((_request, response) => {
      // Chunked, no Content-Length: an endless JSON list of alerts.
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('[');
      const chunk = `${JSON.stringify({ fingerprint: 'x'.repeat(1000) })},`.repeat(16);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const pagerDuty = await fake(pagerDutyHandler([pagerDutyIncident(7, { created_at: '2026-11-19T10:00:00Z' })], PD_TOKEN, () => NOW));
    const config = workspace([
      { type: 'alertmanager', url: huge.origin, options: {} },
      { type: 'pagerduty', url: pagerDuty.origin, options: {} },
    ]);
    const data = await fetchRemoteIncidents(config, tokensFor({ pagerduty: { value: PD_TOKEN, origin: pagerDuty.origin } }), NOW, undefined, {
      ...FAST,
      timeoutMs: 30_000,
      maxResponseBytes: 256 * 1024,
    });
    assert.deepEqual(data.states[0], {
      name: 'alertmanager',
      host: huge.host,
      state: 'failing',
      message: `Alertmanager at ${huge.host} answered with more than 256 KiB; refusing to read it`,
    });
    assert.equal(data.states[1].state, 'ok');
    assert.deepEqual(data.incidents.map((incident) => incident.id), ['PD-7']);
  });
});

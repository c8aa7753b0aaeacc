// The editor's tokens: the engine asks for a source's token at the origin it will send it to, and the
// editor's provider (savedTokenProvider) answers with the token saved under exactly that (source,
// origin). A config.yaml pointing at a new server gets that server's token on its first load: nothing
// is guessed from an earlier load, so nothing has to load twice.
import { strict as assert } from 'node:assert';
import type { TokenRequest } from '../../../src/sources/remoteSources';
import { savedTokenProvider, tokenSecretKey } from '../../../src/state/tokenOrigins';
import type { SecretTokenSource, TokenSource } from '../../../src/state/tokenOrigins';
import { loadSnapshot } from '../../../src/workspace/engine';
import { buildWorkspace, removeTemporaryFolders, yamlLines } from '../builders/workspaceBuilders';
import { startFakeServer } from '../fakes/fakeServer';
import type { FakeServer } from '../fakes/fakeServer';
import { pagerDutyHandler, pagerDutyIncident } from '../fakes/pagerDutyFake';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const TOKEN_A = 'pd-token-for-server-a-0123456789';
const TOKEN_B = 'pd-token-for-server-b-0123456789';

/** Secret storage as a map from tokenSecretKey to token, recording every key asked for. */
function secretStorage(saved: Array<{ source: SecretTokenSource; origin: string; token: string }>) {
  const values = new Map(saved.map((entry) => [tokenSecretKey(entry.source, entry.origin), entry.token]));
  const asked: string[] = [];
  const lookup = async (source: TokenSource, origin: string) => {
    if (source === 'github') return undefined;
    const key = tokenSecretKey(source, origin);
    asked.push(key);
    return values.get(key);
  };
  return { lookup, asked };
}

function pagerDutyConfig(url: string): string {
  return yamlLines(
    'version: 1',
    'services:',
    '  - name: checkout',
    '    paths: ["services/checkout/**"]',
    'deployments:',
    '  source: file',
    'incidents:',
    '  sources:',
    '    - type: file',
    '    - type: pagerduty',
    `      url: ${url}`,
    '      serviceMap: ["PSVC1=checkout"]',
  );
}

describe('the editor token provider', function () {
  this.timeout(30_000);
  const servers: FakeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    removeTemporaryFolders();
  });

  async function pagerDutyFake(token: string): Promise<FakeServer> {
    const answer = pagerDutyHandler([pagerDutyIncident(5, { status: 'triggered', created_at: '2026-11-20T10:00:00Z', resolved_at: null })], token, () => NOW);
    // Served under /api, as config.yaml's url says below; the token goes by origin, not by path.
    const server = await startFakeServer((request, response) => answer({ ...request, path: request.path.replace(/^\/api/, '') }, response));
    servers.push(server);
    return server;
  }

  it('looks up exactly the origin config.yaml names, and that token reaches that server on the first load', async () => {
    const serverA = await pagerDutyFake(TOKEN_A);
    const serverB = await pagerDutyFake(TOKEN_B);
    const storage = secretStorage([
      { source: 'pagerduty', origin: serverA.origin, token: TOKEN_A },
      { source: 'pagerduty', origin: serverB.origin, token: TOKEN_B },
    ]);
    const tokens = savedTokenProvider(storage.lookup, () => assert.fail('no lookup fails'));
    // A path and a trailing slash in config.yaml: the origin asked for is scheme, host and port only.
    const root = buildWorkspace({ config: pagerDutyConfig(`${serverB.origin}/api/`), incidents: 'incidents: []\n' });

    const snapshot = await loadSnapshot(root, { now: NOW, allowGit: false, tokens });

    assert.deepEqual(storage.asked, [`reliabilityLens.token:pagerduty@${serverB.origin}`]);
    assert.equal(snapshot.sources.find((source) => source.name === 'pagerduty')?.state, 'ok');
    assert.ok(snapshot.incidents.some((incident) => incident.id === 'PD-5'));
    assert.equal(serverA.requests.length, 0, 'the other saved token went nowhere');
    assert.ok(serverB.requests.length > 0);
    assert.ok(serverB.requests.every((request) => request.headers.authorization === `Token token=${TOKEN_B}`));
  });

  it('sends nothing to a server with no saved token, though other servers have one', async () => {
    const saved = await pagerDutyFake(TOKEN_A);
    const unknown = await pagerDutyFake(TOKEN_B);
    const storage = secretStorage([{ source: 'pagerduty', origin: saved.origin, token: TOKEN_A }]);
    const root = buildWorkspace({ config: pagerDutyConfig(unknown.origin), incidents: 'incidents: []\n' });

    const snapshot = await loadSnapshot(root, { now: NOW, allowGit: false, tokens: savedTokenProvider(storage.lookup, () => undefined) });

    assert.deepEqual(storage.asked, [`reliabilityLens.token:pagerduty@${unknown.origin}`]);
    assert.equal(snapshot.sources.find((source) => source.name === 'pagerduty')?.state, 'needs-token');
    assert.equal(saved.requests.length + unknown.requests.length, 0);
  });

  it('labels the token with the origin it was asked for, and reads a failed lookup as no token', async () => {
    const failures: Array<{ request: TokenRequest; error: unknown }> = [];
    const tokens = savedTokenProvider(
      async (source, origin) => {
        if (source === 'opsgenie') throw new Error('secret storage is locked');
        return source === 'prometheus' && origin === 'https://prom.example.com' ? 'prom-token' : undefined;
      },
      (request, error) => failures.push({ request, error }),
    );
    assert.deepEqual(await tokens({ source: 'prometheus', origin: 'https://prom.example.com' }), {
      value: 'prom-token',
      origin: 'https://prom.example.com',
    });
    assert.equal(await tokens({ source: 'prometheus', origin: 'https://other.example.com' }), undefined);
    assert.equal(await tokens({ source: 'opsgenie', origin: 'https://api.opsgenie.com' }), undefined);
    assert.deepEqual(
      failures.map((failure) => [failure.request, (failure.error as Error).message]),
      [[{ source: 'opsgenie', origin: 'https://api.opsgenie.com' }, 'secret storage is locked']],
    );
  });
});

// The CLI with a remote incident source: live incidents join the ledger's, a failing source is shown
// plainly and never hides the rest, and a token only goes to the origin it was saved for.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { sendJson, startFakeServer, type FakeServer } from './fakes/fakeServer';
import { selfSignedCertificate } from './fakes/selfSignedCertificate';
import { pagerDutyHandler, pagerDutyIncident } from './fakes/pagerDutyFake';
import { cliWithEnv } from './builders/cliRunner';
import { commitToBranch } from './builders/gitRepoBuilder';

const NOW = '2026-11-20T12:00:00.000Z';
const TOKEN = 'pd-secret-token-123';

describe('reliability-lens with a PagerDuty source', function () {
  this.timeout(60_000);
  let dir: string;
  let pagerDuty: FakeServer;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-remote-'));
    await createDemoWorkspace(dir, { now: Date.parse(NOW) });
    pagerDuty = await startFakeServer(
      pagerDutyHandler(
        [
          pagerDutyIncident(41, {
            title: 'Checkout API 5xx above threshold',
            status: 'triggered',
            created_at: '2026-11-20T10:30:00Z',
            resolved_at: null,
            priority: { id: 'P1', summary: 'P1' },
          }),
        ],
        TOKEN,
        () => Date.parse(NOW),
      ),
    );
    const configPath = path.join(dir, '.reliability', 'config.yaml');
    const config = fs.readFileSync(configPath, 'utf8').replace(
      '    - type: file\n',
      `    - type: file\n    - type: pagerduty\n      url: ${pagerDuty.origin}\n      serviceMap: ["PSVC1=checkout"]\n`,
    );
    fs.writeFileSync(configPath, config);
    // The merge check reads config.yaml from the base branch, so the source is added there too.
    commitToBranch(dir, 'main', { '.reliability/config.yaml': config }, { at: '2026-11-20T11:00:00Z', message: 'Read incidents from PagerDuty' });
  });
  after(async () => {
    await pagerDuty.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pinned = { RELIABILITY_LENS_PAGERDUTY_TOKEN: TOKEN };

  it('adds live incidents to the ledger and to the merge verdict', async () => {
    const env = { ...pinned, RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: pagerDuty.origin };
    const report = (await cliWithEnv(env, dir, 'report', '--now', NOW, '--json')).json();
    const live = report.incidents.find((i: any) => i.id === 'PD-41');
    assert.equal(live.service, 'checkout');
    assert.equal(live.severity, 'SEV1');
    assert.equal(live.resolvedAt, null);
    assert.ok(report.incidents.some((i: any) => i.id === 'INC-7'), 'ledger incidents stay');
    assert.deepEqual(report.sources.find((s: any) => s.name === 'pagerduty').state, 'ok');
    const check = (await cliWithEnv(env, dir, 'check', '--now', NOW, '--json')).json();
    assert.ok(check.reasons.some((r: string) => r.startsWith('incident PD-41 (SEV1, checkout) is open')));
  });

  it('shows a rejected token plainly and still reports everything else', async () => {
    const env = { RELIABILITY_LENS_PAGERDUTY_TOKEN: 'wrong-token', RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: pagerDuty.origin };
    const result = await cliWithEnv(env, dir, 'report', '--now', NOW, '--json');
    assert.equal(result.code, 0);
    const report = result.json();
    const state = report.sources.find((s: any) => s.name === 'pagerduty');
    assert.equal(state.state, 'failing');
    assert.match(state.message, /^PagerDuty at 127\.0\.0\.1:\d+ rejected the token \(401\)$/);
    assert.ok(!JSON.stringify(report).includes('wrong-token'));
    assert.ok(report.incidents.some((i: any) => i.id === 'INC-7'));
    assert.equal(report.services[0].slos[0].status, 'critical');
  });

  it('never sends a token to a host it was not saved for', async () => {
    const before = pagerDuty.requests.length;
    // The token is for PagerDuty's own API; config.yaml names another host, so it is withheld.
    const result = await cliWithEnv(pinned, dir, 'report', '--now', NOW, '--json');
    const state = result.json().sources.find((s: any) => s.name === 'pagerduty');
    assert.equal(state.state, 'needs-token');
    assert.ok(pagerDuty.requests.slice(before).every((r) => r.headers.authorization === undefined));
  });

  it('`sources` prints each source state and exits 2 when one fails', async () => {
    const ok = await cliWithEnv({ ...pinned, RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: pagerDuty.origin }, dir, 'sources', '--now', NOW);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^pagerduty\s+127\.0\.0\.1:\d+\s+ok/m);
    assert.match(ok.stdout, /^git\s+—\s+ok/m);
    const bad = await cliWithEnv({}, dir, 'sources', '--now', NOW, '--json');
    assert.equal(bad.code, 2);
    assert.equal(bad.json().sources.find((s: any) => s.name === 'pagerduty').state, 'needs-token');
  });

  it('--offline contacts no remote source', async () => {
    const before = pagerDuty.requests.length;
    const report = (await cliWithEnv(pinned, dir, 'report', '--now', NOW, '--offline', '--json')).json();
    assert.equal(pagerDuty.requests.length, before);
    assert.equal(report.sources.find((s: any) => s.name === 'remote').state, 'disabled');
  });
});

// A repository nobody on the team wrote: its config.yaml names the hosts, its sources answer with
// whatever they like. Tokens from the environment stay with the servers the user pinned them to, TLS
// verification stays on, and unreadable incidents are reported, never silently dropped.
describe('reliability-lens against a hostile repository and hostile sources', function () {
  this.timeout(60_000);
  let dir: string;
  let configPath: string;
  let demoConfig: string;
  let prometheus: FakeServer;
  let selfSigned: FakeServer;
  let pagerDuty: FakeServer;
  const PROM_TOKEN = 'prom-secret-token-0123456789';

  const buildinfo = (request: { path: string }, response: import('node:http').ServerResponse) =>
    request.path === '/api/v1/status/buildinfo'
      ? sendJson(response, 200, { status: 'success', data: { version: '2.53.0', revision: 'x' } })
      : sendJson(response, 404, { status: 'error', error: 'not found' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-hostile-'));
    await createDemoWorkspace(dir, { now: Date.parse(NOW) });
    configPath = path.join(dir, '.reliability', 'config.yaml');
    demoConfig = fs.readFileSync(configPath, 'utf8');
    prometheus = await startFakeServer(buildinfo);
    selfSigned = await startFakeServer(buildinfo, { tls: selfSignedCertificate() });
    pagerDuty = await startFakeServer(
      pagerDutyHandler(
        [
          pagerDutyIncident(51, { title: 'Checkout errors', status: 'triggered', created_at: 'yesterday-ish', resolved_at: null, urgency: 'high' }),
          pagerDutyIncident(52, { title: 'Checkout down', status: 'triggered', created_at: '2026-11-20T11:00:00Z', resolved_at: null, priority: { id: 'P1', summary: 'P1' } }),
        ],
        TOKEN,
        () => Date.parse(NOW),
      ),
    );
  });
  after(async () => {
    await Promise.all([prometheus.close(), selfSigned.close(), pagerDuty.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** config.yaml of the demo with Prometheus at `url` (plus `extra` lines under it) as the SLI source. */
  function usePrometheus(url: string, ...extra: string[]): void {
    const slis = ['slis:', '  source: prometheus', '  prometheus:', `    url: ${url}`, ...extra.map((line) => `    ${line}`), ''].join('\n');
    fs.writeFileSync(configPath, demoConfig.replace('slis:\n  source: file\n', slis));
  }

  it('sends a Prometheus token set without RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN to no host config.yaml names', async () => {
    usePrometheus(prometheus.origin);
    const before = prometheus.requests.length;
    const result = await cliWithEnv({ RELIABILITY_LENS_PROMETHEUS_TOKEN: PROM_TOKEN }, dir, 'sources', '--now', NOW, '--json');
    assert.equal(result.code, 2);
    const state = result.json().sources.find((s: any) => s.name === 'prometheus');
    assert.equal(state.state, 'needs-token');
    assert.match(state.message, /RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN/);
    assert.ok(prometheus.requests.slice(before).every((r) => r.headers.authorization === undefined), 'the token never arrived');
  });

  it('names a malformed RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN in `sources` and sends nothing', async () => {
    usePrometheus(prometheus.origin);
    const before = prometheus.requests.length;
    const env = { RELIABILITY_LENS_PROMETHEUS_TOKEN: PROM_TOKEN, RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN: prometheus.host };
    const result = await cliWithEnv(env, dir, 'sources', '--now', NOW);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /^prometheus\s+127\.0\.0\.1:\d+\s+failing\s+RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN is "127\.0\.0\.1:\d+", which is not an http\(s\) URL/m);
    assert.ok(!result.stdout.includes(PROM_TOKEN));
    assert.equal(prometheus.requests.length, before);
  });

  it('sends the token to the server the user pinned', async () => {
    usePrometheus(prometheus.origin);
    const env = { RELIABILITY_LENS_PROMETHEUS_TOKEN: PROM_TOKEN, RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN: prometheus.origin };
    const result = await cliWithEnv(env, dir, 'sources', '--now', NOW, '--json');
    assert.equal(result.json().sources.find((s: any) => s.name === 'prometheus').state, 'ok');
    assert.equal(prometheus.requests.at(-1)?.headers.authorization, `Bearer ${PROM_TOKEN}`);
  });

  it("ignores config.yaml's insecureSkipVerify with a warning at the key; only the user's variable turns verification off", async () => {
    usePrometheus(selfSigned.origin, 'insecureSkipVerify: true');
    const line = fs.readFileSync(configPath, 'utf8').split('\n').findIndex((text) => text.includes('insecureSkipVerify')) + 1;
    const env = { RELIABILITY_LENS_PROMETHEUS_TOKEN: PROM_TOKEN, RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN: selfSigned.origin };

    const report = (await cliWithEnv(env, dir, 'report', '--now', NOW, '--json')).json();
    const warning = report.problems.find((p: any) => p.message.includes('insecureSkipVerify'));
    assert.deepEqual(
      { file: warning.file, line: warning.line, severity: warning.severity },
      { file: '.reliability/config.yaml', line, severity: 'warning' },
    );
    assert.match(warning.message, /is ignored: a repository cannot turn off TLS verification\. Set RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY=true for the CLI/);

    const verified = (await cliWithEnv(env, dir, 'sources', '--now', NOW, '--json')).json().sources.find((s: any) => s.name === 'prometheus');
    assert.equal(verified.state, 'failing');
    assert.match(verified.message, /presented a TLS certificate that is not trusted/);
    assert.equal(selfSigned.requests.length, 0, 'no request, so no token, went over the unverified connection');

    const skipped = await cliWithEnv({ ...env, RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY: 'true' }, dir, 'sources', '--now', NOW, '--json');
    assert.equal(skipped.json().sources.find((s: any) => s.name === 'prometheus').state, 'ok');
    assert.equal(selfSigned.requests[0].headers.authorization, `Bearer ${PROM_TOKEN}`);
  });

  it('reports an incident with an unreadable start time instead of dropping it, and still freezes on the open SEV1', async () => {
    const withPagerDuty = demoConfig.replace('    - type: file\n', `    - type: file\n    - type: pagerduty\n      url: ${pagerDuty.origin}\n      serviceMap: ["PSVC1=checkout"]\n`);
    fs.writeFileSync(configPath, withPagerDuty);
    // The merge check reads config.yaml from the base branch, so the source is added there too.
    commitToBranch(dir, 'main', { '.reliability/config.yaml': withPagerDuty }, { at: '2026-11-20T11:00:00Z', message: 'Read incidents from PagerDuty' });
    const env = { RELIABILITY_LENS_PAGERDUTY_TOKEN: TOKEN, RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: pagerDuty.origin };
    const incidents = await cliWithEnv(env, dir, 'incidents', '--now', NOW, '--json');
    assert.equal(incidents.code, 0, incidents.stderr);
    const ids = incidents.json().incidents.map((i: any) => i.id);
    assert.ok(ids.includes('PD-52') && !ids.includes('PD-51'), ids.join(', '));

    const sources = (await cliWithEnv(env, dir, 'sources', '--now', NOW, '--json')).json().sources;
    const state = sources.find((s: any) => s.name === 'pagerduty');
    assert.equal(state.state, 'failing');
    assert.match(state.message, /incident PD-51: created_at: expected an ISO 8601 time .*, got "yesterday-ish"/);

    const check = await cliWithEnv(env, dir, 'check', '--now', NOW, '--json');
    assert.equal(check.json().verdict, 'freeze');
    assert.ok(check.json().reasons.some((r: string) => r.startsWith('incident PD-52 (SEV1, checkout) is open')));
  });
});

// The CLI with a remote incident source: live incidents join the ledger's, a failing source is shown
// plainly and never hides the rest, and a token only goes to the origin it was saved for.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { startFakeServer, type FakeServer } from './fakes/fakeServer';
import { pagerDutyHandler, pagerDutyIncident } from './fakes/pagerDutyFake';
import { cliWithEnv } from './builders/cliRunner';

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

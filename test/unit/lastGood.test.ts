// A failing source keeps its last good data visible, marked stale (issue 5's behaviour under failure).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { loadSnapshot } from '../../src/workspace/engine';
import { LastGoodData } from '../../src/workspace/lastGood';
import { startFakeServer, type FakeServer } from './fakes/fakeServer';
import { pagerDutyHandler, pagerDutyIncident } from './fakes/pagerDutyFake';
import { sloReport } from './builders/reportBuilders';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const TOKEN = 'pd-token-for-stale-test';

describe('last good data of failing sources', function () {
  this.timeout(60_000);
  let dir: string;
  let pagerDuty: FakeServer;
  let failing = false;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-stale-'));
    await createDemoWorkspace(dir, { now: NOW });
    const answer = pagerDutyHandler(
      [pagerDutyIncident(9, { status: 'triggered', created_at: '2026-11-20T11:00:00Z', resolved_at: null })],
      TOKEN,
      () => NOW,
    );
    pagerDuty = await startFakeServer((request, response) => {
      if (failing) {
        response.writeHead(503, { 'content-type': 'text/html' });
        response.end('<html><body>Service Unavailable</body></html>');
        return;
      }
      return answer(request, response);
    });
    const configPath = path.join(dir, '.reliability', 'config.yaml');
    fs.writeFileSync(
      configPath,
      fs.readFileSync(configPath, 'utf8').replace('    - type: file\n', `    - type: file\n    - type: pagerduty\n      url: ${pagerDuty.origin}\n      serviceMap: ["PSVC1=checkout"]\n`),
    );
  });
  after(async () => {
    await pagerDuty.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows a failing source’s last incidents, stale since its last success, and nothing without a memory', async () => {
    const lastGood = new LastGoodData();
    const tokens = async () => ({ value: TOKEN, origin: pagerDuty.origin });
    const first = await loadSnapshot(dir, { now: NOW, tokens, lastGood });
    assert.equal(first.sources.find((s) => s.name === 'pagerduty')!.state, 'ok');
    assert.ok(first.incidents.some((i) => i.id === 'PD-9'));

    failing = true;
    try {
      const later = NOW + 10 * 60_000;
      const second = await loadSnapshot(dir, { now: later, tokens, lastGood });
      const state = second.sources.find((s) => s.name === 'pagerduty')!;
      assert.equal(state.state, 'stale');
      assert.equal(state.lastSuccess, NOW);
      assert.match(state.message!, /^showing data from before the failure: PagerDuty at 127\.0\.0\.1:\d+ /);
      assert.ok(second.incidents.some((i) => i.id === 'PD-9'), 'the last good incidents stay visible');

      const once = await loadSnapshot(dir, { now: later, tokens });
      assert.equal(once.sources.find((s) => s.name === 'pagerduty')!.state, 'failing');
      assert.ok(!once.incidents.some((i) => i.id === 'PD-9'));
    } finally {
      failing = false;
    }
  });

  it('keeps an SLO’s last good numbers when its source fails, with the reason and since when', () => {
    const lastGood = new LastGoodData();
    const good = sloReport({ name: 'api-availability', service: 'api', sli: 0.9991 });
    lastGood.applyToSloReports([good], [{ name: 'prometheus', state: 'ok' }], NOW);
    const failed = sloReport({ name: 'api-availability', service: 'api', sli: null, status: 'no-data', error: 'Prometheus at 127.0.0.1:9090 timed out after 10 s' });
    const { reports, states } = lastGood.applyToSloReports([failed], [{ name: 'prometheus', state: 'failing', message: 'timed out' }], NOW + 60_000);
    assert.equal(reports[0].sli, 0.9991);
    assert.equal(reports[0].staleSince, NOW);
    assert.equal(reports[0].error, 'Prometheus at 127.0.0.1:9090 timed out after 10 s');
    assert.deepEqual(states[0], { name: 'prometheus', state: 'stale', lastSuccess: NOW, message: 'showing data from before the failure: timed out' });
  });

  it('keeps an SLO by service and name: the same name under another service in the same file is another SLO', () => {
    const lastGood = new LastGoodData();
    lastGood.applyToSloReports([sloReport({ name: 'availability', service: 'api', sli: 0.9991 })], [{ name: 'prometheus', state: 'ok' }], NOW);
    const failed = sloReport({ name: 'availability', service: 'web', sli: null, status: 'no-data', error: 'timed out' });
    const { reports } = lastGood.applyToSloReports([failed], [{ name: 'prometheus', state: 'failing', message: 'timed out' }], NOW + 60_000);
    assert.equal(reports[0].sli, null);
    assert.equal(reports[0].staleSince, undefined);
  });
});

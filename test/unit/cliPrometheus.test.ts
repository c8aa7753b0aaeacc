// The whole product in Prometheus mode: `reliability-lens report` on a workspace whose SLIs live in a
// real Prometheus (Debian's package, backfilled by promtool) gives the numbers the same data gives from
// a CSV file (DOMAIN.md section 2: "a report from Prometheus and one from the same data in CSV agree to
// rounding"), and a Prometheus that cannot be reached is reported plainly without hiding the rest.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './builders/cliRunner';
import { SERIES_END, checkoutBuckets, checkoutOpenMetrics } from './sources/support/checkoutSeries';
import { freePort, startBackfilledPrometheus, temporaryDirectory, type BackfilledPrometheus } from './sources/support/realServers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'prometheus');
const NOW = new Date(SERIES_END).toISOString();
// Counters sampled at the CSV's bucket ends, `now` on a bucket end: only floating-point rounding remains.
const ROUNDING = 1e-9;

function gitRepository(dir: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com', GIT_COMMITTER_DATE: '2025-09-01T00:00:00Z', GIT_AUTHOR_DATE: '2025-09-01T00:00:00Z' };
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'Initial'], { cwd: dir, env });
  execFileSync('git', ['tag', 'v1.0.0'], { cwd: dir, env });
}

function workspace(root: string, config: string, slos: Record<string, string>, data?: string): string {
  fs.mkdirSync(path.join(root, '.reliability', 'slos'), { recursive: true });
  fs.writeFileSync(path.join(root, '.reliability', 'config.yaml'), `version: 1\nservices:\n  - name: checkout\n    paths: ["checkout/**"]\n${config}`);
  for (const [name, text] of Object.entries(slos)) fs.writeFileSync(path.join(root, '.reliability', 'slos', name), text);
  if (data) {
    fs.mkdirSync(path.join(root, '.reliability', 'data'), { recursive: true });
    fs.writeFileSync(path.join(root, '.reliability', 'data', 'checkout.csv'), data);
  }
  gitRepository(root);
  return root;
}

function assertSlosAgree(actual: any, expected: any): void {
  const close = (a: number, e: number, what: string) =>
    assert.ok(Math.abs(a - e) <= ROUNDING * Math.max(1, Math.abs(e)), `${what}: ${a} vs ${e}`);
  close(actual.good, expected.good, 'good');
  close(actual.total, expected.total, 'total');
  close(actual.sli, expected.sli, 'sli');
  close(actual.budget.remaining, expected.budget.remaining, 'budget remaining');
  for (const window of Object.keys(expected.burnRates)) close(actual.burnRates[window], expected.burnRates[window], `burn ${window}`);
  assert.deepEqual(actual.alerts, expected.alerts);
  assert.equal(actual.status, expected.status);
}

describe('reliability-lens report with a real Prometheus', function () {
  this.timeout(90_000);
  const buckets = checkoutBuckets();
  let prometheus: BackfilledPrometheus | undefined;
  // The workspaces the CLI reads.
  let directory: ReturnType<typeof temporaryDirectory>;
  let prometheusUrl = '';

  before(async () => {
    directory = temporaryDirectory('rl-cli-prometheus-');
    prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(buckets), 'rl-cli-prometheus-tsdb-');
    prometheusUrl = prometheus.baseUrl;
  });
  after(async () => {
    await prometheus?.stop();
    directory?.remove();
  });

  const csvSlo = () =>
    fs
      .readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8')
      .replace(/type: Prometheus\n(\s+)spec:\n\s+query: rl_requests_good_total\{job="checkout"\}/, 'type: CSV\n$1spec: { path: data/checkout.csv, column: good }')
      .replace(/type: Prometheus\n(\s+)spec:\n\s+query: rl_requests_total\{job="checkout"\}/, 'type: CSV\n$1spec: { path: data/checkout.csv, column: total }');

  it('gives the CSV numbers from OpenSLO counters and from a Sloth spec', async () => {
    // A final newline: a last line without one is read as still being written, and left out.
    const csvRows = `${['timestamp,good,total', ...buckets.map((b) => `${new Date(b.end).toISOString()},${b.good},${b.total}`)].join('\n')}\n`;
    const fileMode = workspace(path.join(directory.path, 'file-mode'), '', { 'checkout.yaml': csvSlo() }, csvRows);
    const promConfig = `slis:\n  source: prometheus\n  prometheus:\n    url: ${prometheusUrl}\n`;
    const openSlo = workspace(path.join(directory.path, 'openslo'), promConfig, { 'checkout.yaml': fs.readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8') });
    const sloth = workspace(path.join(directory.path, 'sloth'), promConfig, { 'checkout.yaml': fs.readFileSync(path.join(FIXTURES, 'checkout-sloth.yaml'), 'utf8') });

    const expected = (await cli(fileMode, 'report', '--now', NOW, '--json')).json().services[0].slos[0];
    assert.equal(csvSlo().includes('type: Prometheus'), false, 'the CSV variant reads the file');
    assert.ok(expected.total > 0 && expected.status !== 'no-data');
    for (const dir of [openSlo, sloth]) {
      const result = await cli(dir, 'report', '--now', NOW, '--json');
      assert.equal(result.code, 0, result.stderr);
      const report = result.json();
      assertSlosAgree(report.services[0].slos[0], expected);
      assert.equal(report.sources.find((s: any) => s.name === 'prometheus').state, 'ok');
    }
  });

  it('leaves maintenance windows out alike from the CSV file and from Prometheus, to the hand-computed sums', async () => {
    const csvRows = `${['timestamp,good,total', ...buckets.map((b) => `${new Date(b.end).toISOString()},${b.good},${b.total}`)].join('\n')}\n`;
    // The bad day's bad hours (minutes ending 10:01 to 14:00, no zone: UTC) and the last 3 minutes.
    const maintenance =
      'policy:\n  maintenance:\n' +
      '    - {start: 2025-10-22T10:00:00, end: 2025-10-22T14:00:00}\n' +
      `    - {start: ${new Date(SERIES_END - 3 * 60_000).toISOString()}, end: 2025-10-31T01:00:00Z, services: [checkout]}\n`;
    const promConfig = `slis:\n  source: prometheus\n  prometheus:\n    url: ${prometheusUrl}\n`;
    const fileMode = workspace(path.join(directory.path, 'file-maintenance'), maintenance, { 'checkout.yaml': csvSlo() }, csvRows);
    const promMode = workspace(path.join(directory.path, 'prom-maintenance'), promConfig + maintenance, {
      'checkout.yaml': fs.readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8'),
    });

    const inMaintenance = (end: number) =>
      (end > Date.parse('2025-10-22T10:00:00Z') && end <= Date.parse('2025-10-22T14:00:00Z')) || end > SERIES_END - 3 * 60_000;
    const sum = (pick: (b: (typeof buckets)[number]) => number, keep: boolean) =>
      buckets.filter((b) => inMaintenance(b.end) !== keep).reduce((total, b) => total + pick(b), 0);
    const fromFile = await cli(fileMode, 'report', '--now', NOW, '--json');
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.deepEqual(fromFile.json().problems, []);
    const expected = fromFile.json().services[0].slos[0];
    assert.equal(expected.total, sum((b) => b.total, true));
    assert.equal(expected.good, sum((b) => b.good, true));
    assert.equal(expected.excludedTotal, sum((b) => b.total, false));
    // Left out: the 240 bad-day minutes and the last 3.
    assert.equal(buckets.filter((b) => inMaintenance(b.end)).length, 243);

    const fromPrometheus = await cli(promMode, 'report', '--now', NOW, '--json');
    assert.equal(fromPrometheus.code, 0, fromPrometheus.stderr);
    const actual = fromPrometheus.json().services[0].slos[0];
    assertSlosAgree(actual, expected);
    assert.ok(Math.abs(actual.excludedTotal - expected.excludedTotal) <= ROUNDING * expected.excludedTotal, `${actual.excludedTotal} vs ${expected.excludedTotal}`);
  });

  it('reports a Prometheus it cannot reach plainly, and the rest of the report still comes', async () => {
    const closedPort = await freePort();
    const dir = workspace(path.join(directory.path, 'unreachable'), `slis:\n  source: prometheus\n  prometheus:\n    url: http://127.0.0.1:${closedPort}\n`, {
      'checkout.yaml': fs.readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8'),
    });
    fs.writeFileSync(path.join(dir, '.reliability', 'incidents.yaml'), 'incidents:\n  - id: INC-1\n    title: Checkout down\n    severity: SEV2\n    service: checkout\n    startedAt: 2025-10-30T23:00:00Z\n');
    const result = await cli(dir, 'report', '--now', NOW, '--json');
    assert.equal(result.code, 0, result.stderr);
    const report = result.json();
    const slo = report.services[0].slos[0];
    assert.equal(slo.status, 'no-data');
    assert.match(slo.error, new RegExp(`Prometheus at 127\\.0\\.0\\.1:${closedPort}`));
    assert.ok(!/\n\s+at /.test(slo.error), 'no stack trace');
    assert.equal(report.sources.find((s: any) => s.name === 'prometheus').state, 'failing');
    assert.deepEqual(report.services[0].openIncidents, ['INC-1']);
  });
});

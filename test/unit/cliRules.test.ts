// `reliability-lens rules` end to end: the file it writes is a rule file Prometheus accepts (promtool
// checks it), it records what each Occurrences ratio SLO needs and says why the others stay raw, a
// hostile SLO name cannot change the file's structure; installed into a real Prometheus (backfilled
// with promtool), `report`, `explain` and `sources` read the recorded series and say so.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cli } from './builders/cliRunner';
import { SERIES_END, SERIES_START, checkoutBuckets, checkoutOpenMetrics } from './sources/support/checkoutSeries';
import { requireBinary, runToCompletion, startBackfilledPrometheus, temporaryDirectory, type BackfilledPrometheus } from './sources/support/realServers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'prometheus');
const NOW = new Date(SERIES_END).toISOString();

function workspace(root: string, config: string, slos: Record<string, string>): string {
  fs.mkdirSync(path.join(root, '.reliability', 'slos'), { recursive: true });
  fs.writeFileSync(path.join(root, '.reliability', 'config.yaml'), `version: 1\nservices:\n  - name: checkout\n    paths: ["checkout/**"]\n${config}`);
  for (const [name, text] of Object.entries(slos)) fs.writeFileSync(path.join(root, '.reliability', 'slos', name), text);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
  return root;
}

const thresholdSlo = `apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-latency }
spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 28d, isRolling: true }]
  indicator:
    metadata: { name: p99 }
    spec:
      thresholdMetric:
        metricSource: { type: Prometheus, spec: { query: 'histogram_quantile(0.99, sum by (le) (rate(rl_latency_bucket[5m])))' } }
  objectives:
    - op: lte
      value: 0.3
      target: 0.99
`;

describe('reliability-lens rules', function () {
  this.timeout(300_000);
  let directory: ReturnType<typeof temporaryDirectory>;
  before(() => {
    directory = temporaryDirectory('rl-cli-rules-');
  });
  after(() => directory?.remove());

  it('writes a rule file promtool accepts, one set of rules per distinct indicator, and says why other SLOs stay raw', async () => {
    const hostileName = 'checkout"\n  - record: injected\u202e';
    const openSlo = fs.readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8');
    const root = workspace(path.join(directory.path, 'mixed'), 'slis:\n  source: prometheus\n  prometheus:\n    url: http://127.0.0.1:9\n', {
      'checkout.yaml': openSlo,
      // The same queries under another name share the series; a hostile name stays a comment.
      'copy.yaml': openSlo.replace('name: checkout-availability', `name: ${JSON.stringify(hostileName)}`),
      'sloth.yaml': fs.readFileSync(path.join(FIXTURES, 'checkout-sloth.yaml'), 'utf8').replace('name: checkout-availability', 'name: checkout-availability-sloth'),
      'latency.yaml': thresholdSlo,
    });
    const written = await cli(root, 'rules');
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stderr, '', 'every spec loads');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(written.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'no control or bidi character');
    const file = path.join(root, 'rules.yml');
    fs.writeFileSync(file, written.stdout);
    const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
    assert.match(await runToCompletion(promtool, ['check', 'rules', file]), /SUCCESS: 8 rules found/);
    const parsed = parseYaml(written.stdout) as { groups: Array<{ name: string; interval: string; rules: Array<{ record: string; expr: string; labels: Record<string, string> }> }> };
    assert.equal(parsed.groups.length, 1);
    assert.equal(parsed.groups[0].interval, '5m');
    const records = parsed.groups[0].rules;
    assert.deepEqual([...new Set(records.map((rule) => rule.record))], ['reliability_lens:slo_events:increase5m', 'reliability_lens:slo_events:increase1h']);
    assert.ok(records.some((rule) => rule.expr === 'sum(increase(rl_requests_total{job="checkout"}[1h]))'));
    // Sloth's rate() queries are turned back into counts over the recorded window.
    assert.ok(records.some((rule) => rule.expr === '(sum(sum(rate(rl_requests_errors_total{job="checkout"}[5m])))) * 300'), records.map((rule) => rule.expr).join('\n'));

    const json = (await cli(root, 'rules', '--format', 'json')).json<{ slos: Array<{ service: string; slo: string; id?: string; reason?: string }> }>();
    const bySlo = new Map(json.slos.map((entry) => [entry.slo, entry]));
    assert.equal(bySlo.get('checkout-availability')?.id, bySlo.get(hostileName)?.id, 'the same queries share one id');
    assert.match(bySlo.get('checkout-latency')?.reason ?? '', /threshold or raw-ratio values.*read raw/);
    assert.equal((await cli(root, 'rules', '--format', 'yaml')).code, 2);
  });

  describe('installed into a real Prometheus', () => {
    let prometheus: BackfilledPrometheus | undefined;
    let root = '';
    let rawRoot = '';

    before(async () => {
      const slos = { 'checkout.yaml': fs.readFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), 'utf8') };
      const rules = (await cli(workspace(path.join(directory.path, 'rules-source'), 'slis:\n  source: prometheus\n  prometheus:\n    url: http://127.0.0.1:9\n', slos), 'rules')).stdout;
      prometheus = await startBackfilledPrometheus(checkoutOpenMetrics(checkoutBuckets()), 'rl-cli-rules-tsdb-', {
        rules: { text: rules, start: SERIES_START, end: SERIES_END },
      });
      const config = (mode: string) => `slis:\n  source: prometheus\n  prometheus:\n    url: ${prometheus?.baseUrl}\n    mode: ${mode}\n`;
      root = workspace(path.join(directory.path, 'auto'), config('auto'), slos);
      rawRoot = workspace(path.join(directory.path, 'raw'), config('raw'), slos);
    });
    after(async () => {
      await prometheus?.stop();
    });

    it('report, explain and sources read the recorded series and say so; mode: raw reads the counters', async () => {
      const fromRules = (await cli(root, 'explain', 'checkout-availability', '--now', NOW, '--json')).json();
      const fromRaw = (await cli(rawRoot, 'explain', 'checkout-availability', '--now', NOW, '--json')).json();
      assert.equal(fromRules.source.mode, 'rules');
      assert.match(fromRules.source.reading, /reliability_lens:slo_events:increase5m/);
      assert.equal(fromRaw.source.mode, 'raw');
      assert.equal(fromRaw.source.modeReason, 'config.yaml sets slis.prometheus.mode: raw');
      // The window starts where the data does: the recorded coverage starts up to one rule interval
      // earlier, with nothing in it, so the two agree closely (the exact relation is tested in
      // test/unit/sources/prometheusRules.test.ts).
      const window = (explanation: any) => explanation.windows['30d'];
      for (const kind of ['good', 'total']) {
        const relative = Math.abs(window(fromRules)[kind] - window(fromRaw)[kind]) / window(fromRaw)[kind];
        assert.ok(relative < 1e-3, `${kind}: ${window(fromRules)[kind]} vs ${window(fromRaw)[kind]}`);
      }
      const report = (await cli(root, 'report', '--now', NOW, '--json')).json();
      const rawReport = (await cli(rawRoot, 'report', '--now', NOW, '--json')).json();
      assert.equal(report.services[0].slos[0].status, rawReport.services[0].slos[0].status);
      // Budget remaining magnifies a difference of events by 1 / (1 - objective) = 1000.
      assert.ok(Math.abs(report.services[0].slos[0].budget.remaining - rawReport.services[0].slos[0].budget.remaining) < 0.01);

      const sources = await cli(root, 'sources', '--now', NOW);
      assert.match(sources.stdout, /1 SLO read recorded series \(rules mode\)/);
      const rawSources = await cli(rawRoot, 'sources', '--now', NOW);
      assert.match(rawSources.stdout, /1 SLO read raw counters \(first reason: config\.yaml sets slis\.prometheus\.mode: raw\)/);
    });
  });
});

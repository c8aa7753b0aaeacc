// Sloth specs as users copy them (issue 9): raw error-ratio SLIs, disabled page or ticket alerts, labels
// whose values are not strings, the Kubernetes form (PrometheusServiceLevel), and SLI plugins, which
// cannot be run here: their SLOs still appear, with no data and the reason.
import { strict as assert } from 'node:assert';
import { evaluateSlo } from '../../src/core/slo';
import { computeSloReports } from '../../src/workspace/sloData';
import { loadDefinitions } from '../../src/workspace/definitions';
import { everyBurnWindow, policy, rollingSlo, sloCounts } from './builders/sloBuilders';
import { buildWorkspace, positionOf, removeTemporaryFolders, yamlLines } from './builders/workspaceBuilders';

const NOW = Date.UTC(2026, 2, 1, 12);
const SLOTH_FILE = '.reliability/slos/sloth.yaml';
const CONFIG = yamlLines('version: 1', 'services:', '  - name: home-wifi', '    paths: ["wifi/**"]', '  - name: myservice', '    paths: ["svc/**"]');

const PLAIN = yamlLines(
  'version: "prometheus/v1"',
  'service: "myservice"',
  'labels:',
  '  owner: "myteam"',
  '  tier: 2',
  '  generated: true',
  'slo_plugins:',
  '  chain:',
  '    - id: "sloth.dev/contrib/alert_for/v1"',
  'slos:',
  '  - name: "requests-availability"',
  '    objective: 99.9',
  '    labels:',
  '      tier: 1',
  '    sli:',
  '      events:',
  '        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
  '        total_query: sum(rate(http_requests_total[{{.window}}]))',
  '    alerting:',
  '      name: MyServiceHighErrorRate',
  '      page_alert:',
  '        disable: true',
  '      ticket_alert:',
  '        for: 10m',
  '        labels:',
  '          severity: "slack"',
  '  - name: "wifi-satisfaction"',
  '    objective: 95',
  '    sli:',
  '      raw:',
  '        error_ratio_query: 1 - avg_over_time(satisfaction_ratio[{{.window}}])',
  '    alerting:',
  '      name: Wifi',
  '      ticket_alert:',
  '        disable: true',
  '  - name: "plugged"',
  '    objective: 99',
  '    sli:',
  '      plugin:',
  '        id: "getting_started_availability"',
  '        options:',
  '          job: myservice',
);

const KUBERNETES = yamlLines(
  'apiVersion: sloth.slok.dev/v1',
  'kind: PrometheusServiceLevel',
  'metadata:',
  '  name: sloth-slo-home-wifi',
  '  namespace: monitoring',
  'spec:',
  '  service: "home-wifi"',
  '  labels:',
  '    cluster: "valhalla"',
  '  slos:',
  '    - name: "good-wifi-client-satisfaction"',
  '      objective: 95',
  '      sli:',
  '        events:',
  '          errorQuery: sum_over_time((count(ratio < 0.75))[{{.window}}:]) OR on() vector(0)',
  '          totalQuery: sum_over_time((count(ratio))[{{.window}}:])',
  '      alerting:',
  '        name: GoodWifiClientSatisfaction',
  '        pageAlert:',
  '          disable: true',
  '    - name: "raw-wifi"',
  '      objective: 99',
  '      sli:',
  '        raw:',
  '          errorRatioQuery: 1 - avg_over_time(ratio[{{.window}}])',
);

describe('Sloth specs', () => {
  after(removeTemporaryFolders);

  it('reads raw SLIs, disabled alert tiers, labels as text, plugins as unsupported, with no problems', async () => {
    const root = buildWorkspace({ config: CONFIG, slos: { 'sloth.yaml': PLAIN } });
    const { slos, problems } = await loadDefinitions(root);
    assert.deepEqual(problems, []);
    const common = { service: 'myservice', window: { kind: 'rolling', label: '30d', durationMs: 30 * 86_400_000 }, budgeting: { method: 'Occurrences' }, file: SLOTH_FILE };
    // Labels: the SLO's over the spec's, every value as text.
    const labels = { owner: 'myteam', tier: '2', generated: 'true' };
    assert.deepEqual(slos, [
      {
        ...common,
        name: 'requests-availability',
        objective: 0.999,
        indicator: { type: 'sloth', errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', totalQuery: 'sum(rate(http_requests_total[{{.window}}]))' },
        line: 11,
        labels: { ...labels, tier: '1' },
        alertRules: [
          { severity: 'ticket', long: '1d', short: '2h', threshold: 3 },
          { severity: 'ticket', long: '3d', short: '6h', threshold: 1 },
        ],
      },
      {
        ...common,
        name: 'wifi-satisfaction',
        objective: 0.95,
        indicator: { type: 'sloth-raw', errorRatioQuery: '1 - avg_over_time(satisfaction_ratio[{{.window}}])' },
        line: 27,
        labels,
        alertRules: [
          { severity: 'page', long: '1h', short: '5m', threshold: 14.4 },
          { severity: 'page', long: '6h', short: '30m', threshold: 6 },
        ],
      },
      {
        ...common,
        name: 'plugged',
        objective: 0.99,
        indicator: { type: 'unsupported', reason: 'the Sloth SLI plugin "getting_started_availability" is not supported' },
        line: 36,
        labels,
      },
    ]);
  });

  it('shows an SLO whose SLI is a plugin, with no data and the reason, next to the others', async () => {
    const root = buildWorkspace({ config: CONFIG, slos: { 'sloth.yaml': PLAIN } });
    const { config, slos } = await loadDefinitions(root);
    const { reports } = await computeSloReports(root, config, slos, { now: NOW, allowRemote: false });
    assert.deepEqual(
      reports.map((report) => [report.name, report.status, report.error, report.unsupported]),
      [
        ['requests-availability', 'no-data', 'remote sources are off (untrusted workspace or --offline)', undefined],
        ['wifi-satisfaction', 'no-data', 'remote sources are off (untrusted workspace or --offline)', undefined],
        // Not an error: nothing failed; the SLO has no data for a reason that does not change.
        ['plugged', 'no-data', undefined, 'the Sloth SLI plugin "getting_started_availability" is not supported'],
      ],
    );
  });

  it('reads the Kubernetes form (PrometheusServiceLevel) with its camelCase keys', async () => {
    const root = buildWorkspace({ config: CONFIG, slos: { 'k8s.yaml': KUBERNETES } });
    const { slos, problems } = await loadDefinitions(root);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      slos.map((slo) => [slo.service, slo.name, slo.objective, slo.indicator, slo.labels, slo.alertRules?.map((rule) => rule.severity), slo.line]),
      [
        [
          'home-wifi',
          'good-wifi-client-satisfaction',
          0.95,
          { type: 'sloth', errorQuery: 'sum_over_time((count(ratio < 0.75))[{{.window}}:]) OR on() vector(0)', totalQuery: 'sum_over_time((count(ratio))[{{.window}}:])' },
          { cluster: 'valhalla' },
          ['ticket', 'ticket'],
          11,
        ],
        ['home-wifi', 'raw-wifi', 0.99, { type: 'sloth-raw', errorRatioQuery: '1 - avg_over_time(ratio[{{.window}}])' }, { cluster: 'valhalla' }, undefined, 21],
      ],
    );
  });

  it('reports an SLI with none or two of events, raw and plugin, a wrong kind, and plain keys in the Kubernetes form', async () => {
    const plain = yamlLines(
      'version: prometheus/v1',
      'service: myservice',
      'slos:',
      '  - name: both',
      '    objective: 99',
      '    sli:',
      '      events: {error_query: e, total_query: t}',
      '      raw: {error_ratio_query: r}',
      '  - name: neither',
      '    objective: 99',
      '    sli: {}',
      '  - name: kept',
      '    objective: 99',
      '    sli:',
      '      raw: {error_ratio_query: r}',
    );
    const wrongKind = yamlLines('apiVersion: sloth.slok.dev/v1', 'kind: ServiceLevel', 'spec: {}');
    const plainKeys = yamlLines(
      'apiVersion: sloth.slok.dev/v1',
      'kind: PrometheusServiceLevel',
      'spec:',
      '  service: myservice',
      '  slos:',
      '    - name: snake',
      '      objective: 99',
      '      sli:',
      '        raw: {error_ratio_query: r}',
    );
    const root = buildWorkspace({ config: CONFIG, slos: { 'a.yaml': plain, 'b.yaml': wrongKind, 'c.yaml': plainKeys } });
    const { slos, problems } = await loadDefinitions(root);
    assert.deepEqual(problems, [
      { file: '.reliability/slos/a.yaml', line: 7, column: 7, severity: 'error', message: 'slos[0].sli: expected one of events, raw or plugin, got events and raw' },
      { file: '.reliability/slos/a.yaml', line: 11, column: 10, severity: 'error', message: 'slos[1].sli: expected one of events, raw or plugin, got none of them' },
      { file: '.reliability/slos/b.yaml', line: 2, column: 7, severity: 'error', message: 'kind: expected "PrometheusServiceLevel", got "ServiceLevel"' },
      { file: '.reliability/slos/c.yaml', line: 9, column: 14, severity: 'error', message: 'spec.slos[0].sli.raw.errorRatioQuery: expected a string, got nothing (the key is missing)' },
      {
        file: '.reliability/slos/c.yaml',
        ...positionOf(plainKeys, 'error_ratio_query'),
        severity: 'warning',
        message: 'unknown key "error_ratio_query" in spec.slos[0].sli.raw (ignored); expected one of the keys errorRatioQuery',
      },
    ]);
    assert.deepEqual(slos.map((slo) => slo.name), ['kept']);
  });

  describe('disabled alert tiers', () => {
    // Objective 0.999 (a = 0.001). The window: e = 100 / 1,000,000 = 1e-4, consumed 0.1, remaining
    // 0.9. Every burn window: e = 20 / 1000 = 0.02, burn rate 20: above 14.4, 6, 3 and 1, so every tier fires.
    const counts = sloCounts({ window: [999_900, 1_000_000], burn: everyBurnWindow(980, 1000) });
    const base = rollingSlo({ objective: 0.999, window: '30d' });

    it('page and ticket tiers all fire by default: critical', () => {
      const report = evaluateSlo(base, counts, NOW, policy());
      assert.deepEqual(report.alerts.map((alert) => `${alert.severity} ${alert.long}/${alert.short}`), ['page 1h/5m', 'page 6h/30m', 'ticket 1d/2h', 'ticket 3d/6h']);
      assert.equal(report.status, 'critical');
    });

    it('without the page tiers, the ticket tiers make it a warning', () => {
      const ticketsOnly = { ...base, alertRules: [{ severity: 'ticket' as const, long: '1d' as const, short: '2h' as const, threshold: 3 }, { severity: 'ticket' as const, long: '3d' as const, short: '6h' as const, threshold: 1 }] };
      const report = evaluateSlo(ticketsOnly, counts, NOW, policy());
      assert.deepEqual(report.alerts.map((alert) => `${alert.severity} ${alert.long}/${alert.short}`), ['ticket 1d/2h', 'ticket 3d/6h']);
      assert.equal(report.status, 'warning');
      assert.ok(Math.abs(report.budget.remaining - 0.9) < 1e-12);
    });

    it('with no tiers left, nothing fires and 90% of the budget left is healthy', () => {
      const report = evaluateSlo({ ...base, alertRules: [] }, counts, NOW, policy());
      assert.deepEqual(report.alerts, []);
      assert.equal(report.status, 'healthy');
    });
  });
});

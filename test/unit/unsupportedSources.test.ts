// A metric source we cannot query (Datadog, CloudWatch...) never drops its SLO: the SLO appears with
// its definition, a warning at the type, and no data with the reason (issue 9). And openslo/v1alpha
// problems are reported at their own paths.
import { strict as assert } from 'node:assert';
import { decideMerge } from '../../src/core/mergeCheck';
import { cli } from './builders/cliRunner';
import { computeSloReports } from '../../src/workspace/sloData';
import { loadDefinitions } from '../../src/workspace/definitions';
import { buildWorkspace, openSloDataSource, openSloSlo, positionOf, removeTemporaryFolders, yamlDocuments, yamlLines } from './builders/workspaceBuilders';

const NOW = Date.UTC(2026, 2, 1, 12);
const CONFIG = yamlLines('version: 1', 'services:', '  - name: web', '    paths: ["web/**"]');

describe('metric sources that cannot be read', () => {
  after(removeTemporaryFolders);

  it('shows an SLO on Datadog (inline) or CloudWatch (by DataSource) without data, saying why', async () => {
    const inline = openSloSlo({ name: 'web-availability', service: 'web', indicator: { prometheus: { good: 'g', total: 't' } } }) as {
      spec: { indicator: { spec: { ratioMetric: Record<string, unknown> } } };
    };
    inline.spec.indicator.spec.ratioMetric = {
      counter: true,
      good: { metricSource: { type: 'Datadog', spec: { query: 'sum:requests{status:2xx}' } } },
      total: { metricSource: { type: 'Datadog', spec: { query: 'sum:requests{*}' } } },
    };
    const byRef = openSloSlo({ name: 'web-latency', service: 'web', indicator: { prometheus: { good: 'g', total: 't' } } }) as typeof inline;
    byRef.spec.indicator.spec.ratioMetric = {
      counter: true,
      good: { metricSource: { metricSourceRef: 'aws' } },
      total: { metricSource: { metricSourceRef: 'aws' } },
    };
    const text = yamlDocuments(openSloDataSource('aws', 'CSV', { region: 'eu-west-1' }), inline, byRef).replace('type: CSV', 'type: CloudWatch');
    const root = buildWorkspace({ config: CONFIG, slos: { 'web.yaml': text } });
    const { config, slos, problems } = await loadDefinitions(root);
    assert.deepEqual(
      slos.map((slo) => [slo.name, slo.indicator]),
      [
        ['web-availability', { type: 'unsupported', reason: 'Datadog is not supported' }],
        ['web-latency', { type: 'unsupported', reason: 'CloudWatch is not supported' }],
      ],
    );
    assert.deepEqual(problems, [
      {
        file: '.reliability/slos/web.yaml',
        ...positionOf(text, 'CloudWatch'),
        severity: 'warning',
        message: 'spec.type: CloudWatch is not supported (CSV files and Prometheus are); the SLO is shown without data',
      },
      {
        file: '.reliability/slos/web.yaml',
        ...positionOf(text, 'Datadog'),
        severity: 'warning',
        message: 'spec.indicator.spec.ratioMetric.good.metricSource.type: Datadog is not supported (CSV files and Prometheus are); the SLO is shown without data',
      },
    ]);
    const { reports } = await computeSloReports(root, config, slos, { now: NOW, allowRemote: true });
    // No data with its reason, and not an error: nothing failed, so the merge check does not caution on it.
    assert.deepEqual(
      reports.map((report) => [report.name, report.status, report.sli, report.unsupported, report.error]),
      [
        ['web-availability', 'no-data', null, 'Datadog is not supported', undefined],
        ['web-latency', 'no-data', null, 'CloudWatch is not supported', undefined],
      ],
    );
    const verdict = decideMerge({ services: ['web'], sloReports: reports, incidents: [], commits: [], policy: { cautionBelow: 0.25, freezeSeverity: 'SEV2' }, now: NOW });
    assert.deepEqual(verdict, {
      verdict: 'go',
      services: ['web'],
      reasons: ['SLO web-availability has no data: Datadog is not supported', 'SLO web-latency has no data: CloudWatch is not supported'],
      findings: [],
    });
    // The CLI says so in the status column (this folder is no git repository: report still shows SLOs).
    const report = await cli(root, 'report', '--now', '2026-03-01T12:00:00Z');
    assert.match(report.stdout, /web-availability .* no data: Datadog is not supported/);
    assert.equal(JSON.parse((await cli(root, 'report', '--json', '--now', '2026-03-01T12:00:00Z')).stdout).services[0].slos[0].unsupported, 'Datadog is not supported');
  });

  it('reads prometheus and csv in any case as the types they name', async () => {
    const slo = openSloSlo({ name: 'web-availability', service: 'web', indicator: { prometheus: { good: 'g', total: 't' } } });
    const text = yamlDocuments(slo).replace(/type: Prometheus/g, 'type: prometheus');
    const { slos, problems } = await loadDefinitions(buildWorkspace({ config: CONFIG, slos: { 'web.yaml': text } }));
    assert.deepEqual(problems, []);
    assert.deepEqual(slos[0].indicator, { type: 'prometheus', good: 'g', total: 't', counter: true });
  });
});

describe('openslo/v1alpha', () => {
  after(removeTemporaryFolders);

  it('splits ratio objectives into SLOs of their own and reports problems at v1alpha paths', async () => {
    const text = yamlLines(
      'apiVersion: openslo/v1alpha',
      'kind: SLO',
      'metadata:',
      '  name: web',
      'spec:',
      '  service: web',
      '  timeWindows:',
      '    - unit: Week',
      '      count: 2',
      '  objectives:',
      '    - displayName: fast',
      '      target: 0.99',
      '      ratioMetrics:',
      '        incremental: false',
      '        good: {source: Prometheus, query: web_fast}',
      '        total: {source: Prometheus, query: web_all}',
      '    - displayName: ok',
      '      target: 0.999',
      '      ratioMetrics:',
      '        bad: {source: Prometheus, query: web_errors}',
      '        total: {source: Prometheus, query: web_all}',
      '---',
      'apiVersion: openslo/v1alpha',
      'kind: SLO',
      'metadata:',
      '  name: broken',
      'spec:',
      '  service: web',
      '  timeWindows:',
      '    - unit: Fortnight',
      '      count: 1',
      '  objectives:',
      '    - target: 0.99',
      '---',
      'apiVersion: openslo/v1alpha',
      'kind: SLO',
      'metadata:',
      '  name: no-ratio',
      'spec:',
      '  service: web',
      '  timeWindows:',
      '    - unit: Day',
      '      count: 1',
      '  objectives:',
      '    - target: 0.99',
    );
    const { slos, problems } = await loadDefinitions(buildWorkspace({ config: CONFIG, slos: { 'web.yaml': text } }));
    assert.deepEqual(
      slos.map((slo) => [slo.name, slo.objective, slo.window, slo.indicator, slo.line]),
      [
        ['web-fast', 0.99, { kind: 'rolling', label: '2w', durationMs: 14 * 86_400_000 }, { type: 'prometheus', good: 'web_fast', total: 'web_all', counter: false }, 11],
        ['web-ok', 0.999, { kind: 'rolling', label: '2w', durationMs: 14 * 86_400_000 }, { type: 'prometheus', bad: 'web_errors', total: 'web_all', counter: true }, 17],
      ],
    );
    assert.deepEqual(problems, [
      {
        file: '.reliability/slos/web.yaml',
        line: 30,
        column: 13,
        severity: 'error',
        message: 'spec.timeWindows[0].unit: expected one of Second, Minute, Hour, Day, Week, Month, Quarter, Year, got "Fortnight"',
      },
      {
        file: '.reliability/slos/web.yaml',
        line: 45,
        column: 7,
        severity: 'error',
        message: 'spec.objectives[0].ratioMetrics: expected ratioMetrics (or an indicator.thresholdMetric on the SLO), got nothing (the key is missing)',
      },
    ]);
  });
});

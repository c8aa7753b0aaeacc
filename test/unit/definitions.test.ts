import { strict as assert } from 'node:assert';
import type { Deployment, Incident, Problem, SloDefinition, WorkspaceConfig } from '../../src/core/model';
import { WorkspaceNotFoundError, loadDefinitions } from '../../src/workspace/definitions';
import {
  buildWorkspace,
  csvText,
  openSloDataSource,
  openSloSli,
  openSloSlo,
  positionOf,
  removeTemporaryFolders,
  slothSpec,
  temporaryFolder,
  yamlDocuments,
  yamlLines,
} from './builders/workspaceBuilders';

const DAY = 86_400_000;
const CONFIG = '.reliability/config.yaml';
const INCIDENTS = '.reliability/incidents.yaml';
const DEPLOYMENTS = '.reliability/deployments.yaml';
const CHECKOUT_CSV = csvText([['2026-03-01T00:05:00Z', 99, 100]]);

/** A config declaring the services the smaller tests use. */
const SERVICES_CONFIG = yamlLines(
  'version: 1',
  'services:',
  '  - name: checkout',
  '    paths: ["services/checkout/**"]',
  '  - name: search',
  '    paths: ["services/search/**"]',
);

function errorsOnly(problems: Problem[]): Problem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

describe('loadDefinitions', () => {
  after(removeTemporaryFolders);

  describe('a complete, valid workspace', () => {
    const configText = yamlLines(
      'version: 1',
      'services:',
      '  - name: checkout',
      '    paths: ["services/checkout/**"]',
      '    tagPattern: "checkout-v*"',
      '  - name: search',
      '    paths: ["services/search/**", "libs/search/**"]',
      'deployments:',
      '  source: file',
      '  tagPattern: "release-*"',
      'incidents:',
      '  sources:',
      '    - type: file',
      '    - type: pagerduty',
      '      url: https://api.pagerduty.com',
      '      serviceIds: [P1, P2]',
      '      urgentOnly: true',
      'slis:',
      '  source: prometheus',
      '  prometheus:',
      '    url: http://localhost:9090',
      '    headers:',
      '      X-Scope-OrgID: team-a',
      'policy:',
      '  cautionBelow: 0.3',
      '  freezeSeverity: SEV1',
      'recentDays: 14',
      'defaultBranch: main',
    );
    // checkout.yaml: a DataSource, an SLI using it by metricSourceRef, an SLO by indicatorRef with
    // targetPercent, and a Timeslices SLO on a weekly calendar with two objectives.
    const checkoutSlos = yamlDocuments(
      openSloDataSource('checkout-csv', 'CSV', { path: 'data/checkout.csv' }),
      openSloSli('checkout-requests', {
        counter: true,
        good: { metricSource: { metricSourceRef: 'checkout-csv', spec: { column: 'ok' } } },
        total: { metricSource: { metricSourceRef: 'checkout-csv', type: 'CSV', spec: { column: 'all' } } },
      }),
      openSloSlo({
        name: 'checkout-availability',
        displayName: 'Checkout availability',
        description: 'Payments that succeed',
        service: 'checkout',
        indicator: { ref: 'checkout-requests' },
        objectives: [{ targetPercent: 99.9 }],
      }),
      openSloSlo({
        name: 'checkout-latency',
        service: 'checkout',
        indicator: { csv: { path: 'data/latency.csv' } },
        timeWindow: { duration: '1w', isRolling: false, calendar: { startTime: '2026-01-05 00:00:00', timeZone: 'Europe/Paris' } },
        budgetingMethod: 'Timeslices',
        objectives: [
          { displayName: 'fast', target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: '1m' },
          { target: 0.9, timeSliceTarget: 0.8, timeSliceWindow: '5m' },
        ],
      }),
    );
    const promSlo = yamlDocuments({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'search-errors' },
      spec: {
        service: 'search',
        indicator: {
          metadata: { name: 'search-errors-sli' },
          spec: {
            ratioMetric: {
              counter: false,
              bad: { metricSource: { type: 'Prometheus', spec: { query: 'search_errors_total' } } },
              total: { metricSource: { type: 'Prometheus', spec: { query: 'search_requests_total' } } },
            },
          },
        },
        timeWindow: [{ duration: '1M', isRolling: false, calendar: { startTime: '2026-01-01T00:00:00Z' } }],
        objectives: [{ target: 0.995 }],
      },
    });
    const searchSloth = yamlDocuments(
      slothSpec('search', [
        {
          name: 'search-availability',
          objective: 99.95,
          description: 'Search answers',
          errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
          totalQuery: 'sum(rate(http_requests_total[{{.window}}]))',
        },
        { name: 'search-indexing', objective: 99, errorQuery: 'sum(rate(index_errors[{{.window}}]))', totalQuery: 'sum(rate(index_total[{{.window}}]))' },
      ]),
    );
    const incidentsText = yamlLines(
      'incidents:',
      '  - id: INC-1',
      '    title: Checkout returns 500',
      '    severity: SEV2',
      '    service: checkout',
      '    startedAt: 2026-03-01T10:00:00Z',
      '    resolvedAt: 2026-03-01T11:30:00+01:00',
      '    url: https://status.example.com/INC-1',
      '    commits: [ABCDEF1, 1234567]',
      '    files: [services/checkout/pay.ts]',
      '    postmortem: https://wiki.example.com/pm/INC-1',
      '  - id: INC-2',
      '    title: Search is slow',
      '    severity: SEV4',
      '    service: search',
      '    startedAt: 2026-03-02',
    );
    const deploymentsText = yamlLines(
      'deployments:',
      '  - name: release-1',
      '    commit: 0123456789abcdef0123456789abcdef01234567',
      '    time: 2026-02-27T09:00:00Z',
      '    services: [checkout]',
      '  - name: release-2',
      '    commit: main~3',
      '    time: 2026-02-28T09:00:00Z',
    );

    it('maps config, SLOs, incidents and deployments exactly, with no problems', async () => {
      const root = buildWorkspace({
        config: configText,
        slos: { 'checkout.yaml': checkoutSlos, 'prom.yml': promSlo, 'search.yaml': searchSloth, 'notes.txt': 'not yaml: [' },
        incidents: incidentsText,
        deployments: deploymentsText,
        data: { 'data/checkout.csv': CHECKOUT_CSV, 'data/latency.csv': CHECKOUT_CSV },
      });
      const definitions = await loadDefinitions(root);

      assert.deepEqual(definitions.problems, []);
      assert.deepEqual(definitions.files, [
        CONFIG,
        '.reliability/slos/checkout.yaml',
        '.reliability/slos/prom.yml',
        '.reliability/slos/search.yaml',
        INCIDENTS,
        DEPLOYMENTS,
      ]);

      const expectedConfig: WorkspaceConfig = {
        version: 1,
        services: [
          { name: 'checkout', paths: ['services/checkout/**'], tagPattern: 'checkout-v*' },
          { name: 'search', paths: ['services/search/**', 'libs/search/**'] },
        ],
        deployments: { source: 'file', tagPattern: 'release-*' },
        incidents: {
          sources: [
            { type: 'file', options: {} },
            { type: 'pagerduty', url: 'https://api.pagerduty.com', options: { serviceIds: ['P1', 'P2'], urgentOnly: true } },
          ],
        },
        slis: { source: 'prometheus', prometheus: { url: 'http://localhost:9090', headers: { 'X-Scope-OrgID': 'team-a' }, mode: 'auto', minimumRefreshMs: null } },
        policy: { cautionBelow: 0.3, freezeSeverity: 'SEV1' },
        recentDays: 14,
        defaultBranch: 'main',
      };
      assert.deepEqual(definitions.config, expectedConfig);

      // An SLO with one objective is at its document's first line (apiVersion, just before kind);
      // one of several objectives is at that objective's entry.
      const latencyIndicator = { type: 'csv', path: 'data/latency.csv', goodColumn: 'good', totalColumn: 'total' } as const;
      // 2026-01-05 00:00 in Paris is 2026-01-04 23:00 UTC.
      const weekInParis = { kind: 'calendar', label: '1w', unit: 'w', count: 1, startTime: Date.UTC(2026, 0, 4, 23), timeZone: 'Europe/Paris' } as const;
      const expectedSlos: SloDefinition[] = [
        {
          name: 'checkout-availability',
          displayName: 'Checkout availability',
          description: 'Payments that succeed',
          service: 'checkout',
          objective: 0.999,
          window: { kind: 'rolling', label: '28d', durationMs: 28 * DAY },
          budgeting: { method: 'Occurrences' },
          indicator: { type: 'csv', path: 'data/checkout.csv', goodColumn: 'ok', totalColumn: 'all' },
          file: '.reliability/slos/checkout.yaml',
          line: positionOf(checkoutSlos, 'kind: SLO').line - 1,
        },
        {
          name: 'checkout-latency-fast',
          displayName: 'fast',
          service: 'checkout',
          objective: 0.99,
          window: weekInParis,
          budgeting: { method: 'Timeslices', sliceMs: 60_000, sliceTarget: 0.95 },
          indicator: latencyIndicator,
          file: '.reliability/slos/checkout.yaml',
          line: positionOf(checkoutSlos, '- displayName: fast').line,
        },
        {
          name: 'checkout-latency-1',
          service: 'checkout',
          objective: 0.9,
          window: weekInParis,
          budgeting: { method: 'Timeslices', sliceMs: 300_000, sliceTarget: 0.8 },
          indicator: latencyIndicator,
          file: '.reliability/slos/checkout.yaml',
          line: positionOf(checkoutSlos, '- target: 0.9').line,
        },
        {
          name: 'search-errors',
          service: 'search',
          objective: 0.995,
          window: { kind: 'calendar', label: '1M', unit: 'M', count: 1, startTime: Date.UTC(2026, 0, 1), timeZone: 'UTC' },
          budgeting: { method: 'Occurrences' },
          indicator: { type: 'prometheus', bad: 'search_errors_total', total: 'search_requests_total', counter: false },
          file: '.reliability/slos/prom.yml',
          line: 1,
        },
        {
          name: 'search-availability',
          description: 'Search answers',
          service: 'search',
          objective: 0.9995,
          window: { kind: 'rolling', label: '30d', durationMs: 30 * DAY },
          budgeting: { method: 'Occurrences' },
          indicator: {
            type: 'sloth',
            errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
            totalQuery: 'sum(rate(http_requests_total[{{.window}}]))',
          },
          file: '.reliability/slos/search.yaml',
          line: positionOf(searchSloth, '- name: search-availability').line,
        },
        {
          name: 'search-indexing',
          service: 'search',
          objective: 0.99,
          window: { kind: 'rolling', label: '30d', durationMs: 30 * DAY },
          budgeting: { method: 'Occurrences' },
          indicator: { type: 'sloth', errorQuery: 'sum(rate(index_errors[{{.window}}]))', totalQuery: 'sum(rate(index_total[{{.window}}]))' },
          file: '.reliability/slos/search.yaml',
          line: positionOf(searchSloth, '- name: search-indexing').line,
        },
      ];
      assert.deepEqual(definitions.slos, expectedSlos);

      const expectedIncidents: Incident[] = [
        {
          id: 'INC-1',
          title: 'Checkout returns 500',
          severity: 'SEV2',
          service: 'checkout',
          startedAt: Date.UTC(2026, 2, 1, 10),
          resolvedAt: Date.UTC(2026, 2, 1, 10, 30),
          url: 'https://status.example.com/INC-1',
          // Upper case is lowered for prefix matching; 1234567 is a number to YAML and kept as written.
          commits: ['abcdef1', '1234567'],
          files: ['services/checkout/pay.ts'],
          postmortem: 'https://wiki.example.com/pm/INC-1',
          source: 'file',
        },
        {
          id: 'INC-2',
          title: 'Search is slow',
          severity: 'SEV4',
          service: 'search',
          startedAt: Date.UTC(2026, 2, 2),
          resolvedAt: null,
          commits: [],
          files: [],
          source: 'file',
        },
      ];
      assert.deepEqual(definitions.incidents, expectedIncidents);

      const expectedDeployments: Deployment[] = [
        { name: 'release-1', commit: '0123456789abcdef0123456789abcdef01234567', time: Date.UTC(2026, 1, 27, 9), services: ['checkout'], source: 'file' },
        { name: 'release-2', commit: 'main~3', time: Date.UTC(2026, 1, 28, 9), services: ['checkout', 'search'], source: 'file' },
      ];
      assert.deepEqual(definitions.deployments, expectedDeployments);
    });
  });

  describe('the folder and config.yaml', () => {
    it('throws WorkspaceNotFoundError when there is no .reliability/ folder', async () => {
      const root = temporaryFolder();
      await assert.rejects(loadDefinitions(root), (error: unknown) => {
        assert.ok(error instanceof WorkspaceNotFoundError);
        assert.equal(error.root, root);
        assert.equal(
          error.message,
          `No .reliability/ folder in ${root}. Reliability Lens reads services, SLOs and incidents from .reliability/config.yaml ` +
            'and .reliability/slos/*.yaml at the workspace root; create it there or point --workspace at the folder that holds it.',
        );
        return true;
      });
    });

    it('uses the defaults with a warning when config.yaml is missing', async () => {
      const root = buildWorkspace({});
      const definitions = await loadDefinitions(root);
      assert.deepEqual(definitions.config, {
        version: 1,
        services: [],
        deployments: { source: 'git-tags', tagPattern: 'v*' },
        incidents: { sources: [{ type: 'file', options: {} }] },
        slis: { source: 'file' },
        policy: { cautionBelow: 0.25, freezeSeverity: 'SEV2' },
        recentDays: 30,
      });
      assert.deepEqual(definitions.problems, [
        {
          file: CONFIG,
          line: 0,
          column: 0,
          severity: 'warning',
          message:
            '.reliability/config.yaml not found; using the defaults (no services, git tags v* as deployments, incidents from incidents.yaml, SLI data from CSV files)',
        },
      ]);
      assert.deepEqual(definitions.files, []);
    });

    it('keeps the valid config sections when one section is broken, and says which fell back', async () => {
      const root = buildWorkspace({
        config: yamlLines(
          'version: 1',
          'services:',
          '  - name: checkout',
          '    paths: ["services/checkout/**"]',
          'policy:',
          '  cautionBelow: 2',
          '  freezeSevrity: SEV1',
          'recentDays: 7',
        ),
      });
      const definitions = await loadDefinitions(root);
      assert.deepEqual(definitions.config.services, [{ name: 'checkout', paths: ['services/checkout/**'] }]);
      assert.equal(definitions.config.recentDays, 7);
      assert.deepEqual(definitions.config.policy, { cautionBelow: 0.25, freezeSeverity: 'SEV2' });
      assert.deepEqual(definitions.problems, [
        { file: CONFIG, line: 1, column: 1, severity: 'warning', message: 'config.yaml has errors; these sections use their defaults: policy' },
        { file: CONFIG, line: 6, column: 17, severity: 'error', message: 'policy.cautionBelow: expected a number from 0 to 1, got 2' },
        {
          file: CONFIG,
          line: 7,
          column: 3,
          severity: 'warning',
          message: 'unknown key "freezeSevrity" in policy (ignored); expected one of the keys cautionBelow, freezeSeverity, maintenance, freezeOn, cautionOn, exemptLabel',
        },
      ]);
    });

    it('reports a glob too long to match safely at its line, and keeps the other sections', async () => {
      const tooLong = `${'*a'.repeat(600)}!`;
      const root = buildWorkspace({
        config: yamlLines('version: 1', 'services:', '  - name: checkout', `    paths: ["${tooLong}"]`, 'recentDays: 7'),
      });
      const definitions = await loadDefinitions(root);
      assert.deepEqual(definitions.config.services, []);
      assert.equal(definitions.config.recentDays, 7);
      assert.deepEqual(errorsOnly(definitions.problems), [
        { file: CONFIG, line: 4, column: 13, severity: 'error', message: `services[0].paths[0]: expected a glob of at most 1000 characters, got "${tooLong.slice(0, 77)}..."` },
      ]);
    });

    it('reports a wrong version, a service without paths and prometheus without url', async () => {
      const root = buildWorkspace({
        config: yamlLines('version: 2', 'services:', '  - name: checkout', 'slis:', '  source: prometheus'),
      });
      const { problems } = await loadDefinitions(root);
      assert.deepEqual(errorsOnly(problems), [
        { file: CONFIG, line: 1, column: 10, severity: 'error', message: 'version: expected 1, got 2' },
        { file: CONFIG, line: 3, column: 5, severity: 'error', message: 'services[0].paths: expected a list of path globs, got nothing (the key is missing)' },
        { file: CONFIG, line: 5, column: 3, severity: 'error', message: 'slis.prometheus: expected slis.prometheus.url when slis.source is prometheus, got nothing (the key is missing)' },
      ]);
    });
  });

  describe('SLO documents', () => {
    it('reports a wrong value with its path, line, column, what was expected and what was found', async () => {
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        slos: {
          'checkout.yaml': yamlLines(
            'apiVersion: openslo/v1',
            'kind: SLO',
            'metadata:',
            '  name: checkout-availability',
            'spec:',
            '  service: checkout',
            '  indicatorRef: checkout-requests',
            '  timeWindow:',
            '    - duration: 28d',
            '  objectives:',
            '    - target: high',
          ),
        },
      });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        {
          file: '.reliability/slos/checkout.yaml',
          line: 11,
          column: 15,
          severity: 'error',
          message: 'spec.objectives[0].target: expected a number between 0 and 1, got "high"',
        },
      ]);
      assert.deepEqual(slos, []);
    });

    it('points a missing key at the mapping that lacks it', async () => {
      const text = yamlLines(
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata:',
        '  name: a',
        'spec:',
        '  indicatorRef: x',
        '  timeWindow: [{duration: 28d}]',
        '  objectives: [{displayName: only a name}]',
      );
      const root = buildWorkspace({ config: SERVICES_CONFIG, slos: { 'a.yaml': text } });
      const { problems } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: '.reliability/slos/a.yaml', ...positionOf(text, 'indicatorRef'), severity: 'error', message: 'spec.service: expected a string, got nothing (the key is missing)' },
        {
          file: '.reliability/slos/a.yaml',
          ...positionOf(text, '{displayName'),
          severity: 'error',
          message: 'spec.objectives[0]: expected target (a number between 0 and 1) or targetPercent (a number between 0 and 100), got neither',
        },
      ]);
    });

    it('warns about unknown keys, naming the key and where it is, and still loads the SLO', async () => {
      const text = yamlLines(
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata:',
        '  name: a',
        '  owner: team-a',
            'spec:',
            '  service: checkout',
            '  indicator:',
            '    metadata: {name: a-sli}',
            '    spec:',
            '      ratioMetric:',
            '        good: {metricSource: {type: Prometheus, spec: {query: ok_total}}}',
            '        total: {metricSource: {type: Prometheus, spec: {query: all_total, step: 30}}}',
            '  timeWindow: [{duration: 7d}]',
            '  objectives:',
            '    - target: 0.99',
            '      comparison: lte',
      );
      const root = buildWorkspace({ config: SERVICES_CONFIG, slos: { 'a.yaml': text } });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: '.reliability/slos/a.yaml', ...positionOf(text, 'owner'), severity: 'warning', message: 'unknown key "owner" in metadata (ignored); expected one of the keys name, displayName, labels, annotations' },
        {
          file: '.reliability/slos/a.yaml',
          ...positionOf(text, 'step'),
          severity: 'warning',
          message: 'unknown key "step" in spec.indicator.spec.ratioMetric.total.metricSource.spec (ignored); expected one of the keys path, column, query',
        },
        {
          file: '.reliability/slos/a.yaml',
          ...positionOf(text, 'comparison:'),
          severity: 'warning',
          message:
            'unknown key "comparison" in spec.objectives[0] (ignored); expected one of the keys displayName, target, targetPercent, timeSliceTarget, timeSliceWindow, indicator, indicatorRef, compositeWeight, op, value',
        },
      ]);
      assert.deepEqual(
        slos.map((slo) => [slo.name, slo.objective, slo.indicator]),
        [['a', 0.99, { type: 'prometheus', good: 'ok_total', total: 'all_total', counter: true }]],
      );
    });

    it('reports YAML syntax errors at their position and still loads the other files and documents', async () => {
      const good = openSloSlo({ name: 'good-one', service: 'checkout', indicator: { csv: { path: 'data/checkout.csv' } } });
      const after = openSloSlo({ name: 'after-the-bad-one', service: 'search', indicator: { csv: { path: 'data/checkout.csv' } } });
      const mixed = `${yamlDocuments(good)}---\nkind: [unclosed\n---\n${yamlDocuments(after)}`;
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        slos: {
          // The flow mapping is never closed: the parser notices at the next line.
          'broken.yaml': yamlLines('apiVersion: openslo/v1', 'kind: SLO', 'metadata: {name: x', 'spec: {}'),
          // The flow sequence is never closed: the parser notices at the `---` that follows it.
          'mixed.yaml': mixed,
        },
        data: { 'data/checkout.csv': CHECKOUT_CSV },
      });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(
        problems.map((problem) => [problem.file, problem.line, problem.column, problem.severity]),
        [
          ['.reliability/slos/broken.yaml', 4, 1, 'error'],
          ['.reliability/slos/mixed.yaml', positionOf(mixed, '[unclosed').line + 1, 1, 'error'],
        ],
      );
      assert.match(problems[0].message, /^YAML syntax error: /);
      assert.deepEqual(slos.map((slo) => slo.name), ['good-one', 'after-the-bad-one']);
    });

    it('resolves indicatorRef and metricSourceRef across files, and reports names that do not exist', async () => {
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        slos: {
          'a-sources.yaml': yamlDocuments(
            openSloDataSource('shared-csv', 'CSV', { path: 'data/checkout.csv' }),
            openSloSli('by-ref', {
              good: { metricSource: { metricSourceRef: 'shared-csv' } },
              total: { metricSource: { metricSourceRef: 'missing-source' } },
            }),
          ),
          'b-slos.yaml': yamlLines(
            'apiVersion: openslo/v1',
            'kind: SLO',
            'metadata: {name: uses-missing-sli}',
            'spec:',
            '  service: checkout',
            '  indicatorRef: nowhere',
            '  timeWindow: [{duration: 28d}]',
            '  objectives: [{target: 0.99}]',
            '---',
            'apiVersion: openslo/v1',
            'kind: SLO',
            'metadata: {name: uses-broken-sli}',
            'spec:',
            '  service: checkout',
            '  indicatorRef: by-ref',
            '  timeWindow: [{duration: 28d}]',
            '  objectives: [{target: 0.99}]',
          ),
        },
        data: { 'data/checkout.csv': CHECKOUT_CSV },
      });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        {
          file: '.reliability/slos/a-sources.yaml',
          line: 21,
          column: 26,
          severity: 'error',
          message:
            'spec.ratioMetric.total.metricSource.metricSourceRef: expected the name of a DataSource document in .reliability/slos/ (shared-csv), got "missing-source"',
        },
        {
          file: '.reliability/slos/b-slos.yaml',
          line: 6,
          column: 17,
          severity: 'error',
          message: 'spec.indicatorRef: expected the name of an SLI document in .reliability/slos/ (by-ref), got "nowhere"',
        },
      ]);
      assert.deepEqual(slos, []);
    });

    it('reports a CSV file that does not exist at the path that names it, and keeps the SLO', async () => {
      const text = yamlLines(
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: {name: a}',
        'spec:',
        '  service: checkout',
        '  indicator:',
        '    metadata: {name: a-sli}',
        '    spec:',
        '      ratioMetric:',
        '        good: {metricSource: {type: CSV, spec: {path: data/missing.csv}}}',
        '        total: {metricSource: {type: CSV, spec: {path: data/missing.csv}}}',
        '  timeWindow: [{duration: 28d}]',
        '  objectives: [{target: 0.99}]',
      );
      const root = buildWorkspace({ config: SERVICES_CONFIG, slos: { 'a.yaml': text } });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        {
          file: '.reliability/slos/a.yaml',
          ...positionOf(text, 'data/missing.csv'),
          severity: 'error',
          message: 'spec.indicator.spec.ratioMetric.good.metricSource.spec.path: expected a CSV file that exists, relative to .reliability/, got "data/missing.csv" (not found)',
        },
      ]);
      assert.deepEqual(slos[0].indicator, { type: 'csv', path: 'data/missing.csv', goodColumn: 'good', totalColumn: 'total' });
    });

    it('warns about an SLO whose service is not in config.yaml and still loads it', async () => {
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        slos: { 'pay.yaml': yamlDocuments(slothSpec('payments', [{ name: 'pay', objective: 99.5, errorQuery: 'e', totalQuery: 't' }])) },
      });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        {
          file: '.reliability/slos/pay.yaml',
          line: 2,
          column: 10,
          severity: 'warning',
          message: 'service: expected a service declared in config.yaml services (checkout, search), got "payments"; the SLO is still loaded',
        },
      ]);
      assert.deepEqual(slos.map((slo) => [slo.name, slo.service, slo.objective]), [['pay', 'payments', 0.995]]);
    });

    it('validates Sloth SLOs one by one: a bad one is reported, its siblings load', async () => {
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        slos: {
          'search.yaml': yamlLines(
            'version: prometheus/v1',
            'service: search',
            'slos:',
            '  - name: too-high',
            '    objective: 120',
            '    sli: {events: {error_query: e, total_query: t}}',
            '  - name: no-total',
            '    objective: 99',
            '    sli:',
            '      events: {error_query: e}',
            '  - name: fine',
            '    objective: 99.9',
            '    sli: {events: {error_query: e, total_query: t}}',
          ),
        },
      });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: '.reliability/slos/search.yaml', line: 5, column: 16, severity: 'error', message: 'slos[0].objective: expected a percentage between 0 and 100, such as 99.9, got 120' },
        { file: '.reliability/slos/search.yaml', line: 10, column: 15, severity: 'error', message: 'slos[1].sli.events.total_query: expected a string, got nothing (the key is missing)' },
      ]);
      assert.deepEqual(slos.map((slo) => [slo.name, slo.objective, slo.line]), [['fine', 0.999, 11]]);
    });

    it('reports time windows that cannot be used', async () => {
      const sloWith = (window: string) =>
        yamlLines(
          'apiVersion: openslo/v1',
          'kind: SLO',
          'metadata: {name: w}',
          'spec:',
          '  service: checkout',
          '  indicator: {metadata: {name: s}, spec: {ratioMetric: {good: {metricSource: {type: Prometheus, spec: {query: g}}}, total: {metricSource: {type: Prometheus, spec: {query: t}}}}}}',
          `  timeWindow: [${window}]`,
          '  objectives: [{target: 0.99}]',
        );
      const texts = {
        'a.yaml': sloWith('{duration: 1M, isRolling: true}'),
        'b.yaml': sloWith('{duration: 1w, isRolling: false}'),
        'c.yaml': sloWith('{duration: 1w, calendar: {startTime: "2026-01-05 00:00:00", timeZone: Mars/Olympus}}'),
        'd.yaml': sloWith('{duration: 28d}, {duration: 7d}'),
      };
      const root = buildWorkspace({ config: SERVICES_CONFIG, slos: texts });
      const { problems } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: '.reliability/slos/a.yaml', ...positionOf(texts['a.yaml'], '1M'), severity: 'error', message: 'spec.timeWindow[0].duration: expected a fixed-length duration for a rolling window, such as 28d, 7d or 1w, got "1M"' },
        // The missing calendar belongs in the window mapping.
        { file: '.reliability/slos/b.yaml', ...positionOf(texts['b.yaml'], '{duration: 1w'), severity: 'error', message: 'spec.timeWindow[0].calendar: expected a calendar with startTime and timeZone when isRolling is false, got nothing (the key is missing)' },
        { file: '.reliability/slos/c.yaml', ...positionOf(texts['c.yaml'], 'Mars/Olympus'), severity: 'error', message: 'spec.timeWindow[0].calendar.timeZone: expected an IANA time zone such as UTC or Europe/Paris, got "Mars/Olympus"' },
        { file: '.reliability/slos/d.yaml', ...positionOf(texts['d.yaml'], '[{duration: 28d}'), severity: 'error', message: 'spec.timeWindow: expected exactly one time window, got a list of 2 items' },
      ]);
    });

    it('requires the time slice settings for Timeslices budgeting', async () => {
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        slos: {
          'a.yaml': yamlLines(
            'apiVersion: openslo/v1',
            'kind: SLO',
            'metadata: {name: a}',
            'spec:',
            '  service: checkout',
            '  indicatorRef: x',
            '  timeWindow: [{duration: 28d}]',
            '  budgetingMethod: Timeslices',
            '  objectives:',
            '    - target: 0.99',
            '      timeSliceTarget: 0.9',
          ),
        },
      });
      const { problems } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        {
          file: '.reliability/slos/a.yaml',
          line: 10,
          column: 7,
          severity: 'error',
          message: 'spec.objectives[0].timeSliceWindow: expected timeSliceWindow with budgetingMethod Timeslices, got nothing (the key is missing)',
        },
      ]);
    });

    it('rejects documents that are neither OpenSLO nor Sloth, and duplicate SLO names within a service', async () => {
      const slo = (name: string, service: string) => openSloSlo({ name, service, indicator: { prometheus: { good: 'g', total: 't' } } });
      const first = yamlDocuments(slo('same', 'checkout'), { apiVersion: 'openslo/v2', kind: 'SLO' }, { just: 'data' });
      // The same name under another service is another SLO; under the same service it is a duplicate.
      const second = yamlDocuments(slo('same', 'search'), slo('same', 'checkout'));
      const root = buildWorkspace({ config: SERVICES_CONFIG, slos: { 'a.yaml': first, 'b.yaml': second } });
      const { problems, slos } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: '.reliability/slos/a.yaml', ...positionOf(first, 'openslo/v2'), severity: 'error', message: 'apiVersion: expected one of "openslo/v1", "openslo/v1alpha", "sloth.slok.dev/v1", got "openslo/v2"' },
        {
          file: '.reliability/slos/a.yaml',
          ...positionOf(first, 'just'),
          severity: 'error',
          message:
            'document: expected an OpenSLO document (apiVersion: openslo/v1 or openslo/v1alpha) or a Sloth spec (version: prometheus/v1, or apiVersion: sloth.slok.dev/v1), got a mapping',
        },
        {
          file: '.reliability/slos/b.yaml',
          ...positionOf(second, 'same', 3),
          severity: 'error',
          message: `metadata.name: expected a unique SLO name in service "checkout", got "same" again (first defined at .reliability/slos/a.yaml line ${positionOf(first, 'same').line}); this one is skipped`,
        },
      ]);
      assert.deepEqual(slos.map((definition) => [definition.name, definition.service]), [['same', 'checkout'], ['same', 'search']]);
    });
  });

  describe('incidents.yaml and deployments.yaml', () => {
    it('reports each bad incident at its line and column and keeps the good ones', async () => {
      const root = buildWorkspace({
        config: SERVICES_CONFIG,
        incidents: yamlLines(
          'incidents:',
          '  - id: INC-1',
          '    title: Bad severity and time',
          '    severity: SEV9',
          '    service: checkout',
          '    startedAt: yesterday',
          '  - id: INC-2',
          '    title: Good',
          '    severity: SEV1',
          '    service: checkout',
          '    startedAt: 2026-03-01T00:00:00Z',
          '    commits: [abc]',
          '  - id: INC-3',
          '    title: Resolved before it started',
          '    severity: SEV3',
          '    service: search',
          '    startedAt: 2026-03-02T00:00:00Z',
          '    resolvedAt: 2026-03-01T00:00:00Z',
          '  - id: INC-4',
          '    title: Kept',
          '    severity: SEV5',
          '    service: billing',
          '    startedAt: 2026-03-03T00:00:00Z',
          '  - id: INC-4',
          '    title: Duplicate',
          '    severity: SEV5',
          '    service: search',
          '    startedAt: 2026-03-04T00:00:00Z',
        ),
      });
      const { problems, incidents } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: INCIDENTS, line: 4, column: 15, severity: 'error', message: 'incidents[0].severity: expected one of SEV1, SEV2, SEV3, SEV4, SEV5, got "SEV9"' },
        { file: INCIDENTS, line: 6, column: 16, severity: 'error', message: 'incidents[0].startedAt: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "yesterday"' },
        { file: INCIDENTS, line: 12, column: 15, severity: 'error', message: 'incidents[1].commits[0]: expected a commit SHA or prefix of 7 to 40 hex characters, got "abc"' },
        { file: INCIDENTS, line: 18, column: 17, severity: 'error', message: 'incidents[2].resolvedAt: expected a time at or after startedAt, got "2026-03-01T00:00:00Z"' },
        {
          file: INCIDENTS,
          line: 22,
          column: 14,
          severity: 'warning',
          message: 'incidents[3].service: expected a service declared in config.yaml services (checkout, search), got "billing"; the incident is still loaded',
        },
        { file: INCIDENTS, line: 24, column: 9, severity: 'error', message: 'incidents[4].id: expected a unique incident id, got "INC-4" again (first defined at line 19); this one is skipped' },
      ]);
      assert.deepEqual(incidents.map((incident) => [incident.id, incident.title]), [['INC-4', 'Kept']]);
    });

    it('reports a wrong top-level shape of incidents.yaml', async () => {
      const root = buildWorkspace({ config: SERVICES_CONFIG, incidents: yamlLines('incidents:', '  id: INC-1') });
      const { problems, incidents } = await loadDefinitions(root);
      assert.deepEqual(problems, [{ file: INCIDENTS, line: 2, column: 3, severity: 'error', message: 'incidents: expected a list of incidents, got a mapping' }]);
      assert.deepEqual(incidents, []);
    });

    it('reports bad deployments and warns when deployments.source is file without deployments.yaml', async () => {
      const text = yamlLines(
        'deployments:',
        '  - name: r1',
        '    commit: 1234567',
        '    time: 2026-03-01T00:00:00Z',
        '    services: [checkout, nowhere]',
        '  - name: r2',
        '    commit: two words',
        '    time: 2026-03-32T00:00:00Z',
      );
      const withFile = buildWorkspace({ config: SERVICES_CONFIG, deployments: text });
      const loaded = await loadDefinitions(withFile);
      assert.deepEqual(loaded.problems, [
        {
          file: DEPLOYMENTS,
          ...positionOf(text, 'nowhere'),
          severity: 'warning',
          message: 'deployments[0].services[1]: expected a service declared in config.yaml services (checkout, search), got "nowhere"; the deployment is still loaded',
        },
        { file: DEPLOYMENTS, ...positionOf(text, 'two words'), severity: 'error', message: 'deployments[1].commit: expected a commit SHA or git ref (no spaces), got "two words"' },
        { file: DEPLOYMENTS, ...positionOf(text, '2026-03-32'), severity: 'error', message: 'deployments[1].time: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "2026-03-32T00:00:00Z"' },
      ]);
      assert.deepEqual(loaded.deployments, [
        { name: 'r1', commit: '1234567', time: Date.UTC(2026, 2, 1), services: ['checkout', 'nowhere'], source: 'file' },
      ]);

      const withoutFile = buildWorkspace({ config: yamlLines('version: 1', 'deployments:', '  source: file') });
      assert.deepEqual((await loadDefinitions(withoutFile)).problems, [
        {
          file: DEPLOYMENTS,
          line: 0,
          column: 0,
          severity: 'warning',
          message: 'config.yaml sets deployments.source: file, but .reliability/deployments.yaml does not exist; there are no deployments',
        },
      ]);
    });
  });
});

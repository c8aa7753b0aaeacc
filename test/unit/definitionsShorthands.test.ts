// Inputs a user would naturally write (issue 9, DOMAIN.md section 1): plain names in incidents.sources,
// and incidents.yaml / deployments.yaml as a top-level list.
import { strict as assert } from 'node:assert';
import { loadDefinitions } from '../../src/workspace/definitions';
import { buildWorkspace, positionOf, removeTemporaryFolders, slothSpec, yamlDocuments, yamlLines } from './builders/workspaceBuilders';

const CONFIG = '.reliability/config.yaml';
const INCIDENTS = '.reliability/incidents.yaml';
const DEPLOYMENTS = '.reliability/deployments.yaml';

const SERVICES = ['version: 1', 'services:', '  - name: checkout', '    paths: ["services/checkout/**"]'];

describe('inputs a user would write', () => {
  after(removeTemporaryFolders);

  describe('incidents.sources', () => {
    it('reads a plain name as {type: NAME} with the defaults', async () => {
      const root = buildWorkspace({ config: yamlLines(...SERVICES, 'incidents:', '  sources: [file, pagerduty, opsgenie]') });
      const { config, problems } = await loadDefinitions(root);
      assert.deepEqual(problems, []);
      assert.deepEqual(config.incidents.sources, [
        { type: 'file', options: {} },
        { type: 'pagerduty', options: {} },
        { type: 'opsgenie', options: {} },
      ]);
    });

    it('mixes plain names and mappings', async () => {
      const root = buildWorkspace({
        config: yamlLines(...SERVICES, 'incidents:', '  sources:', '    - file', '    - type: alertmanager', '      url: http://alertmanager:9093'),
      });
      const { config, problems } = await loadDefinitions(root);
      assert.deepEqual(problems, []);
      assert.deepEqual(config.incidents.sources, [
        { type: 'file', options: {} },
        { type: 'alertmanager', url: 'http://alertmanager:9093', options: {} },
      ]);
    });

    it('names the key a plain alertmanager or github lacks, at the entry, and still loads the rest', async () => {
      const text = yamlLines(...SERVICES, 'incidents:', '  sources:', '    - file', '    - alertmanager', '    - github', '    - type: alertmanager');
      const root = buildWorkspace({ config: text, incidents: yamlLines('- id: INC-1', '  title: t', '  severity: SEV2', '  service: checkout', '  startedAt: 2026-03-01T00:00:00Z') });
      const { config, problems, incidents } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: CONFIG, line: 8, column: 7, severity: 'error', message: 'incidents.sources[1]: Alertmanager: set its url in config.yaml' },
        { file: CONFIG, line: 9, column: 7, severity: 'error', message: 'incidents.sources[2]: GitHub: set `repository: owner/name` in config.yaml' },
        { file: CONFIG, line: 10, column: 7, severity: 'error', message: 'incidents.sources[3]: Alertmanager: set its url in config.yaml' },
      ]);
      // The sources are kept (their state says the same when they run) and the file source still reads incidents.yaml.
      assert.deepEqual(config.incidents.sources.map((source) => source.type), ['file', 'alertmanager', 'github', 'alertmanager']);
      assert.deepEqual(incidents.map((incident) => incident.id), ['INC-1']);
    });

    it('accepts github with its repository, and quotes an unknown name', async () => {
      const text = yamlLines(...SERVICES, 'incidents:', '  sources:', '    - type: github', '      repository: acme/shop', '    - pagerduty2');
      const { config, problems } = await loadDefinitions(buildWorkspace({ config: text }));
      assert.deepEqual(problems, [
        {
          file: CONFIG,
          line: 1,
          column: 1,
          severity: 'warning',
          message: 'config.yaml has errors; these sections use their defaults: incidents',
        },
        {
          file: CONFIG,
          ...positionOf(text, 'pagerduty2'),
          severity: 'error',
          message: 'incidents.sources[1]: expected a source name (file, pagerduty, github, opsgenie, alertmanager) or a mapping with a type, got "pagerduty2"',
        },
      ]);
      assert.deepEqual(config.incidents.sources, [{ type: 'file', options: {} }]);
    });
  });

  describe('incidents.yaml and deployments.yaml as a top-level list', () => {
    const incidentLines = [
      '- id: INC-1',
      '  title: Checkout down',
      '  severity: SEV1',
      '  service: checkout',
      '  startedAt: 2026-03-01T10:00:00Z',
      '  resolvedAt: 2026-03-01T11:30:00Z',
      '- id: INC-2',
      '  title: Bad severity',
      '  severity: SEV7',
      '  service: checkout',
      '  startedAt: 2026-03-02T10:00:00Z',
      '- id: INC-1',
      '  title: Again',
      '  severity: SEV3',
      '  service: checkout',
      '  startedAt: 2026-03-03T10:00:00Z',
    ];

    it('loads incidents written as a list, with problems at their line and column', async () => {
      const root = buildWorkspace({ config: yamlLines(...SERVICES), incidents: yamlLines(...incidentLines) });
      const { incidents, problems } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: INCIDENTS, line: 9, column: 13, severity: 'error', message: '[1].severity: expected one of SEV1, SEV2, SEV3, SEV4, SEV5, got "SEV7"' },
        { file: INCIDENTS, line: 12, column: 7, severity: 'error', message: '[2].id: expected a unique incident id, got "INC-1" again (first defined at line 1); this one is skipped' },
      ]);
      assert.deepEqual(incidents, [
        {
          id: 'INC-1',
          title: 'Checkout down',
          severity: 'SEV1',
          service: 'checkout',
          startedAt: Date.UTC(2026, 2, 1, 10),
          resolvedAt: Date.UTC(2026, 2, 1, 11, 30),
          commits: [],
          files: [],
          source: 'file',
        },
      ]);
    });

    it('reads the list and the mapping forms the same', async () => {
      const entry = ['id: INC-9', 'title: t', 'severity: SEV4', 'service: checkout', 'startedAt: 2026-03-05'];
      const asList = buildWorkspace({ config: yamlLines(...SERVICES), incidents: yamlLines(`- ${entry[0]}`, ...entry.slice(1).map((line) => `  ${line}`)) });
      const asMapping = buildWorkspace({ config: yamlLines(...SERVICES), incidents: yamlLines('incidents:', `  - ${entry[0]}`, ...entry.slice(1).map((line) => `    ${line}`)) });
      const [list, mapping] = await Promise.all([loadDefinitions(asList), loadDefinitions(asMapping)]);
      assert.deepEqual(list.incidents, mapping.incidents);
      assert.equal(list.incidents[0].startedAt, Date.UTC(2026, 2, 5));
      assert.deepEqual([list.problems, mapping.problems], [[], []]);
    });

    it('loads deployments written as a list; an empty list is no deployments', async () => {
      const text = yamlLines(
        '- name: v1.0.0',
        '  commit: 1234567',
        '  time: 2026-03-01T12:00:00Z',
        '- name: v1.0.1',
        '  commit: two words',
        '  time: 2026-03-02T12:00:00Z',
        '- name: v1.1.0',
        '  commit: main',
        '  time: 2026-03-03T12:00:00',
        '  services: [checkout]',
      );
      const root = buildWorkspace({ config: yamlLines(...SERVICES), deployments: text });
      const { deployments, problems } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: DEPLOYMENTS, line: 5, column: 11, severity: 'error', message: '[1].commit: expected a commit SHA or git ref (no spaces), got "two words"' },
      ]);
      assert.deepEqual(deployments, [
        { name: 'v1.0.0', commit: '1234567', time: Date.UTC(2026, 2, 1, 12), services: ['checkout'], source: 'file' },
        { name: 'v1.1.0', commit: 'main', time: Date.UTC(2026, 2, 3, 12), services: ['checkout'], source: 'file' },
      ]);

      const empty = buildWorkspace({ config: yamlLines(...SERVICES), deployments: yamlLines('[]') });
      assert.deepEqual(await loadDefinitions(empty).then(({ deployments: none, problems: found }) => [none, found]), [[], []]);
    });

    it('says what is expected when the file is neither a list nor a mapping', async () => {
      const root = buildWorkspace({ config: yamlLines(...SERVICES), incidents: yamlLines('just text') });
      const { incidents, problems } = await loadDefinitions(root);
      assert.deepEqual(problems, [
        { file: INCIDENTS, line: 1, column: 1, severity: 'error', message: 'document: expected a list of incidents, or a mapping with the list under incidents:, got "just text"' },
      ]);
      assert.deepEqual(incidents, []);
    });
  });

  describe('an SLO is its service and name', () => {
    it('loads the same SLO name under two services of one multi-document file', async () => {
      const slo = { name: 'requests-availability', objective: 99.9, errorQuery: 'e[{{.window}}]', totalQuery: 't[{{.window}}]' };
      const text = yamlDocuments(slothSpec('checkout', [slo]), slothSpec('search', [slo]), slothSpec('checkout', [slo]));
      const root = buildWorkspace({ config: yamlLines(...SERVICES, '  - name: search', '    paths: ["services/search/**"]'), slos: { 'sloth.yaml': text } });
      const { slos, problems } = await loadDefinitions(root);
      assert.deepEqual(slos.map((definition) => [definition.service, definition.name, definition.line]), [
        ['checkout', 'requests-availability', positionOf(text, '- name').line],
        ['search', 'requests-availability', positionOf(text, '- name', 2).line],
      ]);
      assert.deepEqual(problems, [
        {
          file: '.reliability/slos/sloth.yaml',
          ...positionOf(text, 'requests-availability', 3),
          severity: 'error',
          message: `slos[0].name: expected a unique SLO name in service "checkout", got "requests-availability" again (first defined at line ${positionOf(text, 'requests-availability').line}); this one is skipped`,
        },
      ]);
    });
  });
});

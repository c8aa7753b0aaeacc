// A folder that is not a git repository (issue 9): SLOs and incidents still show in `report` and
// `incidents`, which say why delivery is missing; only the commands that need git history refuse.
import { strict as assert } from 'node:assert';
import { loadSnapshot } from '../../src/workspace/engine';
import { buildDeliveryNodes } from '../../src/views/tree/deliveryNodes';
import { buildServiceNodes } from '../../src/views/tree/serviceNodes';
import type { ViewNode } from '../../src/views/tree/viewNode';
import { cli } from './builders/cliRunner';
import { buildWorkspace, csvText, openSloSlo, removeTemporaryFolders, yamlDocuments, yamlLines } from './builders/workspaceBuilders';

const NOW = '2026-03-02T00:00:00Z';
const NOTE = /^Delivery \(deployments, DORA metrics, incidents linked to deployments\) is not shown: .* is not inside a git repository$/m;

describe('the CLI outside a git repository', () => {
  let root = '';
  before(() => {
    root = buildWorkspace({
      config: yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["checkout/**"]'),
      slos: {
        'checkout.yaml': yamlDocuments(
          openSloSlo({ name: 'checkout-availability', service: 'checkout', indicator: { csv: { path: 'data/checkout.csv' } }, objectives: [{ target: 0.99 }] }),
        ),
      },
      // 1,990 good of 2,000 in the 28-day window: SLI 0.995, error ratio 0.005, budget consumed
      // 0.005 / 0.01 = 0.5, remaining 0.5.
      data: { 'data/checkout.csv': csvText([['2026-03-01T00:00:00Z', 990, 1000], ['2026-03-01T12:00:00Z', 1000, 1000]]) },
      incidents: yamlLines('- id: INC-1', '  title: Checkout slow', '  severity: SEV2', '  service: checkout', '  startedAt: 2026-03-01T10:00:00Z'),
    });
  });
  after(removeTemporaryFolders);

  it('report shows the SLOs and incidents, and why delivery is missing', async () => {
    const human = await cli(root, 'report', '--now', NOW);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /checkout-availability/);
    assert.match(human.stdout, /INC-1/);
    assert.match(human.stdout, NOTE);

    const json = await cli(root, 'report', '--now', NOW, '--json');
    assert.equal(json.code, 0, json.stderr);
    const report = json.json();
    const [slo] = report.services.find((service: { name: string }) => service.name === 'checkout').slos;
    assert.equal(slo.sli, 0.995);
    assert.ok(Math.abs(slo.budget.remaining - 0.5) < 1e-12);
    assert.deepEqual(report.incidents.map((incident: { id: string }) => incident.id), ['INC-1']);
    assert.equal(report.dora, null);
    assert.match(report.sources.find((source: { name: string }) => source.name === 'git').message, /is not inside a git repository/);
    // stdout stays one JSON object; the note goes to stderr.
    assert.match(json.stderr, NOTE);
  });

  it('incidents lists them, and says why delivery is missing', async () => {
    const human = await cli(root, 'incidents', '--now', NOW);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /INC-1/);
    assert.match(human.stdout, NOTE);
    const json = await cli(root, 'incidents', '--now', NOW, '--json');
    assert.deepEqual(json.json().incidents.map((incident: { id: string }) => incident.id), ['INC-1']);
  });

  it('check, dora and lens still need git: exit 2 with one line', async () => {
    for (const argv of [['check'], ['dora'], ['lens', 'checkout/a.ts']]) {
      const result = await cli(root, ...argv, '--now', NOW);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, /is not inside a git repository/);
    }
  });

  it('the editor views show the SLOs, and the Delivery view says why there is no history', async () => {
    const snapshot = await loadSnapshot(root, { now: Date.parse(NOW), allowRemote: false });
    const workspace = { root, name: 'shop', snapshot, loading: false, trusted: true, remoteEnabled: true };
    const labels = (nodes: ViewNode[]): string[] => nodes.flatMap((node) => [String(node.label), ...labels(node.children ?? [])]);
    assert.ok(labels(buildServiceNodes(workspace)).includes('checkout-availability'));
    const delivery = buildDeliveryNodes(workspace).find((node) => node.label === 'No delivery history');
    assert.match(String(delivery?.description), /is not inside a git repository/);
  });
});

import { strict as assert } from 'node:assert';
import { COMMANDS } from '../../../src/views/ids';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import { toDashboardData } from '../../../src/views/dashboard/projection';
import { HOUR, NOW, sloReport } from '../builders/reportBuilders';
import { config, incidentView, snapshot, viewState } from './viewBuilders';

/** Five services in config.yaml's order; their health decides the order the views list them in. */
function workspace() {
  return viewState({
    snapshot: snapshot({
      config: config({
        services: ['api', 'billing', 'checkout', 'docs', 'search'].map((name) => ({ name, paths: [`services/${name}/**`] })),
      }),
      sloReports: [
        sloReport({ name: 'api-latency', service: 'api', status: 'healthy', budget: { remaining: 0.9, consumed: 0.1 } }),
        sloReport({ name: 'billing-availability', service: 'billing', status: 'warning', budget: { remaining: 0.2, consumed: 0.8 } }),
        sloReport({ name: 'checkout-availability', service: 'checkout', status: 'exhausted', budget: { remaining: -0.1, consumed: 1.1 } }),
        sloReport({ name: 'checkout-latency', service: 'checkout', status: 'healthy', budget: { remaining: 0.8, consumed: 0.2 } }),
        sloReport({ name: 'docs-availability', service: 'docs', status: 'healthy', budget: { remaining: 0.95, consumed: 0.05 } }),
        sloReport({ name: 'search-availability', service: 'search', status: 'healthy', budget: { remaining: 0.7, consumed: 0.3 } }),
      ],
      incidents: [incidentView({ id: 'INC-3', service: 'search', startedAt: NOW - HOUR, resolvedAt: null })],
    }),
  });
}

const labels = (nodes: ReturnType<typeof buildServiceNodes>) => nodes.filter((node) => node.contextValue === 'service').map((node) => node.label);

describe('Services view at scale: ranked, filtered, the open file pinned', () => {
  it('lists services worst first: exhausted, warning, an open incident, then healthy ones in config order', () => {
    assert.deepEqual(labels(buildServiceNodes(workspace())), ['checkout', 'billing', 'search', 'api', 'docs']);
  });

  it('ranks the dashboard picker the same way (one rule, core/attention.ts)', () => {
    const [overview] = toDashboardData([workspace()]).workspaces;
    assert.deepEqual(overview.services.map((service) => service.name), labels(buildServiceNodes(workspace())));
    assert.deepEqual(overview.services.filter((service) => service.needsAttention).map((service) => service.name), ['checkout', 'billing', 'search']);
  });

  it("pins the open file's service first and says why in its tooltip", () => {
    const nodes = buildServiceNodes(workspace(), { attentionOnly: false, pinned: ['docs'] });
    assert.deepEqual(labels(nodes), ['docs', 'checkout', 'billing', 'search', 'api']);
    assert.match(nodes.find((node) => node.label === 'docs')?.tooltip?.value ?? '', /open file belongs to this service/);
    assert.doesNotMatch(nodes.find((node) => node.label === 'api')?.tooltip?.value ?? '', /open file/);
  });

  it('shows only services that need attention when filtered, and a node that shows the rest', () => {
    const nodes = buildServiceNodes(workspace(), { attentionOnly: true, pinned: [] });
    assert.deepEqual(labels(nodes), ['checkout', 'billing', 'search']);
    const hidden = nodes.find((node) => node.contextValue === 'hiddenServices');
    assert.equal(hidden?.label, '2 services not needing attention hidden');
    assert.equal(hidden?.command?.command, COMMANDS.showAllServices);
  });

  it('keeps the pinned service when filtered, even if it needs nothing', () => {
    const nodes = buildServiceNodes(workspace(), { attentionOnly: true, pinned: ['api'] });
    assert.deepEqual(labels(nodes), ['api', 'checkout', 'billing', 'search']);
    assert.equal(nodes.find((node) => node.contextValue === 'hiddenServices')?.label, '1 service not needing attention hidden');
  });

  it('says so when no service needs attention', () => {
    const calm = viewState({
      snapshot: snapshot({ sloReports: [sloReport({ name: 'checkout-availability', service: 'checkout', status: 'healthy' })], incidents: [] }),
    });
    const nodes = buildServiceNodes(calm, { attentionOnly: true, pinned: [] });
    assert.deepEqual(labels(nodes), []);
    assert.equal(nodes.at(-1)?.label, 'No service needs attention (2 services hidden)');
  });
});

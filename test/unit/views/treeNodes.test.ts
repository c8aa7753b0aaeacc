import { strict as assert } from 'node:assert';
import { COMMANDS } from '../../../src/views/ids';
import { buildDeliveryNodes } from '../../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../../src/views/tree/incidentNodes';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import type { ViewNode } from '../../../src/views/tree/viewNode';
import { DAY, HOUR, NOW, sloReport } from '../builders/reportBuilders';
import { ROOT, config, deployment, doraReport, incidentView, snapshot, viewState } from './viewBuilders';

function find(nodes: readonly ViewNode[], label: string): ViewNode {
  for (const node of nodes) {
    if (node.label === label) return node;
    const inner = node.children && findOrUndefined(node.children, label);
    if (inner) return inner;
  }
  assert.fail(`no node labelled ${label} in ${nodes.map((n) => n.label).join(', ')}`);
}

function findOrUndefined(nodes: readonly ViewNode[], label: string): ViewNode | undefined {
  try {
    return find(nodes, label);
  } catch {
    return undefined;
  }
}

function allIds(nodes: readonly ViewNode[]): string[] {
  return nodes.flatMap((node) => [node.id, ...allIds(node.children ?? [])]);
}

describe('Services & SLOs tree', () => {
  const critical = sloReport({
    name: 'checkout-availability',
    service: 'checkout',
    sli: 0.99962,
    status: 'critical',
    budget: { remaining: 0.62, consumed: 0.38 },
    burnRates: { '5m': 20.1, '30m': 18, '1h': 16.2, '2h': 8.3, '6h': 3.1, '1d': 1.2, '3d': 0.6 },
    alerts: [{ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }],
    exhaustionEta: NOW + 10 * DAY,
  });
  const state = viewState({
    snapshot: snapshot({
      sloReports: [critical, sloReport({ name: 'search-latency', service: 'search' })],
      incidents: [incidentView({ id: 'INC-7', service: 'checkout', severity: 'SEV2' })],
      problems: [{ file: '.reliability/slos/search.yaml', line: 4, column: 7, severity: 'error', message: 'objective must be below 1' }],
      sources: [
        { name: 'prometheus', host: 'prom.example.com', state: 'needs-token' },
        { name: 'git', state: 'ok' },
      ],
    }),
  });
  const nodes = buildServiceNodes(state);

  it('puts source states and problems before the services', () => {
    assert.deepEqual(
      nodes.map((node) => node.label),
      ['prometheus (prom.example.com): needs a token', 'Problems (1)', 'checkout', 'search'],
    );
    assert.deepEqual(nodes[0].command, { command: COMMANDS.setToken, title: 'Set Token', arguments: ['prometheus'] });
  });

  it('opens a problem at its 1-based line and column', () => {
    const problem = find(nodes, 'slos/search.yaml:4:7');
    assert.equal(problem.description, 'objective must be below 1');
    assert.deepEqual(problem.command?.arguments, [{ root: ROOT, file: '.reliability/slos/search.yaml', line: 4, column: 7 }]);
  });

  it('shows service → SLO with SLI and budget, coloured by status', () => {
    const checkout = find(nodes, 'checkout');
    assert.equal(checkout.description, '62% budget · critical · 1 open incident');
    const slo = find(nodes, 'checkout-availability');
    assert.equal(slo.description, '99.962% · 62% budget left');
    assert.deepEqual(slo.icon, { id: 'error', color: 'errorForeground' });
    assert.deepEqual(find(nodes, 'search-latency').icon, { id: 'pass', color: 'testing.iconPassed' });
  });

  it('lists SLI, budget, all seven burn rates with alert state, firing alerts and exhaustion under an SLO', () => {
    const slo = find(nodes, 'checkout-availability');
    assert.deepEqual(
      slo.children?.map((child) => child.label),
      ['SLI 99.962%', 'Budget 62% left', 'Burn rates', 'Firing alerts (1)', 'Time to exhaustion'],
    );
    const burn = find(slo.children ?? [], 'Burn rates');
    assert.deepEqual(
      burn.children?.map((child) => `${child.label} ${child.description}`),
      ['5m 20.1× · alerting', '30m 18.0×', '1h 16.2× · alerting', '2h 8.30×', '6h 3.10×', '1d 1.20×', '3d 0.60×'],
    );
    assert.equal(find(slo.children ?? [], 'page 1h/5m > 14.4×').description, 'page now');
    assert.equal(find(slo.children ?? [], 'Time to exhaustion').description, 'in 10d (2026-11-30 12:00 UTC)');
  });

  it('shows a service only an open incident names, with its incident and no SLOs', () => {
    const withIncidentOnly = buildServiceNodes(
      viewState({
        snapshot: snapshot({
          sloReports: [critical],
          incidents: [
            // Resolved an hour after the evaluation time: open at NOW.
            incidentView({ id: 'INC-12', service: 'payments-gateway', severity: 'SEV1', startedAt: NOW - HOUR, resolvedAt: NOW + HOUR }),
            // Starts after NOW: it names no service yet.
            incidentView({ id: 'INC-13', service: 'ledger', startedAt: NOW + HOUR }),
          ],
        }),
      }),
    );
    // Ranked (core/attention.ts): the open incident puts payments-gateway before search, which needs nothing.
    assert.deepEqual(withIncidentOnly.map((node) => node.label), ['checkout', 'payments-gateway', 'search']);
    const gateway = find(withIncidentOnly, 'payments-gateway');
    assert.equal(gateway.description, 'no SLOs · 1 open incident');
    assert.match(gateway.tooltip?.value ?? '', /Open: INC\\-12/);
  });

  it('keeps ids unique so expansion state survives refreshes', () => {
    const ids = allIds(nodes);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('says why data is missing: loading, failed load, Restricted Mode', () => {
    const loading = buildServiceNodes(viewState({ snapshot: undefined, loading: true }));
    assert.deepEqual(loading.map((node) => node.label), ['Loading…']);
    const failed = buildServiceNodes(viewState({ snapshot: undefined, error: 'config.yaml: version must be 1' }));
    assert.equal(failed[0].label, 'Could not load: config.yaml: version must be 1');
    assert.equal(failed[0].command?.command, COMMANDS.showLog);
    const restricted = buildServiceNodes(
      viewState({ trusted: false, snapshot: snapshot({ sources: [{ name: 'remote', state: 'disabled', message: 'remote sources are off' }] }) }),
    );
    assert.deepEqual(restricted.map((node) => node.label), ['Restricted Mode: remote sources are not contacted', 'checkout', 'search']);
    assert.equal(restricted[0].command?.command, 'workbench.trust.manage');
  });
});

describe('Delivery tree', () => {
  it('shows DORA metrics with tier and trend, then recent deployments with their changes and incidents', () => {
    const nodes = buildDeliveryNodes(
      viewState({
        snapshot: snapshot({
          dora: doraReport(),
          previousDora: doraReport({ deploymentsPerWeek: 1.5 }),
          incidents: [incidentView({ id: 'INC-7', service: 'checkout', severity: 'SEV2', title: 'Card payments failing' })],
          deployments: [
            deployment({ name: 'v1.31.0', time: NOW - 20 * DAY }),
            deployment({
              name: 'v1.32.0',
              time: NOW - 12 * DAY,
              incidents: ['INC-7'],
              changes: [{ sha: 'c0ffee1'.padEnd(40, '0'), subject: 'Retry payment capture', time: NOW - 13 * DAY }],
            }),
            deployment({ name: 'v1.33.0', time: NOW + DAY }),
          ],
        }),
      }),
    );
    assert.equal(find(nodes, 'Deployment frequency').description, '1.94/week · high ↑');
    assert.equal(find(nodes, 'Change failure rate').description, '12% · medium →');
    const recent = find(nodes, 'Recent deployments');
    assert.deepEqual(recent.children?.map((child) => child.label), ['v1.32.0', 'v1.31.0']);
    const failed = find(nodes, 'v1.32.0');
    assert.equal(failed.description, '12 days ago · 1 change · failed (INC-7)');
    assert.equal(failed.contextValue, 'deploymentFailed');
    assert.deepEqual(failed.children?.map((child) => child.label), ['INC-7 · SEV2 · checkout', 'c0ffee1 Retry payment capture']);
  });

  it('says when there is no delivery history, and why in git\'s words', () => {
    const nodes = buildDeliveryNodes(viewState());
    assert.equal(nodes[0].label, 'No delivery history');
    const shallow = 'this is a shallow clone with only 1 commit present; run `git fetch --unshallow` so delivery history can be read';
    const withReason = buildDeliveryNodes(viewState({ snapshot: snapshot({ sources: [{ name: 'git', state: 'failing', message: shallow }] }) }));
    assert.equal(withReason[0].description, shallow);
  });
});

describe('Incidents tree', () => {
  it('lists open incidents first, then recent ones, opening each on click', () => {
    const nodes = buildIncidentNodes(
      viewState({
        snapshot: snapshot({
          incidents: [
            incidentView({ id: 'INC-5', service: 'checkout', startedAt: NOW - 3 * DAY, resolvedAt: NOW - 3 * DAY + HOUR }),
            incidentView({ id: 'INC-7', service: 'checkout', severity: 'SEV2', startedAt: NOW - 2 * HOUR, deployment: 'v1.32.0' }),
            incidentView({ id: 'INC-1', service: 'search', startedAt: NOW - 90 * DAY, resolvedAt: NOW - 89 * DAY }),
          ],
        }),
      }),
    );
    assert.deepEqual(
      nodes.map((node) => `${node.label} | ${node.description}`),
      ['INC-7 · SEV2 · checkout | open for 2h', 'INC-5 · SEV3 · checkout | lasted 1h'],
    );
    assert.deepEqual(nodes[0].command?.arguments, [{ root: ROOT, ids: ['INC-7'] }]);
    assert.match(nodes[0].tooltip?.value ?? '', /Deployment: v1\\\.32\\\.0/);
  });

  it('says when nothing is open or recent, and how many days count', () => {
    const [none] = buildIncidentNodes(viewState());
    assert.deepEqual([none.label, none.description], ['No open or recent incidents', 'incidents of the last 30 days show here']);
    assert.equal(buildIncidentNodes(viewState({ recentDays: 1 }))[0].description, 'incidents of the last 1 day show here');
  });

  // DOMAIN.md sections 1 and 4: the same rules as the CLI, not a view's own.
  const incidents = [
    // Resolved 10 days ago: recent with config.yaml's 30 days, history with a setting of 7.
    incidentView({ id: 'INC-2', service: 'checkout', severity: 'SEV1', startedAt: NOW - 10 * DAY - HOUR, resolvedAt: NOW - 10 * DAY }),
    // Started 3h ago and resolved an hour after the evaluation time: open at NOW.
    incidentView({ id: 'INC-8', service: 'search', severity: 'SEV4', startedAt: NOW - 3 * HOUR, resolvedAt: NOW + HOUR }),
    incidentView({ id: 'INC-9', service: 'search', severity: 'SEV2', startedAt: NOW - 5 * HOUR }),
    // Resolved 40 days ago: history either way.
    incidentView({ id: 'INC-1', service: 'search', startedAt: NOW - 41 * DAY, resolvedAt: NOW - 40 * DAY }),
  ];

  it('shows an incident resolved after the evaluation time as open, in the one order', () => {
    const nodes = buildIncidentNodes(viewState({ snapshot: snapshot({ incidents }) }));
    // Open first by severity (INC-9 SEV2, INC-8 SEV4), then the resolved SEV1 of 10 days ago.
    assert.deepEqual(
      nodes.map((node) => `${node.label} | ${node.description} | ${node.icon?.id}`),
      ['INC-9 · SEV2 · search | open for 5h | flame', 'INC-8 · SEV4 · search | open for 3h | flame', 'INC-2 · SEV1 · checkout | lasted 1h | pass'],
    );
  });

  it("takes recentDays from config.yaml, replaced by the editor setting when the user set it", () => {
    const labels = (state: Parameters<typeof buildIncidentNodes>[0]) => buildIncidentNodes(state).map((node) => node.label.split(' ')[0]);
    assert.deepEqual(labels(viewState({ snapshot: snapshot({ incidents }), recentDays: null })), ['INC-9', 'INC-8', 'INC-2']);
    assert.deepEqual(labels(viewState({ snapshot: snapshot({ incidents }), recentDays: 7 })), ['INC-9', 'INC-8']);
    assert.deepEqual(labels(viewState({ snapshot: snapshot({ incidents, config: config({ recentDays: 60 }) }) })), ['INC-9', 'INC-8', 'INC-2', 'INC-1']);
    assert.deepEqual(labels(viewState({ snapshot: snapshot({ incidents, config: config({ recentDays: 60 }) }), recentDays: 7 })), ['INC-9', 'INC-8']);
  });
});

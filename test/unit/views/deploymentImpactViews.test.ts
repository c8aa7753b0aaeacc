// Where the editor shows deployment impact (DOMAIN.md section 6): the Delivery tree, "Suspect
// deployments" in the Incidents view, the code lens and hover of a commit a degraded deployment
// shipped, and the dashboard's projection. Every text is the one the CLI prints (core/impactText.ts).
import { strict as assert } from 'node:assert';
import type { DeploymentImpact } from '../../../src/core/deploymentImpact';
import { changeHoverMarkdown } from '../../../src/views/codeLens/changeHover';
import { toServiceDetail } from '../../../src/views/dashboard/projection';
import { degradedDeployments } from '../../../src/core/changeSignal';
import { formatChangeLensTitle } from '../../../src/views/format';
import { buildDeliveryNodes } from '../../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../../src/views/tree/incidentNodes';
import type { ViewNode } from '../../../src/views/tree/viewNode';
import { DAY, HOUR, NOW } from '../builders/reportBuilders';
import { deployment, fileChange, incidentView, snapshot, viewState } from './viewBuilders';

function find(nodes: readonly ViewNode[], label: string): ViewNode | undefined {
  for (const node of nodes) {
    if (node.label === label) return node;
    const inner = find(node.children ?? [], label);
    if (inner) return inner;
  }
  return undefined;
}

/** v2 degraded checkout with no incident (a suspect); v1 failed (INC-5) and degraded too; v0 was fine. */
function impacts(): DeploymentImpact[] {
  const entry = (deploymentName: string, time: number, service: string, overrides: Partial<DeploymentImpact>): DeploymentImpact => ({
    deployment: deploymentName,
    service,
    time,
    afterEnd: time + 6 * HOUR,
    impact: [],
    verdict: 'ok',
    incidents: [],
    suspect: false,
    ...overrides,
  });
  const degraded = { slo: 'checkout-availability', before: 0.2, after1h: 5, after: 1, budgetSpent: 0.125, verdict: 'degraded' as const };
  const fine = { slo: 'search-availability', before: 0.6, after1h: 0.5, after: 0.6, budgetSpent: 0.006, verdict: 'ok' as const };
  return [
    entry('v2', NOW - DAY, 'checkout', { impact: [degraded], verdict: 'degraded', suspect: true }),
    entry('v2', NOW - DAY, 'search', { impact: [fine] }),
    entry('v1', NOW - 9 * DAY, 'checkout', { impact: [{ ...degraded, budgetSpent: 0.323, after1h: 22.6, after: 25.2, before: 0.25 }], verdict: 'degraded', incidents: ['INC-5'] }),
    entry('v0', NOW - 20 * DAY, 'checkout', { impact: [{ ...degraded, after1h: 0.2, after: 0.2, budgetSpent: 0.02, verdict: 'ok' }] }),
  ];
}

function state() {
  return viewState({
    snapshot: snapshot({
      deployments: [
        deployment({ name: 'v2', time: NOW - DAY }),
        deployment({ name: 'v1', time: NOW - 9 * DAY, incidents: ['INC-5'] }),
        deployment({ name: 'v0', time: NOW - 20 * DAY }),
      ],
      incidents: [incidentView({ id: 'INC-5', service: 'checkout', startedAt: NOW - 9 * DAY + HOUR, resolvedAt: NOW - 9 * DAY + 2 * HOUR, deployment: 'v1' })],
      deploymentImpacts: impacts(),
    }),
  });
}

describe('deployment impact in the editor', () => {
  it('the Delivery tree tells each deployment by its impact, with an icon for its verdict and a node per SLO', () => {
    const nodes = buildDeliveryNodes(state());
    const suspect = find(nodes, 'v2')!;
    assert.equal(suspect.description, '1 day ago · 0 changes · burned 12.5% of checkout-availability in 6h, 5.00× vs 0.20× before');
    assert.deepEqual(suspect.icon, { id: 'warning', color: 'editorWarning.foreground' });
    assert.match(suspect.tooltip!.value, /Suspect: it degraded an SLO and no incident is linked to it/);
    assert.deepEqual(
      suspect.children!.map((child) => [child.label, child.description]),
      [
        ['checkout-availability', 'degraded · burned 12.5% of checkout-availability in 6h, 5.00× vs 0.20× before'],
        ['search-availability', 'ok · burned 0.6% of search-availability in 6h, 0.60× vs 0.60× before'],
      ],
    );
    const failed = find(nodes, 'v1')!;
    assert.equal(failed.description, '9 days ago · 0 changes · failed (INC-5) · burned 32.3% of checkout-availability in 6h, 25.2× vs 0.25× before');
    assert.deepEqual(failed.icon, { id: 'error', color: 'errorForeground' });
    assert.deepEqual(find(nodes, 'v0')!.icon, { id: 'rocket', color: 'testing.iconPassed' });
  });

  it('the Incidents view lists the suspects, and nothing when there are none', () => {
    const suspects = find(buildIncidentNodes(state()), 'Suspect deployments')!;
    assert.equal(suspects.description, '1 degraded an SLO, no incident linked');
    assert.deepEqual(
      suspects.children!.map((child) => [child.label, child.description]),
      [['v2 · checkout', '1 day ago · burned 12.5% of checkout-availability in 6h, 5.00× vs 0.20× before']],
    );
    const quiet = viewState({ snapshot: snapshot({ deploymentImpacts: impacts().filter((entry) => !entry.suspect) }) });
    assert.equal(find(buildIncidentNodes(quiet), 'Suspect deployments'), undefined);
  });

  it('the lens and hover of a commit a degraded deployment shipped say so', () => {
    const degraded = degradedDeployments(impacts(), ['checkout']);
    assert.deepEqual([...degraded], [
      ['v2', ['checkout-availability']],
      ['v1', ['checkout-availability']],
    ]);
    const change = fileChange({ deployment: 'v2', time: NOW - 2 * DAY });
    assert.equal(formatChangeLensTitle(change, new Map(), NOW, degraded), 'shipped v2 · which degraded checkout-availability · 2 days ago');
    assert.equal(formatChangeLensTitle({ ...change, deployment: 'v0' }, new Map(), NOW, degraded), 'shipped v0 · 2 days ago');
    // Read as rendered: markdown escapes every data character with a backslash.
    const hover = changeHoverMarkdown(change, new Map(), '/work/shop', NOW, impacts()).value.replace(/\\(.)/g, '$1');
    assert.match(hover, /\*\*v2 degraded\*\* \(no incident linked: a suspect\)/);
    assert.match(hover, /- checkout · burned 12\.5% of checkout-availability in 6h, 5\.00× vs 0\.20× before/);
    assert.doesNotMatch(changeHoverMarkdown({ ...change, deployment: 'v0' }, new Map(), '/work/shop', NOW, impacts()).value, /degraded/);
  });

  it("the dashboard gets each deployment with its impact on the service it shows", () => {
    // Each service's details carry the deployment with that service's entry only.
    const impacts = ['checkout', 'search'].flatMap((service) => {
      const answer = toServiceDetail(state(), service);
      assert.ok('detail' in answer, `details of ${service}`);
      return answer.detail.deployments.find((candidate) => candidate.name === 'v2')!.impacts;
    });
    assert.deepEqual(
      impacts.map((entry) => [entry.service, entry.verdict, entry.suspect, entry.slos.map((slo) => [slo.slo, slo.verdict, slo.budgetSpent])]),
      [
        ['checkout', 'degraded', true, [['checkout-availability', 'degraded', 0.125]]],
        ['search', 'ok', false, [['search-availability', 'ok', 0.006]]],
      ],
    );
  });
});

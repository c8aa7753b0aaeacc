// Looking back (issue 11) without an editor: the setting read as `--now` reads a time, the "as of …"
// status bar words, what "Look Back To…" offers, the commands' arguments, and what the views mark.
import { strict as assert } from 'node:assert';
import type { DeploymentImpact } from '../../../src/core/deploymentImpact';
import { lookBackTime, parseLookBack } from '../../../src/state/lookBackTime';
import { parseCommandArgument } from '../../../src/views/commandArguments';
import { COMMANDS } from '../../../src/views/ids';
import { lookBackChoices } from '../../../src/views/lookBackChoices';
import { lookBackStatus } from '../../../src/views/statusBar/lookBackText';
import { buildDeliveryNodes } from '../../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../../src/views/tree/incidentNodes';
import type { ViewNode } from '../../../src/views/tree/viewNode';
import { DAY, HOUR, NOW } from '../builders/reportBuilders';
import { deployment, incidentView, snapshot, viewState } from './viewBuilders';

function find(nodes: readonly ViewNode[], label: string): ViewNode | undefined {
  for (const node of nodes) {
    if (node.label === label) return node;
    const inner = find(node.children ?? [], label);
    if (inner) return inner;
  }
  return undefined;
}

describe('looking back', () => {
  it('reads reliabilityLens.evaluationTime as --now reads a time, and nothing else', () => {
    assert.deepEqual(parseLookBack(''), { kind: 'now' });
    assert.deepEqual(parseLookBack('  '), { kind: 'now' });
    assert.deepEqual(parseLookBack('2026-11-11T07:00:00Z'), { kind: 'past', time: Date.parse('2026-11-11T07:00:00Z') });
    // No zone means UTC, whatever the machine's.
    assert.equal(lookBackTime('2026-11-11 07:00'), Date.parse('2026-11-11T07:00:00Z'));
    assert.deepEqual(parseLookBack('2026-02-30T00:00:00Z'), { kind: 'invalid', text: '2026-02-30T00:00:00Z' });
    assert.equal(lookBackTime('yesterday'), null);
  });

  it('says "as of" in the status bar with the way back to now, and says when the setting is no time', () => {
    assert.equal(lookBackStatus({ kind: 'now' }), undefined);
    const past = lookBackStatus({ kind: 'past', time: Date.parse('2026-11-11T07:00:00Z') })!;
    assert.equal(past.text, '$(history) as of 2026-11-11 07:00 UTC');
    assert.match(past.tooltip.value, /Live refresh is paused/);
    assert.match(past.tooltip.value, /Click to return to now/);
    const invalid = lookBackStatus({ kind: 'invalid', text: 'yesterday' })!;
    assert.equal(invalid.text, '$(history) as of: not a time');
    assert.equal(invalid.invalid, true);
  });

  it('offers the deployments, with their impact, and the incident starts, newest first', () => {
    const impact: DeploymentImpact = {
      deployment: 'v2',
      service: 'checkout',
      time: NOW - DAY,
      afterEnd: NOW - DAY + 6 * HOUR,
      impact: [{ slo: 'checkout-availability', before: 0.2, after1h: 5, after: 1, budgetSpent: 0.125, verdict: 'degraded' }],
      verdict: 'degraded',
      incidents: [],
      suspect: true,
    };
    const choices = lookBackChoices([
      {
        name: 'shop',
        snapshot: snapshot({
          deployments: [deployment({ name: 'v1', time: NOW - 3 * DAY }), deployment({ name: 'v2', time: NOW - DAY }), deployment({ name: 'v3', time: NOW + DAY })],
          deploymentImpacts: [impact],
          incidents: [
            incidentView({ id: 'INC-1', service: 'checkout', title: 'Payments fail', startedAt: NOW - 2 * DAY }),
            incidentView({ id: 'INC-2', service: 'checkout', startedAt: NOW + HOUR }),
          ],
        }),
      },
    ]);
    assert.deepEqual(
      choices.map((choice) => [choice.kind, choice.label, choice.time, choice.detail]),
      [
        ['deployment', 'v2', NOW - DAY, 'degraded (suspect) · burned 12.5% of checkout-availability in 6h, 5.00× vs 0.20× before'],
        ['deployment', 'v1', NOW - 3 * DAY, undefined],
        ['incident', 'INC-1 · SEV3 · checkout starts', NOW - 2 * DAY, 'Payments fail'],
      ],
    );
    assert.equal(choices[0].description, '2026-11-19 12:00 UTC · 1 day ago');
  });

  it('takes a moment as the command argument, a tree item standing for its deployment, and refuses the rest', () => {
    assert.deepEqual(parseCommandArgument(COMMANDS.lookBack, { time: NOW }), { ok: true, value: { time: NOW } });
    assert.deepEqual(parseCommandArgument(COMMANDS.lookBack, undefined), { ok: true, value: undefined });
    const node = find(buildDeliveryNodes(viewState({ snapshot: snapshot({ deployments: [deployment({ name: 'v2', time: NOW - DAY })] }) })), 'v2')!;
    assert.deepEqual(parseCommandArgument(COMMANDS.lookBack, node), { ok: true, value: { time: NOW - DAY } });
    assert.equal(parseCommandArgument(COMMANDS.lookBack, { time: 'yesterday' }).ok, false);
    assert.equal(parseCommandArgument(COMMANDS.lookBack, { time: 1e300 }).ok, false);
    assert.equal(parseCommandArgument(COMMANDS.lookBack, { time: NOW, extra: true }).ok, false);
    // Show at Incident Start reads an incident item's own argument.
    assert.deepEqual(parseCommandArgument(COMMANDS.showAtIncidentStart, { root: '/work/shop', ids: ['INC-5'] }), { ok: true, value: { root: '/work/shop', ids: ['INC-5'] } });
  });

  it('marks incidents from a source without history as live while looking back', () => {
    const incidents = [
      incidentView({ id: 'ALERT-1', service: 'checkout', source: 'alertmanager', startedAt: NOW - HOUR }),
      incidentView({ id: 'INC-1', service: 'checkout', source: 'file', startedAt: NOW - HOUR }),
    ];
    const now = buildIncidentNodes(viewState({ snapshot: snapshot({ incidents }) }));
    assert.doesNotMatch(find(now, 'ALERT-1 · SEV3 · checkout')!.description!, /live/);
    const back = buildIncidentNodes(viewState({ snapshot: snapshot({ incidents }), asOf: NOW }));
    assert.equal(find(back, 'ALERT-1 · SEV3 · checkout')!.description, 'open for 1h · live, not as of the moment shown');
    assert.equal(find(back, 'INC-1 · SEV3 · checkout')!.description, 'open for 1h');
  });
});

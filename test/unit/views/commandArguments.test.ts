// Command arguments are checked like every other input: what our trees, lenses and status bar pass is
// accepted as it is, and what a crafted command link could pass (wrong types, extra keys, huge text,
// prototype keys, paths out of the workspace) is refused with the expectation it missed.
import { strict as assert } from 'node:assert';
import { COMMAND_ARGUMENT_SCHEMAS, MAX_INCIDENT_IDS, parseCommandArgument } from '../../../src/views/commandArguments';
import type { CommandWithArgument } from '../../../src/views/commandArguments';
import { COMMANDS } from '../../../src/views/ids';
import { buildDeliveryNodes } from '../../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../../src/views/tree/incidentNodes';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import type { ViewNode } from '../../../src/views/tree/viewNode';
import { DAY, NOW, sloReport } from '../builders/reportBuilders';
import { ROOT, deployment, hostileDeployment, hostileIncidentView, incidentView, snapshot, viewState } from './viewBuilders';

const refused = (command: CommandWithArgument, value: unknown) => {
  const checked = parseCommandArgument(command, value);
  assert.equal(checked.ok, false, `${command} accepted ${JSON.stringify(value)?.slice(0, 200)}`);
  return checked.ok ? '' : checked.problem;
};
const accepted = (command: CommandWithArgument, value: unknown) => {
  const checked = parseCommandArgument(command, value);
  assert.ok(checked.ok, checked.ok ? '' : checked.problem);
  return checked.value;
};

describe('command arguments', () => {
  it('lets a command run without an argument (palette, view title menus): the handler asks', () => {
    for (const command of Object.keys(COMMAND_ARGUMENT_SCHEMAS) as CommandWithArgument[]) {
      assert.deepEqual(parseCommandArgument(command, undefined), { ok: true, value: undefined });
    }
  });

  it('accepts every argument our trees pass, whether from an item click or its context menu', () => {
    const incident = incidentView({ id: 'INC-7', service: 'checkout', startedAt: NOW - DAY, resolvedAt: null });
    const state = viewState({
      snapshot: snapshot({
        sloReports: [sloReport({ name: 'checkout-availability', service: 'checkout', file: '.reliability/slos/checkout.yaml' })],
        incidents: [incident, hostileIncidentView()],
        deployments: [deployment({ name: 'v1.2.0', incidents: ['INC-7'] }), hostileDeployment()],
        problems: [{ file: '.reliability/slos/search.yaml', line: 4, column: 3, severity: 'error', message: 'objective: a number' }],
        sources: [{ name: 'pagerduty', host: 'api.pagerduty.com', state: 'needs-token', message: 'PagerDuty needs a token' }],
      }),
    });
    const nodes = [...buildServiceNodes(state), ...buildDeliveryNodes(state), ...buildIncidentNodes(state)];
    const checked = new Set<string>();
    const visit = (node: ViewNode) => {
      const command = node.command?.command;
      if (command !== undefined && command in COMMAND_ARGUMENT_SCHEMAS) {
        const id = command as CommandWithArgument;
        assert.deepEqual(accepted(id, node.command!.arguments[0]), node.command!.arguments[0], `${id} from ${node.id}`);
        // A context menu passes the item itself; its command's argument is what counts.
        assert.deepEqual(accepted(id, node), node.command!.arguments[0], `${id} on ${node.id}`);
        checked.add(id);
      }
      node.children?.forEach(visit);
    };
    nodes.forEach(visit);
    assert.deepEqual([...checked].sort(), [COMMANDS.openDashboard, COMMANDS.openIncident, COMMANDS.openLocation, COMMANDS.openProblem, COMMANDS.setToken].sort());
  });

  it('reads a location, a missing line and column meaning the top of the file', () => {
    assert.deepEqual(accepted(COMMANDS.openLocation, { root: ROOT, file: '.reliability/config.yaml' }), {
      root: ROOT,
      file: '.reliability/config.yaml',
      line: 0,
      column: 0,
    });
    assert.deepEqual(accepted(COMMANDS.openDashboard, {}), {});
    assert.equal(accepted(COMMANDS.setToken, 'pagerduty'), 'pagerduty');
    assert.equal(accepted(COMMANDS.findIncident, 'checkout 5xx'), 'checkout 5xx');
  });

  it('refuses wrong types, naming where and what was expected', () => {
    assert.equal(refused(COMMANDS.openLocation, { root: 1, file: 'x.yaml' }), 'expected root: text');
    assert.equal(refused(COMMANDS.openLocation, { root: ROOT, file: 'x.yaml', line: '3' }), 'expected line: an integer from 0 to 10000000');
    assert.equal(refused(COMMANDS.openLocation, { root: ROOT, file: 'x.yaml', line: 1.5 }), 'expected line: an integer from 0 to 10000000');
    assert.equal(refused(COMMANDS.openLocation, { root: ROOT, file: 'x.yaml', column: -1 }), 'expected column: an integer from 0 to 10000000');
    assert.equal(refused(COMMANDS.openIncident, { root: ROOT, ids: 'INC-7' }), 'expected ids: a list of incident ids');
    assert.equal(refused(COMMANDS.openIncident, { root: ROOT, ids: ['INC-7', 7] }), 'expected ids.1: text');
    assert.equal(refused(COMMANDS.openIncident, { root: ROOT, ids: [] }), 'expected ids: at least one incident id');
    assert.equal(refused(COMMANDS.openDashboard, { service: 5 }), 'expected service: text');
    assert.equal(refused(COMMANDS.setToken, 'root'), 'expected one of prometheus, pagerduty, opsgenie, github');
    assert.equal(refused(COMMANDS.findIncident, ['INC-7']), 'expected text');
    assert.equal(refused(COMMANDS.openIncident, ['/work/shop', ['INC-7']]), 'expected an object with keys root, ids');
    assert.equal(refused(COMMANDS.openIncident, 'INC-7'), 'expected an object with keys root, ids');
    assert.equal(refused(COMMANDS.openIncident, null), 'expected an object with keys root, ids');
  });

  it('refuses extra keys, prototype keys included, and objects with another prototype', () => {
    assert.equal(refused(COMMANDS.openIncident, { root: ROOT, ids: ['INC-7'], run: 'rm -rf /' }), 'expected only the keys root, ids (not "run")');
    // What a command link's JSON can hold: `__proto__` as an own key, which must not reach a prototype.
    const link = JSON.parse(`{"root":"${ROOT}","ids":["INC-7"],"__proto__":{"polluted":true}}`);
    assert.equal(refused(COMMANDS.openIncident, link), 'expected only the keys root, ids (not "__proto__")');
    assert.equal(refused(COMMANDS.openDashboard, { constructor: 'x' }), 'expected only the keys root, service (not "constructor")');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // A root read through a prototype chain is not the argument's own.
    const inherited = Object.assign(Object.create({ root: ROOT }) as object, { ids: ['INC-7'] });
    assert.equal(refused(COMMANDS.openIncident, inherited), 'expected an object with keys root, ids');
  });

  it('refuses huge text and long lists without echoing them', () => {
    const huge = 'x'.repeat(4097);
    const problem = refused(COMMANDS.openIncident, { root: huge, ids: ['INC-7'] });
    assert.equal(problem, 'expected root: text of at most 4096 characters');
    assert.equal(accepted(COMMANDS.findIncident, 'q'.repeat(4096)), 'q'.repeat(4096));
    const ids = Array.from({ length: MAX_INCIDENT_IDS + 1 }, (_, index) => `INC-${index}`);
    assert.equal(refused(COMMANDS.openIncident, { root: ROOT, ids }), 'expected ids: at most 1000 incident ids');
    const longKey = { root: ROOT, ids: ['INC-7'], ['k'.repeat(100_000)]: 1 };
    assert.equal(refused(COMMANDS.openIncident, longKey), `expected only the keys root, ids (not "${'k'.repeat(40)}…")`);
  });

  it('refuses a file outside the workspace root and text holding NUL', () => {
    const outside = 'expected file: a path relative to the workspace root that stays inside it';
    assert.equal(refused(COMMANDS.openLocation, { root: ROOT, file: '../../.ssh/id_rsa' }), outside);
    assert.equal(refused(COMMANDS.openLocation, { root: ROOT, file: '/etc/passwd' }), outside);
    assert.equal(refused(COMMANDS.openProblem, { root: ROOT, file: 'C:\\Windows\\win.ini' }), outside);
    assert.equal(refused(COMMANDS.openIncident, { root: ROOT, ids: ['INC\u00007'] }), 'expected ids.0: text without NUL characters');
  });

  it('names at most three problems, then how many more', () => {
    assert.equal(
      refused(COMMANDS.openLocation, { root: 1, file: 2, line: 'a', column: 'b' }),
      'expected root: text; file: text; line: an integer from 0 to 10000000; and 1 more',
    );
  });
});

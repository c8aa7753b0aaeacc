import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { cli } from './builders/cliRunner';
import { buildWorkspace, csvText, openSloSlo, removeTemporaryFolders, yamlDocuments } from './builders/workspaceBuilders';
import { DAY, HOUR, MINUTE, at, policy, rollingSlo, sloCounts } from './builders/sloBuilders';
import { sloReport } from './builders/reportBuilders';
import { snapshot, viewState } from './views/viewBuilders';
import { buildServiceNodes } from '../../src/views/tree/serviceNodes';
import { buildDeliveryNodes } from '../../src/views/tree/deliveryNodes';
import type { ViewNode } from '../../src/views/tree/viewNode';
import { parseCommandArgument } from '../../src/views/commandArguments';
import { COMMANDS } from '../../src/views/ids';
import { parseFromWebviewMessage } from '../../src/shared/protocol';
import { sloExplanationPageMarkdown } from '../../src/views/explainPage';
import { explainSlo } from '../../src/core/explain';
import { explainDora } from '../../src/core/doraExplain';
import { evaluateSlo, sloMaintenance } from '../../src/core/slo';
import { SloCountsAccumulator } from '../../src/core/sloCounts';
import { median } from '../../src/core/stats';
import { fixedDurationMs } from '../../src/core/duration';
import { BURN_WINDOWS } from '../../src/core/model';
import type { Commit, Deployment, Incident, Policy, SloCounts, SloDefinition } from '../../src/core/model';
import { EngineInputError, explainSlo as engineExplainSlo, loadSnapshot } from '../../src/workspace/engine';

const NOW_ISO = '2026-11-20T12:00:00.000Z';
const NOW = at(NOW_ISO);

/** What sloData.ts does: accumulate the samples (maintenance left out), evaluate, keep the counts. */
function reportFromSamples(def: SloDefinition, samples: Array<[number, number, number]>, sloPolicy: Policy) {
  const accumulator = new SloCountsAccumulator(def, NOW, sloMaintenance(def, sloPolicy));
  for (const [time, good, total] of samples) accumulator.add(time, good, total);
  const counts = accumulator.result();
  return { ...evaluateSlo(def, counts, NOW, sloPolicy), counts };
}

describe('explain: an SLO by hand', () => {
  // objective 0.99 (a = 0.01) over 28d. Samples (timestamp = end of interval):
  //   now-2m   90/100   in every window
  //   now-40m  195/200  in 1h and longer
  //   now-2d   1000/1000 in 3d and W
  //   now-10d  500/500  in W
  //   now-20d  0/300    inside a maintenance window: in no sum, 300 excluded from W
  // W: good 1785, total 1800, e = 15/1800 = 1/120, consumed = (1/120)/0.01 = 5/6, remaining = 1/6.
  // burn 5m = 30m = 10/100 / 0.01 = 10; 1h = 2h = 6h = 1d = 15/300 / 0.01 = 5; 3d = 15/1300 / 0.01 = 15/13.
  // Alerts: page 1h/5m > 14.4 no; page 6h/30m > 6 no (6h is 5); ticket 1d/2h > 3 fires; ticket 3d/6h > 1 fires.
  // Exhaustion: now + (1/6) × 28d / 5 = now + 0.9333d = now + 22h 24m.
  const def = rollingSlo({ objective: 0.99, window: '28d' });
  const sloPolicy = policy({ maintenance: [{ start: NOW - 20 * DAY - HOUR, end: NOW - 20 * DAY + HOUR }] });
  const report = reportFromSamples(
    def,
    [
      [NOW - 2 * MINUTE, 90, 100],
      [NOW - 40 * MINUTE, 195, 200],
      [NOW - 2 * DAY, 1000, 1000],
      [NOW - 10 * DAY, 500, 500],
      [NOW - 20 * DAY, 0, 300],
    ],
    sloPolicy,
  );
  const explanation = explainSlo({ definition: def, report, now: NOW, policy: sloPolicy });

  it('names the SLO and lists the SLO window then the seven burn windows, with bounds, counts and excluded events', () => {
    assert.equal(explanation.slo, 'checkout-availability');
    assert.equal(explanation.service, 'checkout');
    assert.equal(explanation.now, NOW);
    assert.deepEqual(
      explanation.windows.map((w) => [w.label, w.role, w.start, w.end, w.good, w.total, w.excludedTotal]),
      [
        ['28d', 'slo', NOW - 28 * DAY, NOW, 1785, 1800, 300],
        ['5m', 'burn', NOW - 5 * MINUTE, NOW, 90, 100, 0],
        ['30m', 'burn', NOW - 30 * MINUTE, NOW, 90, 100, 0],
        ['1h', 'burn', NOW - HOUR, NOW, 285, 300, 0],
        ['2h', 'burn', NOW - 2 * HOUR, NOW, 285, 300, 0],
        ['6h', 'burn', NOW - 6 * HOUR, NOW, 285, 300, 0],
        ['1d', 'burn', NOW - DAY, NOW, 285, 300, 0],
        ['3d', 'burn', NOW - 3 * DAY, NOW, 1285, 1300, 0],
      ],
    );
    assert.ok(explanation.notes.some((note) => /maintenance/i.test(note)));
  });

  it('puts the values into the budget formula', () => {
    assert.equal(explanation.budget.formula, 'budget remaining = 1 − (1 − good/total) / (1 − objective)');
    assert.equal(explanation.budget.withValues, '1 − (1 − 1785/1800) / (1 − 0.99) = 1 − 0.008333 / 0.01 = 1 − 0.833333 = 0.166667');
    assert.ok(Math.abs(explanation.budget.remaining - 1 / 6) < 1e-12);
    assert.ok(Math.abs(explanation.budget.consumed - 5 / 6) < 1e-12);
  });

  it('gives every alert rule with both burn rates and whether it fires, and the status rule that held', () => {
    assert.deepEqual(
      explanation.alerts.map((a) => [a.severity, a.long, a.short, a.threshold, round(a.longBurnRate), round(a.shortBurnRate), a.fires]),
      [
        ['page', '1h', '5m', 14.4, 5, 10, false],
        ['page', '6h', '30m', 6, 5, 10, false],
        ['ticket', '1d', '2h', 3, 5, 5, true],
        ['ticket', '3d', '6h', 1, round(15 / 13), 5, true],
      ],
    );
    assert.equal(explanation.status, 'warning');
    assert.equal(explanation.statusReason, 'warning: a ticket alert fires (1d/2h > 3, 3d/6h > 1)');
  });

  it('explains the time to exhaustion and names the CSV file', () => {
    assert.equal(explanation.exhaustion.eta, NOW + 22 * HOUR + 24 * MINUTE);
    assert.equal(explanation.exhaustion.windowLengthMs, 28 * DAY);
    assert.equal(explanation.exhaustion.rule, 'now + remaining × W / burn(1d) = now + 0.166667 × 28d / 5');
    assert.deepEqual(
      { type: explanation.source.type, file: (explanation.source as { file: string }).file },
      { type: 'csv', file: '.reliability/data/checkout.csv' },
    );
  });

  it('for Timeslices, the formula counts slices and says what stays event-based', () => {
    // 20 good slices of 24 with events, objective 0.9: SLI 5/6, consumed (1/6)/0.1 = 5/3, remaining -2/3: exhausted.
    const slices = rollingSlo({ objective: 0.9, window: '1d', timeslices: { sliceMs: HOUR, sliceTarget: 0.95 } });
    const counts: SloCounts = sloCounts({ window: [900, 1000], slices: { good: 20, withData: 24 } });
    const sliceReport = { ...evaluateSlo(slices, counts, NOW, policy()), counts };
    const sliced = explainSlo({ definition: slices, report: sliceReport, now: NOW, policy: policy() });
    assert.deepEqual(
      { ...sliced.timeslices, note: undefined },
      { method: 'Timeslices', sliceMs: HOUR, sliceTarget: 0.95, goodSlices: 20, slicesWithData: 24, note: undefined },
    );
    assert.match(sliced.timeslices!.note, /burn rates, alerts and burn-down still count events/);
    assert.equal(sliced.budget.formula, 'budget remaining = 1 − (1 − good slices/slices) / (1 − objective)');
    assert.equal(sliced.budget.withValues, '1 − (1 − 20/24) / (1 − 0.9) = 1 − 0.166667 / 0.1 = 1 − 1.666667 = -0.666667');
    assert.equal(sliced.status, 'exhausted');
    assert.equal(sliced.statusReason, 'exhausted: budget remaining -0.666667 ≤ 0');
  });
});

describe('explain: finding the SLO (engine)', () => {
  const def = (service: string): SloDefinition => ({ ...rollingSlo({ objective: 0.999, window: '28d', name: 'availability' }), service });
  const twoServices = snapshot({
    slos: [def('checkout'), def('search')],
    sloReports: [sloReport({ name: 'availability', service: 'checkout' }), sloReport({ name: 'availability', service: 'search' })],
  });

  it('a name two services use needs the service, and the error lists them', () => {
    assert.throws(() => engineExplainSlo(twoServices, { slo: 'availability' }), (error: Error) => {
      assert.ok(error instanceof EngineInputError);
      assert.equal(error.message, 'SLO "availability" is defined by several services (checkout, search); name one with --service');
      return true;
    });
    assert.equal(engineExplainSlo(twoServices, { slo: 'availability', service: 'search' }).service, 'search');
  });

  it('an unknown SLO lists the known ones', () => {
    assert.throws(
      () => engineExplainSlo(twoServices, { slo: 'latency' }),
      /^EngineInputError: unknown SLO "latency"; SLOs \(service\/name\): checkout\/availability, search\/availability$/,
    );
  });
});

describe('explain: DORA by hand', () => {
  // Window 90d ending at NOW. Three counted deployments (and one before the window):
  //   v0 at NOW-100d (outside the window)
  //   v1 at NOW-10d: changes a (committed 2h before), b (1d before)           -> failed (INC-1, resolved 3h after)
  //   v2 at NOW-5d:  change c (30m before), r (a revert, 1h before)           -> rework
  //   v3 at NOW-1d:  change d (committed after the deployment: dropped)
  // Lead times (s): 7200, 86400, 1800, 3600 -> median (3600 + 7200) / 2 = 5400.
  // Frequency 3/90*7, CFR 1/3, rework 1/3, recovery median 3h, restore: INC-1 3h - 1h = 2h after it started.
  const deployment = (name: string, time: number): Deployment => ({ name, commit: name, time, services: ['checkout'], source: 'git-tags' });
  const commit = (sha: string, time: number, subject = `change ${sha}`): Commit => ({ sha, time, parents: [], subject, body: '' });
  const deployments = [deployment('v0', NOW - 100 * DAY), deployment('v1', NOW - 10 * DAY), deployment('v2', NOW - 5 * DAY), deployment('v3', NOW - DAY)];
  const commits = new Map(
    [
      commit('a', NOW - 10 * DAY - 2 * HOUR),
      commit('b', NOW - 11 * DAY),
      commit('c', NOW - 5 * DAY - 30 * MINUTE),
      commit('r', NOW - 5 * DAY - HOUR, 'Revert "change a"'),
      commit('d', NOW - DAY + MINUTE),
    ].map((c) => [c.sha, c]),
  );
  const incident: Incident = {
    id: 'INC-1', title: 't', severity: 'SEV2', service: 'checkout', startedAt: NOW - 10 * DAY + HOUR, resolvedAt: NOW - 10 * DAY + 3 * HOUR,
    commits: [], files: [], source: 'file',
  };
  const explanation = explainDora({
    deployments,
    changesByDeployment: new Map([['v1', ['a', 'b']], ['v2', ['c', 'r']], ['v3', ['d']]]),
    commits,
    incidents: [incident],
    incidentDeployments: new Map([['INC-1', 'v1']]),
    now: NOW,
    windowDays: 90,
    report: null,
  });

  it('lists each counted deployment with its changes, lead times, incidents, failure and rework', () => {
    assert.deepEqual(
      explanation.deployments.map((d) => [d.name, d.changes.map((c) => [c.sha, c.leadTimeSeconds]), d.incidents.map((i) => i.id), d.failed, d.reworked, d.recoverySeconds]),
      [
        ['v1', [['a', 7200], ['b', 86400]], ['INC-1'], true, false, 3 * 3600],
        ['v2', [['c', 1800], ['r', 3600]], [], false, true, null],
        ['v3', [['d', null]], [], false, false, null],
      ],
    );
    assert.deepEqual(explanation.restores, [{ id: 'INC-1', startedAt: incident.startedAt, resolvedAt: incident.resolvedAt, seconds: 7200 }]);
    const leads = explanation.deployments.flatMap((d) => d.changes.flatMap((c) => (c.leadTimeSeconds === null ? [] : [c.leadTimeSeconds])));
    assert.equal(median(leads), 5400);
  });
});

describe('explain reproduces every number of report on the demo workspace', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-explain-'));
    await createDemoWorkspace(dir, { now: NOW });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('every SLO: SLI, budget, burn rates, alerts, status and exhaustion from the explanation’s counts', async () => {
    const report = (await cli(dir, 'report', '--now', NOW_ISO, '--json')).json();
    const slos = report.services.flatMap((service: any) => service.slos.map((slo: any) => ({ ...slo, service: service.name })));
    assert.ok(slos.length >= 4);
    for (const slo of slos) {
      const result = await cli(dir, 'explain', slo.name, '--service', slo.service, '--now', NOW_ISO, '--json');
      assert.equal(result.code, 0, result.stderr);
      const explained = result.json();
      assert.equal(explained.slo, slo.name);
      assert.equal(explained.now, NOW_ISO);
      assert.equal(explained.objective, slo.objective);
      const allowed = 1 - explained.objective;
      const W = explained.windows[slo.window];
      assert.equal(W.end, NOW_ISO);
      // A rolling window spans its duration; a calendar one (1M) starts at its period's start.
      const rolling = fixedDurationMs(slo.window);
      if (rolling !== null) assert.equal(Date.parse(W.end) - Date.parse(W.start), rolling, `${slo.name} has a rolling ${slo.window} window`);
      else assert.ok(Date.parse(W.start) < Date.parse(W.end) && Date.parse(W.end) - Date.parse(W.start) <= explained.exhaustion.windowLengthSeconds * 1000);
      assert.equal(W.good, slo.good);
      assert.equal(W.total, slo.total);
      // DOMAIN.md section 2, by hand from the counts.
      // Timeslices: the SLI counts slices (good slices / slices with events); else events.
      const sli = explained.timeslices ? explained.timeslices.goodSlices / explained.timeslices.slicesWithData : W.good / W.total;
      assert.equal(sli, slo.sli);
      const consumed = (1 - sli) / allowed;
      assert.equal(consumed, slo.budget.consumed);
      assert.equal(1 - consumed, slo.budget.remaining);
      const burn: Record<string, number> = {};
      for (const label of BURN_WINDOWS) {
        const window = explained.windows[label];
        assert.equal(window.end, NOW_ISO);
        assert.equal(Date.parse(window.end) - Date.parse(window.start), fixedDurationMs(label));
        const errorRatio = window.total > 0 ? 1 - window.good / window.total : 0;
        burn[label] = errorRatio === 0 ? 0 : errorRatio / allowed;
        assert.equal(burn[label], slo.burnRates[label], `${slo.name} burn ${label}`);
      }
      const firing = explained.alerts.filter((rule: any) => burn[rule.long] > rule.threshold && burn[rule.short] > rule.threshold);
      assert.deepEqual(firing.map((rule: any) => [rule.severity, rule.long, rule.short, rule.threshold]), slo.alerts.map((a: any) => [a.severity, a.long, a.short, a.threshold]));
      assert.deepEqual(explained.alerts.filter((rule: any) => rule.fires), firing);
      const remaining = 1 - consumed;
      const status =
        remaining <= 0 ? 'exhausted' : firing.some((r: any) => r.severity === 'page') ? 'critical' : firing.length > 0 || remaining < 0.25 ? 'warning' : 'healthy';
      assert.equal(status, slo.status);
      assert.equal(explained.status, slo.status);
      const eta = burn['1d'] > 0 ? new Date(Date.parse(NOW_ISO) + (remaining * explained.exhaustion.windowLengthSeconds * 1000) / burn['1d']).toISOString() : null;
      assert.equal(eta, slo.exhaustionEta);
      assert.equal(explained.source.type, 'csv');
      assert.match(explained.source.file, /^\.reliability\/data\/.+\.csv$/);
    }
  });

  it('the human form shows the formula with the numbers put in', async () => {
    const result = await cli(dir, 'explain', 'checkout-availability', '--now', NOW_ISO);
    assert.equal(result.code, 0, result.stderr);
    const json = (await cli(dir, 'explain', 'checkout-availability', '--now', NOW_ISO, '--json')).json();
    assert.ok(result.stdout.includes('budget remaining = 1 − (1 − good/total) / (1 − objective)'));
    assert.ok(result.stdout.includes(`1 − (1 − ${json.budget.good}/${json.budget.total}) / (1 − 0.999) = `));
    assert.match(result.stdout, /^WINDOW +START \(EXCLUSIVE\) +END +GOOD +TOTAL +EXCLUDED/m);
  });

  it('an unknown SLO is exit 2 listing the known ones; a stray SLO with --dora is a usage error', async () => {
    const unknown = await cli(dir, 'explain', 'nope', '--now', NOW_ISO);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown SLO "nope"; SLOs \(service\/name\): .*checkout\/checkout-availability/);
    const missing = await cli(dir, 'explain', '--now', NOW_ISO);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /explain needs an SLO name \(or --dora\)/);
    const both = await cli(dir, 'explain', 'checkout-availability', '--dora', '--now', NOW_ISO);
    assert.equal(both.code, 2);
  });

  it('explain --dora: frequency, median lead time, change failure and rework rate recomputed from the deployments', async () => {
    const dora = (await cli(dir, 'dora', '--now', NOW_ISO, '--json')).json();
    const result = await cli(dir, 'explain', '--dora', '--now', NOW_ISO, '--json');
    assert.equal(result.code, 0, result.stderr);
    const explained = result.json();
    const deployments = explained.deployments as any[];
    assert.equal(deployments.length, dora.deployments);
    for (const d of deployments) {
      assert.ok(Date.parse(d.time) > Date.parse(explained.windowStart) && Date.parse(d.time) <= Date.parse(NOW_ISO));
      for (const change of d.changes) {
        const lead = (Date.parse(d.time) - Date.parse(change.committedAt)) / 1000;
        assert.equal(change.leadTimeSeconds, lead > 0 ? lead : null);
      }
      assert.equal(d.failed, d.incidents.length > 0);
      assert.equal(d.reworked, d.changes.some((c: any) => c.revert || c.namesIncidents.length > 0));
    }
    assert.equal((deployments.length / 90) * 7, dora.deploymentsPerWeek);
    const leads = deployments.flatMap((d) => d.changes.flatMap((c: any) => (c.leadTimeSeconds === null ? [] : [c.leadTimeSeconds])));
    assert.equal(median(leads), dora.leadTimeSeconds.median);
    assert.equal(deployments.filter((d) => d.failed).length / deployments.length, dora.changeFailureRate);
    assert.equal(deployments.filter((d) => d.reworked).length / deployments.length, dora.reworkRate);
    assert.ok(deployments.some((d) => d.failed) && deployments.some((d) => d.reworked), 'the demo has failed and reworked deployments');
    const recoveries = deployments.flatMap((d) => (d.recoverySeconds === null ? [] : [d.recoverySeconds]));
    assert.equal(median(recoveries), dora.failedDeploymentRecoverySeconds.median);
    assert.equal(median(explained.restores.map((r: any) => r.seconds)), dora.timeToRestoreSeconds.median);
    assert.deepEqual(explained.metrics, dora);
  });

  it('the Delivery tree’s DORA tooltips list what each metric was computed from, as explain --dora does', async () => {
    const explained = (await cli(dir, 'explain', '--dora', '--now', NOW_ISO, '--json')).json();
    const demo = await loadSnapshot(dir, { now: NOW, allowRemote: false });
    const nodes = buildDeliveryNodes(viewState({ root: dir, snapshot: demo }));
    const tooltip = (label: string) => nodes.find((node) => node.label === label)?.tooltip?.value.replace(/\\/g, '') ?? '';
    const count = explained.deployments.length;
    assert.match(tooltip('Deployment frequency'), new RegExp(`${count} deployments in 90 days: ${count} / 90 × 7 = `));
    const failed = explained.deployments.filter((d: any) => d.failed);
    assert.match(tooltip('Change failure rate'), new RegExp(`${failed.length} of ${count} deployments failed`));
    for (const d of failed.slice(0, 8)) assert.ok(tooltip('Change failure rate').includes(`${d.name}: ${d.incidents.map((i: any) => i.id).join(', ')}`), d.name);
    const reworked = explained.deployments.filter((d: any) => d.reworked).length;
    assert.match(tooltip('Rework rate'), new RegExp(`${reworked} of ${count} deployments shipped a revert`));
  });
});

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

describe('explain in the editor: tooltips, the page, the Explain command and message', () => {
  // The same hand-computed SLO as above, in a snapshot the Services tree is built from.
  const def = rollingSlo({ objective: 0.99, window: '28d' });
  const report = reportFromSamples(def, [[NOW - 2 * MINUTE, 90, 100], [NOW - 40 * MINUTE, 195, 200], [NOW - 2 * DAY, 1000, 1000]], policy());
  // W: good 1285, total 1300: consumed (15/1300)/0.01 = 1.153846..., remaining -0.153846.
  const state = viewState({ snapshot: snapshot({ slos: [def], sloReports: [report] }) });
  const nodes = buildServiceNodes(state);
  const find = (predicate: (node: ViewNode) => boolean): ViewNode => {
    const stack = [...nodes];
    while (stack.length > 0) {
      const node = stack.shift()!;
      if (predicate(node)) return node;
      stack.push(...(node.children ?? []));
    }
    throw new Error('no such node');
  };

  it('the budget node’s tooltip shows the formula with the numbers put in; the SLI and burn nodes their counts', () => {
    const budget = find((node) => node.contextValue === 'budget');
    const text = budget.tooltip!.value.replace(/\\/g, '');
    assert.ok(text.includes('budget remaining = 1 − (1 − good/total) / (1 − objective)'), text);
    assert.ok(text.includes('1 − (1 − 1285/1300) / (1 − 0.99) = 1 − 0.011538 / 0.01 = 1 − 1.153846 = -0.153846'), text);
    const sli = find((node) => node.contextValue === 'sli').tooltip!.value.replace(/\\/g, '');
    assert.ok(sli.includes('1285 good of 1300 events, from 2026-10-23 12:00 UTC (exclusive) to 2026-11-20 12:00 UTC'), sli);
    const oneHour = find((node) => node.id.endsWith(':burn:1h')).tooltip!.value.replace(/\\/g, '');
    // 1h: 15 bad of 300 events, burn (15/300)/0.01 = 5; the rule 1h/5m reads it.
    assert.ok(oneHour.includes('- 1h: 5.00× from 15 bad of 300 events'), oneHour);
    // 5m: (1 − 90/100)/(1 − 0.99) is 10 by hand and 9.99999… in binary floating point, so it reads 10.00×.
    assert.match(oneHour, /- page 1h\/5m > 14\.4×: 1h 5\.00×, 5m 10\.00×: does not fire/);
  });

  it('the SLO node and its numbers give Explain the SLO (context menu), their click keeps its own argument', () => {
    const sloNode = find((node) => node.contextValue === 'slo');
    const expected = { root: state.root, service: 'checkout', slo: 'checkout-availability' };
    assert.deepEqual(parseCommandArgument(COMMANDS.explainSlo, sloNode), { ok: true, value: expected });
    assert.deepEqual(parseCommandArgument(COMMANDS.explainSlo, find((node) => node.contextValue === 'budget')), { ok: true, value: expected });
    assert.equal((parseCommandArgument(COMMANDS.openLocation, sloNode) as { value: { file: string } }).value.file, '.reliability/slos/checkout.yaml');
    assert.equal(parseCommandArgument(COMMANDS.explainSlo, { ...expected, extra: 1 }).ok, false);
    assert.equal(parseCommandArgument(COMMANDS.explainSlo, { root: state.root, slo: 'x' }).ok, false);
  });

  it('the dashboard’s Explain button message is checked like every message', () => {
    const message = { type: 'explainSlo', root: state.root, service: 'checkout', slo: 'checkout-availability' };
    assert.deepEqual(parseFromWebviewMessage(message), { ok: true, message });
    assert.equal(parseFromWebviewMessage({ ...message, service: 7 }).ok, false);
  });

  it('the page has every section, and data in it stays text', () => {
    const hostile = { ...def, name: '[x](command:evil) <img src=x>' };
    const hostileReport = { ...report, name: hostile.name };
    const page = sloExplanationPageMarkdown(explainSlo({ definition: hostile, report: hostileReport, now: NOW, policy: policy() })).value;
    for (const heading of ['## Windows', '## Error budget', '## Alert rules', '## Time to exhaustion', '## Source']) assert.ok(page.includes(heading), heading);
    assert.ok(!page.includes('](command:'), 'no link from the SLO name');
    assert.ok(!page.includes('<img'), 'no HTML from the SLO name');
    assert.ok(page.replace(/\\/g, '').includes('| 28d (SLO) | 2026-10-23 12:00 UTC | 2026-11-20 12:00 UTC | 1285 | 1300 | 0 |'), page);
  });
});

describe('explain: the data file rows behind an SLO window', () => {
  after(removeTemporaryFolders);

  it('names the first and last line of the CSV rows the SLO window counted', async () => {
    // Line 1 is the header. Line 2 is older than the 28d window, line 6 is after now: neither counts.
    const csv = csvText([
      ['2026-10-01T00:00:00Z', 5, 5],
      ['2026-11-19T10:00:00Z', 9, 10],
      ['2026-11-20T10:00:00Z', 10, 10],
      ['2026-11-20T11:00:00Z', 8, 10],
      ['2026-11-21T00:00:00Z', 1, 1],
    ]);
    const root = buildWorkspace({
      config: 'version: 1\nservices:\n  - name: checkout\n    paths: ["checkout/**"]\n',
      slos: { 'checkout.yaml': yamlDocuments(openSloSlo({ name: 'checkout-availability', service: 'checkout', indicator: { csv: { path: 'data/checkout.csv' } } })) },
      data: { 'data/checkout.csv': csv },
    });
    const loaded = await loadSnapshot(root, { now: Date.parse('2026-11-20T12:00:00Z'), allowRemote: false, allowGit: false });
    const explanation = engineExplainSlo(loaded, { slo: 'checkout-availability' });
    assert.equal(explanation.windows[0].total, 30);
    const source = explanation.source as { type: string; firstRow?: number; lastRow?: number };
    assert.deepEqual([source.type, source.firstRow, source.lastRow], ['csv', 3, 5]);
  });
});

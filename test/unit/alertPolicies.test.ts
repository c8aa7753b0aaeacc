// OpenSLO alert policies (DOMAIN.md section 2): when an SLO references AlertPolicy documents, their
// burnrate conditions replace the four default tiers: a condition fires when burn(lookbackWindow) op
// threshold at now; severity page or critical counts as a page alert, any other as a ticket alert.
import { strict as assert } from 'node:assert';
import type { AlertRule, SloDefinition } from '../../src/core/model';
import { ALERT_RULES, alertFires, evaluateSlo } from '../../src/core/slo';
import { loadDefinitions } from '../../src/workspace/definitions';
import { sloJson } from '../../src/cli/json';
import { at, everyBurnWindow, policy, sloCounts } from './builders/sloBuilders';
import { buildWorkspace, csvText, positionOf, removeTemporaryFolders, yamlLines } from './builders/workspaceBuilders';

const NOW = at('2026-03-01T12:00:00Z');
const FILE = '.reliability/slos/checkout.yaml';
const CONFIG = yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["src/**"]');
const DATA = { 'data/checkout.csv': csvText([]) };

const SLO_LINES = [
  'apiVersion: openslo/v1',
  'kind: SLO',
  'metadata: {name: checkout-availability}',
  'spec:',
  '  service: checkout',
  '  indicator:',
  '    metadata: {name: ratio}',
  '    spec:',
  '      ratioMetric:',
  '        good: {metricSource: {type: CSV, spec: {path: data/checkout.csv, column: good}}}',
  '        total: {metricSource: {type: CSV, spec: {path: data/checkout.csv, column: total}}}',
  '  timeWindow: [{duration: 28d, isRolling: true}]',
  '  objectives: [{target: 0.999}]',
];

/** A policy with a page condition in place (1h > 10) and a ticket condition by reference (1d > 2). */
const POLICY_LINES = [
  'apiVersion: openslo/v1',
  'kind: AlertPolicy',
  'metadata: {name: fast-burn}',
  'spec:',
  '  alertWhenBreaching: true',
  '  conditions:',
  '    - kind: AlertCondition',
  '      metadata: {name: page-1h}',
  '      spec:',
  '        severity: page',
  '        condition: {kind: burnrate, op: gt, threshold: 10, lookbackWindow: 1h, alertAfter: 5m}',
  '    - conditionRef: ticket-1d',
  '  notificationTargets: [{targetRef: on-call}]',
  '---',
  'apiVersion: openslo/v1',
  'kind: AlertCondition',
  'metadata: {name: ticket-1d}',
  'spec:',
  '  severity: ticket',
  '  condition: {kind: burnrate, op: gt, threshold: 2, lookbackWindow: 1d}',
];

async function loadSlo(...extra: string[]): Promise<{ slos: SloDefinition[]; problems: Awaited<ReturnType<typeof loadDefinitions>>['problems']; text: string }> {
  const text = yamlLines(...SLO_LINES, ...extra, '---', ...POLICY_LINES);
  const loaded = await loadDefinitions(buildWorkspace({ config: CONFIG, slos: { 'checkout.yaml': text }, data: DATA }));
  return { slos: loaded.slos, problems: loaded.problems, text };
}

const PAGE_1H: AlertRule = { severity: 'page', long: '1h', short: '1h', threshold: 10, op: 'gt', condition: { policy: 'fast-burn', name: 'page-1h', severity: 'page', alertAfter: '5m' } };
const TICKET_1D: AlertRule = { severity: 'ticket', long: '1d', short: '1d', threshold: 2, op: 'gt', condition: { policy: 'fast-burn', name: 'ticket-1d', severity: 'ticket' } };

describe('OpenSLO alert policies', () => {
  after(removeTemporaryFolders);

  it('an SLO referencing a policy alerts on its burnrate conditions (in place and by conditionRef) instead of the default tiers', async () => {
    const { slos, problems } = await loadSlo('  alertPolicies: [fast-burn]');
    assert.deepEqual(problems.filter((problem) => problem.severity === 'error'), []);
    assert.deepEqual(slos.map((slo) => slo.alertRules), [[PAGE_1H, TICKET_1D]]);
  });

  it('{alertPolicyRef: NAME} and a policy written in place are read too', async () => {
    const byRef = await loadSlo('  alertPolicies: [{alertPolicyRef: fast-burn}]');
    assert.deepEqual(byRef.slos[0].alertRules, [PAGE_1H, TICKET_1D]);
    const inPlace = await loadSlo(
      '  alertPolicies:',
      '    - kind: AlertPolicy',
      '      metadata: {name: slow-burn}',
      '      spec:',
      '        conditions:',
      '          - kind: AlertCondition',
      '            metadata: {name: critical-6h}',
      '            spec: {severity: critical, condition: {op: gte, threshold: 6, lookbackWindow: 6h}}',
    );
    // No kind: burnrate is the default; `critical` pages.
    assert.deepEqual(inPlace.slos[0].alertRules, [
      { severity: 'page', long: '6h', short: '6h', threshold: 6, op: 'gte', condition: { policy: 'slow-burn', name: 'critical-6h', severity: 'critical' } },
    ]);
  });

  describe('evaluated: objective 0.999 (allowed error 0.001)', () => {
    // 1h: 12 bad of 1000, e = 0.012, burn 12 > 10: the page condition fires.
    // 1d: 15 bad of 10000, e = 0.0015, burn 1.5, not > 2: the ticket condition does not.
    // 28d: 50 bad of 100000, consumed 0.5, remaining 0.5 (not below cautionBelow 0.25).
    const counts = sloCounts({ window: [99_950, 100_000], burn: { '1h': [988, 1000], '1d': [9985, 10_000] } });

    it('the page condition on 1h > 10 fires, the ticket condition on 1d > 2 does not: critical', async () => {
      const { slos } = await loadSlo('  alertPolicies: [fast-burn]');
      const report = evaluateSlo(slos[0], counts, NOW, policy());
      assert.ok(Math.abs(report.burnRates['1h'] - 12) < 1e-9 && Math.abs(report.burnRates['1d'] - 1.5) < 1e-9);
      assert.deepEqual(report.alerts, [PAGE_1H]);
      assert.equal(report.status, 'critical');
      // The JSON names the condition it came from, with alertAfter as written (not evaluated).
      assert.deepEqual(sloJson(report).alerts, [
        { severity: 'page', long: '1h', short: '1h', threshold: 10, op: 'gt', condition: { policy: 'fast-burn', name: 'page-1h', severity: 'page', alertAfter: '5m' } },
      ]);
    });

    it('the same counts under the default tiers fire nothing (the 5m window has no events): healthy', async () => {
      const { slos } = await loadSlo();
      assert.equal(slos[0].alertRules, undefined);
      const report = evaluateSlo(slos[0], counts, NOW, policy());
      assert.deepEqual(report.alerts, []);
      assert.equal(report.status, 'healthy');
    });

    it('a condition whose severity is neither page nor critical is a ticket: warning', () => {
      const warningOnly: AlertRule = { ...PAGE_1H, severity: 'ticket', condition: { policy: 'p', name: 'c', severity: 'sev3' } };
      const def: SloDefinition = { ...SLO_DEFINITION, alertRules: [warningOnly] };
      const report = evaluateSlo(def, counts, NOW, policy());
      assert.deepEqual([report.alerts.length, report.status], [1, 'warning']);
    });
  });

  it('alertFires compares one window with op: gt and lt strict, gte and lte not', () => {
    const burn = { ...Object.fromEntries(Object.keys(everyBurnWindow(0, 0)).map((window) => [window, 0])), '1h': 10 } as Parameters<typeof alertFires>[1];
    const rule = (op: AlertRule['op']): AlertRule => ({ severity: 'page', long: '1h', short: '1h', threshold: 10, op });
    assert.deepEqual(
      (['gt', 'gte', 'lt', 'lte', undefined] as const).map((op) => alertFires(rule(op), burn)),
      [false, true, false, true, false],
    );
  });

  it('an SLO without alert policies keeps the four default tiers', async () => {
    const { slos } = await loadSlo();
    assert.equal(slos[0].alertRules, undefined);
    // Every window burning 20 (e = 0.02 over 0.001) fires all four default tiers.
    const report = evaluateSlo(slos[0], sloCounts({ window: [999_000, 1_000_000], burn: everyBurnWindow(980, 1000) }), NOW, policy());
    assert.deepEqual(report.alerts, ALERT_RULES);
  });

  it('a reference to a missing AlertPolicy is an error at its line naming the policies there are; the SLO loads with the default tiers', async () => {
    const { slos, problems, text } = await loadSlo('  alertPolicies: [fast-burn, slow-burn]');
    const where = positionOf(text, 'slow-burn');
    assert.deepEqual(
      problems.filter((problem) => problem.severity === 'error'),
      [{ file: FILE, line: where.line, column: where.column, severity: 'error', message: 'spec.alertPolicies[1]: expected the name of an AlertPolicy document in .reliability/slos/ (fast-burn), got "slow-burn"' }],
    );
    // The policy that exists still applies.
    assert.deepEqual(slos[0].alertRules, [PAGE_1H, TICKET_1D]);

    const onlyMissing = await loadSlo('  alertPolicies: [{alertPolicyRef: nowhere}]');
    const missing = onlyMissing.problems.find((problem) => problem.severity === 'error');
    assert.equal(missing?.line, positionOf(onlyMissing.text, 'nowhere').line);
    assert.equal(onlyMissing.slos[0].alertRules, undefined);
  });

  it('a lookbackWindow that is not a reported burn window is an error at its line naming the allowed ones', async () => {
    const text = yamlLines(
      ...SLO_LINES,
      '  alertPolicies: [fast-burn]',
      '---',
      'apiVersion: openslo/v1',
      'kind: AlertPolicy',
      'metadata: {name: fast-burn}',
      'spec:',
      '  conditions:',
      '    - kind: AlertCondition',
      '      metadata: {name: page-10m}',
      '      spec:',
      '        severity: page',
      '        condition:',
      '          kind: burnrate',
      '          threshold: 10',
      '          lookbackWindow: 10m',
    );
    const loaded = await loadDefinitions(buildWorkspace({ config: CONFIG, slos: { 'checkout.yaml': text }, data: DATA }));
    const where = positionOf(text, '10m', 2); // the first is in the name page-10m
    const reference = positionOf(text, '[fast-burn]');
    assert.deepEqual(loaded.problems.filter((problem) => problem.severity === 'error'), [
      // The policy that cannot be read is not there to be named, so the reference says so too.
      {
        file: FILE,
        line: reference.line,
        column: reference.column + 1,
        severity: 'error',
        message: 'spec.alertPolicies[0]: expected the name of an AlertPolicy document in .reliability/slos/ (there are none), got "fast-burn"',
      },
      {
        file: FILE,
        line: where.line,
        column: where.column,
        severity: 'error',
        message: 'spec.conditions[0].spec.condition.lookbackWindow: expected one of the burn-rate windows the report computes (5m, 30m, 1h, 2h, 6h, 1d, 3d), got "10m"',
      },
    ]);
    // The SLO still loads, on the default tiers.
    assert.deepEqual(loaded.slos.map((slo) => slo.alertRules), [undefined]);
  });

  it('a conditionRef to a missing AlertCondition is an error at it, told once however many SLOs use the policy', async () => {
    const text = yamlLines(
      ...SLO_LINES,
      '  alertPolicies: [fast-burn]',
      '---',
      ...SLO_LINES.map((line) => line.replace('checkout-availability', 'checkout-latency')),
      '  alertPolicies: [fast-burn]',
      '---',
      'apiVersion: openslo/v1',
      'kind: AlertPolicy',
      'metadata: {name: fast-burn}',
      'spec:',
      '  conditions: [{conditionRef: gone}]',
    );
    const loaded = await loadDefinitions(buildWorkspace({ config: CONFIG, slos: { 'checkout.yaml': text }, data: DATA }));
    const where = positionOf(text, 'gone');
    assert.deepEqual(loaded.problems.filter((problem) => problem.severity === 'error'), [
      { file: FILE, line: where.line, column: where.column, severity: 'error', message: 'spec.conditions[0].conditionRef: expected the name of an AlertCondition document in .reliability/slos/ (there are none), got "gone"' },
    ]);
    assert.deepEqual(loaded.slos.map((slo) => [slo.name, slo.alertRules]), [['checkout-availability', undefined], ['checkout-latency', undefined]]);
  });
});

const SLO_DEFINITION: SloDefinition = {
  name: 'checkout-availability',
  service: 'checkout',
  objective: 0.999,
  window: { kind: 'rolling', label: '28d', durationMs: 28 * 86_400_000 },
  budgeting: { method: 'Occurrences' },
  indicator: { type: 'csv', path: 'data/checkout.csv', goodColumn: 'good', totalColumn: 'total' },
  file: FILE,
  line: 1,
};

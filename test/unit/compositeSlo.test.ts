// Composite SLOs (DOMAIN.md section 2): objectives with their own indicator and compositeWeight, each
// evaluated as an SLO of its own; the composite's budget and burn rates are the weighted means of
// theirs and its status the worst of theirs. Every expectation below is computed by hand.
import { strict as assert } from 'node:assert';
import type { BurnWindow, SloDefinition, SloReport } from '../../src/core/model';
import { BURN_WINDOWS } from '../../src/core/model';
import { evaluateCompositeSlo, worstStatus } from '../../src/core/compositeSlo';
import { evaluateSlo } from '../../src/core/slo';
import { loadDefinitions } from '../../src/workspace/definitions';
import { computeSloReports } from '../../src/workspace/sloData';
import { sloJson } from '../../src/cli/json';
import { DAY, at, policy, rollingSlo, sloCounts } from './builders/sloBuilders';
import { buildWorkspace, csvText, ratioMetricFor, removeTemporaryFolders, yamlDocuments, yamlLines } from './builders/workspaceBuilders';

const NOW = at('2026-03-01T12:00:00Z');

function assertClose(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: expected ${expected}, got ${actual}`);
}

function burnRatesOf(report: SloReport, windows: readonly BurnWindow[] = BURN_WINDOWS): Record<string, number> {
  return Object.fromEntries(windows.map((window) => [window, report.burnRates[window]]));
}

/** A composite of `parts` with weights, as definitions.ts builds it. */
function composite(parts: Array<{ definition: SloDefinition; weight: number }>): SloDefinition {
  return {
    ...rollingSlo({ objective: 0.99225, window: '28d', name: 'checkout-journey' }),
    indicator: { type: 'composite' },
    composite: { objectives: parts },
  };
}

describe('composite SLOs', () => {
  after(removeTemporaryFolders);

  describe('evaluateCompositeSlo: two objectives weighing 3 and 1', () => {
    // A: objective 0.99 (allowed error 0.01), weight 3. B: objective 0.999 (allowed 0.001), weight 1.
    const a = rollingSlo({ objective: 0.99, window: '28d', name: 'checkout-journey-availability' });
    const b = rollingSlo({ objective: 0.999, window: '28d', name: 'checkout-journey-latency' });
    const def = composite([{ definition: a, weight: 3 }, { definition: b, weight: 1 }]);

    // A: e(W) = 50/10000 = 0.005, consumed 0.5, remaining 0.5. 1h: e = 150/1000, burn 15; 5m: e = 20/100,
    // burn 20; so the page tier 1h/5m > 14.4 fires and A is critical. 1d: e = 10/1000, burn 1.
    const aReport = evaluateSlo(a, sloCounts({ window: [9950, 10000], burn: { '5m': [80, 100], '1h': [850, 1000], '1d': [990, 1000] } }), NOW, policy());
    // B: e(W) = 1/10000, consumed 0.1, remaining 0.9. 1h: e = 1/1000, burn 1; nothing else burns: healthy.
    const bReport = evaluateSlo(b, sloCounts({ window: [9999, 10000], burn: { '1h': [999, 1000] } }), NOW, policy());

    it('the objectives are what the single-SLO rules say (the inputs of the combination)', () => {
      assertClose(aReport.budget.remaining, 0.5, 'A remaining');
      assert.equal(aReport.status, 'critical');
      assertClose(bReport.budget.remaining, 0.9, 'B remaining');
      assert.equal(bReport.status, 'healthy');
    });

    const report = evaluateCompositeSlo(def, [{ weight: 3, report: aReport }, { weight: 1, report: bReport }], NOW);

    it('budget remaining is the weighted mean: (3 * 0.5 + 1 * 0.9) / 4 = 0.6', () => {
      assertClose(report.budget.remaining, 0.6, 'remaining');
      assertClose(report.budget.consumed, 0.4, 'consumed');
    });

    it('burn rates are the weighted means: 5m (3*20 + 0)/4 = 15, 1h (3*15 + 1)/4 = 11.5, 1d (3*1 + 0)/4 = 0.75', () => {
      const burn = burnRatesOf(report);
      assertClose(burn['5m'], 15, '5m');
      assertClose(burn['1h'], 11.5, '1h');
      assertClose(burn['1d'], 0.75, '1d');
      for (const window of ['30m', '2h', '6h', '3d'] as const) assert.equal(burn[window], 0, window);
    });

    it('status is the worst of theirs (critical), with the alert that made it so', () => {
      assert.equal(report.status, 'critical');
      assert.deepEqual(report.alerts, [{ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }]);
    });

    it('SLI and objective are weighted means; good and total are sums; one SLO named by the document', () => {
      // SLI (3 * 0.995 + 0.9999) / 4 = 0.996225; objective (3 * 0.99 + 0.999) / 4 = 0.99225.
      assertClose(report.sli, 0.996225, 'sli');
      assertClose(report.objective, 0.99225, 'objective');
      assert.deepEqual([report.name, report.service, report.good, report.total, report.window], ['checkout-journey', 'checkout', 19949, 20000, '28d']);
    });

    it('time to exhaustion applies the single-SLO rule to the composite: now + 0.6 * 28d / 0.75 = now + 22.4 days', () => {
      assertClose(report.exhaustionEta, NOW + 22.4 * DAY, 'eta');
    });

    it('keeps each objective with its weight', () => {
      assert.deepEqual(report.objectives?.map(({ weight, report: part }) => [part.name, weight, part.status]), [
        ['checkout-journey-availability', 3, 'critical'],
        ['checkout-journey-latency', 1, 'healthy'],
      ]);
    });
  });

  describe('objectives without data', () => {
    const a = rollingSlo({ objective: 0.99, window: '28d', name: 'a' });
    const b = rollingSlo({ objective: 0.999, window: '28d', name: 'b' });
    const def = composite([{ definition: a, weight: 3 }, { definition: b, weight: 1 }]);
    const measured = evaluateSlo(a, sloCounts({ window: [9950, 10000] }), NOW, policy());
    const unmeasured = evaluateSlo(b, sloCounts({ window: [0, 0] }), NOW, policy());

    it('are left out of the means (their budget is unknown, not untouched), and the composite reads no-data', () => {
      const report = evaluateCompositeSlo(def, [{ weight: 3, report: measured }, { weight: 1, report: unmeasured }], NOW);
      assertClose(report.budget.remaining, 0.5, 'remaining: A alone');
      assertClose(report.sli, 0.995, 'sli: A alone');
      // healthy and no-data: an objective nobody measured keeps the composite from reading healthy.
      assert.equal(report.status, 'no-data');
    });

    it('all of them: no-data, untouched budget, no exhaustion time', () => {
      const report = evaluateCompositeSlo(def, [{ weight: 3, report: unmeasured }, { weight: 1, report: unmeasured }], NOW);
      assert.deepEqual([report.status, report.sli, report.budget.remaining, report.exhaustionEta], ['no-data', null, 1, null]);
    });
  });

  it('worstStatus: exhausted, critical, warning, no-data, healthy, from the worst', () => {
    assert.equal(worstStatus(['healthy', 'exhausted', 'critical']), 'exhausted');
    assert.equal(worstStatus(['healthy', 'warning', 'no-data']), 'warning');
    assert.equal(worstStatus(['healthy', 'no-data']), 'no-data');
    assert.equal(worstStatus(['healthy', 'healthy']), 'healthy');
    assert.equal(worstStatus([]), 'no-data');
  });

  describe('from an OpenSLO file: objectives with their own indicator and compositeWeight', () => {
    const sloText = yamlDocuments({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'checkout-journey', displayName: 'Checkout journey' },
      spec: {
        service: 'checkout',
        timeWindow: [{ duration: '28d', isRolling: true }],
        budgetingMethod: 'Occurrences',
        objectives: [
          {
            displayName: 'availability',
            target: 0.99,
            compositeWeight: 3,
            indicator: { metadata: { name: 'availability' }, spec: { ratioMetric: ratioMetricFor({ csv: { path: 'data/availability.csv' } }) } },
          },
          // No compositeWeight: 1.
          { displayName: 'latency', target: 0.999, indicatorRef: 'latency' },
        ],
      },
    }, { apiVersion: 'openslo/v1', kind: 'SLI', metadata: { name: 'latency' }, spec: { ratioMetric: ratioMetricFor({ csv: { path: 'data/latency.csv' } }) } });
    const root = () =>
      buildWorkspace({
        config: yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["src/**"]'),
        slos: { 'journey.yaml': sloText },
        // One row half an hour ago: in the 1h to 3d windows and the 28d window, not in 5m or 30m.
        data: {
          'data/availability.csv': csvText([['2026-03-01T11:30:00Z', 9950, 10000]]),
          'data/latency.csv': csvText([['2026-03-01T11:30:00Z', 9999, 10000]]),
        },
      });

    it('loads one composite SLO whose objectives are SLOs of their own, weighing 3 and 1', async () => {
      const loaded = await loadDefinitions(root());
      assert.deepEqual(loaded.problems.filter((problem) => problem.severity === 'error'), []);
      assert.equal(loaded.slos.length, 1);
      const [def] = loaded.slos;
      assert.deepEqual([def.name, def.displayName, def.indicator], ['checkout-journey', 'Checkout journey', { type: 'composite' }]);
      assertClose(def.objective, 0.99225, 'objective');
      assert.deepEqual(
        def.composite?.objectives.map(({ definition, weight }) => [definition.name, definition.objective, weight, definition.indicator]),
        [
          ['checkout-journey-availability', 0.99, 3, { type: 'csv', path: 'data/availability.csv', goodColumn: 'good', totalColumn: 'total' }],
          ['checkout-journey-latency', 0.999, 1, { type: 'csv', path: 'data/latency.csv', goodColumn: 'good', totalColumn: 'total' }],
        ],
      );
    });

    it('reports it from its objectives\' data: remaining 0.6, burn over 1h (3 * 0.5 + 0.1) / 4 = 0.4; JSON lists the objectives', async () => {
      const workspace = root();
      const loaded = await loadDefinitions(workspace);
      const { reports } = await computeSloReports(workspace, loaded.config, loaded.slos, { now: NOW, allowRemote: false });
      assert.equal(reports.length, 1);
      const [report] = reports;
      assertClose(report.budget.remaining, 0.6, 'remaining');
      // A: e = 0.005 over a = 0.01, burn 0.5; B: e = 0.0001 over 0.001, burn 0.1; in 1h to 3d alike.
      for (const window of ['1h', '2h', '6h', '1d', '3d'] as const) assertClose(report.burnRates[window], 0.4, window);
      assert.deepEqual([report.burnRates['5m'], report.burnRates['30m'], report.status], [0, 0, 'healthy']);

      const json = sloJson(report);
      assert.deepEqual(json.objectives?.map((objective) => [objective.name, objective.weight, objective.objective, objective.good, objective.total]), [
        ['checkout-journey-availability', 3, 0.99, 9950, 10000],
        ['checkout-journey-latency', 1, 0.999, 9999, 10000],
      ]);
    });

    it('an SLO with one shared indicator and several objectives still gives one SLO per objective (not a composite)', async () => {
      const shared = yamlDocuments({
        apiVersion: 'openslo/v1',
        kind: 'SLO',
        metadata: { name: 'checkout-availability' },
        spec: {
          service: 'checkout',
          indicator: { metadata: { name: 'ratio' }, spec: { ratioMetric: ratioMetricFor({ csv: { path: 'data/availability.csv' } }) } },
          timeWindow: [{ duration: '28d', isRolling: true }],
          objectives: [{ displayName: 'strict', target: 0.999 }, { displayName: 'loose', target: 0.99 }],
        },
      });
      const loaded = await loadDefinitions(buildWorkspace({ slos: { 'shared.yaml': shared }, data: { 'data/availability.csv': csvText([]) } }));
      assert.deepEqual(loaded.slos.map((slo) => [slo.name, slo.composite]), [['checkout-availability-strict', undefined], ['checkout-availability-loose', undefined]]);
    });

    it('an objective without an indicator when the SLO has none is a problem at that objective', async () => {
      const text = yamlLines(
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: {name: journey}',
        'spec:',
        '  service: checkout',
        '  timeWindow: [{duration: 28d, isRolling: true}]',
        '  objectives:',
        '    - {target: 0.99, indicatorRef: latency, compositeWeight: 2}',
        '    - {target: 0.999}',
      );
      const loaded = await loadDefinitions(buildWorkspace({ slos: { 'journey.yaml': text } }));
      assert.deepEqual(loaded.slos, []);
      const problem = loaded.problems.find((candidate) => candidate.message.startsWith('spec.objectives[1]'));
      assert.deepEqual(problem && [problem.file, problem.line, problem.severity], ['.reliability/slos/journey.yaml', 9, 'error']);
      assert.match(problem?.message ?? '', /expected an indicator or indicatorRef on this objective/);
    });

    it('a compositeWeight of 0 is a problem at it', async () => {
      const text = yamlLines(
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: {name: journey}',
        'spec:',
        '  service: checkout',
        '  indicatorRef: latency',
        '  timeWindow: [{duration: 28d, isRolling: true}]',
        '  objectives:',
        '    - target: 0.99',
        '      compositeWeight: 0',
        '    - {target: 0.999}',
      );
      const loaded = await loadDefinitions(buildWorkspace({ slos: { 'journey.yaml': text } }));
      const problem = loaded.problems.find((candidate) => candidate.message.includes('compositeWeight'));
      assert.deepEqual(problem && [problem.line, problem.column, problem.severity], [10, 24, 'error']);
      assert.match(problem?.message ?? '', /expected a number greater than 0 \(the weight of the objective in the composite SLO\), got 0/);
    });
  });
});

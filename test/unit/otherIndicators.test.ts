// OpenSLO indicators beyond ratios of counts (DOMAIN.md section 2, "Other indicators"): thresholdMetric,
// ratioMetric.raw with rawType, and RatioTimeslices budgeting, in file mode from YAML to report. Every
// expected number is worked out by hand in the comments next to it.
import { strict as assert } from 'node:assert';
import type { SloReport } from '../../src/core/model';
import { evaluateSlo } from '../../src/core/slo';
import { SloCountsAccumulator } from '../../src/core/sloCounts';
import { goodPartOf, isValidDataPoint, thresholdHolds } from '../../src/core/valueReadings';
import { loadDefinitions } from '../../src/workspace/definitions';
import { computeSloReports } from '../../src/workspace/sloData';
import { HOUR, at, policy, rollingSlo } from './builders/sloBuilders';
import { buildWorkspace, removeTemporaryFolders, yamlDocuments, yamlLines } from './builders/workspaceBuilders';

const NOW = at('2026-03-01T12:00:00Z');
const CONFIG = yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["checkout/**"]');

/** An OpenSLO SLO over an inline SLI `spec`, 7 rolling days. */
function sloDocument(name: string, sliSpec: object, objective: Record<string, unknown>, extra: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name },
    spec: {
      service: 'checkout',
      indicator: { metadata: { name: `${name}-sli` }, spec: sliSpec },
      timeWindow: [{ duration: '7d', isRolling: true }],
      objectives: [objective],
      ...extra,
    },
  };
}

function csvSource(path: string, column?: string) {
  return { metricSource: { type: 'CSV', spec: column === undefined ? { path } : { path, column } } };
}

async function reportsOf(slos: string, data: Record<string, string>) {
  const root = buildWorkspace({ config: CONFIG, slos: { 'checkout.yaml': slos }, data });
  const definitions = await loadDefinitions(root);
  const result = await computeSloReports(root, definitions.config, definitions.slos, { now: NOW, allowRemote: false });
  const byName = new Map<string, SloReport>(result.reports.map((report) => [report.name, report]));
  return { definitions, result, byName };
}

// Latency data points, one a row (line numbers on the right). Ages from NOW = 12:00.
const LATENCY_CSV = yamlLines(
  'timestamp,value', //                 line 1
  '2026-03-01T11:00:00Z,0.2', //        line 2: age 1h, so not in the last 1h, in 2h
  '2026-03-01T11:30:00Z,0.5', //        line 3: age 30m, not in 30m, in 1h
  '2026-03-01T11:50:00Z,0.3', //        line 4
  '2026-03-01T11:58:00Z,0.1', //        line 5: in every burn window
  '2026-03-01T11:59:00Z,slow', //       line 6: no number: a bad row, skipped
  '2026-03-01T11:59:30Z,', //           line 7: empty: a bad row, skipped
  '2026-03-01T11:59:40Z,1e999', //      line 8: not finite: a bad row, skipped
  '2026-02-28T12:00:00Z,0.25', //       line 9: age exactly 1d, so in 3d only
);

describe('OpenSLO thresholdMetric from a CSV value column', () => {
  after(removeTemporaryFolders);

  it('counts each row as one event, good when value op objective.value holds, and reports bad values at their row', async () => {
    const threshold = { thresholdMetric: csvSource('data/latency.csv') };
    const { definitions, result, byName } = await reportsOf(
      yamlDocuments(
        sloDocument('fast-lte', threshold, { target: 0.5, op: 'lte', value: 0.3 }),
        sloDocument('fast-lt', threshold, { target: 0.5, op: 'lt', value: 0.3 }),
        sloDocument('slow-gt', threshold, { target: 0.5, op: 'gt', value: 0.3 }),
        sloDocument('gte', threshold, { target: 0.5, op: 'gte', value: 0.3 }),
      ),
      { 'data/latency.csv': LATENCY_CSV },
    );
    assert.deepEqual(definitions.problems, []);
    assert.deepEqual(definitions.slos[0].indicator, {
      type: 'csv-values',
      path: 'data/latency.csv',
      column: 'value',
      reading: { kind: 'threshold', op: 'lte', threshold: 0.3 },
    });
    // The file is read once for the four SLOs: each bad row is told once, at its line and column.
    assert.deepEqual(result.problems, [
      { file: '.reliability/data/latency.csv', line: 6, column: 22, severity: 'error', message: 'value: expected a finite number' },
      { file: '.reliability/data/latency.csv', line: 7, column: 22, severity: 'error', message: 'value: expected a finite number, got an empty field' },
      { file: '.reliability/data/latency.csv', line: 8, column: 22, severity: 'error', message: 'value: expected a finite number' },
    ]);

    // lte 0.3: 0.2 yes, 0.5 no, 0.3 yes, 0.1 yes, 0.25 yes: 4 good of 5 in the 7 days.
    const lte = byName.get('fast-lte') as SloReport;
    assert.equal(lte.good, 4);
    assert.equal(lte.total, 5);
    assert.equal(lte.sli, 0.8);
    // a = 0.5: consumed = e / a = (1 - 0.8) / 0.5 = 0.4, remaining 0.6 (to binary rounding: 1 - 0.8
    // is 0.19999999999999996 in doubles, so the engine's exact result is that over 0.5).
    assert.equal(lte.budget.consumed, (1 - 0.8) / 0.5);
    assert.ok(Math.abs(lte.budget.consumed - 0.4) < 1e-15);
    assert.equal(lte.budget.remaining, 1 - lte.budget.consumed);
    // 5m: 0.1 (good) -> 0. 30m: 0.3, 0.1 -> 0. 1h: 0.5, 0.3, 0.1 -> e = 1/3, burn 2/3.
    // 2h, 6h, 1d: 0.2 too -> e = 1/4, burn 0.5. 3d: all five -> e = 1/5, burn 0.4.
    assert.deepEqual(lte.burnRates, { '5m': 0, '30m': 0, '1h': (1 - 2 / 3) / 0.5, '2h': 0.5, '6h': 0.5, '1d': 0.5, '3d': (1 - 4 / 5) / 0.5 });
    assert.equal(lte.status, 'healthy');

    // lt 0.3: 0.3 no longer holds: 3 of 5.
    assert.equal((byName.get('fast-lt') as SloReport).sli, 0.6);
    // gt 0.3: only 0.5: 1 of 5; consumed 0.8 / 0.5 = 1.6, so remaining -0.6: exhausted.
    const gt = byName.get('slow-gt') as SloReport;
    assert.equal(gt.sli, 0.2);
    assert.equal(gt.budget.remaining, 1 - 1.6);
    assert.equal(gt.status, 'exhausted');
    // gte 0.3: 0.5 and 0.3: 2 of 5.
    assert.equal((byName.get('gte') as SloReport).sli, 0.4);
  });

  it('reads the column metricSource.spec.column names, and judges Timeslices on the share of points that hold', async () => {
    const csv = yamlLines(
      'timestamp,p99_seconds,other',
      // 7 days end at NOW; 1d slices from 2026-02-22T12:00. Two points in the last slice, one before.
      '2026-03-01T11:00:00Z,0.2,x', // good
      '2026-03-01T10:00:00Z,0.9,x', // bad: the last slice holds 1 of 2 = 0.5
      '2026-02-27T10:00:00Z,0.1,x', // good: its slice holds 1 of 1
    );
    const { definitions, byName } = await reportsOf(
      yamlDocuments(
        sloDocument(
          'p99',
          { thresholdMetric: csvSource('data/p99.csv', 'p99_seconds') },
          { target: 0.9, op: 'lt', value: 0.5, timeSliceTarget: 0.6, timeSliceWindow: '1d' },
          { budgetingMethod: 'Timeslices' },
        ),
      ),
      { 'data/p99.csv': csv },
    );
    assert.deepEqual(definitions.problems, []);
    const report = byName.get('p99') as SloReport;
    // Events: 2 good of 3. Slices: the last one (0.5 < 0.6) is bad, the other good: SLI 1/2.
    assert.equal(report.good, 2);
    assert.equal(report.total, 3);
    assert.equal(report.sli, 0.5);
  });

  it('is a problem at the objective without op or value, and the other SLOs still load', async () => {
    const text = yamlLines(
      'apiVersion: openslo/v1',
      'kind: SLO',
      'metadata: {name: no-op}',
      'spec:',
      '  service: checkout',
      '  indicator:',
      '    metadata: {name: latency}',
      '    spec:',
      '      thresholdMetric: {metricSource: {type: CSV, spec: {path: data/latency.csv}}}',
      '  timeWindow: [{duration: 7d, isRolling: true}]',
      '  objectives:',
      '    - target: 0.9',
      '      value: 0.3',
      '---',
      'apiVersion: openslo/v1',
      'kind: SLO',
      'metadata: {name: fine}',
      'spec:',
      '  service: checkout',
      '  indicator:',
      '    metadata: {name: latency}',
      '    spec:',
      '      thresholdMetric: {metricSource: {type: CSV, spec: {path: data/latency.csv}}}',
      '  timeWindow: [{duration: 7d, isRolling: true}]',
      '  objectives:',
      '    - {target: 0.9, op: lte, value: 0.3}',
      '    - {target: 0.9, op: bigger, value: .inf}',
    );
    const root = buildWorkspace({ config: CONFIG, slos: { 'checkout.yaml': text }, data: { 'data/latency.csv': LATENCY_CSV } });
    const { problems, slos } = await loadDefinitions(root);
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.severity, problem.message]),
      [
        [12, 'error', 'spec.objectives[0].op: expected op (lt, lte, gt or gte) and value on the objective of a thresholdMetric: a data point is good when its value op value holds, got nothing (the key is missing)'],
        [27, 'error', 'spec.objectives[1].op: expected one of lt, lte, gt, gte, got "bigger"'],
        [27, 'error', 'spec.objectives[1].value: expected a number, got Infinity'],
      ],
    );
    // The second document is refused as a whole by its schema; the first has no threshold to judge by.
    assert.deepEqual(slos, []);
  });
});

describe('OpenSLO ratioMetric.raw from a CSV value column', () => {
  after(removeTemporaryFolders);

  // Ratios chosen exact in binary, so sums and means compare exactly.
  const RATIOS_CSV = yamlLines(
    'timestamp,ratio',
    '2026-03-01T11:00:00Z,0.875', // age 1h: in 2h, not in 1h
    '2026-03-01T11:30:00Z,1',
    '2026-03-01T11:50:00Z,0.5',
    '2026-03-01T11:58:00Z,1.5', //   line 5: not a ratio: a bad row
    '2026-03-01T11:59:00Z,0.75', //  in every burn window
  );

  it('averages the success ratios, each data point weighing one, and 1 - r for failure ratios', async () => {
    const raw = (rawType: string) => ({ ratioMetric: { rawType, raw: csvSource('data/ratios.csv', 'ratio') } });
    const { definitions, result, byName } = await reportsOf(
      yamlDocuments(sloDocument('success', raw('success'), { target: 0.5 }), sloDocument('failure', raw('failure'), { target: 0.5 })),
      { 'data/ratios.csv': RATIOS_CSV },
    );
    assert.deepEqual(definitions.problems, []);
    assert.deepEqual(definitions.slos[1].indicator, { type: 'csv-values', path: 'data/ratios.csv', column: 'ratio', reading: { kind: 'raw', rawType: 'failure' } });
    assert.deepEqual(result.problems, [
      { file: '.reliability/data/ratios.csv', line: 5, column: 22, severity: 'error', message: 'ratio: expected a ratio between 0 and 1' },
    ]);

    // success: good = 0.875 + 1 + 0.5 + 0.75 = 3.125 over 4 points: SLI 0.78125.
    const success = byName.get('success') as SloReport;
    assert.equal(success.good, 3.125);
    assert.equal(success.total, 4);
    assert.equal(success.sli, 0.78125);
    // e = 0.21875, a = 0.5: consumed 0.4375.
    assert.equal(success.budget.consumed, 0.4375);
    // 5m: 0.75 -> e 0.25, burn 0.5. 30m: 0.5, 0.75 -> mean 0.625, burn 0.75. 1h: 1, 0.5, 0.75 -> 0.75,
    // burn 0.5. 2h and longer: all four -> burn 0.4375.
    assert.deepEqual(success.burnRates, { '5m': 0.5, '30m': 0.75, '1h': 0.5, '2h': 0.4375, '6h': 0.4375, '1d': 0.4375, '3d': 0.4375 });

    // failure: the good ratios are 0.125, 0, 0.5, 0.25: sum 0.875, SLI 0.21875; consumed 1.5625.
    const failure = byName.get('failure') as SloReport;
    assert.equal(failure.good, 0.875);
    assert.equal(failure.sli, 0.21875);
    assert.equal(failure.budget.remaining, 1 - 1.5625);
    assert.equal(failure.status, 'exhausted');
  });

  it('is a problem when raw has no rawType, or comes with good or total', async () => {
    const text = yamlLines(
      'apiVersion: openslo/v1',
      'kind: SLI',
      'metadata: {name: no-type}',
      'spec:',
      '  ratioMetric:',
      '    raw: {metricSource: {type: CSV, spec: {path: data/ratios.csv}}}',
      '---',
      'apiVersion: openslo/v1',
      'kind: SLI',
      'metadata: {name: with-total}',
      'spec:',
      '  ratioMetric:',
      '    rawType: success',
      '    raw: {metricSource: {type: CSV, spec: {path: data/ratios.csv}}}',
      '    total: {metricSource: {type: CSV, spec: {path: data/ratios.csv}}}',
    );
    const root = buildWorkspace({ config: CONFIG, slos: { 'slis.yaml': text }, data: { 'data/ratios.csv': RATIOS_CSV } });
    const { problems } = await loadDefinitions(root);
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.message]),
      [
        // A missing key is told at the mapping that lacks it (its first line).
        [6, 'spec.ratioMetric.rawType: expected rawType (success or failure) next to raw: which ratio the raw metric holds, got nothing (the key is missing)'],
        [15, 'spec.ratioMetric.total: expected either raw (with rawType) or good/bad with total, not both, got both'],
      ],
    );
  });
});

describe('RatioTimeslices budgeting', () => {
  after(removeTemporaryFolders);

  // A 3h window ending at 12:00 in 1h slices: (09,10], (10,11], (11,12].
  const def = rollingSlo({ objective: 0.5, window: '3h' });
  const samples: Array<[string, number, number]> = [
    ['2026-03-01T09:30:00Z', 3, 4], // slice 1: 3/4 = 0.75
    ['2026-03-01T10:15:00Z', 1, 1], // slice 2: (1 + 0) / (1 + 1) = 0.5
    ['2026-03-01T10:45:00Z', 0, 1],
    // slice 3 has no events: it counts nowhere
  ];
  function countsFor(budgeting: typeof def.budgeting) {
    const accumulator = new SloCountsAccumulator({ ...def, budgeting }, NOW);
    for (const [time, good, total] of samples) accumulator.add(at(time), good, total);
    return accumulator.result();
  }

  it('averages the ratios of the slices with data, each weighing one, where Occurrences and Timeslices differ', () => {
    const ratioSlices = countsFor({ method: 'RatioTimeslices', sliceMs: HOUR });
    // slices.good is the sum of the ratios: 0.75 + 0.5.
    assert.deepEqual(ratioSlices.slices, { good: 1.25, withData: 2 });
    const report = evaluateSlo({ ...def, budgeting: { method: 'RatioTimeslices', sliceMs: HOUR } }, ratioSlices, NOW, policy());
    // SLI 0.625; a = 0.5: consumed 0.75, remaining 0.25 (not below cautionBelow 0.25).
    assert.equal(report.budgetingMethod, 'RatioTimeslices');
    assert.equal(report.sli, 0.625);
    assert.equal(report.budget.consumed, 0.75);
    assert.equal(report.budget.remaining, 0.25);
    // The same events by Occurrences: 4 of 6; by Timeslices at 0.6: 1 good slice of 2.
    assert.equal(evaluateSlo(def, countsFor({ method: 'Occurrences' }), NOW, policy()).sli, 4 / 6);
    const judged = countsFor({ method: 'Timeslices', sliceMs: HOUR, sliceTarget: 0.6 });
    assert.deepEqual(judged.slices, { good: 1, withData: 2 });
  });

  it('loads from OpenSLO with a timeSliceWindow and no timeSliceTarget, and needs the window', async () => {
    const ratio = { ratioMetric: { counter: true, good: csvSource('data/c.csv', 'good'), total: csvSource('data/c.csv', 'total') } };
    const csv = yamlLines('timestamp,good,total', '2026-03-01T09:30:00Z,3,4', '2026-03-01T10:15:00Z,1,1', '2026-03-01T10:45:00Z,0,1');
    const { definitions, byName } = await reportsOf(
      yamlDocuments(
        sloDocument('sliced', ratio, { target: 0.5, timeSliceWindow: '1h' }, { budgetingMethod: 'RatioTimeslices', timeWindow: [{ duration: '3h', isRolling: true }] }),
        sloDocument('no-window', ratio, { target: 0.5 }, { budgetingMethod: 'RatioTimeslices' }),
      ),
      { 'data/c.csv': csv },
    );
    assert.deepEqual(
      definitions.problems.map((problem) => problem.message),
      ['spec.objectives[0].timeSliceWindow: expected timeSliceWindow with budgetingMethod RatioTimeslices, got nothing (the key is missing)'],
    );
    assert.deepEqual(definitions.slos.map((slo) => [slo.name, slo.budgeting]), [['sliced', { method: 'RatioTimeslices', sliceMs: HOUR }]]);
    assert.equal((byName.get('sliced') as SloReport).sli, 0.625);
  });
});

describe('valueReadings', () => {
  it('compares with each operator, and NaN holds for none', () => {
    assert.deepEqual(
      (['lt', 'lte', 'gt', 'gte'] as const).map((op) => [thresholdHolds(op, 1, 2), thresholdHolds(op, 2, 2), thresholdHolds(op, 3, 2), thresholdHolds(op, Number.NaN, 2)]),
      [
        [true, false, false, false],
        [true, true, false, false],
        [false, false, true, false],
        [false, true, true, false],
      ],
    );
  });

  it('accepts any finite number for a threshold and only ratios 0..1 for raw', () => {
    const threshold = { kind: 'threshold' as const, op: 'lt' as const, threshold: 0 };
    const raw = { kind: 'raw' as const, rawType: 'failure' as const };
    assert.deepEqual([-5, 0, 1, 7, Infinity, Number.NaN].map((value) => isValidDataPoint(threshold, value)), [true, true, true, true, false, false]);
    assert.deepEqual([-0.5, 0, 0.5, 1, 1.5].map((value) => isValidDataPoint(raw, value)), [false, true, true, true, false]);
    assert.equal(goodPartOf(raw, 0.25), 0.75);
    assert.equal(goodPartOf(threshold, -1), 1);
  });
});

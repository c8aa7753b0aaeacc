// Maintenance windows (DOMAIN.md section 6, `policy.maintenance`): samples in (start, end] of a window
// covering the SLO's service leave every sum, and are counted as `excludedTotal`. Expectations are
// worked out by hand in the comments next to them.
import { strict as assert } from 'node:assert';
import { clipToSpan, inMaintenance, maintenanceSpans } from '../../src/core/maintenance';
import type { MaintenanceWindow } from '../../src/core/model';
import { evaluateSlo, evaluateSloFromSamples } from '../../src/core/slo';
import { SloCountsAccumulator, invalidCountsReason } from '../../src/core/sloCounts';
import { computeSloReports } from '../../src/workspace/sloData';
import { loadDefinitions } from '../../src/workspace/definitions';
import { sloJson } from '../../src/cli/json';
import { at, HOUR, MINUTE, policy, rollingSlo, sloCounts } from './builders/sloBuilders';
import { buildWorkspace, csvText, openSloSlo, positionOf, removeTemporaryFolders, yamlDocuments, yamlLines } from './builders/workspaceBuilders';

const NOW = at('2026-03-20T12:00:00Z');

describe('maintenanceSpans', () => {
  it('keeps the windows of the service and those naming no service, as sorted disjoint spans', () => {
    const windows: MaintenanceWindow[] = [
      { start: 50, end: 60, services: ['payments'] },
      { start: 30, end: 40 },
      { start: 10, end: 20, services: ['checkout', 'payments'] },
    ];
    assert.deepEqual(maintenanceSpans(windows, 'checkout'), [
      { start: 10, end: 20 },
      { start: 30, end: 40 },
    ]);
    assert.deepEqual(maintenanceSpans(windows, 'search'), [{ start: 30, end: 40 }]);
    assert.deepEqual(maintenanceSpans(undefined, 'checkout'), []);
  });

  it('merges overlapping, nested and touching windows into their union', () => {
    const windows: MaintenanceWindow[] = [
      { start: 10, end: 30 },
      { start: 20, end: 40 }, // overlaps: (10, 40]
      { start: 12, end: 15 }, // nested
      { start: 40, end: 45 }, // touches: (10, 40] and (40, 45] are (10, 45]
      { start: 46, end: 50 }, // a gap of (45, 46]: apart
    ];
    assert.deepEqual(maintenanceSpans(windows, 'checkout'), [
      { start: 10, end: 45 },
      { start: 46, end: 50 },
    ]);
  });

  it('holds nothing for a window with start >= end (the loader reports it)', () => {
    assert.deepEqual(maintenanceSpans([{ start: 20, end: 20 }, { start: 30, end: 10 }], 'checkout'), []);
  });

  it('holds a timestamp after start and up to end, as samples count in windows', () => {
    const spans = [
      { start: 10, end: 20 },
      { start: 30, end: 40 },
    ];
    const inside = [11, 20, 31, 40];
    const outside = [5, 10, 21, 30, 41, Number.NaN];
    for (const t of inside) assert.equal(inMaintenance(spans, t), true, `${t}`);
    for (const t of outside) assert.equal(inMaintenance(spans, t), false, `${t}`);
    assert.equal(inMaintenance([], 15), false);
  });

  it('clips spans to a window', () => {
    const spans = [
      { start: 10, end: 20 },
      { start: 30, end: 40 },
    ];
    assert.deepEqual(clipToSpan(spans, { start: 15, end: 35 }), [
      { start: 15, end: 20 },
      { start: 30, end: 35 },
    ]);
    assert.deepEqual(clipToSpan(spans, { start: 20, end: 30 }), []);
  });
});

describe('SLO evaluation with maintenance windows (CSV mode)', () => {
  // Ten hourly rows of 1,000 events ending at NOW - k h (k = 0..9); the one at NOW - 3h has 200 bad.
  // Objective 0.99 over 28 days: allowed error ratio a = 0.01.
  const slo = rollingSlo({ objective: 0.99, window: '28d' });
  const rows: Array<[number, number, number]> = [];
  for (let k = 0; k < 10; k++) rows.push([NOW - k * HOUR, k === 3 ? 800 : 1000, 1000]);
  const badHour = { start: NOW - 4 * HOUR, end: NOW - 3 * HOUR };

  it('without maintenance: the bad hour spends twice the budget', () => {
    const report = evaluateSloFromSamples(slo, rows, NOW, policy());
    // e = 200 / 10,000 = 0.02; consumed = 0.02 / 0.01 = 2; remaining = -1.
    assert.equal(report.good, 9800);
    assert.equal(report.total, 10000);
    assert.ok(Math.abs(report.budget.remaining - -1) < 1e-12);
    assert.equal(report.status, 'exhausted');
    assert.equal(report.excludedTotal, undefined, 'no maintenance, no excludedTotal');
  });

  it('a window covering the bad hour removes it: the budget is what the other nine rows give', () => {
    const report = evaluateSloFromSamples(slo, rows, NOW, policy({ maintenance: [badHour] }));
    // Nine rows of 1,000 good: SLI 1, remaining 1; the 1,000 events of NOW - 3h are left out.
    assert.equal(report.good, 9000);
    assert.equal(report.total, 9000);
    assert.equal(report.sli, 1);
    assert.deepEqual(report.budget, { remaining: 1, consumed: 0 });
    assert.equal(report.excludedTotal, 1000);
    assert.equal(report.status, 'healthy');
    // The 6h burn window held the bad row (200/6,000 / 0.01 = 3.33...): now it burns nothing.
    assert.equal(report.burnRates['6h'], 0);
    // The burn-down ends at the budget remaining.
    assert.equal(report.burnDown[report.burnDown.length - 1][1], 1);
  });

  it('counts excludedTotal per burn window, where the windows hold the left-out row', () => {
    const accumulator = new SloCountsAccumulator(slo, NOW, maintenanceSpans([badHour], 'checkout'));
    for (const [t, good, total] of rows) accumulator.add(t, good, total);
    const counts = accumulator.result();
    // NOW - 3h is in 6h, 1d, 3d (age 3h) but not in 5m .. 2h.
    assert.deepEqual(counts.burn['2h'], { good: 2000, total: 2000, excludedTotal: 0 });
    assert.deepEqual(counts.burn['6h'], { good: 5000, total: 5000, excludedTotal: 1000 });
    assert.deepEqual(counts.burn['3d'], { good: 9000, total: 9000, excludedTotal: 1000 });
    assert.deepEqual(counts.window, { good: 9000, total: 9000, excludedTotal: 1000 });
  });

  it('a window for another service changes nothing', () => {
    const plain = evaluateSloFromSamples(slo, rows, NOW, policy());
    const other = evaluateSloFromSamples(slo, rows, NOW, policy({ maintenance: [{ ...badHour, services: ['payments'] }] }));
    assert.deepEqual(other, plain);
    const named = evaluateSloFromSamples(slo, rows, NOW, policy({ maintenance: [{ ...badHour, services: ['payments', 'checkout'] }] }));
    assert.equal(named.excludedTotal, 1000);
  });

  it('overlapping windows count each event once', () => {
    // (NOW-4h, NOW-2h30m] and (NOW-3h30m, NOW-2h] are (NOW-4h, NOW-2h]: rows NOW-3h and NOW-2h.
    const report = evaluateSloFromSamples(
      slo,
      rows,
      NOW,
      policy({
        maintenance: [
          { start: NOW - 4 * HOUR, end: NOW - 2 * HOUR - 30 * MINUTE },
          { start: NOW - 3 * HOUR - 30 * MINUTE, end: NOW - 2 * HOUR },
        ],
      }),
    );
    assert.equal(report.excludedTotal, 2000);
    assert.equal(report.total, 8000);
    assert.equal(report.good, 8000);
  });

  it('a window partly outside the SLO window excludes only what the windows hold', () => {
    // A 1d SLO; rows every hour k = 0..29 with total 100 + k, all good. Maintenance (NOW-26h, NOW-23h]
    // holds rows k = 23, 24, 25; the SLO window (NOW-24h, NOW] holds k = 0..23, the 3d window all.
    const daily = rollingSlo({ objective: 0.99, window: '1d' });
    const hourly: Array<[number, number, number]> = [];
    for (let k = 0; k < 30; k++) hourly.push([NOW - k * HOUR, 100 + k, 100 + k]);
    const accumulator = new SloCountsAccumulator(daily, NOW, maintenanceSpans([{ start: NOW - 26 * HOUR, end: NOW - 23 * HOUR }], 'checkout'));
    for (const [t, good, total] of hourly) accumulator.add(t, good, total);
    const counts = accumulator.result();
    // Window: sum over k = 0..22 of (100 + k) = 2,300 + 253 = 2,553; excluded: row 23 = 123.
    assert.deepEqual(counts.window, { good: 2553, total: 2553, excludedTotal: 123 });
    // 3d: sum over k = 0..29 of (100 + k) = 3,000 + 435 = 3,435, less 123 + 124 + 125 = 372.
    assert.deepEqual(counts.burn['3d'], { good: 3063, total: 3063, excludedTotal: 372 });
    // 1d burn window is (NOW-24h, NOW]: the same as the SLO window.
    assert.deepEqual(counts.burn['1d'], counts.window);
  });

  it('leaves maintenance out of timeslices and the burn-down buckets', () => {
    // One-hour slices aligned to the window start (NOW - 28d, a whole hour): each row is its own slice.
    // Without maintenance 9 of 10 slices are good (NOW-3h has 0.8 < 0.9); with it 9 of 9.
    const sliced = rollingSlo({ objective: 0.95, window: '28d', timeslices: { sliceMs: HOUR, sliceTarget: 0.9 } });
    assert.equal(evaluateSloFromSamples(sliced, rows, NOW, policy()).sli, 0.9);
    const report = evaluateSloFromSamples(sliced, rows, NOW, policy({ maintenance: [badHour] }));
    assert.equal(report.sli, 1);
    assert.ok(report.burnDown.every(([, remaining]) => remaining === 1), 'no bad event reaches the burn-down');
  });

  it('reports a window wholly in maintenance as no data, with what it left out', () => {
    const report = evaluateSloFromSamples(slo, rows, NOW, policy({ maintenance: [{ start: NOW - 30 * HOUR, end: NOW + HOUR }] }));
    assert.equal(report.status, 'no-data');
    assert.equal(report.total, 0);
    assert.equal(report.excludedTotal, 10000);
  });

  it('refuses an excludedTotal that is not a finite count', () => {
    const counts = sloCounts({ window: [10, 10] });
    counts.window.excludedTotal = Number.POSITIVE_INFINITY;
    assert.match(invalidCountsReason(counts) ?? '', /events left out for maintenance in the SLO window are infinite/);
    assert.equal(evaluateSlo(slo, counts, NOW, policy()).status, 'no-data');
  });

  it('carries excludedTotal into the report JSON only when maintenance covers the SLO', () => {
    assert.equal('excludedTotal' in sloJson(evaluateSloFromSamples(slo, rows, NOW, policy())), false);
    assert.equal(sloJson(evaluateSloFromSamples(slo, rows, NOW, policy({ maintenance: [badHour] }))).excludedTotal, 1000);
  });
});

describe('policy.maintenance in config.yaml', () => {
  after(removeTemporaryFolders);

  const sloFile = yamlDocuments(openSloSlo({ name: 'checkout-availability', service: 'checkout', indicator: { csv: { path: 'data/checkout.csv' } }, objectives: [{ target: 0.99 }] }));
  // The rows of the CSV-mode tests, as a file.
  const csv = csvText(
    Array.from({ length: 10 }, (_, k) => [new Date(NOW - k * HOUR).toISOString(), k === 3 ? 800 : 1000, 1000]).reverse(),
  );

  it('reads times without a zone as UTC, and leaves maintenance out of the report', async () => {
    const config = yamlLines(
      'version: 1',
      'services:',
      '  - name: checkout',
      '    paths: ["checkout/**"]',
      'policy:',
      '  maintenance:',
      '    - start: 2026-03-20T08:00:00', // NOW - 4h, no zone: UTC
      '      end: "2026-03-20 10:00:00+01:00"', // 09:00Z, NOW - 3h
      '      services: [checkout]',
    );
    const root = buildWorkspace({ config, slos: { 'checkout.yaml': sloFile }, data: { 'data/checkout.csv': csv } });
    const definitions = await loadDefinitions(root);
    assert.deepEqual(definitions.problems, []);
    assert.deepEqual(definitions.config.policy.maintenance, [{ start: NOW - 4 * HOUR, end: NOW - 3 * HOUR, services: ['checkout'] }]);
    const { reports } = await computeSloReports(root, definitions.config, definitions.slos, { now: NOW, allowRemote: false });
    assert.equal(reports[0].total, 9000);
    assert.equal(reports[0].excludedTotal, 1000);
    assert.equal(reports[0].budget.remaining, 1);
  });

  it('names the line of an end at or before start, and the rest of the workspace still loads', async () => {
    const config = yamlLines(
      'version: 1',
      'services:',
      '  - name: checkout',
      '    paths: ["checkout/**"]',
      'policy:',
      '  maintenance:',
      '    - start: 2026-03-20T08:00:00Z',
      '      end: 2026-03-20T08:00:00Z',
    );
    const root = buildWorkspace({ config, slos: { 'checkout.yaml': sloFile }, data: { 'data/checkout.csv': csv } });
    const definitions = await loadDefinitions(root);
    const where = positionOf(config, '2026-03-20T08:00:00Z', 2);
    const errors = definitions.problems.filter((problem) => problem.severity === 'error');
    assert.deepEqual(errors, [
      {
        file: '.reliability/config.yaml',
        line: 8,
        column: where.column,
        severity: 'error',
        message: 'policy.maintenance[0].end: expected a time after start (2026-03-20T08:00:00.000Z), got "2026-03-20T08:00:00Z"',
      },
    ]);
    assert.equal(where.line, 8);
    // The services and the SLO still load; the policy falls back to its defaults, and says so.
    assert.deepEqual(definitions.config.services.map((service) => service.name), ['checkout']);
    assert.equal(definitions.slos.length, 1);
    assert.equal(definitions.config.policy.maintenance, undefined);
    assert.ok(definitions.problems.some((problem) => problem.severity === 'warning' && /these sections use their defaults: policy/.test(problem.message)));
  });

  it('warns at a service name config.yaml does not declare, and still applies the window to the others', async () => {
    const config = yamlLines(
      'version: 1',
      'services:',
      '  - name: checkout',
      '    paths: ["checkout/**"]',
      'policy:',
      '  maintenance:',
      '    - start: 2026-03-20T08:00:00Z',
      '      end: 2026-03-20T09:00:00Z',
      '      services: [checkout, chekout]',
    );
    const root = buildWorkspace({ config, slos: { 'checkout.yaml': sloFile }, data: { 'data/checkout.csv': csv } });
    const definitions = await loadDefinitions(root);
    const where = positionOf(config, 'chekout');
    assert.deepEqual(definitions.problems, [
      {
        file: '.reliability/config.yaml',
        line: 9,
        column: where.column,
        severity: 'warning',
        message: 'policy.maintenance[0].services[1]: expected a service declared in config.yaml services (checkout), got "chekout"; the maintenance window is still loaded',
      },
    ]);
    const { reports } = await computeSloReports(root, definitions.config, definitions.slos, { now: NOW, allowRemote: false });
    assert.equal(reports[0].excludedTotal, 1000);
  });

  it('changes nothing when absent', async () => {
    const config = yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["checkout/**"]');
    const root = buildWorkspace({ config, slos: { 'checkout.yaml': sloFile }, data: { 'data/checkout.csv': csv } });
    const definitions = await loadDefinitions(root);
    assert.equal('maintenance' in definitions.config.policy, false);
    const { reports } = await computeSloReports(root, definitions.config, definitions.slos, { now: NOW, allowRemote: false });
    assert.equal(reports[0].total, 10000);
    assert.equal(reports[0].excludedTotal, undefined);
  });
});

import { strict as assert } from 'node:assert';
import {
  doraMetricLines,
  firstOwnedLine,
  formatBudgetGlance,
  formatChangeLensTitle,
  formatExhaustion,
  formatFileLensTitle,
  formatIncidentDuration,
  formatIncidentLabel,
  formatMergeMessage,
  formatMergeReport,
  formatProblemLocation,
  formatSloSummary,
  formatSourceState,
  isFileProblem,
  lensLine,
  ownsLine,
  problemPosition,
  trendOf,
} from '../../../src/views/format';
import { compareSloUrgency, worstSlo } from '../../../src/core/attention';
import { formatAlertRule } from '../../../src/core/format';
import { DAY, HOUR, NOW, sloReport } from '../builders/reportBuilders';
import { doraReport, fileChange, incidentView } from './viewBuilders';

const MINUTE = 60_000;

describe('view formatting: sentences over numbers that are not finite', () => {
  // The numbers themselves are test/unit/format.test.ts's (core/format.ts); here, the sentences.
  it('writes an alert rule with a dash for a threshold that is not finite', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.equal(formatAlertRule({ severity: 'page', long: '1h', short: '5m', threshold: bad }), 'page 1h/5m > —');
    }
  });

  it('keeps SLO, exhaustion and DORA texts readable over non-finite report numbers', () => {
    const broken = sloReport({
      name: 'a',
      service: 's',
      sli: Number.NaN,
      status: 'healthy',
      budget: { remaining: Number.NaN, consumed: Number.POSITIVE_INFINITY },
      exhaustionEta: Number.POSITIVE_INFINITY,
    });
    assert.equal(formatSloSummary(broken), '— · — budget left');
    assert.equal(formatExhaustion(broken, NOW), 'in — (—)');
    const lines = doraMetricLines(
      doraReport({ deploymentsPerWeek: Number.NaN, changeFailureRate: Number.POSITIVE_INFINITY, leadTimeSeconds: { median: Number.NaN, p90: null } }),
      doraReport(),
    );
    const byKey = Object.fromEntries(lines.map((line) => [line.key, line]));
    assert.equal(byKey.deploymentFrequency.description, '— · high');
    assert.equal(byKey.deploymentFrequency.trend, 'none');
    assert.equal(byKey.changeFailureRate.description, '— · medium');
    assert.equal(byKey.leadTime.description, '— · high');
  });
});

describe('view formatting: SLOs', () => {
  const checkout = sloReport({
    name: 'checkout-availability',
    service: 'checkout',
    sli: 0.99962,
    budget: { remaining: 0.62, consumed: 0.38 },
  });

  it('summarises an SLO node as SLI and budget left', () => {
    assert.equal(formatSloSummary(checkout), '99.962% · 62% budget left');
    assert.equal(
      formatSloSummary(sloReport({ name: 'a', service: 's', sli: 0.998, status: 'exhausted', budget: { remaining: -0.15, consumed: 1.15 } })),
      '99.8% · budget exhausted (-15%)',
    );
    assert.equal(formatSloSummary(sloReport({ name: 'a', service: 's', sli: null, status: 'no-data' })), 'no data');
    assert.equal(formatSloSummary(sloReport({ name: 'a', service: 's', error: 'prometheus: timeout' })), 'SLI unavailable');
    // The last good numbers, shown while the source fails.
    assert.equal(
      formatSloSummary(sloReport({ name: 'a', service: 's', error: 'prometheus: timeout', staleSince: 0, sli: 0.99962, budget: { remaining: 0.62, consumed: 0.38 } })),
      '99.962% · 62% budget left · stale',
    );
  });

  it('writes the status bar text with the service and its budget', () => {
    assert.equal(formatBudgetGlance(checkout), 'checkout 62% budget');
    assert.equal(formatBudgetGlance(sloReport({ name: 'a', service: 'search', sli: null, status: 'no-data' })), 'search no data');
  });

  it('ranks SLOs by status, then by budget left', () => {
    const healthy = sloReport({ name: 'h', service: 's', status: 'healthy', budget: { remaining: 0.1, consumed: 0.9 } });
    const warning = sloReport({ name: 'w', service: 's', status: 'warning', budget: { remaining: 0.2, consumed: 0.8 } });
    const critical = sloReport({ name: 'c', service: 's', status: 'critical', budget: { remaining: 0.7, consumed: 0.3 } });
    const lower = sloReport({ name: 'l', service: 's', status: 'warning', budget: { remaining: 0.05, consumed: 0.95 } });
    assert.equal(worstSlo([healthy, warning, critical])?.name, 'c');
    assert.equal(worstSlo([warning, lower])?.name, 'l');
    assert.ok(compareSloUrgency(warning, healthy) < 0);
    assert.equal(worstSlo([]), undefined);
  });

  it('explains time to exhaustion', () => {
    assert.equal(formatExhaustion(checkout, NOW), 'never at the current 1d burn rate');
    assert.equal(
      formatExhaustion({ ...checkout, exhaustionEta: NOW + 11 * DAY + 3 * HOUR }, NOW),
      'in 11d 3h (2026-12-01 15:00 UTC)',
    );
    assert.equal(formatExhaustion({ ...checkout, budget: { remaining: -0.1, consumed: 1.1 } }, NOW), 'exhausted now');
  });

  it('names an alert rule by severity, windows and threshold', () => {
    assert.equal(formatAlertRule({ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }), 'page 1h/5m > 14.4×');
    assert.equal(formatAlertRule({ severity: 'ticket', long: '3d', short: '6h', threshold: 1 }), 'ticket 3d/6h > 1×');
    // An OpenSLO alert condition: one lookback window, its own comparison, and where it came from.
    const condition = { policy: 'checkout-alerts', name: 'fast-burn', severity: 'critical' };
    assert.equal(formatAlertRule({ severity: 'page', long: '1h', short: '1h', threshold: 10, op: 'gte', condition }), 'page 1h ≥ 10× (checkout-alerts/fast-burn)');
  });
});

describe('view formatting: problems and sources', () => {
  it('tells file problems from source problems', () => {
    assert.equal(isFileProblem({ file: '.reliability/slos/checkout.yaml', line: 3, column: 5, severity: 'error', message: 'x' }), true);
    assert.equal(isFileProblem({ file: 'prometheus', line: 0, column: 0, severity: 'error', message: 'x' }), false);
  });

  it('locates a problem relative to .reliability/ and converts to 0-based positions', () => {
    const problem = { file: '.reliability/slos/checkout.yaml', line: 12, column: 5, severity: 'error' as const, message: 'x' };
    assert.equal(formatProblemLocation(problem), 'slos/checkout.yaml:12:5');
    assert.equal(formatProblemLocation({ ...problem, column: 0 }), 'slos/checkout.yaml:12');
    assert.equal(formatProblemLocation({ ...problem, line: 0, column: 0 }), 'slos/checkout.yaml');
    assert.deepEqual(problemPosition(problem), { line: 11, character: 4 });
    assert.deepEqual(problemPosition({ ...problem, line: 0, column: 0 }), { line: 0, character: 0 });
  });

  it('says what a source needs', () => {
    assert.equal(formatSourceState({ name: 'prometheus', host: 'prom.example.com', state: 'needs-token' }, NOW), 'prometheus (prom.example.com): needs a token');
    assert.equal(formatSourceState({ name: 'pagerduty', state: 'failing', message: 'HTTP 503' }, NOW), 'pagerduty: failing · HTTP 503');
    assert.equal(formatSourceState({ name: 'pagerduty', state: 'stale', lastSuccess: NOW - 2 * HOUR }, NOW), 'pagerduty: stale since 2 hours ago');
  });
});

describe('view formatting: incidents', () => {
  const open = incidentView({ id: 'INC-7', service: 'checkout', severity: 'SEV2', startedAt: NOW - 2 * HOUR - 15 * MINUTE });
  const resolved = incidentView({ id: 'INC-5', service: 'checkout', startedAt: NOW - 3 * DAY, resolvedAt: NOW - 3 * DAY + 90 * MINUTE });

  it('labels incidents by id, severity and service, with their duration', () => {
    assert.equal(formatIncidentLabel(open), 'INC-7 · SEV2 · checkout');
    assert.equal(formatIncidentDuration(open, NOW), 'open for 2h 15m');
    assert.equal(formatIncidentDuration(resolved, NOW), 'lasted 1h 30m');
  });

  it('says an incident resolved after the evaluation time is still open then', () => {
    // Started 2h 15m before NOW, resolved 1h after: at NOW it has been open 2h 15m.
    const later = incidentView({ id: 'INC-9', service: 'checkout', startedAt: NOW - 2 * HOUR - 15 * MINUTE, resolvedAt: NOW + HOUR });
    assert.equal(formatIncidentDuration(later, NOW), 'open for 2h 15m');
    // At NOW + 2h it is resolved, having lasted 3h 15m.
    assert.equal(formatIncidentDuration(later, NOW + 2 * HOUR), 'lasted 3h 15m');
  });
});

describe('view formatting: code lenses', () => {
  const severities = new Map([
    ['INC-5', 'SEV2' as const],
    ['INC-7', 'SEV3' as const],
  ]);

  it('summarises a file: changes and linked incidents', () => {
    const changes = [
      fileChange({ incidents: [{ id: 'INC-5', reason: 'root-cause' }] }),
      fileChange({ commit: 'b'.repeat(40), incidents: [{ id: 'INC-7', reason: 'fix' }, { id: 'INC-5', reason: 'deployment' }] }),
      fileChange({ commit: 'e'.repeat(40) }),
    ];
    assert.equal(formatFileLensTitle(changes), '3 recent changes · 2 incidents (INC-5, INC-7)');
    assert.equal(formatFileLensTitle([fileChange()]), '1 recent change · no incidents');
  });

  it('titles a commit lens with incident, reason, deployment and age', () => {
    assert.equal(
      formatChangeLensTitle(fileChange({ incidents: [{ id: 'INC-5', reason: 'root-cause' }] }), severities, NOW),
      'INC-5 · SEV2 · root cause · shipped v1.32.0 · 12 days ago',
    );
    assert.equal(formatChangeLensTitle(fileChange(), severities, NOW), 'shipped v1.32.0 · 12 days ago');
    assert.equal(formatChangeLensTitle(fileChange({ deployment: null, time: NOW - 3 * DAY }), severities, NOW), 'not yet deployed · 3 days ago');
    assert.equal(
      formatChangeLensTitle(fileChange({ incidents: [{ id: 'INC-7', reason: 'fix' }, { id: 'INC-9', reason: 'deployment' }] }), severities, NOW),
      'INC-7 · SEV3 · fix, INC-9 · shipped in its deployment · shipped v1.32.0 · 12 days ago',
    );
  });

  it('puts the lens on the first line a commit owns and knows which lines it owns', () => {
    const change = fileChange({ lines: [[40, 42], [10, 24]] });
    assert.equal(firstOwnedLine(change), 10);
    assert.equal(firstOwnedLine(fileChange({ lines: [] })), undefined);
    assert.equal(ownsLine(change, 41), true);
    assert.equal(ownsLine(change, 30), false);
  });

  it('skips blank lines a commit owns when placing its lens', () => {
    const text = ['', '  ', 'export function pay() {', '}'];
    const lineText = (line: number) => text[line - 1];
    assert.equal(lensLine(fileChange({ lines: [[1, 4]] }), lineText), 3);
    assert.equal(lensLine(fileChange({ lines: [[1, 2]] }), lineText), 1);
    assert.equal(lensLine(fileChange({ lines: [[9, 12]] }), lineText), 9);
  });
});

describe('view formatting: DORA and merge check', () => {
  it('shows each metric with tier and a trend arrow, judged better or worse', () => {
    const lines = doraMetricLines(doraReport(), doraReport({ deploymentsPerWeek: 1.5, changeFailureRate: 0.08, leadTimeSeconds: { median: 86_400, p90: null } }));
    const byKey = Object.fromEntries(lines.map((line) => [line.key, line]));
    assert.equal(byKey.deploymentFrequency.description, '1.94/week · high ↑');
    assert.equal(byKey.deploymentFrequency.direction, 'better');
    assert.equal(byKey.changeFailureRate.description, '12% · medium ↑');
    assert.equal(byKey.changeFailureRate.direction, 'worse');
    assert.equal(byKey.leadTime.description, '1d · high →');
    assert.equal(byKey.failedDeploymentRecovery.description, '2h · high →');
    assert.equal(byKey.timeToRestore.description, '1h →');
    assert.equal(byKey.reworkRate.description, '8% →');
  });

  it('has no trend without a previous period or value', () => {
    const [frequency] = doraMetricLines(doraReport(), null);
    assert.equal(frequency.description, '1.94/week · high');
    assert.equal(frequency.direction, 'unknown');
    assert.equal(trendOf(null, 3), 'none');
    const recovery = doraMetricLines(doraReport({ failedDeploymentRecoverySeconds: { median: null }, tiers: { ...doraReport().tiers, failedDeploymentRecovery: null } }), null)[3];
    assert.equal(recovery.description, 'no data');
  });

  it('starts the merge notification with the verdict', () => {
    assert.equal(
      formatMergeMessage({ verdict: 'freeze', services: ['checkout'], reasons: ['SLO checkout-availability is critical', 'INC-7 is open'], findings: [] }),
      'Can I merge: FREEZE · SLO checkout-availability is critical',
    );
    assert.equal(formatMergeMessage({ verdict: 'go', services: [], reasons: [], findings: [] }), 'Can I merge: GO · the change touches no configured service');
    assert.deepEqual(formatMergeReport({ verdict: 'caution', services: ['search'], reasons: ['INC-8 is open'], findings: [] }, 'shop', 'main'), [
      'Can I merge (shop, compared with main): CAUTION',
      '  services: search',
      '  - INC-8 is open',
    ]);
  });
});

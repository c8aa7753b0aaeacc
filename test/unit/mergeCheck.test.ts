import { strict as assert } from 'node:assert';
import { decideMerge } from '../../src/core/mergeCheck';
import type { Commit } from '../../src/core/model';
import { DAY, HOUR, NOW, defaultPolicy, incident, sloReport } from './builders/reportBuilders';

function commit(sha: string, subject: string, body = ''): Commit {
  return { sha: sha.repeat(40), time: NOW - HOUR, parents: [], subject, body };
}

const feature = commit('a', 'Add a faster cart');

function check(overrides: Partial<Parameters<typeof decideMerge>[0]>) {
  return decideMerge({ services: ['checkout'], sloReports: [], incidents: [], commits: [feature], policy: defaultPolicy, now: NOW, ...overrides });
}

describe('merge check (DOMAIN.md section 4)', () => {
  it('says go when the services are healthy, listing each SLO with its budget', () => {
    const result = check({ sloReports: [sloReport({ name: 'checkout-availability', service: 'checkout', budget: { remaining: 0.62, consumed: 0.38 } })] });
    assert.equal(result.verdict, 'go');
    assert.deepEqual(result.reasons, ['SLO checkout-availability is healthy (budget remaining 62%)']);
  });

  it('freezes when an SLO of the touched services is exhausted or critical', () => {
    for (const status of ['exhausted', 'critical'] as const) {
      const result = check({ sloReports: [sloReport({ name: 'checkout-availability', service: 'checkout', status, budget: { remaining: -0.12, consumed: 1.12 } })] });
      assert.equal(result.verdict, 'freeze', status);
      assert.match(result.reasons[0], new RegExp(`SLO checkout-availability \\(checkout\\) is ${status}: .*budget remaining -12%`));
    }
  });

  it('names the firing alert and burn rates in a critical reason', () => {
    const slo = sloReport({
      name: 'checkout-availability',
      service: 'checkout',
      status: 'critical',
      alerts: [{ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }],
      burnRates: { '5m': 20, '30m': 18, '1h': 16.2, '2h': 8, '6h': 3, '1d': 1.25, '3d': 0.5 },
    });
    const [reason] = check({ sloReports: [slo] }).reasons;
    // Burn rates read as in the editor: one decimal from 10 up (16.2×), two below (1.25×).
    assert.match(reason, /burn 1h 16\.2×, 1d 1\.25×/);
    assert.match(reason, /page 1h\/5m > 14\.4× alert/);
    // The default report's SLI 0.9995 against 0.999: 99.95% against 99.9%, truncated, zeros dropped.
    assert.match(reason, /is critical: SLI 99\.95% against 99\.9%, budget remaining 50%, /);
  });

  it('never reads a near-perfect SLI as 100% in a reason (one formatting with the editor)', () => {
    // 0.9999996 is 99.99996%: truncated to three decimals, 99.999%.
    const slo = sloReport({ name: 'checkout-availability', service: 'checkout', status: 'warning', sli: 0.9999996, objective: 0.99999 });
    assert.match(check({ sloReports: [slo] }).reasons[0], /SLI 99\.999% against 99\.999%/);
  });

  it('says how long an incident is open in hours and minutes', () => {
    const longer = incident({ id: 'INC-3', service: 'checkout', severity: 'SEV3', startedAt: NOW - 2 * DAY - 3 * HOUR - 30 * 60_000 });
    // 2 days 3 hours 30 minutes: the two largest units, `2d 3h`.
    assert.match(check({ incidents: [longer] }).reasons[0], /is open for 2d 3h: /);
    const shorter = incident({ id: 'INC-3', service: 'checkout', severity: 'SEV3', startedAt: NOW - 90 * 60_000 });
    assert.match(check({ incidents: [shorter] }).reasons[0], /is open for 1h 30m: /);
  });

  it('ignores SLOs and incidents of services the change does not touch', () => {
    const result = check({
      sloReports: [sloReport({ name: 'search-availability', service: 'search', status: 'exhausted' })],
      incidents: [incident({ id: 'INC-9', service: 'search', severity: 'SEV1' })],
    });
    assert.equal(result.verdict, 'go');
  });

  it('freezes on an open incident at or above the freeze severity, and cautions below it', () => {
    assert.equal(check({ incidents: [incident({ id: 'INC-1', service: 'checkout', severity: 'SEV1' })] }).verdict, 'freeze');
    assert.equal(check({ incidents: [incident({ id: 'INC-2', service: 'checkout', severity: 'SEV2' })] }).verdict, 'freeze');
    const sev3 = check({ incidents: [incident({ id: 'INC-3', service: 'checkout', severity: 'SEV3' })] });
    assert.equal(sev3.verdict, 'caution');
    assert.match(sev3.reasons[0], /^incident INC-3 \(SEV3, checkout\) is open for 2h: Incident INC-3$/);
    const strictPolicy = check({ incidents: [incident({ id: 'INC-3', service: 'checkout', severity: 'SEV3' })], policy: { ...defaultPolicy, freezeSeverity: 'SEV3' } });
    assert.equal(strictPolicy.verdict, 'freeze');
  });

  it('does not count resolved incidents, nor incidents that start after now', () => {
    const resolved = incident({ id: 'INC-4', service: 'checkout', severity: 'SEV1', resolvedAt: NOW - HOUR });
    const resolvedLater = incident({ id: 'INC-6', service: 'checkout', severity: 'SEV3', resolvedAt: NOW + HOUR });
    const future = incident({ id: 'INC-5', service: 'checkout', severity: 'SEV1', startedAt: NOW + DAY });
    assert.equal(check({ incidents: [resolved, future] }).verdict, 'go');
    // Resolved after the evaluation time: still open as of now.
    assert.equal(check({ incidents: [resolvedLater] }).verdict, 'caution');
  });

  it('cautions on a warning SLO', () => {
    const result = check({ sloReports: [sloReport({ name: 'checkout-availability', service: 'checkout', status: 'warning', budget: { remaining: 0.2, consumed: 0.8 } })] });
    assert.equal(result.verdict, 'caution');
    assert.match(result.reasons[0], /is warning: .*budget remaining 20%/);
  });

  it('exempts a change whose every commit names an open incident on the services, or is a revert', () => {
    const open = incident({ id: 'INC-7', service: 'checkout', severity: 'SEV2' });
    const fix = commit('b', 'Retry with backoff (INC-7)', '');
    const revert = commit('c', 'Revert "Add a faster cart"', 'This reverts commit aaaaaaa.');
    const result = check({ incidents: [open], commits: [fix, revert] });
    assert.equal(result.verdict, 'go');
    assert.equal(result.reasons[0], 'exempt: fixes INC-7');
    assert.match(result.reasons[1], /incident INC-7/);
    assert.deepEqual(result.exemptFor, ['INC-7']);
  });

  it('does not exempt a change with one ordinary commit among fixes', () => {
    const open = incident({ id: 'INC-7', service: 'checkout', severity: 'SEV2' });
    const fix = commit('b', 'Fix INC-7', '');
    assert.equal(check({ incidents: [open], commits: [fix, feature] }).verdict, 'freeze');
  });

  it('does not exempt a fix naming an incident of another service, nor an empty change', () => {
    const open = incident({ id: 'INC-7', service: 'checkout', severity: 'SEV1' });
    const other = incident({ id: 'INC-8', service: 'search', severity: 'SEV3' });
    const wrongFix = commit('d', 'Fix INC-8', '');
    assert.equal(check({ incidents: [open, other], commits: [wrongFix] }).verdict, 'freeze');
    assert.equal(check({ incidents: [open], commits: [] }).verdict, 'freeze');
  });

  it('lets pure reverts through a freeze caused by an exhausted budget', () => {
    const revert = commit('c', 'Revert "Add a faster cart"', '');
    const result = check({ sloReports: [sloReport({ name: 'x', service: 'checkout', status: 'exhausted' })], commits: [revert] });
    assert.equal(result.verdict, 'go');
    assert.equal(result.reasons[0], 'exempt: every commit is a revert');
  });

  it('says go with a reason when the change touches no service', () => {
    assert.deepEqual(check({ services: [] }), { verdict: 'go', services: [], reasons: ['the change touches no configured service'], findings: [] });
  });

  it("keeps the change's own cautions when it touches no service: an edit of .reliability/ alone is never a silent go", () => {
    const edited = 'the change edits .reliability/config.yaml: the check judges by origin/main\'s copy';
    assert.deepEqual(check({ services: [], changeCautions: [edited] }), {
      verdict: 'caution',
      services: [],
      reasons: [edited, 'the change touches no configured service'],
      findings: [{ effect: 'caution', service: null, subject: { kind: 'change' }, reason: edited }],
    });
  });

  it('places each reason as a finding: its effect, service and subject, freezes first', () => {
    const result = check({
      services: ['checkout', 'search'],
      sloReports: [
        sloReport({ name: 'search-latency', service: 'search', status: 'warning' }),
        sloReport({ name: 'checkout-availability', service: 'checkout', status: 'critical' }),
      ],
      incidents: [incident({ id: 'INC-9', service: 'search', severity: 'SEV1' })],
      incidentSources: [{ name: 'pagerduty', state: 'failing', message: 'HTTP 500' }],
    });
    assert.equal(result.verdict, 'freeze');
    assert.deepEqual(
      result.findings.map((f) => [f.effect, f.service, f.subject]),
      [
        ['freeze', 'checkout', { kind: 'slo', slo: 'checkout-availability' }],
        ['freeze', 'search', { kind: 'incident', incident: 'INC-9' }],
        ['caution', 'search', { kind: 'slo', slo: 'search-latency' }],
        ['caution', null, { kind: 'source', source: 'pagerduty' }],
      ],
    );
    assert.deepEqual(result.reasons, result.findings.map((f) => f.reason));
  });

  it('finds incident ids in commit messages as whole words only', () => {
    const open = incident({ id: 'INC-7', service: 'checkout', severity: 'SEV1' });
    assert.equal(check({ incidents: [open], commits: [commit('e', 'Tune pool size', 'Part of INC-70.')] }).verdict, 'freeze');
    assert.equal(check({ incidents: [open], commits: [commit('e', 'Tune pool size', 'Mitigates INC-7.')] }).verdict, 'go');
  });

  describe('never a silent go on data it could not read (issue 12)', () => {
    it('cautions, with the reason, when an SLO\'s numbers are not finite, and never reads a status from them', () => {
      const overflowing = sloReport({ name: 'checkout-availability', service: 'checkout', status: 'healthy', good: Infinity, total: Infinity, sli: NaN, budget: { remaining: NaN, consumed: NaN } });
      const result = check({ sloReports: [overflowing] });
      assert.equal(result.verdict, 'caution');
      assert.deepEqual(result.reasons, ['SLO checkout-availability (checkout) cannot be evaluated: its numbers are not finite']);
      assert.ok(!result.reasons.join(' ').includes('NaN'));
    });

    it('still freezes on an objective of 1 spent at an infinite rate: Infinity there is a number, not an error', () => {
      const perfect = sloReport({ name: 'ledger-integrity', service: 'checkout', objective: 1, status: 'exhausted', sli: 0.9999, budget: { remaining: -Infinity, consumed: Infinity } });
      assert.equal(check({ sloReports: [perfect] }).verdict, 'freeze');
    });

    it('cautions when an SLO could not be read, and still freezes on the last good numbers it shows', () => {
      const unread = sloReport({ name: 'checkout-latency', service: 'checkout', status: 'no-data', sli: null, good: 0, total: 0, error: 'Prometheus at 127.0.0.1:9 refused the connection' });
      const noData = check({ sloReports: [unread] });
      assert.equal(noData.verdict, 'caution');
      assert.deepEqual(noData.reasons, ['SLO checkout-latency (checkout) could not be read (no numbers): Prometheus at 127.0.0.1:9 refused the connection']);

      const stale = sloReport({ name: 'checkout-availability', service: 'checkout', status: 'exhausted', budget: { remaining: -0.1, consumed: 1.1 }, error: 'Prometheus timed out', staleSince: NOW - HOUR });
      const frozen = check({ sloReports: [stale] });
      assert.equal(frozen.verdict, 'freeze');
      assert.equal(frozen.reasons[1], 'SLO checkout-availability (checkout) could not be read (last good numbers from 2026-11-20T11:00:00.000Z): Prometheus timed out');
    });

    it('cautions when an incident source failed or lacks its token, naming it; an ok or switched-off source changes nothing', () => {
      const failing = check({
        incidentSources: [
          { name: 'pagerduty', host: 'api.pagerduty.com', state: 'failing', message: 'incident P1 has an invalid created_at' },
          { name: 'opsgenie', state: 'needs-token', message: 'Opsgenie needs a token' },
          { name: 'alertmanager', state: 'ok' },
          { name: 'remote', state: 'disabled', message: 'remote sources are off' },
        ],
      });
      assert.equal(failing.verdict, 'caution');
      assert.deepEqual(failing.reasons, [
        'incident source pagerduty at api.pagerduty.com is failing, so open incidents there are unknown: incident P1 has an invalid created_at',
        'incident source opsgenie is missing its token, so open incidents there are unknown: Opsgenie needs a token',
      ]);
      assert.equal(check({ incidentSources: [{ name: 'alertmanager', state: 'ok' }] }).verdict, 'go');
    });

    it('still freezes on a valid open SEV1 from a source that also sent an invalid record', () => {
      const result = check({
        incidents: [incident({ id: 'PD-1', service: 'checkout', severity: 'SEV1', source: 'pagerduty' })],
        incidentSources: [{ name: 'pagerduty', state: 'failing', message: 'one record has an invalid created_at' }],
      });
      assert.equal(result.verdict, 'freeze');
      assert.match(result.reasons[1], /^incident source pagerduty is failing/);
    });
  });
});

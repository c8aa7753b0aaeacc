// Which recent change carries a reliability signal (core/changeSignal.ts): linked to an incident for
// any reason of DOMAIN.md section 4, or shipped by a deployment of the file's service that degraded
// one of its SLOs (section 6). The
// changes are linked by core/linking.ts from hand-made commits, and the expectations worked out by
// hand from DOMAIN.md's words, commit by commit.
import { strict as assert } from 'node:assert';
import { changeSignal, degradedDeployments } from '../../src/core/changeSignal';
import type { DeploymentImpact, ImpactVerdict } from '../../src/core/deploymentImpact';
import { linkFileChanges, type FileCommit } from '../../src/core/linking';
import { incident } from './builders/reportBuilders';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const sha = (n: number) => String(n).padStart(2, '0').repeat(20);

function commit(n: number, subject: string): FileCommit {
  return { sha: sha(n), parents: [], time: NOW - n * DAY, subject, body: '' };
}

function impact(deployment: string, service: string, verdicts: Record<string, ImpactVerdict>): DeploymentImpact {
  const entries = Object.entries(verdicts).map(([slo, verdict]) => ({ slo, before: 0.1, after1h: 5, after: 3, budgetSpent: 0.1, verdict }));
  const degraded = entries.some((entry) => entry.verdict === 'degraded');
  return { deployment, service, time: NOW - 5 * DAY, afterEnd: NOW - 5 * DAY + 6 * 3_600_000, impact: entries, verdict: degraded ? 'degraded' : 'ok', incidents: [], suspect: degraded };
}

describe('core/changeSignal', () => {
  // services/checkout/pay.ts belongs to checkout. Deployments: v1 (INC-3 of checkout and INC-4 of
  // accounts are linked to it), v2 (degraded checkout-availability, no incident: a suspect), v3 (ok),
  // v4 (degraded accounts-latency only, a release of every service), v5 (no data).
  const incidents = [
    incident({ id: 'INC-1', service: 'checkout', commits: [sha(1).slice(0, 8)] }),
    incident({ id: 'INC-2', service: 'checkout' }),
    incident({ id: 'INC-3', service: 'checkout' }),
    incident({ id: 'INC-4', service: 'accounts' }),
    incident({ id: 'INC-9', service: 'search', files: ['services/checkout/pay.ts'] }),
  ];
  // Undeployed commits are not in the lookup.
  const shippedBy = new Map<string, string>([
    [sha(1), 'v3'],
    [sha(2), 'v3'],
    [sha(3), 'v1'],
    [sha(4), 'v2'],
    [sha(5), 'v3'],
    [sha(7), 'v4'],
    [sha(8), 'v5'],
  ]);
  const changes = linkFileChanges({
    file: 'services/checkout/pay.ts',
    fileServices: ['checkout'],
    recentCommits: [
      commit(1, 'Retry payments'), // root cause of INC-1 (it lists the commit); INC-9 lists the file
      commit(2, 'Guard nulls (INC-2)'), // fix of INC-2 (names it)
      commit(3, 'Tidy logging'), // shipped by v1, which INC-3 (checkout) and INC-4 (accounts) are linked to
      commit(4, 'Speed up caching'), // shipped by v2, which degraded checkout-availability
      commit(5, 'Harden timeouts'), // shipped by v3: ok, no incident
      commit(6, 'Batch authorisations'), // not deployed yet
      commit(7, 'Extend metrics'), // shipped by v4, which degraded an accounts SLO
      commit(8, 'Simplify parsing'), // shipped by v5: no data
    ],
    blameRanges: new Map(),
    shippedBy,
    incidents,
    incidentDeployments: new Map([
      ['INC-3', 'v1'],
      ['INC-4', 'v1'],
    ]),
  });
  const impacts = [
    impact('v5', 'checkout', { 'checkout-availability': 'no-data' }),
    impact('v4', 'checkout', { 'checkout-availability': 'ok' }),
    impact('v4', 'accounts', { 'accounts-latency': 'degraded', 'accounts-availability': 'ok' }),
    impact('v3', 'checkout', { 'checkout-availability': 'ok', 'checkout-latency': 'ok' }),
    impact('v2', 'checkout', { 'checkout-availability': 'degraded', 'checkout-latency': 'ok' }),
    impact('v1', 'checkout', { 'checkout-availability': 'ok' }),
  ];
  const degraded = degradedDeployments(impacts, ['checkout']);

  it("names the deployments of the file's services that degraded one of their SLOs, with those SLOs", () => {
    // v4 deployed checkout and accounts: as checkout's deployment it went well (section 6 is per service).
    assert.deepEqual([...degraded], [['v2', ['checkout-availability']]]);
    assert.deepEqual([...degradedDeployments(impacts, ['accounts'])], [['v4', ['accounts-latency']]]);
    assert.deepEqual([...degradedDeployments(impacts, ['accounts', 'checkout'])], [
      ['v4', ['accounts-latency']],
      ['v2', ['checkout-availability']],
    ]);
    assert.deepEqual([...degradedDeployments(impacts, [])], [], 'a file of no service');
  });

  it('gives every change its signal by the linking rules and the impact verdicts', () => {
    const signals = changes.map((change) => changeSignal(change, degraded));
    assert.deepEqual(signals, [
      // root-cause twice: INC-1 lists the commit, INC-9 lists the file (whatever its service).
      { incidents: ['INC-1', 'INC-9'], degradedSlos: [] },
      // fix: the message names INC-2; INC-9 lists the file.
      { incidents: ['INC-2', 'INC-9'], degradedSlos: [] },
      // deployment: v1 shipped it and INC-3 of checkout is linked to v1; INC-4 is accounts', not this file's.
      { incidents: ['INC-3', 'INC-9'], degradedSlos: [] },
      // a suspect shipped it: no incident but for the file's own INC-9, and checkout-availability degraded.
      { incidents: ['INC-9'], degradedSlos: ['checkout-availability'] },
      { incidents: ['INC-9'], degradedSlos: [] },
      { incidents: ['INC-9'], degradedSlos: [] },
      // v4 degraded only accounts' SLO: nothing for a checkout file.
      { incidents: ['INC-9'], degradedSlos: [] },
      { incidents: ['INC-9'], degradedSlos: [] },
    ]);
  });

  it('leaves an ordinary change without a signal: not linked, and shipped by no degraded deployment', () => {
    // Without INC-9 (which lists the whole file) only the changes with a reason of their own remain.
    const withoutFileIncident = changes.map((change) => ({ ...change, incidents: change.incidents.filter((link) => link.id !== 'INC-9') }));
    const carrying = withoutFileIncident.filter((change) => changeSignal(change, degraded) !== null).map((change) => change.subject);
    assert.deepEqual(carrying, ['Retry payments', 'Guard nulls (INC-2)', 'Tidy logging', 'Speed up caching']);
    assert.equal(changeSignal({ incidents: [], deployment: null }, degraded), null, 'an undeployed change with no incident');
    assert.equal(changeSignal({ incidents: [], deployment: 'v3' }, degraded), null, 'a change an ok deployment shipped');
    assert.equal(changeSignal({ incidents: [], deployment: 'v5' }, degraded), null, 'a change a deployment without data shipped');
    assert.equal(changeSignal({ incidents: [], deployment: 'v4' }, degraded), null, "a change a release shipped that degraded another service's SLO");
  });

  it('lists each degraded SLO once when several services of a release degraded it', () => {
    const twice = degradedDeployments(
      [impact('v9', 'checkout', { shared: 'degraded', 'checkout-availability': 'degraded' }), impact('v9', 'search', { shared: 'degraded' })],
      ['checkout', 'search'],
    );
    assert.deepEqual(twice.get('v9'), ['shared', 'checkout-availability']);
    assert.deepEqual([...degradedDeployments(undefined, ['checkout'])], []);
  });
});

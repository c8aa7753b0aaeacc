import { strict as assert } from 'node:assert';
import {
  CommitPrefixIndex,
  computeDelivery,
  deploymentTagPatterns,
  deploymentsFromTags,
  tagPatternMatcher,
} from '../../src/core/deployments';
import type { GitTag } from '../../src/core/deployments';
import { computeDora } from '../../src/core/dora';
import { linkIncidentsToDeployments } from '../../src/core/dora/linkedIncidents';
import { isRevert } from '../../src/core/dora/rework';
import { isoWeekStart } from '../../src/core/dora/weeklyTrend';
import type { Commit, Deployment, Incident } from '../../src/core/model';
import { readTagDeployments } from '../../src/sources/git/history';
import { readWholeHistory } from './builders/wholeHistory';
import { GitRepoBuilder } from './builders/gitRepoBuilder';

const t = (iso: string) => Date.parse(iso);

function commit(sha: string, at: string, subject = `change ${sha}`, body = '', parents: string[] = []): Commit {
  return { sha, time: t(at), parents, subject, body };
}

function deployment(name: string, at: string, commitSha = name, services: string[] = []): Deployment {
  return { name, commit: commitSha, time: t(at), services, source: 'git-tags' };
}

function incident(overrides: Partial<Incident> & { id: string; startedAt: number }): Incident {
  return { title: 'outage', severity: 'SEV2', service: 'checkout', resolvedAt: null, commits: [], files: [], source: 'file', ...overrides };
}

describe('core/deployments', () => {
  it('matches tag globs against the whole tag name', () => {
    const v = tagPatternMatcher('v*');
    assert.ok(v.test('v1.2.3'));
    assert.ok(v.test('v1/hotfix'));
    assert.ok(!v.test('xv1'));
    const dotted = tagPatternMatcher('release-?.[0-9]*');
    assert.ok(dotted.test('release-4.2'));
    assert.ok(!dotted.test('release-4x2'));
    assert.ok(!dotted.test('release-4.x'));
    const negated = tagPatternMatcher('rc[!0-9]');
    assert.ok(negated.test('rcx'));
    assert.ok(!negated.test('rc1'));
    assert.ok(tagPatternMatcher('checkout/v(1)+').test('checkout/v(1)+'));
  });

  it('deploys every service without its own pattern from workspace tags, and the others only from theirs', () => {
    const tags: GitTag[] = [
      { name: 'v1', commit: 'c1', time: t('2026-01-01T00:00:00Z'), annotated: true },
      { name: 'checkout/v1', commit: 'c2', time: t('2026-01-02T00:00:00Z'), annotated: false },
      { name: 'nightly', commit: 'c3', time: t('2026-01-03T00:00:00Z'), annotated: false },
      { name: 'v2', commit: 'c4', time: t('2026-01-09T00:00:00Z'), annotated: true },
    ];
    const services = [
      { name: 'checkout', paths: ['services/checkout/**'], tagPattern: 'checkout/v*' },
      { name: 'search', paths: ['services/search/**'] },
      { name: 'web', paths: ['web/**'] },
    ];
    const deployments = deploymentsFromTags(tags, { tagPattern: 'v*', services, now: t('2026-01-05T00:00:00Z') });
    assert.deepEqual(
      deployments.map((d) => [d.name, d.services]),
      [
        ['v1', ['search', 'web']],
        ['checkout/v1', ['checkout']],
      ],
    );
    assert.deepEqual(deploymentTagPatterns('v*', services), ['v*', 'checkout/v*']);
    assert.deepEqual(deploymentTagPatterns('v*', [services[0]]), ['checkout/v*']);
    assert.deepEqual(
      deploymentsFromTags(tags, { tagPattern: 'v*', services: [], now: t('2026-02-01T00:00:00Z') }).map((d) => [d.name, d.services]),
      [
        ['v1', []],
        ['v2', []],
      ],
    );
  });

  it('computes changes per service lane; the earliest deployment of a service contributes none', () => {
    const commits = new Map(
      [
        commit('c1', '2026-01-01T00:00:00Z'),
        commit('c2', '2026-01-02T00:00:00Z', undefined, '', ['c1']),
        commit('c3', '2026-01-03T00:00:00Z', undefined, '', ['c2']),
        commit('c4', '2026-01-04T00:00:00Z', undefined, '', ['c3']),
      ].map((c) => [c.sha, c]),
    );
    const delivery = computeDelivery(
      [
        deployment('checkout/v2', '2026-01-04T12:00:00Z', 'c4', ['checkout']),
        deployment('v1', '2026-01-01T12:00:00Z', 'c1', ['search']),
        deployment('checkout/v1', '2026-01-02T12:00:00Z', 'c2', ['checkout']),
        deployment('v2', '2026-01-03T12:00:00Z', 'c3', ['search']),
        deployment('v3', '2026-01-09T00:00:00Z', 'c4', ['search']),
      ],
      commits,
      t('2026-01-05T00:00:00Z'),
    );
    assert.deepEqual(
      delivery.deployments.map((d) => d.name),
      ['v1', 'checkout/v1', 'v2', 'checkout/v2'],
    );
    assert.deepEqual(Object.fromEntries(delivery.changesByDeployment), {
      v1: [],
      'checkout/v1': [],
      v2: ['c3', 'c2'],
      'checkout/v2': ['c4', 'c3'],
    });
    assert.deepEqual(Object.fromEntries(delivery.shippedBy), { c1: 'v1', c2: 'checkout/v1', c3: 'v2', c4: 'checkout/v2' });
  });

  it('resolves commit prefixes of 7+ hex characters, refusing ambiguous and short ones', () => {
    const index = new CommitPrefixIndex(new Set(['abcdef1000000000000000000000000000000000', 'abcdef2000000000000000000000000000000000', '1234567890123456789012345678901234567890']));
    assert.equal(index.resolve('ABCDEF1'), 'abcdef1000000000000000000000000000000000');
    assert.equal(index.resolve('abcdef'), null);
    assert.equal(index.resolve('abcdef0'), null);
    assert.equal(index.resolve('1234567'), '1234567890123456789012345678901234567890');
    assert.equal(index.resolve('1234567890123456789012345678901234567890'), '1234567890123456789012345678901234567890');
    const ambiguous = new CommitPrefixIndex(new Set(['abcdef1000000000000000000000000000000000', 'abcdef1200000000000000000000000000000000']));
    assert.equal(ambiguous.resolve('abcdef1'), null);
    assert.equal(ambiguous.resolve('abcdef12'), 'abcdef1200000000000000000000000000000000');
  });

  describe('over a repository with maintained release branches', () => {
    let repo: GitRepoBuilder;
    const shas: Record<string, string> = {};

    before(() => {
      repo = GitRepoBuilder.create();
      shas.c1 = repo.commit({ at: '2026-01-01T00:00:00Z', message: 'c1', files: { 'app.ts': '1\n' } });
      repo.tag('v4.0.0', { annotatedAt: '2026-01-02T00:00:00Z' });
      repo.branch('release-4');
      shas.c2 = repo.commit({ at: '2026-01-03T00:00:00Z', message: 'c2', files: { 'app.ts': '2\n' } });
      shas.c3 = repo.commit({ at: '2026-01-04T00:00:00Z', message: 'c3', files: { 'new.ts': '3\n' } });
      repo.tag('v5.0.0');
      repo.checkout('release-4');
      shas.c4 = repo.commit({ at: '2026-01-05T00:00:00Z', message: 'c4 fix on 4.x', files: { 'fix.ts': '4\n' } });
      repo.tag('v4.0.1', { annotatedAt: '2026-01-06T00:00:00Z' });
      repo.checkout('main');
      shas.m1 = repo.merge('release-4', { at: '2026-01-07T00:00:00Z', message: 'merge release-4' });
      shas.c5 = repo.commit({ at: '2026-01-08T00:00:00Z', message: 'c5', files: { 'app.ts': '5\n' } });
      repo.tag('v5.1.0', { annotatedAt: '2026-01-09T00:00:00Z' });
      repo.commit({ at: '2026-01-10T00:00:00Z', message: 'c6 not tagged', files: { 'app.ts': '6\n' } });
      repo.tag('v5.2.0', { annotatedAt: '2026-02-01T00:00:00Z' });
    });
    after(() => repo.remove());

    it('counts each commit once, in the deployment that first shipped it', async () => {
      const { deployments } = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now: t('2026-01-20T00:00:00Z') });
      const history = readWholeHistory(repo.root);
      const delivery = computeDelivery(deployments, history.commits, t('2026-01-20T00:00:00Z'));
      const named = (list: string[]) => list.map((sha) => Object.keys(shas).find((key) => shas[key] === sha));
      assert.deepEqual(
        delivery.deployments.map((d) => [d.name, d.time]),
        [
          ['v4.0.0', t('2026-01-02T00:00:00Z')],
          ['v5.0.0', t('2026-01-04T00:00:00Z')],
          ['v4.0.1', t('2026-01-06T00:00:00Z')],
          ['v5.1.0', t('2026-01-09T00:00:00Z')],
        ],
      );
      assert.deepEqual(
        Object.fromEntries([...delivery.changesByDeployment].map(([name, list]) => [name, named(list)])),
        { 'v4.0.0': [], 'v5.0.0': ['c3', 'c2'], 'v4.0.1': ['c4'], 'v5.1.0': ['c5', 'm1'] },
      );
      assert.deepEqual(
        Object.fromEntries([...delivery.shippedBy].map(([sha, name]) => [named([sha])[0], name])),
        { c1: 'v4.0.0', c2: 'v5.0.0', c3: 'v5.0.0', c4: 'v4.0.1', m1: 'v5.1.0', c5: 'v5.1.0' },
      );

      const dora = computeDora({
        deployments: delivery.deployments,
        changesByDeployment: delivery.changesByDeployment,
        commits: history.commits,
        shippedBy: delivery.shippedBy,
        incidents: [],
        now: t('2026-01-20T00:00:00Z'),
      });
      assert.equal(dora.deployments, 4);
      // Leads: c2 1d, c3 0 (dropped: tagged lightweight at its own commit time), c4 1d, m1 2d, c5 1d.
      assert.deepEqual(dora.leadTimeSeconds, { median: 86400, p90: 172800 });
    });

    it('ships the untagged tip with nothing and a later tag once now passes it', async () => {
      const history = readWholeHistory(repo.root);
      const later = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now: t('2026-02-01T00:00:00Z') });
      const delivery = computeDelivery(later.deployments, history.commits, t('2026-02-01T00:00:00Z'));
      assert.deepEqual(delivery.changesByDeployment.get('v5.2.0'), [history.head]);
    });
  });
});

describe('core/dora', () => {
  const now = t('2026-04-01T00:00:00Z');
  const commits = new Map(
    [
      commit('c0aaaaaaaa', '2025-12-30T00:00:00Z'),
      commit('c2aaaaaaaa', '2026-01-08T23:00:00Z', 'bump INC-20 config'),
      commit('c2bbbbbbbb', '2026-01-10T00:00:00Z'),
      commit('c3aaaaaaaa', '2026-01-31T12:00:00Z'),
      commit('c3bbbbbbbb', '2026-01-30T00:00:00Z', 'Revert "add cache"', 'This reverts commit 1234567.'),
      commit('c4aaaaaaaa', '2026-02-28T00:00:00Z', 'retry payments', 'Fixes INC-2.'),
      commit('c4bbbbbbbb', '2026-02-20T00:00:00Z', 'new pricing'),
      commit('c5aaaaaaaa', '2026-03-19T18:00:00Z'),
      commit('c6aaaaaaaa', '2026-04-01T12:00:00Z'),
    ].map((c) => [c.sha, c]),
  );
  const deployments = [
    deployment('d0', '2025-12-31T00:00:00Z'),
    deployment('d1', '2026-01-01T00:00:00Z'),
    deployment('d2', '2026-01-10T00:00:00Z'),
    deployment('d3', '2026-02-01T00:00:00Z'),
    deployment('d4', '2026-03-01T00:00:00Z'),
    deployment('d5', '2026-03-20T00:00:00Z'),
    deployment('d6', '2026-04-02T00:00:00Z'),
  ];
  const changesByDeployment = new Map<string, string[]>([
    ['d0', []],
    ['d1', ['c0aaaaaaaa']],
    ['d2', ['c2aaaaaaaa', 'c2bbbbbbbb']],
    ['d3', ['c3aaaaaaaa', 'c3bbbbbbbb']],
    ['d4', ['c4aaaaaaaa', 'c4bbbbbbbb']],
    ['d5', ['c5aaaaaaaa']],
    ['d6', ['c6aaaaaaaa']],
  ]);
  const shippedBy = new Map([...changesByDeployment].flatMap(([name, list]) => list.map((sha) => [sha, name] as [string, string])));
  const incidents = [
    incident({ id: 'INC-1', startedAt: t('2026-02-02T10:00:00Z'), resolvedAt: t('2026-02-02T12:00:00Z') }),
    incident({ id: 'INC-2', startedAt: t('2026-03-02T00:00:00Z'), resolvedAt: t('2026-03-02T00:30:00Z'), commits: ['c4bbbbbb'] }),
    incident({ id: 'INC-3', startedAt: t('2026-03-21T00:00:00Z'), resolvedAt: null }),
    incident({ id: 'INC-4', startedAt: t('2026-01-05T00:00:00Z'), resolvedAt: t('2026-01-05T01:00:00Z'), commits: ['deadbeef00'] }),
    incident({ id: 'INC-5', startedAt: t('2025-12-20T00:00:00Z'), resolvedAt: t('2025-12-21T00:00:00Z') }),
    incident({ id: 'INC-6', startedAt: t('2026-04-05T00:00:00Z'), resolvedAt: t('2026-04-05T01:00:00Z') }),
  ];
  const input = { deployments, changesByDeployment, commits, shippedBy, incidents, now };

  it('computes every metric of section 3 over the window', () => {
    const report = computeDora(input);
    assert.equal(report.window, '90d');
    assert.equal(report.windowStart, t('2026-01-01T00:00:00Z'));
    assert.equal(report.windowEnd, now);
    // d1 sits exactly on the (exclusive) window start, d6 is after now: d2..d5 count.
    assert.equal(report.deployments, 4);
    assert.equal(report.deploymentsPerWeek, (4 / 90) * 7);
    // Leads 90000 (d2, and c2b's 0 dropped), 43200 + 172800 (d3), 86400 + 777600 (d4), 21600 (d5).
    assert.deepEqual(report.leadTimeSeconds, { median: (86400 + 90000) / 2, p90: 777600 });
    // d3 (INC-1 by time), d4 (INC-2 by root cause), d5 (INC-3, still open) failed.
    assert.equal(report.changeFailureRate, 3 / 4);
    // d3: Feb 1 00:00 -> Feb 2 12:00; d4: Mar 1 00:00 -> Mar 2 00:30; d5 open, left out.
    assert.deepEqual(report.failedDeploymentRecoverySeconds, { median: (129600 + 88200) / 2 });
    // INC-1 2h, INC-2 30m, INC-4 1h (its unknown root cause is ignored); INC-3 open, INC-5 before, INC-6 after now.
    assert.deepEqual(report.timeToRestoreSeconds, { median: 3600 });
    // d3 has a revert, d4 a commit naming INC-2; d2's "INC-20" names no incident.
    assert.equal(report.reworkRate, 2 / 4);
    assert.deepEqual(report.tiers, { deploymentFrequency: 'medium', leadTime: 'high', changeFailureRate: 'low', failedDeploymentRecovery: 'medium' });
  });

  it('rates the same numbers with the 2021 bands, using time to restore for recovery', () => {
    assert.deepEqual(computeDora({ ...input, bands: '2021' }).tiers, {
      deploymentFrequency: 'high',
      leadTime: 'high',
      changeFailureRate: 'low',
      failedDeploymentRecovery: 'high',
    });
  });

  it('reports the weekly trend by ISO week across the window', () => {
    const weekly = computeDora(input).weekly;
    assert.equal(weekly.length, 14);
    assert.deepEqual(weekly[0], { weekStart: '2025-12-29', deployments: 0, leadTimeSecondsMedian: null, changeFailureRate: null });
    assert.equal(weekly[13].weekStart, '2026-03-30');
    assert.deepEqual(
      weekly.filter((week) => week.deployments > 0),
      [
        { weekStart: '2026-01-05', deployments: 1, leadTimeSecondsMedian: 90000, changeFailureRate: 0 },
        { weekStart: '2026-01-26', deployments: 1, leadTimeSecondsMedian: 108000, changeFailureRate: 1 },
        { weekStart: '2026-02-23', deployments: 1, leadTimeSecondsMedian: 432000, changeFailureRate: 1 },
        { weekStart: '2026-03-16', deployments: 1, leadTimeSecondsMedian: 21600, changeFailureRate: 1 },
      ],
    );
  });

  it('gives null, not 0, for metrics without data in the window', () => {
    const report = computeDora({ ...input, incidents: [], now: t('2027-01-01T00:00:00Z') });
    assert.equal(report.deployments, 0);
    assert.equal(report.deploymentsPerWeek, 0);
    assert.deepEqual(report.leadTimeSeconds, { median: null, p90: null });
    assert.equal(report.changeFailureRate, null);
    assert.deepEqual(report.failedDeploymentRecoverySeconds, { median: null });
    assert.deepEqual(report.timeToRestoreSeconds, { median: null });
    assert.equal(report.reworkRate, null);
    assert.deepEqual(report.tiers, { deploymentFrequency: 'low', leadTime: null, changeFailureRate: null, failedDeploymentRecovery: null });
    assert.ok(report.weekly.every((week) => week.deployments === 0 && week.leadTimeSecondsMedian === null && week.changeFailureRate === null));
  });

  it('takes p90 by nearest rank', () => {
    const many = new Map<string, Commit>();
    const changes: string[] = [];
    for (let hours = 1; hours <= 11; hours++) {
      const sha = `p${hours}`;
      many.set(sha, commit(sha, new Date(t('2026-03-10T00:00:00Z') - hours * 3_600_000).toISOString()));
      changes.push(sha);
    }
    const ship = (list: string[]) =>
      computeDora({
        deployments: [deployment('d', '2026-03-10T00:00:00Z')],
        changesByDeployment: new Map([['d', list]]),
        commits: many,
        shippedBy: new Map(),
        incidents: [],
        now,
      }).leadTimeSeconds;
    // 11 values: ceil(9.9) = 10th smallest; 10 values: ceil(9) = 9th.
    assert.deepEqual(ship(changes), { median: 6 * 3600, p90: 10 * 3600 });
    assert.deepEqual(ship(changes.slice(0, 10)), { median: 5.5 * 3600, p90: 9 * 3600 });
  });

  it('counts a deployment of several services once', () => {
    const report = computeDora({
      deployments: [deployment('v1', '2026-03-01T00:00:00Z', 'x', ['checkout', 'search'])],
      changesByDeployment: new Map([['v1', []]]),
      commits: new Map(),
      shippedBy: new Map(),
      incidents: [],
      now,
    });
    assert.equal(report.deployments, 1);
  });

  it('recognises reverts by subject or body', () => {
    assert.ok(isRevert(commit('a', '2026-01-01T00:00:00Z', 'Revert "x"')));
    assert.ok(isRevert(commit('a', '2026-01-01T00:00:00Z', 'undo', 'This reverts commit abcdef0.')));
    assert.ok(!isRevert(commit('a', '2026-01-01T00:00:00Z', 'Reverting "x" later')));
  });

  it('finds Monday 00:00 UTC of the ISO week', () => {
    assert.equal(isoWeekStart(t('2026-01-04T23:59:59Z')), t('2025-12-29T00:00:00Z'));
    assert.equal(isoWeekStart(t('2026-01-05T00:00:00Z')), t('2026-01-05T00:00:00Z'));
  });

  describe('linkIncidentsToDeployments', () => {
    const services = [
      deployment('search-1', '2026-03-01T00:00:00Z', 'x', ['search']),
      deployment('checkout-1', '2026-02-01T00:00:00Z', 'y', ['checkout']),
      deployment('checkout-2', '2026-03-05T00:00:00Z', 'z', ['checkout']),
    ];

    it('links by the earliest-shipped root cause, else the service deployment before the start', () => {
      const links = linkIncidentsToDeployments({
        incidents: [
          incident({ id: 'A', startedAt: t('2026-03-10T00:00:00Z'), commits: ['c4bbbbbbbb', 'c3aaaaa'] }),
          incident({ id: 'B', startedAt: t('2026-03-03T00:00:00Z') }),
          incident({ id: 'C', startedAt: t('2026-03-05T00:00:00Z') }),
          incident({ id: 'D', startedAt: t('2025-12-01T00:00:00Z') }),
          incident({ id: 'E', startedAt: t('2026-03-10T00:00:00Z'), commits: ['c6aaaaaaaa'] }),
          incident({ id: 'F', startedAt: t('2026-03-10T00:00:00Z'), service: 'search', commits: ['0000000'] }),
        ],
        deployments: [...deployments.filter((d) => d.time <= now), ...services],
        commits,
        shippedBy: new Map([...shippedBy].filter(([, name]) => name !== 'd6')),
      });
      assert.deepEqual(Object.fromEntries(links), {
        A: 'd3',
        // Latest checkout deployment at or before the start; search-1 is later than checkout-1 but another service's.
        B: 'd4',
        C: 'checkout-2',
        D: null,
        // Known but not yet shipped at now: nothing.
        E: null,
        // Unknown root cause: linked by time, to the latest deployment of search (or the whole workspace).
        F: 'search-1',
      });
    });
  });
});

// The per-deployment and per-incident rules of core/dora/, which computeDora and explainDora share,
// and the commit graph that travels inside the history value. Expectations are computed by hand.
import { strict as assert } from 'node:assert';
import { computeDelivery } from '../../src/core/deployments';
import { readDeliveryWindow } from '../../src/sources/git/deliveryWindow';
import { recoveryOfDeployment } from '../../src/core/dora/failedDeploymentRecovery';
import { leadTimeOfChange, leadTimesOfDeployment } from '../../src/core/dora/leadTime';
import { isRework, isReworkDeployment, reworkOfChange } from '../../src/core/dora/rework';
import { restoreOfIncident } from '../../src/core/dora/timeToRestore';
import { doraWindow } from '../../src/core/dora/window';
import { createIncidentIdMatcher } from '../../src/core/linking';
import type { Commit, Deployment } from '../../src/core/model';
import { readTagDeployments } from '../../src/sources/git/history';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { readWholeHistory } from './builders/wholeHistory';
import { incident } from './builders/reportBuilders';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = (iso: string) => Date.parse(iso);

const commit = (sha: string, at: string, subject = `change ${sha}`, body = ''): Commit => ({ sha, time: t(at), parents: [], subject, body });
const deployment = (name: string, at: string): Deployment => ({ name, commit: name, time: t(at), services: [], source: 'git-tags' });

describe('core/dora rules', () => {
  it('lead time of a change: deployment time minus committer time, none when not positive', () => {
    const v2 = deployment('v2', '2026-03-02T06:00:00Z');
    assert.equal(leadTimeOfChange(v2, commit('a', '2026-03-01T00:00:00Z')), 30 * HOUR);
    assert.equal(leadTimeOfChange(v2, commit('b', '2026-03-02T06:00:00Z')), null);
    assert.equal(leadTimeOfChange(v2, commit('c', '2026-03-03T00:00:00Z')), null);
    const commits = new Map([commit('a', '2026-03-01T00:00:00Z'), commit('b', '2026-03-02T06:00:00Z'), commit('d', '2026-03-02T05:00:00Z')].map((c) => [c.sha, c]));
    // `missing` is outside the history read: no lead time; `b` is dropped (0).
    assert.deepEqual(leadTimesOfDeployment(v2, ['d', 'missing', 'b', 'a'], commits), [HOUR, 30 * HOUR]);
  });

  it('rework of a change: a revert, or a message naming a known incident as a whole word', () => {
    const names = createIncidentIdMatcher(['INC-7']);
    const revert = reworkOfChange(commit('r', '2026-03-01T00:00:00Z', 'Revert "add cache"'), names);
    assert.deepEqual({ revert: revert.revert, named: [...revert.namedIncidents] }, { revert: true, named: [] });
    const fix = reworkOfChange(commit('f', '2026-03-01T00:00:00Z', 'guard null', 'Fixes INC-7.'), names);
    assert.deepEqual({ revert: fix.revert, named: [...fix.namedIncidents] }, { revert: false, named: ['INC-7'] });
    assert.equal(isRework(reworkOfChange(commit('n', '2026-03-01T00:00:00Z', 'tune INC-70'), names)), false);
    const commits = new Map([commit('f', '2026-03-01T00:00:00Z', 'guard null', 'Fixes INC-7.')].map((c) => [c.sha, c]));
    assert.equal(isReworkDeployment(['missing', 'f'], commits, names), true);
    assert.equal(isReworkDeployment(['missing'], commits, names), false);
  });

  it('recovery of a deployment: to the latest resolution of its linked incidents, none while one is open at now', () => {
    const v1 = deployment('v1', '2026-03-01T00:00:00Z');
    const now = t('2026-03-10T00:00:00Z');
    const early = incident({ id: 'A', service: 's', startedAt: t('2026-03-01T01:00:00Z'), resolvedAt: t('2026-03-01T03:00:00Z') });
    const late = incident({ id: 'B', service: 's', startedAt: t('2026-03-01T02:00:00Z'), resolvedAt: t('2026-03-02T00:00:00Z') });
    assert.equal(recoveryOfDeployment(v1, [early, late], now), DAY);
    assert.equal(recoveryOfDeployment(v1, [early], now), 3 * HOUR);
    assert.equal(recoveryOfDeployment(v1, [], now), null);
    // Resolved after now: still open at now.
    assert.equal(recoveryOfDeployment(v1, [early, late], t('2026-03-01T12:00:00Z')), null);
  });

  it('time to restore of an incident: only one started in the window and resolved by now', () => {
    const window = doraWindow(t('2026-03-31T00:00:00Z'), 30);
    const inside = incident({ id: 'A', service: 's', startedAt: t('2026-03-10T00:00:00Z'), resolvedAt: t('2026-03-10T02:30:00Z') });
    assert.equal(restoreOfIncident(inside, window), 2.5 * HOUR);
    // Started exactly at the exclusive start: outside.
    assert.equal(restoreOfIncident({ ...inside, startedAt: t('2026-03-01T00:00:00Z') }, window), null);
    assert.equal(restoreOfIncident({ ...inside, resolvedAt: t('2026-04-01T00:00:00Z') }, window), null);
    assert.equal(restoreOfIncident({ ...inside, resolvedAt: null }, window), null);
  });

  describe('the commit graph inside the history value', () => {
    let repo: GitRepoBuilder;
    before(() => {
      repo = GitRepoBuilder.create();
      repo.commit({ at: '2026-01-01T00:00:00Z', message: 'c1', files: { 'a.ts': '1\n' } });
      repo.tag('v1', { annotatedAt: '2026-01-02T00:00:00Z' });
      repo.commit({ at: '2026-01-03T00:00:00Z', message: 'c2', files: { 'a.ts': '2\n' } });
      repo.commit({ at: '2026-01-04T00:00:00Z', message: 'c3', files: { 'a.ts': '3\n' } });
      repo.tag('v2', { annotatedAt: '2026-01-05T00:00:00Z' });
    });
    after(() => repo.remove());

    it('walks the window read to the same changes as the whole history, reading only what the later deployments shipped', async () => {
      const now = t('2026-02-01T00:00:00Z');
      const { deployments } = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now });
      const window = await readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all' });
      // v1 is the first deployment: it ships nothing, and c1 behind it is never read.
      assert.equal(window.every.loaded, 2);
      const fromWindow = computeDelivery(deployments, window.commits, now, (lane) => window.graphs.get(lane.signature));
      const whole = computeDelivery(deployments, readWholeHistory(repo.root).commits, now);
      assert.deepEqual(fromWindow.changesByDeployment, whole.changesByDeployment);
      const subjects = (fromWindow.changesByDeployment.get('v2') ?? []).map((sha) => window.commits.get(sha)?.subject);
      assert.deepEqual(subjects, ['c3', 'c2']);
    });
  });
});

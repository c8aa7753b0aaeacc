// The window reads against a reference computed from git alone (every commit reachable from the tags
// and HEAD, walked by core's computeDelivery as before): on generated repositories with maintained
// release branches, merges, a service with its own tag pattern and skewed clocks, every question the
// window answers must get the reference's answer, and the editor's incremental reads the fresh read's.
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { computeDelivery, deploymentsAsOf, type DeliveryHistory } from '../../src/core/deployments';
import { computeDora } from '../../src/core/dora';
import { linkIncidentsToDeployments } from '../../src/core/dora/linkedIncidents';
import type { Deployment, Incident, ServiceConfig, WorkspaceConfig } from '../../src/core/model';
import { forgetDeliveryWindows, readDeliveryWindow, windowReadStatistics } from '../../src/sources/git/deliveryWindow';
import { readTagDeployments } from '../../src/sources/git/history';
import { shippingOf, shippingStatistics } from '../../src/sources/git/shipping';
import { deliveryScope, loadDelivery } from '../../src/workspace/delivery';
import { incidentsQuery, loadSnapshot } from '../../src/workspace/engine';
import type { WorkspaceSnapshot } from '../../src/workspace/snapshot';
import { fastImportRepository, type FastImportEvent } from './builders/gitRepoBuilder';
import { incident as sharedIncident } from './builders/reportBuilders';
import { readWholeHistory, type WholeHistory } from './builders/wholeHistory';

const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const services: ServiceConfig[] = [
  { name: 'web', paths: ['web/**'] },
  { name: 'api', paths: ['api/**'], tagPattern: 'api-*' },
];

/**
 * About 400 commits over 400 days: main, two release branches cut from it and merged back now and
 * then, workspace tags `v*` on main and the branches, `api-*` tags for the api service. One commit in
 * twenty is dated days before its parent, and a few tags carry tagger dates before their commit's.
 */
function* repositoryEvents(seed: number): Generator<FastImportEvent> {
  const next = random(seed);
  let mark = 0;
  let time = START;
  const tips = new Map<string, number>();
  let tagCount = 0;
  const commit = (branch: string, merge?: number): FastImportEvent => {
    mark++;
    time += Math.floor(next() * 1.6 * DAY);
    // Skew: a commit dated before its parent, as a machine with a wrong clock writes it.
    const skew = next() < 0.05 ? -Math.floor(next() * 3 * DAY) : 0;
    const from = tips.get(branch) ?? tips.get('main');
    tips.set(branch, mark);
    const file = next() < 0.5 ? `web/page${mark % 7}.ts` : `api/handler${mark % 5}.ts`;
    let message = `change ${mark}`;
    if (next() < 0.05) message = `Revert "change ${mark - 1}"\n\nThis reverts commit ${mark - 1}.`;
    else if (next() < 0.05) message = `fix INC-${1 + (mark % 6)}: guard`;
    return { kind: 'commit', mark, branch, time: time + skew, message, ...(from !== undefined ? { from } : {}), ...(merge !== undefined ? { merge: [merge] } : {}), files: { [file]: `${mark}\n` } };
  };
  yield commit('main');
  for (let step = 0; step < 400; step++) {
    const roll = next();
    const branch = roll < 0.7 ? 'main' : roll < 0.85 ? 'release-1' : 'release-2';
    if (branch !== 'main' && !tips.has(branch) && step < 60) {
      yield commit('main');
      continue;
    }
    const mergeFrom = branch === 'main' && next() < 0.06 ? tips.get(next() < 0.5 ? 'release-1' : 'release-2') : undefined;
    yield commit(branch, mergeFrom);
    if (next() < 0.12) {
      const name = next() < 0.3 ? `api-${++tagCount}` : `v${++tagCount}`;
      // Mostly tagged hours after the commit; now and then with a tagger clock days behind.
      const tagTime = time + (next() < 0.08 ? -Math.floor(next() * 4 * DAY) : Math.floor(next() * DAY));
      yield { kind: 'tag', name, target: mark, time: tagTime };
    }
  }
}

function configOf(): WorkspaceConfig {
  return {
    version: 1,
    services,
    deployments: { source: 'git-tags', tagPattern: 'v*' },
    incidents: { sources: [{ type: 'file' }] },
  } as unknown as WorkspaceConfig;
}

async function deploymentsOf(root: string, now: number): Promise<Deployment[]> {
  return deploymentsAsOf((await readTagDeployments(root, { tagPattern: 'v*', services, now })).deployments, now);
}

function reference(history: WholeHistory, ordered: readonly Deployment[], now: number): DeliveryHistory {
  return computeDelivery(ordered, history.commits, now);
}

describe('delivery window reads against the whole history', function () {
  this.timeout(120_000);
  const seeds = [1, 7, 42];
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  async function generated(seed: number): Promise<string> {
    const root = mkdtempSync(path.join(os.tmpdir(), `lens-window-${seed}-`));
    roots.push(root);
    await fastImportRepository(root, repositoryEvents(seed));
    return root;
  }

  for (const seed of seeds) {
    it(`gives every deployment after the window start the reference's changes, and every commit its shipping deployment (seed ${seed})`, async () => {
      const root = await generated(seed);
      const history = readWholeHistory(root);
      const times = [...history.commits.values()].map((commit) => commit.time);
      const last = Math.max(...times);
      for (const now of [last - 200 * DAY, last - 90 * DAY, last + DAY]) {
        const ordered = await deploymentsOf(root, now);
        const whole = reference(history, ordered, now);
        for (const since of [now - 180 * DAY, now - 30 * DAY]) {
          const window = await readDeliveryWindow(root, ordered, since, { lanes: 'all' });
          const read = computeDelivery(ordered, window.commits, now, (lane) => window.graphs.get(lane.signature));
          for (const deployment of ordered.filter((d) => d.time > since)) {
            assert.deepEqual(read.changesByDeployment.get(deployment.name), whole.changesByDeployment.get(deployment.name), `changes of ${deployment.name}`);
          }
          for (const sha of window.every.commits.filter((commit) => commit !== undefined).map((commit) => commit!.sha)) {
            assert.equal(read.shippedBy.get(sha), whole.shippedBy.get(sha), `shipping of ${sha}`);
          }
          // The window read holds no commit an older deployment shipped: that history stays unread.
          for (const sha of window.commits.keys()) {
            const shipping = whole.shippedBy.get(sha);
            assert.ok(shipping !== undefined, `${sha} in the window is shipped`);
          }
          assert.ok(window.commits.size < history.commits.size);
        }
        // Any commit, answered alone: the same deployment as the whole history's walk, or none.
        const everyCommit = [...history.commits.keys()];
        const sample = everyCommit.filter((_, index) => index % 17 === 0);
        const answers = await shippingOf(root, sample, ordered);
        for (const sha of sample) assert.equal(answers.get(sha), whole.shippedBy.get(sha) ?? null, `searched shipping of ${sha}`);
      }
    });
  }

  it('gives the same DORA numbers, links and deployment list as the whole history, with root causes years before the window', async () => {
    const root = await generated(99);
    const history = readWholeHistory(root);
    const last = Math.max(...[...history.commits.values()].map((commit) => commit.time));
    const now = last + DAY;
    const ordered = await deploymentsOf(root, now);
    const everyCommit = [...history.commits.values()].sort((a, b) => a.time - b.time);
    // Incidents with root causes from the first days of the history, from the window, both, and none.
    const incidents: Incident[] = [1, 2, 3, 4, 5, 6].map((n) =>
      sharedIncident({
        id: `INC-${n}`,
        service: n % 2 === 0 ? 'api' : 'web',
        severity: 'SEV2',
        title: `incident ${n}`,
        // INC-1 is old: neither open nor recent, so the report does not search for its deployment.
        startedAt: now - (n === 1 ? 150 : n * 11) * DAY,
        resolvedAt: now - (n === 1 ? 150 : n * 11) * DAY + 3_600_000,
        commits:
          n === 1 ? [everyCommit[3].sha.slice(0, 10)]
          : n === 2 ? [everyCommit[everyCommit.length - 30].sha]
          : n === 3 ? [everyCommit[5].sha, everyCommit[everyCommit.length - 25].sha.slice(0, 12)]
          : n === 4 ? [everyCommit[everyCommit.length - 2].sha]
          : [],
      }),
    );
    // INC-7 is open, started long ago, with a root cause from the first days: shown, so named.
    incidents.push(
      sharedIncident({ id: 'INC-7', service: 'web', severity: 'SEV3', title: 'open for long', startedAt: now - 200 * DAY, resolvedAt: null, commits: [everyCommit[8].sha] }),
    );
    const whole = reference(history, ordered, now);
    const wholeLinks = linkIncidentsToDeployments({ incidents, deployments: whole.deployments, commits: history.commits, shippedBy: whole.shippedBy });
    const doraOf = (at: number) =>
      computeDora({ deployments: whole.deployments, changesByDeployment: whole.changesByDeployment, commits: history.commits, shippedBy: whole.shippedBy, incidents, now: at });
    for (const question of ['report', 'window'] as const) {
      forgetDeliveryWindows();
      const result = await loadDelivery({
        root,
        config: configOf(),
        listedDeployments: [],
        incidents,
        now,
        bands: '2023',
        dora: 'both',
        scope: deliveryScope(now, { dora: 'both', exactLinks: () => question === 'report' }),
      });
      assert.equal(result.error, null);
      assert.deepEqual(result.dora, doraOf(now), `${question}: current DORA`);
      assert.deepEqual(result.previousDora, doraOf(now - 90 * DAY), `${question}: previous DORA`);
      if (question === 'report') assert.deepEqual(result.data?.incidentDeployments, wholeLinks);
      for (const view of result.deployments) {
        assert.deepEqual(view.changes.map((change) => change.sha), whole.changesByDeployment.get(view.name));
      }
    }

    // Through the engine: an old, resolved incident is not searched for; a search that finds it names its deployment.
    mkdirSync(path.join(root, '.reliability'), { recursive: true });
    writeFileSync(path.join(root, '.reliability', 'config.yaml'), 'version: 1\nservices:\n  - name: web\n    paths: ["web/**"]\n  - name: api\n    paths: ["api/**"]\n    tagPattern: "api-*"\ndeployments:\n  source: git-tags\n  tagPattern: "v*"\n');
    const ledger = incidents.map((incident) => ({ ...incident, startedAt: new Date(incident.startedAt).toISOString(), resolvedAt: incident.resolvedAt === null ? undefined : new Date(incident.resolvedAt).toISOString() }));
    writeFileSync(path.join(root, '.reliability', 'incidents.yaml'), JSON.stringify({ incidents: ledger.map(({ id, title, severity, service, startedAt, resolvedAt, commits }) => ({ id, title, severity, service, startedAt, resolvedAt, commits })) }));
    const stages: WorkspaceSnapshot[] = [];
    const snapshot = await loadSnapshot(root, { now, allowRemote: false, sloData: false, recentDays: 30, onEarlySnapshot: (early) => stages.push(early) });
    // Staged: SLOs and incidents first, then delivery while INC-7's old deployment is searched, then all of it.
    const interim = stages.find((stage) => stage.linksPending);
    assert.ok(interim, 'an interim snapshot');
    assert.deepEqual(interim.dora, snapshot.dora);
    const pending = interim.incidents.find((incident) => incident.id === 'INC-7')!;
    assert.deepEqual([pending.deployment, pending.deploymentLookupPending], [null, true]);
    assert.equal(snapshot.incidents.find((incident) => incident.id === 'INC-7')?.deployment, wholeLinks.get('INC-7'));
    assert.ok(wholeLinks.get('INC-7'));
    const old = snapshot.incidents.find((incident) => incident.id === 'INC-1')!;
    assert.equal(wholeLinks.get('INC-1') === null, false, 'INC-1 shipped before the window');
    assert.deepEqual([old.deployment, old.deploymentBeforeWindow], [null, true]);
    const recent = snapshot.incidents.find((incident) => incident.id === 'INC-2')!;
    assert.equal(recent.deployment, wholeLinks.get('INC-2'));
    const found = await incidentsQuery(root, { query: 'INC-1' }, { now, allowRemote: false });
    assert.equal(found.incidents.find((incident) => incident.id === 'INC-1')?.deployment, wholeLinks.get('INC-1'));
  });

  describe('in a long-lived process', () => {
    let root: string;
    const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

    before(async () => {
      root = await generated(5);
    });

    async function readAndCompare(now: number, since: number): Promise<void> {
      const ordered = await deploymentsOf(root, now);
      const window = await readDeliveryWindow(root, ordered, since, { lanes: 'all' });
      const read = computeDelivery(ordered, window.commits, now, (lane) => window.graphs.get(lane.signature));
      const whole = reference(readWholeHistory(root), ordered, now);
      for (const deployment of ordered.filter((d) => d.time > since)) {
        assert.deepEqual(read.changesByDeployment.get(deployment.name), whole.changesByDeployment.get(deployment.name), `changes of ${deployment.name}`);
      }
    }

    it('reads only the new commits after a new tag, settles a deleted or moved tag without reading history, and reads a lane again when an old tag moves', async () => {
      forgetDeliveryWindows();
      const head = git(['rev-parse', 'HEAD']);
      const headTime = Number(git(['log', '-1', '--format=%ct', 'HEAD'])) * 1000;
      const now = headTime + 10 * DAY;
      const since = now - 180 * DAY;
      await readAndCompare(now, since);
      const counts = () => ({ ...windowReadStatistics });
      const before = counts();

      // Nothing changed: nothing is read.
      await readAndCompare(now, since);
      assert.equal(windowReadStatistics.fullReads, before.fullReads);
      assert.equal(windowReadStatistics.commitsRead, before.commitsRead);

      // Two new commits and a tag on them: exactly those two are read.
      git(['commit', '--allow-empty', '-q', '-m', 'new one', '--date', `@${headTime / 1000 + 3600} +0000`]);
      git(['commit', '--allow-empty', '-q', '-m', 'new two', '--date', `@${headTime / 1000 + 7200} +0000`]);
      execFileSync('git', ['tag', '-a', 'v900', '-m', 'v900'], { cwd: root, env: { ...process.env, GIT_COMMITTER_DATE: `@${headTime / 1000 + 9000} +0000` } });
      const beforeTag = counts();
      await readAndCompare(now, since);
      assert.equal(windowReadStatistics.fullReads, beforeTag.fullReads, 'no lane read from scratch');
      // What v900 newly ships in each lane it is in: for `every`, commits no other deployment reaches;
      // for the web lane (the `v*` tags), commits no other `v*` deployment reaches.
      const others = (await deploymentsOf(root, now)).filter((d) => d.name !== 'v900');
      const newlyShipped = (lane: Deployment[]) =>
        Number(execFileSync('git', ['rev-list', '--count', '--stdin'], { cwd: root, input: ['v900', ...lane.map((d) => `^${d.commit}`)].join('\n') + '\n', encoding: 'utf8' }).trim());
      const expected = newlyShipped(others) + newlyShipped(others.filter((d) => d.name.startsWith('v')));
      assert.ok(newlyShipped(others) >= 2);
      assert.equal(windowReadStatistics.commitsRead - beforeTag.commitsRead, expected, 'only what the new tag ships');

      // The tag deleted: settled on the commits in hand.
      git(['tag', '-d', 'v900']);
      const beforeDelete = counts();
      await readAndCompare(now, since);
      assert.equal(windowReadStatistics.commitsRead, beforeDelete.commitsRead);
      assert.equal(windowReadStatistics.fullReads, beforeDelete.fullReads);

      // A recent tag moved to another commit: only what the new commit adds is read.
      const recent = (await deploymentsOf(root, now)).filter((d) => d.time > since && d.name.startsWith('v')).at(-1)!;
      execFileSync('git', ['tag', '-f', '-a', recent.name, '-m', 'moved', head], { cwd: root, env: { ...process.env, GIT_COMMITTER_DATE: `@${Math.floor(recent.time / 1000)} +0000` } });
      const beforeMove = counts();
      await readAndCompare(now, since);
      assert.equal(windowReadStatistics.fullReads, beforeMove.fullReads);

      // The window moves on: deployments that age out are settled in memory.
      const beforeAge = counts();
      await readAndCompare(now + 20 * DAY, since + 20 * DAY);
      assert.equal(windowReadStatistics.fullReads, beforeAge.fullReads);

      // A tag before the window deleted: what it excluded may now belong to the window, so the lane is read again.
      const old = (await deploymentsOf(root, now)).filter((d) => d.time <= since && d.name.startsWith('v')).at(-1)!;
      git(['tag', '-d', old.name]);
      const beforeOld = counts();
      await readAndCompare(now + 20 * DAY, since + 20 * DAY);
      assert.ok(windowReadStatistics.fullReads > beforeOld.fullReads);
    });

    it('keeps a searched answer while no change can affect it, and searches again after one that can', async () => {
      const now = Number(git(['log', '-1', '--format=%ct', 'HEAD'])) * 1000 + 30 * DAY;
      const ordered = await deploymentsOf(root, now);
      const firstCommit = git(['rev-list', '--max-parents=0', 'HEAD']);
      const undeployed = git(['rev-parse', 'HEAD']);
      git(['commit', '--allow-empty', '-q', '-m', 'not deployed yet']);
      const tip = git(['rev-parse', 'HEAD']);
      const first = await shippingOf(root, [firstCommit, tip, undeployed], ordered);
      assert.equal(first.get(tip), null);
      const searches = shippingStatistics.searches;
      assert.deepEqual(await shippingOf(root, [firstCommit, tip], ordered), new Map([[firstCommit, first.get(firstCommit)!], [tip, null]]));
      assert.equal(shippingStatistics.searches, searches, 'answered from memory');
      // A new tag on the tip: the old commit's answer stands (the tag is later), the tip's "none" does not.
      git(['tag', 'v901']);
      const withTag = await deploymentsOf(root, now);
      const second = await shippingOf(root, [firstCommit, tip], withTag);
      assert.equal(second.get(tip), 'v901');
      assert.equal(second.get(firstCommit), first.get(firstCommit));
      assert.equal(shippingStatistics.searches, searches + 1, 'only the tip searched again');
    });
  });
});

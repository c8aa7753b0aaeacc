// Repositories a big team really has, through the CLI: tags that name trees or blobs, a partial clone,
// no commit-graph file, and a read cancelled halfway. Each gives a correct answer or says what is wrong.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDeliveryWindow, forgetDeliveryWindows, windowReadStatistics } from '../../src/sources/git/deliveryWindow';
import { forgetRepositoryReads } from '../../src/workspace/engine';
import { readTagDeployments } from '../../src/sources/git/history';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';

const CONFIG = ['version: 1', 'services:', '  - name: checkout', '    paths: ["src/**"]', 'deployments:', '  source: git-tags', '  tagPattern: "v*"', ''].join('\n');
const NOW = '2026-03-01T00:00:00Z';

/** A small repository with a `.reliability/` folder (untracked) and three releases. */
function releasedRepository(): GitRepoBuilder {
  const repo = GitRepoBuilder.create('lens-inputs-');
  repo.write({ '.reliability/config.yaml': CONFIG, '.reliability/incidents.yaml': 'incidents: []\n' });
  repo.commit({ at: '2026-01-01T00:00:00Z', message: 'create', files: { 'src/pay.ts': 'a\nb\n' } });
  repo.tag('v1', { annotatedAt: '2026-01-02T00:00:00Z' });
  repo.commit({ at: '2026-02-01T00:00:00Z', message: 'retry', files: { 'src/pay.ts': 'a\nretry\nb\n' } });
  repo.tag('v2', { annotatedAt: '2026-02-02T00:00:00Z' });
  repo.commit({ at: '2026-02-10T00:00:00Z', message: 'guard', files: { 'src/pay.ts': 'a\nretry\nguard\nb\n' } });
  repo.tag('v3', { annotatedAt: '2026-02-11T00:00:00Z' });
  return repo;
}

describe('delivery on the repositories big teams have', function () {
  this.timeout(60_000);
  const cleanups: Array<() => void> = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));
  const track = (repo: GitRepoBuilder) => (cleanups.push(() => repo.remove()), repo);

  it('leaves out tags that name a tree or a blob, with a warning, and says so when only such tags match', async () => {
    const repo = track(releasedRepository());
    repo.git(['tag', 'v-tree', 'HEAD^{tree}']);
    const blob = repo.git(['rev-parse', 'HEAD:src/pay.ts']);
    repo.git(['tag', '-a', 'v-blob', '-m', 'a blob', blob]);
    const dora = await cli(repo.root, 'dora', '--now', NOW, '--json');
    assert.equal(dora.code, 0, dora.stderr);
    assert.equal(dora.json().deployments, 3);
    const report = await cli(repo.root, 'report', '--now', NOW, '--json');
    const messages = report.json().problems.map((problem: { message: string }) => problem.message);
    assert.ok(messages.includes('tag v-tree matches the deployment tag pattern but points at a tree, not a commit; it is not a deployment'), messages.join('\n'));
    assert.ok(messages.includes('tag v-blob matches the deployment tag pattern but points at a blob, not a commit; it is not a deployment'));

    await assert.rejects(readTagDeployments(repo.root, { tagPattern: 'v-*', services: [], now: Date.parse(NOW) }), (error: Error) => {
      assert.match(error.message, /^no tag of a commit matches "v-\*"; tags that exist: v-blob, v-tree, v1, v2, v3; tag v-blob .* points at a blob/);
      return true;
    });
  });

  it('says when the repository has no commit-graph file, and stops saying it once one is written', async () => {
    const repo = track(releasedRepository());
    repo.git(['config', 'gc.auto', '0']);
    const before = await cli(repo.root, 'sources', '--now', NOW, '--json');
    const git = before.json().sources.find((source: { name: string }) => source.name === 'git');
    assert.equal(git.state, 'ok');
    assert.equal(git.hint, 'no commit-graph file: `git commit-graph write --reachable` would make reading delivery history faster');
    const human = await cli(repo.root, 'sources', '--now', NOW);
    assert.match(human.stdout, /hint: no commit-graph file: `git commit-graph write --reachable`/);
    repo.git(['commit-graph', 'write', '--reachable']);
    const after = await cli(repo.root, 'sources', '--now', NOW, '--json');
    assert.equal(after.json().sources.find((source: { name: string }) => source.name === 'git').hint, undefined);
  });

  it('reads a partial clone (--filter=blob:none) as its origin, and says why a lens cannot be shown when the missing contents cannot be fetched', async () => {
    const origin = track(releasedRepository());
    origin.git(['config', 'uploadpack.allowFilter', 'true']);
    const parent = mkdtempSync(path.join(os.tmpdir(), 'lens-partial-'));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const clone = path.join(parent, 'clone');
    execFileSync('git', ['clone', '--quiet', '--filter=blob:none', `file://${origin.root}`, clone], { stdio: 'ignore' });
    execFileSync('cp', ['-r', path.join(origin.root, '.reliability'), clone]);
    for (const question of [['dora', '--json'], ['lens', 'src/pay.ts', '--json']]) {
      const fromClone = await cli(clone, ...question, '--now', NOW);
      const fromOrigin = await cli(origin.root, ...question, '--now', NOW);
      assert.equal(fromClone.code, 0, fromClone.stderr);
      assert.deepEqual(fromClone.json(), fromOrigin.json(), question.join(' '));
    }

    // A second clone whose origin is gone: its old versions of the file cannot be fetched for blame.
    const orphan = path.join(parent, 'orphan');
    execFileSync('git', ['clone', '--quiet', '--filter=blob:none', `file://${origin.root}`, orphan], { stdio: 'ignore' });
    execFileSync('cp', ['-r', path.join(origin.root, '.reliability'), orphan]);
    const moved = `${origin.root}-moved`;
    renameSync(origin.root, moved);
    try {
      const dora = await cli(orphan, 'dora', '--now', NOW, '--json');
      assert.equal(dora.code, 0, dora.stderr);
      assert.equal(dora.json().deployments, 3);
      const lens = await cli(orphan, 'lens', 'src/pay.ts', '--now', NOW, '--json');
      assert.equal(lens.code, 2);
      assert.match(lens.stderr, /src\/pay\.ts: this partial clone lacks earlier versions of the file and git could not fetch them from its promisor remote/);
    } finally {
      renameSync(moved, origin.root);
    }
  });

  it('forgets what it kept between loads of a repository when its folder closes', async () => {
    const repo = track(releasedRepository());
    const now = Date.parse(NOW);
    const { deployments } = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now });
    await readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all' });
    const kept = { ...windowReadStatistics };
    await readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all' });
    assert.equal(windowReadStatistics.fullReads, kept.fullReads, 'kept: nothing read again');
    await forgetRepositoryReads(repo.root);
    await readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all' });
    assert.equal(windowReadStatistics.fullReads, kept.fullReads + 1, 'forgotten: read afresh');
  });

  it('stops the git processes of a read that is cancelled', async () => {
    const repo = track(releasedRepository());
    const now = Date.parse(NOW);
    const { deployments } = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now });
    forgetDeliveryWindows();
    const controller = new AbortController();
    const read = readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all', signal: controller.signal });
    controller.abort();
    await assert.rejects(read, { name: 'AbortError' });
    const leftover = spawnSync('pgrep', ['-f', `git log -z --no-show-signature`], { encoding: 'utf8' }).stdout.trim();
    assert.equal(leftover, '');
    // Nothing half-read is kept: the next read is whole.
    const window = await readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all' });
    assert.equal(window.commits.size, 2);
  });
});

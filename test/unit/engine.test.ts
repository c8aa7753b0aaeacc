// The engine's entry points beyond the CLI: Restricted Mode, multi-root discovery, the starter folder.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { createStarterFolder, fileLens, findWorkspaceRoots, loadSnapshot, mergeCheck } from '../../src/workspace/engine';
import { loadDefinitions } from '../../src/workspace/definitions';
import { deploymentSourceHint } from '../../src/workspace/historyPrefetch';

const NOW = Date.parse('2026-11-20T12:00:00Z');

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('engine', function () {
  this.timeout(60_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('reads no git history in Restricted Mode, and says why wherever git would be needed', async () => {
    const dir = tempDir('rl-restricted-');
    cleanup.push(dir);
    await createDemoWorkspace(dir, { now: NOW });
    const snapshot = await loadSnapshot(dir, { now: NOW, allowGit: false, allowRemote: false });
    assert.equal(snapshot.dora, null);
    assert.deepEqual(snapshot.deployments, []);
    const git = snapshot.sources.find((s) => s.name === 'git')!;
    assert.equal(git.state, 'disabled');
    assert.match(git.message!, /^Restricted Mode: git history is not read/);
    // SLOs and the ledger still load: they are files, not git.
    assert.equal(snapshot.sloReports.find((s) => s.name === 'checkout-availability')!.status, 'critical');
    assert.ok(snapshot.incidents.some((i) => i.id === 'INC-7'));
    await assert.rejects(fileLens(snapshot, path.join(dir, 'services/checkout/pay.ts'), { recentDays: 30 }), /Restricted Mode/);
    await assert.rejects(mergeCheck(snapshot, {}), /Restricted Mode/);
  });

  it('finds every folder with a .reliability/ folder in a multi-root or monorepo layout', async () => {
    const root = tempDir('rl-roots-');
    cleanup.push(root);
    for (const folder of ['.', 'apps/web', 'apps/api', 'node_modules/pkg', 'deep/a/b']) {
      fs.mkdirSync(path.join(root, folder, '.reliability'), { recursive: true });
    }
    const roots = await findWorkspaceRoots(root);
    assert.deepEqual(roots.map((r) => path.relative(root, r) || '.'), ['.', 'apps/api', 'apps/web']);
  });

  it('writes a starter folder that fits the repository and loads without errors', async () => {
    const repo = tempDir('rl-starter-');
    cleanup.push(repo);
    for (const service of ['billing', 'catalog']) {
      fs.mkdirSync(path.join(repo, 'services', service), { recursive: true });
      fs.writeFileSync(path.join(repo, 'services', service, 'index.ts'), 'export {};\n');
    }
    const env = { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' };
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    execFileSync('git', ['add', '.'], { cwd: repo });
    execFileSync('git', ['commit', '-q', '-m', 'Initial'], { cwd: repo, env });
    for (const tag of ['release-1.0', 'release-1.1', 'old-2']) execFileSync('git', ['tag', tag], { cwd: repo });

    const { written } = await createStarterFolder(repo);
    assert.deepEqual(
      written.map((f) => path.relative(repo, f)).sort(),
      [
        '.reliability/config.yaml',
        '.reliability/data/billing-availability.csv',
        '.reliability/data/catalog-availability.csv',
        '.reliability/incidents.yaml',
        '.reliability/slos/billing.yaml',
        '.reliability/slos/catalog.yaml',
      ],
    );
    const defs = await loadDefinitions(repo);
    assert.deepEqual(defs.problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(defs.config.services, [
      { name: 'billing', paths: ['services/billing/**'] },
      { name: 'catalog', paths: ['services/catalog/**'] },
    ]);
    assert.equal(defs.config.deployments.tagPattern, 'release-*');
    assert.deepEqual(defs.slos.map((slo) => slo.name), ['billing-availability', 'catalog-availability']);
    await assert.rejects(createStarterFolder(repo), /already exists; the starter never overwrites it/);
  });

  describe('the starter in a repository written by someone else', () => {
    const starterRepo = (prefix: string): string => {
      const repo = tempDir(prefix);
      cleanup.push(repo);
      fs.mkdirSync(path.join(repo, 'services', 'billing'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'services', 'billing', 'index.ts'), 'export {};\n');
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
      return repo;
    };

    /** Runs `action` with a `git` first on PATH that only notes each run; returns the arguments git was run with. */
    async function withRecordingGit(action: () => Promise<unknown>): Promise<string[]> {
      const bin = tempDir('rl-recording-git-');
      cleanup.push(bin);
      const log = path.join(bin, 'runs.log');
      fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> "${log}"\nexit 1\n`, { mode: 0o755 });
      const saved = process.env.PATH;
      process.env.PATH = `${bin}${path.delimiter}${saved}`;
      try {
        await action();
      } finally {
        process.env.PATH = saved;
      }
      return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    }

    it('runs no git in Restricted Mode, and writes the files with the default tag pattern, saying why', async () => {
      const untrusted = starterRepo('rl-starter-untrusted-');
      const runs = await withRecordingGit(() => createStarterFolder(untrusted, { allowGit: false }));
      assert.deepEqual(runs, []);
      const config = fs.readFileSync(path.join(untrusted, '.reliability', 'config.yaml'), 'utf8');
      assert.match(config, /# Picked v\* \(the default: git is not run in Restricted Mode\)\./);
      const defs = await loadDefinitions(untrusted);
      assert.deepEqual(defs.problems.filter((p) => p.severity === 'error'), []);
      assert.equal(defs.config.deployments.tagPattern, 'v*');
      // The same recording git shows a trusted starter does ask git for the tags.
      const trusted = starterRepo('rl-starter-trusted-');
      assert.deepEqual(await withRecordingGit(() => createStarterFolder(trusted)), ['tag --list --sort=-creatordate']);
    });

    it('writes nothing through a .reliability symlink that leads out of the repository', async () => {
      const repo = starterRepo('rl-starter-link-');
      const outside = tempDir('rl-starter-outside-');
      cleanup.push(outside);
      fs.symlinkSync(outside, path.join(repo, '.reliability'));
      await assert.rejects(createStarterFolder(repo, { allowGit: false }), { name: 'StarterOutsideError', message: /\.reliability is a symlink that leads outside .*; the starter writes only inside the repository/ });
      assert.deepEqual(fs.readdirSync(outside), []);

      // A dangling link out is refused as well (mkdir would follow it).
      const dangling = starterRepo('rl-starter-dangling-link-');
      fs.symlinkSync(path.join(outside, 'missing'), path.join(dangling, '.reliability'));
      await assert.rejects(createStarterFolder(dangling, { allowGit: false }), { name: 'StarterOutsideError' });
      assert.deepEqual(fs.readdirSync(outside), []);

      // A .reliability folder of its own is the team's: never written into, whatever it holds.
      const nested = starterRepo('rl-starter-nested-link-');
      fs.mkdirSync(path.join(nested, '.reliability'));
      fs.symlinkSync(outside, path.join(nested, '.reliability', 'slos'));
      await assert.rejects(createStarterFolder(nested, { allowGit: false }), { name: 'StarterExistsError' });
      assert.deepEqual(fs.readdirSync(outside), []);
      assert.deepEqual(fs.readdirSync(path.join(nested, '.reliability')), ['slos'], 'nothing written');
    });

    it('proposes only folder names that are service names as they are', async () => {
      const repo = starterRepo('rl-starter-names-');
      fs.mkdirSync(path.join(repo, 'services', 'evil\n    paths: ["**"]\n# '), { recursive: true });
      fs.mkdirSync(path.join(repo, 'services', 'star*'), { recursive: true });
      await createStarterFolder(repo, { allowGit: false });
      const defs = await loadDefinitions(repo);
      assert.deepEqual(defs.config.services, [{ name: 'billing', paths: ['services/billing/**'] }]);
    });
  });
});

describe('deployment source hint (starts git early)', () => {
  it('reads the source in block and flow style, and nothing when config.yaml names none', () => {
    assert.equal(deploymentSourceHint('version: 1\ndeployments:\n  tagPattern: "v*"\n  source: file\n'), 'file');
    assert.equal(deploymentSourceHint('deployments: # where from\n  source: "github"\n'), 'github');
    assert.equal(deploymentSourceHint('deployments: { tagPattern: "v*", source: git-tags }\n'), 'git-tags');
    assert.equal(deploymentSourceHint('version: 1\nslis:\n  source: prometheus\n'), undefined);
    assert.equal(deploymentSourceHint('deployments:\n  tagPattern: "v*"\nslis:\n  source: prometheus\n'), undefined);
  });
});

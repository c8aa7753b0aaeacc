// `reliability-lens hook install` / `uninstall` on generated repositories, with real pushes to a local
// bare remote: the hook runs the check and blocks a push on freeze, wherever core.hooksPath puts it,
// and a hook the user had is never written over (refused, or chained and still run).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { builtCli } from './builders/builtCli';
import { HOOK_MARKER } from '../../src/core/prePushHook';

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

/** Runs the built CLI as a user would, in `cwd`. */
function runCli(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [builtCli(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function push(repo: GitRepoBuilder, branch: string) {
  const result = spawnSync('git', ['push', '--quiet', 'origin', branch], { cwd: repo.root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  // What the hook prints reaches the terminal on either stream.
  return { code: result.status, stderr: `${result.stdout}${result.stderr}` };
}

function remoteHas(remote: string, branch: string): boolean {
  return spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: remote, env: { ...process.env, ...GIT_ENV } }).status === 0;
}

/**
 * A repository with a bare remote: checkout has an open SEV1 (freeze), search is healthy; branch
 * `frozen` changes checkout, branch `healthy` changes search.
 */
function repositoryWithRemote(prefix: string): { repo: GitRepoBuilder; remote: string } {
  const repo = GitRepoBuilder.create(prefix);
  repo.commit({
    at: '2026-01-05T10:00:00Z',
    message: 'Initial',
    files: {
      '.reliability/config.yaml': [
        'version: 1',
        'defaultBranch: main',
        'services:',
        '  - name: checkout',
        '    paths: ["services/checkout/**"]',
        '  - name: search',
        '    paths: ["services/search/**"]',
        '',
      ].join('\n'),
      '.reliability/incidents.yaml': [
        'incidents:',
        '  - id: INC-1',
        '    title: Payments fail',
        '    severity: SEV1',
        '    service: checkout',
        '    startedAt: 2026-01-06T09:00:00Z',
        '',
      ].join('\n'),
      'services/checkout/pay.ts': 'pay\n',
      'services/search/find.ts': 'find\n',
    },
  });
  const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-hook-remote-'));
  spawnSync('git', ['init', '--quiet', '--bare', remote]);
  repo.git(['remote', 'add', 'origin', remote]);
  repo.git(['push', '--quiet', 'origin', 'main']);
  repo.branch('frozen').checkout('frozen');
  repo.commit({ at: '2026-01-07T10:00:00Z', message: 'Tune retries', files: { 'services/checkout/pay.ts': 'pay with retries\n' } });
  repo.checkout('main').branch('healthy').checkout('healthy');
  repo.commit({ at: '2026-01-07T11:00:00Z', message: 'Faster search', files: { 'services/search/find.ts': 'find faster\n' } });
  return { repo, remote };
}

describe('reliability-lens hook', function () {
  this.timeout(120_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const setUp = (prefix: string) => {
    const made = repositoryWithRemote(prefix);
    cleanup.push(made.repo.root, made.remote);
    return made;
  };

  it('installs a pre-push hook that blocks a push on freeze and lets a healthy one through', () => {
    const { repo, remote } = setUp('rl-hook-');
    const installed = runCli(repo.root, 'hook', 'install');
    assert.equal(installed.code, 0, installed.stderr);
    const hook = path.join(repo.root, '.git', 'hooks', 'pre-push');
    assert.equal(installed.stdout, `Installed the pre-push hook ${hook}: \`git push\` runs \`reliability-lens check\` and stops on freeze.`);
    assert.ok(fs.readFileSync(hook, 'utf8').includes(HOOK_MARKER));
    assert.equal(fs.statSync(hook).mode & 0o111, 0o111);

    repo.checkout('frozen');
    const blocked = push(repo, 'frozen');
    assert.notEqual(blocked.code, 0);
    assert.match(blocked.stderr, /FREEZE/i);
    assert.match(blocked.stderr, /INC-1/);
    assert.match(blocked.stderr, /reliability-lens: push blocked: the merge check says freeze/);
    assert.equal(remoteHas(remote, 'frozen'), false);

    repo.checkout('healthy');
    const pushed = push(repo, 'healthy');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(remoteHas(remote, 'healthy'), true);

    // Installing again updates our hook in place.
    assert.match(runCli(repo.root, 'hook', 'install').stdout, /^Updated the pre-push hook /);
    const removed = runCli(repo.root, 'hook', 'uninstall');
    assert.equal(removed.stdout, `Removed the reliability-lens pre-push hook ${hook}.`);
    assert.equal(fs.existsSync(hook), false);
    repo.checkout('frozen');
    assert.equal(push(repo, 'frozen').code, 0, 'no hook, no check');
    assert.equal(runCli(repo.root, 'hook', 'uninstall').stdout, `No pre-push hook at ${hook}: nothing to remove.`);
  });

  it('installs where core.hooksPath says, relative or absolute', () => {
    const relative = setUp('rl-hook-relative-');
    relative.repo.git(['config', 'core.hooksPath', '.githooks']);
    // From a subfolder: the hook still goes where git runs hooks.
    const installed = runCli(path.join(relative.repo.root, 'services'), 'hook', 'install');
    assert.equal(installed.code, 0, installed.stderr);
    assert.ok(fs.existsSync(path.join(relative.repo.root, '.githooks', 'pre-push')));
    assert.equal(fs.existsSync(path.join(relative.repo.root, '.git', 'hooks', 'pre-push')), false);
    relative.repo.checkout('frozen');
    assert.notEqual(push(relative.repo, 'frozen').code, 0);

    const absolute = setUp('rl-hook-absolute-');
    const hooks = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-hooks-'));
    cleanup.push(hooks);
    absolute.repo.git(['config', 'core.hooksPath', path.join(hooks, 'shared')]);
    assert.equal(runCli(absolute.repo.root, 'hook', 'install').code, 0);
    assert.ok(fs.existsSync(path.join(hooks, 'shared', 'pre-push')));
    absolute.repo.checkout('frozen');
    assert.notEqual(push(absolute.repo, 'frozen').code, 0);
    assert.equal(remoteHas(absolute.remote, 'frozen'), false);
  });

  it('never writes over a hook it did not write: refuses, or chains it and still runs it', () => {
    const { repo, remote } = setUp('rl-hook-chain-');
    const hook = path.join(repo.root, '.git', 'hooks', 'pre-push');
    const seen = path.join(repo.root, 'seen-by-old-hook');
    const oldHook = `#!/bin/sh\n# the team's own hook\necho "$1 $(cat)" >> '${seen}'\n`;
    fs.writeFileSync(hook, oldHook, { mode: 0o755 });

    const refused = runCli(repo.root, 'hook', 'install');
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `reliability-lens: ${hook} exists and was not written by reliability-lens, so it is left as it is. ` +
        'Run `reliability-lens hook install --chain` to keep it and run it before the check, or move it away first.',
    );
    assert.equal(fs.readFileSync(hook, 'utf8'), oldHook);
    const notOurs = runCli(repo.root, 'hook', 'uninstall');
    assert.equal(notOurs.code, 2);
    assert.equal(notOurs.stderr, `reliability-lens: ${hook} was not written by reliability-lens (it has no reliability-lens marker), so it is left as it is`);

    const chained = runCli(repo.root, 'hook', 'install', '--chain');
    assert.equal(chained.code, 0, chained.stderr);
    const kept = path.join(repo.root, '.git', 'hooks', 'pre-push.before-reliability-lens');
    assert.match(chained.stdout, new RegExp(`It first runs the hook that was there, kept as ${kept.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.$`));
    assert.equal(fs.readFileSync(kept, 'utf8'), oldHook);

    repo.checkout('healthy');
    assert.equal(push(repo, 'healthy').code, 0);
    // The old hook ran with git's arguments and the refs on its stdin.
    assert.match(fs.readFileSync(seen, 'utf8'), /^origin refs\/heads\/healthy [0-9a-f]{40} refs\/heads\/healthy 0{40}$/m);
    repo.checkout('frozen');
    assert.notEqual(push(repo, 'frozen').code, 0);
    assert.equal(remoteHas(remote, 'frozen'), false);

    const removed = runCli(repo.root, 'hook', 'uninstall');
    assert.equal(removed.stdout, `Removed the reliability-lens pre-push hook; the hook it ran first is back at ${hook}.`);
    assert.equal(fs.readFileSync(hook, 'utf8'), oldHook);
    assert.equal(fs.existsSync(kept), false);
  });

  it('refuses outside a workspace or a repository, and a wrong action', () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-hook-plain-'));
    cleanup.push(plain);
    const noWorkspace = runCli(plain, 'hook', 'install');
    assert.equal(noWorkspace.code, 2);
    assert.match(noWorkspace.stderr, /^reliability-lens: No \.reliability\/ folder in .*`reliability-lens init` writes a starter one\)$/);
    fs.mkdirSync(path.join(plain, '.reliability'));
    assert.match(runCli(plain, 'hook', 'install').stderr, /is not inside a git repository/);
    assert.equal(runCli(plain, 'hook', 'remove').stderr, 'reliability-lens: hook needs install or uninstall');
  });
});

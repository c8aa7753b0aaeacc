// The package as npm packs it: `npm pack` of this package.json and .npmignore (with a CLI bundle
// built from the sources under test, and files that must stay out), then, in a temporary folder that
// holds nothing but the tarball, `npm install` without the network and `npx reliability-lens check
// --json` on a generated repository. So the package runs with no development dependency and no file
// of the source tree.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { builtCli } from './builders/builtCli';

const SOURCE = path.join(__dirname, '..', '..');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    // No path into the source tree: node resolves modules from the install folder only.
    env: { PATH: process.env.PATH, HOME: cwd, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the packed package (npx reliability-lens)', function () {
  // npm and a cold node start, on a shared machine.
  this.timeout(240_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const tempDir = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    cleanup.push(dir);
    return dir;
  };

  it('packs only what runs, and installs and runs from the tarball alone', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SOURCE, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.bin, { 'reliability-lens': 'dist/cli.js' });
    assert.equal(manifest.dependencies, undefined, 'the CLI bundle inlines everything it runs');
    assert.match(manifest.engines.node, /^>=\d+/);

    // The package folder as the build leaves it: the bundles, their maps, sources, tests, media.
    const stage = tempDir('rl-pack-stage-');
    for (const file of ['package.json', '.npmignore', 'README.md', 'LICENSE']) fs.copyFileSync(path.join(SOURCE, file), path.join(stage, file));
    fs.mkdirSync(path.join(stage, 'dist', 'webview'), { recursive: true });
    fs.copyFileSync(builtCli(), path.join(stage, 'dist', 'cli.js'));
    for (const decoy of ['dist/cli.js.map', 'dist/extension.js', 'dist/webview/dashboard.js', 'src/cli/main.ts', 'test/unit/a.test.ts', 'media/icons/x.svg', '.reliability/config.yaml', 'esbuild.js']) {
      fs.mkdirSync(path.dirname(path.join(stage, decoy)), { recursive: true });
      fs.writeFileSync(path.join(stage, decoy), 'decoy\n');
    }
    const packs = tempDir('rl-pack-out-');
    // --ignore-scripts: prepack would build the whole extension into dist/; the CLI is built above.
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], stage);
    assert.equal(packed.code, 0, packed.stderr);
    const [{ filename, files }] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string; mode: number }> }>;
    assert.deepEqual(files.map((file) => file.path).sort(), ['LICENSE', 'README.md', 'dist/cli.js', 'package.json']);

    // A folder outside the source tree with the tarball and nothing else.
    const install = tempDir('rl-pack-install-');
    fs.copyFileSync(path.join(packs, filename), path.join(install, filename));
    const installed = run('npm', ['install', '--no-package-lock', `./${filename}`], install);
    assert.equal(installed.code, 0, installed.stderr);
    assert.deepEqual(fs.readdirSync(path.join(install, 'node_modules')).filter((name) => !name.startsWith('.')), ['reliability-lens'], 'no dependency installed');

    const repo = GitRepoBuilder.create('rl-pack-repo-');
    cleanup.push(repo.root);
    repo.commit({
      at: '2026-01-05T10:00:00Z',
      message: 'Initial',
      files: {
        '.reliability/config.yaml': 'version: 1\ndefaultBranch: main\nservices:\n  - name: checkout\n    paths: ["services/checkout/**"]\n',
        '.reliability/incidents.yaml': 'incidents:\n  - id: INC-1\n    title: Payments fail\n    severity: SEV2\n    service: checkout\n    startedAt: 2026-01-06T09:00:00Z\n',
        'services/checkout/pay.ts': 'pay\n',
      },
    });
    repo.branch('fix').checkout('fix');
    repo.commit({ at: '2026-01-07T10:00:00Z', message: 'Tune retries', files: { 'services/checkout/pay.ts': 'pay with retries\n' } });

    const checked = run('npx', ['--no-install', 'reliability-lens', 'check', '--json', '--now', '2026-01-08T00:00:00Z', '--workspace', repo.root], install);
    assert.equal(checked.code, 1, checked.stderr);
    const verdict = JSON.parse(checked.stdout);
    assert.equal(verdict.verdict, 'freeze');
    assert.deepEqual(verdict.services, ['checkout']);
    assert.ok(verdict.reasons.some((reason: string) => reason.includes('INC-1')), verdict.reasons.join('\n'));
  });
});

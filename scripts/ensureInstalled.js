// Makes a fresh clone ready for `npm test`, `npm run demo` and `npm run bench`: runs `npm ci` when
// node_modules is missing or older than package-lock.json, and installs the Debian packages the suites
// need (a real Prometheus and Alertmanager, Chromium for the editor tests) when running as root with apt.
// Plain Node with no dependencies, because it runs before anything is installed.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

const APT_GROUPS = {
  // Real servers the source tests start themselves.
  servers: ['prometheus', 'prometheus-alertmanager'],
  // The browser the end-to-end suite drives, and the headers code-server's native modules build against.
  editor: ['chromium', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'],
};

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function needsNpmCi() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs + 1000;
}

function ensureNodeModules() {
  if (!needsNpmCi()) return;
  log('installing npm dependencies (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    log('npm ci failed; see the output above');
    process.exit(result.status ?? 1);
  }
}

function missingDebianPackages(packages) {
  return packages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages(groups) {
  const wanted = groups.flatMap((g) => APT_GROUPS[g] ?? []);
  if (wanted.length === 0) return;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get && command -v dpkg-query'], { stdio: 'ignore' }).status === 0;
  if (!hasApt) {
    log(`no apt-get here: install ${wanted.join(', ')} yourself if the suites need them`);
    return;
  }
  const missing = missingDebianPackages(wanted);
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    log(`missing Debian packages: ${missing.join(' ')}. Run: sudo apt-get install -y ${missing.join(' ')}`);
    return;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

function main() {
  const groups = process.argv.slice(2).filter((a) => a.startsWith('--apt=')).flatMap((a) => a.slice(6).split(','));
  ensureNodeModules();
  ensureDebianPackages(groups);
}

main();

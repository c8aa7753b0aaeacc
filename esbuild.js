// One build script, three bundles (GUIDE.md): the extension host (node, cjs, vscode external),
// the CLI (node), and the dashboard webview (browser). Type checking is `npm run typecheck`.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  target: 'node20',
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The CLI is always minified: it runs in CI jobs and git hooks where start-up time is the user's wait
  // (half the bytes for node to compile). The source map next to it maps errors back.
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' }, minify: true },
  { ...common, entryPoints: ['media/dashboard/main.ts'], outfile: 'dist/webview/dashboard.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

// The GitHub Action runs a bundle committed to the repository (GitHub runs committed files, it
// installs nothing): `npm run build:action` writes it, `--outfile` elsewhere for the test that
// compares it with the committed one. Minified and without a source map or absolute paths, so the
// same sources give the same bytes on any machine.
const ACTION_BUNDLE = 'action/dist/index.js';
function actionBuild(outfile) {
  return { ...common, entryPoints: ['src/ci/action/index.ts'], outfile, platform: 'node', format: 'cjs', minify: true, sourcemap: false, target: 'node20' };
}

function optionValue(name) {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

// Files the webview loads as they are: uPlot's stylesheet cannot be imported by the IIFE bundle,
// so the page links a copy next to the script.
function copyWebviewAssets() {
  const target = path.join(__dirname, 'dist', 'webview');
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), path.join(target, 'uPlot.min.css'));
}

async function main() {
  if (process.argv.includes('--action')) {
    await esbuild.build(actionBuild(optionValue('--outfile') ?? path.join(__dirname, ACTION_BUNDLE)));
    return;
  }
  const existing = builds.filter((b) => fs.existsSync(path.join(__dirname, b.entryPoints[0])));
  if (watch) {
    for (const b of existing) (await esbuild.context(b)).watch();
    return;
  }
  // A release build starts from an empty dist/ so no stale source map or bundle ends up in the VSIX.
  if (production) fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
  await Promise.all(existing.map((b) => esbuild.build(b)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
  copyWebviewAssets();
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});

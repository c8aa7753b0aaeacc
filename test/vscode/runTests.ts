// The extension in a real desktop VS Code, for contributors whose machines can download it:
// @vscode/test-electron fetches VS Code (into .vscode-test/, git-ignored), opens the demo workspace
// with this repository as the extension under development, and runs the mocha suite in
// test/vscode/suite/ inside the editor. CI uses the code-server suite in test/e2e/ instead, because
// its machines reach no VS Code download server.
//
//   npm run build && node --import tsx test/vscode/runTests.ts
//
// VSCODE_VERSION picks the editor build (default `stable`; `insiders` or e.g. `1.139.0`).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';

const REPO = path.resolve(__dirname, '..', '..');
const OUT = path.join(REPO, 'out', 'vscode-test');

/** Bundles the in-editor suite: `vscode` comes from the editor, mocha from node_modules. */
async function buildSuite(): Promise<string> {
  const suiteDir = path.join(__dirname, 'suite');
  const entryPoints = fs
    .readdirSync(suiteDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(suiteDir, name));
  fs.rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(OUT, 'index.js');
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const extensionTestsPath = await buildSuite();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-lens-vscode-'));
  const workspace = path.join(tmp, 'demo');
  const userDataDir = path.join(tmp, 'user-data');
  try {
    await createDemoWorkspace(workspace, { now: Date.now() });
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath,
      extensionTestsEnv: {
        RELIABILITY_LENS_TEST_WORKSPACE: workspace,
        RELIABILITY_LENS_TEST_LOGS: path.join(userDataDir, 'logs'),
        RELIABILITY_LENS_TEST_CLI: path.join(REPO, 'dist', 'cli.js'),
      },
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
      ],
    });
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

// `npm run demo`'s editor: the built extension in code-server on the demo workspace, at a fixed
// address a person opens in their own browser. Runs until Ctrl-C.
'use strict';

const path = require('node:path');
const { startCodeServer } = require('./codeServer');

const DEFAULT_PORT = 8080;

/**
 * Starts code-server on `workspaceFolder` with this repository's extension linked in, prints the
 * address, and resolves only when the server stops (Ctrl-C, SIGTERM, or the server exiting).
 */
async function launchDemoEditor({ workspaceFolder, port = DEFAULT_PORT, extensionPath = path.resolve(__dirname, '..'), log } = {}) {
  const server = await startCodeServer({
    workspaceFolder,
    port,
    extensionPath,
    log,
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  });
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(path.resolve(workspaceFolder))}`;
  process.stdout.write(`\nReliability Lens demo: open ${url}\n(Ctrl-C to stop)\n\n`);

  let stopping;
  const stop = (signal) => {
    if (!stopping) {
      process.stdout.write(`\nstopping the demo editor (${signal})\n`);
      stopping = server.stop();
    }
    return stopping;
  };
  const onSignal = (signal) => void stop(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const exit = await server.exited;
    if (!stopping) {
      await server.stop();
      throw new Error(`code-server stopped unexpectedly (${JSON.stringify(exit)}); its output: ${server.outputLog}`);
    }
    await stopping;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

module.exports = { launchDemoEditor, DEFAULT_PORT };

if (require.main === module) {
  // `node scripts/demoEditor.js FOLDER [PORT]`: any folder, for trying the editor by hand.
  const folder = process.argv[2];
  if (!folder) {
    process.stderr.write('usage: node scripts/demoEditor.js FOLDER [PORT]\n');
    process.exit(2);
  }
  launchDemoEditor({ workspaceFolder: folder, port: Number(process.argv[3] || DEFAULT_PORT) }).catch((err) => {
    process.stderr.write(`${err.message || err}\n`);
    process.exit(1);
  });
}

// `npm run demo`: a fresh demo workspace (history and SLI data leading up to this minute), its CLI report,
// then the extension running on it in VS Code (code-server) on 127.0.0.1 until Ctrl-C.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDemoWorkspace } from '../test/fixtures/demoWorkspace';
// Plain CommonJS so it also runs before any build; typed by demoEditor.d.ts.
import { ensureCodeServer } from './codeServer';
import { launchDemoEditor } from './demoEditor';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..');
  const workspace = path.join(repoRoot, '.demo', 'workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  const facts = await createDemoWorkspace(workspace, { now: Date.now() });
  process.stdout.write(`Demo workspace: ${workspace} (branch ${facts.branch}, ${facts.tags.length} release tags)\n\n`);
  process.stdout.write(execFileSync('node', [path.join(repoRoot, 'dist', 'cli.js'), 'report', '--workspace', workspace], { encoding: 'utf8' }));
  process.stdout.write('\n');
  if (process.argv.includes('--cli-only')) return;
  const log = (line: string) => process.stderr.write(`[demo] ${line}\n`);
  await ensureCodeServer({ log });
  await launchDemoEditor({ workspaceFolder: workspace, log });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

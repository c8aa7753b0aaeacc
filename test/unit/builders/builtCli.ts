// The CLI bundled as `npm run build` bundles it, into a temporary folder once per test run: for tests
// that run it as a separate program (a git hook, an installed package) rather than in-process.
import { buildSync } from 'esbuild';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let built: string | undefined;

/** The path of a bundled dist/cli.js built from the sources under test. */
export function builtCli(): string {
  if (built) return built;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-built-cli-'));
  const outfile = path.join(dir, 'cli.js');
  buildSync({
    entryPoints: [path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'error',
  });
  chmodSync(outfile, 0o755);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  built = outfile;
  return outfile;
}

// Runs the CLI in-process with captured output, as a user would from `cwd`.
import { runCli } from '../../../src/cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

export async function cli(cwd: string, ...argv: string[]): Promise<CliResult> {
  return cliWithEnv({}, cwd, ...argv);
}

export async function cliWithEnv(env: Record<string, string>, cwd: string, ...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli({
    argv,
    cwd,
    env,
    isTty: false,
    clock: () => Date.parse('2030-01-01T00:00:00Z'),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  const stdout = out.join('\n');
  return { code, stdout, stderr: err.join('\n'), json: () => JSON.parse(stdout) };
}

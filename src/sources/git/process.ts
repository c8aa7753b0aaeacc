// Running git. Large reads (the commit graph, a file's log, blame) stream from one git process of our
// own (streamGit, or streamGitThroughFile for megabytes); small questions (rev-parse, diff --name-only,
// symbolic-ref) go through simple-git (gitAt). Every process gets the same environment.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';

/**
 * The environment of every git process. LC_ALL=C: messages and dates in one language to parse.
 * GIT_LITERAL_PATHSPECS: paths come from the user (`lens FILE`) and from the repository, and a path
 * such as `:(glob)**` must name that file, not every file a pathspec matches.
 */
export function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_LITERAL_PATHSPECS: '1', ...extra };
}

/** A git process that exited with an error; a caller expecting that (blame of an untracked file) catches this class. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed: ${stderr.trim().split('\n')[0] || `exit code ${exitCode}`}`);
  }
}

/**
 * Runs git, handing stdout's bytes to `onData` as they arrive; rejects with the first stderr line on
 * failure. Aborting `signal` kills the process (a superseded refresh, a closed folder) and rejects
 * with the signal's AbortError.
 */
export function streamGit(cwd: string, args: readonly string[], onData: (chunk: Buffer) => void, input?: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // GIT_FLUSH=0: writing to a pipe, git otherwise flushes after every commit, and 50,000 commits
    // arrive as 20,000 small chunks that cost node three times the CPU of 1,500 large ones.
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: gitEnvironment({ GIT_FLUSH: '0' }), signal });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GitCommandError(args, code, stderr))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** How long to wait for git to write more when the output file has no new bytes. */
const OUTPUT_POLL_MS = 2;
/** Bytes read from the output file at a time. */
const OUTPUT_READ_BYTES = 1 << 18;

/**
 * Runs git like streamGit, but with stdout going to a temporary file that is read as it grows.
 * For output of megabytes (the commit graph): a pipe holds 64 KB, so whenever node's one thread is
 * busy (evaluating modules, parsing `.reliability/`, which the CLI does while git runs) git filled
 * the pipe within milliseconds and waited; measured on 50,000 commits, `git log` took half as long
 * again as on its own. A file never makes git wait, and node reads what has arrived when it is free.
 */
export async function streamGitThroughFile(
  cwd: string,
  args: readonly string[],
  onData: (chunk: Buffer) => void,
  input?: string,
  signal?: AbortSignal,
): Promise<void> {
  let directory: string | undefined;
  let output: fs.FileHandle;
  try {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'reliability-lens-git-'));
    output = await fs.open(path.join(directory, 'stdout'), 'w+');
  } catch {
    // No writable temporary folder: slower through the pipe, but the same output.
    if (directory) await fs.rm(directory, { recursive: true, force: true }).catch(() => undefined);
    return streamGit(cwd, args, onData, input, signal);
  }
  try {
    const exit = new Promise<void>((resolve, reject) => {
      const child = spawn('git', args, { cwd, stdio: ['pipe', output.fd, 'pipe'], env: gitEnvironment(), signal });
      let stderr = '';
      // Both exist (stdio 'pipe'); the types cannot tell with a file descriptor in the list.
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new GitCommandError(args, code, stderr))));
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input ?? '');
    });
    let exited = false;
    const settled = exit.then(
      () => (exited = true),
      () => (exited = true),
    );
    // One buffer to read into; the caller is handed a copy of exactly the bytes read, which it may
    // keep. A fresh 256 KB buffer per read, when git writes a few KB between reads, left tens of MB
    // of dead buffers outside the heap until the next collection.
    const buffer = Buffer.allocUnsafe(OUTPUT_READ_BYTES);
    for (let position = 0; ; ) {
      // Whether git had exited is taken before the read: a read after the exit sees every byte.
      const finished = exited;
      const { bytesRead } = await output.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        onData(Buffer.from(buffer.subarray(0, bytesRead)));
      } else if (finished) {
        break;
      } else {
        await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, OUTPUT_POLL_MS))]);
      }
    }
    await exit;
  } finally {
    await output.close();
    await fs.rm(directory, { recursive: true, force: true });
  }
}

export async function runGit(cwd: string, args: readonly string[], input?: string, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  await streamGit(cwd, args, (chunk) => chunks.push(chunk), input, signal);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * simple-git for the small questions, loaded on first use: reading delivery history spawns git
 * itself, and evaluating simple-git before that delayed the start of `git log` on every CLI run.
 */
export async function gitAt(directory: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: directory, trimmed: true });
}

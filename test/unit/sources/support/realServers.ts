// Starting the real Prometheus and Alertmanager binaries (Debian packages `prometheus` and
// `prometheus-alertmanager`) for source tests: on 127.0.0.1, on a port free at run time, with a
// temporary directory, stopped (and the directory removed) by the test afterwards.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fails loudly (never skips) when a binary the suite needs is not installed. */
export function requireBinary(path: string, debianPackage: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: install it with \`apt-get install -y ${debianPackage}\` (CI installs it before the tests)`);
  }
  return path;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RunningProcess {
  /** Output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `binary` and resolves once `readyUrl` answers 200; rejects with its output otherwise. */
export async function startAndWaitReady(binary: string, args: string[], readyUrl: string, timeoutMs = 15_000): Promise<RunningProcess> {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const running: RunningProcess = {
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        // A server that ignores SIGTERM must not keep the test run alive.
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${binary} exited during start-up:\n${output.slice(-2000)}`);
    try {
      const response = await fetch(readyUrl);
      if (response.ok) return running;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await running.stop();
  throw new Error(`${binary} was not ready after ${timeoutMs} ms:\n${output.slice(-2000)}`);
}

export function runToCompletion(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${binary} ${args.join(' ')} failed (${code}):\n${output.slice(-2000)}`))));
  });
}

export interface BackfilledPrometheus {
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/**
 * A real Prometheus (Debian's package) serving exactly the samples of `openMetricsText`, backfilled
 * with `promtool tsdb create-blocks-from openmetrics` (no scraping, so the data never changes).
 */
export async function startBackfilledPrometheus(openMetricsText: string, directoryPrefix: string): Promise<BackfilledPrometheus> {
  const prometheus = requireBinary('/usr/bin/prometheus', 'prometheus');
  const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
  const directory = temporaryDirectory(directoryPrefix);
  try {
    const metrics = join(directory.path, 'metrics.om');
    writeFileSync(metrics, openMetricsText);
    const data = join(directory.path, 'data');
    await runToCompletion(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=744h', metrics, data]);
    const config = join(directory.path, 'prometheus.yml');
    writeFileSync(config, 'global: {}\n');
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = await startAndWaitReady(
      prometheus,
      [`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`],
      `${baseUrl}/-/ready`,
    );
    return {
      baseUrl,
      stop: async () => {
        await server.stop();
        directory.remove();
      },
    };
  } catch (error) {
    directory.remove();
    throw error;
  }
}

// Starting the real Prometheus and Alertmanager binaries (Debian packages `prometheus` and
// `prometheus-alertmanager`) for source tests and benchmarks: on 127.0.0.1, on a port free at run
// time, with a temporary directory, stopped (and the directory removed) by the test afterwards.
// Prometheus holds backfilled data only (promtool), raw samples and optionally recording rules' series.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fixedDurationMs } from '../../../../src/core/duration';

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

export function runToCompletion(binary: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
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
  /** Stops the server and removes its working copy of the data (a cache given in the options stays). */
  stop(): Promise<void>;
}

/** Recording rules whose series are computed from the backfilled raw data, as if Prometheus had evaluated them all along. */
export interface RuleBackfill {
  /** A Prometheus rule file (YAML text); its recording rules are evaluated, alerting rules are not. */
  text: string;
  /** First and last evaluation time to backfill, epoch ms (promtool works in whole seconds). */
  start: number;
  end: number;
  /**
   * The evaluation interval of groups without their own `interval` (promtool's `--eval-interval`):
   * Prometheus's global `evaluation_interval`, 1m unless configured.
   */
  defaultInterval?: string;
  /**
   * The file name the rules are evaluated under (default `rules.yml`). Prometheus offsets a group's
   * evaluation times from the interval's grid by a hash of the group's name and file name, so the
   * same name gives the same record times in every run.
   */
  fileName?: string;
}

export interface BackfillOptions {
  /** Also backfill these recording rules' series with `promtool tsdb create-blocks-from rules`. */
  rules?: RuleBackfill;
  /** More command-line flags for the served Prometheus (say `--query.max-samples=...`). */
  flags?: string[];
  /**
   * Keep the backfilled blocks in `directory` and reuse them while `key` (the data generator's
   * parameters) is unchanged, so a data set that takes minutes to backfill is backfilled once. The
   * rules' blocks are kept alongside, keyed by their own text and range as well. Prometheus always
   * runs on a temporary copy, so the cache never sees its compactions or its WAL.
   */
  cache?: { directory: string; key: string };
  /** Told what takes time (backfills), for a benchmark's progress lines. */
  log?: (line: string) => void;
}

/** Raw data as OpenMetrics text: one document, or several (each ending in `# EOF`) that never need to be in memory together. */
export type OpenMetricsInput = string | Iterable<string>;

const RAW_BLOCKS = 'raw';
const RULE_BLOCKS = 'rules';
/** Written last, so a backfill that was interrupted is never mistaken for a complete one. */
const KEY_FILE = '.key';

/**
 * A real Prometheus (Debian's package) serving exactly the samples of `openMetrics`, backfilled with
 * `promtool tsdb create-blocks-from openmetrics` (no scraping, so the data never changes), and
 * optionally the series of recording rules computed from them (`options.rules`).
 */
export async function startBackfilledPrometheus(openMetrics: OpenMetricsInput, directoryPrefix: string, options: BackfillOptions = {}): Promise<BackfilledPrometheus> {
  const prometheus = requireBinary('/usr/bin/prometheus', 'prometheus');
  const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
  const directory = temporaryDirectory(directoryPrefix);
  const servers: RunningProcess[] = [];
  try {
    const blocksRoot = options.cache?.directory ?? directory.path;
    const rawKey = options.cache?.key ?? '';
    const rawBlocks = join(blocksRoot, RAW_BLOCKS);
    const ruleBlocks = join(blocksRoot, RULE_BLOCKS);
    if (!holdsKey(rawBlocks, rawKey)) {
      // New raw data makes any rules computed from the old data stale too.
      rmSync(ruleBlocks, { recursive: true, force: true });
      options.log?.(`backfilling the raw data into ${rawBlocks}`);
      await backfillOpenMetrics(promtool, openMetrics, rawBlocks, directory.path);
      writeKey(rawBlocks, rawKey);
    }
    const data = join(directory.path, 'data');
    copyBlocks(rawBlocks, data);
    const config = join(directory.path, 'prometheus.yml');
    writeFileSync(config, 'global: {}\n');
    const serve = async (flags: string[]): Promise<{ baseUrl: string; server: RunningProcess }> => {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const server = await startAndWaitReady(
        prometheus,
        [`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, ...flags],
        `${baseUrl}/-/ready`,
      );
      servers.push(server);
      return { baseUrl, server };
    };

    if (options.rules) {
      const rulesKey = JSON.stringify([rawKey, options.rules]);
      if (!holdsKey(ruleBlocks, rulesKey)) {
        // promtool evaluates the rules through the query API of a Prometheus that holds the raw data.
        const raw = await serve([]);
        options.log?.(`backfilling the recording rules into ${ruleBlocks}`);
        try {
          await backfillRules(promtool, options.rules, raw.baseUrl, ruleBlocks, directory.path);
        } finally {
          await raw.server.stop();
        }
        writeKey(ruleBlocks, rulesKey);
      }
      copyBlocks(ruleBlocks, data);
    }
    const { baseUrl, server } = await serve(options.flags ?? []);
    return {
      baseUrl,
      stop: async () => {
        await server.stop();
        directory.remove();
      },
    };
  } catch (error) {
    for (const server of servers) await server.stop();
    directory.remove();
    throw error;
  }
}

/** One promtool run per document, each written to a scratch file and removed after. */
async function backfillOpenMetrics(promtool: string, openMetrics: OpenMetricsInput, blocks: string, scratch: string): Promise<void> {
  rmSync(blocks, { recursive: true, force: true });
  mkdirSync(blocks, { recursive: true });
  const documents = typeof openMetrics === 'string' ? [openMetrics] : openMetrics;
  const file = join(scratch, 'metrics.om');
  for (const document of documents) {
    writeFileSync(file, document);
    // Blocks up to 31 days, so a month of data is a few blocks, not one per 2 hours.
    await runToCompletion(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=744h', file, blocks]);
    rmSync(file);
  }
}

/** Prometheus refuses range queries of more than 11,000 points per series; promtool asks one per block. */
const MAX_POINTS_PER_RANGE = 11_000;
/** The block lengths promtool can write (tsdb.ExponentialBlockRanges(2h, 10, 3)), up to 20 days. */
const BLOCK_HOURS = [2, 6, 18, 54, 162, 486];

async function backfillRules(promtool: string, rules: RuleBackfill, url: string, blocks: string, scratch: string): Promise<void> {
  rmSync(blocks, { recursive: true, force: true });
  mkdirSync(blocks, { recursive: true });
  const defaultInterval = rules.defaultInterval ?? '1m';
  const fileName = rules.fileName ?? 'rules.yml';
  if (basename(fileName) !== fileName) throw new Error(`RuleBackfill.fileName is a bare file name, not ${JSON.stringify(fileName)}`);
  writeFileSync(join(scratch, fileName), rules.text);
  // Run where the file is, so promtool knows it by the bare name (see RuleBackfill.fileName).
  await runToCompletion(promtool, [
    'tsdb',
    'create-blocks-from',
    'rules',
    '--quiet',
    `--url=${url}`,
    `--start=${Math.floor(rules.start / 1000)}`,
    `--end=${Math.floor(rules.end / 1000)}`,
    `--eval-interval=${defaultInterval}`,
    // A hidden flag of create-blocks-from: without it promtool writes one block per rule per 2 hours
    // (thousands for a month of a few dozen rules), which Prometheus then opens one by one.
    `--max-block-duration=${ruleBlockHours(rules.text, defaultInterval)}h`,
    `--output-dir=${blocks}`,
    fileName,
  ], { cwd: scratch });
}

/** The longest block whose range query stays under Prometheus's point limit at the shortest group interval. */
function ruleBlockHours(ruleFile: string, defaultInterval: string): number {
  const document = parseYaml(ruleFile) as { groups?: Array<{ interval?: string }> } | null;
  const intervals = (document?.groups ?? []).map((group) => {
    const text = group.interval ?? defaultInterval;
    const ms = fixedDurationMs(text);
    if (ms === null) throw new Error(`rule group interval ${JSON.stringify(text)} is not a duration this helper reads (like 30s, 5m, 1h)`);
    return ms;
  });
  // Groups without an interval were given the default above; a file without groups evaluates nothing.
  const shortest = intervals.length > 0 ? Math.min(...intervals) : 60_000;
  const fitting = BLOCK_HOURS.filter((hours) => (hours * 3_600_000) / shortest <= MAX_POINTS_PER_RANGE);
  return fitting.length > 0 ? fitting[fitting.length - 1] : BLOCK_HOURS[0];
}

function holdsKey(blocks: string, key: string): boolean {
  const file = join(blocks, KEY_FILE);
  return existsSync(file) && readFileSync(file, 'utf8') === key;
}

function writeKey(blocks: string, key: string): void {
  writeFileSync(join(blocks, KEY_FILE), key);
}

/** Copies every block directory (not the key file) of `blocks` into the data directory `data`. */
function copyBlocks(blocks: string, data: string): void {
  mkdirSync(data, { recursive: true });
  for (const entry of readdirSync(blocks, { withFileTypes: true })) {
    if (entry.isDirectory()) cpSync(join(blocks, entry.name), join(data, entry.name), { recursive: true });
  }
}

// Timing helpers for `npm run bench`: wall time of whole processes (best of N, or one run for rounds that alternate with a floor) and their peak memory.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface Measurement {
  label: string;
  /** Best wall time over the runs, ms. */
  ms: number;
  /** Peak resident memory of the slowest-memory run, MB (node processes only). */
  peakMb: number | null;
}

const PEAK = path.join(__dirname, 'peakMemory.cjs');

/** Runs a command `runs` times and keeps the best time: the floor of noise on a shared machine. */
export function measure(label: string, command: string, args: string[], options: { cwd?: string; runs?: number; node?: boolean } = {}): Measurement {
  let best = Infinity;
  let peakMb: number | null = null;
  for (let i = 0; i < (options.runs ?? 3); i++) {
    const finalArgs = options.node ? ['-r', PEAK, ...args] : args;
    const start = process.hrtime.bigint();
    const result = spawnSync(command, finalArgs, { cwd: options.cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}): ${result.stderr.slice(0, 2000)}`);
    best = Math.min(best, ms);
    const peak = /PEAK_RSS_KB=(\d+)/.exec(result.stderr);
    if (peak) peakMb = Math.max(peakMb ?? 0, Number(peak[1]) / 1024);
  }
  return { label, ms: best, peakMb };
}

export function formatMeasurement(m: Measurement): string {
  return `${m.label.padEnd(58)} ${m.ms.toFixed(0).padStart(7)} ms${m.peakMb === null ? '' : `  peak ${m.peakMb.toFixed(0)} MB`}`;
}

export interface TimedProcess {
  ms: number;
  stdout: string;
  /** Peak resident memory, MB, when the process is node started with `-r peakMemory.cjs` (see `nodeArgsWithPeak`). */
  peakMb: number | null;
}

/** `node` arguments that preload peakMemory.cjs, so the process reports its peak resident memory when it exits. */
export function nodeArgsWithPeak(args: string[]): string[] {
  return ['-r', PEAK, ...args];
}

/**
 * Runs one process to completion and times it. Exit statuses other than `okStatuses` (default 0) are
 * errors: `check` exits 1 for a freeze, which is an answer, not a failure.
 */
export function timeProcess(
  command: string,
  args: string[],
  options: { cwd: string; input?: string; okStatuses?: number[]; timeoutMs?: number },
): TimedProcess {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const ok = options.okStatuses ?? [0];
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status === null || !ok.includes(result.status)) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${result.stderr.slice(0, 2000)}`);
  }
  const peak = /PEAK_RSS_KB=(\d+)/.exec(result.stderr);
  return { ms, stdout: result.stdout, peakMb: peak ? Number(peak[1]) / 1024 : null };
}

export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

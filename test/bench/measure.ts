// Timing helpers for `npm run bench`: wall time of whole processes (best of N) and their peak memory.
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

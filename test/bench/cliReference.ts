// The answers of the previous CLI on the generated repositories, kept under `.cache/bench/reference/`:
// the window-bounded reads of issue 8 must give exactly the numbers of the code that read the whole
// history. The previous CLI is the bundle built from commit 69e8d1f (`cli-69e8d1f.js`, copied there by
// the lead before the change); its `dora`, `lens FILE` and `check` outputs are computed once per
// repository and reused while the repository, its `.reliability/` folder and the evaluation time stay
// the same.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BenchRepository } from './bigRepository';
import { git } from './bigRepository';
import { CLI_OK_STATUSES, deliveryCommands } from './deliveryCommands';
import type { DeliveryCommands } from './deliveryCommands';
import { nodeArgsWithPeak, timeProcess } from './measure';

export const REFERENCE_COMMIT = '69e8d1f';
/** The previous CLI reads every commit; on a million it needs a big heap and may still not finish. */
const REFERENCE_HEAP_MB = 8000;
const REFERENCE_TIMEOUT_MS = 10 * 60_000;

export type CommandName = keyof DeliveryCommands['cli'];
export const COMMAND_NAMES: CommandName[] = ['dora', 'lens', 'check'];

interface ReferenceKey {
  cli: string;
  head: string;
  now: string;
  reliabilityFolder: string;
}

interface ReferenceRun {
  ms: number;
  peakMb: number | null;
}

interface ReferenceMeta {
  key: ReferenceKey;
  /** Absent when the previous CLI could not answer on this repository. */
  runs?: Record<CommandName, ReferenceRun>;
  unavailable?: string;
}

export type Reference =
  | { available: true; outputs: Record<CommandName, unknown>; runs: Record<CommandName, ReferenceRun>; files: string[] }
  | { available: false; reason: string; files: string[] };

function keyOf(repository: BenchRepository, cli: string): ReferenceKey {
  const folder = path.join(repository.root, '.reliability');
  const hash = createHash('sha256');
  for (const file of ['config.yaml', 'incidents.yaml']) hash.update(readFileSync(path.join(folder, file)));
  return {
    cli: path.basename(cli),
    head: git(repository.root, ['rev-parse', 'HEAD']).trim(),
    now: new Date(repository.now).toISOString(),
    reliabilityFolder: hash.digest('hex'),
  };
}

const sameKey = (a: ReferenceKey, b: ReferenceKey) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The previous CLI's outputs on `repository` (its base copy, without commit-graph), computed now when
 * missing or stale. Each command runs once, with an 8 GB heap and a 10-minute limit; when one fails the
 * reference is recorded as unavailable, with the reason, so later runs do not try again.
 */
export function ensureReference(projectRoot: string, repository: BenchRepository, log: (line: string) => void): Reference {
  const directory = path.join(projectRoot, '.cache', 'bench', 'reference');
  const cli = path.join(directory, `cli-${REFERENCE_COMMIT}.js`);
  const name = repository.shape.name;
  const metaFile = path.join(directory, `${name}.meta.json`);
  const outputFile = (command: CommandName) => path.join(directory, `${name}.${command}.json`);
  const files = [metaFile, ...COMMAND_NAMES.map(outputFile)].map((file) => path.relative(projectRoot, file));
  if (!existsSync(cli)) return { available: false, reason: `${path.relative(projectRoot, cli)} is missing`, files: [] };
  const key = keyOf(repository, cli);
  const stored = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as ReferenceMeta) : null;
  if (stored && sameKey(stored.key, key)) {
    if (stored.unavailable !== undefined || !stored.runs) return { available: false, reason: stored.unavailable ?? 'no runs recorded', files: [files[0]] };
    const outputs = Object.fromEntries(COMMAND_NAMES.map((command) => [command, JSON.parse(readFileSync(outputFile(command), 'utf8')) as unknown]));
    return { available: true, outputs: outputs as Record<CommandName, unknown>, runs: stored.runs, files };
  }

  log(`computing the reference outputs of the previous CLI (${REFERENCE_COMMIT}) on ${name}`);
  const commands = deliveryCommands(repository.root, cli, repository.now);
  const runs: Partial<Record<CommandName, ReferenceRun>> = {};
  const outputs: Partial<Record<CommandName, string>> = {};
  for (const command of COMMAND_NAMES) {
    try {
      const run = timeProcess(process.execPath, [`--max-old-space-size=${REFERENCE_HEAP_MB}`, ...nodeArgsWithPeak(commands.cli[command])], {
        cwd: repository.root,
        okStatuses: CLI_OK_STATUSES[command],
        timeoutMs: REFERENCE_TIMEOUT_MS,
      });
      JSON.parse(run.stdout);
      runs[command] = { ms: run.ms, peakMb: run.peakMb };
      outputs[command] = run.stdout;
      log(`previous CLI ${command}: ${(run.ms / 1000).toFixed(1)} s, peak ${run.peakMb?.toFixed(0) ?? '?'} MB`);
    } catch (error) {
      const reason = `the previous CLI's ${command} did not finish within ${REFERENCE_TIMEOUT_MS / 60_000} minutes with a ${REFERENCE_HEAP_MB} MB heap: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`;
      writeFileSync(metaFile, JSON.stringify({ key, unavailable: reason } satisfies ReferenceMeta, null, 2) + '\n');
      return { available: false, reason, files: [files[0]] };
    }
  }
  for (const command of COMMAND_NAMES) writeFileSync(outputFile(command), outputs[command] as string);
  const complete = runs as Record<CommandName, ReferenceRun>;
  writeFileSync(metaFile, JSON.stringify({ key, runs: complete } satisfies ReferenceMeta, null, 2) + '\n');
  const parsed = Object.fromEntries(COMMAND_NAMES.map((command) => [command, JSON.parse(outputs[command] as string) as unknown]));
  return { available: true, outputs: parsed as Record<CommandName, unknown>, runs: complete, files };
}

/**
 * Where two JSON values first differ (`$.weekly[3].deployments: 40 vs 39`), or null when they are equal.
 * With `addedKeys`, an object key present only in `b` is no difference: the JSON contract lets a newer
 * CLI add keys, never change or drop one.
 */
export function firstDifference(a: unknown, b: unknown, options: { addedKeys?: boolean } = {}, at = '$'): string | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) return `${at}: ${a.length} entries vs ${b.length}`;
      const difference = firstDifference(a[i], b[i], options, `${at}[${i}]`);
      if (difference) return difference;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const left = (a as Record<string, unknown>)[key];
      const right = (b as Record<string, unknown>)[key];
      if (left === undefined && right !== undefined && options.addedKeys) continue;
      if (left === undefined || right === undefined) {
        if (left !== right) return `${at}.${key}: ${left === undefined ? 'absent' : 'present'} vs ${right === undefined ? 'absent' : 'present'}`;
        continue;
      }
      const difference = firstDifference(left, right, options, `${at}.${key}`);
      if (difference) return difference;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

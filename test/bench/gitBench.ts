// Benchmark of delivery history on a generated repository (issue 8), measured against the floors of
// what any tool must do to answer for the 90-day DORA window, in the same run:
//
// - `dora` within 2x of `git for-each-ref refs/tags` + one `git rev-list --stdin` of the last 180 days'
//   deployments minus every earlier one + node's start-up; on the million-commit repository its peak
//   memory under 120 MB;
// - `check --base main~5` within 2x of that floor + `git diff --name-only BASE...HEAD` + `git log BASE..HEAD`;
// - `lens FILE` within 3x of `git log --since -- FILE` + `git blame --since` + `for-each-ref` + node's start-up.
//
// Each repository is measured twice, without and with a commit-graph file, and the two must print the
// same `dora`, `lens` and `check` JSON; the base copy must still have no commit-graph afterwards (the
// product never writes one). The outputs must also equal those of the previous CLI (cliReference.ts).
// Part of `npm run bench` (test/bench/run.ts); on its own: `npx tsx test/bench/gitBench.ts [million]`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRepository, FIFTY_THOUSAND, hasCommitGraph, MILLION } from './bigRepository';
import type { BenchRepository, RepositoryShape } from './bigRepository';
import { baseRuleCautions } from '../../src/core/baseRule';
import { COMMAND_NAMES, ensureReference, firstDifference, REFERENCE_COMMIT } from './cliReference';
import type { CommandName, Reference } from './cliReference';
import { CHECK_BASE_DEPTH, CLI_OK_STATUSES, deliveryCommands, FLOORS, STEP_LABELS } from './deliveryCommands';
import type { DeliveryCommands, StepName } from './deliveryCommands';
import { medianOf, nodeArgsWithPeak, timeProcess } from './measure';

/** Issue 8's targets: ours over the floor, median of the per-round ratios. */
const RATIO_TARGETS: Record<CommandName, number> = { dora: 2, check: 2, lens: 3 };
/** Fewest counted rounds when a warm-up round is slow enough to cut their number. */
const MIN_RUNS = 3;
const COMMAND_TIMEOUT_MS = 10 * 60_000;

export interface GitBenchOptions {
  /** Project root holding dist/, src/ and .cache/; default the current directory. */
  projectRoot?: string;
  shape?: RepositoryShape;
  /** Counted rounds after the warm-up (floor and ours alternate in each); medians are reported. Default 5. */
  runs?: number;
  /** A warm-up round slower than this (ms) cuts the counted rounds to 3. Default 60 s. */
  slowRoundMs?: number;
  /** Peak memory target of the `dora` process, MB; none when absent. */
  doraPeakTargetMb?: number;
  /** The CLI bundle to measure; default dist/cli.js, rebuilt when src/ is newer. */
  cli?: string;
  log?: (line: string) => void;
}

export interface CommandBench {
  name: CommandName;
  /** The command as printed. */
  command: string;
  /** Median of each floor step, ms. */
  floor: { label: string; ms: number }[];
  /** Median of the per-round floor totals, ms. */
  floorTotal: number;
  /** Median wall time of the CLI process, ms. */
  ours: number;
  /** Median of the per-round ratios ours / floor. */
  ratio: number;
  target: number;
  /** Highest peak resident memory of the CLI process over the rounds, MB. */
  peakMb: number;
  peakTargetMb: number | null;
  pass: boolean;
  /** What the answer held, for the printed line (`247 deployments`, `verdict caution`, `110 changes`). */
  answer: string;
}

export interface VariantBench {
  variant: 'without commit-graph' | 'with commit-graph';
  root: string;
  rounds: number;
  warmUpMs: number;
  commands: Record<CommandName, CommandBench>;
  outputs: Record<CommandName, unknown>;
  /** Commands whose output changed from one round to the next (it never should). */
  unstable: CommandName[];
}

export interface CorrectnessCheck {
  label: string;
  pass: boolean;
  detail: string;
}

export interface GitBenchResult {
  name: string;
  commits: number;
  tags: number;
  now: string;
  generationMs: number;
  generatedNow: boolean;
  commitGraphMs: number;
  windowDeployments: DeliveryCommands['windowDeployments'];
  base: string;
  variants: VariantBench[];
  /** The editor's case in one process (warmSnapshot.ts), on the base copy. */
  inProcess: { firstMs: number; againMs: number; peakMb: number | null } | { error: string };
  reference: Reference;
  checks: CorrectnessCheck[];
  pass: boolean;
}

/** Builds dist/cli.js (`node esbuild.js`) when it is missing or older than a source file. */
export function ensureCli(projectRoot: string, log: (line: string) => void): string {
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  const newestSource = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newestSource(path.join(dir, entry.name)) : statSync(path.join(dir, entry.name)).mtimeMs,
      ),
    );
  if (existsSync(cli) && statSync(cli).mtimeMs >= newestSource(path.join(projectRoot, 'src'))) return cli;
  log('building dist/cli.js (node esbuild.js)');
  const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: projectRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node esbuild.js failed: ${result.stderr}`);
  return cli;
}

const STEP_ORDER: { steps: StepName[]; command: CommandName }[] = [
  { steps: ['forEachRef', 'revList', 'nodeStartup'], command: 'dora' },
  { steps: ['diffNames', 'logRange'], command: 'check' },
  { steps: ['logFileSince', 'blameSince'], command: 'lens' },
];

function answerOf(command: CommandName, output: unknown): string {
  const value = output as { deployments?: number; verdict?: string; changes?: unknown[] };
  if (command === 'dora') return `${value.deployments} deployments`;
  if (command === 'check') return `verdict ${value.verdict}`;
  return `${value.changes?.length} changes`;
}

/**
 * Rounds of one variant: in each, every floor step and every CLI command runs once, a command right
 * after its own floor steps, so a machine busy with other work slows both alike. The first round warms
 * the page cache and git's pack index and is not counted.
 */
function benchVariant(
  variant: VariantBench['variant'],
  root: string,
  commands: DeliveryCommands,
  options: { runs: number; slowRoundMs: number; doraPeakTargetMb: number | null; cliLabel: string; log: (line: string) => void },
): VariantBench {
  const stepSamples = Object.fromEntries(Object.keys(commands.steps).map((step) => [step, [] as number[]])) as Record<StepName, number[]>;
  const ours = { dora: [] as number[], check: [] as number[], lens: [] as number[] };
  const ratios = { dora: [] as number[], check: [] as number[], lens: [] as number[] };
  const floorTotals = { dora: [] as number[], check: [] as number[], lens: [] as number[] };
  const peaks = { dora: 0, check: 0, lens: 0 };
  const stdout = { dora: '', check: '', lens: '' };
  const unstable = new Set<CommandName>();
  let rounds = options.runs;
  let warmUpMs = 0;
  for (let round = 0; round <= rounds; round++) {
    const began = performance.now();
    const stepMs = {} as Record<StepName, number>;
    const oursMs = {} as Record<CommandName, number>;
    for (const { steps, command } of STEP_ORDER) {
      for (const step of steps) {
        const spec = commands.steps[step];
        stepMs[step] = timeProcess(spec.command, spec.args, { cwd: root, input: spec.input, timeoutMs: COMMAND_TIMEOUT_MS }).ms;
      }
      const run = timeProcess(process.execPath, nodeArgsWithPeak(commands.cli[command]), {
        cwd: root,
        okStatuses: CLI_OK_STATUSES[command],
        timeoutMs: COMMAND_TIMEOUT_MS,
      });
      oursMs[command] = run.ms;
      if (round > 0 && run.stdout !== stdout[command]) unstable.add(command);
      stdout[command] = run.stdout;
      peaks[command] = Math.max(peaks[command], run.peakMb ?? 0);
    }
    if (round === 0) {
      warmUpMs = performance.now() - began;
      if (warmUpMs > options.slowRoundMs && rounds > MIN_RUNS) {
        rounds = MIN_RUNS;
        options.log(`warm-up round took ${(warmUpMs / 1000).toFixed(1)} s: counting ${MIN_RUNS} rounds`);
      }
      continue;
    }
    for (const step of Object.keys(stepMs) as StepName[]) stepSamples[step].push(stepMs[step]);
    for (const command of COMMAND_NAMES) {
      const floor = FLOORS[command].reduce((sum, step) => sum + stepMs[step], 0);
      floorTotals[command].push(floor);
      ours[command].push(oursMs[command]);
      ratios[command].push(oursMs[command] / floor);
    }
  }
  const outputs = Object.fromEntries(COMMAND_NAMES.map((command) => [command, JSON.parse(stdout[command]) as unknown])) as Record<CommandName, unknown>;
  const bench = (command: CommandName, label: string): CommandBench => {
    const ratio = medianOf(ratios[command]);
    const peakTargetMb = command === 'dora' ? options.doraPeakTargetMb : null;
    return {
      name: command,
      command: label,
      floor: FLOORS[command].map((step) => ({ label: STEP_LABELS[step], ms: medianOf(stepSamples[step]) })),
      floorTotal: medianOf(floorTotals[command]),
      ours: medianOf(ours[command]),
      ratio,
      target: RATIO_TARGETS[command],
      peakMb: peaks[command],
      peakTargetMb,
      pass: ratio <= RATIO_TARGETS[command] && (peakTargetMb === null || peaks[command] < peakTargetMb),
      answer: answerOf(command, outputs[command]),
    };
  };
  return {
    variant,
    root,
    rounds,
    warmUpMs,
    commands: {
      dora: bench('dora', `node ${options.cliLabel} dora --json`),
      check: bench('check', `node ${options.cliLabel} check --base main~${CHECK_BASE_DEPTH} --json`),
      lens: bench('lens', `node ${options.cliLabel} lens FILE --json`),
    },
    outputs,
    unstable: [...unstable],
  };
}

/** The editor's case in one process, in a child so its peak memory is its own. */
function benchInProcess(projectRoot: string, repository: BenchRepository): GitBenchResult['inProcess'] {
  try {
    const run = timeProcess(
      process.execPath,
      ['--import', 'tsx', ...nodeArgsWithPeak([path.join(__dirname, 'warmSnapshot.ts'), repository.root, String(repository.now), String(MIN_RUNS)])],
      { cwd: projectRoot, timeoutMs: COMMAND_TIMEOUT_MS },
    );
    const { firstMs, againMs } = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { firstMs: number; againMs: number };
    return { firstMs, againMs, peakMb: run.peakMb };
  } catch (error) {
    return { error: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  }
}

/**
 * Our output as the previous CLI could have given it. It predates the base rule (issue 10): the bench
 * repositories' `.reliability/` is not committed, so their base has none and `check` adds the rule's
 * first-adoption caution (its verdict unchanged). That one reason, as core/baseRule.ts writes it, is
 * left out of the comparison; every other reason must still be the previous CLI's.
 */
function comparableWithReference(command: CommandName, output: unknown): unknown {
  if (command !== 'check') return output;
  const check = output as { base: string; reasons: string[] };
  const [firstAdoption] = baseRuleCautions({ base: check.base, folder: '.reliability', judgedBy: 'no-base-folder', editedFiles: [], skipped: [] });
  return { ...check, reasons: check.reasons.filter((reason) => reason !== firstAdoption) };
}

function correctnessChecks(repository: BenchRepository, variants: VariantBench[], reference: Reference): CorrectnessCheck[] {
  const checks: CorrectnessCheck[] = [];
  const [base, withGraph] = variants;
  for (const variant of variants) {
    checks.push({
      label: `same output in every round ${variant.variant}`,
      pass: variant.unstable.length === 0,
      detail: variant.unstable.length === 0 ? 'stable' : `${variant.unstable.join(', ')} changed between rounds`,
    });
  }
  for (const command of COMMAND_NAMES) {
    const difference = firstDifference(base.outputs[command], withGraph.outputs[command]);
    checks.push({
      label: `${command} --json: same output with and without commit-graph`,
      pass: difference === null,
      detail: difference ?? 'identical',
    });
  }
  if (reference.available) {
    for (const command of COMMAND_NAMES) {
      const difference = firstDifference(reference.outputs[command], comparableWithReference(command, base.outputs[command]), { addedKeys: true });
      checks.push({
        label: `${command} --json: same output as the previous CLI (${REFERENCE_COMMIT})`,
        pass: difference === null,
        detail: difference ?? 'identical',
      });
    }
  }
  const graphLeft = hasCommitGraph(repository.root);
  checks.push({
    label: 'the base copy still has no commit-graph file',
    pass: !graphLeft,
    detail: graphLeft ? `${repository.root}/.git/objects/info has one: something wrote it` : 'none',
  });
  return checks;
}

export async function runGitBench(options: GitBenchOptions = {}): Promise<GitBenchResult> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const shape = options.shape ?? FIFTY_THOUSAND;
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  const cli = options.cli ? path.resolve(options.cli) : ensureCli(projectRoot, log);
  const repository = await ensureRepository(projectRoot, shape, log);
  const reference = ensureReference(projectRoot, repository, log);
  const commands = deliveryCommands(repository.root, cli, repository.now);
  const variantOptions = {
    runs,
    slowRoundMs: options.slowRoundMs ?? 60_000,
    doraPeakTargetMb: options.doraPeakTargetMb ?? null,
    cliLabel: path.relative(projectRoot, cli),
    log,
  };
  const variants = [
    benchVariant('without commit-graph', repository.root, commands, variantOptions),
    benchVariant('with commit-graph', repository.commitGraphRoot, deliveryCommands(repository.commitGraphRoot, cli, repository.now), variantOptions),
  ];
  const inProcess = benchInProcess(projectRoot, repository);
  const checks = correctnessChecks(repository, variants, reference);
  const targetsMet = variants.every((variant) => COMMAND_NAMES.every((command) => variant.commands[command].pass));
  return {
    name: shape.name,
    commits: shape.commits,
    tags: shape.tags,
    now: new Date(repository.now).toISOString(),
    generationMs: repository.generationMs,
    generatedNow: repository.generatedNow,
    commitGraphMs: repository.commitGraphMs,
    windowDeployments: commands.windowDeployments,
    base: commands.base,
    variants,
    inProcess,
    reference,
    checks,
    pass: targetsMet && checks.every((check) => check.pass),
  };
}

// ---- Printing -------------------------------------------------------------------------------------------

const ms = (value: number) => `${value.toFixed(0)} ms`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const line = (label: string, value: string) => `  ${label.padEnd(72)} ${value.padStart(10)}`;
const seconds = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : 'unknown (generated by an earlier bench)');

function doraNumbers(output: unknown): string {
  const dora = output as { deployments: number; leadTimeSeconds: { median: number | null }; changeFailureRate: number | null; reworkRate: number | null };
  return `deployments ${dora.deployments}, lead time median ${dora.leadTimeSeconds.median} s, change failure rate ${dora.changeFailureRate}, rework rate ${dora.reworkRate}`;
}

/** The lines `npm run bench` prints for one repository: per variant the floor parts, ours, ratio, PASS or FAIL and peak memory; then the correctness checks. */
export function printGitBench(result: GitBenchResult, print: (line: string) => void = console.log): void {
  print(`Delivery history over ${result.commits.toLocaleString('en')} commits and ${result.tags.toLocaleString('en')} annotated tags (${result.name}, --now ${result.now})`);
  print(`  generated with git fast-import in ${seconds(result.generationMs)}${result.generatedNow ? '' : ' (cached)'}; commit-graph copy written in ${seconds(result.commitGraphMs)}`);
  const { positives, negatives } = result.windowDeployments;
  print(`  floor rev-list input: ${positives} deployments of the last 180 days, ${negatives} earlier ones as ^negatives; check BASE = main~${CHECK_BASE_DEPTH} (${result.base.slice(0, 12)})`);
  for (const variant of result.variants) {
    print(`  -- ${variant.variant} (median of ${variant.rounds} alternating rounds after a ${seconds(variant.warmUpMs)} warm-up)`);
    for (const command of COMMAND_NAMES) {
      const bench = variant.commands[command];
      for (const part of bench.floor) print(line(`floor: ${part.label}`, ms(part.ms)));
      print(line(`${command} floor total`, ms(bench.floorTotal)));
      print(`${line(`ours: ${bench.command}`, ms(bench.ours))}  (${bench.answer}; peak ${bench.peakMb.toFixed(0)} MB)`);
      const memory = bench.peakTargetMb === null ? '' : `; peak ${bench.peakMb.toFixed(0)} MB, target under ${bench.peakTargetMb} MB`;
      print(`  ${command} ratio ${bench.ratio.toFixed(2)}x, target within ${bench.target}x${memory} -> ${verdict(bench.pass)}`);
    }
    print(`  dora numbers: ${doraNumbers(variant.outputs.dora)}`);
  }
  const inProcess = result.inProcess;
  if ('error' in inProcess) print(`  in one process (loadSnapshot): failed: ${inProcess.error}`);
  else {
    // The first load also compiles src/ through tsx; the second is the editor's refresh with nothing changed.
    print(`  in one process (loadSnapshot under tsx, without commit-graph): first ${ms(inProcess.firstMs)} (tsx compiling src/ included), again ${ms(inProcess.againMs)}, peak ${inProcess.peakMb?.toFixed(0) ?? '?'} MB`);
  }
  const reference = result.reference;
  if (reference.available) {
    const runs = COMMAND_NAMES.map((command) => `${command} ${ms(reference.runs[command].ms)} / ${reference.runs[command].peakMb?.toFixed(0) ?? '?'} MB`).join(', ');
    print(`  previous CLI (${REFERENCE_COMMIT}) when the reference was taken: ${runs}; reference files: ${reference.files.join(', ')}`);
  } else {
    print(`  no reference outputs of the previous CLI (${REFERENCE_COMMIT}): ${reference.reason}`);
  }
  for (const check of result.checks) print(`  ${verdict(check.pass)} ${check.label}${check.pass ? '' : `: ${check.detail}`}`);
}

// Alone: `npx tsx test/bench/gitBench.ts [million] [--runs N] [--cli BUNDLE]` (default: 50,000 commits,
// 5 rounds, dist/cli.js); `--cli` measures another build, such as the previous CLI of cliReference.ts.
if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string' }, cli: { type: 'string' } } });
  const million = positionals[0] === 'million';
  runGitBench({
    shape: million ? MILLION : FIFTY_THOUSAND,
    doraPeakTargetMb: million ? 120 : undefined,
    runs: values.runs === undefined ? undefined : Number(values.runs),
    cli: values.cli,
    log: (message) => console.error(message),
  })
    .then((result) => {
      printGitBench(result);
      if (!result.pass) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
}

// Benchmark of delivery history on a big repository (50,000 commits, 2,000 annotated release tags),
// measured against the floor of what any tool must do: let git print the commit graph and the tags.
//
// Targets: `reliability-lens dora` (a fresh `node dist/cli.js dora --json` process) within 1.5x of the
// floor `git log --format='%H %ct %P'` + `git for-each-ref refs/tags` + `node -e 0`; `reliability-lens
// lens FILE` within 2x of `git log -- FILE` + `git blame --since` for the recent window.
//
// The measured program is the product itself: the generated repository carries a `.reliability/`
// folder (services, a tag pattern and an incident ledger, written as untracked files so the
// repository keeps its 50,000/2,000 shape). Part of `npm run bench` (test/bench/run.ts); on its own:
// `npx tsx test/bench/gitBench.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readHistory } from '../../src/sources/git/history';
import { loadSnapshot } from '../../src/workspace/engine';
import { fastImportRepository } from '../unit/builders/gitRepoBuilder';
import type { FastImportEvent } from '../unit/builders/gitRepoBuilder';

const DAY_MS = 86_400_000;
const LENS_FILE = 'services/checkout/pay.ts';
const RECENT_DAYS = 30;

export interface GitBenchOptions {
  /** Project root holding dist/, src/ and .cache/; default the current directory. */
  projectRoot?: string;
  commits?: number;
  tags?: number;
  /** Counted rounds (floor and ours alternate in each); the median is reported. Default 7. */
  runs?: number;
  log?: (line: string) => void;
}

export interface CommandBench<Floor> {
  /** Median wall time of each floor command and their sum, ms. */
  floor: Floor & { total: number };
  /** Median wall time of the CLI command, ms. */
  ours: number;
  /** Median of the per-round ratios ours / floor. */
  ratio: number;
  target: number;
  pass: boolean;
  /** The command as run, for the printed report. */
  command: string;
}

export interface GitBenchResult {
  repository: string;
  commits: number;
  tags: number;
  now: string;
  runs: number;
  dora: CommandBench<{ gitLog: number; forEachRef: number; nodeStartup: number }> & { deployments: number };
  lens: CommandBench<{ gitLogFile: number; gitBlameSince: number }> & { changes: number };
  /** Same process, second snapshot: the history comes from the cache; the core computation runs again. */
  doraWarmInProcess: number;
  /** Same process, second readHistory: only the refs fingerprint is read from disk. */
  historyWarmInProcess: number;
  /** One pass with bodies versus `%H %ct %P` plus a second `git log --no-walk --stdin` for bodies of the window's changes. */
  bodies: { onePassWithBodies: number; graphThenBodies: number };
  pass: boolean;
}

// ---- The repository ----------------------------------------------------------------------------------

interface BenchRepository {
  root: string;
  now: number;
}

function fileLines(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, line) => `export const value${line} = ${(seed * 31 + line) % 997};`);
}

const OTHER_SERVICES = ['search', 'catalog', 'web', 'billing'];

const tagName = (index: number) => `v1.${Math.floor(index / 100)}.${index % 100}`;

function* benchEvents(commits: number, tags: number, start: number, stepMs: number): Generator<FastImportEvent> {
  const otherFiles = Array.from({ length: 300 }, (_, index) => ({
    name: `services/${OTHER_SERVICES[index % 4]}/module${index}.ts`,
    lines: fileLines(index, 30),
  }));
  const lensLines = fileLines(7, 200);
  const tagEvery = Math.floor(commits / tags);
  for (let mark = 1; mark <= commits; mark++) {
    const time = start + (mark - 1) * stepMs;
    const files: Record<string, string> = {};
    if (mark === 1) {
      for (const file of otherFiles) files[file.name] = file.lines.join('\n') + '\n';
      files[LENS_FILE] = lensLines.join('\n') + '\n';
    } else if (mark % 40 === 0) {
      lensLines[(mark / 40) % lensLines.length] = `export const edited${mark} = ${mark};`;
      files[LENS_FILE] = lensLines.join('\n') + '\n';
    } else {
      const file = otherFiles[mark % otherFiles.length];
      file.lines[mark % file.lines.length] = `export const edited${mark} = ${mark};`;
      files[file.name] = file.lines.join('\n') + '\n';
    }
    let message = `change ${mark}\n\nDetails of change ${mark}.\n`;
    if (mark % 211 === 0) message = `Revert "change ${mark - 1}"\n\nThis reverts commit of change ${mark - 1}.\n`;
    else if (mark % 97 === 0) message = `fix INC-${mark % 100}: guard\n`;
    yield { kind: 'commit', mark, branch: 'main', time, message, ...(mark > 1 ? { from: mark - 1 } : {}), files };
    if (mark % tagEvery === 0 && mark / tagEvery <= tags) {
      const index = mark / tagEvery;
      yield { kind: 'tag', name: tagName(index), target: mark, time: time + 30 * 60_000 };
    }
  }
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * The `.reliability/` folder of the bench repository, untracked: two services covering every
 * generated file, release tags as deployments, and one incident after every 20th release (two and a
 * half hours after its tag). Every fourth incident names the lens file; every other one names the
 * release's tagged commit as its root cause (for every 40th release that commit edits the lens file).
 */
function writeReliabilityFolder(root: string, commits: number, tags: number, start: number, stepMs: number): void {
  const folder = path.join(root, '.reliability');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'config.yaml'),
    [
      'version: 1',
      'services:',
      '  - name: checkout',
      '    paths: ["services/checkout/**"]',
      '  - name: storefront',
      `    paths: [${OTHER_SERVICES.map((service) => `"services/${service}/**"`).join(', ')}]`,
      'deployments:',
      '  source: git-tags',
      '  tagPattern: "v1.*"',
      'incidents:',
      '  sources:',
      '    - type: file',
      '',
    ].join('\n'),
  );
  const tagEvery = Math.floor(commits / tags);
  const indexes: number[] = [];
  for (let index = 20; index <= tags; index += 20) indexes.push(index);
  const rootCauseIndexes = indexes.filter((index) => index % 40 === 0);
  const shas = git(root, ['rev-parse', ...rootCauseIndexes.map((index) => `${tagName(index)}^{commit}`)]).trim().split('\n');
  const rootCause = new Map(rootCauseIndexes.map((index, i) => [index, shas[i]]));
  const lines = ['incidents:'];
  for (const index of indexes) {
    const started = start + (index * tagEvery - 1) * stepMs + 2.5 * 3_600_000;
    lines.push(
      `  - id: INC-${index / 20}`,
      `    title: incident after release ${index}`,
      '    severity: SEV2',
      `    service: ${index % 100 === 0 ? 'storefront' : 'checkout'}`,
      `    startedAt: "${new Date(started).toISOString()}"`,
    );
    if (index % 60 !== 0) lines.push(`    resolvedAt: "${new Date(started + 45 * 60_000).toISOString()}"`);
    const sha = rootCause.get(index);
    if (sha) lines.push(`    commits: ["${sha.slice(0, 12)}"]`);
    if (index % 80 === 0) lines.push(`    files: ["${LENS_FILE}"]`);
  }
  writeFileSync(path.join(folder, 'incidents.yaml'), lines.join('\n') + '\n');
}

async function ensureRepository(projectRoot: string, commits: number, tags: number, log: (line: string) => void): Promise<BenchRepository> {
  const directory = path.join(projectRoot, '.cache', 'bench');
  const root = path.join(directory, `git-${commits}-${tags}`);
  const start = Date.parse('2025-01-01T00:00:00Z');
  const stepMs = 10 * 60_000;
  const now = start + (commits - 1) * stepMs + 2 * 3_600_000;
  const marker = path.join(root, '.git', 'lens-bench-complete');
  if (!existsSync(marker)) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const began = performance.now();
    await fastImportRepository(root, benchEvents(commits, tags, start, stepMs));
    writeFileSync(marker, new Date(0).toISOString());
    log(`generated ${commits} commits and ${tags} tags with git fast-import in ${Math.round(performance.now() - began)} ms`);
  }
  writeReliabilityFolder(root, commits, tags, start, stepMs);
  // Left over from the earlier bench, which passed incidents as JSON to a program of its own.
  rmSync(`${root}.incidents.json`, { force: true });
  rmSync(path.join(directory, 'gitBench.cjs'), { force: true });
  return { root, now };
}

/** Builds dist/cli.js (`node esbuild.js`) when it is missing or older than a source file. */
function ensureCli(projectRoot: string, log: (line: string) => void): string {
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

// ---- Timing --------------------------------------------------------------------------------------------

function timeCommand(command: string, args: string[], cwd: string): { ms: number; stdout: string } {
  const began = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - began;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianTime(runs: number, measure: () => number): number {
  measure(); // warm the page cache and git's pack index
  return medianOf(Array.from({ length: runs }, measure));
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const roundRatio = (ratio: number) => Math.round(ratio * 100) / 100;

export async function runGitBench(options: GitBenchOptions = {}): Promise<GitBenchResult> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const commits = options.commits ?? 50_000;
  const tags = options.tags ?? 2_000;
  const runs = options.runs ?? 7;
  const log = options.log ?? (() => undefined);
  const cli = ensureCli(projectRoot, log);
  const { root, now } = await ensureRepository(projectRoot, commits, tags, log);
  const nowIso = new Date(now).toISOString();
  const since = Math.floor((now - RECENT_DAYS * DAY_MS) / 1000) + 1;

  // Floor and ours alternate within each round, so a machine busy with other work slows both alike;
  // ratios are taken per round and their median reported.
  const doraArgs = [cli, 'dora', '--workspace', root, '--now', nowIso, '--json'];
  const lensArgs = [cli, 'lens', LENS_FILE, '--workspace', root, '--now', nowIso, '--json'];
  const samples = { gitLog: [] as number[], forEachRef: [] as number[], nodeStartup: [] as number[], dora: [] as number[], doraRatio: [] as number[] };
  const lensSamples = { gitLogFile: [] as number[], gitBlameSince: [] as number[], lens: [] as number[], lensRatio: [] as number[] };
  let doraOutput = '';
  let lensOutput = '';
  for (let round = 0; round <= runs; round++) {
    const gitLog = timeCommand('git', ['log', '--format=%H %ct %P'], root).ms;
    const forEachRef = timeCommand('git', ['for-each-ref', 'refs/tags'], root).ms;
    const nodeStartup = timeCommand(process.execPath, ['-e', '0'], root).ms;
    const dora = timeCommand(process.execPath, doraArgs, root);
    const gitLogFile = timeCommand('git', ['log', '--format=%H %ct %an %s', '--', LENS_FILE], root).ms;
    const gitBlameSince = timeCommand('git', ['blame', '--incremental', `--since=@${since}`, '--', LENS_FILE], root).ms;
    const lens = timeCommand(process.execPath, lensArgs, root);
    doraOutput = dora.stdout;
    lensOutput = lens.stdout;
    // Round 0 warms the page cache and git's pack index; it is not counted.
    if (round === 0) continue;
    samples.gitLog.push(gitLog);
    samples.forEachRef.push(forEachRef);
    samples.nodeStartup.push(nodeStartup);
    samples.dora.push(dora.ms);
    samples.doraRatio.push(dora.ms / (gitLog + forEachRef + nodeStartup));
    lensSamples.gitLogFile.push(gitLogFile);
    lensSamples.gitBlameSince.push(gitBlameSince);
    lensSamples.lens.push(lens.ms);
    lensSamples.lensRatio.push(lens.ms / (gitLogFile + gitBlameSince));
  }
  const gitLog = medianOf(samples.gitLog);
  const forEachRef = medianOf(samples.forEachRef);
  const nodeStartup = medianOf(samples.nodeStartup);
  const gitLogFile = medianOf(lensSamples.gitLogFile);
  const gitBlameSince = medianOf(lensSamples.gitBlameSince);
  const doraRatio = roundRatio(medianOf(samples.doraRatio));
  const lensRatio = roundRatio(medianOf(lensSamples.lensRatio));

  // In one process (the editor's case): the second snapshot reuses the cached history.
  const snapshotOptions = { now, sloData: false, allowRemote: false };
  await loadSnapshot(root, snapshotOptions);
  const warm: number[] = [];
  for (let run = 0; run < runs; run++) {
    const began = performance.now();
    await loadSnapshot(root, snapshotOptions);
    warm.push(performance.now() - began);
  }
  const warmHistory: number[] = [];
  for (let run = 0; run < runs; run++) {
    const began = performance.now();
    await readHistory(root);
    warmHistory.push(performance.now() - began);
  }

  // Where to read commit bodies: in the one pass, or afterwards for the window's changes only.
  const onePassWithBodies = medianTime(runs, () => timeCommand('git', ['log', '-z', '--format=%H%x00%ct%x00%P%x00%s%x00%b', '--tags', 'HEAD'], root).ms);
  const windowShas = timeCommand('git', ['log', '--format=%H', `--since=@${Math.floor((now - 90 * DAY_MS) / 1000)}`], root).stdout;
  const graphThenBodies = medianTime(runs, () => {
    const graph = timeCommand('git', ['log', '--format=%H %ct %P', '--tags', 'HEAD'], root).ms;
    const began = performance.now();
    const result = spawnSync('git', ['log', '--no-walk', '--stdin', '-z', '--format=%H%x00%s%x00%b'], { cwd: root, input: windowShas, maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(String(result.stderr));
    return graph + (performance.now() - began);
  });

  const relativeCli = path.relative(projectRoot, cli);
  const dora = {
    floor: { gitLog: round(gitLog), forEachRef: round(forEachRef), nodeStartup: round(nodeStartup), total: round(gitLog + forEachRef + nodeStartup) },
    ours: round(medianOf(samples.dora)),
    ratio: doraRatio,
    target: 1.5,
    pass: doraRatio <= 1.5,
    command: `node ${relativeCli} dora --json`,
    deployments: (JSON.parse(doraOutput) as { deployments: number }).deployments,
  };
  const lens = {
    floor: { gitLogFile: round(gitLogFile), gitBlameSince: round(gitBlameSince), total: round(gitLogFile + gitBlameSince) },
    ours: round(medianOf(lensSamples.lens)),
    ratio: lensRatio,
    target: 2,
    pass: lensRatio <= 2,
    command: `node ${relativeCli} lens ${LENS_FILE} --json`,
    changes: (JSON.parse(lensOutput) as { changes: unknown[] }).changes.length,
  };
  return {
    repository: root,
    commits,
    tags,
    now: nowIso,
    runs,
    dora,
    lens,
    doraWarmInProcess: round(medianOf(warm)),
    historyWarmInProcess: round(medianOf(warmHistory)),
    bodies: { onePassWithBodies: round(onePassWithBodies), graphThenBodies: round(graphThenBodies) },
    pass: dora.pass && lens.pass,
  };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** The lines `npm run bench` prints: floor parts, ours, the ratio against its target, PASS or FAIL. */
export function printGitBench(result: GitBenchResult, print: (line: string) => void = console.log): void {
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  print(`Delivery history over ${result.commits.toLocaleString('en')} commits and ${result.tags.toLocaleString('en')} annotated tags (median of ${result.runs} alternating rounds)`);
  const { dora, lens } = result;
  print(`  ${'floor: git log --format=\'%H %ct %P\''.padEnd(58)} ${ms(dora.floor.gitLog).padStart(10)}`);
  print(`  ${'floor: git for-each-ref refs/tags'.padEnd(58)} ${ms(dora.floor.forEachRef).padStart(10)}`);
  print(`  ${'floor: node -e 0 (start-up)'.padEnd(58)} ${ms(dora.floor.nodeStartup).padStart(10)}`);
  print(`  ${'floor total'.padEnd(58)} ${ms(dora.floor.total).padStart(10)}`);
  print(`  ${`reliability-lens dora --json (${dora.deployments} deployments in the window)`.padEnd(58)} ${ms(dora.ours).padStart(10)}`);
  print(`  dora ratio ${dora.ratio.toFixed(2)}x, target within ${dora.target}x -> ${verdict(dora.pass)}`);
  print(`  ${'floor: git log -- FILE'.padEnd(58)} ${ms(lens.floor.gitLogFile).padStart(10)}`);
  print(`  ${`floor: git blame --since (${RECENT_DAYS} days) -- FILE`.padEnd(58)} ${ms(lens.floor.gitBlameSince).padStart(10)}`);
  print(`  ${'floor total'.padEnd(58)} ${ms(lens.floor.total).padStart(10)}`);
  print(`  ${`reliability-lens lens FILE --json (${lens.changes} changes)`.padEnd(58)} ${ms(lens.ours).padStart(10)}`);
  print(`  lens ratio ${lens.ratio.toFixed(2)}x, target within ${lens.target}x -> ${verdict(lens.pass)}`);
  print(`  (in one process: snapshot again ${ms(result.doraWarmInProcess)}, history again ${ms(result.historyWarmInProcess)})`);
}

// No argument: run the benchmark, print its lines and the result as JSON.
if (require.main === module) {
  runGitBench({ log: (line) => console.error(line) })
    .then((result) => {
      printGitBench(result);
      console.log(JSON.stringify(result, null, 2));
      if (!result.pass) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
}

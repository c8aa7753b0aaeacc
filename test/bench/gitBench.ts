// Benchmark of delivery history on a big repository (50,000 commits, 2,000 annotated release tags),
// measured against the floor of what any tool must do: let git print the commit graph and the tags.
//
// Targets: `dora` (a fresh node process computing the DORA block) within 1.5x of the floor
// (`git log --format='%H %ct %P'` + `git for-each-ref refs/tags` + `node -e 0`); `lens FILE`
// (recent commits + blame + linking) within 2x of `git log -- FILE` + `git blame --since`.
//
// The same file is the measured program: bundled with esbuild into .cache/bench/ and run as
// `node gitBench.cjs dora --workspace DIR --now ISO --json` (or `lens FILE ...`), the shape the CLI
// will have as `node dist/cli.js dora ...`. Run the benchmark with `npx tsx test/bench/gitBench.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { computeDelivery } from '../../src/core/deployments';
import { computeDora, linkIncidentsToDeployments } from '../../src/core/dora';
import { linkFileChanges } from '../../src/core/linking';
import type { Incident } from '../../src/core/model';
import { blameRecentLines, readHistory, readTagDeployments, recentCommitsOfFile } from '../../src/sources/git';
import { fastImportRepository } from '../unit/builders/gitRepoBuilder';
import type { FastImportEvent } from '../unit/builders/gitRepoBuilder';

const DAY_MS = 86_400_000;
const LENS_FILE = 'services/checkout/pay.ts';
const RECENT_DAYS = 30;

export interface GitBenchOptions {
  /** Project root holding test/bench/gitBench.ts and .cache/; default the current directory. */
  projectRoot?: string;
  commits?: number;
  tags?: number;
  /** Timed runs of each command; the median is reported. Default 7. */
  runs?: number;
  log?: (line: string) => void;
}

export interface GitBenchResult {
  repository: string;
  commits: number;
  tags: number;
  now: string;
  runs: number;
  /** Median wall times in milliseconds; ratios are the median of per-round ratios (ours / floor). */
  dora: {
    floor: { gitLog: number; forEachRef: number; nodeStartup: number; total: number };
    ours: number;
    ratio: number;
    target: number;
    deployments: number;
  };
  lens: {
    floor: { gitLogFile: number; gitBlameSince: number; total: number };
    ours: number;
    ratio: number;
    target: number;
    changes: number;
  };
  /** Same process, second question: the history comes from the cache; the core computation runs again. */
  doraWarmInProcess: number;
  /** Same process, second readHistory: only the refs fingerprint is read from disk. */
  historyWarmInProcess: number;
  /** One pass with bodies versus `%H %ct %P` plus a second `git log --no-walk --stdin` for bodies of the window's changes. */
  bodies: { onePassWithBodies: number; graphThenBodies: number };
}

// ---- The repository ----------------------------------------------------------------------------------

interface BenchRepository {
  root: string;
  incidentsFile: string;
  now: number;
}

function fileLines(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, line) => `export const value${line} = ${(seed * 31 + line) % 997};`);
}

function* benchEvents(commits: number, tags: number, start: number, stepMs: number): Generator<FastImportEvent> {
  const otherFiles = Array.from({ length: 300 }, (_, index) => ({
    name: `services/${['search', 'catalog', 'web', 'billing'][index % 4]}/module${index}.ts`,
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
      yield { kind: 'tag', name: `v1.${Math.floor(index / 100)}.${index % 100}`, target: mark, time: time + 30 * 60_000 };
    }
  }
}

async function ensureRepository(projectRoot: string, commits: number, tags: number, log: (line: string) => void): Promise<BenchRepository> {
  const directory = path.join(projectRoot, '.cache', 'bench');
  const root = path.join(directory, `git-${commits}-${tags}`);
  const incidentsFile = `${root}.incidents.json`;
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
  // One incident after every 20th release, two hours later; every fourth names the lens file.
  const tagEvery = Math.floor(commits / tags);
  const incidents: Incident[] = [];
  for (let index = 20; index <= tags; index += 20) {
    const started = start + (index * tagEvery - 1) * stepMs + 2.5 * 3_600_000;
    incidents.push({
      id: `INC-${index / 20}`,
      title: `incident after release ${index}`,
      severity: 'SEV2',
      service: 'checkout',
      startedAt: started,
      resolvedAt: index % 60 === 0 ? null : started + 45 * 60_000,
      commits: [],
      files: index % 80 === 0 ? [LENS_FILE] : [],
      source: 'file',
    });
  }
  writeFileSync(incidentsFile, JSON.stringify(incidents));
  return { root, incidentsFile, now };
}

// ---- The measured program ------------------------------------------------------------------------------

function argument(args: string[], name: string): string {
  const index = args.indexOf(name);
  if (index === -1 || index + 1 >= args.length) throw new Error(`missing ${name}`);
  return args[index + 1];
}

async function doraCommand(workspace: string, now: number, incidents: Incident[]) {
  const { history, deployments } = await readTagDeployments(workspace, { tagPattern: 'v*', services: [], now });
  const delivery = computeDelivery(deployments, history.commits, now);
  return computeDora({
    deployments: delivery.deployments,
    changesByDeployment: delivery.changesByDeployment,
    commits: history.commits,
    shippedBy: delivery.shippedBy,
    incidents,
    now,
  });
}

async function lensCommand(workspace: string, file: string, now: number, incidents: Incident[]) {
  const since = now - RECENT_DAYS * DAY_MS;
  // The three git reads are independent: run them side by side.
  const [{ history, deployments }, recentCommits, blameRanges] = await Promise.all([
    readTagDeployments(workspace, { tagPattern: 'v*', services: [], now }),
    recentCommitsOfFile(workspace, file, since, now),
    blameRecentLines(workspace, file, since),
  ]);
  const delivery = computeDelivery(deployments, history.commits, now);
  const incidentDeployments = linkIncidentsToDeployments({
    incidents,
    deployments: delivery.deployments,
    commits: history.commits,
    shippedBy: delivery.shippedBy,
  });
  const changes = linkFileChanges({
    file,
    fileServices: ['checkout'],
    recentCommits,
    blameRanges,
    shippedBy: delivery.shippedBy,
    incidents,
    incidentDeployments,
  });
  return { file, changes: changes.map(({ commit, lines, deployment, incidents: links }) => ({ commit, lines, deployment, incidents: links })) };
}

async function runCommand(args: string[]): Promise<void> {
  const workspace = argument(args, '--workspace');
  const now = Date.parse(argument(args, '--now'));
  const incidents = args.includes('--incidents') ? (JSON.parse(readFileSync(argument(args, '--incidents'), 'utf8')) as Incident[]) : [];
  const result = args[0] === 'dora' ? await doraCommand(workspace, now, incidents) : await lensCommand(workspace, args[1], now, incidents);
  process.stdout.write(JSON.stringify(result) + '\n');
}

// ---- Timing --------------------------------------------------------------------------------------------

function timeCommand(command: string, args: string[], cwd: string): { ms: number; stdout: string } {
  const began = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - began;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
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

function bundle(projectRoot: string): string {
  const outfile = path.join(projectRoot, '.cache', 'bench', 'gitBench.cjs');
  // esbuild is a dev dependency; loaded here only, so the bundle itself does not carry it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(projectRoot, 'test', 'bench', 'gitBench.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild'],
    logLevel: 'warning',
  });
  return outfile;
}

export async function runGitBench(options: GitBenchOptions = {}): Promise<GitBenchResult> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const commits = options.commits ?? 50_000;
  const tags = options.tags ?? 2_000;
  const runs = options.runs ?? 7;
  const log = options.log ?? (() => undefined);
  const repository = await ensureRepository(projectRoot, commits, tags, log);
  const { root, now, incidentsFile } = repository;
  const nowIso = new Date(now).toISOString();
  const program = bundle(projectRoot);
  const since = Math.floor((now - RECENT_DAYS * DAY_MS) / 1000) + 1;

  // Floor and ours alternate within each round, so a machine busy with other work slows both alike;
  // ratios are taken per round and their median reported.
  const doraArgs = [program, 'dora', '--workspace', root, '--now', nowIso, '--json', '--incidents', incidentsFile];
  const lensArgs = [program, 'lens', LENS_FILE, '--workspace', root, '--now', nowIso, '--json', '--incidents', incidentsFile];
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
  const doraOurs = medianOf(samples.dora);
  const gitLogFile = medianOf(lensSamples.gitLogFile);
  const gitBlameSince = medianOf(lensSamples.gitBlameSince);
  const lensOurs = medianOf(lensSamples.lens);

  const incidents = JSON.parse(readFileSync(incidentsFile, 'utf8')) as Incident[];
  await doraCommand(root, now, incidents);
  const warm: number[] = [];
  for (let run = 0; run < runs; run++) {
    const began = performance.now();
    await doraCommand(root, now, incidents);
    warm.push(performance.now() - began);
  }
  const doraWarmInProcess = medianOf(warm);
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

  const doraFloor = gitLog + forEachRef + nodeStartup;
  const lensFloor = gitLogFile + gitBlameSince;
  return {
    repository: root,
    commits,
    tags,
    now: nowIso,
    runs,
    dora: {
      floor: { gitLog: round(gitLog), forEachRef: round(forEachRef), nodeStartup: round(nodeStartup), total: round(doraFloor) },
      ours: round(doraOurs),
      ratio: Math.round(medianOf(samples.doraRatio) * 100) / 100,
      target: 1.5,
      deployments: (JSON.parse(doraOutput) as { deployments: number }).deployments,
    },
    lens: {
      floor: { gitLogFile: round(gitLogFile), gitBlameSince: round(gitBlameSince), total: round(lensFloor) },
      ours: round(lensOurs),
      ratio: Math.round(medianOf(lensSamples.lensRatio) * 100) / 100,
      target: 2,
      changes: (JSON.parse(lensOutput) as { changes: unknown[] }).changes.length,
    },
    doraWarmInProcess: round(doraWarmInProcess),
    historyWarmInProcess: round(medianOf(warmHistory)),
    bodies: { onePassWithBodies: round(onePassWithBodies), graphThenBodies: round(graphThenBodies) },
  };
}

// `dora` / `lens` run the measured program; no argument runs the benchmark and prints its numbers.
if (require.main === module) {
  const args = process.argv.slice(2);
  const main =
    args[0] === 'dora' || args[0] === 'lens'
      ? runCommand(args)
      : runGitBench({ log: (line) => console.error(line) }).then((result) => console.log(JSON.stringify(result, null, 2)));
  main.catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

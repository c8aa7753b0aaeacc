// Issue 14: the time from opening a recently changed file to its code lenses, once history is loaded,
// on the demo (its busiest file) and on the generated 50,000-commit repository (its lens file). The
// engine path the editor takes runs in a child (lensOpen.ts); the floor is git's own time for what the
// lenses need of that file: `git log --format=%H --since -- FILE` (its recent commits) and
// `git blame --incremental --since -- FILE` (the lines they own), each the best of the runs, against the
// best of the editor path's runs (the first run, which warms the modules up, is reported too).
//
//   node --import tsx test/bench/lensBench.ts      (or `npm run bench -- --only lens`)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { ensureRepository, evaluationTime, FIFTY_THOUSAND, LENS_FILE } from './bigRepository';
import { measure } from './measure';

const DAY_MS = 86_400_000;
/** Both the editor's default and the generated repository's: the demo's and its config.yaml leave it so. */
const RECENT_DAYS = 30;
const RUNS = 5;
/** Opening a file shows its lenses within this many times git's own reads of that file (the `lens FILE` target). */
export const LENS_RATIO_TARGET = 3;

export interface LensOpenRow {
  repository: string;
  file: string;
  commits: number;
  /** The file's recent changes and the lenses each `show` mode draws. */
  changes: number;
  lenses: { linked: number; all: number; summary: number };
  /** The snapshot load before (history loaded), ms. */
  loadMs: number;
  /** Opening the file: the first time, the median and the best of the runs, ms. */
  firstMs: number;
  medianMs: number;
  bestMs: number;
  floor: { logMs: number; blameMs: number };
  ratio: number;
  pass: boolean;
}

export interface LensBenchResult {
  rows: LensOpenRow[];
  pass: boolean;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

/** The file with the most commits in the recent window (git's count), for the demo. */
function busiestFile(root: string, now: number): string {
  const since = `@${Math.floor((now - RECENT_DAYS * DAY_MS) / 1000)}`;
  const counts = new Map<string, number>();
  for (const name of git(root, ['log', `--since=${since}`, '--format=', '--name-only', '--', 'services', 'packages']).split('\n').filter(Boolean)) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

function openFile(projectRoot: string, repository: string, root: string, now: number, file: string): LensOpenRow {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lensOpen.ts'), root, String(now), file, String(RUNS)], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (child.status !== 0) throw new Error(`lensOpen.ts on ${repository} failed: ${child.stderr.slice(0, 2000)}`);
  const opened = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Pick<LensOpenRow, 'loadMs' | 'firstMs' | 'medianMs' | 'bestMs' | 'changes' | 'lenses'>;
  const since = `--since=@${Math.floor((now - RECENT_DAYS * DAY_MS) / 1000) + 1}`;
  const logMs = measure('git log', 'git', ['log', '--format=%H', since, '--', file], { cwd: root, runs: RUNS }).ms;
  const blameMs = measure('git blame', 'git', ['blame', '--incremental', since, '--', file], { cwd: root, runs: RUNS }).ms;
  // Best against best: on a shared machine the least disturbed run of each.
  const ratio = opened.bestMs / (logMs + blameMs);
  const commits = Number(git(root, ['rev-list', '--count', 'HEAD']));
  return { repository, file, commits, ...opened, floor: { logMs, blameMs }, ratio, pass: ratio <= LENS_RATIO_TARGET };
}

export async function runLensBench(options: { projectRoot: string; log?: (line: string) => void }): Promise<LensBenchResult> {
  const log = options.log ?? (() => undefined);
  const rows: LensOpenRow[] = [];
  const demoDir = mkdtempSync(path.join(os.tmpdir(), 'reliability-lens-lens-bench-'));
  try {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    log('creating the demo workspace');
    await createDemoWorkspace(path.join(demoDir, 'demo'), { now });
    const root = path.join(demoDir, 'demo');
    rows.push(openFile(options.projectRoot, 'demo', root, now, busiestFile(root, now)));
  } finally {
    rmSync(demoDir, { recursive: true, force: true });
  }
  const big = await ensureRepository(options.projectRoot, FIFTY_THOUSAND, log);
  rows.push(openFile(options.projectRoot, FIFTY_THOUSAND.name, big.root, evaluationTime(FIFTY_THOUSAND), LENS_FILE));
  return { rows, pass: rows.every((row) => row.pass) };
}

export function printLensBench(result: LensBenchResult): void {
  console.log(`Opening a recently changed file to its code lenses, history loaded (target: within ${LENS_RATIO_TARGET}x of git log + git blame of the file)`);
  for (const row of result.rows) {
    const floor = row.floor.logMs + row.floor.blameMs;
    console.log(
      `  ${row.pass ? 'ok  ' : 'FAIL'} ${row.repository} (${row.commits.toLocaleString('en-US')} commits) ${row.file}: ${row.bestMs.toFixed(0)} ms (median ${row.medianMs.toFixed(0)}, first ${row.firstMs.toFixed(0)}) ` +
        `against ${floor.toFixed(0)} ms (git log ${row.floor.logMs.toFixed(0)} + blame ${row.floor.blameMs.toFixed(0)}): ${row.ratio.toFixed(2)}x; ` +
        `${row.changes} recent changes, lenses linked ${row.lenses.linked} / all ${row.lenses.all} / summary ${row.lenses.summary}; snapshot load ${row.loadMs.toFixed(0)} ms`,
    );
  }
}

if (require.main === module) {
  runLensBench({ projectRoot: path.resolve(__dirname, '..', '..'), log: (line) => console.log(`  ${line}`) }).then(
    (result) => {
      printLensBench(result);
      if (!result.pass) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}

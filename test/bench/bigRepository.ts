// The generated repositories of the delivery-history benchmark, built once with `git fast-import` and
// cached under `.cache/bench/`: a linear main branch of small commits, annotated release tags at a
// fixed pace, and an untracked `.reliability/` folder (two services, the `v1.*` tag pattern and an
// incident ledger) so the measured program is the product itself.
//
// Each repository exists twice: the base copy never has a commit-graph file (git would use one for
// every walk, and the CLI must be fast without it), and a copy made with `cp -a` carries one written by
// `git commit-graph write --reachable`, so both cases are measured.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fastImportRepository } from '../unit/builders/gitRepoBuilder';
import type { FastImportEvent } from '../unit/builders/gitRepoBuilder';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The file `lens FILE` is measured on; it belongs to the service `checkout`. */
export const LENS_FILE = 'services/checkout/pay.ts';
const OTHER_SERVICES = ['search', 'catalog', 'web', 'billing'];

export interface RepositoryShape {
  /** Directory under `.cache/bench/`. */
  name: string;
  commits: number;
  tags: number;
  /** Time of the first commit, epoch ms; commit n is `stepMs` after commit n-1. */
  start: number;
  stepMs: number;
  /** Files of the other services, each `otherFileLines` lines; all but every `lensEvery`-th commit edit one line of one of them. */
  otherFiles: number;
  otherFileLines: number;
  lensFileLines: number;
  lensEvery: number;
  /** Commits whose message is a revert, and commits whose message says `fix INC-n`, so rework has something to count. */
  revertEvery: number;
  fixEvery: number;
  /** One incident two and a half hours after every `incidentEvery`-th release. */
  incidentEvery: number;
  /**
   * Incidents started in the last 90 days whose root cause is a commit shipped years earlier: linking
   * them is a bounded query for that commit, not a reason to read the history in between.
   */
  oldRootCauses: number;
}

/** The repository of the earlier benchmark (README figures): 50,000 commits ten minutes apart over a year, 2,000 tags. */
export const FIFTY_THOUSAND: RepositoryShape = {
  name: 'git-50000-2000',
  commits: 50_000,
  tags: 2_000,
  start: Date.parse('2025-01-01T00:00:00Z'),
  stepMs: 10 * 60_000,
  otherFiles: 300,
  otherFileLines: 30,
  lensFileLines: 200,
  lensEvery: 40,
  revertEvery: 211,
  fixEvery: 97,
  incidentEvery: 20,
  oldRootCauses: 0,
};

/**
 * The monorepo of issue 8: 1,000,000 commits over five years (one every 157.68 s), 5,000 tags (one
 * every 200 commits, about every 8.8 hours). Files are ten lines long so the pack stays modest; the lens
 * file changes every 150th commit (about 110 times in its 30 recent days).
 */
export const MILLION: RepositoryShape = {
  name: 'git-1000000-5000',
  commits: 1_000_000,
  tags: 5_000,
  start: Date.parse('2021-01-01T00:00:00Z'),
  stepMs: 157_680,
  otherFiles: 400,
  otherFileLines: 10,
  lensFileLines: 120,
  lensEvery: 150,
  revertEvery: 2_111,
  fixEvery: 977,
  incidentEvery: 20,
  oldRootCauses: 3,
};

export interface BenchRepository {
  shape: RepositoryShape;
  /** Evaluation time: two hours after the last commit. */
  now: number;
  /** Without a commit-graph file. */
  root: string;
  /** The same repository with `git commit-graph write --reachable`. */
  commitGraphRoot: string;
  /** How long `git fast-import` took when the repository was generated (possibly in an earlier run), ms. */
  generationMs: number;
  /** Whether this run generated it (false: taken from the cache). */
  generatedNow: boolean;
  /** How long writing the commit-graph copy took (`cp -a` + `git commit-graph write`), ms. */
  commitGraphMs: number;
}

export const tagName = (index: number) => `v1.${Math.floor(index / 100)}.${index % 100}`;
const tagEvery = (shape: RepositoryShape) => Math.floor(shape.commits / shape.tags);
const incidentCount = (shape: RepositoryShape) => Math.floor(shape.tags / shape.incidentEvery);
export const evaluationTime = (shape: RepositoryShape) => shape.start + (shape.commits - 1) * shape.stepMs + 2 * HOUR_MS;

function fileLines(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, line) => `export const value${line} = ${(seed * 31 + line) % 997};`);
}

function* benchEvents(shape: RepositoryShape): Generator<FastImportEvent> {
  const { commits, tags, start, stepMs } = shape;
  const otherFiles = Array.from({ length: shape.otherFiles }, (_, index) => ({
    name: `services/${OTHER_SERVICES[index % OTHER_SERVICES.length]}/module${index}.ts`,
    lines: fileLines(index, shape.otherFileLines),
  }));
  const lensLines = fileLines(7, shape.lensFileLines);
  const every = tagEvery(shape);
  const incidents = incidentCount(shape);
  for (let mark = 1; mark <= commits; mark++) {
    const time = start + (mark - 1) * stepMs;
    const files: Record<string, string> = {};
    if (mark === 1) {
      for (const file of otherFiles) files[file.name] = file.lines.join('\n') + '\n';
      files[LENS_FILE] = lensLines.join('\n') + '\n';
    } else if (mark % shape.lensEvery === 0) {
      lensLines[(mark / shape.lensEvery) % lensLines.length] = `export const edited${mark} = ${mark};`;
      files[LENS_FILE] = lensLines.join('\n') + '\n';
    } else {
      const file = otherFiles[mark % otherFiles.length];
      file.lines[mark % file.lines.length] = `export const edited${mark} = ${mark};`;
      files[file.name] = file.lines.join('\n') + '\n';
    }
    let message = `change ${mark}\n\nDetails of change ${mark}.\n`;
    if (mark % shape.revertEvery === 0) message = `Revert "change ${mark - 1}"\n\nThis reverts commit of change ${mark - 1}.\n`;
    else if (mark % shape.fixEvery === 0) message = `fix INC-${mark % incidents}: guard\n`;
    yield { kind: 'commit', mark, branch: 'main', time, message, ...(mark > 1 ? { from: mark - 1 } : {}), files };
    if (mark % every === 0 && mark / every <= tags) {
      const index = mark / every;
      yield { kind: 'tag', name: tagName(index), target: mark, time: time + 30 * 60_000 };
    }
  }
}

export function git(cwd: string, args: string[], input?: string): string {
  const result = spawnSync('git', args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * The `.reliability/` folder, untracked: two services covering every generated file, release tags as
 * deployments, and one incident after every `incidentEvery`-th release (two and a half hours after its
 * tag; every third one still open). Every other incident names that release's tagged commit as its root
 * cause, every fourth names the lens file. The `oldRootCauses` incidents of the last weeks name a
 * commit shipped one to three years earlier (three commits below a release tag), one of them the lens file.
 */
function writeReliabilityFolder(root: string, shape: RepositoryShape): void {
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
  const every = tagEvery(shape);
  const step = shape.incidentEvery;
  const indexes: number[] = [];
  for (let index = step; index <= shape.tags; index += step) indexes.push(index);
  const rootCauseIndexes = indexes.filter((index) => index % (2 * step) === 0);
  // Old root causes: releases one, two and three years before the last one (tags are evenly spaced).
  const releasesPerYear = (365 * DAY_MS) / (every * shape.stepMs);
  const oldIndexes = Array.from({ length: shape.oldRootCauses }, (_, i) => shape.tags - Math.round((i + 1) * releasesPerYear));
  const revisions = [...rootCauseIndexes.map((index) => `${tagName(index)}^{commit}`), ...oldIndexes.map((index) => `${tagName(index)}~3`)];
  const shas = revisions.length === 0 ? [] : git(root, ['rev-parse', ...revisions]).trim().split('\n');
  const rootCause = new Map(rootCauseIndexes.map((index, i) => [index, shas[i]]));
  const lines = ['incidents:'];
  for (const index of indexes) {
    const started = shape.start + (index * every - 1) * shape.stepMs + 2.5 * HOUR_MS;
    lines.push(
      `  - id: INC-${index / step}`,
      `    title: incident after release ${index}`,
      '    severity: SEV2',
      `    service: ${index % (5 * step) === 0 ? 'storefront' : 'checkout'}`,
      `    startedAt: "${new Date(started).toISOString()}"`,
    );
    if (index % (3 * step) !== 0) lines.push(`    resolvedAt: "${new Date(started + 45 * 60_000).toISOString()}"`);
    const sha = rootCause.get(index);
    if (sha) lines.push(`    commits: ["${sha.slice(0, 12)}"]`);
    if (index % (4 * step) === 0) lines.push(`    files: ["${LENS_FILE}"]`);
  }
  const now = evaluationTime(shape);
  oldIndexes.forEach((index, i) => {
    const started = now - (10 + 25 * i) * DAY_MS;
    lines.push(
      `  - id: INC-${indexes.length + 1 + i}`,
      `    title: regression from a commit of release ${tagName(index)}`,
      '    severity: SEV3',
      '    service: checkout',
      `    startedAt: "${new Date(started).toISOString()}"`,
      `    resolvedAt: "${new Date(started + 3 * HOUR_MS).toISOString()}"`,
      `    commits: ["${shas[rootCauseIndexes.length + i].slice(0, 12)}"]`,
    );
    if (i === 0) lines.push(`    files: ["${LENS_FILE}"]`);
  });
  writeFileSync(path.join(folder, 'incidents.yaml'), lines.join('\n') + '\n');
}

/** Removes any commit-graph file: the base copy measures the case of a repository without one. */
function removeCommitGraph(root: string): void {
  rmSync(path.join(root, '.git', 'objects', 'info', 'commit-graph'), { force: true });
  rmSync(path.join(root, '.git', 'objects', 'info', 'commit-graphs'), { recursive: true, force: true });
}

export function hasCommitGraph(root: string): boolean {
  const info = path.join(root, '.git', 'objects', 'info');
  return existsSync(path.join(info, 'commit-graph')) || existsSync(path.join(info, 'commit-graphs'));
}

interface Marker {
  generationMs: number;
}

/** Generates (once) and returns both copies of the repository of `shape` under `<projectRoot>/.cache/bench/`. */
export async function ensureRepository(projectRoot: string, shape: RepositoryShape, log: (line: string) => void): Promise<BenchRepository> {
  const directory = path.join(projectRoot, '.cache', 'bench');
  const root = path.join(directory, shape.name);
  const commitGraphRoot = `${root}-commit-graph`;
  const marker = path.join(root, '.git', 'lens-bench-complete');
  const commitGraphMarker = path.join(commitGraphRoot, '.git', 'lens-bench-commit-graph-complete');
  let generationMs = Number.NaN;
  let generatedNow = false;
  if (existsSync(marker)) {
    // Earlier markers held only a date; their generation time is unknown.
    try {
      generationMs = (JSON.parse(readFileSync(marker, 'utf8')) as Marker).generationMs;
    } catch {
      generationMs = Number.NaN;
    }
  } else {
    rmSync(root, { recursive: true, force: true });
    rmSync(commitGraphRoot, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    log(`generating ${shape.commits.toLocaleString('en')} commits and ${shape.tags.toLocaleString('en')} tags with git fast-import into ${path.relative(projectRoot, root)}`);
    const began = performance.now();
    await fastImportRepository(root, benchEvents(shape));
    generationMs = performance.now() - began;
    generatedNow = true;
    writeFileSync(marker, JSON.stringify({ generationMs } satisfies Marker));
    log(`generated ${shape.name} in ${(generationMs / 1000).toFixed(1)} s`);
  }
  // No automatic gc (it would write a commit-graph); core.commitGraph keeps its default.
  git(root, ['config', 'gc.auto', '0']);
  removeCommitGraph(root);
  writeReliabilityFolder(root, shape);
  // Left over from the first bench, which passed incidents as JSON to a program of its own.
  rmSync(`${root}.incidents.json`, { force: true });
  rmSync(path.join(directory, 'gitBench.cjs'), { force: true });

  let commitGraphMs = Number.NaN;
  if (!existsSync(commitGraphMarker)) {
    rmSync(commitGraphRoot, { recursive: true, force: true });
    const began = performance.now();
    execFileSync('cp', ['-a', root, commitGraphRoot]);
    git(commitGraphRoot, ['commit-graph', 'write', '--reachable', '--no-progress']);
    commitGraphMs = performance.now() - began;
    writeFileSync(commitGraphMarker, JSON.stringify({ commitGraphMs }));
    log(`copied ${shape.name} and wrote its commit-graph in ${(commitGraphMs / 1000).toFixed(1)} s`);
  } else {
    commitGraphMs = (JSON.parse(readFileSync(commitGraphMarker, 'utf8')) as { commitGraphMs: number }).commitGraphMs;
  }
  git(commitGraphRoot, ['config', 'gc.auto', '0']);
  if (!hasCommitGraph(commitGraphRoot)) throw new Error(`${commitGraphRoot} lost its commit-graph file; delete the directory to rebuild it`);
  writeReliabilityFolder(commitGraphRoot, shape);
  return { shape, now: evaluationTime(shape), root, commitGraphRoot, generationMs, generatedNow, commitGraphMs };
}

// `npm run bench`: every speed and memory target of the project, each against a floor measured in the
// same run. Exit code 1 when any target is missed or an answer differs (see gitBench.ts).
// `npm run bench -- --only lens,git` runs only the named parts (slo, monorepo, prometheus, git, editor, lens).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureRepository, evaluationTime, FIFTY_THOUSAND, hasCommitGraph, MILLION } from './bigRepository';
import { printGitBench, runGitBench } from './gitBench';
import { printLensBench, runLensBench } from './lensBench';
import { printPrometheusBench, runPrometheusBench } from './prometheusBench';
import { printSloBench, runSloBench } from './sloBench';
import { printMonorepoBench, runMonorepoBench } from './monorepoBench';

/** Issue 8: the `dora` process on the million-commit repository stays under this peak resident memory. */
const MILLION_DORA_PEAK_MB = 120;

/** What run.ts uses of test/bench/editorBench.ts (written separately; absent until it lands). */
interface EditorBenchModule {
  runEditorBench(options: { projectRoot: string; repository: string; now: string; log?: (line: string) => void }): Promise<{ pass?: boolean }>;
  printEditorBench(result: unknown): void;
}

/**
 * The extension on the million-commit repository (its copy without commit-graph), when
 * test/bench/editorBench.ts exists. False when it failed, reported a miss, or left a commit-graph file
 * behind (the product never writes one); true otherwise, and when skipped.
 */
async function editorBench(repoRoot: string, log: (line: string) => void): Promise<boolean> {
  const file = path.join(__dirname, 'editorBench.ts');
  if (!existsSync(file)) {
    console.log('Editor benchmark skipped: test/bench/editorBench.ts does not exist');
    return true;
  }
  const repository = await ensureRepository(repoRoot, MILLION, log);
  try {
    const editor = (await import(pathToFileURL(file).href)) as EditorBenchModule;
    const result = await editor.runEditorBench({ projectRoot: repoRoot, repository: repository.root, now: new Date(evaluationTime(MILLION)).toISOString(), log });
    editor.printEditorBench(result);
    if (result.pass === false) return false;
  } catch (error) {
    console.log(`Editor benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
  if (hasCommitGraph(repository.root)) {
    console.log(`FAIL the editor left a commit-graph file in ${repository.root}`);
    return false;
  }
  return true;
}

/** The dashboard and Services view on 200 services and 500 SLOs (issue 14); false when a target is missed. */
async function monorepoBench(repoRoot: string, log: (line: string) => void): Promise<boolean> {
  try {
    const result = await runMonorepoBench({ projectRoot: repoRoot, log });
    printMonorepoBench(result);
    return result.pass;
  } catch (error) {
    console.log(`Monorepo benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** The Prometheus load of a refresh (issue 13); false when a goal is missed or it could not run. */
async function prometheusBench(repoRoot: string, log: (line: string) => void): Promise<boolean> {
  try {
    const result = await runPrometheusBench({ projectRoot: repoRoot, log });
    printPrometheusBench(result);
    return result.pass;
  } catch (error) {
    console.log(`Prometheus benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** Opening a recently changed file to its lenses (issue 14); false when the target is missed or it could not run. */
async function lensBench(repoRoot: string, log: (line: string) => void): Promise<boolean> {
  try {
    const result = await runLensBench({ projectRoot: repoRoot, log });
    printLensBench(result);
    return result.pass;
  } catch (error) {
    console.log(`Lens benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

const PARTS = ['slo', 'monorepo', 'prometheus', 'git', 'editor', 'lens'] as const;
type Part = (typeof PARTS)[number];

/** The parts `--only a,b` names (every part without it); an unknown name is an error that lists them. */
function selectedParts(argv: readonly string[]): Set<Part> {
  const index = argv.indexOf('--only');
  if (index < 0) return new Set(PARTS);
  const names = (argv[index + 1] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !PARTS.includes(name as Part));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only ${argv[index + 1] ?? ''}: ${unknown.length ? `unknown part ${unknown.join(', ')}` : 'no part named'}; parts: ${PARTS.join(', ')}`);
  }
  return new Set(names as Part[]);
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const log = (line: string) => console.log(`  ${line}`);
  const parts = selectedParts(process.argv.slice(2));
  const missed: string[] = [];
  if (parts.has('slo')) {
    const slo = runSloBench(repoRoot);
    printSloBench(slo);
    if (!slo.pass) missed.push('report over 50 SLOs');
    console.log('');
  }
  if (parts.has('monorepo')) {
    if (!(await monorepoBench(repoRoot, log))) missed.push('dashboard at monorepo scale');
    console.log('');
  }
  if (parts.has('prometheus') && !(await prometheusBench(repoRoot, log))) missed.push('Prometheus load of a refresh');
  for (const [shape, doraPeakTargetMb] of [
    [FIFTY_THOUSAND, undefined],
    [MILLION, MILLION_DORA_PEAK_MB],
  ] as const) {
    if (!parts.has('git')) break;
    console.log('');
    const git = await runGitBench({ projectRoot: repoRoot, shape, doraPeakTargetMb, log });
    printGitBench(git);
    if (!git.pass) missed.push(`delivery history on ${shape.name}`);
  }
  console.log('');
  if (parts.has('lens') && !(await lensBench(repoRoot, log))) missed.push('opening a file to its lenses');
  if (parts.has('editor') && !(await editorBench(repoRoot, log))) missed.push('editor on the million-commit repository');
  if (missed.length > 0) {
    console.log(`\nbenchmark targets missed or answers differing: ${missed.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});

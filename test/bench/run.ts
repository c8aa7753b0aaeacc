// `npm run bench`: every speed and memory target of the project, each against a floor measured in the
// same run. Exit code 1 when any target is missed or an answer differs (see gitBench.ts).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureRepository, evaluationTime, FIFTY_THOUSAND, hasCommitGraph, MILLION } from './bigRepository';
import { printGitBench, runGitBench } from './gitBench';
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

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const log = (line: string) => console.log(`  ${line}`);
  const missed: string[] = [];
  const slo = runSloBench(repoRoot);
  printSloBench(slo);
  if (!slo.pass) missed.push('report over 50 SLOs');
  console.log('');
  if (!(await monorepoBench(repoRoot, log))) missed.push('dashboard at monorepo scale');
  console.log('');
  if (!(await prometheusBench(repoRoot, log))) missed.push('Prometheus load of a refresh');
  for (const [shape, doraPeakTargetMb] of [
    [FIFTY_THOUSAND, undefined],
    [MILLION, MILLION_DORA_PEAK_MB],
  ] as const) {
    console.log('');
    const git = await runGitBench({ projectRoot: repoRoot, shape, doraPeakTargetMb, log });
    printGitBench(git);
    if (!git.pass) missed.push(`delivery history on ${shape.name}`);
  }
  console.log('');
  if (!(await editorBench(repoRoot, log))) missed.push('editor on the million-commit repository');
  if (missed.length > 0) {
    console.log(`\nbenchmark targets missed or answers differing: ${missed.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});

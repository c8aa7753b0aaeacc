// `npm run bench`: every speed and memory target of the project, each against a floor measured in the same run.
import * as path from 'node:path';
import { printGitBench, runGitBench } from './gitBench';
import { printSloBench, runSloBench } from './sloBench';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const slo = runSloBench(repoRoot);
  printSloBench(slo);
  console.log('');
  const git = await runGitBench({ projectRoot: repoRoot, log: (line) => console.log(`  ${line}`) });
  printGitBench(git);
  const failed = [slo.pass, git.dora.pass, git.lens.pass].filter((pass) => !pass).length;
  if (failed > 0) {
    console.log(`${failed} benchmark target(s) missed`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});

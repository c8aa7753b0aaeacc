// `npm run bench`: every speed and memory target of the project, each against a floor measured in the same run.
import * as path from 'node:path';
import { printSloBench, runSloBench } from './sloBench';

function main(): void {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const slo = runSloBench(repoRoot);
  printSloBench(slo);
  const failed = [slo].filter((r) => !r.pass).length;
  if (failed > 0) {
    console.log(`${failed} benchmark target(s) missed`);
    process.exitCode = 1;
  }
}

main();

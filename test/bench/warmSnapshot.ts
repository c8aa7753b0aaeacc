// The editor's case in one process: the first snapshot of a workspace (SLOs, incidents and delivery),
// then the same snapshot again, as a refresh with nothing changed does. Run as a child of the benchmark
// (`node --import tsx -r test/bench/peakMemory.cjs test/bench/warmSnapshot.ts ROOT NOW_MS RUNS`) so its
// peak memory is the snapshot's, not the benchmark's; prints one JSON line `{ firstMs, againMs }`.
import { loadSnapshot } from '../../src/workspace/engine';
import { medianOf } from './measure';

async function main(): Promise<void> {
  const [root, nowText, runsText] = process.argv.slice(2);
  const options = { now: Number(nowText), sloData: false, allowRemote: false };
  let began = performance.now();
  await loadSnapshot(root, options);
  const firstMs = performance.now() - began;
  const again: number[] = [];
  for (let run = 0; run < Number(runsText); run++) {
    began = performance.now();
    await loadSnapshot(root, options);
    again.push(performance.now() - began);
  }
  console.log(JSON.stringify({ firstMs, againMs: medianOf(again) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});

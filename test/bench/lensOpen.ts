// The editor's path from opening a recently changed file to its lenses, once history is loaded, in one
// process: the snapshot a refresh loads (as src/state/workspaceStore.ts asks for it, without remote
// sources), then, per run, what src/views/codeLens/incidentLenses.ts does for a file it has not seen
// with this snapshot: the file's git reads and links (engine fileLens) and the lens model
// (views/codeLens/lensModel.ts). Run as a child of the benchmark:
//   node --import tsx test/bench/lensOpen.ts ROOT NOW_MS FILE RUNS
// prints one JSON line `{ loadMs, firstMs, medianMs, bestMs, changes, lenses: { linked, all, summary } }`.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { degradedDeployments } from '../../src/core/changeSignal';
import { effectiveRecentDays } from '../../src/core/incidents';
import type { FileChange } from '../../src/core/model';
import type { CodeLensShow } from '../../src/state/config';
import { buildFileLensModel, type FileLensModel } from '../../src/views/codeLens/lensModel';
import { fileLens, loadSnapshot, servicesOfFile } from '../../src/workspace/engine';
import type { WorkspaceSnapshot } from '../../src/workspace/snapshot';
import { medianOf } from './measure';

function lensModel(snapshot: WorkspaceSnapshot, file: string, changes: FileChange[], text: string[], show: CodeLensShow): FileLensModel {
  return buildFileLensModel({
    changes,
    show,
    severities: new Map(snapshot.incidents.map((incident) => [incident.id, incident.severity] as const)),
    degraded: degradedDeployments(snapshot.deploymentImpacts, servicesOfFile(snapshot, file)),
    now: snapshot.now,
    lineText: (line) => text[line - 1],
    lineCount: text.length,
  });
}

async function main(): Promise<void> {
  const [root, nowText, file, runsText] = process.argv.slice(2);
  const absolute = path.resolve(root, file);
  let began = performance.now();
  const snapshot = await loadSnapshot(root, { now: Number(nowText), allowRemote: false, burnDown: false });
  const loadMs = performance.now() - began;
  const recentDays = effectiveRecentDays(snapshot.config.recentDays, undefined);
  const times: number[] = [];
  let changes: FileChange[] = [];
  let model: FileLensModel | undefined;
  for (let run = 0; run < Number(runsText); run++) {
    began = performance.now();
    // The document is open: its lines are in memory, as the editor has them.
    const text = readFileSync(absolute, 'utf8').split('\n');
    changes = await fileLens(snapshot, absolute, { recentDays });
    model = lensModel(snapshot, file, changes, text, 'linked');
    times.push(performance.now() - began);
  }
  const text = readFileSync(absolute, 'utf8').split('\n');
  const count = (show: CodeLensShow) => lensModel(snapshot, file, changes, text, show).lenses.length;
  console.log(JSON.stringify({ loadMs, firstMs: times[0], medianMs: medianOf(times), bestMs: Math.min(...times), changes: changes.length, lenses: { linked: model?.lenses.length ?? 0, all: count('all'), summary: count('summary') } }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});

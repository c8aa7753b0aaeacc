// The log line of each load stage, written by the store and read back by the editor benchmark
// (test/bench/editorBench.ts): how long the load took, what it brought, on the first load how long
// after activation it was shown, and the extension host's memory at that moment. One format, here,
// so the writer and the reader cannot drift apart.

export interface MemoryFigures {
  rssMb: number;
  heapMb: number;
}

export function memoryFigures(usage: Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed'> = process.memoryUsage()): MemoryFigures {
  const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
  return { rssMb: mb(usage.rss), heapMb: mb(usage.heapUsed) };
}

export function formatMemory(memory: MemoryFigures): string {
  return `extension host rss ${memory.rssMb} MB, heap ${memory.heapMb} MB`;
}

export function parseMemory(text: string): MemoryFigures | undefined {
  const match = /extension host rss (\d+) MB, heap (\d+) MB/.exec(text);
  return match ? { rssMb: Number(match[1]), heapMb: Number(match[2]) } : undefined;
}

export interface LoadLine {
  /**
   * `early`: SLOs and incidents shown while git reads; `interim`: delivery shown while git still
   * searches the old deployments of some incidents; `complete`: the whole snapshot.
   */
  stage: 'early' | 'interim' | 'complete';
  workspace: string;
  /** Since the load started. */
  loadMs: number;
  reason: string;
  slos: number;
  incidents: number;
  /** Interim and complete stages only. */
  deployments?: number;
  problems?: number;
  /** On the first load only: since the extension activated. */
  sinceActivationMs?: number;
  memory: MemoryFigures;
}

/** What git is still doing at a stage that is not complete, as the line says it. */
const PENDING: Record<'early' | 'interim', string> = {
  early: 'while git reads delivery history',
  interim: 'while git names old deployments',
};

export function formatLoadLine(line: LoadLine): string {
  const activation = line.sinceActivationMs === undefined ? '' : `${line.sinceActivationMs} ms after activation; `;
  const tail = `${activation}${formatMemory(line.memory)}`;
  const delivery = line.stage === 'early' ? '' : `, ${line.deployments ?? 0} deployments, ${line.problems ?? 0} problems`;
  const opening = line.stage === 'complete' ? `Loaded ${line.workspace} in ${line.loadMs} ms (${line.reason})` : `Showing ${line.workspace} after ${line.loadMs} ms (${line.reason}) ${PENDING[line.stage]}`;
  return `${opening}: ${line.slos} SLOs, ${line.incidents} incidents${delivery}; ${tail}`;
}

const LOAD_LINE =
  /(?:Loaded (.+) in (\d+) ms \((.*)\)|Showing (.+) after (\d+) ms \((.*)\) (while git reads delivery history|while git names old deployments)): (\d+) SLOs, (\d+) incidents(?:, (\d+) deployments, (\d+) problems)?; (?:(\d+) ms after activation; )?(extension host .*)$/;

/** A load line found in a line of the log (which may carry the log's timestamp and level before it). */
export function parseLoadLine(text: string): LoadLine | undefined {
  const match = LOAD_LINE.exec(text);
  if (!match) return undefined;
  const [, loadedWorkspace, loadedMs, loadedReason, shownWorkspace, shownMs, shownReason, pending, slos, incidents, deployments, problems, activation, memoryText] = match;
  const memory = parseMemory(memoryText);
  if (!memory) return undefined;
  const stage: LoadLine['stage'] = loadedWorkspace !== undefined ? 'complete' : pending === PENDING.early ? 'early' : 'interim';
  // An early line carries no deployment counts; the others always do.
  if ((stage === 'early') !== (deployments === undefined)) return undefined;
  return {
    stage,
    workspace: loadedWorkspace ?? shownWorkspace,
    loadMs: Number(loadedMs ?? shownMs),
    reason: loadedReason ?? shownReason,
    slos: Number(slos),
    incidents: Number(incidents),
    ...(deployments === undefined ? {} : { deployments: Number(deployments), problems: Number(problems) }),
    ...(activation === undefined ? {} : { sinceActivationMs: Number(activation) }),
    memory,
  };
}

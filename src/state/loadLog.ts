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
  /** `early`: SLOs and incidents shown while git reads; `complete`: the whole snapshot. */
  stage: 'early' | 'complete';
  workspace: string;
  /** Since the load started. */
  loadMs: number;
  reason: string;
  slos: number;
  incidents: number;
  /** Complete stage only. */
  deployments?: number;
  problems?: number;
  /** On the first load only: since the extension activated. */
  sinceActivationMs?: number;
  memory: MemoryFigures;
}

export function formatLoadLine(line: LoadLine): string {
  const activation = line.sinceActivationMs === undefined ? '' : `${line.sinceActivationMs} ms after activation; `;
  const tail = `${activation}${formatMemory(line.memory)}`;
  if (line.stage === 'early') {
    return `Showing ${line.workspace} after ${line.loadMs} ms (${line.reason}) while git reads delivery history: ${line.slos} SLOs, ${line.incidents} incidents; ${tail}`;
  }
  return (
    `Loaded ${line.workspace} in ${line.loadMs} ms (${line.reason}): ${line.slos} SLOs, ${line.incidents} incidents, ` +
    `${line.deployments ?? 0} deployments, ${line.problems ?? 0} problems; ${tail}`
  );
}

const EARLY = /Showing (.+) after (\d+) ms \((.*)\) while git reads delivery history: (\d+) SLOs, (\d+) incidents; (?:(\d+) ms after activation; )?(extension host .*)$/;
const COMPLETE = /Loaded (.+) in (\d+) ms \((.*)\): (\d+) SLOs, (\d+) incidents, (\d+) deployments, (\d+) problems; (?:(\d+) ms after activation; )?(extension host .*)$/;

/** A load line found in a line of the log (which may carry the log's timestamp and level before it). */
export function parseLoadLine(text: string): LoadLine | undefined {
  const early = EARLY.exec(text);
  if (early) {
    const memory = parseMemory(early[7]);
    if (!memory) return undefined;
    return {
      stage: 'early',
      workspace: early[1],
      loadMs: Number(early[2]),
      reason: early[3],
      slos: Number(early[4]),
      incidents: Number(early[5]),
      ...(early[6] === undefined ? {} : { sinceActivationMs: Number(early[6]) }),
      memory,
    };
  }
  const complete = COMPLETE.exec(text);
  if (!complete) return undefined;
  const memory = parseMemory(complete[9]);
  if (!memory) return undefined;
  return {
    stage: 'complete',
    workspace: complete[1],
    loadMs: Number(complete[2]),
    reason: complete[3],
    slos: Number(complete[4]),
    incidents: Number(complete[5]),
    deployments: Number(complete[6]),
    problems: Number(complete[7]),
    ...(complete[8] === undefined ? {} : { sinceActivationMs: Number(complete[8]) }),
    memory,
  };
}

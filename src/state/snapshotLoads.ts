// The rules of a workspace's loads, kept free of `vscode` so they are tested on their own: which load
// is current, what cancels one, and when a load's early snapshot (SLOs and incidents while git still
// reads delivery history) replaces what the views show.
import type { WorkspaceSnapshot } from '../workspace/snapshot';

/**
 * One AbortController per load. Starting a load aborts the one it supersedes and `cancel` (the folder
 * closed) aborts the current one; the engine hands the signal to git, so either stops its processes.
 */
export class LoadRuns {
  private current: AbortController | undefined;

  start(): AbortController {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    return controller;
  }

  /** Whether this load's results may still be shown: nothing superseded or cancelled it. */
  isCurrent(controller: AbortController): boolean {
    return this.current === controller && !controller.signal.aborted;
  }

  /** The load ended; true when it was the current one (the store then stops saying it is loading). */
  finish(controller: AbortController): boolean {
    if (this.current !== controller) return false;
    this.current = undefined;
    return true;
  }

  cancel(): void {
    this.current?.abort();
    this.current = undefined;
  }
}

/** What a workspace shows now: its last snapshot, and why the last load failed if it did. */
export interface ShownData {
  snapshot?: WorkspaceSnapshot;
  error?: string;
}

/**
 * Whether an early snapshot replaces what is shown. Yes when nothing complete is on screen: the first
 * load, a load after a failed one, or an early or interim snapshot (of this load or of one a refresh
 * superseded). No
 * when a complete snapshot is shown: a refresh keeps it until the new one is complete, so the Delivery
 * view does not fall back to "reading" on every refresh.
 */
export function showsEarlySnapshot(shown: ShownData): boolean {
  return !shown.snapshot || shown.snapshot.deliveryPending === true || shown.snapshot.linksPending === true || shown.error !== undefined;
}

/**
 * Pins the time every load evaluates at, as the CLI's `--now` does: for benchmarks and demos of a
 * repository whose history ends at a fixed date (VS Code gives the extension host no other way: it
 * drops LD_PRELOAD, so a faked clock never reaches it). An ISO 8601 time; unset, the clock decides.
 */
export const PINNED_NOW_VARIABLE = 'RELIABILITY_LENS_NOW';

/** The time a load evaluates at: the pinned one when the variable is set, else the clock. Throws on a malformed value. */
export function evaluationTime(env: NodeJS.ProcessEnv = process.env, clock: () => number = Date.now): number {
  const pinned = env[PINNED_NOW_VARIABLE];
  if (pinned === undefined || pinned === '') return clock();
  const time = /^\d{4}-\d\d-\d\dT/.test(pinned) ? Date.parse(pinned) : Number.NaN;
  if (Number.isNaN(time)) throw new Error(`${PINNED_NOW_VARIABLE}=${pinned} is not an ISO 8601 time (e.g. 2025-12-14T07:10:00Z)`);
  return time;
}

// Whether a refresh found Prometheus under pressure, and how the editor says so. A shared Prometheus
// that answers 429 Too Many Requests or 503 Service Unavailable, or takes seconds per answer, is
// telling its clients to ask less often; every editor that listens makes the next refresh wait longer
// (refreshSchedule.ts), and tells its user why the numbers are older than usual.
import type { SourceLoad } from '../core/model';
import { formatDuration, formatUtcClock } from '../core/format';

/**
 * An answer slower than this is pressure. Prometheus answers the queries of a refresh in well under a
 * second when it is healthy (the benchmark's raw 28-day queries included); five seconds means it is
 * struggling, and a timed-out request (the HTTP client's deadline is 10 s) counts here too.
 */
export const SLOW_ANSWER_MS = 5_000;

export type Pressure =
  /** Answers with 429 or 503 (the HTTP client counts both; either asks us to slow down). */
  | { kind: 'throttled'; answers: number }
  /** No such answer, but the slowest took longer than SLOW_ANSWER_MS (or hit the deadline). */
  | { kind: 'slow'; slowestMs: number };

/** The pressure a refresh's load shows, or null: none, or no load known (Prometheus not asked). */
export function pressureOf(load: SourceLoad | undefined): Pressure | null {
  if (!load) return null;
  if (load.throttled > 0) return { kind: 'throttled', answers: load.throttled };
  if (load.slowestMs > SLOW_ANSWER_MS) return { kind: 'slow', slowestMs: load.slowestMs };
  return null;
}

/** What the editor shows while it backs off: the pressure seen, and when it will ask again. */
export interface BackoffNotice {
  pressure: Pressure;
  /** When the next automatic refresh may ask Prometheus, epoch ms (null: none is planned). */
  nextAt: number | null;
  /** Whether `nextAt` is a planned periodic refresh; false: refreshes on changes are held back until then. */
  periodic: boolean;
  /** When the notice was made: "in 20 min" counts from here. */
  at: number;
}

/** `Prometheus asked to slow down (429/503, 2 answers)` or `Prometheus answered slowly (slowest 7.2 s)`. */
export function pressureWords(pressure: Pressure): string {
  if (pressure.kind === 'throttled') {
    return `Prometheus asked to slow down (429/503, ${pressure.answers === 1 ? '1 answer' : `${pressure.answers} answers`})`;
  }
  return `Prometheus answered slowly (slowest ${(pressure.slowestMs / 1000).toFixed(1)} s)`;
}

/** `Prometheus asked to slow down (429/503, 1 answer): next refresh in 20 min (14:35 UTC)`; Refresh still asks at once. */
export function backoffNoticeText(notice: BackoffNotice): string {
  const words = pressureWords(notice.pressure);
  if (notice.nextAt === null) return `${words}: automatic refreshes wait longer until it answers without pressure`;
  const wait = waitWords(notice.nextAt - notice.at);
  const clock = formatUtcClock(notice.nextAt);
  return notice.periodic ? `${words}: next refresh in ${wait} (${clock})` : `${words}: automatic refreshes wait ${wait} (until ${clock})`;
}

/** `1 min`, `20 min`, `1h 12m`: whole minutes, rounded up, so "in 0 min" never shows. */
export function waitWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return minutes < 60 ? `${minutes} min` : formatDuration(minutes * 60_000);
}

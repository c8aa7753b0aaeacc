// Long windows read as kept hour steps plus two short edges, so a refresh asks Prometheus only for what
// can have changed since the last one (issue: a bounded query cost per refresh).
//
// A window (now - w, now] of two hours or more is split on the epoch's hour grid:
//
//   (now - w, firstHour]      the head: asked for each refresh (less than an hour);
//   (h - 1h, h] for each whole hour h up to lastHour = floor(now / 1h) * 1h: kept steps;
//   (lastHour, now]           the tail, shared by every window (less than an hour).
//
// Each part is its own increase() (or sum of records), so the sum equals the whole window read at once
// where the data is aligned to the parts' edges (whole hours and the sample grid), and otherwise
// differs by the edge effects of each part (sources/prometheus.ts says how increase() treats edges).
// A step is kept once its end is SETTLE_MS behind the evaluation time, so late samples and rule
// evaluations have landed; until then it is asked again. Steps outside the windows of the latest
// refresh are dropped, so a jump of evaluation time (looking back) simply asks for the steps it needs.
import type { EventKind, EventQueries } from '../core/promql';
import type { HttpClient } from './http/httpClient';
import type { AskedSpan, Grid } from './prometheus';
import type { PrometheusSession } from './prometheusSession';

/** Events of each kind asked for (good, bad, total), already read as counts and scaled. */
export type KindValues = Partial<Record<EventKind, number>>;

export const STEP_MS = 3_600_000;
/** How far behind the evaluation time a step must end to be kept. */
export const SETTLE_MS = 10 * 60_000;
/** Up to this many missing steps ride in the instant query (each read at its end); more take one query_range. */
const MAX_STEPS_IN_INSTANT = 24;

/** The counts of the steps `(end - stepMs, end]` on a grid aligned to the Unix epoch, by step end. */
export interface StepCounts {
  stepMs: number;
  byEnd: Map<number, KindValues>;
}

/**
 * The kept steps of one SLO's queries on one server, or null without a session (a single CLI command:
 * nothing would be reused, so long windows are asked for whole, in the one instant query).
 */
export function stepStore(session: PrometheusSession | undefined, client: HttpClient, queries: EventQueries): StepCounts | null {
  if (!session || !queries.additive) return null;
  const key = JSON.stringify([client.baseUrl, queries.kinds, ...queries.kinds.map((kind) => queries.expression(kind, STEP_MS))]);
  let kept = session.steps.get(key);
  if (!kept) {
    kept = { stepMs: STEP_MS, byEnd: new Map() };
    session.steps.set(key, kept);
  }
  return kept;
}

interface ComposedWindow {
  name: string;
  start: number;
  /** End of the head part, the first whole hour after `start` (equal to start when it is on the hour). */
  headEnd: number;
  words: string;
}

/** One refresh's plan for the long windows of one SLO. */
export class StepPlan {
  private readonly lastHour: number;
  private readonly windows: ComposedWindow[] = [];
  private firstStepEnd = Number.POSITIVE_INFINITY;
  private rangeGrid: Grid | null = null;
  private readonly values = new Map<number, KindValues>();
  private readonly instantValues = new Map<string, KindValues>();

  private readonly kept: StepCounts | null;
  private readonly wholeHours: EventQueries['wholeHours'];

  /**
   * `kept`: the session's steps for these queries. Queries that read a run of whole hours cheaply
   * (recorded hourly counts) ask for the run in the instant query instead, every refresh: a sample
   * per hour costs the server less than a query_range would, and keeps a refresh at one request.
   */
  constructor(kept: StepCounts | null, private readonly now: number, queries: EventQueries) {
    this.lastHour = Math.floor(now / STEP_MS) * STEP_MS;
    this.wholeHours = queries.wholeHours;
    this.kept = this.wholeHours ? null : kept;
  }

  /** Whether a window of this length is read in parts (two hours or more, with kept steps or hourly counts). */
  composes(lengthMs: number): boolean {
    return (this.kept !== null || this.wholeHours !== undefined) && lengthMs >= 2 * STEP_MS;
  }

  compose(name: string, lengthMs: number, words: string): void {
    const start = this.now - lengthMs;
    const headEnd = Math.ceil(start / STEP_MS) * STEP_MS;
    this.windows.push({ name, start, headEnd, words });
    this.firstStepEnd = Math.min(this.firstStepEnd, headEnd + STEP_MS);
  }

  /** The heads, the tail and the missing steps few enough to ride in the instant query. */
  askedSpans(): AskedSpan[] {
    if (this.windows.length === 0) return [];
    const asked: AskedSpan[] = [];
    for (const window of this.windows) {
      if (window.headEnd > window.start) {
        asked.push({ name: headName(window.name), lengthMs: window.headEnd - window.start, end: window.headEnd, words: `${window.words}, before its first whole hour` });
      }
    }
    if (this.now > this.lastHour) asked.push({ name: TAIL, lengthMs: this.now - this.lastHour, end: this.now, words: 'since the last whole hour' });
    const wholeHours = this.wholeHours;
    if (wholeHours) {
      for (const window of this.windows) {
        const firstEnd = window.headEnd + STEP_MS;
        const words = `${window.words}, its whole hours`;
        asked.push({ name: hoursName(window.name), lengthMs: this.lastHour - window.headEnd, end: this.lastHour, words, expression: (kind) => wholeHours(kind, firstEnd, this.lastHour) });
      }
      return asked;
    }
    if (this.kept === null) return asked;
    const missing: number[] = [];
    for (let end = this.firstStepEnd; end <= this.lastHour; end += STEP_MS) if (!this.kept.byEnd.has(end)) missing.push(end);
    if (missing.length > MAX_STEPS_IN_INSTANT) {
      this.rangeGrid = { firstEnd: missing[0], lastEnd: missing[missing.length - 1], stepMs: STEP_MS, tailMs: 0 };
    } else {
      for (const end of missing) {
        asked.push({ name: stepName(end), lengthMs: STEP_MS, end, words: `in the hour ending ${new Date(end).toISOString()}` });
      }
    }
    return asked;
  }

  /** The missing steps too many for the instant query, by one query_range (none when there are few). */
  async fetchRange(fetch: (stepGrid: Grid) => Promise<Array<{ end: number; values: KindValues }>>): Promise<Array<{ end: number; values: KindValues }>> {
    return this.rangeGrid ? fetch(this.rangeGrid) : [];
  }

  /** Takes in what was asked, keeps the settled steps, and drops the ones no window needs any more. */
  settle(instant: ReadonlyMap<string, KindValues>, rangeSteps: ReadonlyArray<{ end: number; values: KindValues }>): void {
    for (const [name, values] of instant) this.instantValues.set(name, values);
    const kept = this.kept;
    if (kept === null || this.windows.length === 0) return;
    const fromRange = new Map(rangeSteps.map((step) => [step.end, step.values]));
    const settledBy = this.now - SETTLE_MS;
    for (let end = this.firstStepEnd; end <= this.lastHour; end += STEP_MS) {
      const values = kept.byEnd.get(end) ?? instant.get(stepName(end)) ?? fromRange.get(end) ?? {};
      this.values.set(end, values);
      if (end <= settledBy) kept.byEnd.set(end, values);
    }
    for (const end of kept.byEnd.keys()) {
      if (end < this.firstStepEnd || end > this.lastHour || end > settledBy) kept.byEnd.delete(end);
    }
  }

  /** Each composed window's events: head, whole hours, tail. */
  composed(): Map<string, KindValues> {
    const result = new Map<string, KindValues>();
    const tail = this.instantValues.get(TAIL) ?? {};
    for (const window of this.windows) {
      const sum: KindValues = {};
      const add = (values: KindValues) => {
        for (const [kind, value] of Object.entries(values) as Array<[EventKind, number]>) sum[kind] = (sum[kind] ?? 0) + value;
      };
      add(this.instantValues.get(headName(window.name)) ?? {});
      if (this.wholeHours) add(this.instantValues.get(hoursName(window.name)) ?? {});
      else for (let end = window.headEnd + STEP_MS; end <= this.lastHour; end += STEP_MS) add(this.values.get(end) ?? {});
      add(tail);
      result.set(window.name, sum);
    }
    return result;
  }
}

const TAIL = 'steps:tail';

function headName(window: string): string {
  return `${window}:head`;
}

function hoursName(window: string): string {
  return `${window}:hours`;
}

function stepName(end: number): string {
  return `step:${end}`;
}

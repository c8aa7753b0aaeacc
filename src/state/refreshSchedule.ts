// When a folder refreshes on its own, kept free of `vscode` (timers and randomness are injected) so
// the rule is tested by hand-computed cases. Every open editor refreshes every folder it shows, so
// against a shared Prometheus the rule is about being a good citizen:
//   - interval: the user's refreshIntervalMinutes, never shorter than the minimum below;
//   - jitter: each next refresh lands at a random point in +0..20% of the interval, drawn again every
//     time, so editors started together (a team's morning, a CI fleet of code-servers) drift apart;
//   - backoff: after a refresh that found Prometheus under pressure (refreshPressure.ts) the interval
//     doubles, up to 8 times and at most an hour, and returns to normal after a refresh without;
//   - minimum: `reliabilityLens.minimumRefreshMinutes` and config.yaml's `slis.prometheus.minimumRefresh`
//     (the team that runs the server sets that one) bound how often automatic refreshes of a folder
//     that reads Prometheus may query it: edits and git changes that come sooner wait for it.
// Explicit acts (the Refresh command, a changed token or setting) are not asked: the store runs them.
import type { SourceLoad } from '../core/model';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { pressureOf } from './refreshPressure';
import type { BackoffNotice, Pressure } from './refreshPressure';

const MINUTE = 60_000;
/** The next refresh lands in [interval, interval × (1 + JITTER_FRACTION)). */
export const JITTER_FRACTION = 0.2;
/** The interval grows at most to 8 times itself under pressure... */
export const MAX_BACKOFF_FACTOR = 8;
/** ...and to at most an hour (an interval already longer stays as it is). */
export const MAX_BACKED_OFF_MS = 60 * MINUTE;
/** What backoff doubles when periodic refresh is off and no minimum is set: the default interval. */
export const FALLBACK_INTERVAL_MS = 5 * MINUTE;

/** The user's settings (state/config.ts), in minutes; 0 turns each off. */
export interface RefreshSettings {
  refreshIntervalMinutes: number;
  minimumRefreshMinutes: number;
}

/** What a folder's last snapshot says about Prometheus. */
export interface PrometheusUse {
  /** Some SLO reads Prometheus and the source was contacted (not off, not in Restricted Mode). */
  queried: boolean;
  /** config.yaml's `slis.prometheus.minimumRefresh`, ms; null when not set. */
  minimumRefreshMs: number | null;
}

export const NO_PROMETHEUS: PrometheusUse = { queried: false, minimumRefreshMs: null };

export interface RefreshLimits {
  /** Between periodic refreshes, ms; 0: periodic refresh is off. */
  intervalMs: number;
  /** The shortest time between two automatic refreshes, ms; 0: none. Only folders that query Prometheus have one. */
  minimumMs: number;
  /** Whether the folder's refreshes query Prometheus: only then do the minimum and backoff hold back other refreshes. */
  queriesPrometheus: boolean;
}

/** The interval is the largest of refreshIntervalMinutes, the setting's minimum and config.yaml's. */
export function refreshLimits(settings: RefreshSettings, use: PrometheusUse): RefreshLimits {
  const minimumMs = use.queried ? Math.max(0, settings.minimumRefreshMinutes * MINUTE, use.minimumRefreshMs ?? 0) : 0;
  const intervalMs = settings.refreshIntervalMinutes > 0 ? Math.max(settings.refreshIntervalMinutes * MINUTE, minimumMs) : 0;
  return { intervalMs, minimumMs, queriesPrometheus: use.queried };
}

/** Doubles after a refresh under pressure (up to MAX_BACKOFF_FACTOR); back to 1 after one without. */
export function nextBackoffFactor(factor: number, pressure: Pressure | null): number {
  return pressure ? Math.min(MAX_BACKOFF_FACTOR, factor * 2) : 1;
}

/** `baseMs` times the backoff factor, capped at MAX_BACKED_OFF_MS, never below `baseMs`. */
export function backedOffMs(baseMs: number, factor: number): number {
  if (factor <= 1) return baseMs;
  return Math.max(baseMs, Math.min(baseMs * factor, MAX_BACKED_OFF_MS));
}

/** `ms` stretched by a random part of JITTER_FRACTION; `random` in [0, 1), as Math.random. */
export function jitteredMs(ms: number, random: () => number): number {
  return ms * (1 + JITTER_FRACTION * random());
}

/** When the next periodic refresh runs, from when the last one started; null when periodic refresh is off. */
export function nextPeriodicAt(lastStartedAt: number, limits: RefreshLimits, factor: number, random: () => number): number | null {
  if (limits.intervalMs <= 0) return null;
  return lastStartedAt + jitteredMs(backedOffMs(limits.intervalMs, factor), random);
}

/**
 * The earliest an automatic refresh may start (and so query Prometheus) after the last one started:
 * the minimum, or under backoff the backed-off interval. -Infinity: any time.
 */
export function earliestQueryAt(lastStartedAt: number | undefined, limits: RefreshLimits, factor: number): number {
  if (lastStartedAt === undefined || !limits.queriesPrometheus) return Number.NEGATIVE_INFINITY;
  if (factor <= 1) return lastStartedAt + limits.minimumMs;
  const base = limits.intervalMs > 0 ? limits.intervalMs : Math.max(limits.minimumMs, FALLBACK_INTERVAL_MS);
  return lastStartedAt + backedOffMs(base, factor);
}

/** Time and timers, injected: the store passes the system's, tests a hand-driven clock. */
export interface ScheduleTimers {
  now(): number;
  /** In [0, 1), as Math.random. */
  random(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: ScheduleTimers = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What a finished load tells the schedule. */
export interface LoadOutcome {
  use: PrometheusUse;
  /** The Prometheus source's load in that snapshot (SourceState.load); absent when it was not asked. */
  load: SourceLoad | undefined;
}

/**
 * What a snapshot says about Prometheus: whether it was asked (a `prometheus` source that is neither
 * off nor waiting for a token; the engine lists one only when some SLO reads Prometheus), the team's
 * minimum from config.yaml, and the load of that refresh.
 */
export function loadOutcomeOf(snapshot: Pick<WorkspaceSnapshot, 'sources' | 'config'>): LoadOutcome {
  const source = snapshot.sources.find((candidate) => candidate.name === 'prometheus');
  const queried = source !== undefined && source.state !== 'disabled' && source.state !== 'needs-token';
  return {
    use: { queried, minimumRefreshMs: snapshot.config.slis.prometheus?.minimumRefreshMs ?? null },
    load: queried ? source.load : undefined,
  };
}

/** How the backoff moved with a load, for the log. */
export interface BackoffChange {
  pressure: Pressure | null;
  factor: number;
  previousFactor: number;
}

export type RefreshRequest = { run: 'now' } | { run: 'later'; at: number };

/**
 * One folder's automatic refreshes. The store tells it when loads start and end and asks it before
 * an automatic refresh; it calls `onDue(reason)` when a periodic or held-back refresh should start.
 * One timer at a time: the next periodic refresh is planned when a load ends (so a slow load never
 * overlaps the next), and a held-back request shares the timer with it.
 */
export class RefreshSchedule {
  private use: PrometheusUse = NO_PROMETHEUS;
  private factor = 1;
  private pressure: Pressure | null = null;
  private loading = false;
  private lastStartedAt: number | undefined;
  private periodicAt: number | null = null;
  private heldBack: { at: number; reason: string } | undefined;
  private timer: unknown;
  private armed = false;

  constructor(
    private readonly timers: ScheduleTimers,
    private settings: RefreshSettings,
    private readonly onDue: (reason: string) => void,
  ) {}

  get limits(): RefreshLimits {
    return refreshLimits(this.settings, this.use);
  }

  get backoffFactor(): number {
    return this.factor;
  }

  /** A load starts: it answers every waiting request; the next periodic refresh is planned when it ends. */
  loadStarted(): void {
    this.loading = true;
    this.lastStartedAt = this.timers.now();
    this.heldBack = undefined;
    this.periodicAt = null;
    this.disarm();
  }

  /**
   * The current load ended. `outcome` from its snapshot; null when it failed without one, which says
   * nothing about Prometheus, so the backoff stays as it was.
   */
  loadFinished(outcome: LoadOutcome | null): BackoffChange {
    const previousFactor = this.factor;
    this.loading = false;
    if (outcome) {
      this.use = outcome.use;
      this.pressure = outcome.use.queried ? pressureOf(outcome.load) : null;
      this.factor = nextBackoffFactor(this.factor, this.pressure);
    }
    this.planPeriodic();
    this.arm();
    return { pressure: this.pressure, factor: this.factor, previousFactor };
  }

  /**
   * An automatic refresh (a file or git change, the dashboard wanting its chart) asks to run. Now
   * when the folder may query Prometheus now; otherwise it is held back to the earliest time it may
   * (several requests meanwhile make one refresh), and `onDue` starts it then.
   */
  request(reason: string): RefreshRequest {
    const now = this.timers.now();
    const at = earliestQueryAt(this.lastStartedAt, this.limits, this.factor);
    if (at <= now) return { run: 'now' };
    this.heldBack ??= { at, reason };
    this.heldBack.at = at;
    this.arm();
    return { run: 'later', at };
  }

  /** The settings changed: plan the next periodic refresh again (not while a load runs; it plans at its end). */
  reconfigure(settings: RefreshSettings): void {
    this.settings = settings;
    if (this.loading) return;
    this.planPeriodic();
    if (this.heldBack) this.heldBack.at = Math.max(this.timers.now(), earliestQueryAt(this.lastStartedAt, this.limits, this.factor));
    this.arm();
  }

  /** What the views say while the folder backs off; undefined when it does not. */
  notice(): BackoffNotice | undefined {
    if (!this.pressure) return undefined;
    const now = this.timers.now();
    const periodic = this.periodicAt !== null;
    const nextAt = this.periodicAt ?? this.heldBack?.at ?? earliestQueryAt(this.lastStartedAt, this.limits, this.factor);
    return { pressure: this.pressure, nextAt: Number.isFinite(nextAt) ? nextAt : null, periodic, at: now };
  }

  dispose(): void {
    this.disarm();
    this.heldBack = undefined;
    this.periodicAt = null;
  }

  private planPeriodic(): void {
    this.periodicAt =
      this.lastStartedAt === undefined ? null : nextPeriodicAt(this.lastStartedAt, this.limits, this.factor, () => this.timers.random());
  }

  private arm(): void {
    this.disarm();
    const candidates: Array<{ at: number; reason: string }> = [];
    if (this.heldBack) candidates.push(this.heldBack);
    if (this.periodicAt !== null) candidates.push({ at: this.periodicAt, reason: 'interval' });
    if (candidates.length === 0) return;
    // The held-back request first on a tie: its reason says what the refresh is for.
    const next = candidates.reduce((earliest, candidate) => (candidate.at < earliest.at ? candidate : earliest));
    const delay = Math.max(0, next.at - this.timers.now());
    this.armed = true;
    this.timer = this.timers.setTimeout(() => {
      this.armed = false;
      this.onDue(next.reason);
    }, delay);
  }

  private disarm(): void {
    if (this.armed) this.timers.clearTimeout(this.timer);
    this.armed = false;
    this.timer = undefined;
  }
}

// The editor's refresh policy against a shared Prometheus (state/refreshSchedule.ts): the interval
// with jitter, the backoff after pressure and its way back, and the minimum between queries from the
// setting and from config.yaml. Time is a hand-driven clock and randomness a list of draws, so every
// expected time below is computed by hand.
import { strict as assert } from 'node:assert';
import type { SourceLoad, SourceState } from '../../src/core/model';
import {
  FALLBACK_INTERVAL_MS,
  RefreshSchedule,
  backedOffMs,
  earliestQueryAt,
  jitteredMs,
  loadOutcomeOf,
  nextBackoffFactor,
  nextPeriodicAt,
  refreshLimits,
} from '../../src/state/refreshSchedule';
import type { LoadOutcome, PrometheusUse, RefreshSettings, ScheduleTimers } from '../../src/state/refreshSchedule';
import { SLOW_ANSWER_MS, backoffNoticeText, pressureOf, waitWords } from '../../src/state/refreshPressure';
import { burnDownMissing, needsBurnDownRefresh, wantsBurnDown } from '../../src/state/burnDownDemand';
import { config, snapshot } from './views/viewBuilders';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-02T14:15:00Z');
const DEFAULTS: RefreshSettings = { refreshIntervalMinutes: 5, minimumRefreshMinutes: 0 };
const PROMETHEUS: PrometheusUse = { queried: true, minimumRefreshMs: null };
const CALM: SourceLoad = { requests: 6, throttled: 0, slowestMs: 120 };
const THROTTLED: SourceLoad = { requests: 9, throttled: 3, slowestMs: 300 };
const SLOW: SourceLoad = { requests: 6, throttled: 0, slowestMs: 7_200 };

/** A clock moved by hand, timers that run when it passes them, and random draws taken in order. */
class ManualTimers implements ScheduleTimers {
  private time = T0;
  private nextId = 1;
  readonly pending = new Map<number, { at: number; callback: () => void }>();

  constructor(private readonly draws: number[] = []) {}

  now(): number {
    return this.time;
  }

  random(): number {
    const draw = this.draws.shift();
    assert.ok(draw !== undefined, 'a random draw was taken that the test did not plan');
    return draw;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** When the one armed timer fires (the schedule keeps at most one). */
  armedAt(): number | undefined {
    assert.ok(this.pending.size <= 1, `one timer at a time, not ${this.pending.size}`);
    return [...this.pending.values()][0]?.at;
  }

  /** Moves the clock to `time`, running the timers it passes in order. */
  advanceTo(time: number): void {
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= time).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = time;
  }
}

function outcome(load: SourceLoad | undefined, use: PrometheusUse = PROMETHEUS): LoadOutcome {
  return { use, load };
}

/** A schedule whose due refreshes are recorded, with the clock and draws given. */
function scheduleWith(draws: number[], settings: RefreshSettings = DEFAULTS) {
  const timers = new ManualTimers(draws);
  const due: Array<{ reason: string; at: number }> = [];
  const schedule = new RefreshSchedule(timers, settings, (reason) => due.push({ reason, at: timers.now() }));
  return { timers, due, schedule };
}

describe('refresh schedule: the rule', () => {
  it('takes the largest of the interval, the setting and config.yaml as the interval, for folders that query Prometheus', () => {
    assert.deepEqual(refreshLimits(DEFAULTS, PROMETHEUS), { intervalMs: 5 * MINUTE, minimumMs: 0, queriesPrometheus: true });
    assert.deepEqual(refreshLimits(DEFAULTS, { queried: true, minimumRefreshMs: 10 * MINUTE }), { intervalMs: 10 * MINUTE, minimumMs: 10 * MINUTE, queriesPrometheus: true });
    assert.deepEqual(refreshLimits({ refreshIntervalMinutes: 5, minimumRefreshMinutes: 15 }, { queried: true, minimumRefreshMs: 10 * MINUTE }), {
      intervalMs: 15 * MINUTE,
      minimumMs: 15 * MINUTE,
      queriesPrometheus: true,
    });
    // A longer interval of the user's own stays; the minimum is still the minimum.
    assert.deepEqual(refreshLimits({ refreshIntervalMinutes: 30, minimumRefreshMinutes: 15 }, PROMETHEUS), { intervalMs: 30 * MINUTE, minimumMs: 15 * MINUTE, queriesPrometheus: true });
    // 0 keeps periodic refresh off; the minimum still holds back refreshes on changes.
    assert.deepEqual(refreshLimits({ refreshIntervalMinutes: 0, minimumRefreshMinutes: 15 }, PROMETHEUS), { intervalMs: 0, minimumMs: 15 * MINUTE, queriesPrometheus: true });
    // A folder that does not query Prometheus has no minimum: CSV files and git load nobody's server.
    assert.deepEqual(refreshLimits({ refreshIntervalMinutes: 5, minimumRefreshMinutes: 15 }, { queried: false, minimumRefreshMs: 20 * MINUTE }), {
      intervalMs: 5 * MINUTE,
      minimumMs: 0,
      queriesPrometheus: false,
    });
  });

  it('jitters within +0..20% of the interval', () => {
    assert.equal(jitteredMs(5 * MINUTE, () => 0), 300_000);
    assert.equal(jitteredMs(5 * MINUTE, () => 0.5), 330_000);
    assert.equal(jitteredMs(5 * MINUTE, () => 0.25), 315_000);
    // Math.random stays below 1, so the next refresh stays below +20%.
    assert.equal(jitteredMs(5 * MINUTE, () => 0.9999), 359_994);
  });

  it('doubles the interval under pressure up to 8 times, at most an hour, and resets after a calm refresh', () => {
    assert.deepEqual([1, 2, 4, 8].map((factor) => nextBackoffFactor(factor, { kind: 'throttled', answers: 1 })), [2, 4, 8, 8]);
    assert.equal(nextBackoffFactor(8, null), 1);
    assert.deepEqual([1, 2, 4, 8].map((factor) => backedOffMs(5 * MINUTE, factor) / MINUTE), [5, 10, 20, 40]);
    assert.deepEqual([2, 4, 8].map((factor) => backedOffMs(10 * MINUTE, factor) / MINUTE), [20, 40, 60]);
    // An interval already past the cap is not shortened by it.
    assert.equal(backedOffMs(90 * MINUTE, 2), 90 * MINUTE);
  });

  it('plans the next periodic refresh from the start of the last, backed off and jittered', () => {
    const limits = refreshLimits(DEFAULTS, PROMETHEUS);
    assert.equal(nextPeriodicAt(T0, limits, 1, () => 0.5), T0 + 330_000);
    assert.equal(nextPeriodicAt(T0, limits, 4, () => 0.5), T0 + 20 * MINUTE * 1.1);
    assert.equal(nextPeriodicAt(T0, refreshLimits({ refreshIntervalMinutes: 0, minimumRefreshMinutes: 0 }, PROMETHEUS), 1, () => 0.5), null);
  });

  it('lets an automatic refresh query after the minimum, or under backoff after the backed-off interval', () => {
    const withMinimum = refreshLimits(DEFAULTS, { queried: true, minimumRefreshMs: 10 * MINUTE });
    assert.equal(earliestQueryAt(undefined, withMinimum, 1), Number.NEGATIVE_INFINITY);
    assert.equal(earliestQueryAt(T0, withMinimum, 1), T0 + 10 * MINUTE);
    assert.equal(earliestQueryAt(T0, refreshLimits(DEFAULTS, PROMETHEUS), 1), T0);
    assert.equal(earliestQueryAt(T0, refreshLimits(DEFAULTS, PROMETHEUS), 2), T0 + 10 * MINUTE);
    // Periodic refresh off and no minimum: backoff doubles the default interval.
    assert.equal(earliestQueryAt(T0, refreshLimits({ refreshIntervalMinutes: 0, minimumRefreshMinutes: 0 }, PROMETHEUS), 4), T0 + 4 * FALLBACK_INTERVAL_MS);
    assert.equal(earliestQueryAt(T0, refreshLimits(DEFAULTS, { queried: false, minimumRefreshMs: 10 * MINUTE }), 8), Number.NEGATIVE_INFINITY);
  });

  it('reads pressure from 429/503 answers and from answers slower than five seconds', () => {
    assert.deepEqual(pressureOf(THROTTLED), { kind: 'throttled', answers: 3 });
    assert.deepEqual(pressureOf(SLOW), { kind: 'slow', slowestMs: 7_200 });
    // A timed-out request took the client's whole deadline.
    assert.deepEqual(pressureOf({ requests: 4, throttled: 0, slowestMs: 10_004 }), { kind: 'slow', slowestMs: 10_004 });
    assert.equal(pressureOf({ requests: 6, throttled: 0, slowestMs: SLOW_ANSWER_MS }), null);
    assert.equal(pressureOf(CALM), null);
    assert.equal(pressureOf(undefined), null);
  });

  it('says what Prometheus did and when the next refresh comes', () => {
    const pressure = { kind: 'throttled', answers: 1 } as const;
    assert.equal(
      backoffNoticeText({ pressure, nextAt: T0 + 20 * MINUTE, periodic: true, at: T0 }),
      'Prometheus asked to slow down (429/503, 1 answer): next refresh in 20 min (14:35 UTC)',
    );
    assert.equal(
      backoffNoticeText({ pressure: { kind: 'slow', slowestMs: 7_240 }, nextAt: T0 + 10 * MINUTE + 1, periodic: false, at: T0 }),
      'Prometheus answered slowly (slowest 7.2 s): automatic refreshes wait 11 min (until 14:25 UTC)',
    );
    assert.deepEqual([1, 59_000, 60_000, 61_000, 72 * MINUTE].map(waitWords), ['1 min', '1 min', '1 min', '2 min', '1h 12m']);
  });

  it('reads what a snapshot says about Prometheus', () => {
    const source = (state: SourceState['state'], load?: SourceLoad): SourceState => ({ name: 'prometheus', host: 'prom:9090', state, load });
    const teamMinimum = config({ slis: { source: 'prometheus', prometheus: { url: 'http://prom:9090', headers: {}, mode: 'auto', minimumRefreshMs: 10 * MINUTE } } });
    assert.deepEqual(loadOutcomeOf(snapshot({ config: teamMinimum, sources: [source('ok', CALM)] })), { use: { queried: true, minimumRefreshMs: 10 * MINUTE }, load: CALM });
    assert.deepEqual(loadOutcomeOf(snapshot({ sources: [source('failing', SLOW)] })), { use: { queried: true, minimumRefreshMs: null }, load: SLOW });
    assert.deepEqual(loadOutcomeOf(snapshot({ config: teamMinimum, sources: [source('disabled')] })), { use: { queried: false, minimumRefreshMs: 10 * MINUTE }, load: undefined });
    assert.deepEqual(loadOutcomeOf(snapshot({ sources: [{ name: 'git', state: 'ok' }] })), { use: { queried: false, minimumRefreshMs: null }, load: undefined });
  });
});

describe('refresh schedule: one folder over time', () => {
  it('draws the jitter again for every periodic refresh', () => {
    const { timers, due, schedule } = scheduleWith([0, 0.5]);
    schedule.loadStarted();
    schedule.loadFinished(outcome(CALM));
    assert.equal(timers.armedAt(), T0 + 300_000);
    timers.advanceTo(T0 + 300_000);
    assert.deepEqual(due, [{ reason: 'interval', at: T0 + 300_000 }]);
    // The store starts the load the schedule asked for.
    schedule.loadStarted();
    assert.equal(timers.armedAt(), undefined, 'no timer while a load runs');
    timers.advanceTo(T0 + 300_000 + 40_000);
    schedule.loadFinished(outcome(CALM));
    assert.equal(timers.armedAt(), T0 + 300_000 + 330_000, 'from the start of the load, not its end');
  });

  it('backs off after throttled and slow refreshes, says so, and returns to normal after a calm one', () => {
    const { timers, schedule } = scheduleWith([0, 0, 0, 0, 0]);
    schedule.loadStarted();
    assert.deepEqual(schedule.loadFinished(outcome(THROTTLED)), { pressure: { kind: 'throttled', answers: 3 }, factor: 2, previousFactor: 1 });
    assert.equal(timers.armedAt(), T0 + 10 * MINUTE);
    assert.equal(schedule.notice() && backoffNoticeText(schedule.notice()!), 'Prometheus asked to slow down (429/503, 3 answers): next refresh in 10 min (14:25 UTC)');

    timers.advanceTo(T0 + 10 * MINUTE);
    schedule.loadStarted();
    schedule.loadFinished(outcome(SLOW));
    assert.equal(timers.armedAt(), T0 + 10 * MINUTE + 20 * MINUTE);
    timers.advanceTo(T0 + 30 * MINUTE);
    schedule.loadStarted();
    schedule.loadFinished(outcome(THROTTLED));
    assert.equal(timers.armedAt(), T0 + 30 * MINUTE + 40 * MINUTE);
    timers.advanceTo(T0 + 70 * MINUTE);
    schedule.loadStarted();
    assert.equal(schedule.loadFinished(outcome(THROTTLED)).factor, 8, 'capped at 8 times');
    assert.equal(timers.armedAt(), T0 + 70 * MINUTE + 40 * MINUTE);

    timers.advanceTo(T0 + 110 * MINUTE);
    schedule.loadStarted();
    assert.deepEqual(schedule.loadFinished(outcome(CALM)), { pressure: null, factor: 1, previousFactor: 8 });
    assert.equal(timers.armedAt(), T0 + 115 * MINUTE);
    assert.equal(schedule.notice(), undefined);
  });

  it('keeps the backoff when a load failed without a snapshot, and drops it when Prometheus was not asked', () => {
    const { schedule } = scheduleWith([0, 0, 0]);
    schedule.loadStarted();
    schedule.loadFinished(outcome(THROTTLED));
    schedule.loadStarted();
    assert.equal(schedule.loadFinished(null).factor, 2, 'a failed load says nothing about Prometheus');
    schedule.loadStarted();
    assert.equal(schedule.loadFinished(outcome(undefined, { queried: false, minimumRefreshMs: null })).factor, 1);
  });

  it('holds back automatic refreshes to the minimum from config.yaml, once for a burst of changes', () => {
    const team = { queried: true, minimumRefreshMs: 10 * MINUTE };
    const { timers, due, schedule } = scheduleWith([0, 0]);
    // Before any load nothing is known: the first one always runs.
    assert.deepEqual(schedule.request('opened'), { run: 'now' });
    schedule.loadStarted();
    schedule.loadFinished(outcome(CALM, team));
    // Periodic: the interval is raised to the minimum.
    assert.equal(timers.armedAt(), T0 + 10 * MINUTE);

    timers.advanceTo(T0 + MINUTE);
    assert.deepEqual(schedule.request('.reliability/slos/checkout.yaml changed'), { run: 'later', at: T0 + 10 * MINUTE });
    timers.advanceTo(T0 + 2 * MINUTE);
    assert.deepEqual(schedule.request('git refs changed'), { run: 'later', at: T0 + 10 * MINUTE });
    timers.advanceTo(T0 + 10 * MINUTE);
    assert.deepEqual(due, [{ reason: '.reliability/slos/checkout.yaml changed', at: T0 + 10 * MINUTE }], 'one refresh, named by the first change');

    schedule.loadStarted();
    schedule.loadFinished(outcome(CALM, team));
    timers.advanceTo(T0 + 21 * MINUTE);
    // The next periodic refresh is planned from the start of the held-back one.
    assert.deepEqual(due.map((entry) => entry.at), [T0 + 10 * MINUTE, T0 + 20 * MINUTE]);
    assert.deepEqual(due.map((entry) => entry.reason), ['.reliability/slos/checkout.yaml changed', 'interval']);
  });

  it('holds back to the setting when it is longer than config.yaml, even with periodic refresh off', () => {
    const { timers, due, schedule } = scheduleWith([], { refreshIntervalMinutes: 0, minimumRefreshMinutes: 15 });
    schedule.loadStarted();
    schedule.loadFinished(outcome(CALM, { queried: true, minimumRefreshMs: 10 * MINUTE }));
    assert.equal(timers.armedAt(), undefined, 'periodic refresh is off');
    timers.advanceTo(T0 + 14 * MINUTE);
    assert.deepEqual(schedule.request('git refs changed'), { run: 'later', at: T0 + 15 * MINUTE });
    timers.advanceTo(T0 + 15 * MINUTE);
    assert.deepEqual(due, [{ reason: 'git refs changed', at: T0 + 15 * MINUTE }]);
  });

  it('never holds back a folder that does not query Prometheus', () => {
    const { schedule } = scheduleWith([0], { refreshIntervalMinutes: 5, minimumRefreshMinutes: 30 });
    schedule.loadStarted();
    schedule.loadFinished(outcome(undefined, { queried: false, minimumRefreshMs: null }));
    assert.deepEqual(schedule.request('.reliability/data/checkout.csv changed'), { run: 'now' });
  });

  it('holds back automatic refreshes while backing off, and tells when they will run', () => {
    const { timers, schedule } = scheduleWith([0], { refreshIntervalMinutes: 0, minimumRefreshMinutes: 0 });
    schedule.loadStarted();
    schedule.loadFinished(outcome(SLOW));
    assert.deepEqual(schedule.request('git refs changed'), { run: 'later', at: T0 + 2 * FALLBACK_INTERVAL_MS });
    assert.equal(timers.armedAt(), T0 + 10 * MINUTE);
    assert.equal(backoffNoticeText(schedule.notice()!), 'Prometheus answered slowly (slowest 7.2 s): automatic refreshes wait 10 min (until 14:25 UTC)');
  });

  it('plans again when the settings change, and stops on dispose', () => {
    const { timers, schedule } = scheduleWith([0, 0]);
    schedule.loadStarted();
    schedule.loadFinished(outcome(CALM));
    assert.equal(timers.armedAt(), T0 + 5 * MINUTE);
    schedule.reconfigure({ refreshIntervalMinutes: 5, minimumRefreshMinutes: 12 });
    assert.equal(timers.armedAt(), T0 + 12 * MINUTE);
    schedule.reconfigure({ refreshIntervalMinutes: 0, minimumRefreshMinutes: 0 });
    assert.equal(timers.armedAt(), undefined);
    schedule.dispose();
    assert.equal(timers.pending.size, 0);
  });
});

describe('burn-down only while the dashboard is visible', () => {
  const prometheusSnapshot = snapshot({ sources: [{ name: 'prometheus', host: 'prom:9090', state: 'ok', load: CALM }] });
  const csvSnapshot = snapshot({ sources: [] });

  it('asks for burn-down while the dashboard is visible, and always for a folder that does not query Prometheus', () => {
    assert.equal(wantsBurnDown(true, prometheusSnapshot), true);
    assert.equal(wantsBurnDown(false, prometheusSnapshot), false);
    assert.equal(wantsBurnDown(false, csvSnapshot), true);
    // Nothing known yet (the first load): the dashboard decides.
    assert.equal(wantsBurnDown(false, undefined), false);
  });

  it('refreshes when the dashboard shows over a Prometheus snapshot loaded without burn-down', () => {
    assert.equal(needsBurnDownRefresh({ snapshot: prometheusSnapshot, snapshotHasBurnDown: false, loadingWithBurnDown: null }), true);
    assert.equal(needsBurnDownRefresh({ snapshot: prometheusSnapshot, snapshotHasBurnDown: false, loadingWithBurnDown: false }), true);
    // A load bringing the buckets is already running.
    assert.equal(needsBurnDownRefresh({ snapshot: prometheusSnapshot, snapshotHasBurnDown: false, loadingWithBurnDown: true }), false);
    assert.equal(burnDownMissing({ snapshot: prometheusSnapshot, snapshotHasBurnDown: false, loadingWithBurnDown: true }), true, 'still missing until it lands');
    assert.equal(needsBurnDownRefresh({ snapshot: prometheusSnapshot, snapshotHasBurnDown: true, loadingWithBurnDown: null }), false);
    assert.equal(needsBurnDownRefresh({ snapshot: csvSnapshot, snapshotHasBurnDown: false, loadingWithBurnDown: null }), false);
    assert.equal(needsBurnDownRefresh({ snapshotHasBurnDown: false, loadingWithBurnDown: false }), false);
  });
});

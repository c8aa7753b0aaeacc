// core/format.ts: how every number and time reads in the CLI, the merge check's reasons, the trees and
// the dashboard. Expectations are worked out by hand from each rule.
import { strict as assert } from 'node:assert';
import {
  formatAge,
  formatBudgetPercent,
  formatBurnRate,
  formatCount,
  formatDuration,
  formatPerWeek,
  formatRate,
  formatRatioPercent,
  formatSeconds,
  formatThreshold,
  formatUtc,
  formatUtcClock,
  shortSha,
} from '../../src/core/format';
import { DAY, HOUR, NOW } from './builders/reportBuilders';

const MINUTE = 60_000;

describe('shared formatting: ratios and rates', () => {
  it('truncates ratios, so a near-perfect SLI never reads 100%', () => {
    assert.equal(formatRatioPercent(0.99962), '99.962%');
    assert.equal(formatRatioPercent(0.999), '99.9%');
    assert.equal(formatRatioPercent(0.99999), '99.999%');
    // 0.9999996 is 99.99996%: three decimals truncated give 99.999, where rounding would give 100.000.
    assert.equal(formatRatioPercent(0.9999996), '99.999%');
    assert.equal(formatRatioPercent(0.9999999), '99.999%');
    assert.equal(formatRatioPercent(1), '100%');
    assert.equal(formatRatioPercent(0), '0%');
    // 0.12345 is 12.345%; with one decimal, truncated: 12.3.
    assert.equal(formatRatioPercent(0.12345, 1), '12.3%');
    assert.equal(formatRatioPercent(null), '—');
  });

  it('rounds budgets and deployment rates to whole percents, negative when overspent', () => {
    assert.equal(formatBudgetPercent(0.617), '62%');
    assert.equal(formatBudgetPercent(-0.15), '-15%');
    assert.equal(formatBudgetPercent(-0.001), '0%');
    assert.equal(formatRate(0.12), '12%');
    assert.equal(formatRate(1 / 3), '33%');
    assert.equal(formatRate(null), '—');
  });

  it('gives burn rates two decimals below 10 and one above, thresholds without trailing zeros', () => {
    assert.equal(formatBurnRate(20.14), '20.1×');
    assert.equal(formatBurnRate(1.2), '1.20×');
    assert.equal(formatBurnRate(0), '0×');
    assert.equal(formatThreshold(14.4), '14.4×');
    assert.equal(formatThreshold(6), '6×');
  });

  it('gives deployments a week with up to two decimals', () => {
    // 25 deployments over 90 days: 25 / 90 * 7 = 1.9444...
    assert.equal(formatPerWeek((25 / 90) * 7), '1.94/week');
    assert.equal(formatPerWeek(7), '7/week');
    assert.equal(formatPerWeek(null), '—');
  });
});

describe('shared formatting: durations and times', () => {
  it('reads durations as the two largest units, seconds included (DORA holds seconds)', () => {
    assert.equal(formatDuration(45_000), '45s');
    assert.equal(formatDuration(12 * MINUTE), '12m');
    assert.equal(formatDuration(2 * HOUR + 15 * MINUTE), '2h 15m');
    assert.equal(formatDuration(2 * HOUR), '2h');
    assert.equal(formatDuration(3 * DAY + 4 * HOUR + 5 * MINUTE), '3d 4h');
    assert.equal(formatDuration(12 * DAY), '12d');
    // 5400 s = 1.5 h: `1h 30m`, never `1.5 h`.
    assert.equal(formatSeconds(5400), '1h 30m');
    // 86400 s = one day.
    assert.equal(formatSeconds(86_400), '1d');
    assert.equal(formatSeconds(null), '—');
  });

  it('says how long ago relative to the evaluation time, not the clock', () => {
    assert.equal(formatAge(NOW - 12 * DAY, NOW), '12 days ago');
    assert.equal(formatAge(NOW - DAY, NOW), '1 day ago');
    assert.equal(formatAge(NOW - 3 * HOUR, NOW), '3 hours ago');
    assert.equal(formatAge(NOW - 20_000, NOW), 'just now');
    assert.equal(formatAge(NOW + 2 * DAY, NOW), 'in 2 days');
  });

  it('writes times in UTC to the minute', () => {
    assert.equal(formatUtc(NOW), '2026-11-20 12:00 UTC');
    assert.equal(formatUtc(NOW + 3 * HOUR + 7 * MINUTE + 59_000), '2026-11-20 15:07 UTC');
    assert.equal(formatUtcClock(NOW), '12:00 UTC');
    assert.equal(formatUtc(null), '—');
  });

  it('shortens commits and writes counts as they are', () => {
    assert.equal(shortSha('0123456789abcdef'), '0123456');
    assert.equal(formatCount(998620), '998620');
  });

  // A source that sends `+Inf` or garbage must not empty a tree: toISOString throws a RangeError on
  // such times, and `NaN%` says nothing true.
  it('shows a dash, never NaN, Infinity or an exception, for numbers that are not finite', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.equal(formatRatioPercent(bad), '—');
      assert.equal(formatBudgetPercent(bad), '—');
      assert.equal(formatBurnRate(bad), '—');
      assert.equal(formatThreshold(bad), '—');
      assert.equal(formatDuration(bad), '—');
      assert.equal(formatAge(bad, NOW), '—');
      assert.equal(formatUtc(bad), '—');
      assert.equal(formatUtcClock(bad), '—');
      assert.equal(formatCount(bad), '—');
    }
    // A finite number of ms beyond what a Date holds throws in toISOString too.
    assert.equal(formatUtc(9e15), '—');
  });
});

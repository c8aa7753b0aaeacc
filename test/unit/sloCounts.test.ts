import { strict as assert } from 'node:assert';
import {
  burnDownBucketMs,
  invalidCountsReason,
  MAX_BURN_DOWN_BUCKETS,
  SloCountsAccumulator,
  sloWindowLengthMs,
  sloWindowRange,
} from '../../src/core/sloCounts';
import type { SloCounts, SloDefinition } from '../../src/core/model';
import { at, calendarSlo, DAY, HOUR, MINUTE, rollingSlo, sloCounts } from './builders/sloBuilders';

const NOW = at('2026-03-20T12:00:00Z');

function accumulate(def: SloDefinition, now: number, samples: Array<[number, number, number]>): SloCounts {
  const accumulator = new SloCountsAccumulator(def, now);
  for (const [timestamp, good, total] of samples) accumulator.add(timestamp, good, total);
  return accumulator.result();
}

describe('SloCountsAccumulator', () => {
  const slo28d = rollingSlo({ objective: 0.999, window: '28d' });

  it('counts a sample in the SLO window when now - W < timestamp <= now', () => {
    const counts = accumulate(slo28d, NOW, [
      [NOW - 28 * DAY, 1000, 1000], // exactly at now - W: out
      [NOW - 28 * DAY + 1, 2, 3],
      [NOW, 5, 7], // exactly at now: in
      [NOW + 1, 100, 100], // after now: out
    ]);
    assert.deepEqual(counts.window, { good: 7, total: 10 });
  });

  it('adds each sample to every burn window it falls in, with the same edges', () => {
    const counts = accumulate(slo28d, NOW, [
      [NOW - 5 * MINUTE + 1, 1, 2], // 5m and every longer window
      [NOW - 5 * MINUTE, 10, 20], // not 5m; 30m and longer
      [NOW - 2 * HOUR + 1, 100, 200], // 2h and longer
      [NOW - 3 * DAY + 1, 1000, 2000], // 3d only
      [NOW - 3 * DAY, 10000, 20000], // no burn window, still the SLO window
      [NOW + 1, 7, 7], // after now: nowhere
    ]);
    assert.deepEqual(counts.burn, {
      '5m': { good: 1, total: 2 },
      '30m': { good: 11, total: 22 },
      '1h': { good: 11, total: 22 },
      '2h': { good: 111, total: 222 },
      '6h': { good: 111, total: 222 },
      '1d': { good: 111, total: 222 },
      '3d': { good: 1111, total: 2222 },
    });
    assert.deepEqual(counts.window, { good: 11111, total: 22222 });
  });

  it('gives the same counts whatever the order of the samples', () => {
    const samples: Array<[number, number, number]> = [];
    for (let index = 0; index < 200; index++) samples.push([NOW - index * 5 * HOUR - 17, index, index * 2 + 1]);
    const forward = accumulate(slo28d, NOW, samples);
    const reversed = accumulate(slo28d, NOW, [...samples].reverse());
    const interleaved = accumulate(slo28d, NOW, [
      ...samples.filter((_, index) => index % 2 === 1),
      ...samples.filter((_, index) => index % 2 === 0),
    ]);
    assert.deepEqual(reversed, forward);
    assert.deepEqual(interleaved, forward);
    // 28d = 672h: samples 0..134 are inside (134 * 5h + 17ms), 135 (675h) is not.
    // good = 0 + 1 + ... + 134 = 9045; total = 1 + 3 + ... + 269 = 135^2 = 18225.
    assert.deepEqual(forward.window, { good: 9045, total: 18225 });
    // 3d = 72h: samples 0..14 (70h) are inside; good = 105, total = 15^2 = 225.
    assert.deepEqual(forward.burn['3d'], { good: 105, total: 225 });
  });

  it('ignores a NaN timestamp', () => {
    const counts = accumulate(slo28d, NOW, [[Number.NaN, 5, 5], [NOW, 1, 2]]);
    assert.deepEqual(counts.window, { good: 1, total: 2 });
    assert.deepEqual(counts.burn['5m'], { good: 1, total: 2 });
  });

  it('reports zero everywhere, with every bucket, when there are no samples', () => {
    const counts = accumulate(slo28d, NOW, []);
    assert.deepEqual(counts.window, { good: 0, total: 0 });
    assert.deepEqual(counts.burn['3d'], { good: 0, total: 0 });
    assert.equal(counts.buckets.length, 336);
    assert.ok(counts.buckets.every((bucket) => bucket.good === 0 && bucket.total === 0));
    assert.equal(counts.slices, undefined);
  });

  it('may be read again after more samples', () => {
    const accumulator = new SloCountsAccumulator(slo28d, NOW);
    accumulator.add(NOW, 1, 1);
    assert.deepEqual(accumulator.result().window, { good: 1, total: 1 });
    accumulator.add(NOW - HOUR, 2, 3);
    assert.deepEqual(accumulator.result().window, { good: 3, total: 4 });
  });

  describe('burn-down buckets', () => {
    it('splits a 28d window into 336 two-hour buckets aligned to the window start, end inclusive', () => {
      const start = NOW - 28 * DAY;
      const counts = accumulate(slo28d, NOW, [
        [start, 1000, 1000], // out of the window
        [start + 1, 1, 1],
        [start + 2 * HOUR, 2, 3], // end of bucket 0, inclusive
        [start + 2 * HOUR + 1, 4, 5], // bucket 1
        [NOW - 1, 6, 7], // last bucket
        [NOW, 8, 9], // last bucket
      ]);
      assert.equal(counts.buckets.length, 336);
      assert.deepEqual(counts.buckets[0], { end: start + 2 * HOUR, good: 3, total: 4 });
      assert.deepEqual(counts.buckets[1], { end: start + 4 * HOUR, good: 4, total: 5 });
      assert.deepEqual(counts.buckets[2], { end: start + 6 * HOUR, good: 0, total: 0 });
      assert.deepEqual(counts.buckets[335], { end: NOW, good: 14, total: 16 });
    });

    it('picks the smallest readable width that keeps at most 500 buckets', () => {
      assert.equal(MAX_BURN_DOWN_BUCKETS, 500);
      assert.equal(burnDownBucketMs(28 * DAY), 2 * HOUR);
      assert.equal(burnDownBucketMs(30 * DAY), 2 * HOUR);
      assert.equal(burnDownBucketMs(7 * DAY), 30 * MINUTE);
      assert.equal(burnDownBucketMs(92 * DAY), 6 * HOUR);
      assert.equal(burnDownBucketMs(366 * DAY), DAY);
      assert.equal(burnDownBucketMs(1000 * DAY), 2 * DAY);
      assert.equal(burnDownBucketMs(45 * MINUTE), 10_000);
      assert.equal(accumulate(rollingSlo({ objective: 0.99, window: '7d' }), NOW, []).buckets.length, 336);
      assert.equal(accumulate(rollingSlo({ objective: 0.99, window: '30d' }), NOW, []).buckets.length, 360);
    });

    it('sizes calendar buckets on the whole period and emits them up to now, the last one cut at now', () => {
      const monthly = calendarSlo({ objective: 0.99, unit: 'M', startTime: '2026-01-01T00:00:00Z', timeZone: 'UTC' });
      const now = at('2026-03-10T12:30:00Z');
      const counts = accumulate(monthly, now, [[now, 1, 1]]);
      // March has 31 days: 2h buckets; 9d 12h 30m elapsed -> 114 full buckets and a partial one.
      assert.equal(counts.buckets.length, 115);
      assert.equal(counts.buckets[113].end, at('2026-03-10T12:00:00Z'));
      assert.deepEqual(counts.buckets[114], { end: now, good: 1, total: 1 });
    });

    it('sums to the window counts', () => {
      const samples: Array<[number, number, number]> = [];
      for (let index = 0; index < 1000; index++) samples.push([NOW - index * 41 * MINUTE, 97, 100]);
      const counts = accumulate(slo28d, NOW, samples);
      const bucketTotal = counts.buckets.reduce((sum, bucket) => sum + bucket.total, 0);
      const bucketGood = counts.buckets.reduce((sum, bucket) => sum + bucket.good, 0);
      assert.deepEqual({ good: bucketGood, total: bucketTotal }, counts.window);
      // 28d = 40320 minutes; samples 0..983 are inside (983 * 41 = 40303), 984 * 41 = 40344 is not.
      assert.deepEqual(counts.window, { good: 984 * 97, total: 984 * 100 });
    });
  });

  describe('calendar windows', () => {
    const monthly = calendarSlo({
      objective: 0.99,
      unit: 'M',
      startTime: '2025-12-31T23:00:00Z',
      timeZone: 'Europe/Berlin',
    });

    it('counts from the period start (exclusive) to now', () => {
      const now = at('2026-04-02T00:00:00Z');
      const periodStart = at('2026-03-31T22:00:00Z');
      const counts = accumulate(monthly, now, [
        [periodStart, 50, 100], // last March interval: out of April, in the 3d burn window
        [periodStart + 1, 9, 10],
        [now, 1, 1],
      ]);
      assert.deepEqual(counts.window, { good: 10, total: 11 });
      assert.deepEqual(counts.burn['3d'], { good: 60, total: 111 });
      assert.deepEqual(counts.burn['1d'], { good: 1, total: 1 });
    });

    it('has an empty window when now is exactly a period start', () => {
      const now = at('2026-03-31T22:00:00Z');
      const counts = accumulate(monthly, now, [[now, 5, 5]]);
      assert.deepEqual(counts.window, { good: 0, total: 0 });
      assert.deepEqual(counts.burn['5m'], { good: 5, total: 5 });
      assert.deepEqual(counts.buckets, []);
    });
  });

  describe('timeslices', () => {
    const sliced = rollingSlo({
      objective: 0.99,
      window: '1d',
      timeslices: { sliceMs: MINUTE, sliceTarget: 0.9 },
    });

    it('judges each slice aligned to the window start, good at ratio >= target, empty slices not counted', () => {
      const start = NOW - DAY;
      const counts = accumulate(sliced, NOW, [
        [start, 0, 100], // out of the window: would be a bad slice
        [start + 30_000, 45, 50], // slice 0: 90/100 = 0.9, good
        [start + 60_000, 45, 50], // slice 0 (its end, inclusive)
        [start + 90_000, 89, 100], // slice 1: 0.89, bad
        [start + 150_000, 0, 0], // slice 2: a row without events, no data
        [start + 5 * MINUTE, 100, 100], // slice 4: good
      ]);
      assert.deepEqual(counts.slices, { good: 2, withData: 3 });
      assert.deepEqual(counts.window, { good: 279, total: 300 });
    });

    it('judges a slice cut short by now on the events it has', () => {
      const sevenMinuteSlices = rollingSlo({
        objective: 0.99,
        window: '1d',
        timeslices: { sliceMs: 7 * MINUTE, sliceTarget: 0.5 },
      });
      // 1440 minutes = 205 slices of 7 minutes and a last one of 5 minutes.
      const counts = accumulate(sevenMinuteSlices, NOW, [
        [NOW - 5 * MINUTE, 0, 1], // end of slice 204: bad
        [NOW - MINUTE, 1, 1], // the 5-minute slice 205: good
      ]);
      assert.deepEqual(counts.slices, { good: 1, withData: 2 });
    });

    it('is left out for Occurrences budgeting', () => {
      assert.equal(accumulate(slo28d, NOW, [[NOW, 1, 1]]).slices, undefined);
    });
  });
});

describe('sloWindowRange and sloWindowLengthMs', () => {
  it('gives a rolling window its duration back from now', () => {
    const def = rollingSlo({ objective: 0.999, window: '28d' });
    assert.deepEqual(sloWindowRange(def, NOW), { start: NOW - 28 * DAY, end: NOW });
    assert.equal(sloWindowLengthMs(def, NOW), 28 * DAY);
  });

  it('starts a calendar window at its period start and measures the whole period', () => {
    const def = calendarSlo({ objective: 0.999, unit: 'M', startTime: '2025-12-31T23:00:00Z', timeZone: 'Europe/Berlin' });
    assert.deepEqual(sloWindowRange(def, NOW), { start: at('2026-02-28T23:00:00Z'), end: NOW });
    assert.equal(sloWindowLengthMs(def, NOW), 31 * DAY - HOUR);
  });
});

describe('invalidCountsReason', () => {
  const slo28d = rollingSlo({ objective: 0.999, window: '28d' });

  it('accepts finite counts, large ones included', () => {
    assert.equal(invalidCountsReason(sloCounts({ window: [0, 0] })), null);
    // Sums of counts below 2^53 may pass 2^53: still finite, still evaluated.
    const big = Number.MAX_SAFE_INTEGER;
    assert.equal(invalidCountsReason(accumulate(slo28d, NOW, [[NOW, big, big], [NOW - MINUTE, big, big]])), null);
  });

  it('names the first count that is NaN, infinite or a negative total, and where it is', () => {
    assert.equal(
      invalidCountsReason(sloCounts({ window: [1, Infinity] })),
      'the total events in the SLO window are infinite (a value too large, or a sum that overflowed)',
    );
    assert.equal(invalidCountsReason(sloCounts({ window: [Number.NaN, 10] })), 'the good events in the SLO window are not a number');
    assert.equal(invalidCountsReason(sloCounts({ window: [1, 10], burn: { '1h': [1, -1] } })), 'the total events in the last 1h are negative');
    assert.equal(
      invalidCountsReason(sloCounts({ window: [1, 10], buckets: [{ end: NOW, good: -Infinity, total: 1 }] })),
      'the good events in the burn-down bucket ending 2026-03-20T12:00:00.000Z are infinite (a value too large, or a sum that overflowed)',
    );
    assert.equal(invalidCountsReason(sloCounts({ window: [1, 10], slices: { good: Number.NaN, withData: 1 } })), 'the count of timeslices is not a finite number');
  });

  it('catches two rows of 1e308, whose sum overflows, however the samples arrived', () => {
    const counts = accumulate(slo28d, NOW, [
      [NOW - MINUTE, 1e308, 1e308],
      [NOW - 2 * MINUTE, 1e308, 1e308],
    ]);
    assert.equal(counts.window.total, Infinity);
    assert.equal(invalidCountsReason(counts), 'the total events in the SLO window are infinite (a value too large, or a sum that overflowed)');
  });
});

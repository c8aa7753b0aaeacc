import { strict as assert } from 'node:assert';
import { calendarPeriod, calendarPeriodLengthMs } from '../../src/core/calendar';
import { at, calendarWindow, DAY, HOUR } from './builders/sloBuilders';

function periodIso(period: { start: number; end: number }): [string, string] {
  return [new Date(period.start).toISOString(), new Date(period.end).toISOString()];
}

describe('calendarPeriod', () => {
  describe('months in UTC', () => {
    const monthly = calendarWindow('M', 1, '2026-01-01T00:00:00Z', 'UTC');

    it('is the calendar month containing now', () => {
      assert.deepEqual(periodIso(calendarPeriod(monthly, at('2026-03-15T12:00:00Z'))), [
        '2026-03-01T00:00:00.000Z',
        '2026-04-01T00:00:00.000Z',
      ]);
    });

    it('starts a new period when now is exactly on a boundary (start inclusive)', () => {
      assert.deepEqual(periodIso(calendarPeriod(monthly, at('2026-04-01T00:00:00Z'))), [
        '2026-04-01T00:00:00.000Z',
        '2026-05-01T00:00:00.000Z',
      ]);
      assert.deepEqual(periodIso(calendarPeriod(monthly, at('2026-04-01T00:00:00Z') - 1)), [
        '2026-03-01T00:00:00.000Z',
        '2026-04-01T00:00:00.000Z',
      ]);
    });

    it('extends before the anchor', () => {
      assert.deepEqual(periodIso(calendarPeriod(monthly, at('2025-11-15T00:00:00Z'))), [
        '2025-11-01T00:00:00.000Z',
        '2025-12-01T00:00:00.000Z',
      ]);
    });

    it('crosses a year end and handles a leap February', () => {
      assert.deepEqual(periodIso(calendarPeriod(monthly, at('2027-12-31T23:59:59.999Z'))), [
        '2027-12-01T00:00:00.000Z',
        '2028-01-01T00:00:00.000Z',
      ]);
      assert.equal(calendarPeriodLengthMs(monthly, at('2028-02-10T00:00:00Z')), 29 * DAY);
    });

    it('counts several months per period from the anchor', () => {
      const bimonthly = calendarWindow('M', 2, '2026-01-01T00:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(bimonthly, at('2026-04-15T00:00:00Z'))), [
        '2026-03-01T00:00:00.000Z',
        '2026-05-01T00:00:00.000Z',
      ]);
    });

    it('keeps the anchor time of day', () => {
      const nineOClock = calendarWindow('M', 1, '2026-01-01T09:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(nineOClock, at('2026-02-01T08:59:59Z'))), [
        '2026-01-01T09:00:00.000Z',
        '2026-02-01T09:00:00.000Z',
      ]);
    });

    it('clamps an anchor on the 31st to the last day of shorter months', () => {
      const endOfMonth = calendarWindow('M', 1, '2026-01-31T00:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(endOfMonth, at('2026-02-15T00:00:00Z'))), [
        '2026-01-31T00:00:00.000Z',
        '2026-02-28T00:00:00.000Z',
      ]);
      assert.deepEqual(periodIso(calendarPeriod(endOfMonth, at('2026-02-28T12:00:00Z'))), [
        '2026-02-28T00:00:00.000Z',
        '2026-03-31T00:00:00.000Z',
      ]);
    });
  });

  describe('months in a zone with daylight saving', () => {
    // Berlin: CET (+1) in winter, CEST (+2) from 2026-03-29 to 2026-10-25.
    const berlinMonthly = calendarWindow('M', 1, '2025-12-31T23:00:00Z', 'Europe/Berlin');

    it('puts a winter-to-summer month between local midnights 23:00 and 22:00 UTC', () => {
      const march = calendarPeriod(berlinMonthly, at('2026-03-15T00:00:00Z'));
      assert.deepEqual(periodIso(march), ['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
      assert.equal(march.end - march.start, 31 * DAY - HOUR);
    });

    it('puts a summer month between 22:00 UTC boundaries', () => {
      assert.deepEqual(periodIso(calendarPeriod(berlinMonthly, at('2026-04-10T00:00:00Z'))), [
        '2026-03-31T22:00:00.000Z',
        '2026-04-30T22:00:00.000Z',
      ]);
    });

    it('makes the October month an hour long', () => {
      assert.equal(calendarPeriodLengthMs(berlinMonthly, at('2026-10-15T00:00:00Z')), 31 * DAY + HOUR);
    });

    it('starts April in Berlin at 22:00 UTC on March 31, local midnight', () => {
      assert.deepEqual(periodIso(calendarPeriod(berlinMonthly, at('2026-03-31T22:00:00Z'))), [
        '2026-03-31T22:00:00.000Z',
        '2026-04-30T22:00:00.000Z',
      ]);
      assert.deepEqual(periodIso(calendarPeriod(berlinMonthly, at('2026-03-31T21:59:59.999Z'))), [
        '2026-02-28T23:00:00.000Z',
        '2026-03-31T22:00:00.000Z',
      ]);
    });
  });

  describe('quarters and years', () => {
    it('finds the UTC quarter', () => {
      const quarterly = calendarWindow('Q', 1, '2026-01-01T00:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(quarterly, at('2026-05-20T00:00:00Z'))), [
        '2026-04-01T00:00:00.000Z',
        '2026-07-01T00:00:00.000Z',
      ]);
      assert.deepEqual(periodIso(calendarPeriod(quarterly, at('2026-07-01T00:00:00Z'))), [
        '2026-07-01T00:00:00.000Z',
        '2026-10-01T00:00:00.000Z',
      ]);
    });

    it('finds a New York quarter starting in daylight time and ending in standard time', () => {
      const quarterly = calendarWindow('Q', 1, '2026-01-01T05:00:00Z', 'America/New_York');
      const q4 = calendarPeriod(quarterly, at('2026-11-20T00:00:00Z'));
      assert.deepEqual(periodIso(q4), ['2026-10-01T04:00:00.000Z', '2027-01-01T05:00:00.000Z']);
      assert.equal(q4.end - q4.start, 92 * DAY + HOUR);
    });

    it('finds the year', () => {
      const yearly = calendarWindow('y', 1, '2026-01-01T00:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(yearly, at('2027-06-01T00:00:00Z'))), [
        '2027-01-01T00:00:00.000Z',
        '2028-01-01T00:00:00.000Z',
      ]);
    });
  });

  describe('weeks and days', () => {
    it('anchors weeks on the start time weekday', () => {
      // 2026-01-05 is a Monday; 2026-03-12 a Thursday nine weeks later.
      const weekly = calendarWindow('w', 1, '2026-01-05T00:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(weekly, at('2026-03-12T10:00:00Z'))), [
        '2026-03-09T00:00:00.000Z',
        '2026-03-16T00:00:00.000Z',
      ]);
    });

    it('counts two-week periods from the anchor', () => {
      const fortnightly = calendarWindow('w', 2, '2026-01-05T00:00:00Z', 'UTC');
      assert.deepEqual(periodIso(calendarPeriod(fortnightly, at('2026-03-12T10:00:00Z'))), [
        '2026-03-02T00:00:00.000Z',
        '2026-03-16T00:00:00.000Z',
      ]);
    });

    it('keeps weeks on local Monday midnight across the Berlin spring change', () => {
      const weekly = calendarWindow('w', 1, '2026-03-22T23:00:00Z', 'Europe/Berlin');
      const week = calendarPeriod(weekly, at('2026-03-25T12:00:00Z'));
      assert.deepEqual(periodIso(week), ['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
      assert.equal(week.end - week.start, 7 * DAY - HOUR);
    });

    it('makes the New York spring-forward day 23 hours and the fall-back day 25 hours', () => {
      const daily = calendarWindow('d', 1, '2026-01-01T05:00:00Z', 'America/New_York');
      const springDay = calendarPeriod(daily, at('2026-03-08T12:00:00Z'));
      assert.deepEqual(periodIso(springDay), ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
      const fallDay = calendarPeriod(daily, at('2026-11-01T12:00:00Z'));
      assert.deepEqual(periodIso(fallDay), ['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    });

    it('moves a boundary inside the skipped hour to the same clock time after it', () => {
      // Days at 02:30 New York time; on 2026-03-08 clocks jump from 02:00 to 03:00.
      const daily = calendarWindow('d', 1, '2026-03-01T07:30:00Z', 'America/New_York');
      assert.deepEqual(periodIso(calendarPeriod(daily, at('2026-03-08T07:00:00Z'))), [
        '2026-03-07T07:30:00.000Z',
        '2026-03-08T07:30:00.000Z',
      ]);
      assert.deepEqual(periodIso(calendarPeriod(daily, at('2026-03-08T08:00:00Z'))), [
        '2026-03-08T07:30:00.000Z',
        '2026-03-09T06:30:00.000Z',
      ]);
    });

    it('puts a boundary inside the repeated hour at its first occurrence', () => {
      // Days at 01:30 New York time; on 2026-11-01 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
      const daily = calendarWindow('d', 1, '2026-10-01T05:30:00Z', 'America/New_York');
      assert.deepEqual(periodIso(calendarPeriod(daily, at('2026-11-01T06:00:00Z'))), [
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:30:00.000Z',
      ]);
    });
  });

  it('rejects a non-positive count', () => {
    assert.throws(() => calendarPeriod(calendarWindow('M', 0, '2026-01-01T00:00:00Z', 'UTC'), 0), RangeError);
  });
});

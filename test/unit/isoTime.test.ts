// One reading of ISO 8601 times for YAML, CSV and --now (issue 12 item 11): a date or time that does not
// exist is refused, never rolled into the next day or month.
import { strict as assert } from 'node:assert';
import { parseIsoTime } from '../../src/core/isoTime';
import { isoTimeSchema } from '../../src/core/schemas/common';

describe('parseIsoTime', () => {
  it('refuses calendar dates that do not exist', () => {
    for (const text of ['2026-02-30', '2026-02-29T00:00:00Z', '2026-04-31', '2026-06-31T12:00:00Z', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32']) {
      assert.equal(parseIsoTime(text), null, text);
    }
  });

  it('refuses times of day that do not exist', () => {
    for (const text of ['2026-03-01T24:00:00Z', '2026-03-01T24:30:00Z', '2026-03-01T23:60:00Z', '2026-03-01T23:59:60Z', '2026-03-01T12:00:00+24:00', '2026-03-01T12:00:00+05:60']) {
      assert.equal(parseIsoTime(text), null, text);
    }
  });

  it('reads the days that do exist, leap days included', () => {
    assert.equal(parseIsoTime('2028-02-29'), Date.UTC(2028, 1, 29));
    assert.equal(parseIsoTime('2000-02-29T23:59:59Z'), Date.UTC(2000, 1, 29, 23, 59, 59));
    assert.equal(parseIsoTime('2026-04-30T00:00:00+02:00'), Date.UTC(2026, 3, 29, 22));
    assert.equal(parseIsoTime('2026-12-31T23:59:59.999Z'), Date.UTC(2026, 11, 31, 23, 59, 59, 999));
  });

  it('reads years before 100 as written, not as 19xx', () => {
    const year99 = new Date(0);
    year99.setUTCFullYear(99, 0, 1);
    year99.setUTCHours(0, 0, 0, 0);
    assert.equal(parseIsoTime('0099-01-01'), year99.getTime());
    // Year 0 is a leap year in the proleptic Gregorian calendar; 1900, which Date.UTC would read, was not.
    assert.notEqual(parseIsoTime('0000-02-29'), null);
  });

  it('is the one the schemas use', () => {
    // A date that does not exist is refused and a time without a zone is UTC, as above.
    assert.equal(isoTimeSchema.safeParse('2026-02-30').success, false);
    assert.equal(isoTimeSchema.parse('2026-03-01T12:00:00'), Date.UTC(2026, 2, 1, 12));
  });
});

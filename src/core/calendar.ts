// Calendar SLO windows (OpenSLO `isRolling: false`): the period containing `now`, with boundaries in the
// window's IANA time zone. A month in Europe/Berlin starts at local midnight, which is 23:00 UTC in
// winter and 22:00 UTC in summer, so boundaries are computed on the local wall clock and only then
// converted to instants. Intl.DateTimeFormat is the only time-zone database available without
// dependencies; it is used to read a zone's UTC offset at an instant.
import type { CalendarUnit, TimeWindow } from './model';

export type CalendarWindow = Extract<TimeWindow, { kind: 'calendar' }>;

export interface CalendarPeriod {
  /** First instant of the period (a boundary), epoch ms. */
  start: number;
  /** The next boundary: first instant of the following period, epoch ms. */
  end: number;
}

const DAY_MS = 86_400_000;
const DAYS_PER_UNIT: Partial<Record<CalendarUnit, number>> = { d: 1, w: 7 };
const MONTHS_PER_UNIT: Partial<Record<CalendarUnit, number>> = { M: 1, Q: 3, y: 12 };

/**
 * The calendar period of `window` containing `now`: `start <= now < end`. Periods are `count` units
 * long and anchored at `window.startTime`: days and weeks keep the anchor's local time of day (and,
 * for weeks, its weekday); months, quarters and years keep its local day of month and time of day,
 * with the day clamped to the month's last day (an anchor on the 31st gives Feb 28/29). Periods extend
 * before the anchor too, so a `now` earlier than `startTime` still has a period. A local boundary time
 * that a daylight-saving jump skips resolves to the same clock time after the jump (02:30 -> 03:30), and
 * one that occurs twice resolves to its first occurrence, like Temporal's `compatible` disambiguation.
 */
export function calendarPeriod(window: CalendarWindow, now: number): CalendarPeriod {
  if (!Number.isSafeInteger(window.count) || window.count <= 0) {
    throw new RangeError(`calendar window ${window.label}: count must be a positive integer, got ${window.count}`);
  }
  const zone = window.timeZone;
  const anchorLocal = toLocalMs(window.startTime, zone);
  const nowLocal = toLocalMs(now, zone);
  const boundary = boundaryFunction(window.unit, window.count, anchorLocal, zone);

  // The estimate from local wall-clock arithmetic is right except around DST shifts near a boundary;
  // stepping against the real instants settles it.
  let index = estimatePeriodIndex(window.unit, window.count, anchorLocal, nowLocal);
  while (boundary(index) > now) index--;
  while (boundary(index + 1) <= now) index++;
  return { start: boundary(index), end: boundary(index + 1) };
}

/** Length of the calendar period containing `now`, in ms (a DST month is an hour short or long). */
export function calendarPeriodLengthMs(window: CalendarWindow, now: number): number {
  const period = calendarPeriod(window, now);
  return period.end - period.start;
}

type BoundaryAt = (index: number) => number;

function boundaryFunction(unit: CalendarUnit, count: number, anchorLocal: number, zone: string): BoundaryAt {
  const days = DAYS_PER_UNIT[unit];
  if (days !== undefined) {
    const periodLocalMs = count * days * DAY_MS;
    return (index) => toInstant(anchorLocal + index * periodLocalMs, zone);
  }
  const months = monthsPerUnit(unit) * count;
  const anchor = new Date(anchorLocal);
  const anchorYear = anchor.getUTCFullYear();
  const anchorMonth = anchor.getUTCMonth();
  const anchorDay = anchor.getUTCDate();
  const timeOfDay = anchorLocal - utcFromFields(anchorYear, anchorMonth, anchorDay, 0);
  return (index) => {
    const monthIndex = anchorYear * 12 + anchorMonth + index * months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12;
    const day = Math.min(anchorDay, daysInMonth(year, month));
    return toInstant(utcFromFields(year, month, day, timeOfDay), zone);
  };
}

function estimatePeriodIndex(unit: CalendarUnit, count: number, anchorLocal: number, nowLocal: number): number {
  const days = DAYS_PER_UNIT[unit];
  if (days !== undefined) return Math.floor((nowLocal - anchorLocal) / (count * days * DAY_MS));
  const anchor = new Date(anchorLocal);
  const current = new Date(nowLocal);
  const monthsApart =
    (current.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (current.getUTCMonth() - anchor.getUTCMonth());
  return Math.floor(monthsApart / (monthsPerUnit(unit) * count));
}

function monthsPerUnit(unit: CalendarUnit): number {
  const months = MONTHS_PER_UNIT[unit];
  if (months === undefined) throw new RangeError(`not a month-based calendar unit: ${unit}`);
  return months;
}

// ---- Wall clock <-> instant --------------------------------------------------------------------------
// A "local ms" value is the zone's wall-clock reading encoded as if it were UTC, so calendar arithmetic
// (add a day, a month) can use the Date UTC methods without any DST in the way.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at `instant` (local = instant + offset), in ms. */
function zoneOffsetMs(instant: number, zone: string): number {
  // Intl has second resolution; offsets are whole seconds, so reading the whole second is exact.
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(wholeSecond)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = utcFromFields(
    fields.year,
    fields.month - 1,
    fields.day,
    // Some ICU versions print midnight as hour 24 even with h23.
    ((fields.hour % 24) * 3600 + fields.minute * 60 + fields.second) * 1000,
  );
  return local - wholeSecond;
}

function toLocalMs(instant: number, zone: string): number {
  return instant + zoneOffsetMs(instant, zone);
}

/**
 * The instant at which the zone's wall clock reads `localMs`. Offsets a day before and after bound every
 * real transition; a reading valid under both is ambiguous (clocks went back) and the earlier instant
 * wins; a reading valid under neither falls in a gap (clocks went forward) and is read with the offset
 * in force before the gap, which lands the same distance after it.
 */
function toInstant(localMs: number, zone: string): number {
  const offsetBefore = zoneOffsetMs(localMs - DAY_MS, zone);
  const offsetAfter = zoneOffsetMs(localMs + DAY_MS, zone);
  const underBefore = localMs - offsetBefore;
  const underAfter = localMs - offsetAfter;
  const beforeValid = toLocalMs(underBefore, zone) === localMs;
  const afterValid = toLocalMs(underAfter, zone) === localMs;
  if (beforeValid && afterValid) return Math.min(underBefore, underAfter);
  if (afterValid) return underAfter;
  return underBefore;
}

/** Date.UTC without its mapping of years 0..99 to 1900..1999. */
function utcFromFields(year: number, month: number, day: number, msOfDay: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getTime() + msOfDay;
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcFromFields(year, month + 1, 1, 0) - DAY_MS).getUTCDate();
}

// Calendar SLO windows (OpenSLO `isRolling: false`): the period containing `now`, with boundaries in the
// window's IANA time zone. A month in Europe/Berlin starts at local midnight, which is 23:00 UTC in
// winter and 22:00 UTC in summer, so boundaries are computed on the local wall clock and only then
// converted to instants. Intl.DateTimeFormat is the only time-zone database available without
// dependencies; it is used to read a zone's UTC offset at an instant.
import type { CalendarUnit, TimeWindow } from './model';
import { toInstant, toLocalMs, utcFromFields } from './timeZone';

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

function daysInMonth(year: number, month: number): number {
  return new Date(utcFromFields(year, month + 1, 1, 0) - DAY_MS).getUTCDate();
}

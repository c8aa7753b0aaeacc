// ISO 8601 times as the domain reads them, in YAML, CSV and `--now` alike: one rule, in a module light
// enough for the CLI to use before it loads the schemas (zod alone takes a good part of start-up).

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export interface IsoParts {
  /** The written wall-clock time read as if it were UTC, epoch ms. */
  wallClockMs: number;
  /** Offset written in the text, in minutes east of UTC; null when the text names no zone. */
  offsetMinutes: number | null;
}

/**
 * The wall-clock reading and offset of ISO 8601 text; null unless every field names something that
 * exists: month 1 to 12, a day the month has (no 30 February, no 31 April), hour 0 to 23, minute
 * and second 0 to 59, an offset below 24 hours.
 */
export function parseIsoParts(text: string): IsoParts | null {
  const match = ISO_TIME.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const ms = fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  // Date.UTC reads years 0 to 99 as 1900 to 1999; the year is set on its own so 0099 stays 0099.
  date.setUTCFullYear(y);
  // Date rolls 31 February into March; a date that does not exist is an error, not a roll.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  let offsetMinutes: number | null = null;
  if (zone === 'Z' || zone === 'z') offsetMinutes = 0;
  else if (zone) {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  return { wallClockMs: date.getTime(), offsetMinutes };
}

/**
 * Epoch ms of an ISO 8601 date or date-time (`T` or a space between them). Text without a zone is
 * UTC, as every time in the domain is (DOMAIN.md: "Time is UTC unless a calendar window names a time
 * zone"). Null for anything else, including dates and times that do not exist.
 */
export function parseIsoTime(text: string): number | null {
  const parts = parseIsoParts(text);
  if (!parts) return null;
  return parts.wallClockMs - (parts.offsetMinutes ?? 0) * 60_000;
}

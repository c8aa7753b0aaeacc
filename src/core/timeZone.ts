// Wall-clock time in IANA time zones, with Intl only (no time zone database to ship). Used by calendar
// SLO windows and by OpenSLO's `calendar.startTime`, which is a wall-clock reading in `calendar.timeZone`.
//
// A "local ms" value is the zone's wall-clock reading encoded as if it were UTC, so calendar arithmetic
// (add a day, a month) can use the Date UTC methods without any DST in the way.

const DAY_MS = 86_400_000;
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
export function zoneOffsetMs(instant: number, zone: string): number {
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

export function toLocalMs(instant: number, zone: string): number {
  return instant + zoneOffsetMs(instant, zone);
}

/**
 * The instant at which the zone's wall clock reads `localMs`. Offsets a day before and after bound every
 * real transition; a reading valid under both is ambiguous (clocks went back) and the earlier instant
 * wins; a reading valid under neither falls in a gap (clocks went forward) and is read with the offset
 * in force before the gap, which lands the same distance after it.
 */
export function toInstant(localMs: number, zone: string): number {
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
export function utcFromFields(year: number, month: number, day: number, msOfDay: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getTime() + msOfDay;
}


/** Whether Intl knows the zone (`Europe/Berlin`, `UTC`); unknown names make Intl throw. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

// The window a DORA report covers and the clock it is read at (DOMAIN.md section 3): one rule for
// "in the window" and "resolved by now", shared by every metric and by their explanation.
import type { Incident } from '../model';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export interface DoraWindow {
  windowDays: number;
  /** Exclusive start (epoch ms). */
  start: number;
  /** Inclusive end: the time the report is read at. */
  now: number;
}

export function doraWindow(now: number, windowDays: number): DoraWindow {
  return { windowDays, start: now - windowDays * DAY_MS, now };
}

/** A time counts in the window when `start < time <= now`. */
export function isInWindow(window: DoraWindow, time: number): boolean {
  return time > window.start && time <= window.now;
}

/** Incidents that exist at `now`: one that starts later has not happened yet. */
export function incidentsAsOf(incidents: readonly Incident[], now: number): Incident[] {
  return incidents.filter((incident) => incident.startedAt <= now);
}

/** When the incident was resolved, as seen at `now`: a resolution after `now` has not happened yet (null, open). */
export function resolvedAsOf(incident: Incident, now: number): number | null {
  return incident.resolvedAt !== null && incident.resolvedAt <= now ? incident.resolvedAt : null;
}

/** Reports give times in seconds. */
export function secondsOrNull(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

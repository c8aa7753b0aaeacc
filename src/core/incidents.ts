// Which incidents are open and recent at an evaluation time, and the one order every list of incidents
// follows: the CLI (`report`, `incidents`), the Incidents view, Find Incident, the dashboard and the
// merge check all ask here, so they cannot disagree (DOMAIN.md sections 1 and 4).
import type { Incident } from './model';
import { SEVERITIES } from './model';

const DAY_MS = 86_400_000;

type IncidentTimes = Pick<Incident, 'startedAt' | 'resolvedAt'>;

/**
 * Open at `now`: started, and not resolved yet. A resolution after `now` has not happened at `now`
 * (a report for a past `now` sees the incident open, as it was then).
 */
export function isOpenAt(incident: IncidentTimes, now: number): boolean {
  return incident.startedAt <= now && (incident.resolvedAt === null || incident.resolvedAt > now);
}

/**
 * Recent at `now` (DOMAIN.md section 1): open at `now`, or started or resolved in
 * `(now - recentDays, now]`. An incident that starts after `now` does not exist yet.
 */
export function isRecentAt(incident: IncidentTimes, now: number, recentDays: number): boolean {
  if (incident.startedAt > now) return false;
  if (isOpenAt(incident, now)) return true;
  const since = now - recentDays * DAY_MS;
  const within = (time: number) => time > since && time <= now;
  return within(incident.startedAt) || (incident.resolvedAt !== null && within(incident.resolvedAt));
}

/**
 * How many days count as recent: the user's own choice (the editor's `reliabilityLens.recentDays`
 * setting, or the CLI's `--recent-days`) when there is one, else config.yaml's `recentDays`.
 */
export function effectiveRecentDays(configRecentDays: number, override: number | null | undefined): number {
  return override ?? configRecentDays;
}

/**
 * The one incident order, as a comparator at `now`: open first, then by severity (SEV1 first), then
 * the most recent start first, then by id so equal incidents keep one order everywhere.
 */
export function compareIncidentsAt(now: number) {
  return (a: Pick<Incident, 'id' | 'severity' | 'startedAt' | 'resolvedAt'>, b: Pick<Incident, 'id' | 'severity' | 'startedAt' | 'resolvedAt'>): number =>
    Number(isOpenAt(b, now)) - Number(isOpenAt(a, now)) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    b.startedAt - a.startedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A sorted copy, in the one incident order at `now`. */
export function sortIncidents<T extends Incident>(incidents: readonly T[], now: number): T[] {
  return [...incidents].sort(compareIncidentsAt(now));
}

/** The open and recent incidents at `now`, in the one incident order: what every "recent" list shows. */
export function recentIncidents<T extends Incident>(incidents: readonly T[], now: number, recentDays: number): T[] {
  return sortIncidents(
    incidents.filter((incident) => isRecentAt(incident, now, recentDays)),
    now,
  );
}

/**
 * Incidents matching every whitespace-separated term of the query, each term found (case-insensitively)
 * in the id, title, service or severity, in the one incident order at `now`. An empty query matches
 * every incident that has started by `now` (a later one does not exist yet at `now`).
 */
export function searchIncidents<T extends Incident>(incidents: readonly T[], query: string, now: number): T[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = incidents.filter((incident) => {
    if (incident.startedAt > now) return false;
    const haystack = [incident.id, incident.title, incident.service, incident.severity].join('\n').toLowerCase();
    return terms.every((term) => haystack.includes(term));
  });
  return sortIncidents(matches, now);
}

// Incident helpers shared by the CLI (`incidents QUERY`), the merge check and the editor's Find Incident.
import type { Incident } from './model';

/**
 * Incidents matching every whitespace-separated term of the query, each term found (case-insensitively)
 * in the id, title, service or severity. Open incidents first, then the most recent.
 */
export function searchIncidents<T extends Incident>(incidents: readonly T[], query: string): T[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = incidents.filter((incident) => {
    const haystack = [incident.id, incident.title, incident.service, incident.severity].join('\n').toLowerCase();
    return terms.every((term) => haystack.includes(term));
  });
  return sortIncidents(matches);
}

/** Open at `now`: started, and not resolved yet (a report for a past `now` sees later resolutions as not yet). */
export function isOpenAt(incident: Incident, now: number): boolean {
  return incident.startedAt <= now && (incident.resolvedAt === null || incident.resolvedAt > now);
}

/** Open first, then by start time, newest first. */
export function sortIncidents<T extends Incident>(incidents: readonly T[]): T[] {
  return [...incidents].sort((a, b) => {
    const openA = a.resolvedAt === null ? 0 : 1;
    const openB = b.resolvedAt === null ? 0 : 1;
    return openA - openB || b.startedAt - a.startedAt || a.id.localeCompare(b.id);
  });
}

// Time to restore service (DOMAIN.md section 3): for each incident started in the window and
// resolved by `now`, resolution minus start; median. Incidents need no deployment for this one.
import type { Incident } from '../model';
import { median } from '../stats';
import { isInWindow, resolvedAsOf, type DoraWindow } from './window';

/** Time to restore of one incident (ms); null when it started outside the window or is still open at `now`. */
export function restoreOfIncident(incident: Incident, window: DoraWindow): number | null {
  const resolved = resolvedAsOf(incident, window.now);
  return resolved !== null && isInWindow(window, incident.startedAt) ? resolved - incident.startedAt : null;
}

export function timeToRestoreMedian(incidents: readonly Incident[], window: DoraWindow): number | null {
  const restores: number[] = [];
  for (const incident of incidents) {
    const restore = restoreOfIncident(incident, window);
    if (restore !== null) restores.push(restore);
  }
  return median(restores);
}

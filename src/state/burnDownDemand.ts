// The burn-down chart's buckets are the one range query of a Prometheus refresh, and only the
// dashboard draws them: the editor asks for them while the dashboard is visible, and when it becomes
// visible over a snapshot loaded without them, it refreshes so the chart fills.
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { loadOutcomeOf } from './refreshSchedule';

/**
 * Whether a load asks for burn-down buckets: while the dashboard is visible, and always for a folder
 * whose last snapshot shows it does not query Prometheus (from CSV files they cost nothing extra).
 */
export function wantsBurnDown(dashboardVisible: boolean, shown: WorkspaceSnapshot | undefined): boolean {
  return dashboardVisible || (shown !== undefined && !loadOutcomeOf(shown).use.queried);
}

/** What a folder shows and loads, as far as burn-down goes. */
export interface BurnDownState {
  snapshot?: WorkspaceSnapshot;
  /** Whether the load of the shown snapshot asked for burn-down buckets. */
  snapshotHasBurnDown: boolean;
  /** Whether the load in flight asks for them; null: no load in flight. */
  loadingWithBurnDown: boolean | null;
}

/** The shown snapshot's Prometheus SLOs have no burn-down buckets because its load did not ask for them. */
export function burnDownMissing(state: BurnDownState): boolean {
  return state.snapshot !== undefined && !state.snapshotHasBurnDown && loadOutcomeOf(state.snapshot).use.queried;
}

/** The dashboard became visible: refresh this folder, unless no buckets are missing or a load bringing them is in flight. */
export function needsBurnDownRefresh(state: BurnDownState): boolean {
  return burnDownMissing(state) && state.loadingWithBurnDown !== true;
}

// The DORA explanation of a snapshot (core/doraExplain.ts over its delivery history), in one place for
// the CLI's `explain --dora` (through engine.ts) and the Delivery tree's tooltips. Pure, and free of the
// git modules, so the views can build tooltips from it without loading them.
import { explainDora, type DoraExplanation } from '../core/doraExplain';
import type { WorkspaceSnapshot } from './snapshot';

const DAY_MS = 86_400_000;

/** Every DORA metric's inputs over the snapshot's DORA window; null without delivery history. */
export function doraExplanationOf(snapshot: WorkspaceSnapshot): DoraExplanation | null {
  const { delivery, dora } = snapshot;
  if (!delivery || !dora) return null;
  return explainDora({
    deployments: delivery.delivery.deployments,
    changesByDeployment: delivery.delivery.changesByDeployment,
    commits: delivery.window.commits,
    incidents: snapshot.incidents,
    incidentDeployments: delivery.incidentDeployments,
    now: snapshot.now,
    windowDays: Math.round((dora.windowEnd - dora.windowStart) / DAY_MS),
    report: dora,
  });
}

// What Reliability Lens keeps about one Prometheus between refreshes, so a refresh asks the server only
// for what can have changed (issue: a bounded query cost per refresh). The editor keeps one session per
// workspace folder for as long as it is open; the CLI makes one per command. Nothing here is shared
// between servers or workspaces: every key names the server's address and the query it answers.
import type { StepCounts } from './prometheusSteps';
import type { RecordedSeriesCheck } from './prometheusRecords';
import type { ImpactCountsCache } from './prometheusImpact';

export class PrometheusSession {
  /** Per-SLO step counts (sources/prometheusSteps.ts), by SLO key. */
  readonly steps = new Map<string, StepCounts>();
  /** What each server has recorded, by base URL: asked once per session, and again after a refresh error. */
  readonly recorded = new Map<string, RecordedSeriesCheck>();
  /** Deployment impact counts of closed after-windows (sources/prometheusImpact.ts): they never change. */
  readonly impacts: ImpactCountsCache = new Map();

  /** Forgets everything: a jump of evaluation time or a changed config does not need this, a closed folder does. */
  clear(): void {
    this.steps.clear();
    this.recorded.clear();
    this.impacts.clear();
  }
}

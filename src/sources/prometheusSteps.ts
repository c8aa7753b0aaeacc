// Per-step event counts of one SLO, kept between refreshes (sources/prometheusSession.ts).
import type { WindowCounts } from '../core/model';

/** The counts of the steps `(end - stepMs, end]` on a grid aligned to the Unix epoch, by step end. */
export interface StepCounts {
  stepMs: number;
  byEnd: Map<number, WindowCounts>;
}

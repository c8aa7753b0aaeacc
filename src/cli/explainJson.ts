// `explain --json` (DOMAIN.md section 5): the explanation objects of core/explain.ts and core/doraExplain.ts
// with times as ISO 8601 strings and `windows` keyed by label. Numbers are not rounded.
import type { DoraExplanation } from '../core/doraExplain';
import type { SloExplanation, WindowExplanation } from '../core/explain';
import { doraJson } from './json';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** `{"slo", "now", "objective", "windows": {"28d": {...}, "5m": {...}}, "budget", "burnRates", "alerts", "source", ...}`. */
export function sloExplanationJson(explanation: SloExplanation) {
  // An SLO window labelled like a burn window (`1d`) holds the same samples; the SLO window's entry is kept.
  const windows: Record<string, ReturnType<typeof windowJson>> = {};
  for (const window of explanation.windows) windows[window.label] ??= windowJson(window);
  return {
    slo: explanation.slo,
    service: explanation.service,
    now: iso(explanation.now),
    objective: explanation.objective,
    window: explanation.window,
    budgetingMethod: explanation.budgetingMethod,
    sli: explanation.sli,
    windows,
    budget: { ...explanation.budget },
    burnRates: { ...explanation.burnRates },
    alerts: explanation.alerts.map((alert) => ({ ...alert })),
    exhaustion: {
      eta: iso(explanation.exhaustion.eta),
      windowLengthSeconds: explanation.exhaustion.windowLengthMs / 1000,
      dailyBurnRate: explanation.exhaustion.dailyBurnRate,
      rule: explanation.exhaustion.rule,
    },
    status: explanation.status,
    statusReason: explanation.statusReason,
    source: { ...explanation.source },
    ...(explanation.timeslices ? { timeslices: timeslicesJson(explanation.timeslices) } : {}),
    countsAvailable: explanation.countsAvailable,
    ...(explanation.error ? { error: explanation.error } : {}),
    ...(explanation.staleSince !== undefined ? { staleSince: iso(explanation.staleSince) } : {}),
    notes: explanation.notes,
  };
}

function timeslicesJson({ sliceMs, ...rest }: NonNullable<SloExplanation['timeslices']>) {
  return { ...rest, sliceSeconds: sliceMs / 1000 };
}

function windowJson(window: WindowExplanation) {
  return {
    start: iso(window.start),
    end: iso(window.end),
    good: window.good,
    total: window.total,
    excludedTotal: window.excludedTotal,
    errorRatio: window.errorRatio,
  };
}

/** `explain --dora --json`: the window's deployments with their changes and incidents, and the metrics they give. */
export function doraExplanationJson(explanation: DoraExplanation) {
  return {
    now: iso(explanation.now),
    window: explanation.window,
    windowStart: iso(explanation.windowStart),
    windowEnd: iso(explanation.windowEnd),
    deployments: explanation.deployments.map((deployment) => ({
      name: deployment.name,
      time: iso(deployment.time),
      services: deployment.services,
      changes: deployment.changes.map((change) => ({ ...change, committedAt: iso(change.committedAt) })),
      incidents: deployment.incidents.map((incident) => ({ ...incident, startedAt: iso(incident.startedAt), resolvedAt: iso(incident.resolvedAt) })),
      failed: deployment.failed,
      reworked: deployment.reworked,
      recoverySeconds: deployment.recoverySeconds,
    })),
    restores: explanation.restores.map((restore) => ({ ...restore, startedAt: iso(restore.startedAt), resolvedAt: iso(restore.resolvedAt) })),
    metrics: explanation.metrics ? doraJson(explanation.metrics) : null,
    rules: explanation.rules,
  };
}

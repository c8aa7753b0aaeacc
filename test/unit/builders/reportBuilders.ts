// Small typed builders for SLO reports and incidents, so tests state only what they are about.
import type { BurnWindow, Incident, Policy, SloReport } from '../../../src/core/model';
import { BURN_WINDOWS } from '../../../src/core/model';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const NOW = Date.parse('2026-11-20T12:00:00Z');

export const defaultPolicy: Policy = { cautionBelow: 0.25, freezeSeverity: 'SEV2' };

export function sloReport(overrides: Partial<SloReport> & Pick<SloReport, 'name' | 'service'>): SloReport {
  const burnRates = Object.fromEntries(BURN_WINDOWS.map((w) => [w, 0])) as Record<BurnWindow, number>;
  return {
    objective: 0.999,
    window: '28d',
    windowStart: NOW - 28 * DAY,
    windowEnd: NOW,
    budgetingMethod: 'Occurrences',
    sli: 0.9995,
    good: 9995,
    total: 10000,
    budget: { remaining: 0.5, consumed: 0.5 },
    burnRates,
    alerts: [],
    exhaustionEta: null,
    status: 'healthy',
    burnDown: [],
    file: '.reliability/slos/test.yaml',
    ...overrides,
  };
}

export function incident(overrides: Partial<Incident> & Pick<Incident, 'id' | 'service'>): Incident {
  return {
    title: `Incident ${overrides.id}`,
    severity: 'SEV3',
    startedAt: NOW - 2 * HOUR,
    resolvedAt: null,
    commits: [],
    files: [],
    source: 'file',
    ...overrides,
  };
}

// Which services and SLOs need attention, and in what order they are listed: the one rule the Services
// tree, the status bar and the dashboard's service picker share, so a service is never "first" in one
// place and buried in another. Pure functions over plain data.
import type { SloStatus } from './model';

/** Worst first. `no-data` sits between `warning` and `healthy`: no signal is worse than a good one. */
export const STATUS_ORDER: readonly SloStatus[] = ['exhausted', 'critical', 'warning', 'no-data', 'healthy'];

/** Statuses that need someone to look: the budget is short or gone. */
const ATTENTION_STATUSES: ReadonlySet<SloStatus> = new Set(['exhausted', 'critical', 'warning']);

export interface SloUrgency {
  status: SloStatus;
  budget: { remaining: number };
}

/** Negative when `a` needs attention before `b`: worse status first, then less budget left. */
export function compareSloUrgency(a: SloUrgency, b: SloUrgency): number {
  const byStatus = STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
  return byStatus !== 0 ? byStatus : a.budget.remaining - b.budget.remaining;
}

export function worstSlo<T extends SloUrgency>(reports: readonly T[]): T | undefined {
  return [...reports].sort(compareSloUrgency)[0];
}

/** What ranking a service looks at. */
export interface ServiceHealth {
  name: string;
  /** Its most urgent SLO; null when it has none. */
  worst: SloUrgency | null;
  /** Open incidents at `now`. */
  openIncidents: number;
  /** An SLO of it could not be read (its source failed): its numbers may be wrong. */
  failing: boolean;
}

/**
 * A service needs attention when an SLO of it is in warning, critical or exhausted, when an SLO could
 * not be read, or when it has an open incident. `no data` alone does not: a service whose data is not
 * connected yet would otherwise always be listed.
 */
export function needsAttention(service: ServiceHealth): boolean {
  return service.openIncidents > 0 || service.failing || (service.worst !== null && ATTENTION_STATUSES.has(service.worst.status));
}

/** The health of each service from its SLO reports and open incidents (incidents already open at now). */
export function serviceHealth(
  name: string,
  reports: ReadonlyArray<SloUrgency & { service: string; error?: string }>,
  openIncidents: number,
): ServiceHealth {
  const own = reports.filter((report) => report.service === name);
  return { name, worst: worstSlo(own) ?? null, openIncidents, failing: own.some((report) => report.error !== undefined) };
}

/**
 * Services in the order every list shows them: the `pinned` ones first (the services of the open file,
 * in the order given), then those that need attention, then the rest; within each, worse status first,
 * more open incidents, less budget left, and finally the order given (config.yaml's). Services without
 * SLOs come after `healthy`.
 */
export function rankServices<T extends ServiceHealth>(services: readonly T[], pinned: readonly string[] = []): T[] {
  const pin = (service: T) => {
    const index = pinned.indexOf(service.name);
    return index < 0 ? pinned.length : index;
  };
  const statusRank = (service: T) => (service.worst ? STATUS_ORDER.indexOf(service.worst.status) : STATUS_ORDER.length);
  const budget = (service: T) => service.worst?.budget.remaining ?? Infinity;
  return services
    .map((service, index) => ({ service, index }))
    .sort(
      (a, b) =>
        pin(a.service) - pin(b.service) ||
        Number(needsAttention(b.service)) - Number(needsAttention(a.service)) ||
        statusRank(a.service) - statusRank(b.service) ||
        b.service.openIncidents - a.service.openIncidents ||
        compareNumbers(budget(a.service), budget(b.service)) ||
        a.index - b.index,
    )
    .map(({ service }) => service);
}

/**
 * The services a list shows: all of them, or with `attentionOnly` those that need attention and the
 * pinned ones (the open file's service stays in sight while you work on it).
 */
export function visibleServices<T extends ServiceHealth>(ranked: readonly T[], options: { attentionOnly: boolean; pinned?: readonly string[] }): T[] {
  if (!options.attentionOnly) return [...ranked];
  return ranked.filter((service) => needsAttention(service) || (options.pinned ?? []).includes(service.name));
}

/** Infinity - Infinity is NaN, which sort treats as equal only by accident; compare explicitly. */
function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

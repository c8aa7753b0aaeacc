// The services a workspace shows, for the CLI's report, the Services tree and the dashboard alike.
import type { Incident } from './model';

export interface ServiceListInput {
  config: { services: ReadonlyArray<{ name: string }> };
  sloReports: ReadonlyArray<{ service: string }>;
  incidents: ReadonlyArray<Pick<Incident, 'service' | 'startedAt'>>;
  now: number;
}

/**
 * Every service that config.yaml, an SLO or an incident names, each once: config.yaml's order first,
 * then services only an SLO names, then services only an incident names (an open incident on a
 * service without SLOs still matters). An incident that starts after `now` does not exist yet and
 * names nothing.
 */
export function serviceNames(input: ServiceListInput): string[] {
  const names = new Set<string>();
  for (const service of input.config.services) names.add(service.name);
  for (const report of input.sloReports) names.add(report.service);
  for (const incident of input.incidents) if (incident.startedAt <= input.now) names.add(incident.service);
  return [...names];
}

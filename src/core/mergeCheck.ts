// The merge check of DOMAIN.md section 4: the error budget policy applied to the services a change touches.
import type { Commit, Incident, MergeVerdict, Policy, Severity, SloReport } from './model';
import { isRevert } from './dora';
import { createIncidentIdMatcher } from './linking';
import { SEVERITIES } from './model';
import { isOpenAt } from './incidents';

export interface MergeCheckInput {
  /** Services the change touches (from changed paths, or named with --service). */
  services: string[];
  sloReports: readonly SloReport[];
  incidents: readonly Incident[];
  /** Commits of the change (BASE..HEAD); the exemption needs every one of them to qualify. */
  commits: readonly Commit[];
  policy: Policy;
  now: number;
}

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function describeSlo(slo: SloReport): string {
  const remaining = `budget remaining ${percent(slo.budget.remaining)}`;
  const sli = slo.sli === null ? 'no data' : `SLI ${(slo.sli * 100).toFixed(3)}% against ${(slo.objective * 100).toFixed(3)}%`;
  const alerts = slo.alerts.map((a) => `${a.severity} alert ${a.long}/${a.short} burn > ${a.threshold}`);
  const burn = `burn 1h ${slo.burnRates['1h'].toFixed(1)}, 1d ${slo.burnRates['1d'].toFixed(1)}`;
  return [`SLO ${slo.name} (${slo.service}) is ${slo.status}: ${sli}, ${remaining}, ${burn}`, ...alerts].join('; ');
}

function describeIncident(incident: Incident, now: number): string {
  const hours = (now - incident.startedAt) / 3_600_000;
  const age = hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
  return `incident ${incident.id} (${incident.severity}, ${incident.service}) is open for ${age}: ${incident.title}`;
}

export function decideMerge(input: MergeCheckInput): MergeVerdict {
  const { services, policy, now } = input;
  if (services.length === 0) {
    return { verdict: 'go', services, reasons: ['the change touches no configured service'] };
  }
  const onServices = new Set(services);
  const slos = input.sloReports.filter((s) => onServices.has(s.service));
  const openIncidents = input.incidents.filter((i) => onServices.has(i.service) && isOpenAt(i, now));

  const freezeReasons: string[] = [];
  const cautionReasons: string[] = [];
  for (const slo of slos) {
    if (slo.status === 'exhausted' || slo.status === 'critical') freezeReasons.push(describeSlo(slo));
    else if (slo.status === 'warning') cautionReasons.push(describeSlo(slo));
  }
  for (const incident of openIncidents) {
    const text = describeIncident(incident, now);
    if (severityAtLeast(incident.severity, policy.freezeSeverity)) {
      freezeReasons.push(`${text} (freezes at ${policy.freezeSeverity} or worse)`);
    } else {
      cautionReasons.push(text);
    }
  }

  if (freezeReasons.length > 0) {
    const fixed = exemptionFor(input.commits, openIncidents);
    if (fixed) {
      const label = fixed.length > 0 ? `exempt: fixes ${fixed.join(', ')}` : 'exempt: every commit is a revert';
      return { verdict: 'go', services, reasons: [label, ...freezeReasons, ...cautionReasons], exemptFor: fixed };
    }
    return { verdict: 'freeze', services, reasons: [...freezeReasons, ...cautionReasons] };
  }
  if (cautionReasons.length > 0) return { verdict: 'caution', services, reasons: cautionReasons };
  const healthy = slos.map((s) => `SLO ${s.name} is ${s.status} (budget remaining ${percent(s.budget.remaining)})`);
  return { verdict: 'go', services, reasons: healthy.length > 0 ? healthy : ['no SLO or open incident on these services'] };
}

/**
 * An error budget policy lets reliability fixes through a freeze: when every commit of the change names one of
 * the open incidents on these services, or is a revert, returns the incident ids named (possibly none, for
 * pure reverts). Returns null when the change does not qualify; an empty change never does.
 */
function exemptionFor(commits: readonly Commit[], openIncidents: readonly Incident[]): string[] | null {
  if (commits.length === 0) return null;
  const namedIn = createIncidentIdMatcher(openIncidents.map((i) => i.id));
  const named = new Set<string>();
  for (const commit of commits) {
    const fixes = [...namedIn(`${commit.subject}\n${commit.body}`)];
    if (fixes.length === 0 && !isRevert(commit)) return null;
    for (const id of fixes) named.add(id);
  }
  return [...named].sort();
}

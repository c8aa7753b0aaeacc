// The merge check of DOMAIN.md section 4: the error budget policy applied to the services a change touches.
import type { Commit, Incident, MergeFinding, MergeSubject, MergeVerdict, Policy, Severity, SloReport, SourceState } from './model';
import { isRevert } from './dora/rework';
import { createIncidentIdMatcher } from './linking';
import { SEVERITIES } from './model';
import { isOpenAt } from './incidents';
import { formatAge, formatAlertRule, formatBudgetPercent, formatBurnRate, formatDuration, formatRatioPercent } from './format';
import type { DeploymentImpact } from './deploymentImpact';
import { describeImpact } from './impactText';

/** A suspect deployment (DOMAIN.md section 6) in this many days before `now` cautions a change to its service. */
export const SUSPECT_CAUTION_DAYS = 7;
const DAY_MS = 86_400_000;

export interface MergeCheckInput {
  /** Services the change touches (from changed paths, or named with --service). */
  services: string[];
  sloReports: readonly SloReport[];
  incidents: readonly Incident[];
  /** Commits of the change (BASE..HEAD); the exemption needs every one of them to qualify. */
  commits: readonly Commit[];
  policy: Policy;
  now: number;
  /**
   * States of the remote incident sources (PagerDuty, Opsgenie, GitHub, Alertmanager). One that could
   * not answer may hide an open incident, so it cautions: the check never says a silent go.
   */
  incidentSources?: readonly SourceState[];
  /**
   * The deployments assessed for their impact (core/deploymentImpact.ts); a suspect one of these
   * services in `(now - 7d, now]` cautions.
   */
  deploymentImpacts?: readonly DeploymentImpact[];
}

/** Source states that mean the incidents a source holds are unknown or out of date, in words. */
const UNANSWERED_SOURCE_STATES: Partial<Record<SourceState['state'], string>> = {
  failing: 'failing',
  'needs-token': 'missing its token',
  stale: 'showing stale data',
};

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

// The reasons are read in the terminal and in the editor alike: their numbers read as everywhere else
// (core/format.ts), a near-perfect SLI never 100% and an age `2h 15m`.
function describeSlo(slo: SloReport): string {
  const remaining = `budget remaining ${formatBudgetPercent(slo.budget.remaining)}`;
  const sli = slo.sli === null ? 'no data' : `SLI ${formatRatioPercent(slo.sli)} against ${formatRatioPercent(slo.objective)}`;
  const alerts = slo.alerts.map((a) => `${formatAlertRule(a)} alert`);
  const burn = `burn 1h ${formatBurnRate(slo.burnRates['1h'])}, 1d ${formatBurnRate(slo.burnRates['1d'])}`;
  return [`SLO ${slo.name} (${slo.service}) is ${slo.status}: ${sli}, ${remaining}, ${burn}`, ...alerts].join('; ');
}

/**
 * Whether an SLO report's numbers can carry a verdict: counts and SLI finite, and no NaN anywhere (a
 * status read from them means nothing). An objective of 1 legitimately burns its zero budget at an
 * infinite rate, so Infinity in the budget and burn rates is a number like any other.
 */
export function hasReadableNumbers(slo: SloReport): boolean {
  const counts = slo.sli === null ? [slo.good, slo.total] : [slo.good, slo.total, slo.sli];
  const rates = [slo.budget.remaining, slo.budget.consumed, ...Object.values(slo.burnRates)];
  return counts.every(Number.isFinite) && !rates.some(Number.isNaN);
}

function describeIncident(incident: Incident, now: number): string {
  return `incident ${incident.id} (${incident.severity}, ${incident.service}) is open for ${formatDuration(now - incident.startedAt)}: ${incident.title}`;
}

export function decideMerge(input: MergeCheckInput): MergeVerdict {
  const { services, policy, now } = input;
  if (services.length === 0) {
    return { verdict: 'go', services, reasons: ['the change touches no configured service'], findings: [] };
  }
  const onServices = new Set(services);
  const slos = input.sloReports.filter((s) => onServices.has(s.service));
  const openIncidents = input.incidents.filter((i) => onServices.has(i.service) && isOpenAt(i, now));

  const findings: MergeFinding[] = [];
  const found = (effect: MergeFinding['effect'], service: string | null, subject: MergeSubject, reason: string) =>
    findings.push({ effect, service, subject, reason });
  for (const slo of slos) {
    const subject: MergeSubject = { kind: 'slo', slo: slo.name };
    if (!hasReadableNumbers(slo)) {
      found('caution', slo.service, subject, `SLO ${slo.name} (${slo.service}) cannot be evaluated: its numbers are not finite${slo.error ? ` (${slo.error})` : ''}`);
      continue;
    }
    if (slo.status === 'exhausted' || slo.status === 'critical') found('freeze', slo.service, subject, describeSlo(slo));
    else if (slo.status === 'warning') found('caution', slo.service, subject, describeSlo(slo));
    // No numbers, or the last good ones: the SLO may be burning right now without the check knowing.
    if (slo.error) {
      const shown = slo.staleSince === undefined ? 'no numbers' : `last good numbers from ${new Date(slo.staleSince).toISOString()}`;
      found('caution', slo.service, subject, `SLO ${slo.name} (${slo.service}) could not be read (${shown}): ${slo.error}`);
    }
  }
  for (const incident of openIncidents) {
    const text = describeIncident(incident, now);
    const subject: MergeSubject = { kind: 'incident', incident: incident.id };
    if (severityAtLeast(incident.severity, policy.freezeSeverity)) {
      found('freeze', incident.service, subject, `${text} (freezes at ${policy.freezeSeverity} or worse)`);
    } else {
      found('caution', incident.service, subject, text);
    }
  }
  for (const entry of input.deploymentImpacts ?? []) {
    if (!entry.suspect || !onServices.has(entry.service) || !(entry.time > now - SUSPECT_CAUTION_DAYS * DAY_MS && entry.time <= now)) continue;
    found(
      'caution',
      entry.service,
      { kind: 'deployment', deployment: entry.deployment },
      `suspect deployment ${entry.deployment} (${entry.service}, ${formatAge(entry.time, now)}) degraded with no incident linked: ${describeImpact(entry)}`,
    );
  }
  for (const source of input.incidentSources ?? []) {
    const unanswered = UNANSWERED_SOURCE_STATES[source.state];
    if (unanswered === undefined) continue;
    const where = source.host ? ` at ${source.host}` : '';
    found('caution', null, { kind: 'source', source: source.name }, `incident source ${source.name}${where} is ${unanswered}, so open incidents there are unknown: ${source.message ?? 'no reason given'}`);
  }

  // Freezes first, then cautions, each in the order found.
  findings.sort((a, b) => (a.effect === b.effect ? 0 : a.effect === 'freeze' ? -1 : 1));
  const reasons = findings.map((finding) => finding.reason);
  if (findings.some((finding) => finding.effect === 'freeze')) {
    const fixed = exemptionFor(input.commits, openIncidents);
    if (fixed) {
      const label = fixed.length > 0 ? `exempt: fixes ${fixed.join(', ')}` : 'exempt: every commit is a revert';
      return { verdict: 'go', services, reasons: [label, ...reasons], findings, exemptFor: fixed };
    }
    return { verdict: 'freeze', services, reasons, findings };
  }
  if (findings.length > 0) return { verdict: 'caution', services, reasons, findings };
  const healthy = slos.map((s) =>
    s.unsupported ? `SLO ${s.name} has no data: ${s.unsupported}` : `SLO ${s.name} is ${s.status} (budget remaining ${formatBudgetPercent(s.budget.remaining)})`,
  );
  return { verdict: 'go', services, reasons: healthy.length > 0 ? healthy : ['no SLO or open incident on these services'], findings: [] };
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

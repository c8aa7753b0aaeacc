// The merge check of DOMAIN.md section 4: the error budget policy applied to the services a change touches.
import type { Commit, Exemption, Incident, MergeFinding, MergeSubject, MergeVerdict, Policy, PolicyCondition, ServicePolicy, Severity, SloReport, SourceState } from './model';
import { conditionNote, serviceRules, type ConditionName, type PolicyLevel, type ServiceRules } from './policy';
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
  /** services[].policy of config.yaml, by service name: each key replaces the global policy's for that service. */
  servicePolicies?: ReadonlyMap<string, ServicePolicy>;
  /** The pull request's labels (the Action passes them): every frozen service's exemptLabel among them exempts the change. */
  labels?: readonly string[];
  /** `check --exempt "<reason>"`: whoever runs the check lets the change through a freeze, saying why. */
  exemptReason?: string;
  /** Reasons about the change itself that always caution (it edits `.reliability/`; the base has none). */
  changeCautions?: readonly string[];
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

/** Something the policy may freeze or caution on: its reason, the services it is about, and the conditions it meets. */
interface Finding {
  text: string;
  services: readonly string[];
  /** What it is about, and the one service it concerns (null: every touched service), for the verdict's findings. */
  subject: MergeSubject;
  service: string | null;
  meets(condition: PolicyCondition): boolean;
  /**
   * Worth saying when the policy neither freezes nor cautions on it: an SLO's numbers only when its
   * status is not healthy (a go lists every SLO with its status anyway), everything else always.
   */
  notable: 'always' | 'unless-go' | 'never';
}

/** How the rules of the services a finding is about judge it: the strongest level any of them gives. */
interface Judgement {
  level: PolicyLevel | null;
  /** The condition that set the level (the first in the list), for the reason's note. */
  condition?: PolicyCondition;
  /** The services whose rules froze it (their exempt labels decide a label exemption). */
  frozen: string[];
}

function judge(finding: Finding, rulesOf: (service: string) => ServiceRules): Judgement {
  const judgement: Judgement = { level: null, frozen: [] };
  for (const service of finding.services) {
    const rules = rulesOf(service);
    const freezing = rules.freezeOn.find((condition) => finding.meets(condition));
    if (freezing !== undefined) {
      if (judgement.level !== 'freeze') Object.assign(judgement, { level: 'freeze', condition: freezing });
      judgement.frozen.push(service);
      continue;
    }
    const cautioning = rules.cautionOn.find((condition) => finding.meets(condition));
    if (cautioning !== undefined && judgement.level === null) Object.assign(judgement, { level: 'caution', condition: cautioning });
  }
  return judgement;
}

/** Which conditions an SLO's numbers meet (DOMAIN.md section 2's status, its alerts and its budget). */
function sloMeets(slo: SloReport): (condition: PolicyCondition) => boolean {
  const measured = slo.status !== 'no-data';
  const fires = (severity: 'page' | 'ticket') => measured && slo.alerts.some((alert) => alert.severity === severity);
  return (condition) => {
    if (typeof condition === 'object') return 'budgetBelow' in condition && measured && slo.budget.remaining < condition.budgetBelow;
    if (condition === 'exhausted') return slo.status === 'exhausted';
    // Critical is the status of a page alert firing (DOMAIN.md section 2), whatever alerts the report lists.
    if (condition === 'page') return slo.status === 'critical' || fires('page');
    if (condition === 'ticket') return fires('ticket');
    return condition === 'warning' && slo.status === 'warning';
  };
}

const meetsOnly = (name: ConditionName) => (condition: PolicyCondition) => condition === name;

/** The findings of a change, in the order their reasons are listed: SLOs, incidents, suspect deployments, sources. */
function findingsOf(input: MergeCheckInput, slos: readonly SloReport[], openIncidents: readonly Incident[]): Finding[] {
  const { services, now } = input;
  const onServices = new Set(services);
  const findings: Finding[] = [];
  for (const slo of slos) {
    const about = [slo.service];
    if (!hasReadableNumbers(slo)) {
      const text = `SLO ${slo.name} (${slo.service}) cannot be evaluated: its numbers are not finite${slo.error ? ` (${slo.error})` : ''}`;
      findings.push({ text, services: about, subject: { kind: 'slo', slo: slo.name }, service: slo.service, meets: meetsOnly('sourceFailing'), notable: 'always' });
      continue;
    }
    const troubled = slo.status === 'exhausted' || slo.status === 'critical' || slo.status === 'warning';
    const subject: MergeSubject = { kind: 'slo', slo: slo.name };
    findings.push({ text: describeSlo(slo), services: about, subject, service: slo.service, meets: sloMeets(slo), notable: troubled ? 'unless-go' : 'never' });
    // No numbers, or the last good ones: the SLO may be burning right now without the check knowing.
    if (slo.error) {
      const shown = slo.staleSince === undefined ? 'no numbers' : `last good numbers from ${new Date(slo.staleSince).toISOString()}`;
      findings.push({ text: `SLO ${slo.name} (${slo.service}) could not be read (${shown}): ${slo.error}`, services: about, subject, service: slo.service, meets: meetsOnly('sourceFailing'), notable: 'always' });
    }
  }
  for (const incident of openIncidents) {
    findings.push({
      text: describeIncident(incident, now),
      services: [incident.service],
      subject: { kind: 'incident', incident: incident.id },
      service: incident.service,
      meets: (condition) => typeof condition === 'object' && 'openIncident' in condition && severityAtLeast(incident.severity, condition.openIncident),
      notable: 'always',
    });
  }
  for (const entry of input.deploymentImpacts ?? []) {
    if (!entry.suspect || !onServices.has(entry.service) || !(entry.time > now - SUSPECT_CAUTION_DAYS * DAY_MS && entry.time <= now)) continue;
    const text = `suspect deployment ${entry.deployment} (${entry.service}, ${formatAge(entry.time, now)}) degraded with no incident linked: ${describeImpact(entry)}`;
    findings.push({ text, services: [entry.service], subject: { kind: 'deployment', deployment: entry.deployment }, service: entry.service, meets: meetsOnly('suspectDeployment'), notable: 'always' });
  }
  // An incident source serves every service: it is judged by the rules of each one the change touches.
  for (const source of input.incidentSources ?? []) {
    const unanswered = UNANSWERED_SOURCE_STATES[source.state];
    if (unanswered === undefined) continue;
    const where = source.host ? ` at ${source.host}` : '';
    const text = `incident source ${source.name}${where} is ${unanswered}, so open incidents there are unknown: ${source.message ?? 'no reason given'}`;
    findings.push({ text, services, subject: { kind: 'source', source: source.name }, service: null, meets: meetsOnly('sourceFailing'), notable: 'always' });
  }
  return findings;
}

const UNJUDGED_NOTE = 'the policy neither freezes nor cautions on it';

function withNote(text: string, judgement: Judgement): string {
  const note = judgement.level && judgement.condition !== undefined ? conditionNote(judgement.condition, judgement.level) : null;
  return note ? `${text} (${note})` : text;
}

export function decideMerge(input: MergeCheckInput): MergeVerdict {
  const { services, policy, now } = input;
  if (services.length === 0) {
    // The change's own cautions (an edit of .reliability/, a first adoption) stand even when it touches
    // no service: a change that only edits the policy is exactly the one a reviewer must see.
    const changeCautions = changeCautionFindings(input);
    const reasons = [...changeCautions.map((finding) => finding.reason), 'the change touches no configured service'];
    return { verdict: changeCautions.length > 0 ? 'caution' : 'go', services, reasons, findings: changeCautions };
  }
  const onServices = new Set(services);
  const slos = input.sloReports.filter((s) => onServices.has(s.service));
  const openIncidents = input.incidents.filter((i) => onServices.has(i.service) && isOpenAt(i, now));
  const rules = new Map<string, ServiceRules>();
  const rulesOf = (service: string) => {
    let found = rules.get(service);
    if (!found) rules.set(service, (found = serviceRules(policy, input.servicePolicies?.get(service))));
    return found;
  };

  // Each freeze and caution reason with what it is about (MergeVerdict.findings), in the order of the reasons.
  const freezes: MergeFinding[] = [];
  const cautions: MergeFinding[] = changeCautionFindings(input);
  // What the policy neither freezes nor cautions on is still said, so a relaxed policy is never silent.
  const unjudged: string[] = [];
  const unjudgedUnlessGo: string[] = [];
  const frozenServices = new Set<string>();
  for (const finding of findingsOf(input, slos, openIncidents)) {
    const judgement = judge(finding, rulesOf);
    if (judgement.level === 'freeze') {
      freezes.push({ effect: 'freeze', service: finding.service, subject: finding.subject, reason: withNote(finding.text, judgement) });
      for (const service of judgement.frozen) frozenServices.add(service);
    } else if (judgement.level === 'caution') {
      cautions.push({ effect: 'caution', service: finding.service, subject: finding.subject, reason: withNote(finding.text, judgement) });
    } else if (finding.notable !== 'never') {
      (finding.notable === 'always' ? unjudged : unjudgedUnlessGo).push(`${finding.text} (${UNJUDGED_NOTE})`);
    }
  }

  const freezeReasons = freezes.map((finding) => finding.reason);
  const cautionReasons = cautions.map((finding) => finding.reason);
  const findings = [...freezes, ...cautions];
  if (freezeReasons.length > 0) {
    const exemptions = exemptionsFor(input, openIncidents, [...frozenServices].map((service) => rulesOf(service).exemptLabel));
    if (exemptions.granted.length > 0) {
      return {
        verdict: 'go',
        services,
        reasons: [...exemptions.granted.map(exemptionText), ...freezeReasons, ...cautionReasons, ...unjudgedUnlessGo, ...unjudged],
        findings,
        ...(exemptions.fixed ? { exemptFor: exemptions.fixed } : {}),
        exemptions: exemptions.granted,
      };
    }
    return { verdict: 'freeze', services, reasons: [...freezeReasons, ...cautionReasons, ...unjudgedUnlessGo, ...unjudged], findings };
  }
  if (cautionReasons.length > 0) return { verdict: 'caution', services, reasons: [...cautionReasons, ...unjudgedUnlessGo, ...unjudged], findings };
  const healthy = slos.map((s) =>
    s.unsupported ? `SLO ${s.name} has no data: ${s.unsupported}` : `SLO ${s.name} is ${s.status} (budget remaining ${formatBudgetPercent(s.budget.remaining)})`,
  );
  const listed = [...healthy, ...unjudged];
  return { verdict: 'go', services, reasons: listed.length > 0 ? listed : ['no SLO or open incident on these services'], findings: [] };
}

/** The cautions about the change itself (core/baseRule.ts), about no service. */
function changeCautionFindings(input: MergeCheckInput): MergeFinding[] {
  return (input.changeCautions ?? []).map((reason) => ({ effect: 'caution', service: null, subject: { kind: 'change' }, reason }));
}

/** An exemption as the first reasons of the verdict say it. */
export function exemptionText(exemption: Exemption): string {
  if (exemption.source === 'commits') return `exempt: ${exemption.reason}`;
  return `exempt (${exemption.reason})`;
}

/**
 * The exemptions that let a freeze through, each with its source: the change's commits (all fixes of
 * open incidents or reverts), the pull request's label (every frozen service's exemptLabel is set; a
 * label is set only by people with write access), and `check --exempt` (said by whoever runs the check).
 */
function exemptionsFor(
  input: MergeCheckInput,
  openIncidents: readonly Incident[],
  frozenLabels: ReadonlyArray<string | null>,
): { granted: Exemption[]; fixed: string[] | null } {
  const granted: Exemption[] = [];
  const fixed = exemptionFor(input.commits, openIncidents);
  if (fixed) granted.push({ source: 'commits', reason: fixed.length > 0 ? `fixes ${fixed.join(', ')}` : 'every commit is a revert' });
  // A frozen service whose policy names no label (exemptLabel: false) cannot be exempted by one.
  const needed = frozenLabels.includes(null) ? [] : [...new Set(frozenLabels as string[])].sort();
  const labels = new Set(input.labels ?? []);
  if (needed.length > 0 && needed.every((label) => labels.has(label))) {
    const names = needed.join(', ');
    granted.push({ source: 'label', reason: `${needed.length > 1 ? 'labels' : 'label'} ${names} set on the pull request` });
  }
  if (input.exemptReason !== undefined) granted.push({ source: 'cli', reason: `--exempt: ${JSON.stringify(input.exemptReason)}` });
  return { granted, fixed };
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

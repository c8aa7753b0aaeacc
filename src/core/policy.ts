// The error budget policy (config.yaml `policy`, DOMAIN.md section 4): what freezes a change and what
// cautions it, for each service, with the shorthands and the per-service overrides resolved here and
// nowhere else. The merge check (mergeCheck.ts) applies the rules; SLO statuses read cautionBelow.
import type { Policy, PolicyCondition, ServicePolicy, Severity } from './model';
import { SEVERITIES } from './model';
import { formatRatioPercent } from './format';

/** The pull request label that exempts a change from a freeze when config.yaml names none. */
export const DEFAULT_EXEMPT_LABEL = 'reliability-exempt';

/** The conditions written as a plain name in `freezeOn` / `cautionOn`. */
export const CONDITION_NAMES = ['exhausted', 'page', 'ticket', 'warning', 'suspectDeployment', 'sourceFailing'] as const;
export type ConditionName = (typeof CONDITION_NAMES)[number];

/** DOMAIN.md section 4's freeze: an SLO exhausted or critical (a page alert), an open incident at or above freezeSeverity. */
export function defaultFreezeOn(freezeSeverity: Severity): PolicyCondition[] {
  return ['exhausted', 'page', { openIncident: freezeSeverity }];
}

/** DOMAIN.md section 4's caution, with the sources that could not answer (the check never says a silent go). */
export const DEFAULT_CAUTION_ON: readonly PolicyCondition[] = ['warning', { openIncident: SEVERITIES[SEVERITIES.length - 1] }, 'suspectDeployment', 'sourceFailing'];

/** The rules one service is judged by. */
export interface ServiceRules {
  freezeOn: readonly PolicyCondition[];
  cautionOn: readonly PolicyCondition[];
  /** The label that exempts a freeze of this service; null when none does. */
  exemptLabel: string | null;
}

/**
 * The rules of a service: each key the service sets replaces the global one (lists are replaced,
 * never merged). A list beats a shorthand: freezeSeverity builds the default freezeOn only when
 * neither the service nor the global policy writes freezeOn.
 */
export function serviceRules(policy: Policy, override?: ServicePolicy): ServiceRules {
  const freezeSeverity = override?.freezeSeverity ?? policy.freezeSeverity;
  const exemptLabel = override?.exemptLabel ?? policy.exemptLabel ?? DEFAULT_EXEMPT_LABEL;
  return {
    freezeOn: override?.freezeOn ?? policy.freezeOn ?? defaultFreezeOn(freezeSeverity),
    cautionOn: override?.cautionOn ?? policy.cautionOn ?? DEFAULT_CAUTION_ON,
    exemptLabel: exemptLabel === false ? null : exemptLabel,
  };
}

/** The policy an SLO of a service is evaluated with (its status reads cautionBelow: DOMAIN.md section 2). */
export function policyOfService(policy: Policy, override?: ServicePolicy): Policy {
  return override?.cautionBelow === undefined ? policy : { ...policy, cautionBelow: override.cautionBelow };
}

/** The per-service overrides of config.yaml's services, by name. */
export function servicePolicies(services: ReadonlyArray<{ name: string; policy?: ServicePolicy }>): Map<string, ServicePolicy> {
  return new Map(services.flatMap((service) => (service.policy ? [[service.name, service.policy] as const] : [])));
}

/** A condition as config.yaml spells it, for messages: `page`, `budgetBelow: 0.1`, `openIncident: SEV2`. */
export function conditionText(condition: PolicyCondition): string {
  if (typeof condition === 'string') return condition;
  if ('budgetBelow' in condition) return `budgetBelow: ${condition.budgetBelow}`;
  return `openIncident: ${condition.openIncident}`;
}

export type PolicyLevel = 'freeze' | 'caution';

/**
 * Why a reason froze or cautioned, in words to append to it; null when the reason says it already
 * (what DOMAIN.md section 4 does by default: an exhausted or critical SLO freezes, a warning one, an
 * open incident, a suspect deployment, a source that failed caution). The default freeze on incidents
 * keeps its `freezes at SEV2 or worse`.
 */
export function conditionNote(condition: PolicyCondition, level: PolicyLevel): string | null {
  const verb = level === 'freeze' ? 'freezes' : 'cautions';
  if (typeof condition === 'object' && 'openIncident' in condition) {
    if (level === 'caution' && condition.openIncident === SEVERITIES[SEVERITIES.length - 1]) return null;
    return `${verb} at ${condition.openIncident} or worse`;
  }
  if (typeof condition === 'object') return `${verb} on budget remaining below ${formatRatioPercent(condition.budgetBelow)}`;
  const selfEvident: readonly ConditionName[] = level === 'freeze' ? ['exhausted', 'page'] : ['warning', 'suspectDeployment', 'sourceFailing'];
  if (selfEvident.includes(condition)) return null;
  return `${verb} on ${CONDITION_WORDS[condition]}`;
}

const CONDITION_WORDS: Record<ConditionName, string> = {
  exhausted: 'an exhausted budget',
  page: 'a page alert',
  ticket: 'a ticket alert',
  warning: 'a warning SLO',
  suspectDeployment: 'a suspect deployment',
  sourceFailing: 'a source that failed to answer',
};

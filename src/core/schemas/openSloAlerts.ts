// OpenSLO v1 alerting documents (DOMAIN.md section 2, "Alert policies"): AlertPolicy and AlertCondition,
// and the entries of an SLO's `spec.alertPolicies`. Only `kind: burnrate` conditions exist in OpenSLO;
// each becomes one AlertRule of the SLO (workspace/definitions.ts resolves the references by name).
import { z } from 'zod';
import { fixedDurationMs } from '../duration';
import { BURN_WINDOWS } from '../model';
import type { AlertRule, BurnRateOp, BurnWindow } from '../model';
import { metadataSchema } from './openSlo';
import { nonEmptyString, strictObject } from './common';

const API_VERSION = z.literal('openslo/v1', { error: '"openslo/v1"' });

/** The lookback windows a condition may name: the burn windows every report computes. */
export const LOOKBACK_WINDOW_EXPECTED = `one of the burn-rate windows the report computes (${BURN_WINDOWS.join(', ')})`;

const BURN_RATE_OPS: readonly BurnRateOp[] = ['gt', 'gte', 'lt', 'lte'];

export interface BurnRateCondition {
  /** As written; `page` and `critical` count as page alerts, any other as ticket alerts. */
  severity: string;
  op: BurnRateOp;
  threshold: number;
  lookbackWindow: BurnWindow;
  /** As written; not evaluated (DOMAIN.md section 2). */
  alertAfter?: string;
}

const conditionSpecSchema = strictObject({
  description: z.string({ error: 'a string' }).optional(),
  severity: nonEmptyString,
  condition: strictObject({
    // OpenSLO: "defaults to burnrate", and burnrate is the one kind it defines.
    kind: z.literal('burnrate', { error: '"burnrate" (the one alert condition kind OpenSLO defines)' }).default('burnrate'),
    // The older OpenSLO v1 text has no `op` and means "burns faster than".
    op: z.enum(BURN_RATE_OPS as [BurnRateOp, ...BurnRateOp[]], { error: `one of ${BURN_RATE_OPS.join(', ')}` }).default('gt'),
    threshold: z.number({ error: 'a burn rate, a number such as 14.4' }).min(0, { error: 'a burn rate, a number of 0 or more' }),
    lookbackWindow: z.enum(BURN_WINDOWS, { error: LOOKBACK_WINDOW_EXPECTED }),
    alertAfter: nonEmptyString.refine((text) => fixedDurationMs(text) !== null, { error: 'a duration such as 5m' }).optional(),
  }),
}).transform((spec): BurnRateCondition => ({
  severity: spec.severity,
  op: spec.condition.op,
  threshold: spec.condition.threshold,
  lookbackWindow: spec.condition.lookbackWindow,
  ...(spec.condition.alertAfter !== undefined ? { alertAfter: spec.condition.alertAfter } : {}),
}));

export const openSloAlertConditionSchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('AlertCondition', { error: '"AlertCondition"' }),
  metadata: metadataSchema,
  spec: conditionSpecSchema,
});

export type OpenSloAlertCondition = z.output<typeof openSloAlertConditionSchema>;

/** A condition of a policy: the name of an AlertCondition document, or one written in place. */
export type AlertConditionEntry = { ref: string } | { name: string; condition: BurnRateCondition };

/**
 * `{conditionRef: NAME}`, or an AlertCondition written in place (`kind: AlertCondition`, metadata and
 * spec; apiVersion may be left out, as OpenSLO's own examples do).
 */
const conditionEntrySchema = strictObject({
  conditionRef: nonEmptyString.optional(),
  apiVersion: API_VERSION.optional(),
  kind: z.literal('AlertCondition', { error: '"AlertCondition"' }).optional(),
  metadata: metadataSchema.optional(),
  spec: conditionSpecSchema.optional(),
})
  .superRefine((entry, context) => {
    if (entry.conditionRef !== undefined) {
      if (entry.kind !== undefined || entry.metadata !== undefined || entry.spec !== undefined) {
        context.addIssue({ code: 'custom', message: 'either conditionRef or an AlertCondition written in place (kind, metadata, spec), not both', input: entry, params: { got: 'both' } });
      }
      return;
    }
    for (const key of ['metadata', 'spec'] as const) {
      if (entry[key] === undefined) {
        context.addIssue({ code: 'custom', message: `conditionRef (the name of an AlertCondition document), or ${key} of the condition written in place`, path: [key], input: undefined });
      }
    }
  })
  .transform((entry): AlertConditionEntry =>
    entry.conditionRef !== undefined ? { ref: entry.conditionRef } : { name: entry.metadata!.name, condition: entry.spec! },
  );

const policySpecSchema = strictObject({
  description: z.string({ error: 'a string' }).optional(),
  // When an alert is delivered is the alerting system's business; what fires is computed here.
  alertWhenNoData: z.boolean({ error: 'true or false' }).optional(),
  alertWhenResolved: z.boolean({ error: 'true or false' }).optional(),
  alertWhenBreaching: z.boolean({ error: 'true or false' }).optional(),
  conditions: z.array(conditionEntrySchema, { error: 'a list of conditions' }).min(1, { error: 'at least one condition' }),
  notificationTargets: z.array(z.unknown(), { error: 'a list' }).optional(),
});

export const openSloAlertPolicySchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('AlertPolicy', { error: '"AlertPolicy"' }),
  metadata: metadataSchema,
  spec: policySpecSchema,
});

export type OpenSloAlertPolicy = z.output<typeof openSloAlertPolicySchema>;

/** An entry of an SLO's `spec.alertPolicies`: a policy's name, or a policy written in place. */
export type AlertPolicyEntry = { ref: string } | { name: string; conditions: AlertConditionEntry[] };

/**
 * An SLO's `spec.alertPolicies` entry: a plain name (the OpenSLO Go model writes names), `{alertPolicyRef:
 * NAME}` (the spec's text), or an AlertPolicy written in place (kind, metadata, spec).
 */
export const alertPolicyEntrySchema = z.preprocess(
  (entry) => (typeof entry === 'string' ? { alertPolicyRef: entry } : entry),
  strictObject({
    alertPolicyRef: nonEmptyString.optional(),
    apiVersion: API_VERSION.optional(),
    kind: z.literal('AlertPolicy', { error: '"AlertPolicy"' }).optional(),
    metadata: metadataSchema.optional(),
    spec: policySpecSchema.optional(),
  })
    .superRefine((entry, context) => {
      if (entry.alertPolicyRef !== undefined) {
        if (entry.kind !== undefined || entry.metadata !== undefined || entry.spec !== undefined) {
          context.addIssue({ code: 'custom', message: 'either alertPolicyRef or an AlertPolicy written in place (kind, metadata, spec), not both', input: entry, params: { got: 'both' } });
        }
        return;
      }
      for (const key of ['metadata', 'spec'] as const) {
        if (entry[key] === undefined) {
          context.addIssue({ code: 'custom', message: `the name of an AlertPolicy document (or alertPolicyRef), or ${key} of the policy written in place`, path: [key], input: undefined });
        }
      }
    })
    .transform((entry): AlertPolicyEntry =>
      entry.alertPolicyRef !== undefined ? { ref: entry.alertPolicyRef } : { name: entry.metadata!.name, conditions: entry.spec!.conditions },
    ),
);

/** `page` and `critical` (any case) page; every other severity is a ticket (DOMAIN.md section 2). */
export function alertSeverity(written: string): 'page' | 'ticket' {
  const severity = written.trim().toLowerCase();
  return severity === 'page' || severity === 'critical' ? 'page' : 'ticket';
}

/**
 * The alert rule a burnrate condition of `policy` means: one window (long = short = lookbackWindow)
 * compared with `op`, counted as a page or a ticket by its severity; the text as written is kept.
 */
export function alertRuleOf(policy: string, name: string, condition: BurnRateCondition): AlertRule {
  return {
    severity: alertSeverity(condition.severity),
    long: condition.lookbackWindow,
    short: condition.lookbackWindow,
    threshold: condition.threshold,
    op: condition.op,
    condition: { policy, name, severity: condition.severity, ...(condition.alertAfter !== undefined ? { alertAfter: condition.alertAfter } : {}) },
  };
}

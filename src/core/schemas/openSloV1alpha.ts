// OpenSLO v1alpha documents (the older form, still what Sloth's OpenSLO examples write): Service and
// SLO. An SLO is validated here, at its own paths, then rewritten as the openslo/v1 document it means
// (`toOpenSloV1`), so both versions become SLO definitions by the same rules (openSlo.ts,
// workspace/definitions.ts).
//
// The mapping, from the v1alpha spec (github.com/OpenSLO/OpenSLO, v1alpha README):
// - `timeWindows: [{unit: Day, count: 30, isRolling, calendar}]` is `timeWindow: [{duration: 30d, ...}]`;
// - a metric `{source, queryType, query}` is `metricSource: {type: source, spec: {query}}`;
// - `objectives[].ratioMetrics: {incremental, good, bad, total}` is that objective's
//   `indicator.spec.ratioMetric: {counter: incremental, good, bad, total}` (v1alpha puts the ratio on the
//   objective, so an SLO with several ratio objectives becomes one v1 SLO per objective, named
//   `NAME-DISPLAYNAME` as v1's own objectives are);
// - `indicator.thresholdMetric` (one metric for every objective) is `indicator.spec.thresholdMetric`.
import { z } from 'zod';
import { boundedNumber, nonEmptyString, strictObject } from './common';
import { metadataSchema, serviceSchemaFor } from './openSlo';

const API_VERSION = z.literal('openslo/v1alpha', { error: '"openslo/v1alpha"' });

const TIME_UNITS = { Second: 's', Minute: 'm', Hour: 'h', Day: 'd', Week: 'w', Month: 'M', Quarter: 'Q', Year: 'Y' } as const;
type TimeUnit = keyof typeof TIME_UNITS;

const metricSchema = strictObject({
  source: nonEmptyString,
  queryType: z.string({ error: 'a string' }).optional(),
  query: nonEmptyString,
  // Data-source specific details: not read.
  metadata: z.unknown().optional(),
});

export type V1alphaMetric = z.output<typeof metricSchema>;

const ratioMetricsSchema = strictObject({
  incremental: z.boolean({ error: 'true or false' }).optional(),
  good: metricSchema.optional(),
  bad: metricSchema.optional(),
  total: metricSchema,
});

const objectiveSchema = strictObject({
  displayName: z.string({ error: 'a string' }).optional(),
  op: z.string({ error: 'one of lt, lte, gt, gte' }).optional(),
  value: z.number({ error: 'a number' }).optional(),
  target: boundedNumber('a number between 0 and 1', 0, 1, false),
  timeSliceTarget: z.number({ error: 'a number' }).optional(),
  timeSliceWindow: z.union([z.string(), z.number()], { error: 'a duration such as 1m, or a number of seconds' }).optional(),
  ratioMetrics: ratioMetricsSchema.optional(),
});

export const openSloV1alphaServiceSchema = serviceSchemaFor(API_VERSION);

export const openSloV1alphaSloSchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('SLO', { error: '"SLO"' }),
  metadata: metadataSchema,
  spec: strictObject({
    description: z.string({ error: 'a string' }).optional(),
    service: nonEmptyString,
    indicator: strictObject({ thresholdMetric: metricSchema }).optional(),
    timeWindows: z
      .array(
        strictObject({
          unit: z.enum(Object.keys(TIME_UNITS) as [TimeUnit, ...TimeUnit[]], { error: `one of ${Object.keys(TIME_UNITS).join(', ')}` }),
          count: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).positive({ error: 'a whole number > 0' }),
          isRolling: z.boolean({ error: 'true or false' }).optional(),
          calendar: strictObject({ startTime: z.string({ error: 'a start time such as "2026-01-01 00:00:00"' }), timeZone: nonEmptyString.optional() }).optional(),
        }),
        { error: 'a list with one time window' },
      )
      .length(1, { error: 'exactly one time window' }),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices'], { error: 'one of Occurrences, Timeslices' }).optional(),
    objectives: z.array(objectiveSchema, { error: 'a list of objectives' }).min(1, { error: 'at least one objective' }),
    alertPolicies: z.unknown().optional(),
  }).superRefine((spec, context) => {
    const withRatio = spec.objectives.filter((objective) => objective.ratioMetrics !== undefined).length;
    if (spec.indicator && withRatio > 0) {
      context.addIssue({ code: 'custom', message: 'either indicator.thresholdMetric or objectives with ratioMetrics, not both', path: ['indicator'], input: spec.indicator });
    } else if (!spec.indicator && withRatio !== spec.objectives.length) {
      spec.objectives.forEach((objective, index) => {
        if (objective.ratioMetrics === undefined) {
          context.addIssue({ code: 'custom', message: 'ratioMetrics (or an indicator.thresholdMetric on the SLO)', path: ['objectives', index, 'ratioMetrics'], input: undefined });
        }
      });
    }
  }),
});

export type OpenSloV1alphaSlo = z.output<typeof openSloV1alphaSloSchema>;

function metricSource(metric: V1alphaMetric) {
  return { metricSource: { type: metric.source, spec: { query: metric.query } } };
}

/**
 * The openslo/v1 SLO documents a v1alpha SLO means (see the mapping above), each with the index of
 * the v1alpha objective it came from when the SLO was split by objective.
 */
export function toOpenSloV1(slo: OpenSloV1alphaSlo): Array<{ document: Record<string, unknown>; objectiveIndex: number | null }> {
  const { spec } = slo;
  const window = spec.timeWindows[0];
  const timeWindow: Record<string, unknown> = { duration: `${window.count}${TIME_UNITS[window.unit]}` };
  if (window.isRolling !== undefined) timeWindow.isRolling = window.isRolling;
  if (window.calendar) timeWindow.calendar = window.calendar;
  const base = (name: string, indicatorSpec: Record<string, unknown>, objectives: Array<Record<string, unknown>>, displayName?: string) => {
    const metadata: Record<string, unknown> = { name };
    if (displayName !== undefined) metadata.displayName = displayName;
    const v1Spec: Record<string, unknown> = {
      service: spec.service,
      indicator: { metadata: { name: `${name}-sli` }, spec: indicatorSpec },
      timeWindow: [timeWindow],
      objectives,
    };
    if (spec.description !== undefined) v1Spec.description = spec.description;
    if (spec.budgetingMethod !== undefined) v1Spec.budgetingMethod = spec.budgetingMethod;
    return { apiVersion: 'openslo/v1', kind: 'SLO', metadata, spec: v1Spec };
  };
  const objective = (written: OpenSloV1alphaSlo['spec']['objectives'][number], keepThreshold: boolean) => {
    const mapped: Record<string, unknown> = { target: written.target };
    if (written.displayName !== undefined) mapped.displayName = written.displayName;
    if (written.timeSliceTarget !== undefined) mapped.timeSliceTarget = written.timeSliceTarget;
    if (written.timeSliceWindow !== undefined) mapped.timeSliceWindow = written.timeSliceWindow;
    // op and value belong to a threshold; on a ratio objective v1alpha allows them, and they mean nothing.
    if (keepThreshold && written.op !== undefined) mapped.op = written.op;
    if (keepThreshold && written.value !== undefined) mapped.value = written.value;
    return mapped;
  };

  if (spec.indicator) {
    const threshold = spec.indicator.thresholdMetric;
    return [{ document: base(slo.metadata.name, { thresholdMetric: metricSource(threshold) }, spec.objectives.map((written) => objective(written, true)), slo.metadata.displayName), objectiveIndex: null }];
  }
  const several = spec.objectives.length > 1;
  return spec.objectives.map((written, index) => {
    const ratio = written.ratioMetrics!;
    const ratioMetric: Record<string, unknown> = { counter: ratio.incremental ?? true, total: metricSource(ratio.total) };
    if (ratio.good) ratioMetric.good = metricSource(ratio.good);
    if (ratio.bad) ratioMetric.bad = metricSource(ratio.bad);
    const name = several ? `${slo.metadata.name}-${written.displayName ?? index}` : slo.metadata.name;
    const displayName = several ? written.displayName ?? slo.metadata.displayName : slo.metadata.displayName ?? written.displayName;
    return { document: base(name, { ratioMetric }, [objective(written, false)], displayName), objectiveIndex: several ? index : null };
  });
}

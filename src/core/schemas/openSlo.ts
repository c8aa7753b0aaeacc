// OpenSLO v1 documents (DOMAIN.md sections 1 and 2: Service, SLI, DataSource, SLO), as zod schemas
// whose output is in model.ts terms where a document maps on its own (time windows, objectives).
// Cross-document work (indicatorRef, metricSourceRef, duplicate names) needs the whole folder and is
// done by workspace/definitions.ts.
import { z } from 'zod';
import { fixedDurationMs, parseDuration } from '../duration';
import { pathEscape } from '../folderPaths';
import type { BudgetingMethodName, CalendarUnit, TimeWindow } from '../model';
import { THRESHOLD_OPS } from '../valueReadings';
import { isKnownTimeZone, toInstant } from '../timeZone';
import { parseIsoParts } from '../isoTime';
import { boundedNumber, nonEmptyString, percentToRatio, strictObject, stringMap } from './common';

/**
 * Epoch ms of a wall-clock time in an IANA zone. OpenSLO writes `calendar.startTime` as
 * `2026-01-01 00:00:00` meaning local time in `calendar.timeZone`; an explicit offset in the text wins.
 * A reading that happens twice (clocks went back) is the earlier instant; one in a DST gap lands as far
 * after the gap, as calendar periods do.
 */
export function zonedTimeToEpochMs(text: string, timeZone: string): number | null {
  const parts = parseIsoParts(text);
  if (!parts || !isKnownTimeZone(timeZone)) return null;
  if (parts.offsetMinutes !== null) return parts.wallClockMs - parts.offsetMinutes * 60_000;
  return toInstant(parts.wallClockMs, timeZone);
}

export const metadataSchema = strictObject({
  name: nonEmptyString,
  displayName: z.string({ error: 'a string' }).optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())]), { error: 'a mapping of labels' }).optional(),
  annotations: stringMap.optional(),
});

const CALENDAR_UNITS: readonly CalendarUnit[] = ['d', 'w', 'M', 'Q', 'y'];

const timeWindowSchema = strictObject({
  duration: nonEmptyString,
  isRolling: z.boolean({ error: 'true or false' }).optional(),
  calendar: strictObject({
    startTime: z.string({ error: 'a start time such as "2026-01-01 00:00:00"' }),
    timeZone: nonEmptyString.default('UTC'),
  }).optional(),
}).transform((window, context): TimeWindow => {
  const label = window.duration.trim();
  const isRolling = window.isRolling ?? window.calendar === undefined;
  if (isRolling) {
    if (window.calendar) {
      context.addIssue({ code: 'custom', message: 'no calendar on a rolling window (set isRolling: false for a calendar window)', path: ['calendar'], input: window.calendar });
      return z.NEVER;
    }
    const durationMs = fixedDurationMs(label);
    if (durationMs === null) {
      context.addIssue({ code: 'custom', message: 'a fixed-length duration for a rolling window, such as 28d, 7d or 1w', path: ['duration'], input: window.duration });
      return z.NEVER;
    }
    return { kind: 'rolling', label, durationMs };
  }
  // OpenSLO writes years as `Y`; duration.ts, like the rest of the code, uses `y`.
  const parsed = parseDuration(label.replace(/Y$/, 'y'));
  if (!parsed || !CALENDAR_UNITS.includes(parsed.unit as CalendarUnit)) {
    context.addIssue({ code: 'custom', message: 'a calendar duration such as 1d, 1w, 1M, 1Q or 1Y', path: ['duration'], input: window.duration });
    return z.NEVER;
  }
  if (!window.calendar) {
    context.addIssue({ code: 'custom', message: 'a calendar with startTime and timeZone when isRolling is false', path: ['calendar'], input: undefined });
    return z.NEVER;
  }
  if (!isKnownTimeZone(window.calendar.timeZone)) {
    context.addIssue({ code: 'custom', message: 'an IANA time zone such as UTC or Europe/Paris', path: ['calendar', 'timeZone'], input: window.calendar.timeZone });
    return z.NEVER;
  }
  const startTime = zonedTimeToEpochMs(window.calendar.startTime, window.calendar.timeZone);
  if (startTime === null) {
    context.addIssue({ code: 'custom', message: 'a start time such as "2026-01-01 00:00:00"', path: ['calendar', 'startTime'], input: window.calendar.startTime });
    return z.NEVER;
  }
  return {
    kind: 'calendar',
    label,
    unit: parsed.unit as CalendarUnit,
    count: parsed.count,
    startTime,
    timeZone: window.calendar.timeZone,
  };
});


/** OpenSLO's budgeting methods (DOMAIN.md section 2); RatioTimeslices averages the slices' ratios. */
const BUDGETING_METHODS = ['Occurrences', 'Timeslices', 'RatioTimeslices'] as const satisfies readonly BudgetingMethodName[];

const TARGET = 'a number between 0 and 1';
const COMPOSITE_WEIGHT = 'a number greater than 0 (the weight of the objective in the composite SLO)';
const TARGET_PERCENT = 'a number between 0 and 100';
const SLICE_WINDOW = 'a fixed-length duration such as 1m or 5m, or a number of seconds';

const timeSliceWindowSchema = z
  .union([z.string(), z.number()], { error: SLICE_WINDOW })
  .transform((value, context) => {
    const sliceMs = typeof value === 'number' ? value * 1000 : fixedDurationMs(value);
    if (sliceMs === null || !Number.isInteger(sliceMs) || sliceMs <= 0) {
      context.addIssue({ code: 'custom', message: SLICE_WINDOW, input: value });
      return z.NEVER;
    }
    return sliceMs;
  });

const objectiveSchema = strictObject({
  displayName: z.string({ error: 'a string' }).optional(),
  target: boundedNumber(TARGET, 0, 1, false).optional(),
  targetPercent: boundedNumber(TARGET_PERCENT, 0, 100, false).optional(),
  timeSliceTarget: boundedNumber('a number greater than 0 and at most 1', 0, 1, true).optional(),
  timeSliceWindow: timeSliceWindowSchema.optional(),
  // A composite SLO (DOMAIN.md section 2): objectives that carry their own indicator, each an SLO of
  // its own, weighing compositeWeight in the composite. `z.lazy`: the SLI schemas are defined below.
  indicator: z.lazy(() => inlineIndicatorSchema).optional(),
  indicatorRef: nonEmptyString.optional(),
  compositeWeight: z.number({ error: COMPOSITE_WEIGHT }).gt(0, { error: COMPOSITE_WEIGHT }).optional(),
  // A thresholdMetric's comparison (DOMAIN.md section 2): a data point is good when `value op this value`
  // holds. Allowed, and meaningless, on a ratio objective (OpenSLO's own examples write `op: gt` there).
  op: z.enum(THRESHOLD_OPS, { error: `one of ${THRESHOLD_OPS.join(', ')}` }).optional(),
  value: z.number({ error: 'a number' }).refine(Number.isFinite, { error: 'a finite number' }).optional(),
})
  .superRefine((objective, context) => {
    if (objective.indicator !== undefined && objective.indicatorRef !== undefined) {
      context.addIssue({ code: 'custom', message: 'either indicator or indicatorRef, not both', path: ['indicatorRef'], input: objective.indicatorRef, params: { got: 'both' } });
    }
    if (objective.target !== undefined && objective.targetPercent !== undefined) {
      context.addIssue({ code: 'custom', message: 'either target or targetPercent, not both', input: objective, params: { got: 'both' } });
    } else if (objective.target === undefined && objective.targetPercent === undefined) {
      context.addIssue({ code: 'custom', message: `target (${TARGET}) or targetPercent (${TARGET_PERCENT})`, input: objective, params: { got: 'neither' } });
    }
  })
  .transform((objective) => ({
    displayName: objective.displayName,
    objective: objective.target ?? percentToRatio(objective.targetPercent as number),
    timeSliceTarget: objective.timeSliceTarget,
    sliceMs: objective.timeSliceWindow,
    indicator: objective.indicator,
    indicatorRef: objective.indicatorRef,
    compositeWeight: objective.compositeWeight,
    op: objective.op,
    value: objective.value,
  }));

export type OpenSloObjective = z.output<typeof objectiveSchema>;

// A path that is absolute or climbs out with .. would let a repository read any file on the machine.
const CSV_PATH = 'a path inside .reliability/, relative to it, such as data/checkout.csv';

/** The metric source types read here; any other (Datadog, CloudWatch...) still loads its SLO, without data. */
export const READABLE_SOURCE_TYPES = ['CSV', 'Prometheus'] as const;

/** `prometheus` and `csv` as Sloth's and OpenSLO's examples write them are the same types. */
const sourceType = nonEmptyString.transform((written) => READABLE_SOURCE_TYPES.find((type) => type.toLowerCase() === written.toLowerCase()) ?? written);

export function isReadableSourceType(type: string): boolean {
  return (READABLE_SOURCE_TYPES as readonly string[]).includes(type);
}

/** The `spec` of a source we cannot read is that vendor's business: it is not validated (nor warned about). */
function withoutForeignSpec(source: unknown): unknown {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) return source;
  const { type, spec, ...rest } = source as Record<string, unknown>;
  if (typeof type !== 'string' || type === '' || isReadableSourceType(sourceType.parse(type)) || spec === undefined) return source;
  return { type, ...rest };
}

const metricSourceSchema = z.preprocess(withoutForeignSpec, strictObject({
  metricSourceRef: nonEmptyString.optional(),
  type: sourceType.optional(),
  spec: strictObject({
    path: nonEmptyString.refine((path) => pathEscape(path) === null, { error: CSV_PATH }).optional(),
    column: nonEmptyString.optional(),
    query: nonEmptyString.optional(),
  }).optional(),
}).superRefine((source, context) => {
  // With a metricSourceRef the type and the CSV path may come from the DataSource; definitions.ts checks them then.
  if (source.metricSourceRef !== undefined) return;
  if (source.type === undefined) {
    context.addIssue({ code: 'custom', message: 'a type (such as CSV or Prometheus) or a metricSourceRef', path: ['type'], input: undefined });
    return;
  }
  if (source.type === 'CSV' && source.spec?.path === undefined) {
    context.addIssue({ code: 'custom', message: `spec.path, ${CSV_PATH}`, path: source.spec ? ['spec', 'path'] : ['spec'], input: undefined });
  }
  if (source.type === 'Prometheus' && source.spec?.query === undefined) {
    context.addIssue({ code: 'custom', message: 'spec.query, a PromQL selector of the counter', path: source.spec ? ['spec', 'query'] : ['spec'], input: undefined });
  }
}));

export type OpenSloMetricSource = z.output<typeof metricSourceSchema>;

const metricSchema = strictObject({ metricSource: metricSourceSchema });

const ratioMetricSchema = strictObject({
  // OpenSLO requires `counter`; absent, the event counts are treated as counters, the common case.
  counter: z.boolean({ error: 'true or false' }).default(true),
  good: metricSchema.optional(),
  bad: metricSchema.optional(),
  total: metricSchema.optional(),
  // A precomputed ratio (DOMAIN.md section 2): each data point is a success (good/total) or failure
  // (bad/total) ratio, as rawType says; it cannot be used with good, bad or total.
  rawType: z.enum(['success', 'failure'], { error: 'one of success, failure' }).optional(),
  raw: metricSchema.optional(),
}).superRefine((ratio, context) => {
  if (ratio.raw !== undefined || ratio.rawType !== undefined) {
    const counted = (['good', 'bad', 'total'] as const).find((role) => ratio[role] !== undefined);
    if (counted !== undefined) {
      context.addIssue({ code: 'custom', message: 'either raw (with rawType) or good/bad with total, not both', path: [counted], input: ratio[counted], params: { got: 'both' } });
    } else if (ratio.raw === undefined) {
      context.addIssue({ code: 'custom', message: 'raw, the metric of precomputed ratios, next to rawType', path: ['raw'], input: undefined });
    } else if (ratio.rawType === undefined) {
      context.addIssue({ code: 'custom', message: 'rawType (success or failure) next to raw: which ratio the raw metric holds', path: ['rawType'], input: undefined });
    }
    return;
  }
  if (ratio.total === undefined) {
    context.addIssue({ code: 'custom', message: 'total next to good or bad (or raw with rawType)', path: ['total'], input: undefined });
  }
  if (ratio.good && ratio.bad) {
    context.addIssue({ code: 'custom', message: 'either good or bad with total, not both', input: ratio, params: { got: 'both' } });
  } else if (!ratio.good && !ratio.bad) {
    context.addIssue({ code: 'custom', message: 'good or bad, next to total', input: ratio, params: { got: 'neither' } });
  }
});

export type OpenSloRatioMetric = z.output<typeof ratioMetricSchema>;

const sliSpecSchema = strictObject({
  description: z.string({ error: 'a string' }).optional(),
  ratioMetric: ratioMetricSchema.optional(),
  // One data point per CSV row's value column or Prometheus step, good when it passes the objective's op/value.
  thresholdMetric: metricSchema.optional(),
}).superRefine((spec, context) => {
  if (spec.ratioMetric && spec.thresholdMetric) {
    context.addIssue({ code: 'custom', message: 'either ratioMetric or thresholdMetric, not both', path: ['thresholdMetric'], input: spec.thresholdMetric, params: { got: 'both' } });
  } else if (!spec.ratioMetric && !spec.thresholdMetric) {
    context.addIssue({ code: 'custom', message: 'a ratioMetric or a thresholdMetric', input: spec, params: { got: 'neither' } });
  }
});

export type OpenSloSliSpec = z.output<typeof sliSpecSchema>;

/** An SLI written in place: an SLO's (or a composite objective's) `indicator`. */
const inlineIndicatorSchema = strictObject({ metadata: metadataSchema, spec: sliSpecSchema });

const API_VERSION = z.literal('openslo/v1', { error: '"openslo/v1"' });

/** An OpenSLO Service document: the same in v1 and v1alpha, but for the apiVersion. */
export function serviceSchemaFor<V extends z.ZodType>(apiVersion: V) {
  return strictObject({
    apiVersion,
    kind: z.literal('Service', { error: '"Service"' }),
    metadata: metadataSchema,
    spec: strictObject({ description: z.string({ error: 'a string' }).optional() }).prefault({}),
  });
}

export const openSloServiceSchema = serviceSchemaFor(API_VERSION);

export const openSloSliSchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('SLI', { error: '"SLI"' }),
  metadata: metadataSchema,
  spec: sliSpecSchema,
});

export type OpenSloSli = z.output<typeof openSloSliSchema>;

export const openSloDataSourceSchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('DataSource', { error: '"DataSource"' }),
  metadata: metadataSchema,
  spec: strictObject({
    description: z.string({ error: 'a string' }).optional(),
    type: sourceType,
    // Free-form in OpenSLO; a CSV DataSource supplies `path` here, shared by the SLIs that reference it.
    connectionDetails: z.record(z.string(), z.unknown(), { error: 'a mapping' }).default({}),
  }).superRefine((spec, context) => {
    const path = spec.connectionDetails.path;
    if (spec.type === 'CSV' && path !== undefined && (typeof path !== 'string' || path === '' || pathEscape(path) !== null)) {
      context.addIssue({ code: 'custom', message: CSV_PATH, path: ['connectionDetails', 'path'], input: path });
    }
  }),
});

export type OpenSloDataSource = z.output<typeof openSloDataSourceSchema>;

export const openSloSloSchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('SLO', { error: '"SLO"' }),
  metadata: metadataSchema,
  spec: strictObject({
    description: z.string({ error: 'a string' }).optional(),
    service: nonEmptyString,
    indicator: inlineIndicatorSchema.optional(),
    indicatorRef: nonEmptyString.optional(),
    timeWindow: z
      .array(timeWindowSchema, { error: 'a list with one time window' })
      .length(1, { error: 'exactly one time window' }),
    budgetingMethod: z.enum(BUDGETING_METHODS, { error: `one of ${BUDGETING_METHODS.join(', ')}` }).default('Occurrences'),
    objectives: z.array(objectiveSchema, { error: 'a list of objectives' }).min(1, { error: 'at least one objective' }),
    // Names of AlertPolicy documents or policies written in place; definitions.ts validates each entry
    // on its own (schemas/openSloAlerts.ts alertPolicyEntrySchema), so one bad entry hides no other.
    alertPolicies: z.array(z.unknown(), { error: 'a list of alert policies' }).optional(),
  }).superRefine((spec, context) => {
    if (spec.indicator && spec.indicatorRef) {
      context.addIssue({ code: 'custom', message: 'either indicator or indicatorRef, not both', path: ['indicatorRef'], input: spec.indicatorRef, params: { got: 'both' } });
    } else if (!spec.indicator && !spec.indicatorRef) {
      // A composite SLO needs no indicator of its own when every objective carries one.
      const carried = spec.objectives.map((objective) => objective.indicator !== undefined || objective.indicatorRef !== undefined);
      if (!carried.some(Boolean)) {
        context.addIssue({ code: 'custom', message: 'an indicator (inline SLI) or an indicatorRef (name of an SLI document)', input: spec, params: { got: 'neither' } });
      }
      carried.forEach((has, index) => {
        if (has || !carried.some(Boolean)) return;
        context.addIssue({ code: 'custom', message: 'an indicator or indicatorRef on this objective (other objectives carry their own, and the SLO has none for the rest)', path: ['objectives', index], input: spec.objectives[index], params: { got: 'neither' } });
      });
    }
    if (spec.budgetingMethod !== 'Occurrences') {
      const method = spec.budgetingMethod;
      spec.objectives.forEach((objective, index) => {
        // RatioTimeslices averages the slices' ratios: it judges no slice, so needs no timeSliceTarget.
        if (method === 'Timeslices' && objective.timeSliceTarget === undefined) {
          context.addIssue({ code: 'custom', message: 'timeSliceTarget with budgetingMethod Timeslices', path: ['objectives', index, 'timeSliceTarget'], input: undefined });
        }
        if (objective.sliceMs === undefined) {
          context.addIssue({ code: 'custom', message: `timeSliceWindow with budgetingMethod ${method}`, path: ['objectives', index, 'timeSliceWindow'], input: undefined });
        }
      });
    }
  }),
});

export type OpenSloSlo = z.output<typeof openSloSloSchema>;

// The shapes of the `.reliability/` files (DOMAIN.md section 1), as zod schemas whose output is already
// in model.ts terms where a document maps on its own (config, incidents, time windows, objectives).
// Cross-document work (indicatorRef, metricSourceRef, duplicate names) needs the whole folder and is
// done by workspace/definitions.ts.
//
// Every custom message here is the *expected* half of a problem ("a number between 0 and 1"): the YAML
// loader prefixes the path and appends what was actually found, so messages stay uniform.
import { z } from 'zod';
import { fixedDurationMs, parseDuration } from './duration';
import { MAX_GLOB_LENGTH } from './glob';
import { pathEscape } from './folderPaths';
import { SEVERITIES } from './model';
import type {
  CalendarUnit,
  Incident,
  IncidentSourceConfig,
  Severity,
  TimeWindow,
  WorkspaceConfig,
} from './model';
import { isKnownTimeZone, toInstant } from './timeZone';
import { parseIsoParts, parseIsoTime } from './isoTime';

// ---- Building blocks ------------------------------------------------------------------------------

/**
 * A strict object whose unknown-key issue lists the keys that are allowed, so the warning can say
 * what was expected. Unknown keys are reported as warnings by the loader, not as errors.
 */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `one of the keys ${allowed}`;
      if (issue.code === 'invalid_type') return `a mapping with keys ${allowed}`;
      return undefined;
    },
  });
}

const nonEmptyString = z.string({ error: 'a string' }).min(1, { error: 'a non-empty string' });

const stringMap = z.record(z.string(), z.string({ error: 'a string' }), { error: 'a mapping of strings' });

function boundedNumber(expected: string, min: number, max: number, maxInclusive: boolean) {
  const number = z.number({ error: expected }).gt(min, { error: expected });
  return maxInclusive ? number.lte(max, { error: expected }) : number.lt(max, { error: expected });
}

const HTTP_URL = 'an http(s) URL';
const httpUrl = z.string({ error: HTTP_URL }).refine(
  (text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: HTTP_URL },
);

// ---- Times ------------------------------------------------------------------------------------------

export const ISO_TIME_EXPECTED = 'an ISO 8601 time such as "2026-03-01T12:00:00Z"';

// The reading of ISO times lives in isoTime.ts (the CLI reads --now with it before loading zod);
// exported here too for the modules that read times with the schemas.
export { parseIsoTime };

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

const isoTime = z.string({ error: ISO_TIME_EXPECTED }).transform((text, context) => {
  const epochMs = parseIsoTime(text);
  if (epochMs === null) {
    context.addIssue({ code: 'custom', message: ISO_TIME_EXPECTED, input: text });
    return z.NEVER;
  }
  return epochMs;
});

// ---- config.yaml ------------------------------------------------------------------------------------

const severitySchema = z.enum(SEVERITIES, { error: `one of ${SEVERITIES.join(', ')}` });

// A glob is matched against every path or tag; its length bounds what matching one costs (glob.ts).
const globPattern = nonEmptyString.max(MAX_GLOB_LENGTH, { error: `a glob of at most ${MAX_GLOB_LENGTH} characters` });

const serviceSchema = strictObject({
  name: nonEmptyString,
  paths: z.array(globPattern, { error: 'a list of path globs' }).min(1, { error: 'at least one path glob' }),
  tagPattern: globPattern.optional(),
});

const optionValue = z.union([z.string(), z.array(z.string()), z.number(), z.boolean()], {
  error: 'a string, a list of strings, a number or true/false',
});

const incidentSourceSchema = z
  .object(
    {
      type: z.enum(['file', 'pagerduty', 'github', 'opsgenie', 'alertmanager'], {
        error: 'one of file, pagerduty, github, opsgenie, alertmanager',
      }),
      url: httpUrl.optional(),
    },
    { error: 'a mapping with a type (file, pagerduty, github, opsgenie, alertmanager)' },
  )
  // Each remote source has its own settings (repository, serviceIds, region...); they are kept, not warned about.
  .catchall(optionValue)
  .transform((source): IncidentSourceConfig => {
    const { type, url, ...options } = source;
    return url === undefined ? { type, options } : { type, url, options };
  });

const PROMETHEUS_URL_REQUIRED = 'slis.prometheus.url when slis.source is prometheus';

export const configSectionSchemas = {
  version: z.literal(1, { error: '1' }),
  services: z
    .array(serviceSchema, { error: 'a list of services' })
    .default([])
    .superRefine((services, context) => {
      const seen = new Set<string>();
      services.forEach((service, index) => {
        if (seen.has(service.name)) {
          context.addIssue({ code: 'custom', message: 'a service name used only once', path: [index, 'name'], input: service.name });
        }
        seen.add(service.name);
      });
    }),
  deployments: strictObject({
    source: z.enum(['git-tags', 'file', 'github'], { error: 'one of git-tags, file, github' }).default('git-tags'),
    tagPattern: globPattern.default('v*'),
    repository: z
      .string({ error: 'a GitHub repository as owner/name' })
      .regex(/^[\w.-]+\/[\w.-]+$/, { error: 'a GitHub repository as owner/name' })
      .optional(),
    environment: nonEmptyString.optional(),
    url: httpUrl.optional(),
  }).prefault({}),
  incidents: strictObject({
    sources: z
      .array(incidentSourceSchema, { error: 'a list of incident sources' })
      .default([{ type: 'file', options: {} }]),
  }).prefault({}),
  slis: strictObject({
    source: z.enum(['file', 'prometheus'], { error: 'one of file, prometheus' }).default('file'),
    prometheus: strictObject({
      url: httpUrl,
      headers: stringMap.default({}),
      // Accepted and dropped: TLS verification is the user's switch, never the repository's; the
      // loader warns at this key (workspace/definitions.ts).
      insecureSkipVerify: z.unknown().optional().transform(() => undefined),
    }).optional(),
  })
    .prefault({})
    .superRefine((slis, context) => {
      if (slis.source === 'prometheus' && !slis.prometheus) {
        context.addIssue({ code: 'custom', message: PROMETHEUS_URL_REQUIRED, path: ['prometheus'], input: undefined });
      }
    }),
  policy: strictObject({
    cautionBelow: z
      .number({ error: 'a number from 0 to 1' })
      .min(0, { error: 'a number from 0 to 1' })
      .max(1, { error: 'a number from 0 to 1' })
      .default(0.25),
    freezeSeverity: severitySchema.default('SEV2'),
  }).prefault({}),
  recentDays: z.number({ error: 'a whole number of days' }).int({ error: 'a whole number of days' }).positive({ error: 'a whole number of days > 0' }).default(30),
  defaultBranch: nonEmptyString.optional(),
};

export const workspaceConfigSchema = strictObject(configSectionSchemas);

// Compile-time proof that what the schema produces is a WorkspaceConfig.
type ConfigOutput = z.output<typeof workspaceConfigSchema>;
const configOutputIsWorkspaceConfig: (config: ConfigOutput) => WorkspaceConfig = (config) => config;

export function defaultWorkspaceConfig(): WorkspaceConfig {
  return configOutputIsWorkspaceConfig(workspaceConfigSchema.parse({ version: 1 }));
}

/**
 * The usable part of an invalid config: each top-level section that validates on its own is kept, each
 * broken one falls back to its default, so one typo in `policy` does not drop the services.
 */
export function salvageWorkspaceConfig(raw: unknown): { config: WorkspaceConfig; defaulted: string[] } {
  const source = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const salvaged: Record<string, unknown> = { version: 1 };
  const defaulted: string[] = [];
  for (const [section, schema] of Object.entries(configSectionSchemas)) {
    if (section === 'version' || !(section in source)) continue;
    const result = schema.safeParse(source[section]);
    if (result.success) salvaged[section] = source[section];
    else defaulted.push(section);
  }
  // Unknown top-level keys were left out above, so this parse only sees valid sections.
  return { config: configOutputIsWorkspaceConfig(workspaceConfigSchema.parse(salvaged)), defaulted };
}

// ---- OpenSLO v1 -------------------------------------------------------------------------------------

const metadataSchema = strictObject({
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

/** `99.9 / 100` is 0.9990000000000001 in binary floating point; objectives must compare exactly. */
export function percentToRatio(percent: number): number {
  return Number((percent / 100).toPrecision(15));
}

const TARGET = 'a number between 0 and 1';
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
})
  .superRefine((objective, context) => {
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
  }));

export type OpenSloObjective = z.output<typeof objectiveSchema>;

// A path that is absolute or climbs out with .. would let a repository read any file on the machine.
const CSV_PATH = 'a path inside .reliability/, relative to it, such as data/checkout.csv';

const metricSourceSchema = strictObject({
  metricSourceRef: nonEmptyString.optional(),
  type: z.enum(['CSV', 'Prometheus'], { error: 'one of CSV, Prometheus' }).optional(),
  spec: strictObject({
    path: nonEmptyString.refine((path) => pathEscape(path) === null, { error: CSV_PATH }).optional(),
    column: nonEmptyString.optional(),
    query: nonEmptyString.optional(),
  }).optional(),
}).superRefine((source, context) => {
  // With a metricSourceRef the type and the CSV path may come from the DataSource; definitions.ts checks them then.
  if (source.metricSourceRef !== undefined) return;
  if (source.type === undefined) {
    context.addIssue({ code: 'custom', message: 'a type (CSV or Prometheus) or a metricSourceRef', path: ['type'], input: undefined });
    return;
  }
  if (source.type === 'CSV' && source.spec?.path === undefined) {
    context.addIssue({ code: 'custom', message: `spec.path, ${CSV_PATH}`, path: source.spec ? ['spec', 'path'] : ['spec'], input: undefined });
  }
  if (source.type === 'Prometheus' && source.spec?.query === undefined) {
    context.addIssue({ code: 'custom', message: 'spec.query, a PromQL selector of the counter', path: source.spec ? ['spec', 'query'] : ['spec'], input: undefined });
  }
});

export type OpenSloMetricSource = z.output<typeof metricSourceSchema>;

const metricSchema = strictObject({ metricSource: metricSourceSchema });

const ratioMetricSchema = strictObject({
  // OpenSLO requires `counter`; absent, the event counts are treated as counters, the common case.
  counter: z.boolean({ error: 'true or false' }).default(true),
  good: metricSchema.optional(),
  bad: metricSchema.optional(),
  total: metricSchema,
}).superRefine((ratio, context) => {
  if (ratio.good && ratio.bad) {
    context.addIssue({ code: 'custom', message: 'either good or bad with total, not both', input: ratio, params: { got: 'both' } });
  } else if (!ratio.good && !ratio.bad) {
    context.addIssue({ code: 'custom', message: 'good or bad, next to total', input: ratio, params: { got: 'neither' } });
  }
});

export type OpenSloRatioMetric = z.output<typeof ratioMetricSchema>;

const sliSpecSchema = strictObject({
  description: z.string({ error: 'a string' }).optional(),
  ratioMetric: ratioMetricSchema,
});

const API_VERSION = z.literal('openslo/v1', { error: '"openslo/v1"' });

export const openSloServiceSchema = strictObject({
  apiVersion: API_VERSION,
  kind: z.literal('Service', { error: '"Service"' }),
  metadata: metadataSchema,
  spec: strictObject({ description: z.string({ error: 'a string' }).optional() }).prefault({}),
});

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
    type: z.enum(['CSV', 'Prometheus'], { error: 'one of CSV, Prometheus' }),
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
    indicator: strictObject({ metadata: metadataSchema, spec: sliSpecSchema }).optional(),
    indicatorRef: nonEmptyString.optional(),
    timeWindow: z
      .array(timeWindowSchema, { error: 'a list with one time window' })
      .length(1, { error: 'exactly one time window' }),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices'], { error: 'one of Occurrences, Timeslices' }).default('Occurrences'),
    objectives: z.array(objectiveSchema, { error: 'a list of objectives' }).min(1, { error: 'at least one objective' }),
    // Alerting is computed from DOMAIN.md section 2, so OpenSLO alert policies are accepted and not used.
    alertPolicies: z.array(z.unknown(), { error: 'a list' }).optional(),
  }).superRefine((spec, context) => {
    if (spec.indicator && spec.indicatorRef) {
      context.addIssue({ code: 'custom', message: 'either indicator or indicatorRef, not both', path: ['indicatorRef'], input: spec.indicatorRef, params: { got: 'both' } });
    } else if (!spec.indicator && !spec.indicatorRef) {
      context.addIssue({ code: 'custom', message: 'an indicator (inline SLI) or an indicatorRef (name of an SLI document)', input: spec, params: { got: 'neither' } });
    }
    if (spec.budgetingMethod === 'Timeslices') {
      spec.objectives.forEach((objective, index) => {
        if (objective.timeSliceTarget === undefined) {
          context.addIssue({ code: 'custom', message: 'timeSliceTarget with budgetingMethod Timeslices', path: ['objectives', index, 'timeSliceTarget'], input: undefined });
        }
        if (objective.sliceMs === undefined) {
          context.addIssue({ code: 'custom', message: 'timeSliceWindow with budgetingMethod Timeslices', path: ['objectives', index, 'timeSliceWindow'], input: undefined });
        }
      });
    }
  }),
});

export type OpenSloSlo = z.output<typeof openSloSloSchema>;

// ---- Sloth prometheus/v1 ----------------------------------------------------------------------------

/** Sloth SLOs have no window in the spec; Sloth's own default period is 30 days. */
export const SLOTH_DEFAULT_WINDOW = '30d';

export const slothSpecSchema = strictObject({
  version: z.literal('prometheus/v1', { error: '"prometheus/v1"' }),
  service: nonEmptyString,
  labels: stringMap.optional(),
  // Each SLO is validated on its own (slothSloSchema) so one broken SLO does not hide its siblings.
  slos: z.array(z.unknown(), { error: 'a list of SLOs' }).min(1, { error: 'at least one SLO' }),
});

const slothAlertSchema = strictObject({
  disable: z.boolean({ error: 'true or false' }).optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

export const slothSloSchema = strictObject({
  name: nonEmptyString,
  objective: boundedNumber('a percentage between 0 and 100, such as 99.9', 0, 100, false),
  description: z.string({ error: 'a string' }).optional(),
  labels: stringMap.optional(),
  sli: strictObject({
    events: strictObject({ error_query: nonEmptyString, total_query: nonEmptyString }),
  }),
  alerting: strictObject({
    name: nonEmptyString.optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    page_alert: slothAlertSchema.optional(),
    ticket_alert: slothAlertSchema.optional(),
  }).optional(),
});

export type SlothSlo = z.output<typeof slothSloSchema>;

// ---- Which schema a document in slos/ needs ---------------------------------------------------------

export type SloDocumentKind = 'Service' | 'SLO' | 'SLI' | 'DataSource' | 'sloth';

/** OpenSLO kinds that are valid but say nothing Reliability Lens uses. */
const IGNORED_OPENSLO_KINDS = ['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'];

export type SloDocumentClassification =
  | { kind: SloDocumentKind }
  | { ignoredKind: string }
  | { path: Array<string | number>; expected: string };

export function classifySloDocument(data: unknown): SloDocumentClassification {
  const whatIsExpected = 'an OpenSLO document (apiVersion: openslo/v1) or a Sloth spec (version: prometheus/v1)';
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { path: [], expected: whatIsExpected };
  const document = data as Record<string, unknown>;
  if ('apiVersion' in document) {
    if (document.apiVersion !== 'openslo/v1') return { path: ['apiVersion'], expected: '"openslo/v1"' };
    const kind = document.kind;
    if (kind === 'Service' || kind === 'SLO' || kind === 'SLI' || kind === 'DataSource') return { kind };
    if (typeof kind === 'string' && IGNORED_OPENSLO_KINDS.includes(kind)) return { ignoredKind: kind };
    return { path: ['kind'], expected: 'one of Service, SLO, SLI, DataSource' };
  }
  if ('version' in document) {
    if (document.version === 'prometheus/v1') return { kind: 'sloth' };
    return { path: ['version'], expected: '"prometheus/v1" (a Sloth spec)' };
  }
  return { path: [], expected: whatIsExpected };
}

// ---- incidents.yaml and deployments.yaml --------------------------------------------------------------

const COMMIT_SHA = 'a commit SHA or prefix of 7 to 40 hex characters';

export const incidentsFileSchema = strictObject({
  // Entries are validated one by one (incidentSchema) so one bad incident does not hide the others.
  incidents: z.array(z.unknown(), { error: 'a list of incidents' }).nullable().transform((list) => list ?? []),
});

export const incidentSchema = strictObject({
  id: nonEmptyString,
  title: z.string({ error: 'a string' }),
  severity: severitySchema,
  service: nonEmptyString,
  startedAt: isoTime,
  resolvedAt: isoTime.nullable().optional(),
  url: httpUrl.optional(),
  commits: z
    .array(z.string({ error: COMMIT_SHA }).regex(/^[0-9a-fA-F]{7,40}$/, { error: COMMIT_SHA }), { error: 'a list of commit SHAs' })
    .default([]),
  files: z.array(nonEmptyString, { error: 'a list of file paths' }).default([]),
  postmortem: httpUrl.optional(),
})
  .superRefine((incident, context) => {
    if (incident.resolvedAt != null && incident.resolvedAt < incident.startedAt) {
      context.addIssue({ code: 'custom', message: 'a time at or after startedAt', path: ['resolvedAt'], input: incident.resolvedAt });
    }
  })
  .transform((incident): Incident => {
    const mapped: Incident = {
      id: incident.id,
      title: incident.title,
      severity: incident.severity as Severity,
      service: incident.service,
      startedAt: incident.startedAt,
      resolvedAt: incident.resolvedAt ?? null,
      // Prefixes are compared with git's lowercase SHAs.
      commits: incident.commits.map((sha) => sha.toLowerCase()),
      files: incident.files,
      source: 'file',
    };
    if (incident.url !== undefined) mapped.url = incident.url;
    if (incident.postmortem !== undefined) mapped.postmortem = incident.postmortem;
    return mapped;
  });

export const deploymentsFileSchema = strictObject({
  deployments: z.array(z.unknown(), { error: 'a list of deployments' }).nullable().transform((list) => list ?? []),
});

export const deploymentEntrySchema = strictObject({
  name: nonEmptyString,
  commit: z
    .string({ error: 'a commit SHA or git ref' })
    .regex(/^\S+$/, { error: 'a commit SHA or git ref (no spaces)' }),
  time: isoTime,
  services: z.array(nonEmptyString, { error: 'a list of service names' }).optional(),
});

export type DeploymentEntry = z.output<typeof deploymentEntrySchema>;

// config.yaml (DOMAIN.md section 1), as a zod schema whose output is a model.ts WorkspaceConfig.
import { z } from 'zod';
import type { IncidentSourceConfig, PolicyCondition, WorkspaceConfig } from '../model';
import { SEVERITIES } from '../model';
import { fixedDurationMs } from '../duration';
import { CONDITION_NAMES, type ConditionName } from '../policy';
import { globPattern, httpUrl, isoTimeSchema, nonEmptyString, severitySchema, strictObject, stringMap } from './common';

const ratio = z
  .number({ error: 'a number from 0 to 1' })
  .min(0, { error: 'a number from 0 to 1' })
  .max(1, { error: 'a number from 0 to 1' });

const CONDITION_EXPECTED = `one of ${CONDITION_NAMES.join(', ')}, openIncident, {budgetBelow: 0.1} or {openIncident: SEV2}`;

/**
 * An item of `policy.freezeOn` / `cautionOn` (core/policy.ts): a plain name, `{budgetBelow: RATIO}` or
 * `{openIncident: SEVERITY}`; a bare `openIncident` is any open incident (`{openIncident: SEV5}`).
 * Read by hand rather than as a union, so a wrong item gets one message saying every accepted form.
 */
const policyConditionSchema = z.unknown().transform((item, context): PolicyCondition => {
  if (typeof item === 'string' && (CONDITION_NAMES as readonly string[]).includes(item)) return item as ConditionName;
  if (item === 'openIncident') return { openIncident: SEVERITIES[SEVERITIES.length - 1] };
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
    const [key, value] = Object.entries(item)[0];
    if (key === 'budgetBelow') {
      const parsed = ratio.safeParse(value);
      if (parsed.success) return { budgetBelow: parsed.data };
      context.addIssue({ code: 'custom', message: 'budgetBelow: a number from 0 to 1', input: item });
      return z.NEVER;
    }
    if (key === 'openIncident') {
      const parsed = severitySchema.safeParse(value);
      if (parsed.success) return { openIncident: parsed.data };
      context.addIssue({ code: 'custom', message: `openIncident: one of ${SEVERITIES.join(', ')}`, input: item });
      return z.NEVER;
    }
  }
  context.addIssue({ code: 'custom', message: CONDITION_EXPECTED, input: item });
  return z.NEVER;
});

const policyConditions = z.array(policyConditionSchema, { error: `a list, each item ${CONDITION_EXPECTED}` });

/** The pull request label that exempts a freeze, or false: no label does. */
const exemptLabelSchema = z.union([nonEmptyString.max(100, { error: 'a label name of at most 100 characters' }), z.literal(false)], {
  error: 'a pull request label name, or false for none',
});

/** The merge policy's keys a service may set for itself (services[].policy); maintenance stays global (it names its services). */
const servicePolicySchema = strictObject({
  cautionBelow: ratio.optional(),
  freezeSeverity: severitySchema.optional(),
  freezeOn: policyConditions.optional(),
  cautionOn: policyConditions.optional(),
  exemptLabel: exemptLabelSchema.optional(),
});

const serviceSchema = strictObject({
  name: nonEmptyString,
  paths: z.array(globPattern, { error: 'a list of path globs' }).min(1, { error: 'at least one path glob' }),
  tagPattern: globPattern.optional(),
  policy: servicePolicySchema.optional(),
});

const optionValue = z.union([z.string(), z.array(z.string()), z.number(), z.boolean()], {
  error: 'a string, a list of strings, a number or true/false',
});

const INCIDENT_SOURCE_TYPES = ['file', 'pagerduty', 'github', 'opsgenie', 'alertmanager'] as const;
const SOURCE_TYPE_NAMES = INCIDENT_SOURCE_TYPES.join(', ');

const incidentSourceMapping = z
  .object(
    {
      type: z.enum(INCIDENT_SOURCE_TYPES, { error: `one of ${SOURCE_TYPE_NAMES}` }),
      url: httpUrl.optional(),
    },
    { error: `a source name (${SOURCE_TYPE_NAMES}) or a mapping with a type` },
  )
  // Each remote source has its own settings (repository, serviceIds, region...); they are kept, not warned about.
  .catchall(optionValue)
  .transform((source): IncidentSourceConfig => {
    const { type, url, ...options } = source;
    return url === undefined ? { type, options } : { type, url, options };
  });

/**
 * An entry of `incidents.sources`: a mapping, or a plain name as shorthand for `{type: NAME}` with the
 * defaults (DOMAIN.md section 1). An unknown name is left as it is, so the problem quotes it.
 * Settings a type cannot do without (alertmanager's url, github's repository) are checked by the
 * loader, which reports them at the entry (workspace/definitions.ts).
 */
const incidentSourceSchema = z.preprocess(
  (entry) => (typeof entry === 'string' && (INCIDENT_SOURCE_TYPES as readonly string[]).includes(entry) ? { type: entry } : entry),
  incidentSourceMapping,
);

/** A fixed duration such as `10m` or `1h` (no months), as ms. */
const fixedDuration = z.string({ error: 'a duration such as 10m or 1h' }).transform((text, context) => {
  const ms = fixedDurationMs(text);
  if (ms === null || !(ms > 0)) {
    context.addIssue({ code: 'custom', message: 'a duration such as 10m or 1h', input: text });
    return z.NEVER;
  }
  return ms;
});

const PROMETHEUS_URL_REQUIRED = 'slis.prometheus.url when slis.source is prometheus';

// policy.maintenance (DOMAIN.md section 6): samples in (start, end] leave the covered services' sums.
// Service names are checked against the workspace by the loader (a warning), not here.
const maintenanceWindowSchema = strictObject({
  start: isoTimeSchema,
  end: isoTimeSchema,
  services: z.array(nonEmptyString, { error: 'a list of service names' }).optional(),
}).superRefine((window, context) => {
  if (window.start >= window.end) {
    context.addIssue({ code: 'custom', message: `a time after start (${new Date(window.start).toISOString()})`, path: ['end'], input: window.end });
  }
});

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
      mode: z.enum(['auto', 'raw'], { error: 'one of auto, raw' }).default('auto'),
      // How often editors may query this server at most: the team that runs it sets the floor.
      minimumRefresh: fixedDuration.optional(),
      // Accepted and dropped: TLS verification is the user's switch, never the repository's; the
      // loader warns at this key (workspace/definitions.ts).
      insecureSkipVerify: z.unknown().optional().transform(() => undefined),
    })
      .transform(({ minimumRefresh, ...prometheus }) => ({ ...prometheus, minimumRefreshMs: minimumRefresh ?? null }))
      .optional(),
  })
    .prefault({})
    .superRefine((slis, context) => {
      if (slis.source === 'prometheus' && !slis.prometheus) {
        context.addIssue({ code: 'custom', message: PROMETHEUS_URL_REQUIRED, path: ['prometheus'], input: undefined });
      }
    }),
  policy: strictObject({
    cautionBelow: ratio.default(0.25),
    freezeSeverity: severitySchema.default('SEV2'),
    maintenance: z.array(maintenanceWindowSchema, { error: 'a list of maintenance windows, each {start, end, services?}' }).optional(),
    freezeOn: policyConditions.optional(),
    cautionOn: policyConditions.optional(),
    exemptLabel: exemptLabelSchema.optional(),
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
    if (result.success) {
      salvaged[section] = source[section];
      continue;
    }
    // A mistake in one service's own policy must not drop every service (the merge check would then
    // see a change touching none): the services stay, judged by the global policy.
    const withoutPolicies = section === 'services' ? servicesWithoutPolicies(source[section]) : null;
    if (withoutPolicies !== null && schema.safeParse(withoutPolicies).success) {
      salvaged[section] = withoutPolicies;
      defaulted.push('services[].policy');
    } else {
      defaulted.push(section);
    }
  }
  // Unknown top-level keys were left out above, so this parse only sees valid sections.
  return { config: configOutputIsWorkspaceConfig(workspaceConfigSchema.parse(salvaged)), defaulted };
}

/** The services list with each service's `policy` left out; null when it is not a list of mappings. */
function servicesWithoutPolicies(services: unknown): unknown[] | null {
  if (!Array.isArray(services)) return null;
  return services.map((service: unknown) => {
    if (service === null || typeof service !== 'object' || Array.isArray(service)) return service;
    const { policy: _policy, ...rest } = service as Record<string, unknown>;
    return rest;
  });
}

/**
 * What an incident source cannot work without, beyond its type: Alertmanager has no default address,
 * GitHub issues need the repository. The message is the one the source's state shows when it runs
 * (sources/remoteSources.ts, sources/githubSource.ts), so the file and the source say the same thing.
 */
export function missingIncidentSourceSetting(source: IncidentSourceConfig): string | null {
  if (source.type === 'alertmanager' && !source.url) return 'Alertmanager: set its url in config.yaml';
  if (source.type === 'github') {
    const repository = source.options.repository;
    if (typeof repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return 'GitHub: set `repository: owner/name` in config.yaml';
  }
  return null;
}

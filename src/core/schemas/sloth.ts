// Sloth specs (DOMAIN.md section 1), as zod schemas: the plain form (`version: prometheus/v1`) and the
// Kubernetes form (`apiVersion: sloth.slok.dev/v1`, `kind: PrometheusServiceLevel`, the same under
// `spec`). The two spell some keys differently (`error_query` / `errorQuery`); both give one SlothSlo.
import { z } from 'zod';
import { boundedNumber, nonEmptyString, strictObject, stringMap, textMap } from './common';

/** Sloth SLOs have no window in the spec; Sloth's own default period is 30 days. */
export const SLOTH_DEFAULT_WINDOW = '30d';

export const SLOTH_KUBERNETES_API_VERSION = 'sloth.slok.dev/v1';
export const SLOTH_KUBERNETES_KIND = 'PrometheusServiceLevel';

/** What a Sloth SLO's SLI is: events (bad and total), a raw error ratio, or a plugin we cannot run. */
export type SlothSli =
  | { kind: 'events'; errorQuery: string; totalQuery: string }
  | { kind: 'raw'; errorRatioQuery: string }
  | { kind: 'plugin'; id: string };

export interface SlothSlo {
  name: string;
  /** Percent, as written (99.9). */
  objective: number;
  description?: string;
  labels?: Record<string, string>;
  sli: SlothSli;
  /** Sloth makes no alert of a tier whose `disable` is true; the SLO then alerts on the others only. */
  pageAlertDisabled: boolean;
  ticketAlertDisabled: boolean;
}

/** The spellings of the keys that differ between the plain and the Kubernetes form. */
interface SlothKeys {
  errorQuery: string;
  totalQuery: string;
  errorRatioQuery: string;
  pageAlert: string;
  ticketAlert: string;
}

const PLAIN_KEYS: SlothKeys = { errorQuery: 'error_query', totalQuery: 'total_query', errorRatioQuery: 'error_ratio_query', pageAlert: 'page_alert', ticketAlert: 'ticket_alert' };
const KUBERNETES_KEYS: SlothKeys = { errorQuery: 'errorQuery', totalQuery: 'totalQuery', errorRatioQuery: 'errorRatioQuery', pageAlert: 'pageAlert', ticketAlert: 'ticketAlert' };

// Keys Sloth reads that change nothing here (rule intervals, plugins of the rule generator, info
// labels): accepted without a warning, so a spec copied from Sloth's examples loads cleanly.
const IGNORED = z.unknown().optional();

const slothAlertSchema = strictObject({
  disable: z.boolean({ error: 'true or false' }).optional(),
  labels: textMap.optional(),
  annotations: stringMap.optional(),
  // Sloth's examples set how long a page or ticket condition must hold; not evaluated (DOMAIN.md section 2).
  for: IGNORED,
});

function slothSloSchemaWith(keys: SlothKeys) {
  const sli = strictObject({
    events: strictObject({ [keys.errorQuery]: nonEmptyString, [keys.totalQuery]: nonEmptyString }).optional(),
    raw: strictObject({ [keys.errorRatioQuery]: nonEmptyString }).optional(),
    plugin: strictObject({ id: nonEmptyString, options: IGNORED }).optional(),
  })
    .superRefine((value, context) => {
      const written = (['events', 'raw', 'plugin'] as const).filter((kind) => value[kind] !== undefined);
      if (written.length !== 1) {
        const got = written.length === 0 ? 'none of them' : written.join(' and ');
        context.addIssue({ code: 'custom', message: 'one of events, raw or plugin', input: value, params: { got } });
      }
    })
    .transform((value): SlothSli => {
      if (value.events) return { kind: 'events', errorQuery: value.events[keys.errorQuery] as string, totalQuery: value.events[keys.totalQuery] as string };
      if (value.raw) return { kind: 'raw', errorRatioQuery: value.raw[keys.errorRatioQuery] as string };
      return { kind: 'plugin', id: (value.plugin as { id: string }).id };
    });

  return strictObject({
    name: nonEmptyString,
    objective: boundedNumber('a percentage between 0 and 100, such as 99.9', 0, 100, false),
    description: z.string({ error: 'a string' }).optional(),
    labels: textMap.optional(),
    infoLabels: IGNORED,
    sli,
    alerting: strictObject({
      name: nonEmptyString.optional(),
      labels: textMap.optional(),
      annotations: stringMap.optional(),
      [keys.pageAlert]: slothAlertSchema.optional(),
      [keys.ticketAlert]: slothAlertSchema.optional(),
    }).optional(),
    interval: IGNORED,
    plugins: IGNORED,
  }).transform((slo): SlothSlo => {
    const alerting = slo.alerting as Record<string, { disable?: boolean } | undefined> | undefined;
    const mapped: SlothSlo = {
      name: slo.name,
      objective: slo.objective,
      sli: slo.sli,
      pageAlertDisabled: alerting?.[keys.pageAlert]?.disable === true,
      ticketAlertDisabled: alerting?.[keys.ticketAlert]?.disable === true,
    };
    if (slo.description !== undefined) mapped.description = slo.description;
    if (slo.labels !== undefined) mapped.labels = slo.labels;
    return mapped;
  });
}

/** One SLO of a plain spec's `slos` (validated one by one, so one broken SLO does not hide its siblings). */
export const slothSloSchema = slothSloSchemaWith(PLAIN_KEYS);
/** One SLO of a PrometheusServiceLevel's `spec.slos`. */
export const slothKubernetesSloSchema = slothSloSchemaWith(KUBERNETES_KEYS);

const SLOS = z.array(z.unknown(), { error: 'a list of SLOs' }).min(1, { error: 'at least one SLO' });

export const slothSpecSchema = strictObject({
  version: z.literal('prometheus/v1', { error: '"prometheus/v1"' }),
  service: nonEmptyString,
  labels: textMap.optional(),
  slo_plugins: IGNORED,
  slos: SLOS,
});

export const slothKubernetesSchema = strictObject({
  apiVersion: z.literal(SLOTH_KUBERNETES_API_VERSION, { error: JSON.stringify(SLOTH_KUBERNETES_API_VERSION) }),
  kind: z.literal(SLOTH_KUBERNETES_KIND, { error: JSON.stringify(SLOTH_KUBERNETES_KIND) }),
  // Kubernetes object metadata (name, namespace, labels...): the SLOs' service is spec.service.
  metadata: IGNORED,
  spec: strictObject({
    service: nonEmptyString,
    labels: textMap.optional(),
    sloPlugins: IGNORED,
    slos: SLOS,
  }),
});

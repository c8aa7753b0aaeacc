// Sloth prometheus/v1 specs (DOMAIN.md section 1), as zod schemas.
import { z } from 'zod';
import { boundedNumber, nonEmptyString, strictObject, stringMap } from './common';

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

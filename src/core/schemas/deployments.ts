// deployments.yaml (DOMAIN.md section 1), as zod schemas.
import { z } from 'zod';
import { isoTimeSchema, nonEmptyString, strictObject } from './common';

export const deploymentsFileSchema = strictObject({
  deployments: z.array(z.unknown(), { error: 'a list of deployments' }).nullable().transform((list) => list ?? []),
});

export const deploymentEntrySchema = strictObject({
  name: nonEmptyString,
  commit: z
    .string({ error: 'a commit SHA or git ref' })
    .regex(/^\S+$/, { error: 'a commit SHA or git ref (no spaces)' }),
  time: isoTimeSchema,
  services: z.array(nonEmptyString, { error: 'a list of service names' }).optional(),
});

export type DeploymentEntry = z.output<typeof deploymentEntrySchema>;

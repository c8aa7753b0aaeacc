// incidents.yaml (DOMAIN.md section 1), as zod schemas whose output is a model.ts Incident.
import { z } from 'zod';
import type { Incident, Severity } from '../model';
import { httpUrl, isoTimeSchema, nonEmptyString, severitySchema, strictObject } from './common';

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
  startedAt: isoTimeSchema,
  resolvedAt: isoTimeSchema.nullable().optional(),
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

// Records a server answers with (incidents, alerts, deployments) are checked one at a time: a record
// that cannot be read is left out with a plain reason naming it and its field, and the others still
// count. Dropping it silently would be worse than failing: an open SEV1 with an unreadable start time
// would vanish and a merge would go ahead. The source then reports `failing` with the reasons while
// still contributing its valid records (remoteSources.ts).
import { z } from 'zod';
import type { Incident } from '../../core/model';
import { ISO_TIME_EXPECTED } from '../../core/schemas/common';
import { parseIsoTime } from '../../core/isoTime';

/** Valid records and one plain reason per record left out. */
export interface CheckedRecords<T> {
  records: T[];
  problems: string[];
}

/** An ISO 8601 time from a server, as epoch ms; anything else is an issue at that field. */
export const remoteTime = z.string({ error: ISO_TIME_EXPECTED }).transform((text, context) => {
  const epochMs = parseIsoTime(text);
  if (epochMs === null || !Number.isFinite(epochMs)) {
    context.addIssue({ code: 'custom', message: ISO_TIME_EXPECTED, input: text });
    return z.NEVER;
  }
  return epochMs;
});

/** A string with something in it (ids, names). */
export const nonEmptyText = z.string().refine((text) => text.trim() !== '', { error: 'a non-empty string' });

/** A whole number >= 0 (incident numbers, ids); JSON can carry 1e999 or 1.5 where an id belongs. */
const WHOLE_NUMBER = 'a whole number >= 0';
export const recordNumber = z
  .number({ error: WHOLE_NUMBER })
  .int({ error: WHOLE_NUMBER })
  .nonnegative({ error: WHOLE_NUMBER })
  .max(Number.MAX_SAFE_INTEGER, { error: WHOLE_NUMBER });

/**
 * Checks each item of a page against `schema`. `name` says which record a problem is about (e.g.
 * `incident PD-12`), read from the raw item because an invalid one has no parsed form.
 */
export function checkRecords<T>(items: readonly unknown[], schema: z.ZodType<T>, name: (item: unknown, index: number) => string): CheckedRecords<T> {
  const checked: CheckedRecords<T> = { records: [], problems: [] };
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item, { error: expectedPhrase });
    if (parsed.success) checked.records.push(parsed.data);
    else checked.problems.push(`${name(item, index)}: ${issueText(parsed.error.issues[0], item)}`);
  });
  return checked;
}

/** Adds another page's (or request's) records and problems to `into`. */
export function mergeChecked<T>(into: CheckedRecords<T>, more: CheckedRecords<T>): void {
  // Loops, not push(...): a page may hold more records than a call takes arguments.
  for (const record of more.records) into.records.push(record);
  for (const problem of more.problems) into.problems.push(problem);
}

/**
 * A field of a raw record that names it in a problem (an id, a number), or undefined when it is
 * missing or does not look like an id: a problem message never carries arbitrary server text here.
 */
export function recordLabel(item: unknown, field: string): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = (item as Record<string, unknown>)[field];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^[\w.:-]{1,64}$/.test(value)) return value;
  return undefined;
}

/** `incident PD-12`, or the record's place in its page when it has no readable id. */
export function recordName(what: string, label: string | undefined, index: number): string {
  return label !== undefined ? `${what} ${label}` : `${what} at position ${index + 1} of a page`;
}

/**
 * What must hold of every incident whatever its source, checked once for all of them: times that are
 * finite numbers and a resolution that does not precede the start (it would make restore times
 * negative). Null when the incident is sound.
 */
export function incidentFault(incident: Incident): string | null {
  if (incident.id.trim() === '') return 'incident without an id';
  if (!Number.isFinite(incident.startedAt)) return `incident ${incident.id}: its start time is not a time`;
  if (incident.resolvedAt !== null && !Number.isFinite(incident.resolvedAt)) return `incident ${incident.id}: its resolution time is not a time`;
  if (incident.resolvedAt !== null && incident.resolvedAt < incident.startedAt) {
    return `incident ${incident.id}: resolved at ${new Date(incident.resolvedAt).toISOString()}, before it started at ${new Date(incident.startedAt).toISOString()}`;
  }
  if (incident.service.trim() === '') return `incident ${incident.id}: no service`;
  return null;
}

/** Splits incidents into the sound ones and a reason for each that is not. */
export function checkIncidents(incidents: readonly Incident[]): CheckedRecords<Incident> {
  const checked: CheckedRecords<Incident> = { records: [], problems: [] };
  for (const incident of incidents) {
    const fault = incidentFault(incident);
    if (fault === null) checked.records.push(incident);
    else checked.problems.push(fault);
  }
  return checked;
}

/** `field: expected X, got "Y"`, with the server's value quoted and shortened. */
function issueText(issue: z.core.$ZodIssue | undefined, item: unknown): string {
  if (!issue) return 'unreadable';
  const path = issue.path.map(String).join('.');
  let value: unknown = item;
  for (const key of issue.path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return `${path === '' ? 'the record' : path}: expected ${issue.message}, got ${foundText(value)}`;
}

/**
 * The expected half of a problem, for issues whose schema gave no message of its own (schema-level
 * messages take precedence over this per-parse map, as zod documents).
 */
function expectedPhrase(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return 'a valid value';
  }
}

function foundText(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return shortValue(value);
  // JSON.stringify would print Infinity (JSON's 1e999) as null.
  if (typeof value === 'number') return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** A server's text as it may appear in a message: JSON-quoted (control characters escaped), at most 60 characters. */
function shortValue(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

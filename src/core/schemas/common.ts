// Building blocks the schemas of every `.reliability/` document share (DOMAIN.md section 1).
//
// Every custom message in the schemas is the *expected* half of a problem ("a number between 0 and 1"):
// the YAML loader prefixes the path and appends what was actually found, so messages stay uniform.
import { z } from 'zod';
import { MAX_GLOB_LENGTH } from '../glob';
import { SEVERITIES } from '../model';
import { parseIsoTime } from '../isoTime';

/**
 * A strict object whose unknown-key issue lists the keys that are allowed, so the warning can say
 * what was expected. Unknown keys are reported as warnings by the loader, not as errors.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `one of the keys ${allowed}`;
      if (issue.code === 'invalid_type') return `a mapping with keys ${allowed}`;
      return undefined;
    },
  });
}

export const nonEmptyString = z.string({ error: 'a string' }).min(1, { error: 'a non-empty string' });

export const stringMap = z.record(z.string(), z.string({ error: 'a string' }), { error: 'a mapping of strings' });

/**
 * Labels as users write them: `generated: true` or `tier: 2` are read as the text "true" and "2"
 * (Kubernetes and Prometheus labels are text), an empty value as "".
 */
export const textMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'a text, number or true/false' }).transform((value) => (value === null ? '' : String(value))),
  { error: 'a mapping of labels' },
);

export function boundedNumber(expected: string, min: number, max: number, maxInclusive: boolean) {
  const number = z.number({ error: expected }).gt(min, { error: expected });
  return maxInclusive ? number.lte(max, { error: expected }) : number.lt(max, { error: expected });
}

const HTTP_URL = 'an http(s) URL';
export const httpUrl = z.string({ error: HTTP_URL }).refine(
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

/** `99.9 / 100` is 0.9990000000000001 in binary floating point; objectives must compare exactly. */
export function percentToRatio(percent: number): number {
  return Number((percent / 100).toPrecision(15));
}

export const severitySchema = z.enum(SEVERITIES, { error: `one of ${SEVERITIES.join(', ')}` });

// A glob is matched against every path or tag; its length bounds what matching one costs (glob.ts).
export const globPattern = nonEmptyString.max(MAX_GLOB_LENGTH, { error: `a glob of at most ${MAX_GLOB_LENGTH} characters` });

// ---- Times ------------------------------------------------------------------------------------------

export const ISO_TIME_EXPECTED = 'an ISO 8601 time such as "2026-03-01T12:00:00Z"';

/** An ISO 8601 time read by the one parser (isoTime.ts: no zone means UTC), as epoch ms. */
export const isoTimeSchema = z.string({ error: ISO_TIME_EXPECTED }).transform((text, context) => {
  const epochMs = parseIsoTime(text);
  if (epochMs === null) {
    context.addIssue({ code: 'custom', message: ISO_TIME_EXPECTED, input: text });
    return z.NEVER;
  }
  return epochMs;
});

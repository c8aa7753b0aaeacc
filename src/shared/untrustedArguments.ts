// Building blocks for checking what crosses into the extension host from outside its own code: the
// arguments of a command (a markdown command link's arguments are JSON in a URI, which whoever wrote
// the markdown chose) and the messages of the dashboard's webview. Each check is a zod schema like
// every other input; the ones here are shared so the two boundaries apply one rule:
//   - objects are plain (no prototype but Object's, so nothing is read through a prototype chain) and
//     strict (an unexpected key, `__proto__` and `constructor` included, makes the whole value invalid);
//   - text is bounded (a path is at most PATH_MAX, 4096 bytes on Linux) and holds no NUL character;
//   - a problem is described by where and what was expected, never by echoing the value.
// Pure: no vscode, no I/O.
import { z } from 'zod';

/** The longest text an argument or message may carry: a path, an id, a service name, a query. */
export const MAX_ARGUMENT_TEXT = 4096;

/** How many issues a problem description names before "and N more". */
const ISSUES_SHOWN = 3;

/** Non-empty, bounded text without NUL characters. */
export const argumentText = z
  .string({ error: 'text' })
  .min(1, { error: 'non-empty text' })
  .max(MAX_ARGUMENT_TEXT, { error: `text of at most ${MAX_ARGUMENT_TEXT} characters` })
  .refine((text) => !text.includes('\0'), { error: 'text without NUL characters' });

/** True for `{...}` literals, JSON.parse results and structured clones; false for arrays, class instances and objects with another prototype. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A plain object with exactly the keys of `shape` (optional ones may be absent). */
export function plainObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z
    .custom<Record<string, unknown>>(isPlainObject, { error: `an object with keys ${allowed}` })
    .pipe(
      z.strictObject(shape, {
        error: (issue) => (issue.code === 'unrecognized_keys' ? `only the keys ${allowed}` : undefined),
      }),
    );
}

/** What was wrong, by path and expectation: `ids.0: text; line: an integer from 0 to 10000000`. */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, ISSUES_SHOWN).map((issue) => {
    const where = issue.path.map(String).join('.');
    // Key names come from the value itself: bounded, so a huge key does not flood the log.
    const message = issue.code === 'unrecognized_keys' ? `${issue.message} (not ${issue.keys.map(shortKey).join(', ')})` : issue.message;
    return where ? `${where}: ${message}` : message;
  });
  const more = error.issues.length > ISSUES_SHOWN ? `; and ${error.issues.length - ISSUES_SHOWN} more` : '';
  return `expected ${described.join('; ')}${more}`;
}

function shortKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

// The one error type every remote source throws. Its message is meant for people: it names the
// source, the host and what went wrong in plain words, and is shown as-is in the tree, the status
// bar and on the CLI's stderr. It never carries a stack trace, a response body dump or a token.

export type SourceErrorReason =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'bad-request'
  | 'timeout'
  | 'cancelled'
  | 'unreachable'
  | 'tls'
  | 'html-instead-of-json'
  | 'malformed-json'
  | 'unexpected-shape'
  | 'query-error'
  | 'too-many-redirects'
  | 'too-large'
  | 'configuration';

export class SourceError extends Error {
  override readonly name = 'SourceError';

  constructor(
    /** Human name of the source, e.g. `PagerDuty`. */
    readonly source: string,
    /** `host[:port]` the source talks to; never a URL with credentials. */
    readonly host: string,
    readonly reason: SourceErrorReason,
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number,
  ) {
    super(message);
    // Loggers print `stack`; keep it to the plain message so no internals (or, through them, a
    // header value) ever reach an output channel or a CI log.
    this.stack = `${this.name}: ${message}`;
  }
}

export function isSourceError(value: unknown): value is SourceError {
  return value instanceof SourceError;
}

/** Removes every occurrence of each secret from a text meant for people. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let redacted = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; real tokens are long.
    if (secret && secret.length >= 4) redacted = redacted.split(secret).join('***');
  }
  return redacted;
}

/** The plain reason of any failure, for a SourceState message. */
export function plainReason(error: unknown, fallbackSource: string): string {
  if (isSourceError(error)) return error.message;
  if (error instanceof Error) return `${fallbackSource} failed: ${error.message}`;
  return `${fallbackSource} failed`;
}

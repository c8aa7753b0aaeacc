// The pull request a GitHub Actions job runs for, from the event payload the runner writes to
// GITHUB_EVENT_PATH. The payload is data from GitHub about someone else's change (a branch name, labels
// a stranger may not set but anyone can name): validated, and only the fields the gate reads kept.
import { z } from 'zod';

export interface PullRequestEvent {
  number: number;
  /** The branch the pull request merges into, e.g. `main`. */
  baseRef: string;
  /** The pull request's own last commit (the job's HEAD is usually a synthetic merge commit). */
  headSha: string;
  /** Names of the labels on the pull request. */
  labels: string[];
}

const PULL_REQUEST = z.object({
  number: z.number().int().positive(),
  base: z.object({ ref: z.string().min(1) }),
  head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'expected a full commit SHA') }),
  labels: z.array(z.object({ name: z.string() })).default([]),
});

const EVENT = z.object({ pull_request: PULL_REQUEST.optional() });

export class EventPayloadError extends Error {
  override name = 'EventPayloadError';
}

/**
 * The pull request of an event payload (JSON text), or null for an event without one (a push, a
 * manual run): the gate then compares with the `base` input or the default branch.
 */
export function parsePullRequestEvent(text: string, file: string): PullRequestEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EventPayloadError(`the event payload ${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = EVENT.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventPayloadError(`the event payload ${file} is not a pull request event as GitHub sends it: ${issue.path.join('.')}: ${issue.message}`);
  }
  const pullRequest = parsed.data.pull_request;
  if (pullRequest === undefined) return null;
  return { number: pullRequest.number, baseRef: pullRequest.base.ref, headSha: pullRequest.head.sha, labels: pullRequest.labels.map((label) => label.name) };
}

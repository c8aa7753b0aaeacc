// The Action's optional pull request comment (input `comment: true`): one comment per pull request,
// updated in place on every run, found again by a hidden marker at the start of its body. It talks to
// GITHUB_API_URL with the job's token through the sources' HTTP client (deadlines, size cap, token
// pinned to its origin). A comment is a courtesy: when it cannot be written (a fork's read-only
// token, a missing `pull-requests: write` permission, GitHub down) the caller warns and the gate
// stands as it is.
import { z } from 'zod';
import type { HttpClient } from '../../sources/http/httpClient';
import { linkWithRelation } from '../../sources/http/linkHeader';
import { GITHUB_ACCEPT } from '../../sources/githubSource';

/** The first line of the comment: invisible in the rendered comment, it says which comment is ours. */
export const COMMENT_MARKER = '<!-- reliability-lens: merge gate -->';

/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARACTERS = 65_536;

/** A safety bound on paging: 50 pages of 100 comments. */
const MAX_PAGES = 50;
const HEADERS = { Accept: GITHUB_ACCEPT, 'X-GitHub-Api-Version': '2022-11-28' };

const comment = z.object({ id: z.number().int().positive(), body: z.string().nullable().optional() }).loose();
const commentPage = z.array(comment);

export type CommentOutcome = { action: 'created' | 'updated'; id: number };

/** The comment's body: the marker, then the report, cut to GitHub's limit with a note when longer. */
export function commentBody(markdown: string): string {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  if (body.length <= MAX_COMMENT_CHARACTERS) return body;
  const note = '\n\n… cut to fit a comment; the job summary has the whole report.\n';
  return body.slice(0, MAX_COMMENT_CHARACTERS - note.length) + note;
}

/**
 * Creates the pull request's comment, or updates the one an earlier run made (the first whose body
 * starts with the marker). `repository` is `owner/name`.
 */
export async function upsertPullRequestComment(client: HttpClient, repository: string, pullRequest: number, markdown: string): Promise<CommentOutcome> {
  const path = `repos/${repository}/issues/${pullRequest}/comments`;
  const existing = await findComment(client, path);
  const body = commentBody(markdown);
  if (existing !== null) {
    await client.request({ method: 'PATCH', path: `repos/${repository}/issues/comments/${existing}`, json: { body }, headers: HEADERS }, comment);
    return { action: 'updated', id: existing };
  }
  const created = await client.request({ method: 'POST', path, json: { body }, headers: HEADERS }, comment);
  return { action: 'created', id: created.data.id };
}

async function findComment(client: HttpClient, path: string): Promise<number | null> {
  let next: string | null = path;
  let query: Record<string, number> | undefined = { per_page: 100 };
  for (let page = 0; next !== null && page < MAX_PAGES; page++) {
    const response = await client.request({ path: next, query, headers: HEADERS }, commentPage);
    const ours = response.data.find((candidate) => candidate.body?.startsWith(COMMENT_MARKER));
    if (ours) return ours.id;
    // The next link is absolute and carries every parameter.
    next = linkWithRelation(response.headers.link, 'next');
    query = undefined;
  }
  return null;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** GITHUB_REPOSITORY (`owner/name`) checked before it becomes part of a request path. */
export function repositoryName(value: string | undefined): string | null {
  return value !== undefined && REPOSITORY.test(value) && !value.split('/').some((part) => part === '.' || part === '..') ? value : null;
}

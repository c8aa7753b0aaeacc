// GitHub's REST API for issue comments, as documented for the calls the Action's pull request comment
// makes: list a pull request's comments (`GET /repos/{owner}/{repo}/issues/{number}/comments`,
// `per_page` up to 100, `page`, a `Link` header with `next` and `last`), create one (`POST`, 201),
// update one (`PATCH /repos/{owner}/{repo}/issues/comments/{id}`, 200); `Authorization: Bearer TOKEN`
// or 401 "Bad credentials"; and, for a token without write access, 403 "Resource not accessible by
// integration" on writes, as a fork's read-only GITHUB_TOKEN gets.
import { sendJson } from './fakeServer';
import type { FakeHandler } from './fakeServer';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
}

export interface CommentsFake {
  comments: FakeComment[];
  /** Writes answer 403, as for a read-only token. */
  readOnly: boolean;
}

export function gitHubCommentsHandler(repository: string, pullRequest: number, token: string, state: CommentsFake, origin: () => string): FakeHandler {
  const list = `/repos/${repository}/issues/${pullRequest}/comments`;
  const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`);
  let nextId = 1_000_000;
  return (request, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      sendJson(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const forbidden = () => sendJson(response, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/issues/comments', status: '403' });
    if (request.path === list && request.method === 'GET') {
      const perPage = Math.min(100, Number(request.query.get('per_page') ?? 30));
      const page = Number(request.query.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(state.comments.length / perPage));
      const headers: Record<string, string> = {};
      if (page < last) {
        const url = (n: number) => `${origin()}${list}?per_page=${perPage}&page=${n}`;
        headers.Link = `<${url(page + 1)}>; rel="next", <${url(last)}>; rel="last"`;
      }
      sendJson(response, 200, state.comments.slice((page - 1) * perPage, page * perPage), headers);
      return;
    }
    if (request.path === list && request.method === 'POST') {
      if (state.readOnly) return forbidden();
      const created: FakeComment = { id: nextId++, body: JSON.parse(request.body).body, user: { login: 'github-actions[bot]', type: 'Bot' } };
      state.comments.push(created);
      sendJson(response, 201, created);
      return;
    }
    const match = one.exec(request.path);
    const existing = match && state.comments.find((comment) => comment.id === Number(match[1]));
    if (existing && request.method === 'PATCH') {
      if (state.readOnly) return forbidden();
      existing.body = JSON.parse(request.body).body;
      sendJson(response, 200, existing);
      return;
    }
    sendJson(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };
}

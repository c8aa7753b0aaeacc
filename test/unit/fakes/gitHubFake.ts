// GitHub REST API as documented for the calls githubSource makes: issues filtered by label and
// state, deployments filtered by environment, deployment statuses, the repository; `per_page` (max
// 100) and `page` paging with a `Link` header; `Authorization: Bearer TOKEN`, 401 "Bad credentials".
import { sendJson } from './fakeServer';
import type { FakeHandler, RecordedRequest } from './fakeServer';

export interface FakeIssue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  created_at: string;
  closed_at: string | null;
  labels: Array<{ name: string }>;
  pull_request?: { url: string };
}

export interface FakeDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  created_at: string;
  payload: unknown;
  statuses: Array<{ id: number; state: string; created_at: string }>;
}

export interface FakeRepository {
  owner: string;
  name: string;
  issues: FakeIssue[];
  deployments: FakeDeployment[];
}

export function gitHubHandler(repository: FakeRepository, token: string, origin: () => string): FakeHandler {
  const base = `/repos/${repository.owner}/${repository.name}`;
  return (request, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      sendJson(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const paged = <T>(items: T[]) => {
      const perPage = Math.min(100, Number(request.query.get('per_page') ?? 30));
      const page = Number(request.query.get('page') ?? 1);
      const slice = items.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < items.length) headers.Link = linkTo(request, origin(), page + 1, Math.ceil(items.length / perPage));
      sendJson(response, 200, slice, headers);
    };
    if (request.path === base) {
      sendJson(response, 200, { id: 1, full_name: `${repository.owner}/${repository.name}` });
    } else if (request.path === `${base}/issues`) {
      const label = request.query.get('labels');
      const state = request.query.get('state') ?? 'open';
      paged(
        repository.issues
          .filter((issue) => !label || issue.labels.some((entry) => entry.name === label))
          .filter((issue) => state === 'all' || issue.state === state)
          .map((issue) => ({ ...issue, html_url: `https://github.com${base}/issues/${issue.number}` })),
      );
    } else if (request.path === `${base}/deployments`) {
      const environment = request.query.get('environment');
      paged(
        repository.deployments
          .filter((deployment) => !environment || deployment.environment === environment)
          .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
          .map(({ statuses: _statuses, ...deployment }) => deployment),
      );
    } else {
      const statuses = new RegExp(`^${base}/deployments/(\\d+)/statuses$`).exec(request.path);
      const deployment = statuses && repository.deployments.find((item) => item.id === Number(statuses[1]));
      if (deployment) paged([...deployment.statuses].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)));
      else sendJson(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
  };
}

function linkTo(request: RecordedRequest, origin: string, next: number, last: number): string {
  const url = (page: number) => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(page));
    return `${origin}${request.path}?${query.toString()}`;
  };
  return `<${url(next)}>; rel="next", <${url(last)}>; rel="last"`;
}

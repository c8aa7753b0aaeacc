// GitHub as an incident source (issues carrying an incident label) and as a deployment source
// (the Deployments API with its statuses). REST API v3, `per_page=100`, paging by the `Link`
// header; the API base is configurable for GitHub Enterprise Server (`https://HOST/api/v3`).
//
// Issues -> incidents:
//   id          #<number>, as GitHub writes it, so "Fixes #12" in a commit names the incident
//   severity    a label `SEV1`..`SEV5` (also `sev-2`, `P2`); none -> SEV3
//   service     a label `service:NAME`; none -> option `defaultService` (default `unassigned`)
//   startedAt   created_at; resolvedAt: closed_at (an issue reopened later is open again)
// Pull requests come back from the issues endpoint too and are skipped.
//
// Deployments: a deployment counts once one of its statuses is `success`; its time is that status's
// created_at (the earliest success, when it was redeployed). It deploys the services named in its
// payload (`service` or `services`) when those are known services, else every service, like a
// workspace-wide tag.
//
// Each issue, deployment and deployment status is checked on its own (http/remoteRecords.ts): one
// with an unreadable time or a commit that is not a SHA is left out with the reason, and the others
// still count.
import { z } from 'zod';
import type { Deployment, Incident, IncidentSourceConfig, Severity } from '../core/model';
import type { HttpClient, HttpResponse, QueryParams } from './http/httpClient';
import { linkWithRelation } from './http/linkHeader';
import { checkRecords, mergeChecked, recordLabel, recordName, recordNumber, remoteTime } from './http/remoteRecords';
import type { CheckedRecords } from './http/remoteRecords';
import { SourceError } from './http/sourceError';
import { explicitSeverity, optionString } from './http/sourceOptions';

export const GITHUB_ACCEPT = 'application/vnd.github+json';
const DAY_MS = 86_400_000;
/** A safety bound: 50 pages of 100 is far more incident issues than a repository has. */
const MAX_PAGES = 50;

const label = z.union([z.string(), z.object({ name: z.string() }).loose()]);
const issue = z
  .object({
    number: recordNumber,
    title: z.string(),
    state: z.enum(['open', 'closed']),
    html_url: z.string(),
    created_at: remoteTime,
    closed_at: remoteTime.nullable(),
    labels: z.array(label),
    pull_request: z.unknown().optional(),
  })
  .loose();
/** A deployed commit is handed to git later, so it must be a full SHA and nothing else. */
const commitSha = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i, { error: 'a full commit SHA (40 or 64 hex digits)' });
const deployment = z
  .object({
    id: recordNumber,
    sha: commitSha,
    ref: z.string(),
    environment: z.string().optional(),
    created_at: remoteTime,
    payload: z.unknown().optional(),
  })
  .loose();
const deploymentStatus = z.object({ id: recordNumber, state: z.string(), created_at: remoteTime }).loose();
/** A page is a list, checked as a whole; its records one by one. */
const anyPage = z.array(z.unknown());
const repositoryResponse = z.object({ full_name: z.string() }).loose();

export interface GitHubIssueOptions {
  /** `owner/name`. */
  repository: string;
  /** Label marking an issue as an incident. Default `incident`. */
  label: string;
  defaultService: string;
}

export interface GitHubDeploymentOptions {
  repository: string;
  /** Only deployments to this environment (e.g. `production`); all when absent. */
  environment?: string;
  /** How far back to read deployments. Default 180 days. */
  days: number;
  /** Every configured service, deployed by a deployment that names none. */
  services: readonly string[];
}

export function gitHubIssueOptions(source: IncidentSourceConfig): GitHubIssueOptions {
  return {
    repository: requireRepository(optionString(source.options, 'repository')),
    label: optionString(source.options, 'label') ?? 'incident',
    defaultService: optionString(source.options, 'defaultService') ?? 'unassigned',
  };
}

export function requireRepository(repository: string | undefined): string {
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new SourceError('GitHub', 'github', 'configuration', 'GitHub: set `repository: owner/name` in config.yaml');
  }
  return repository;
}

export function severityFromLabels(labels: readonly string[]): Severity {
  for (const name of labels) {
    const severity = explicitSeverity(name);
    if (severity) return severity;
  }
  return 'SEV3';
}

export function serviceFromLabels(labels: readonly string[]): string | undefined {
  for (const name of labels) {
    const match = /^service:\s*(.+)$/i.exec(name.trim());
    if (match) return match[1].trim();
  }
  return undefined;
}

export async function fetchGitHubIncidents(client: HttpClient, options: GitHubIssueOptions): Promise<CheckedRecords<Incident>> {
  const issues = await allPages(
    client,
    `repos/${options.repository}/issues`,
    { labels: options.label, state: 'all', sort: 'created', direction: 'desc' },
    (items) => checkRecords(items, issue, (item, index) => recordName('issue', withPrefix('#', recordLabel(item, 'number')), index)),
  );
  const incidents: CheckedRecords<Incident> = { records: [], problems: issues.problems };
  for (const item of issues.records) {
    if (item.pull_request !== undefined) continue;
    const labels = item.labels.map((entry) => (typeof entry === 'string' ? entry : entry.name));
    if (item.state === 'closed' && item.closed_at === null) {
      // Taken as open it could freeze merges; it is closed, we just cannot say when.
      incidents.problems.push(`issue #${item.number}: state is closed, but closed_at is null`);
      continue;
    }
    incidents.records.push({
      id: `#${item.number}`,
      title: item.title,
      severity: severityFromLabels(labels),
      service: serviceFromLabels(labels) ?? options.defaultService,
      startedAt: item.created_at,
      // An issue reopened later still carries its old closed_at: open means open.
      resolvedAt: item.state === 'closed' ? item.closed_at : null,
      url: item.html_url,
      commits: [],
      files: [],
      source: 'github',
    });
  }
  return incidents;
}

export async function fetchGitHubDeployments(
  client: HttpClient,
  options: GitHubDeploymentOptions,
  now: number,
): Promise<CheckedRecords<Deployment>> {
  const cutoff = now - options.days * DAY_MS;
  // Newest first; paging stops at the first page reaching past the cutoff.
  const deployments = await allPages(
    client,
    `repos/${options.repository}/deployments`,
    { environment: options.environment },
    (items) => checkRecords(items, deployment, (item, index) => recordName('deployment', recordLabel(item, 'id'), index)),
    (page) => page.some((item) => item.created_at < cutoff),
  );
  const problems = [...deployments.problems];
  const recent = deployments.records.filter((item) => item.created_at >= cutoff);
  // One statuses request per deployment; the client's per-host cap keeps this polite.
  const results = await Promise.all(
    recent.map(async (item): Promise<Deployment | null> => {
      const statuses = await allPages(client, `repos/${options.repository}/deployments/${item.id}/statuses`, {}, (items) =>
        checkRecords(items, deploymentStatus, (status, index) => `deployment ${item.id} ${recordName('status', recordLabel(status, 'id'), index)}`),
      );
      for (const problem of statuses.problems) problems.push(problem); // not push(...): unbounded
      const successTimes = statuses.records.filter((status) => status.state === 'success').map((status) => status.created_at);
      if (successTimes.length === 0) return null;
      const time = successTimes.reduce((earliest, created) => Math.min(earliest, created)); // not Math.min(...): unbounded
      // A deployment after `now` does not exist yet (DOMAIN.md section 3).
      if (time > now) return null;
      return {
        name: String(item.id),
        commit: item.sha,
        time,
        services: deployedServices(item.payload, options.services),
        source: 'github',
      };
    }),
  );
  return { records: results.filter((item): item is Deployment => item !== null).sort((a, b) => a.time - b.time), problems };
}

/** GET /repos/{repository}, for the `sources` command. */
export async function checkGitHub(client: HttpClient, repository: string): Promise<void> {
  await client.request({ path: `repos/${repository}`, headers: { Accept: GITHUB_ACCEPT } }, repositoryResponse);
}

function deployedServices(payload: unknown, services: readonly string[]): string[] {
  if (typeof payload === 'object' && payload !== null) {
    const record = payload as Record<string, unknown>;
    const named = Array.isArray(record.services) ? record.services : typeof record.service === 'string' ? [record.service] : [];
    const known = named.filter((name): name is string => typeof name === 'string' && services.includes(name));
    if (known.length > 0) return known;
  }
  return [...services];
}

function withPrefix(prefix: string, label: string | undefined): string | undefined {
  return label === undefined ? undefined : `${prefix}${label}`;
}

async function allPages<T>(
  client: HttpClient,
  path: string,
  query: QueryParams,
  check: (items: unknown[]) => CheckedRecords<T>,
  isLastPage: (page: T[]) => boolean = () => false,
): Promise<CheckedRecords<T>> {
  const items: CheckedRecords<T> = { records: [], problems: [] };
  let next: string | null = path;
  let params: QueryParams | undefined = { ...query, per_page: 100 };
  for (let page = 0; next !== null && page < MAX_PAGES; page++) {
    const response: HttpResponse<unknown[]> = await client.request(
      { path: next, query: params, headers: { Accept: GITHUB_ACCEPT, 'X-GitHub-Api-Version': '2022-11-28' } },
      anyPage,
    );
    const checked = check(response.data);
    mergeChecked(items, checked);
    if (isLastPage(checked.records)) break;
    // The next link is absolute and already carries every parameter.
    next = linkWithRelation(response.headers.link, 'next');
    params = undefined;
  }
  return items;
}

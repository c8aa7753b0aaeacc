import { strict as assert } from 'node:assert';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { validRecords } from './support/validRecords';
import {
  fetchGitHubDeployments,
  fetchGitHubIncidents,
  gitHubIssueOptions,
  serviceFromLabels,
  severityFromLabels,
} from '../../../src/sources/githubSource';
import { startFakeServer } from '../fakes/fakeServer';
import type { FakeServer } from '../fakes/fakeServer';
import { withFaults } from '../fakes/faults';
import type { FaultInjector } from '../fakes/faults';
import { gitHubHandler } from '../fakes/gitHubFake';
import type { FakeIssue, FakeRepository } from '../fakes/gitHubFake';
import { describeFaults } from './support/faultMatrix';

const TOKEN = 'ghp_fakeTokenForTests0123456789';
const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

function repository(): FakeRepository {
  const issues: FakeIssue[] = [];
  // 130 incident issues: two pages of 100.
  for (let n = 1; n <= 130; n++) {
    issues.push({
      number: n,
      title: `Incident ${n}`,
      state: 'closed',
      created_at: new Date(NOW - (140 - n) * DAY).toISOString(),
      closed_at: new Date(NOW - (140 - n) * DAY + 7_200_000).toISOString(),
      labels: [{ name: 'incident' }, { name: 'service:checkout' }, { name: 'SEV2' }],
    });
  }
  issues.push(
    { number: 200, title: 'Checkout 500s', state: 'open', created_at: '2026-11-20T10:00:00Z', closed_at: null, labels: [{ name: 'incident' }, { name: 'sev-1' }, { name: 'service: payments' }] },
    { number: 201, title: 'Unlabelled incident', state: 'open', created_at: '2026-11-19T10:00:00Z', closed_at: null, labels: [{ name: 'incident' }] },
    { number: 202, title: 'Not an incident', state: 'open', created_at: '2026-11-19T10:00:00Z', closed_at: null, labels: [{ name: 'bug' }] },
    { number: 203, title: 'Fix for #200', state: 'open', created_at: '2026-11-20T11:00:00Z', closed_at: null, labels: [{ name: 'incident' }], pull_request: { url: 'https://api.github.com/repos/acme/shop/pulls/203' } },
  );
  return {
    owner: 'acme',
    name: 'shop',
    issues,
    deployments: [
      {
        id: 11, sha: 'a'.repeat(40), ref: 'v1.0.0', environment: 'production', created_at: '2026-11-01T10:00:00Z', payload: {},
        statuses: [
          { id: 1, state: 'in_progress', created_at: '2026-11-01T10:01:00Z' },
          { id: 2, state: 'success', created_at: '2026-11-01T10:05:00Z' },
        ],
      },
      {
        id: 12, sha: 'b'.repeat(40), ref: 'v1.1.0', environment: 'production', created_at: '2026-11-10T10:00:00Z', payload: { service: 'checkout' },
        statuses: [
          { id: 3, state: 'success', created_at: '2026-11-10T10:04:00Z' },
          { id: 4, state: 'success', created_at: '2026-11-12T09:00:00Z' },
        ],
      },
      {
        id: 13, sha: 'c'.repeat(40), ref: 'v1.2.0', environment: 'production', created_at: '2026-11-15T10:00:00Z', payload: {},
        statuses: [{ id: 5, state: 'failure', created_at: '2026-11-15T10:03:00Z' }],
      },
      {
        id: 14, sha: 'd'.repeat(40), ref: 'v1.2.1', environment: 'staging', created_at: '2026-11-16T10:00:00Z', payload: {},
        statuses: [{ id: 6, state: 'success', created_at: '2026-11-16T10:03:00Z' }],
      },
      {
        id: 15, sha: 'e'.repeat(40), ref: 'v0.9.0', environment: 'production', created_at: '2026-01-01T10:00:00Z', payload: {},
        statuses: [{ id: 7, state: 'success', created_at: '2026-01-01T10:03:00Z' }],
      },
    ],
  };
}

describe('GitHub source', () => {
  let server: FakeServer;
  let faults: FaultInjector;

  beforeEach(async () => {
    const origin = { value: '' };
    faults = withFaults(gitHubHandler(repository(), TOKEN, () => origin.value));
    server = await startFakeServer(faults.handler);
    origin.value = server.origin;
  });
  afterEach(() => server.close());

  function client(overrides: { retries?: number; timeoutMs?: number; baseUrl?: string } = {}) {
    return createHttpClient({
      sourceName: 'GitHub',
      baseUrl: server.origin,
      token: { value: TOKEN, scheme: 'Bearer', origin: server.origin },
      retryBaseDelayMs: 10,
      ...overrides,
    });
  }

  const issueOptions = gitHubIssueOptions({ type: 'github', options: { repository: 'acme/shop' } });

  it('reads incident issues across Link-header pages, skipping pull requests', async () => {
    const incidents = await validRecords(fetchGitHubIncidents(client(), issueOptions));
    assert.equal(incidents.length, 132);
    const pages = server.requests.map((request) => `${request.path}?${request.query.toString()}`);
    assert.deepEqual(pages, [
      '/repos/acme/shop/issues?labels=incident&state=all&sort=created&direction=desc&per_page=100',
      '/repos/acme/shop/issues?labels=incident&state=all&sort=created&direction=desc&per_page=100&page=2',
    ]);
    assert.ok(server.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`));
    const byId = new Map(incidents.map((incident) => [incident.id, incident]));
    assert.deepEqual(byId.get('#200'), {
      id: '#200',
      title: 'Checkout 500s',
      severity: 'SEV1',
      service: 'payments',
      startedAt: Date.parse('2026-11-20T10:00:00Z'),
      resolvedAt: null,
      url: 'https://github.com/repos/acme/shop/issues/200',
      commits: [],
      files: [],
      source: 'github',
    });
    assert.equal(byId.get('#201')?.service, 'unassigned');
    assert.equal(byId.get('#201')?.severity, 'SEV3');
    assert.equal(byId.get('#1')?.resolvedAt, byId.get('#1')!.startedAt + 7_200_000);
    assert.equal(byId.has('#203'), false, 'pull requests are not incidents');
    assert.equal(byId.has('#202'), false);
  });

  it('uses a custom label and a GitHub Enterprise API base', async () => {
    const options = gitHubIssueOptions({ type: 'github', options: { repository: 'acme/shop', label: 'bug', defaultService: 'web' } });
    // The fake serves /repos/... at its root, so a base with a path prefix proves the prefix is kept.
    await assert.rejects(fetchGitHubIncidents(client({ baseUrl: `${server.origin}/api/v3` }), options), /has nothing at \/api\/v3\/repos\/acme\/shop\/issues \(404\)/);
    const incidents = await validRecords(fetchGitHubIncidents(client(), options));
    assert.deepEqual(incidents.map((incident) => [incident.id, incident.service]), [['#202', 'web']]);
  });

  it('leaves out issues it cannot read, naming them and the field, and keeps the rest', async () => {
    const broken = await startFakeServer(
      gitHubHandler(
        {
          owner: 'acme',
          name: 'shop',
          deployments: [],
          issues: [
            { number: 1, title: 'Checkout down', state: 'open', created_at: '2026-11-20T10:00:00Z', closed_at: null, labels: [{ name: 'incident' }, { name: 'SEV1' }] },
            { number: 2, title: 'When?', state: 'open', created_at: 'soon', closed_at: null, labels: [{ name: 'incident' }] },
            { number: 3, title: 'Closed, but when?', state: 'closed', created_at: '2026-11-19T10:00:00Z', closed_at: null, labels: [{ name: 'incident' }] },
            { number: 4, title: 'Closed at a time that does not exist', state: 'closed', created_at: '2026-11-19T10:00:00Z', closed_at: '2026-11-31T10:00:00Z', labels: [{ name: 'incident' }] },
          ],
        },
        TOKEN,
        () => broken.origin,
      ),
    );
    try {
      const api = createHttpClient({ sourceName: 'GitHub', baseUrl: broken.origin, token: { value: TOKEN, scheme: 'Bearer', origin: broken.origin }, retries: 0 });
      const { records, problems } = await fetchGitHubIncidents(api, issueOptions);
      assert.deepEqual(records.map((incident) => [incident.id, incident.severity, incident.resolvedAt]), [['#1', 'SEV1', null]]);
      assert.deepEqual(problems, [
        'issue #2: created_at: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "soon"',
        'issue #4: closed_at: expected an ISO 8601 time such as "2026-03-01T12:00:00Z", got "2026-11-31T10:00:00Z"',
        'issue #3: state is closed, but closed_at is null',
      ]);
    } finally {
      await broken.close();
    }
  });

  it('reads deployments with a success status, timed by that status', async () => {
    const deployments = await validRecords(fetchGitHubDeployments(
      client(),
      { repository: 'acme/shop', environment: 'production', days: 180, services: ['checkout', 'search'] },
      NOW,
    ));
    assert.deepEqual(deployments, [
      { name: '11', commit: 'a'.repeat(40), time: Date.parse('2026-11-01T10:05:00Z'), services: ['checkout', 'search'], source: 'github' },
      { name: '12', commit: 'b'.repeat(40), time: Date.parse('2026-11-10T10:04:00Z'), services: ['checkout'], source: 'github' },
    ]);
    assert.equal(server.requests[0].query.get('environment'), 'production');
    assert.equal(server.requests[0].query.get('per_page'), '100');
  });

  it('leaves out a deployment whose success comes after now', async () => {
    const deployments = await validRecords(fetchGitHubDeployments(
      client(),
      { repository: 'acme/shop', environment: 'production', days: 180, services: ['checkout'] },
      Date.parse('2026-11-05T00:00:00Z'),
    ));
    assert.deepEqual(deployments.map((deployment) => deployment.name), ['11']);
  });

  it('reads severity and service from labels', () => {
    assert.equal(severityFromLabels(['bug', 'Sev4']), 'SEV4');
    assert.equal(severityFromLabels(['P1']), 'SEV1');
    assert.equal(severityFromLabels(['incident']), 'SEV3');
    assert.equal(serviceFromLabels(['service:search']), 'search');
    assert.equal(serviceFromLabels(['team:x']), undefined);
  });

  it('asks for a repository in config.yaml', () => {
    assert.throws(() => gitHubIssueOptions({ type: 'github', options: {} }), /set `repository: owner\/name` in config\.yaml/);
  });

  describeFaults(() => ({
    sourceName: 'GitHub',
    host: () => server.host,
    token: TOKEN,
    faults,
    run: () => fetchGitHubIncidents(client({ retries: 1, timeoutMs: 300 }), issueOptions),
    errorBody: (status) => ({ message: status === 403 ? 'Resource not accessible by personal access token' : 'Error', documentation_url: 'https://docs.github.com/rest' }),
  }));
});

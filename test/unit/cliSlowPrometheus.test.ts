// The CLI never retries a slow Prometheus in a tight loop (issue 13): `reliability-lens report` asks a
// Prometheus that never answers each query once (a timed-out request is not sent again), asks one that
// answers 503 each query at most 1 + retries times, and the HTTP client waits longer before each retry.
// No test waits for real: Node's mock timers stand in for the 10 s deadline and the backoff sleeps,
// advanced by hand while the real sockets to a local server do their work.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mock } from 'node:test';
import axios from 'axios';
import type { AxiosAdapter } from 'axios';
import { z } from 'zod';
import { createHttpClient } from '../../src/sources/http/httpClient';
import { SourceError } from '../../src/sources/http/sourceError';
import { cli } from './builders/cliRunner';
import type { CliResult } from './builders/cliRunner';
import { sendJson, startFakeServer } from './fakes/fakeServer';
import type { FakeHandler, FakeServer, RecordedRequest } from './fakes/fakeServer';
import { temporaryDirectory } from './sources/support/realServers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'prometheus');
// Taken before any test mocks the timers: the test's own waits for real sockets.
const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;
/** The HTTP client's defaults, which the CLI does not change. */
const CLIENT_RETRIES = 3;

function prometheusWorkspace(root: string, url: string): string {
  fs.mkdirSync(path.join(root, '.reliability', 'slos'), { recursive: true });
  fs.writeFileSync(
    path.join(root, '.reliability', 'config.yaml'),
    `version: 1\nservices:\n  - name: checkout\n    paths: ["checkout/**"]\nslis:\n  source: prometheus\n  prometheus:\n    url: ${url}\n`,
  );
  fs.copyFileSync(path.join(FIXTURES, 'checkout-openslo.yaml'), path.join(root, '.reliability', 'slos', 'checkout.yaml'));
  return root;
}

/** One request as the server saw it: the same text twice means the same question asked again. */
function requestKey(request: RecordedRequest): string {
  return `${request.method} ${request.path}?${request.query.toString()} ${request.body}`;
}

function timesAsked(requests: readonly RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) counts.set(requestKey(request), (counts.get(requestKey(request)) ?? 0) + 1);
  return counts;
}

/**
 * Runs the CLI with mocked timers, moving them a second every 20 real ms until it ends: the client's
 * deadline and backoff run on mocked time, the local server's sockets on real time.
 */
async function cliOnMockedTime(cwd: string, ...argv: string[]): Promise<CliResult> {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let result: CliResult | undefined;
    let failure: unknown;
    cli(cwd, ...argv).then(
      (value) => (result = value),
      (error: unknown) => (failure = error ?? new Error('the CLI failed')),
    );
    // 600 mocked seconds: ten minutes of deadlines and backoff is far more than any bounded retry needs.
    for (let second = 0; second < 600 && result === undefined && failure === undefined; second++) {
      await new Promise((resolve) => realSetTimeout(resolve, 20));
      mock.timers.tick(1_000);
    }
    if (failure !== undefined) throw failure;
    assert.ok(result, 'the CLI kept asking for ten minutes of mocked time');
    return result;
  } finally {
    mock.timers.reset();
  }
}

describe('the CLI and a slow Prometheus', function () {
  let directory: ReturnType<typeof temporaryDirectory>;
  let server: FakeServer | undefined;

  beforeEach(() => {
    directory = temporaryDirectory('rl-slow-prometheus-');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    directory.remove();
  });

  async function serve(handler: FakeHandler): Promise<FakeServer> {
    server = await startFakeServer(handler);
    return server;
  }

  it('asks a Prometheus that never answers each query once: a timeout is not retried', async () => {
    // Never answered: the client's 10 s deadline ends every request.
    const prometheus = await serve(() => undefined);
    const root = prometheusWorkspace(path.join(directory.path, 'shop'), prometheus.origin);
    const result = await cliOnMockedTime(root, 'report', '--json');
    const source = result.json().sources.find((candidate: { name: string }) => candidate.name === 'prometheus');
    assert.equal(source?.state, 'failing', result.stdout);
    assert.match(source.message, /timed out after 10 s/);
    assert.ok(prometheus.requests.length > 0, 'Prometheus was asked');
    const repeated = [...timesAsked(prometheus.requests)].filter(([, count]) => count > 1);
    assert.deepEqual(repeated, [], 'no query was sent twice');
  });

  it(`asks a Prometheus that answers 503 each query at most ${1 + CLIENT_RETRIES} times`, async () => {
    const prometheus = await serve((_request, response) => sendJson(response, 503, { status: 'error', error: 'overloaded' }));
    const root = prometheusWorkspace(path.join(directory.path, 'shop'), prometheus.origin);
    const result = await cliOnMockedTime(root, 'report', '--json');
    const source = result.json().sources.find((candidate: { name: string }) => candidate.name === 'prometheus');
    assert.equal(source?.state, 'failing', result.stdout);
    assert.match(source.message, new RegExp(`answered 503.* after ${1 + CLIENT_RETRIES} attempts`));
    const counts = [...timesAsked(prometheus.requests).values()];
    assert.ok(counts.length > 0, 'Prometheus was asked');
    assert.deepEqual(
      counts.filter((count) => count > 1 + CLIENT_RETRIES),
      [],
      `times each query was asked: ${counts.join(', ')}`,
    );
    // Every query that failed was tried the full bounded number of times, no more.
    assert.ok(counts.includes(1 + CLIENT_RETRIES), `times each query was asked: ${counts.join(', ')}`);
  });
});

describe('the HTTP client backs off between retries', () => {
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
  });

  it('waits longer before each retry of a 503, and stops after the retries', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    // The jitter's random half of each wait, fixed at its middle: waits are 3/4 of base × 2^attempt.
    mock.method(Math, 'random', () => 0.5);
    const askedAt: number[] = [];
    const adapter: AxiosAdapter = async (config) => {
      askedAt.push(Date.now());
      return { data: '{"status":"error","error":"overloaded"}', status: 503, statusText: 'Service Unavailable', headers: {}, config };
    };
    const client = createHttpClient({ sourceName: 'Prometheus', baseUrl: 'http://prometheus.test:9090', axios: axios.create({ adapter }), retries: CLIENT_RETRIES, retryBaseDelayMs: 500 });
    let settled: unknown;
    client.getJson('api/v1/query', z.unknown()).then(
      () => (settled = new Error('a 503 was taken as an answer')),
      (error: unknown) => (settled = error),
    );
    // Each round: let the request and its answer run, then move time to the one timer left, the backoff's sleep.
    for (let round = 0; round < 10 && settled === undefined; round++) {
      await new Promise((resolve) => realSetImmediate(resolve));
      if (settled === undefined) mock.timers.runAll();
    }
    assert.ok(settled instanceof SourceError, `a SourceError, not ${String(settled)}`);
    assert.equal(settled.message, `Prometheus at prometheus.test:9090 answered 503 after ${1 + CLIENT_RETRIES} attempts: overloaded`);
    assert.deepEqual(askedAt, [0, 375, 375 + 750, 375 + 750 + 1_500]);
    assert.deepEqual(client.load, { requests: 1 + CLIENT_RETRIES, throttled: 1 + CLIENT_RETRIES, slowestMs: 0 });
  });
});

import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { gzipSync } from 'node:zlib';
import { MAX_RESPONSE_BYTES, createHttpClient, authorizationHeader } from '../../../src/sources/http/httpClient';
import type { HttpClientOptions } from '../../../src/sources/http/httpClient';
import { HostLimiter } from '../../../src/sources/http/hostLimiter';
import { linkWithRelation } from '../../../src/sources/http/linkHeader';
import { backoffDelayMs, parseRetryAfter } from '../../../src/sources/http/retryPolicy';
import { SourceError } from '../../../src/sources/http/sourceError';
import { delay, sendJson, sendProxyErrorPage, startFakeServer } from '../fakes/fakeServer';
import type { FakeHandler, FakeServer } from '../fakes/fakeServer';

const TOKEN = 'tok_7f3a9c1e5b2d4f6a8c0e';
const okShape = z.object({ ok: z.literal(true) });

/** Runs `body` with a fake server, closing it afterwards whatever happens. */
async function withServer(handler: FakeHandler, body: (server: FakeServer) => Promise<void>): Promise<void> {
  const server = await startFakeServer(handler);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

function client(server: FakeServer, overrides: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    sourceName: 'PagerDuty',
    baseUrl: server.origin,
    token: { value: TOKEN, scheme: 'Token token=', origin: server.origin },
    retryBaseDelayMs: 10,
    timeoutMs: 2_000,
    ...overrides,
  });
}

/** The SourceError a promise rejects with; fails the test when it resolves or throws anything else. */
async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    assert.ok(!error.message.includes(TOKEN), `the token leaked into: ${error.message}`);
    assert.ok(!/\n\s+at /.test(String(error.stack)), 'no stack frames in the error');
    return error;
  }
  assert.fail('expected the request to fail');
}

describe('http client', () => {
  it('sends the token with its scheme to the origin it was saved for', async () => {
    await withServer(
      (_request, response) => sendJson(response, 200, { ok: true }),
      async (server) => {
        await client(server).getJson('incidents', okShape);
        assert.equal(server.requests[0].headers.authorization, `Token token=${TOKEN}`);
        assert.equal(server.requests[0].path, '/incidents');
      },
    );
  });

  it('formats every token scheme', () => {
    const origin = 'https://api.example.com';
    assert.equal(authorizationHeader({ value: 'k', scheme: 'GenieKey', origin }), 'GenieKey k');
    assert.equal(authorizationHeader({ value: 'k', scheme: 'Bearer', origin }), 'Bearer k');
    assert.equal(authorizationHeader({ value: 'user:pass', scheme: 'Basic', origin }), 'Basic dXNlcjpwYXNz');
  });

  it('keeps the path prefix of the base URL (GitHub Enterprise /api/v3, Mimir /prometheus)', async () => {
    await withServer(
      (_request, response) => sendJson(response, 200, { ok: true }),
      async (server) => {
        await client(server, { baseUrl: `${server.origin}/api/v3/` }).getJson('/repos/o/r', okShape, { 'statuses[]': ['a', 'b'] });
        assert.equal(server.requests[0].path, '/api/v3/repos/o/r');
        assert.deepEqual(server.requests[0].query.getAll('statuses[]'), ['a', 'b']);
      },
    );
  });

  it('never sends the token to another origin: not to an absolute paging URL, not across a redirect', async () => {
    await withServer(
      (_request, response) => sendJson(response, 200, { ok: true }),
      async (foreign) => {
        await withServer(
          (request, response) => {
            if (request.path === '/moved') {
              response.writeHead(302, { Location: `${foreign.origin}/landing` });
              response.end();
              return;
            }
            sendJson(response, 200, { ok: true });
          },
          async (home) => {
            const api = client(home, { headers: { 'X-Scope-OrgID': 'tenant-1', authorization: 'Basic c3B5OnNweQ==' } });
            await api.getJson(`${foreign.origin}/next-page`, okShape);
            await api.getJson('moved', okShape);
            await api.getJson('same-origin', okShape);
            assert.equal(foreign.requests.length, 2);
            for (const request of foreign.requests) {
              assert.equal(request.headers.authorization, undefined, `${request.path} received the token`);
              assert.equal(request.headers['x-scope-orgid'], undefined, 'configured headers stay home too');
            }
            const sameOrigin = home.requests.find((request) => request.path === '/same-origin');
            assert.equal(sameOrigin?.headers.authorization, `Token token=${TOKEN}`);
            assert.equal(sameOrigin?.headers['x-scope-orgid'], 'tenant-1');
            // Credentials written into configured headers are dropped: only the token authorizes.
            assert.ok(home.requests.every((request) => !String(request.headers.authorization).startsWith('Basic')));
          },
        );
      },
    );
  });

  it('withholds a token saved for another origin even when the base URL points at this server', async () => {
    await withServer(
      (_request, response) => sendJson(response, 401, { error: { message: 'Unauthorized', code: 2006 } }),
      async (server) => {
        const api = client(server, { token: { value: TOKEN, scheme: 'Token token=', origin: 'https://api.pagerduty.com' } });
        const error = await sourceErrorOf(api.getJson('incidents', okShape));
        assert.equal(server.requests[0].headers.authorization, undefined);
        assert.equal(error.message, `PagerDuty at ${server.host} requires a token (401)`);
      },
    );
  });

  it('retries a 500 and then succeeds', async () => {
    let calls = 0;
    await withServer(
      (_request, response) => {
        calls++;
        if (calls === 1) sendJson(response, 500, { error: 'boom' });
        else sendJson(response, 200, { ok: true });
      },
      async (server) => {
        const response = await client(server).getJson('x', okShape);
        assert.equal(response.data.ok, true);
        assert.equal(server.requests.length, 2);
      },
    );
  });

  it('honours Retry-After in seconds on 429', async () => {
    let calls = 0;
    await withServer(
      (_request, response) => {
        calls++;
        if (calls === 1) sendJson(response, 429, { error: { message: 'Rate Limit Exceeded' } }, { 'Retry-After': '1' });
        else sendJson(response, 200, { ok: true });
      },
      async (server) => {
        const started = Date.now();
        await client(server).getJson('x', okShape);
        const waited = Date.now() - started;
        assert.ok(waited >= 950, `waited only ${waited} ms`);
        assert.equal(server.requests.length, 2);
      },
    );
  });

  it('honours Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    assert.equal(parseRetryAfter('Fri, 20 Nov 2026 12:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Fri, 20 Nov 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });

  it('backs off exponentially with jitter, bounded', () => {
    assert.equal(backoffDelayMs(0, 100, 1000, () => 0), 50);
    assert.equal(backoffDelayMs(0, 100, 1000, () => 1), 100);
    assert.equal(backoffDelayMs(3, 100, 1000, () => 1), 800);
    assert.equal(backoffDelayMs(10, 100, 1000, () => 1), 1000);
  });

  it('gives up after the bounded retries with a rate-limit reason', async () => {
    await withServer(
      (_request, response) => sendJson(response, 429, { error: { message: 'Rate Limit Exceeded' } }),
      async (server) => {
        const error = await sourceErrorOf(client(server, { retries: 2 }).getJson('x', okShape));
        assert.equal(server.requests.length, 3);
        assert.equal(error.reason, 'rate-limited');
        assert.equal(error.message, `PagerDuty at ${server.host} is rate-limiting requests (429) after 3 attempts`);
      },
    );
  });

  it('does not wait when Retry-After asks for longer than allowed', async () => {
    await withServer(
      (_request, response) => sendJson(response, 503, {}, { 'Retry-After': '3600' }),
      async (server) => {
        const started = Date.now();
        const error = await sourceErrorOf(client(server).getJson('x', okShape));
        assert.ok(Date.now() - started < 1000);
        assert.equal(server.requests.length, 1);
        assert.equal(error.reason, 'server-error');
        assert.equal(error.message, `PagerDuty at ${server.host} answered 503`);
      },
    );
  });

  it('treats GitHub 403 with an exhausted quota as a rate limit', async () => {
    await withServer(
      (_request, response) =>
        sendJson(response, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 7200) }),
      async (server) => {
        const error = await sourceErrorOf(client(server, { sourceName: 'GitHub' }).getJson('x', okShape));
        assert.equal(error.reason, 'rate-limited');
        assert.match(error.message, /^GitHub at 127\.0\.0\.1:\d+ is rate-limiting requests \(403\); it asks to wait \d+ s$/);
      },
    );
  });

  it('times out a slow answer with the deadline in the message', async () => {
    await withServer(
      async (_request, response) => {
        await delay(1_500);
        sendJson(response, 200, { ok: true });
      },
      async (server) => {
        const api = client(server, { sourceName: 'Prometheus', timeoutMs: 200 });
        const started = Date.now();
        const error = await sourceErrorOf(api.getJson('api/v1/query', okShape));
        assert.ok(Date.now() - started < 1_000, 'a timeout is not retried');
        assert.equal(error.reason, 'timeout');
        assert.equal(error.message, `Prometheus at ${server.host} timed out after 0.2 s`);
      },
    );
  });

  it('stops when the caller cancels, also while waiting to retry', async () => {
    await withServer(
      (_request, response) => sendJson(response, 503, {}, { 'Retry-After': '5' }),
      async (server) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 100);
        const started = Date.now();
        const error = await sourceErrorOf(client(server, { signal: controller.signal }).getJson('x', okShape));
        assert.ok(Date.now() - started < 2_000);
        assert.equal(error.reason, 'cancelled');
      },
    );
  });

  it('caps concurrent requests per host', async () => {
    await withServer(
      async (_request, response) => {
        await delay(40);
        sendJson(response, 200, { ok: true });
      },
      async (server) => {
        const api = client(server, { maxConcurrentPerHost: 2 });
        await Promise.all(Array.from({ length: 8 }, () => api.getJson('x', okShape)));
        assert.equal(server.requests.length, 8);
        assert.equal(server.maxInFlight, 2);
      },
    );
  });

  it('says so when a proxy answers with an HTML page', async () => {
    await withServer(
      (request, response) => {
        if (request.path === '/ok-but-html') {
          response.writeHead(200, { 'Content-Type': 'text/html' });
          response.end('<!doctype html><html><body>Sign in</body></html>');
        } else sendProxyErrorPage(response);
      },
      async (server) => {
        const html = await sourceErrorOf(client(server).getJson('ok-but-html', okShape));
        assert.equal(html.message, `PagerDuty at ${server.host} answered with an HTML page instead of JSON (a proxy error page?)`);
        const gateway = await sourceErrorOf(client(server, { retries: 1 }).getJson('down', okShape));
        assert.equal(gateway.message, `PagerDuty at ${server.host} answered 502 with an HTML page (a proxy error page?) after 2 attempts`);
      },
    );
  });

  it('reports malformed JSON and unexpected shapes in plain words', async () => {
    await withServer(
      (request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(request.path === '/broken' ? '{"incidents": [' : '{"ok": "yes"}');
      },
      async (server) => {
        const broken = await sourceErrorOf(client(server).getJson('broken', okShape));
        assert.equal(broken.message, `PagerDuty at ${server.host} answered with malformed JSON`);
        const shape = await sourceErrorOf(client(server).getJson('shape', okShape));
        assert.equal(shape.reason, 'unexpected-shape');
        assert.match(shape.message, /answered in an unexpected shape \(ok: /);
      },
    );
  });

  it('names 401, 403 and 404 plainly and never repeats the token, even when the server echoes it', async () => {
    await withServer(
      (request, response) => {
        if (request.path === '/401') sendJson(response, 401, { error: { message: 'Unauthorized', code: 2006 } });
        else if (request.path === '/403') sendJson(response, 403, { error: { message: `Access denied for ${TOKEN}` } });
        else sendJson(response, 404, { error: { message: 'Not Found' } });
      },
      async (server) => {
        const api = client(server);
        assert.equal((await sourceErrorOf(api.getJson('401', okShape))).message, `PagerDuty at ${server.host} rejected the token (401)`);
        assert.equal(
          (await sourceErrorOf(api.getJson('403', okShape))).message,
          `PagerDuty at ${server.host} refused access (403): the token lacks a permission: Access denied for ***`,
        );
        assert.equal(
          (await sourceErrorOf(api.getJson('missing', okShape))).message,
          `PagerDuty at ${server.host} has nothing at /missing (404); check the URL and names in config.yaml`,
        );
      },
    );
  });

  it('says when nothing listens on the port', async () => {
    const server = await startFakeServer((_request, response) => sendJson(response, 200, {}));
    await server.close();
    const error = await sourceErrorOf(client(server, { retries: 0 }).getJson('x', okShape));
    assert.equal(error.reason, 'unreachable');
    assert.equal(error.message, `PagerDuty at ${server.host} refused the connection (is it running, and is the port right?)`);
  });

  describe('answer size', () => {
    const CAP = 64 * 1024;

    it('cuts off an endless chunked answer without a Content-Length, without reading it all', async () => {
      let sent = 0;
      let closed: Promise<void> = Promise.resolve();
      await withServer(
        (_request, response) => {
          closed = new Promise((resolve) => response.once('close', () => resolve()));
          response.writeHead(200, { 'Content-Type': 'application/json' });
          const chunk = Buffer.alloc(16 * 1024, 0x20);
          // Writes for as long as the client reads; stops when it hangs up.
          const pump = () => {
            while (!response.destroyed) {
              sent += chunk.length;
              if (!response.write(chunk)) {
                response.once('drain', pump);
                return;
              }
            }
          };
          pump();
        },
        async (server) => {
          const error = await sourceErrorOf(client(server, { maxResponseBytes: CAP, timeoutMs: 60_000 }).getJson('alerts', okShape));
          assert.equal(error.reason, 'too-large');
          assert.equal(error.message, `PagerDuty at ${server.host} answered with more than 64 KiB; refusing to read it`);
          await closed;
          // The client hung up soon after the cap: what was sent is the cap plus what socket buffers held.
          assert.ok(sent < 16 * 1024 * 1024, `the server got to send ${sent} bytes`);
          assert.equal(server.requests.length, 1, 'a too-large answer is not asked for again');
        },
      );
    });

    it('refuses an answer whose Content-Length is over the cap, and counts a compressed answer decompressed', async () => {
      const zeros = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
      await withServer(
        (request, response) => {
          if (request.path === '/declared') {
            response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(CAP * 4) });
            response.end(Buffer.alloc(CAP * 4, 0x20));
          } else {
            // 4 MiB that travel as a few KiB.
            response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(zeros.length) });
            response.end(zeros);
          }
        },
        async (server) => {
          const api = client(server, { maxResponseBytes: CAP });
          assert.equal((await sourceErrorOf(api.getJson('declared', okShape))).reason, 'too-large');
          assert.ok(zeros.length < CAP);
          assert.equal((await sourceErrorOf(api.getJson('gzip', okShape))).reason, 'too-large');
        },
      );
    });

    it('reads an answer under the cap as usual, and caps at 32 MiB by default', async () => {
      assert.equal(MAX_RESPONSE_BYTES, 32 * 1024 * 1024);
      await withServer(
        (_request, response) => sendJson(response, 200, { ok: true }),
        async (server) => {
          const response = await client(server, { maxResponseBytes: CAP }).getJson('small', okShape);
          assert.deepEqual(response.data, { ok: true });
        },
      );
    });
  });

  it('rejects credentials written into the URL', () => {
    assert.throws(
      () => createHttpClient({ sourceName: 'Prometheus', baseUrl: 'https://user:secret@prom.example.com' }),
      (error: unknown) => error instanceof SourceError && !error.message.includes('secret'),
    );
  });
});

describe('host limiter', () => {
  it('hands slots over in order and keeps the count exact', async () => {
    const limiter = new HostLimiter(1);
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        limiter.run('h', async () => {
          assert.equal(limiter.inFlight('h'), 1);
          order.push(n);
          await delay(5);
        }),
      ),
    );
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(limiter.inFlight('h'), 0);
  });
});

describe('Link header', () => {
  it('finds the next page among several relations', () => {
    const header =
      '<https://api.github.com/repositories/1/issues?page=2&per_page=100>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last"';
    assert.equal(linkWithRelation(header, 'next'), 'https://api.github.com/repositories/1/issues?page=2&per_page=100');
    assert.equal(linkWithRelation(header, 'last'), 'https://api.github.com/repositories/1/issues?page=5');
    assert.equal(linkWithRelation(header, 'prev'), null);
    assert.equal(linkWithRelation(undefined, 'next'), null);
  });
});

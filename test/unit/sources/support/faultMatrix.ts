// The failures every SaaS source must turn into plain words, run against a source's fake: 401, 403,
// 404, 429 with Retry-After, 500 then success, an answer slower than the timeout, malformed JSON and
// a proxy's HTML error page. Every message is checked for the token.
import { strict as assert } from 'node:assert';
import { SourceError } from '../../../../src/sources/http/sourceError';
import type { FaultInjector } from '../../fakes/faults';

export interface FaultMatrixTarget {
  sourceName: string;
  host: () => string;
  token: string;
  faults: FaultInjector;
  /** Runs the source once with a client of retries: 1 and timeoutMs: 300. */
  run: () => Promise<unknown>;
  /** The provider's own error body for a status. */
  errorBody: (status: number) => unknown;
}

async function failure(target: FaultMatrixTarget): Promise<SourceError> {
  try {
    await target.run();
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    assert.ok(!error.message.includes(target.token), `token leaked: ${error.message}`);
    assert.ok(!/\n\s+at /.test(String(error.stack)), 'no stack frames');
    return error;
  }
  assert.fail('expected the source to fail');
}

export function describeFaults(target: () => FaultMatrixTarget): void {
  describe('failures', () => {
    it('401: the token was rejected', async () => {
      const t = target();
      t.faults.inject({ kind: 'status', status: 401, body: t.errorBody(401) });
      assert.equal((await failure(t)).message, `${t.sourceName} at ${t.host()} rejected the token (401)`);
    });

    it('403: the token lacks a permission', async () => {
      const t = target();
      t.faults.inject({ kind: 'status', status: 403, body: t.errorBody(403) });
      const error = await failure(t);
      assert.equal(error.reason, 'forbidden');
      assert.ok(error.message.startsWith(`${t.sourceName} at ${t.host()} refused access (403)`), error.message);
    });

    it('404: the URL or a name in config.yaml is wrong', async () => {
      const t = target();
      t.faults.inject({ kind: 'status', status: 404, body: t.errorBody(404) });
      const error = await failure(t);
      assert.equal(error.reason, 'not-found');
      assert.match(error.message, /\(404\); check the URL and names in config\.yaml$/);
    });

    it('429 with Retry-After: waits as asked, then succeeds', async () => {
      const t = target();
      t.faults.inject({ kind: 'status', status: 429, body: t.errorBody(429), headers: { 'Retry-After': '1' } });
      const started = Date.now();
      await t.run();
      assert.ok(Date.now() - started >= 950, 'Retry-After was honoured');
      assert.equal(t.faults.pending(), 0);
    });

    it('500 then success: retried transparently', async () => {
      const t = target();
      t.faults.inject({ kind: 'status', status: 500, body: t.errorBody(500) });
      await t.run();
      assert.equal(t.faults.pending(), 0);
    });

    it('an answer slower than the timeout', async () => {
      const t = target();
      t.faults.inject({ kind: 'slow', ms: 1_000 });
      assert.equal((await failure(t)).message, `${t.sourceName} at ${t.host()} timed out after 0.3 s`);
    });

    it('malformed JSON', async () => {
      const t = target();
      t.faults.inject({ kind: 'malformed-json' });
      assert.equal((await failure(t)).message, `${t.sourceName} at ${t.host()} answered with malformed JSON`);
    });

    it("a proxy's HTML error page", async () => {
      const t = target();
      t.faults.inject({ kind: 'proxy-html', status: 502 }, { kind: 'proxy-html', status: 502 });
      assert.equal(
        (await failure(t)).message,
        `${t.sourceName} at ${t.host()} answered 502 with an HTML page (a proxy error page?) after 2 attempts`,
      );
    });
  });
}

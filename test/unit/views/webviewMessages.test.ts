// Messages from the dashboard's webview are checked with zod before the host acts on one: the page
// is a boundary, and whatever runs in it can post anything.
import { strict as assert } from 'node:assert';
import { parseFromWebviewMessage } from '../../../src/shared/protocol';

const refused = (value: unknown) => {
  const parsed = parseFromWebviewMessage(value);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(value)?.slice(0, 200)}`);
  return parsed.ok ? '' : parsed.problem;
};

const UNKNOWN_TYPE = 'expected an object whose type is one of ready, refresh, openIncident, openSlo, explainSlo, requestService';

describe('messages from the dashboard webview', () => {
  it('accepts the messages the page sends, as they are', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'openIncident', root: '/work/shop', id: 'INC-7' },
      { type: 'openSlo', root: '/work/shop', service: 'checkout', slo: 'checkout-availability' },
      { type: 'explainSlo', root: '/work/shop', service: 'checkout', slo: 'checkout-availability' },
      { type: 'requestService', requestId: 12, root: '/work/shop', service: 'checkout' },
    ]) {
      assert.deepEqual(parseFromWebviewMessage(message), { ok: true, message });
    }
  });

  it('refuses unknown types, inherited ones included, and values that are no object', () => {
    assert.equal(refused({ type: 'runCommand', command: 'workbench.action.terminal.new' }), UNKNOWN_TYPE);
    assert.equal(refused({ type: 'toString' }), UNKNOWN_TYPE);
    assert.equal(refused({ type: '__proto__' }), UNKNOWN_TYPE);
    assert.equal(refused(Object.create({ type: 'ready' })), UNKNOWN_TYPE);
    assert.equal(refused({}), UNKNOWN_TYPE);
    assert.equal(refused('ready'), UNKNOWN_TYPE);
    assert.equal(refused(['ready']), UNKNOWN_TYPE);
    assert.equal(refused(null), UNKNOWN_TYPE);
    assert.equal(refused(undefined), UNKNOWN_TYPE);
  });

  it('refuses wrong types and missing fields, naming them', () => {
    assert.equal(refused({ type: 'openIncident', root: '/work/shop' }), 'openIncident: expected id: text');
    assert.equal(refused({ type: 'openIncident', root: '/work/shop', id: 7 }), 'openIncident: expected id: text');
    assert.equal(refused({ type: 'openSlo', root: ['/'], service: 'checkout', slo: '' }), 'openSlo: expected root: text; slo: non-empty text');
  });

  it('refuses extra keys, prototype keys included', () => {
    assert.equal(refused({ type: 'ready', command: 'x' }), 'ready: expected only the keys type (not "command")');
    const cloned = JSON.parse('{"type":"refresh","__proto__":{"polluted":true}}');
    assert.equal(refused(cloned), 'refresh: expected only the keys type (not "__proto__")');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses huge text without echoing it', () => {
    const problem = refused({ type: 'openIncident', root: '/work/shop', id: 'A'.repeat(1_000_000) });
    assert.equal(problem, 'openIncident: expected id: text of at most 4096 characters');
  });
});

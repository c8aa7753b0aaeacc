import { strict as assert } from 'node:assert';
import { needsAttention, rankServices, serviceHealth, visibleServices } from '../../src/core/attention';
import type { ServiceHealth } from '../../src/core/attention';
import type { SloStatus } from '../../src/core/model';

function service(name: string, status: SloStatus | null, remaining = 0.5, openIncidents = 0, failing = false): ServiceHealth {
  return { name, worst: status === null ? null : { status, budget: { remaining } }, openIncidents, failing };
}

describe('which services need attention, and in what order', () => {
  it('needs attention: warning, critical or exhausted, a failed read, or an open incident; not no-data alone', () => {
    assert.equal(needsAttention(service('a', 'warning')), true);
    assert.equal(needsAttention(service('a', 'critical')), true);
    assert.equal(needsAttention(service('a', 'exhausted')), true);
    assert.equal(needsAttention(service('a', 'healthy', 0.9, 1)), true, 'an open incident');
    assert.equal(needsAttention(service('a', 'healthy', 0.9, 0, true)), true, 'an SLO that could not be read');
    assert.equal(needsAttention(service('a', null, 0, 1)), true, 'an incident on a service without SLOs');
    assert.equal(needsAttention(service('a', 'healthy')), false);
    assert.equal(needsAttention(service('a', 'no-data')), false);
    assert.equal(needsAttention(service('a', null)), false);
  });

  it('ranks attention first, then worse status, more open incidents, less budget, then the given order', () => {
    const ranked = rankServices([
      service('healthy-a', 'healthy', 0.9),
      service('no-slos', null),
      service('warning-low', 'warning', 0.1),
      service('healthy-incident', 'healthy', 0.95, 1),
      service('no-data', 'no-data'),
      service('critical', 'critical', 0.3),
      service('warning-high', 'warning', 0.2),
      service('warning-incidents', 'warning', 0.2, 2),
      service('healthy-b', 'healthy', 0.9),
      service('exhausted', 'exhausted', -0.4),
    ]);
    assert.deepEqual(
      ranked.map((s) => s.name),
      ['exhausted', 'critical', 'warning-incidents', 'warning-low', 'warning-high', 'healthy-incident', 'no-data', 'healthy-a', 'healthy-b', 'no-slos'],
    );
  });

  it("pins the open file's services first, in the order given, whatever their status", () => {
    const services = [service('a', 'critical'), service('b', 'healthy'), service('c', 'warning'), service('d', 'healthy')];
    assert.deepEqual(rankServices(services, ['d', 'b']).map((s) => s.name), ['d', 'b', 'a', 'c']);
    assert.deepEqual(rankServices(services, ['missing']).map((s) => s.name), ['a', 'c', 'b', 'd'], 'a pin that names no service changes nothing');
  });

  it('filters to those that need attention, keeping the pinned ones', () => {
    const ranked = rankServices([service('a', 'healthy'), service('b', 'critical'), service('c', 'no-data'), service('d', 'healthy', 0.9, 1)], ['c']);
    assert.deepEqual(visibleServices(ranked, { attentionOnly: false }).map((s) => s.name), ['c', 'b', 'd', 'a']);
    assert.deepEqual(visibleServices(ranked, { attentionOnly: true, pinned: ['c'] }).map((s) => s.name), ['c', 'b', 'd']);
    assert.deepEqual(visibleServices(ranked, { attentionOnly: true }).map((s) => s.name), ['b', 'd']);
  });

  it("reads a service's health from its own SLO reports", () => {
    const reports = [
      { service: 'checkout', status: 'healthy' as const, budget: { remaining: 0.8 } },
      { service: 'checkout', status: 'warning' as const, budget: { remaining: 0.2 } },
      { service: 'search', status: 'critical' as const, budget: { remaining: 0.1 }, error: 'Prometheus answered 503' },
    ];
    const checkout = serviceHealth('checkout', reports, 0);
    assert.deepEqual(checkout, { name: 'checkout', worst: reports[1], openIncidents: 0, failing: false });
    assert.equal(serviceHealth('search', reports, 2).failing, true);
    assert.equal(serviceHealth('billing', reports, 0).worst, null);
  });
});

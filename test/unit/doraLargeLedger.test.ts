// Issue 12 item 11: a ledger or an incident source may hold hundreds of thousands of incidents. Spreading
// them into Math.max overflowed the call stack; the DORA report must still come out, with the same numbers.
import { strict as assert } from 'node:assert';
import { computeDora } from '../../src/core/dora';
import type { Deployment } from '../../src/core/model';
import { HOUR, NOW, DAY, incident } from './builders/reportBuilders';

describe('DORA over a very large incident ledger', () => {
  it('links 200,000 incidents to one deployment and takes the latest resolution as its recovery', () => {
    const deployed = NOW - 10 * DAY;
    const deployment: Deployment = { name: 'v1', commit: 'c1aaaaaaaa', time: deployed, services: [], source: 'git-tags' };
    const count = 200_000;
    const incidents = Array.from({ length: count }, (_, index) =>
      incident({ id: `INC-${index}`, service: 'checkout', startedAt: deployed + HOUR, resolvedAt: deployed + 2 * HOUR + index * 1000 }),
    );
    const dora = computeDora({
      deployments: [deployment],
      changesByDeployment: new Map([['v1', []]]),
      commits: new Map(),
      shippedBy: new Map(),
      incidents,
      now: NOW,
    });
    assert.equal(dora.changeFailureRate, 1);
    assert.deepEqual(dora.failedDeploymentRecoverySeconds, { median: (2 * HOUR + (count - 1) * 1000) / 1000 });
  });

  it('leaves the deployment out of recovery while one of its many incidents is open', () => {
    const deployed = NOW - 10 * DAY;
    const deployment: Deployment = { name: 'v1', commit: 'c1aaaaaaaa', time: deployed, services: [], source: 'git-tags' };
    const incidents = Array.from({ length: 200_000 }, (_, index) =>
      incident({ id: `INC-${index}`, service: 'checkout', startedAt: deployed + HOUR, resolvedAt: index === 123_456 ? null : deployed + 2 * HOUR }),
    );
    const dora = computeDora({ deployments: [deployment], changesByDeployment: new Map([['v1', []]]), commits: new Map(), shippedBy: new Map(), incidents, now: NOW });
    assert.deepEqual(dora.failedDeploymentRecoverySeconds, { median: null });
  });
});

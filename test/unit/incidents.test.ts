import { strict as assert } from 'node:assert';
import {
  effectiveRecentDays,
  isOpenAt,
  isRecentAt,
  recentIncidents,
  searchIncidents,
  sortIncidents,
} from '../../src/core/incidents';
import { serviceNames } from '../../src/core/serviceList';
import { DAY, HOUR, NOW, incident } from './builders/reportBuilders';

const incidents = [
  incident({ id: 'INC-1', service: 'search', title: 'Search returns 500', severity: 'SEV3', startedAt: NOW - 80 * HOUR, resolvedAt: NOW - 78 * HOUR }),
  incident({ id: 'INC-5', service: 'checkout', title: 'Payment retry storm', severity: 'SEV2', startedAt: NOW - 9 * HOUR, resolvedAt: NOW - 5 * HOUR }),
  incident({ id: 'INC-7', service: 'checkout', title: 'Payment declines', severity: 'SEV2', startedAt: NOW - 3 * HOUR }),
];

describe('incident search', () => {
  it('matches id, title, service and severity, case-insensitively', () => {
    assert.deepEqual(searchIncidents(incidents, 'inc-1', NOW).map((i) => i.id), ['INC-1']);
    assert.deepEqual(searchIncidents(incidents, 'PAYMENT', NOW).map((i) => i.id), ['INC-7', 'INC-5']);
    assert.deepEqual(searchIncidents(incidents, 'search', NOW).map((i) => i.id), ['INC-1']);
    assert.deepEqual(searchIncidents(incidents, 'sev2', NOW).map((i) => i.id), ['INC-7', 'INC-5']);
  });

  it('needs every term to match, and lists open incidents first', () => {
    assert.deepEqual(searchIncidents(incidents, 'checkout storm', NOW).map((i) => i.id), ['INC-5']);
    assert.deepEqual(searchIncidents(incidents, '', NOW).map((i) => i.id), ['INC-7', 'INC-5', 'INC-1']);
    assert.deepEqual(searchIncidents(incidents, 'nothing-like-this', NOW), []);
  });

  it('leaves out incidents that start after the evaluation time', () => {
    // At NOW - 4h, INC-7 (started NOW - 3h) has not happened yet; INC-5 (NOW - 9h to NOW - 5h) is resolved.
    assert.deepEqual(searchIncidents(incidents, 'payment', NOW - 4 * HOUR).map((i) => i.id), ['INC-5']);
  });
});

describe('open and recent at an evaluation time (DOMAIN.md sections 1 and 4)', () => {
  const resolvedLater = incident({ id: 'INC-L', service: 'checkout', startedAt: NOW - HOUR, resolvedAt: NOW + HOUR });

  it('keeps an incident resolved after now open at now', () => {
    assert.equal(isOpenAt(resolvedLater, NOW), true);
    assert.equal(isOpenAt(resolvedLater, NOW + HOUR), false, 'resolved exactly at now + 1h: no longer open then');
    assert.equal(isOpenAt(resolvedLater, NOW - 2 * HOUR), false, 'not started yet');
  });

  it('counts as recent what is open, or started or resolved in (now - recentDays, now]', () => {
    const days = 30;
    const resolvedInside = incident({ id: 'A', service: 's', startedAt: NOW - 40 * DAY, resolvedAt: NOW - 29 * DAY });
    const resolvedOnEdge = incident({ id: 'B', service: 's', startedAt: NOW - 40 * DAY, resolvedAt: NOW - 30 * DAY });
    const startedInside = incident({ id: 'C', service: 's', startedAt: NOW - 30 * DAY + 1, resolvedAt: NOW - 29 * DAY });
    const longOpen = incident({ id: 'D', service: 's', startedAt: NOW - 400 * DAY, resolvedAt: null });
    const future = incident({ id: 'E', service: 's', startedAt: NOW + 1, resolvedAt: null });
    assert.equal(isRecentAt(resolvedInside, NOW, days), true);
    assert.equal(isRecentAt(resolvedOnEdge, NOW, days), false, 'the window is open at its start: now - 30d is outside');
    assert.equal(isRecentAt(startedInside, NOW, days), true);
    assert.equal(isRecentAt(longOpen, NOW, days), true, 'open, however old');
    assert.equal(isRecentAt(future, NOW, days), false, 'does not exist yet');
    assert.equal(isRecentAt(resolvedLater, NOW, 1), true, 'open at now');
    // With 7 days, the one resolved 29 days ago is history.
    assert.equal(isRecentAt(resolvedInside, NOW, 7), false);
  });

  it('lets the user setting or --recent-days replace config.yaml recentDays', () => {
    assert.equal(effectiveRecentDays(30, null), 30);
    assert.equal(effectiveRecentDays(30, undefined), 30);
    assert.equal(effectiveRecentDays(30, 7), 7);
  });
});

describe('the one incident order', () => {
  it('puts open first, then SEV1 before SEV5, then the newest start, then the id', () => {
    const list = [
      incident({ id: 'R-old-SEV1', service: 's', severity: 'SEV1', startedAt: NOW - 20 * DAY, resolvedAt: NOW - 19 * DAY }),
      incident({ id: 'O-SEV3', service: 's', severity: 'SEV3', startedAt: NOW - HOUR }),
      incident({ id: 'R-new-SEV4', service: 's', severity: 'SEV4', startedAt: NOW - 2 * DAY, resolvedAt: NOW - DAY }),
      incident({ id: 'O-SEV1-old', service: 's', severity: 'SEV1', startedAt: NOW - 5 * HOUR }),
      // Resolved after NOW: open at NOW, so among the open ones, after both SEV1s.
      incident({ id: 'O-SEV2-later', service: 's', severity: 'SEV2', startedAt: NOW - 10 * HOUR, resolvedAt: NOW + HOUR }),
      incident({ id: 'O-SEV1-new', service: 's', severity: 'SEV1', startedAt: NOW - 2 * HOUR }),
      incident({ id: 'R-new-SEV4-b', service: 's', severity: 'SEV4', startedAt: NOW - 2 * DAY, resolvedAt: NOW - DAY }),
    ];
    assert.deepEqual(
      sortIncidents(list, NOW).map((i) => i.id),
      ['O-SEV1-new', 'O-SEV1-old', 'O-SEV2-later', 'O-SEV3', 'R-old-SEV1', 'R-new-SEV4', 'R-new-SEV4-b'],
    );
    // Recent with 7 days: the SEV1 resolved 19 days ago drops out; the order of the rest stays.
    assert.deepEqual(
      recentIncidents(list, NOW, 7).map((i) => i.id),
      ['O-SEV1-new', 'O-SEV1-old', 'O-SEV2-later', 'O-SEV3', 'R-new-SEV4', 'R-new-SEV4-b'],
    );
  });
});

describe('the one services list', () => {
  it('lists config.yaml services, then SLO-only, then incident-only services, each once', () => {
    const names = serviceNames({
      config: { services: [{ name: 'checkout' }, { name: 'search' }] },
      sloReports: [{ service: 'search' }, { service: 'ledger' }, { service: 'checkout' }, { service: 'ledger' }],
      incidents: [
        incident({ id: 'A', service: 'payments-gateway', startedAt: NOW - HOUR }),
        incident({ id: 'B', service: 'checkout', startedAt: NOW - HOUR }),
        incident({ id: 'C', service: 'ledger', startedAt: NOW - HOUR }),
        incident({ id: 'D', service: 'future-only', startedAt: NOW + HOUR }),
        incident({ id: 'E', service: 'payments-gateway', startedAt: NOW - DAY, resolvedAt: NOW - HOUR }),
      ],
      now: NOW,
    });
    assert.deepEqual(names, ['checkout', 'search', 'ledger', 'payments-gateway']);
  });
});

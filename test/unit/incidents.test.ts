import { strict as assert } from 'node:assert';
import { searchIncidents } from '../../src/core/incidents';
import { HOUR, NOW, incident } from './builders/reportBuilders';

const incidents = [
  incident({ id: 'INC-1', service: 'search', title: 'Search returns 500', severity: 'SEV3', startedAt: NOW - 80 * HOUR, resolvedAt: NOW - 78 * HOUR }),
  incident({ id: 'INC-5', service: 'checkout', title: 'Payment retry storm', severity: 'SEV2', startedAt: NOW - 9 * HOUR, resolvedAt: NOW - 5 * HOUR }),
  incident({ id: 'INC-7', service: 'checkout', title: 'Payment declines', severity: 'SEV2', startedAt: NOW - 3 * HOUR }),
];

describe('incident search', () => {
  it('matches id, title, service and severity, case-insensitively', () => {
    assert.deepEqual(searchIncidents(incidents, 'inc-1').map((i) => i.id), ['INC-1']);
    assert.deepEqual(searchIncidents(incidents, 'PAYMENT').map((i) => i.id), ['INC-7', 'INC-5']);
    assert.deepEqual(searchIncidents(incidents, 'search').map((i) => i.id), ['INC-1']);
    assert.deepEqual(searchIncidents(incidents, 'sev2').map((i) => i.id), ['INC-7', 'INC-5']);
  });

  it('needs every term to match, and lists open incidents first', () => {
    assert.deepEqual(searchIncidents(incidents, 'checkout storm').map((i) => i.id), ['INC-5']);
    assert.deepEqual(searchIncidents(incidents, '').map((i) => i.id), ['INC-7', 'INC-5', 'INC-1']);
    assert.deepEqual(searchIncidents(incidents, 'nothing-like-this'), []);
  });
});

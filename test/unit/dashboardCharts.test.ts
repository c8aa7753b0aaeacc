import { strict as assert } from 'node:assert';
import { burnDownDays, burnDownRange, formatPercentTick, searchServices, weeklyRows } from '../../media/dashboard/chartData';

const DAY = 86_400_000;
const START = Date.parse('2026-11-18T00:00:00Z');

describe('dashboard charts: scales and the numbers behind them', () => {
  it('draws the burn-down on 0–100% unless fitted, widening for an overspent budget', () => {
    assert.deepEqual(burnDownRange([97, 95, 93], false), [0, 100]);
    assert.deepEqual(burnDownRange([40, -35], false), [-40, 100]);
    assert.deepEqual(burnDownRange([], true), [0, 100]);
  });

  it('fits the burn-down to its data so a drop from 97% to 93% fills the chart', () => {
    const [low, high] = burnDownRange([97, 96.2, 95, 93.4, 93], true);
    assert.ok(low <= 93 && low >= 92, `low ${low}`);
    assert.ok(high >= 97 && high <= 98, `high ${high}`);
    // The 4-point drop takes most of the height, not 4% of it.
    assert.ok((97 - 93) / (high - low) > 0.6, `the drop's share of the axis: ${(97 - 93) / (high - low)}`);
    const [flatLow, flatHigh] = burnDownRange([88, 88, 88], true);
    assert.ok(flatLow < 88 && flatHigh > 88 && flatHigh - flatLow <= 2, `a flat line gets a small margin: ${flatLow}–${flatHigh}`);
    assert.deepEqual(burnDownRange([12.34, 12.36], true).map((v) => Number.isInteger(v * 1000)), [true, true], 'round ticks');
  });

  it('writes ticks with the decimals their step needs', () => {
    assert.equal(formatPercentTick(95, 1), '95%');
    assert.equal(formatPercentTick(95.5, 0.5), '95.5%');
    assert.equal(formatPercentTick(95.25, 0.25), '95.3%');
  });

  it("tables the burn-down by UTC day: the day's last value and its lowest", () => {
    const rows = burnDownDays([
      [START + 2 * 3_600_000, 0.97],
      [START + 12 * 3_600_000, 0.931],
      [START + 23 * 3_600_000, 0.95],
      [START + DAY + 3_600_000, 0.94],
    ]);
    assert.deepEqual(rows, [
      { day: '2026-11-18', end: '95%', lowest: '93%' },
      { day: '2026-11-19', end: '94%', lowest: '94%' },
    ]);
  });

  it('tables weekly values, saying "no data" for an empty week', () => {
    const weeks = [START / 1000, (START + 7 * DAY) / 1000];
    assert.deepEqual(weeklyRows(weeks, [3, null], (value) => `${value} deployments`), [
      { week: '2026-11-18', value: '3 deployments' },
      { week: '2026-11-25', value: 'no data' },
    ]);
  });

  it('finds services by every word typed, in the order given', () => {
    const services = [{ name: 'payments-gateway' }, { name: 'checkout' }, { name: 'payments-ledger' }, { name: 'Search' }];
    assert.deepEqual(searchServices(services, 'pay').map((s) => s.name), ['payments-gateway', 'payments-ledger']);
    assert.deepEqual(searchServices(services, 'PAY  ledger').map((s) => s.name), ['payments-ledger']);
    assert.deepEqual(searchServices(services, 'search').map((s) => s.name), ['Search']);
    assert.deepEqual(searchServices(services, '   ').length, 4);
    assert.deepEqual(searchServices(services, 'billing'), []);
  });
});

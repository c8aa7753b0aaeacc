import { strict as assert } from 'node:assert';
import { ALERT_RULES, errorRatio, evaluateSlo, evaluateSloFromSamples } from '../../src/core/slo';
import type { AlertRule, BurnWindow, SloReport } from '../../src/core/model';
import {
  at,
  calendarSlo,
  DAY,
  everyBurnWindow,
  HOUR,
  MINUTE,
  policy,
  rollingSlo,
  sloCounts,
} from './builders/sloBuilders';

// Objective 15/16 makes the allowed error ratio a = 1/16, and counts out of 1024 keep every ratio a
// binary fraction, so the expected numbers below are exact, not approximations.
const OBJECTIVE = 0.9375;
const NOW = at('2026-03-20T12:00:00Z');
const slo28d = rollingSlo({ objective: OBJECTIVE, window: '28d' });
const PERFECT = everyBurnWindow(1024, 1024);

function assertClose(actual: number | null, expected: number, message?: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${message ?? ''} expected ${expected}, got ${actual}`);
}

describe('evaluateSlo', () => {
  it('computes SLI, budget, burn rates and exhaustion time of a rolling window', () => {
    const report = evaluateSlo(
      slo28d,
      sloCounts({ window: [992, 1024], burn: { ...everyBurnWindow(1008, 1024), '1d': [896, 1024] } }),
      NOW,
      policy(),
    );
    const expected: SloReport = {
      name: 'checkout-availability',
      service: 'checkout',
      objective: 0.9375,
      window: '28d',
      windowStart: NOW - 28 * DAY,
      windowEnd: NOW,
      budgetingMethod: 'Occurrences',
      sli: 0.96875,
      good: 992,
      total: 1024,
      // e(W) = 32/1024 = 1/32; consumed = (1/32) / (1/16).
      budget: { remaining: 0.5, consumed: 0.5 },
      burnRates: { '5m': 0.25, '30m': 0.25, '1h': 0.25, '2h': 0.25, '6h': 0.25, '1d': 2, '3d': 0.25 },
      alerts: [],
      // r * W / burn(1d) = 0.5 * 28d / 2 = 7d.
      exhaustionEta: NOW + 7 * DAY,
      status: 'healthy',
      burnDown: [],
      file: '.reliability/slos/checkout.yaml',
    };
    assert.deepEqual(report, expected);
  });

  it('reports negative remaining budget when overspent, and exhaustion now', () => {
    const report = evaluateSlo(slo28d, sloCounts({ window: [896, 1024], burn: PERFECT }), NOW, policy());
    assert.deepEqual(report.budget, { remaining: -1, consumed: 2 });
    assert.equal(report.status, 'exhausted');
    assert.equal(report.exhaustionEta, NOW);
  });

  it('is exhausted at exactly zero remaining', () => {
    const report = evaluateSlo(slo28d, sloCounts({ window: [960, 1024], burn: PERFECT }), NOW, policy());
    assert.deepEqual(report.budget, { remaining: 0, consumed: 1 });
    assert.equal(report.status, 'exhausted');
    assert.equal(report.exhaustionEta, NOW);
  });

  it('never exhausts (null) when nothing burns over the last day', () => {
    const noErrors = evaluateSlo(slo28d, sloCounts({ window: [992, 1024], burn: PERFECT }), NOW, policy());
    assert.equal(noErrors.exhaustionEta, null);
    const noEvents = evaluateSlo(slo28d, sloCounts({ window: [992, 1024] }), NOW, policy());
    assert.equal(noEvents.burnRates['1d'], 0);
    assert.equal(noEvents.exhaustionEta, null);
  });

  it('says no-data when the window has no events, whatever the burn windows say', () => {
    const report = evaluateSlo(
      slo28d,
      sloCounts({ window: [0, 0], burn: { '5m': [0, 100], '1h': [0, 100], '1d': [0, 100] } }),
      NOW,
      policy(),
    );
    assert.equal(report.status, 'no-data');
    assert.equal(report.sli, null);
    assert.deepEqual(report.budget, { remaining: 1, consumed: 0 });
    assert.equal(report.exhaustionEta, null);
    assert.deepEqual(report.burnRates, { '5m': 16, '30m': 0, '1h': 16, '2h': 0, '6h': 0, '1d': 16, '3d': 0 });
    assert.deepEqual(report.alerts, [{ severity: 'page', long: '1h', short: '5m', threshold: 14.4 }]);
  });

  it('burns 0 in windows without events', () => {
    const report = evaluateSlo(slo28d, sloCounts({ window: [1000, 1024] }), NOW, policy());
    assert.deepEqual(report.burnRates, { '5m': 0, '30m': 0, '1h': 0, '2h': 0, '6h': 0, '1d': 0, '3d': 0 });
  });

  describe('multiwindow alerts', () => {
    it('has the four documented rules', () => {
      assert.deepEqual(ALERT_RULES, [
        { severity: 'page', long: '1h', short: '5m', threshold: 14.4 },
        { severity: 'page', long: '6h', short: '30m', threshold: 6 },
        { severity: 'ticket', long: '1d', short: '2h', threshold: 3 },
        { severity: 'ticket', long: '3d', short: '6h', threshold: 1 },
      ]);
    });

    // Per rule: counts out of 1024 burning just over the threshold, and counts burning exactly at it.
    const cases: Array<{ rule: AlertRule; over: [number, number]; exactly: [number, number]; status: string }> = [
      { rule: ALERT_RULES[0], over: [64, 1024], exactly: [100, 1000], status: 'critical' }, // 15 and 14.4
      { rule: ALERT_RULES[1], over: [576, 1024], exactly: [625, 1000], status: 'critical' }, // 7 and 6
      { rule: ALERT_RULES[2], over: [768, 1024], exactly: [832, 1024], status: 'warning' }, // 4 and 3
      { rule: ALERT_RULES[3], over: [896, 1024], exactly: [960, 1024], status: 'warning' }, // 2 and 1
    ];

    function evaluateWith(burn: Partial<Record<BurnWindow, [number, number]>>): SloReport {
      return evaluateSlo(slo28d, sloCounts({ window: [1024, 1024], burn: { ...PERFECT, ...burn } }), NOW, policy());
    }

    for (const { rule, over, exactly, status } of cases) {
      const name = `${rule.severity} ${rule.long}/${rule.short} > ${rule.threshold}`;

      it(`${name}: fires when both windows burn faster`, () => {
        const report = evaluateWith({ [rule.long]: over, [rule.short]: over });
        assert.ok(report.burnRates[rule.long] > rule.threshold);
        assert.deepEqual(report.alerts, [rule]);
        assert.equal(report.status, status);
      });

      it(`${name}: does not fire when only the long window burns faster`, () => {
        const report = evaluateWith({ [rule.long]: over });
        assert.deepEqual(report.alerts, []);
        assert.equal(report.status, 'healthy');
      });

      it(`${name}: does not fire when only the short window burns faster`, () => {
        assert.deepEqual(evaluateWith({ [rule.short]: over }).alerts, []);
      });

      it(`${name}: does not fire when either window burns at exactly the threshold`, () => {
        const shortAtThreshold = evaluateWith({ [rule.long]: over, [rule.short]: exactly });
        assert.equal(shortAtThreshold.burnRates[rule.short], rule.threshold);
        assert.deepEqual(shortAtThreshold.alerts, []);
        const longAtThreshold = evaluateWith({ [rule.long]: exactly, [rule.short]: over });
        assert.equal(longAtThreshold.burnRates[rule.long], rule.threshold);
        assert.deepEqual(longAtThreshold.alerts, []);
      });
    }

    it('lists every firing rule in table order', () => {
      const report = evaluateWith(everyBurnWindow(0, 1024)); // burn 16 everywhere
      assert.deepEqual(report.alerts, ALERT_RULES);
    });
  });

  describe('status order', () => {
    const pageBurn = { '1h': [64, 1024], '5m': [64, 1024] } as const;
    const ticketBurn = { '1d': [768, 1024], '2h': [768, 1024] } as const;

    function statusOf(window: [number, number], burn: Partial<Record<BurnWindow, readonly [number, number]>>, cautionBelow = 0.25) {
      const merged: Partial<Record<BurnWindow, [number, number]>> = { ...PERFECT };
      for (const [label, pair] of Object.entries(burn)) merged[label as BurnWindow] = [pair[0], pair[1]];
      return evaluateSlo(slo28d, sloCounts({ window, burn: merged }), NOW, policy({ cautionBelow })).status;
    }

    it('puts exhausted before critical', () => {
      assert.equal(statusOf([896, 1024], pageBurn), 'exhausted');
    });

    it('puts critical before warning', () => {
      assert.equal(statusOf([968, 1024], { ...pageBurn, ...ticketBurn }), 'critical');
    });

    it('warns on a ticket alert with a full budget', () => {
      assert.equal(statusOf([1024, 1024], ticketBurn), 'warning');
    });

    it('warns when remaining is below cautionBelow, strictly', () => {
      // [968, 1024]: e = 56/1024, consumed 0.875, remaining 0.125.
      assert.equal(statusOf([968, 1024], {}), 'warning');
      // [976, 1024]: remaining exactly 0.25.
      assert.equal(statusOf([976, 1024], {}), 'healthy');
    });

    it('uses the policy cautionBelow', () => {
      // [984, 1024]: remaining 0.375.
      assert.equal(statusOf([984, 1024], {}, 0.25), 'healthy');
      assert.equal(statusOf([984, 1024], {}, 0.5), 'warning');
      assert.equal(statusOf([968, 1024], {}, 0), 'healthy');
    });
  });

  describe('calendar windows', () => {
    const counts = sloCounts({ window: [992, 1024], burn: { ...PERFECT, '1d': [896, 1024] } });

    it('spreads the budget over the whole Berlin month for the ETA (31 days less the DST hour)', () => {
      const monthly = calendarSlo({
        objective: OBJECTIVE,
        unit: 'M',
        startTime: '2025-12-31T23:00:00Z',
        timeZone: 'Europe/Berlin',
      });
      const report = evaluateSlo(monthly, counts, NOW, policy());
      assert.equal(report.window, '1M');
      assert.equal(report.windowStart, at('2026-02-28T23:00:00Z'));
      assert.equal(report.windowEnd, NOW);
      assert.equal(report.exhaustionEta, NOW + (0.5 * (31 * DAY - HOUR)) / 2);
      assert.equal(report.status, 'healthy');
    });

    it('uses the quarter length', () => {
      const quarterly = calendarSlo({ objective: OBJECTIVE, unit: 'Q', startTime: '2026-01-01T00:00:00Z', timeZone: 'UTC' });
      const now = at('2026-05-20T00:00:00Z');
      const report = evaluateSlo(quarterly, counts, now, policy());
      assert.equal(report.windowStart, at('2026-04-01T00:00:00Z'));
      // April + May + June = 91 days; 0.5 * 91d / 2.
      assert.equal(report.exhaustionEta, now + (91 * DAY) / 4);
    });

    it('uses the week length', () => {
      const weekly = calendarSlo({ objective: OBJECTIVE, unit: 'w', startTime: '2026-01-05T00:00:00Z', timeZone: 'UTC' });
      const report = evaluateSlo(weekly, counts, NOW, policy());
      assert.equal(report.windowStart, at('2026-03-16T00:00:00Z'));
      assert.equal(report.exhaustionEta, NOW + (7 * DAY) / 4);
    });
  });

  describe('timeslices', () => {
    const sliced = rollingSlo({ objective: OBJECTIVE, window: '28d', timeslices: { sliceMs: MINUTE, sliceTarget: 0.99 } });

    it('takes the SLI from slices and keeps burn rates event-based', () => {
      const report = evaluateSlo(
        sliced,
        sloCounts({ window: [1000, 1024], burn: { ...PERFECT, '1d': [896, 1024] }, slices: { good: 31, withData: 32 } }),
        NOW,
        policy(),
      );
      assert.equal(report.budgetingMethod, 'Timeslices');
      assert.equal(report.sli, 0.96875);
      assert.deepEqual(report.budget, { remaining: 0.5, consumed: 0.5 });
      assert.equal(report.good, 1000);
      assert.equal(report.total, 1024);
      assert.equal(report.burnRates['1d'], 2);
      assert.equal(report.exhaustionEta, NOW + 7 * DAY);
      assert.equal(report.status, 'healthy');
    });

    it('exhausts on bad slices even when events look fine', () => {
      const report = evaluateSlo(
        sliced,
        sloCounts({ window: [1024, 1024], burn: PERFECT, slices: { good: 15, withData: 16 } }),
        NOW,
        policy(),
      );
      assert.equal(report.sli, 0.9375);
      assert.deepEqual(report.budget, { remaining: 0, consumed: 1 });
      assert.equal(report.status, 'exhausted');
    });

    it('has no data without slices with data', () => {
      const report = evaluateSlo(sliced, sloCounts({ window: [0, 0], slices: { good: 0, withData: 0 } }), NOW, policy());
      assert.equal(report.status, 'no-data');
      assert.equal(report.sli, null);
    });

    it('refuses counts without slices', () => {
      assert.throws(() => evaluateSlo(sliced, sloCounts({ window: [1, 1] }), NOW, policy()), /Timeslices/);
    });
  });

  describe('burn-down', () => {
    it('spends the whole window allowance bucket by bucket, ending at the remaining budget', () => {
      const ends = [1, 2, 3, 4].map((index) => NOW - 28 * DAY + index * 7 * DAY);
      const report = evaluateSlo(
        slo28d,
        sloCounts({
          window: [244, 256],
          burn: PERFECT,
          buckets: [
            { end: ends[0], good: 64, total: 64 },
            { end: ends[1], good: 56, total: 64 },
            { end: ends[2], good: 64, total: 64 },
            { end: ends[3], good: 60, total: 64 },
          ],
        }),
        NOW,
        policy(),
      );
      // Allowed bad events a * total(W) = 256 / 16 = 16; cumulative bad 0, 8, 8, 12.
      assert.deepEqual(report.burnDown, [
        [ends[0], 1],
        [ends[1], 0.5],
        [ends[2], 0.5],
        [ends[3], 0.25],
      ]);
      assert.equal(report.budget.remaining, 0.25);
    });

    it('stays at 1 without events', () => {
      const report = evaluateSlo(
        slo28d,
        sloCounts({ window: [0, 0], buckets: [{ end: NOW, good: 0, total: 0 }] }),
        NOW,
        policy(),
      );
      assert.deepEqual(report.burnDown, [[NOW, 1]]);
    });
  });

  describe('realistic objectives', () => {
    it('handles objective 0.95', () => {
      const slo95 = rollingSlo({ objective: 0.95, window: '30d' });
      const overspent = evaluateSlo(slo95, sloCounts({ window: [900, 1000], burn: { '1h': [0, 100], '5m': [0, 10] } }), NOW, policy());
      assertClose(overspent.budget.consumed, 2);
      assertClose(overspent.budget.remaining, -1);
      assertClose(overspent.burnRates['1h'], 20);
      assert.equal(overspent.status, 'exhausted');
      assert.equal(overspent.alerts.length, 1);

      const fine = evaluateSlo(slo95, sloCounts({ window: [990, 1000], burn: { '1d': [98, 100] } }), NOW, policy());
      assertClose(fine.budget.remaining, 0.8);
      assertClose(fine.burnRates['1d'], 0.4);
      // 0.8 * 30d / 0.4 = 60d.
      assertClose(fine.exhaustionEta! - NOW, 60 * DAY);
      assert.equal(fine.status, 'healthy');
    });

    it('handles objective 0.999 like the documented example', () => {
      const slo999 = rollingSlo({ objective: 0.999, window: '28d' });
      const report = evaluateSlo(slo999, sloCounts({ window: [998620, 999000] }), NOW, policy());
      assertClose(report.sli, 998620 / 999000);
      // e = 380 / 999000; consumed = e / 0.001.
      assertClose(report.budget.consumed, 0.38038038038038);
      assertClose(report.budget.remaining, 0.61961961961962);
    });
  });

  it('gives an objective of 1 no budget: nothing burns without errors, any error exhausts it', () => {
    const perfection = rollingSlo({ objective: 1, window: '28d' });
    const clean = evaluateSlo(perfection, sloCounts({ window: [1024, 1024], burn: PERFECT }), NOW, policy());
    assert.deepEqual(clean.budget, { remaining: 1, consumed: 0 });
    assert.equal(clean.burnRates['1d'], 0);
    assert.equal(clean.status, 'healthy');
    const oneError = evaluateSlo(perfection, sloCounts({ window: [1023, 1024], burn: PERFECT }), NOW, policy());
    assert.equal(oneError.budget.consumed, Infinity);
    assert.equal(oneError.status, 'exhausted');
  });

  it('exports the error ratio with 0 for no events', () => {
    assert.equal(errorRatio({ good: 0, total: 0 }), 0);
    assert.equal(errorRatio({ good: 768, total: 1024 }), 0.25);
  });
});

describe('evaluateSlo with counts that are not finite', () => {
  /** Every number of a report: none may be NaN or Infinity, whatever the counts were. */
  function numbersOf(report: SloReport): number[] {
    return [
      report.good,
      report.total,
      report.budget.remaining,
      report.budget.consumed,
      ...Object.values(report.burnRates),
      ...report.burnDown.flat(),
      ...(report.sli === null ? [] : [report.sli]),
      ...(report.exhaustionEta === null ? [] : [report.exhaustionEta]),
    ];
  }

  const bad: Array<[string, ReturnType<typeof sloCounts>]> = [
    ['an infinite window total', sloCounts({ window: [1024, Infinity], burn: PERFECT })],
    ['a NaN window good', sloCounts({ window: [Number.NaN, 1024], burn: PERFECT })],
    ['an infinite 5m total (a server\'s "+Inf")', sloCounts({ window: [1024, 1024], burn: { ...PERFECT, '5m': [0, Infinity] } })],
    ['a NaN bucket', sloCounts({ window: [1024, 1024], burn: PERFECT, buckets: [{ end: NOW, good: Number.NaN, total: 1024 }] })],
    ['a negative total', sloCounts({ window: [0, -1], burn: PERFECT })],
  ];
  for (const [what, counts] of bad) {
    it(`reports ${what} as an error with no data, not healthy, every number finite`, () => {
      const report = evaluateSlo(slo28d, counts, NOW, policy());
      assert.equal(report.status, 'no-data');
      assert.match(report.error ?? '', /^its event counts cannot be evaluated: the (good|total) events .* are (infinite|not a number|negative)/);
      assert.equal(report.sli, null);
      assert.equal(report.exhaustionEta, null);
      assert.deepEqual(report.alerts, []);
      assert.ok(numbersOf(report).every(Number.isFinite), JSON.stringify(report));
    });
  }

  it('reports samples whose sum overflows (two rows of 1e308) as an error, not as GO with NaN%', () => {
    const report = evaluateSloFromSamples(
      slo28d,
      [
        [NOW - MINUTE, 1e308, 1e308],
        [NOW - 2 * MINUTE, 0, 1e308],
      ],
      NOW,
      policy(),
    );
    assert.equal(report.status, 'no-data');
    assert.equal(report.error, 'its event counts cannot be evaluated: the total events in the SLO window are infinite (a value too large, or a sum that overflowed)');
    assert.ok(numbersOf(report).every(Number.isFinite));
  });

  it('still evaluates sums beyond 2^53, which are finite', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const report = evaluateSloFromSamples(slo28d, [[NOW - MINUTE, big, big], [NOW - 2 * MINUTE, big, big]], NOW, policy());
    assert.equal(report.error, undefined);
    assert.equal(report.status, 'healthy');
    assert.equal(report.sli, 1);
  });
});

describe('evaluateSloFromSamples', () => {
  it('accumulates samples in one pass and evaluates them', () => {
    const report = evaluateSloFromSamples(
      slo28d,
      [
        [NOW - 27 * DAY, 992, 1024],
        [NOW - 12 * HOUR, 1024, 1024],
        [NOW - MINUTE, 1008, 1024],
        [NOW - 28 * DAY, 0, 1024], // on the window edge: out
        [NOW + MINUTE, 0, 1024], // after now: out
      ],
      NOW,
      policy(),
    );
    assert.equal(report.good, 3024);
    assert.equal(report.total, 3072);
    // e(W) = 48/3072 = 1/64: consumed 0.25.
    assert.deepEqual(report.budget, { remaining: 0.75, consumed: 0.25 });
    // Last day: 16 bad of 2048 -> e = 1/128, burn 0.125; last 5m: 16 of 1024 -> burn 0.25.
    assert.deepEqual(report.burnRates, { '5m': 0.25, '30m': 0.25, '1h': 0.25, '2h': 0.25, '6h': 0.25, '1d': 0.125, '3d': 0.125 });
    // 0.75 * 28d / 0.125 = 168d.
    assert.equal(report.exhaustionEta, NOW + 168 * DAY);
    assert.equal(report.status, 'healthy');
    // 336 two-hour buckets; the 27-days-ago sample ends bucket 11 (offset 24h).
    assert.equal(report.burnDown.length, 336);
    assert.deepEqual(report.burnDown[10], [NOW - 28 * DAY + 22 * HOUR, 1]);
    // Allowed bad events a * total(W) = 3072 / 16 = 192.
    assert.deepEqual(report.burnDown[11], [NOW - 27 * DAY, 1 - 32 / 192]);
    assert.deepEqual(report.burnDown[335], [NOW, 0.75]);
  });
});

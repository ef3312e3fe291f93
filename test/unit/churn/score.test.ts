import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CDNOW_BGNBD_PUBLISHED,
  conditionalExpectedPurchases,
  inTimeUnit,
  probabilityAlive,
} from '../../../shared/domain/churn/bgnbd';
import { expectedAverageValue } from '../../../shared/domain/churn/gamma-gamma';
import { scoreCustomer, scoreCustomers, type ScoreInput, type ScoringModel } from '../../../shared/domain/churn/score';

const relErr = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);

const inDays: ScoringModel = {
  purchases: inTimeUnit(CDNOW_BGNBD_PUBLISHED, 'days'),
  spend: { p: 6.25, q: 3.74, v: 1_544 },
};
const inWeeks: ScoringModel = { ...inDays, purchases: CDNOW_BGNBD_PUBLISHED };

const customer = fc
  .tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 730 }),
    fc.integer({ min: 0, max: 730 }),
    fc.integer({ min: 1, max: 50_000 }),
  )
  .map(([x, a, b, m]): ScoreInput => {
    const T = Math.max(a, b);
    return { frequency: x, recency: x === 0 ? 0 : Math.min(a, b), age: T, averageRepeatValue: x === 0 ? null : m };
  });

describe('scoreCustomers', () => {
  it('is P(alive), E[X(90 days) | x, t_x, T] and E[X(365 days) | …] × E[M | x, m̄]', () => {
    fc.assert(
      fc.property(customer, (c) => {
        const s = scoreCustomer(inDays, c);
        const o = { frequency: c.frequency, recency: c.recency, age: c.age };
        const spend = expectedAverageValue(inDays.spend, c.frequency, c.averageRepeatValue);
        return (
          relErr(s.probabilityAlive, probabilityAlive(inDays.purchases, o)) < 1e-14 &&
          relErr(s.expectedPurchases, conditionalExpectedPurchases(inDays.purchases, o, 90)) < 1e-13 &&
          relErr(s.expectedValue, conditionalExpectedPurchases(inDays.purchases, o, 365) * spend) < 1e-12
        );
      }),
    );
  });

  it('converts the horizons into the model’s time unit (weeks: 90/7 and 365/7)', () => {
    const c = { frequency: 3, recency: 20, age: 30, averageRepeatValue: 2_500 };
    const s = scoreCustomer(inWeeks, c);
    expect(relErr(s.expectedPurchases, conditionalExpectedPurchases(CDNOW_BGNBD_PUBLISHED, c, 90 / 7))).toBeLessThan(
      1e-13,
    );
    // The same customer measured in days, with α in days, scores the same.
    const d = scoreCustomer(inDays, { ...c, recency: 140, age: 210 });
    expect(relErr(d.expectedPurchases, s.expectedPurchases)).toBeLessThan(1e-12);
    expect(relErr(d.expectedValue, s.expectedValue)).toBeLessThan(1e-12);
  });

  it('discounts the value period by period: Σ ΔE[X(t_k)] · E[M] / (1 + annual rate)^(t_k / 365 days)', () => {
    const c = { frequency: 2, recency: 200, age: 260, averageRepeatValue: 2_234.5 };
    const o = { frequency: 2, recency: 200, age: 260 };
    const rate = 0.1;
    const spend = expectedAverageValue(inDays.spend, 2, 2_234.5);
    let expected = 0;
    for (let k = 1; k <= 12; k++) {
      const [t0, t1] = [(365 * (k - 1)) / 12, (365 * k) / 12];
      const step =
        conditionalExpectedPurchases(inDays.purchases, o, t1) - conditionalExpectedPurchases(inDays.purchases, o, t0);
      expected += (step * spend) / (1 + rate) ** (t1 / 365);
    }
    const s = scoreCustomer(inDays, c, { discount: { annualRate: rate, periods: 12 } });
    expect(relErr(s.expectedValue, expected)).toBeLessThan(1e-12);
    expect(s.expectedValue).toBeLessThan(scoreCustomer(inDays, c).expectedValue);
    // A zero rate in 12 periods is the undiscounted value.
    const flat = scoreCustomer(inDays, c, { discount: { annualRate: 0, periods: 12 } });
    expect(relErr(flat.expectedValue, scoreCustomer(inDays, c).expectedValue)).toBeLessThan(1e-12);
  });

  it('scores a batch exactly as one by one, computing the hypergeometric part once per (x, T)', () => {
    const batch: ScoreInput[] = [
      { frequency: 0, recency: 0, age: 100, averageRepeatValue: null },
      { frequency: 0, recency: 0, age: 100, averageRepeatValue: null },
      { frequency: 2, recency: 10, age: 100, averageRepeatValue: 1_000 },
      { frequency: 2, recency: 90, age: 100, averageRepeatValue: 3_000 },
      { frequency: 5, recency: 90, age: 400, averageRepeatValue: 500 },
    ];
    const s = scoreCustomers(inDays, batch);
    expect(s.distinctFrequencyAge).toBe(3);
    batch.forEach((c, i) => {
      const one = scoreCustomer(inDays, c);
      expect(s.probabilityAlive[i]).toBe(one.probabilityAlive);
      expect(s.expectedPurchases[i]).toBe(one.expectedPurchases);
      expect(s.expectedValue[i]).toBe(one.expectedValue);
    });
    // Same (x, T), more recent last purchase: more likely alive, more purchases expected.
    expect(s.probabilityAlive[3]!).toBeGreaterThan(s.probabilityAlive[2]!);
    expect(s.expectedPurchases[3]!).toBeGreaterThan(s.expectedPurchases[2]!);
  });

  it.each([
    { frequency: 2, recency: 10, age: 5, averageRepeatValue: 100 },
    { frequency: 2, recency: 1, age: 5, averageRepeatValue: null },
    { frequency: 0, recency: 1, age: 5, averageRepeatValue: null },
  ])('rejects %j', (c) => {
    expect(() => scoreCustomer(inDays, c)).toThrow(RangeError);
  });
});

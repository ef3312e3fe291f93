import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandOf,
  churnRisk,
  HIGH_RISK_SCORE,
  medianIntervalDays,
  MEDIUM_RISK_SCORE,
  usualIntervalDays,
} from '../../../shared/domain/churn/risk';

describe('churnRisk', () => {
  it('is 100 × P(no purchase in the horizon), rounded, with the band of the score', () => {
    expect(churnRisk(0)).toEqual({ score: 0, band: 'low' });
    expect(churnRisk(0.294)).toEqual({ score: 29, band: 'low' });
    expect(churnRisk(0.295)).toEqual({ score: 30, band: 'medium' });
    expect(churnRisk(0.6)).toEqual({ score: 60, band: 'high' });
    expect(churnRisk(1)).toEqual({ score: 100, band: 'high' });
  });

  it('has the documented thresholds', () => {
    expect([HIGH_RISK_SCORE, MEDIUM_RISK_SCORE]).toEqual([60, 30]);
    expect([0, 29, 30, 59, 60, 100].map(bandOf)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });

  it.each([-0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (bad) => {
    expect(() => churnRisk(bad)).toThrow(RangeError);
  });

  it('is monotone: a higher probability never lowers the score', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (p, q) => {
        const [lo, hi] = p <= q ? [p, q] : [q, p];
        return churnRisk(lo).score <= churnRisk(hi).score;
      }),
    );
  });
});

describe('usual intervals', () => {
  it('is t_x / x in days for repeat customers', () => {
    expect(usualIntervalDays({ frequency: 4, recency: 120, timeUnit: 'days' })).toBe(30);
    expect(usualIntervalDays({ frequency: 2, recency: 6, timeUnit: 'weeks' })).toBe(21);
    expect(usualIntervalDays({ frequency: 0, recency: 0, timeUnit: 'days' })).toBeUndefined();
  });

  it('takes the shop median over repeat customers (lower median), none without any', () => {
    const s = (frequency: number, recency: number) => ({ frequency, recency, timeUnit: 'days' as const });
    expect(medianIntervalDays([s(1, 10), s(0, 0), s(2, 60), s(1, 50), s(0, 0)])).toBe(30);
    expect(medianIntervalDays([s(1, 10), s(1, 20), s(1, 40), s(1, 80)])).toBe(20);
    expect(medianIntervalDays([s(0, 0)])).toBeUndefined();
  });
});

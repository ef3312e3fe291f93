import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandOf,
  churnRisk,
  type ChurnRiskInput,
  HIGH_RISK_SCORE,
  medianIntervalDays,
  MEDIUM_RISK_SCORE,
  overdueness,
  usualIntervalDays,
} from '../../../shared/domain/churn/risk';

const at = (i: Partial<ChurnRiskInput>): ChurnRiskInput => ({
  pAlive: 1,
  expectedPurchases90d: 0,
  daysSinceLast: 0,
  ...i,
});

describe('churnRisk', () => {
  it('is 100 · (1 − P(alive)) when not overdue', () => {
    expect(churnRisk(at({ pAlive: 1 }))).toEqual({ score: 0, band: 'low' });
    expect(churnRisk(at({ pAlive: 0.71 }))).toEqual({ score: 29, band: 'low' });
    expect(churnRisk(at({ pAlive: 0.7 }))).toEqual({ score: 30, band: 'medium' });
    expect(churnRisk(at({ pAlive: 0.41 }))).toEqual({ score: 59, band: 'medium' });
    expect(churnRisk(at({ pAlive: 0.4 }))).toEqual({ score: 60, band: 'high' });
    expect(churnRisk(at({ pAlive: 0 }))).toEqual({ score: 100, band: 'high' });
    // within one usual interval: no adjustment
    expect(churnRisk(at({ pAlive: 0.9, daysSinceLast: 30, typicalIntervalDays: 30 }))).toEqual({
      score: 10,
      band: 'low',
    });
  });

  it('adds overdueness against the usual interval, up to half of what the model thinks alive', () => {
    // 2× overdue: o = 0.5 → 0 + 1 · 0.5 · 0.5
    expect(churnRisk(at({ daysSinceLast: 60, typicalIntervalDays: 30 }))).toEqual({ score: 25, band: 'low' });
    // 2.2× → 0.6 · 0.5 = 30: medium on overdueness alone
    expect(churnRisk(at({ daysSinceLast: 66, typicalIntervalDays: 30 }))).toEqual({ score: 30, band: 'medium' });
    // ≥ 3×: capped at 50, never high on overdueness alone
    expect(churnRisk(at({ daysSinceLast: 90, typicalIntervalDays: 30 }))).toEqual({ score: 50, band: 'medium' });
    expect(churnRisk(at({ daysSinceLast: 3650, typicalIntervalDays: 30 }))).toEqual({ score: 50, band: 'medium' });
    // with the model's doubt: 0.2 + 0.8 · 0.5 = 0.6 → high
    expect(churnRisk(at({ pAlive: 0.8, daysSinceLast: 90, typicalIntervalDays: 30 }))).toEqual({
      score: 60,
      band: 'high',
    });
    expect(churnRisk(at({ pAlive: 0.9, daysSinceLast: 90, typicalIntervalDays: 30 }))).toEqual({
      score: 55,
      band: 'medium',
    });
  });

  it('falls back to the model-implied interval 90 · P(alive) / E[X(90)], or none', () => {
    // P(alive) 0.9, 0.9 expected purchases in 90 days → 1 per 90 days if alive; 270 days = 3× overdue
    expect(churnRisk(at({ pAlive: 0.9, expectedPurchases90d: 0.9, daysSinceLast: 270 }))).toEqual({
      score: 55,
      band: 'medium',
    });
    expect(churnRisk(at({ pAlive: 0.9, expectedPurchases90d: 0, daysSinceLast: 2_000 }))).toEqual({
      score: 10,
      band: 'low',
    });
    // an explicit interval wins over the model's
    expect(
      churnRisk(at({ pAlive: 0.9, expectedPurchases90d: 0.9, daysSinceLast: 270, typicalIntervalDays: 300 })),
    ).toEqual({ score: 10, band: 'low' });
  });

  it('scores a lapsed one-time buyer (P(alive) = 1 under BG/NBD) by the shop interval', () => {
    expect(
      churnRisk(at({ pAlive: 1, expectedPurchases90d: 0.02, daysSinceLast: 400, typicalIntervalDays: 45 })).band,
    ).toBe('medium');
  });

  it('has the documented thresholds', () => {
    expect([HIGH_RISK_SCORE, MEDIUM_RISK_SCORE]).toEqual([60, 30]);
    expect([0, 29, 30, 59, 60, 100].map(bandOf)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });

  it.each([
    { pAlive: -0.1 },
    { pAlive: 1.01 },
    { pAlive: Number.NaN },
    { expectedPurchases90d: -1 },
    { daysSinceLast: -1 },
    { daysSinceLast: Number.POSITIVE_INFINITY },
    { typicalIntervalDays: 0 },
    { typicalIntervalDays: -5 },
  ])('rejects %j', (bad) => {
    expect(() => churnRisk(at(bad))).toThrow(RangeError);
  });

  const input = fc.record({
    pAlive: fc.double({ min: 0, max: 1, noNaN: true }),
    expectedPurchases90d: fc.double({ min: 0, max: 20, noNaN: true }),
    daysSinceLast: fc.integer({ min: 0, max: 2_000 }),
    typicalIntervalDays: fc.option(fc.double({ min: 0.5, max: 400, noNaN: true }), { nil: undefined }),
  });

  it('scores 0–100 integers with the band of the score', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = churnRisk(i);
        return Number.isInteger(r.score) && r.score >= 0 && r.score <= 100 && r.band === bandOf(r.score);
      }),
    );
  });

  it('is monotone: lower P(alive) never lowers the risk', () => {
    fc.assert(
      fc.property(input, fc.double({ min: 0, max: 1, noNaN: true }), (i, other) => {
        const lower = Math.min(i.pAlive, other);
        const higher = Math.max(i.pAlive, other);
        return churnRisk({ ...i, pAlive: lower }).score >= churnRisk({ ...i, pAlive: higher }).score;
      }),
    );
  });

  it('is monotone: more days since the last purchase never lower it, a longer usual interval never raises it', () => {
    fc.assert(
      fc.property(
        input,
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (i, moreDays, longer) => {
          const later = churnRisk({ ...i, daysSinceLast: i.daysSinceLast + moreDays }).score >= churnRisk(i).score;
          const slower =
            i.typicalIntervalDays === undefined ||
            churnRisk({ ...i, typicalIntervalDays: i.typicalIntervalDays + longer }).score <= churnRisk(i).score;
          return later && slower;
        },
      ),
    );
  });
});

describe('overdueness', () => {
  it('is 0 within one interval, linear to 1 at three', () => {
    expect([0, 30, 45, 60, 75, 90, 300].map((d) => overdueness(d, 30))).toEqual([0, 0, 0.25, 0.5, 0.75, 1, 1]);
    expect(overdueness(500, undefined)).toBe(0);
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

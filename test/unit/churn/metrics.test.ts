import { describe, expect, it } from 'vitest';
import {
  loyaltyMetrics,
  type MetricsCustomer,
  type MetricsOrder,
  netPromoterScore,
  pointValueOf,
} from '../../../shared/domain/churn/metrics';
import { defaultProgram } from '../../../shared/schemas/program';

const order = (revenueMinor: number, productIds: string[], referred = false): MetricsOrder => ({
  at: '2026-03-01T10:00:00Z',
  revenueMinor,
  productIds,
  referred,
});
const buyer = (orders: MetricsOrder[], o: Partial<MetricsCustomer> = {}): MetricsCustomer => ({
  orders,
  pointsAvailable: 0,
  pointsPending: 0,
  predictedValue12mMinor: 0,
  ...o,
});

/** A small shop, every figure below computed by hand. */
const shop: MetricsCustomer[] = [
  // A: repeat, two products, first order referred
  buyer([order(10_000, ['p1'], true), order(5_000, ['p1', 'p2'])], {
    pointsAvailable: 1_200,
    pointsPending: 300,
    predictedValue12mMinor: 25_000.4,
    tier: 'gold',
  }),
  // B: one order
  buyer([order(3_000, ['p3'])], { pointsAvailable: 100, predictedValue12mMinor: 4_000, tier: 'silver' }),
  // C: repeat, always the same product; a clawed-back negative balance
  buyer([order(2_000, ['p4'], true), order(2_000, ['p4']), order(1_000, ['p4'])], {
    pointsAvailable: -50,
    pointsPending: 200,
    predictedValue12mMinor: 9_000,
  }),
  // D: no counted order (signed up, got a bonus): not a buyer; its predicted value is ignored
  buyer([], { pointsAvailable: 500, predictedValue12mMinor: 12_345, tier: 'gold' }),
  // E: one order with two products: multi-product, not repeat
  buyer([order(7_000, ['p5', 'p6'])], { predictedValue12mMinor: 2_500, tier: '' }),
  // F: one order, the same product id twice
  buyer([order(1_500, ['p7', 'p7'])], {
    pointsAvailable: 40,
    pointsPending: 10,
    predictedValue12mMinor: 1_000,
    tier: 'silver',
  }),
  // G: referred one-timer
  buyer([order(4_000, ['p9'], true)], { tier: 'gold' }),
  // H: repeat, one product
  buyer([order(500, ['p11']), order(500, ['p11'])], {
    pointsAvailable: 25,
    predictedValue12mMinor: 3_000.1,
    tier: 'bronze',
  }),
];

describe('loyaltyMetrics on a hand-computed shop', () => {
  const m = loyaltyMetrics({
    customers: shop,
    // cheapest reward: 300 points for 2.00 → 2/3 minor unit per point
    pointValueMinor: { valueMinor: 200, points: 300 },
    npsAnswers: [10, 9, 9, 8, 7, 6, 0, 3, 10, 5, 9],
  });

  it('counts customers and buyers', () => {
    expect([m.customers, m.buyers, m.repeatBuyers, m.multiProductBuyers]).toEqual([8, 7, 3, 2]);
  });

  it('repeat purchase rate = 3/7, multi-product share = 2/7, to 4 decimals', () => {
    expect(m.repeatPurchaseRate).toBe(0.4286);
    expect(m.multiProductShare).toBe(0.2857);
  });

  it('referral revenue share = 16,000 / 36,500', () => {
    expect(m.revenueMinor).toBe(36_500);
    expect(m.referralRevenueMinor).toBe(16_000);
    expect(m.referralRevenueShare).toBe(0.4384);
  });

  it('average predicted CLV over the 7 buyers: 44,500.5 / 7 → 6,357', () => {
    expect(m.averagePredictedClvMinor).toBe(6_357);
  });

  it('points liability: 1,865 available (negative as 0) + 510 pending = 2,375 points, worth ⌊2,375 · 200 / 300⌋', () => {
    expect(m.pointsLiability).toEqual({ points: 2_375, valueMinor: 1_583, availablePoints: 1_865, pendingPoints: 510 });
  });

  it('tier distribution, keys sorted, none for no tier', () => {
    expect(m.tierDistribution).toEqual({ bronze: 1, gold: 3, none: 2, silver: 2 });
    expect(Object.keys(m.tierDistribution)).toEqual(['bronze', 'gold', 'none', 'silver']);
  });

  it('NPS: 5 promoters, 2 passives, 4 detractors of 11 → 9.09', () => {
    expect(m.nps).toEqual({ score: 9.09, responses: 11, promoters: 5, passives: 2, detractors: 4 });
  });
});

describe('loyaltyMetrics edge cases', () => {
  it('gives zeros for an empty shop', () => {
    expect(
      loyaltyMetrics({ customers: [], pointValueMinor: { valueMinor: 500, points: 500 }, npsAnswers: [] }),
    ).toEqual({
      customers: 0,
      buyers: 0,
      repeatBuyers: 0,
      multiProductBuyers: 0,
      repeatPurchaseRate: 0,
      multiProductShare: 0,
      revenueMinor: 0,
      referralRevenueMinor: 0,
      referralRevenueShare: 0,
      averagePredictedClvMinor: 0,
      pointsLiability: { points: 0, valueMinor: 0, availablePoints: 0, pendingPoints: 0 },
      tierDistribution: {},
      nps: { score: 0, responses: 0, promoters: 0, passives: 0, detractors: 0 },
    });
  });

  it('rounds rates half up at the 5th decimal, exactly', () => {
    // 1/32 = 0.03125 → 0.0313; 31/32 = 0.96875 → 0.9688
    const one = buyer([order(1, ['a'])]);
    const two = buyer([order(1, ['a']), order(1, ['b'])]);
    const m = loyaltyMetrics({
      customers: [two, ...Array.from({ length: 31 }, () => one)],
      pointValueMinor: { valueMinor: 1, points: 1 },
      npsAnswers: [],
    });
    expect(m.repeatPurchaseRate).toBe(0.0313);
    const n = loyaltyMetrics({
      customers: [one, ...Array.from({ length: 31 }, () => two)],
      pointValueMinor: { valueMinor: 1, points: 1 },
      npsAnswers: [],
    });
    expect(n.repeatPurchaseRate).toBe(0.9688);
  });

  it('keeps large amounts exact', () => {
    const big = buyer([order(4_000_000_000_000_000, ['a'], true), order(4_000_000_000_000_000, ['b'])], {
      pointsAvailable: 9_000_000_000_000_000,
    });
    const m = loyaltyMetrics({ customers: [big], pointValueMinor: { valueMinor: 1, points: 3 }, npsAnswers: [] });
    expect(m.revenueMinor).toBe(8_000_000_000_000_000);
    expect(m.referralRevenueShare).toBe(0.5);
    expect(m.pointsLiability.valueMinor).toBe(3_000_000_000_000_000);
  });

  it.each([
    { pointValueMinor: { valueMinor: 1, points: 0 } },
    { pointValueMinor: { valueMinor: -1, points: 1 } },
    { customers: [buyer([order(-5, ['a'])])] },
    { customers: [buyer([order(1.5, ['a'])])] },
    { customers: [buyer([order(100, ['a'])], { predictedValue12mMinor: Number.NaN })] },
    { customers: [buyer([], { pointsAvailable: 0.5 })] },
    { npsAnswers: [11] },
    { npsAnswers: [7.5] },
  ])('rejects %j', (bad) => {
    expect(() =>
      loyaltyMetrics({ customers: [], pointValueMinor: { valueMinor: 1, points: 1 }, npsAnswers: [], ...bad }),
    ).toThrow(RangeError);
  });
});

describe('netPromoterScore', () => {
  it('is %promoters − %detractors, 2 decimals, rounded away from zero at a half', () => {
    expect(netPromoterScore([9, 10, 10]).score).toBe(100);
    expect(netPromoterScore([0, 6, 3]).score).toBe(-100);
    expect(netPromoterScore([7, 8]).score).toBe(0);
    expect(netPromoterScore([9, 0, 0]).score).toBe(-33.33);
    expect(netPromoterScore([10, 10, 0]).score).toBe(33.33);
    // ±1/32 = ±3.125 % → ±3.13
    expect(netPromoterScore([10, ...Array<number>(31).fill(8)]).score).toBe(3.13);
    expect(netPromoterScore([1, ...Array<number>(31).fill(8)]).score).toBe(-3.13);
    expect(netPromoterScore([])).toEqual({ score: 0, responses: 0, promoters: 0, passives: 0, detractors: 0 });
  });
});

describe('pointValueOf', () => {
  it("takes the shop's cheapest reward, as a fraction", () => {
    expect(pointValueOf(defaultProgram().rewards)).toEqual({ valueMinor: 500, points: 500 });
    expect(
      pointValueOf([
        { pointsCost: 1_000, valueMinor: 1_200 },
        { pointsCost: 300, valueMinor: 200 },
      ]),
    ).toEqual({ valueMinor: 200, points: 300 });
    // tie on points: the lower value, the conservative one
    expect(
      pointValueOf([
        { pointsCost: 300, valueMinor: 250 },
        { pointsCost: 300, valueMinor: 200 },
      ]),
    ).toEqual({ valueMinor: 200, points: 300 });
    expect(pointValueOf([])).toBeUndefined();
  });
});

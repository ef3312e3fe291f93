import { describe, expect, it } from 'vitest';
import { computeEarning } from '../../shared/domain/ledger/earning';
import { programSchema } from '../../shared/schemas/program';
import { canonicalOrder } from '../support/orders';

const rule = (over: object = {}) => programSchema.parse({ earning: over }).earning;

describe('computeEarning', () => {
  it('default rule: 1 point per whole unit of the subtotal after discounts, no shipping or tax, rounded down', () => {
    const order = canonicalOrder({ nets: [12_345, 5_099] }); // 123.45 + 50.99 DKK
    expect(computeEarning(order, rule(), { firstOrder: false })).toEqual({
      basisMinor: 17_444,
      points: 174,
      bonusPoints: 0,
      creditMinor: 0,
    });
  });

  it('uses the currency exponent: JPY has no minor unit, KWD has three', () => {
    expect(
      computeEarning(canonicalOrder({ currency: 'JPY', nets: [1_999] }), rule(), { firstOrder: false }).points,
    ).toBe(1_999);
    expect(
      computeEarning(canonicalOrder({ currency: 'KWD', nets: [12_999] }), rule(), { firstOrder: false }).points,
    ).toBe(12);
  });

  it('applies an integer ratio rate: 3 points per 2 units', () => {
    expect(
      computeEarning(canonicalOrder({ nets: [1_000] }), rule({ rate: { points: 3, per: 2 } }), { firstOrder: false })
        .points,
    ).toBe(15);
  });

  it('leaves excluded products and SKUs out of the basis and the minimum', () => {
    const order = canonicalOrder({ nets: [10_000, 20_000] });
    const r = rule({ excludedSkus: ['SKU-2'], minimumOrderMinor: 15_000 });
    expect(computeEarning(order, r, { firstOrder: false }).points).toBe(0);
    expect(computeEarning(order, rule({ excludedProductIds: ['P2'] }), { firstOrder: false })).toMatchObject({
      basisMinor: 10_000,
      points: 100,
    });
  });

  it('multiplies matching lines, the best multiplier wins, and they do not compound', () => {
    const order = canonicalOrder({ nets: [10_000, 10_000] });
    const r = rule({
      multipliers: [
        { skus: ['SKU-1'], percent: 200 },
        { productIds: ['P1'], percent: 300 },
      ],
    });
    expect(computeEarning(order, r, { firstOrder: false }).points).toBe(300 + 100);
  });

  it('adds the first-order bonus and cashback in basis points as store credit', () => {
    const r = rule({ firstOrderBonusPoints: 50, cashbackBasisPoints: 250 });
    expect(computeEarning(canonicalOrder({ nets: [10_099] }), r, { firstOrder: true })).toEqual({
      basisMinor: 10_099,
      points: 100,
      bonusPoints: 50,
      creditMinor: 252,
    });
    expect(computeEarning(canonicalOrder({ nets: [10_099] }), r, { firstOrder: false }).bonusPoints).toBe(0);
  });

  it('can include shipping or use the whole total', () => {
    const order = canonicalOrder({ nets: [10_000] });
    expect(computeEarning(order, rule({ basis: 'total_excluding_tax' }), { firstOrder: false }).basisMinor).toBe(
      14_900,
    );
    expect(computeEarning(order, rule({ basis: 'total' }), { firstOrder: false }).basisMinor).toBe(order.totalMinor);
  });

  it('stays exact for amounts past 2^53 when multiplied', () => {
    const order = canonicalOrder({ nets: [9_000_000_000_000] });
    expect(computeEarning(order, rule({ rate: { points: 1_000_000, per: 1 } }), { firstOrder: false }).points).toBe(
      90_000_000_000_000_000,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { countedOrder, endOfDayMs } from '../../../shared/domain/churn/purchases';
import { paidOrder } from '../../support/memory-nightly';

describe('countedOrder', () => {
  const o = paidOrder('i.1', 'A-1', '2026-03-31T23:59:59.000Z', 10_000);

  it('counts a paid order created up to the end of the as-of day (UTC)', () => {
    expect(countedOrder(o, '2026-03-31')).toEqual({
      cid: 'i.1',
      orderId: 'A-1',
      at: '2026-03-31T23:59:59.000Z',
      revenueMinor: 10_000,
      productIds: ['p-1'],
      referred: false,
    });
    expect(countedOrder(o, '2026-03-30')).toBeNull();
    expect(countedOrder(paidOrder('i.1', 'A-2', '2026-04-01T00:00:00.000Z', 1), '2026-03-31')).toBeNull();
    expect(endOfDayMs('2026-03-31')).toBe(Date.parse('2026-04-01T00:00:00Z'));
  });

  it('does not count cancelled, voided, refunded, test, unpaid or customerless orders', () => {
    expect(countedOrder({ ...o, cancelledAt: '2026-04-05T00:00:00Z' }, '2026-03-31')).toBeNull();
    expect(countedOrder({ ...o, state: { ...o.state!, financialStatus: 'refunded' } }, '2026-03-31')).toBeNull();
    expect(countedOrder({ ...o, state: { ...o.state!, financialStatus: 'voided' } }, '2026-03-31')).toBeNull();
    expect(countedOrder({ ...o, state: { ...o.state!, test: true } }, '2026-03-31')).toBeNull();
    expect(countedOrder({ ...o, earn: undefined }, '2026-03-31')).toBeNull();
    expect(countedOrder({ ...o, cid: undefined }, '2026-03-31')).toBeNull();
    expect(countedOrder({ ...o, state: undefined }, '2026-03-31')).toBeNull();
  });

  it('nets refunds from the item value: by items net, by lines, else in proportion to the total', () => {
    const order = { ...o, state: { ...o.state!, totalMinor: 12_500, shippingMinor: 2_500 } };
    expect(
      countedOrder(
        { ...order, refunds: { r1: { amountMinor: 3_000, itemsNetMinor: 2_000, createdAt: 'x' } } },
        '2026-03-31',
      )!.revenueMinor,
    ).toBe(8_000);
    expect(
      countedOrder(
        {
          ...order,
          refunds: { r1: { amountMinor: 3_000, lines: [{ lineId: '1', netMinor: 4_000 }], createdAt: 'x' } },
        },
        '2026-03-31',
      )!.revenueMinor,
    ).toBe(6_000);
    // 2,500 of 12,500 refunded → a fifth of the 10,000 items.
    expect(
      countedOrder({ ...order, refunds: { r1: { amountMinor: 2_500, createdAt: 'x' } } }, '2026-03-31')!.revenueMinor,
    ).toBe(8_000);
    // Refunds covering all items: a full refund, whatever the status says.
    expect(
      countedOrder({ ...order, refunds: { r1: { amountMinor: 12_500, createdAt: 'x' } } }, '2026-03-31'),
    ).toBeNull();
  });

  it('marks referred orders and lists distinct product ids', () => {
    const multi = {
      ...o,
      referral: 'i.friend',
      state: {
        ...o.state!,
        lines: [
          { netMinor: 1, productId: 'a' },
          { netMinor: 2, productId: 'a' },
          { netMinor: 3 },
          { netMinor: 4, productId: 'b' },
        ],
      },
    };
    expect(countedOrder(multi, '2026-03-31')).toMatchObject({
      referred: true,
      productIds: ['a', 'b'],
      revenueMinor: 10,
    });
  });
});

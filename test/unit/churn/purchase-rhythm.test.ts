import { describe, expect, it } from 'vitest';
import { purchaseRhythm } from '../../../shared/domain/churn/purchase-rhythm';

describe('purchase rhythm (the churn risk’s why)', () => {
  it('days since the last order and the mean gap between orders, whatever order they come in', () => {
    const orders = [{ at: '2026-10-01T10:00:00Z' }, { at: '2026-06-03T10:00:00Z' }, { at: '2026-08-02T10:00:00Z' }];
    expect(purchaseRhythm(orders, '2026-12-05T09:00:00Z')).toEqual({
      orders: 3,
      lastOrderAt: '2026-10-01T10:00:00.000Z',
      daysSinceLastOrder: 64,
      // 3 June → 1 October is 120 days over two gaps.
      usualIntervalDays: 60,
    });
  });

  it('no interval from one order, nothing from none', () => {
    expect(purchaseRhythm([{ at: '2026-12-01T00:00:00Z' }], '2026-12-05T00:00:00Z')).toMatchObject({
      orders: 1,
      daysSinceLastOrder: 4,
      usualIntervalDays: null,
    });
    expect(purchaseRhythm([], '2026-12-05T00:00:00Z')).toEqual({
      orders: 0,
      lastOrderAt: null,
      daysSinceLastOrder: null,
      usualIntervalDays: null,
    });
  });
});

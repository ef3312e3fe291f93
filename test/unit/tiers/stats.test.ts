import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addTierStats, monthIndex, monthOf, windowTotals } from '../../../shared/domain/tiers/stats';
import type { TierStats } from '../../../shared/domain/tiers/types';
import { tiersSchema } from '../../../shared/schemas/program';

const rolling = (windowMonths = 12) => tiersSchema.parse({ window: 'rolling', windowMonths });
const calendar = tiersSchema.parse({ window: 'calendar_year' });

describe('monthOf', () => {
  it('is the UTC month', () => {
    expect(monthOf('2026-11-30T23:59:59.999Z')).toBe('2026-11');
    expect(monthOf('2026-12-01T00:30:00+01:00')).toBe('2026-11');
    expect(monthOf('2027-01-01T00:00:00Z')).toBe('2027-01');
  });

  it('rejects what is not a date', () => {
    expect(() => monthOf('yesterday')).toThrow(RangeError);
  });
});

describe('addTierStats', () => {
  it('adds to a month, creating it when missing, without touching the input', () => {
    const before: TierStats = { '2026-10': [1000, 10, 1] };
    const after = addTierStats(before, '2026-10', [500, 5, 1]);
    expect(after).toEqual({ '2026-10': [1500, 15, 2] });
    expect(before).toEqual({ '2026-10': [1000, 10, 1] });
    expect(addTierStats(after, '2026-11', [200, 2, 1])).toEqual({ '2026-10': [1500, 15, 2], '2026-11': [200, 2, 1] });
    expect(addTierStats(undefined, '2026-11', [200, 2, 1])).toEqual({ '2026-11': [200, 2, 1] });
  });

  it('keeps negative months (a refund booked after its order) but drops all-zero ones', () => {
    expect(addTierStats({ '2026-10': [1000, 10, 1] }, '2026-11', [-1000, -10, -1])).toEqual({ '2026-10': [1000, 10, 1], '2026-11': [-1000, -10, -1] });
    expect(addTierStats({ '2026-10': [1000, 10, 1], '2026-11': [5, 0, 0] }, '2026-10', [-1000, -10, -1])).toEqual({ '2026-11': [5, 0, 0] });
  });

  it('is undefined when nothing is left', () => {
    expect(addTierStats({ '2026-10': [1000, 10, 1] }, '2026-10', [-1000, -10, -1])).toBeUndefined();
    expect(addTierStats(undefined, '2026-10', [0, 0, 0])).toBeUndefined();
  });

  it('prunes months more than 37 months before the newest', () => {
    const stats = addTierStats({ '2023-09': [1, 1, 1], '2023-10': [2, 2, 2] }, '2026-11', [3, 3, 3]);
    expect(stats).toEqual({ '2023-10': [2, 2, 2], '2026-11': [3, 3, 3] });
    // A late delta for a month already out of reach is not kept either.
    expect(addTierStats({ '2026-11': [3, 3, 3] }, '2023-01', [9, 9, 9])).toEqual({ '2026-11': [3, 3, 3] });
  });

  it('rejects a malformed month key', () => {
    expect(() => addTierStats(undefined, '2026-13', [1, 1, 1])).toThrow(RangeError);
    expect(() => addTierStats(undefined, '2026-1', [1, 1, 1])).toThrow(RangeError);
  });

  it('holds exactly the sums of the deltas of the months it keeps', () => {
    const month = fc.integer({ min: monthIndex('2024-01'), max: monthIndex('2027-12') })
      .map((i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const delta = fc.tuple(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -1, max: 1 }));
    fc.assert(fc.property(fc.array(fc.tuple(month, delta), { maxLength: 40 }), (events) => {
      let stats: TierStats | undefined;
      const sums = new Map<string, [number, number, number]>();
      for (const [m, d] of events) {
        stats = addTierStats(stats, m, d);
        const s = sums.get(m) ?? [0, 0, 0];
        sums.set(m, [s[0] + d[0], s[1] + d[1], s[2] + d[2]]);
      }
      const newest = Math.max(...Object.keys(stats ?? {}).map(monthIndex));
      for (const [m, sum] of sums) {
        const kept = stats?.[m];
        if (kept) expect(kept).toEqual(sum);
        else expect(sum.every((x) => x === 0) || newest - monthIndex(m) > 37).toBe(true);
      }
    }));
  });
});

describe('windowTotals', () => {
  const stats: TierStats = {
    '2025-10': [100_000, 1000, 10],
    '2025-11': [10_000, 100, 1],
    '2026-01': [2_000, 20, 1],
    '2026-11': [300, 3, 1],
    '2026-12': [40, 4, 1],
  };

  it('rolling N months: the current month and the N before it, nothing later', () => {
    expect(windowTotals(stats, rolling(12), '2026-11-15T10:00:00Z')).toEqual({ spendMinor: 12_300, points: 123, orders: 3 });
  });

  it('moves on at the UTC month boundary', () => {
    expect(windowTotals(stats, rolling(12), '2026-11-30T23:59:59.999Z')).toEqual({ spendMinor: 12_300, points: 123, orders: 3 });
    // 2025-11 has dropped out, 2026-12 has come in.
    expect(windowTotals(stats, rolling(12), '2026-12-01T00:00:00Z')).toEqual({ spendMinor: 2_340, points: 27, orders: 3 });
  });

  it('counts an order for at least N full months', () => {
    const late = { '2025-11': [5000, 50, 1] } satisfies TierStats;
    // Placed on the last day of November 2025: still counted throughout November 2026.
    expect(windowTotals(late, rolling(12), '2026-11-30T23:59:59Z').spendMinor).toBe(5000);
    expect(windowTotals(late, rolling(12), '2026-12-01T00:00:00Z').spendMinor).toBe(0);
    expect(windowTotals(late, rolling(1), '2025-12-31T00:00:00Z').spendMinor).toBe(5000);
    expect(windowTotals(late, rolling(1), '2026-01-01T00:00:00Z').spendMinor).toBe(0);
  });

  it('clamps sums at zero when refunds outweigh what is left in the window', () => {
    const refunded = { '2025-10': [50_000, 500, 1], '2026-11': [-50_000, -500, -1] } satisfies TierStats;
    expect(windowTotals(refunded, rolling(12), '2026-11-15T00:00:00Z')).toEqual({ spendMinor: 0, points: 0, orders: 0 });
    const partly = { '2026-10': [50_000, 500, 2], '2026-11': [-20_000, -200, -1] } satisfies TierStats;
    expect(windowTotals(partly, rolling(12), '2026-11-15T00:00:00Z')).toEqual({ spendMinor: 30_000, points: 300, orders: 1 });
  });

  it('calendar year: the months of now\'s UTC year', () => {
    expect(windowTotals(stats, calendar, '2026-03-01T00:00:00Z')).toEqual({ spendMinor: 2_340, points: 27, orders: 3 });
    expect(windowTotals(stats, calendar, '2025-12-31T23:59:59Z')).toEqual({ spendMinor: 110_000, points: 1100, orders: 11 });
    expect(windowTotals(stats, calendar, '2027-01-01T00:00:00Z')).toEqual({ spendMinor: 0, points: 0, orders: 0 });
  });

  it('is zero without stats', () => {
    expect(windowTotals(undefined, rolling(), '2026-11-15T00:00:00Z')).toEqual({ spendMinor: 0, points: 0, orders: 0 });
  });
});

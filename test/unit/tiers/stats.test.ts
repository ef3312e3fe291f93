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
    expect(addTierStats({ '2026-10': [1000, 10, 1] }, '2026-11', [-1000, -10, -1])).toEqual({
      '2026-10': [1000, 10, 1],
      '2026-11': [-1000, -10, -1],
    });
    expect(addTierStats({ '2026-10': [1000, 10, 1], '2026-11': [5, 0, 0] }, '2026-10', [-1000, -10, -1])).toEqual({
      '2026-11': [5, 0, 0],
    });
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
    const month = fc
      .integer({ min: monthIndex('2024-01'), max: monthIndex('2027-12') })
      .map((i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const delta = fc.tuple(
      fc.integer({ min: -5000, max: 5000 }),
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: -1, max: 1 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(month, delta), { maxLength: 40 }), (events) => {
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
      }),
    );
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

  it('rolling N months: the current month and the N − 1 before it, nothing later', () => {
    // Window 2025-12 … 2026-11: 2025-11, twelve months back, is already out; 2026-12 is not in yet.
    expect(windowTotals(stats, rolling(12), '2026-11-15T10:00:00Z')).toEqual({
      spendMinor: 2_300,
      points: 23,
      orders: 2,
    });
    expect(windowTotals(stats, rolling(12), '2026-10-15T10:00:00Z')).toEqual({
      spendMinor: 12_000,
      points: 120,
      orders: 2,
    });
    expect(windowTotals(stats, rolling(1), '2026-11-15T10:00:00Z')).toEqual({ spendMinor: 300, points: 3, orders: 1 });
    expect(windowTotals(stats, rolling(2), '2026-12-15T10:00:00Z')).toEqual({ spendMinor: 340, points: 7, orders: 2 });
  });

  it('moves on at the UTC month boundary', () => {
    expect(windowTotals(stats, rolling(12), '2026-10-31T23:59:59.999Z')).toEqual({
      spendMinor: 12_000,
      points: 120,
      orders: 2,
    });
    // 2025-11 has dropped out, 2026-11 has come in.
    expect(windowTotals(stats, rolling(12), '2026-11-01T00:00:00Z')).toEqual({
      spendMinor: 2_300,
      points: 23,
      orders: 2,
    });
    // 2025-12 (empty) has dropped out, 2026-12 has come in.
    expect(windowTotals(stats, rolling(12), '2026-12-01T00:00:00Z')).toEqual({
      spendMinor: 2_340,
      points: 27,
      orders: 3,
    });
    // Local midnight on 1 November in Copenhagen is still October in UTC.
    expect(windowTotals(stats, rolling(12), '2026-11-01T00:30:00+01:00')).toEqual({
      spendMinor: 12_000,
      points: 120,
      orders: 2,
    });
  });

  it('counts an order for between N − 1 and N months, depending on its day', () => {
    const order = { '2025-11': [5000, 50, 1] } satisfies TierStats;
    // Placed on 1 November 2025 or on the 30th: counted through October 2026, never in November 2026.
    expect(windowTotals(order, rolling(12), '2025-11-01T00:00:00Z').spendMinor).toBe(5000);
    expect(windowTotals(order, rolling(12), '2026-10-31T23:59:59Z').spendMinor).toBe(5000);
    expect(windowTotals(order, rolling(12), '2026-11-01T00:00:00Z').spendMinor).toBe(0);
    // So it is gone at its own review, twelve months after it was placed, whatever the day.
    expect(windowTotals(order, rolling(12), '2026-11-30T23:59:59Z').spendMinor).toBe(0);
    // One month: the order's own month only.
    expect(windowTotals(order, rolling(1), '2025-11-30T23:59:59Z').spendMinor).toBe(5000);
    expect(windowTotals(order, rolling(1), '2025-12-01T00:00:00Z').spendMinor).toBe(0);
    // The longest window, 36 months.
    expect(windowTotals(order, rolling(36), '2028-10-31T23:59:59Z').spendMinor).toBe(5000);
    expect(windowTotals(order, rolling(36), '2028-11-01T00:00:00Z').spendMinor).toBe(0);
  });

  it('counts exactly windowMonths months, for every window length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 36 }),
        fc.integer({ min: monthIndex('2020-01'), max: monthIndex('2030-12') }),
        (n, i) => {
          // One order in each of the 40 months up to and including the current one.
          const stats: TierStats = {};
          for (let k = 0; k < 40; k++) {
            const m = i - k;
            stats[`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`] = [100, 1, 1];
          }
          const now = `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15T12:00:00Z`;
          expect(windowTotals(stats, rolling(n), now)).toEqual({ spendMinor: 100 * n, points: n, orders: n });
        },
      ),
    );
  });

  it('clamps sums at zero when refunds outweigh what is left in the window', () => {
    const refunded = { '2025-10': [50_000, 500, 1], '2026-11': [-50_000, -500, -1] } satisfies TierStats;
    expect(windowTotals(refunded, rolling(12), '2026-11-15T00:00:00Z')).toEqual({
      spendMinor: 0,
      points: 0,
      orders: 0,
    });
    const partly = { '2026-10': [50_000, 500, 2], '2026-11': [-20_000, -200, -1] } satisfies TierStats;
    expect(windowTotals(partly, rolling(12), '2026-11-15T00:00:00Z')).toEqual({
      spendMinor: 30_000,
      points: 300,
      orders: 1,
    });
  });

  it("calendar year: the months of now's UTC year", () => {
    expect(windowTotals(stats, calendar, '2026-03-01T00:00:00Z')).toEqual({ spendMinor: 2_340, points: 27, orders: 3 });
    expect(windowTotals(stats, calendar, '2025-12-31T23:59:59Z')).toEqual({
      spendMinor: 110_000,
      points: 1100,
      orders: 11,
    });
    expect(windowTotals(stats, calendar, '2027-01-01T00:00:00Z')).toEqual({ spendMinor: 0, points: 0, orders: 0 });
  });

  it('is zero without stats', () => {
    expect(windowTotals(undefined, rolling(), '2026-11-15T00:00:00Z')).toEqual({ spendMinor: 0, points: 0, orders: 0 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, summarizePurchases, type Purchase } from '../../../shared/domain/churn/summary';
import { CDNOW_CALIBRATION_END, loadCdnowPurchases, loadCdnowSummary } from './fixtures/cdnow';

const d0 = dayNumber('2026-01-05');

describe('dayNumber', () => {
  it('counts days since 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('1997-09-30') - dayNumber('1997-01-01')).toBe(272);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2); // leap year
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-01-01T00:00:00Z', ''])('rejects %j', (s) => {
    expect(() => dayNumber(s)).toThrow(RangeError);
  });
});

describe('summarizePurchases', () => {
  const history: Purchase[] = [
    { day: d0, amountMinor: 1_000 },
    { day: d0, amountMinor: 500 }, // same day as the first: part of the first purchase
    { day: d0 + 3, amountMinor: 2_000 },
    { day: d0 + 10, amountMinor: 700 },
    { day: d0 + 10, amountMinor: 300 }, // same day: one repeat purchase worth 1,000
    { day: d0 + 25, amountMinor: 9_999 }, // after the as-of day: ignored
  ];

  it('merges same-day purchases and leaves the first out of frequency and repeat value', () => {
    expect(summarizePurchases(history, d0 + 20)).toEqual({
      frequency: 2,
      recency: 10,
      age: 20,
      timeUnit: 'days',
      firstPurchaseDay: d0,
      lastPurchaseDay: d0 + 10,
      daysSinceLastPurchase: 10,
      purchaseDays: 3,
      totalValueMinor: 4_500,
      repeatValueMinor: 3_000,
      averageRepeatValueMinor: 1_500,
      averageValueMinor: 1_500,
    });
  });

  it('measures recency and age in weeks when asked', () => {
    const s = summarizePurchases(history, d0 + 21, 'weeks')!;
    expect(s.recency).toBeCloseTo(10 / 7, 15);
    expect(s.age).toBe(3);
    expect(s.frequency).toBe(2);
  });

  it('counts a purchase on the as-of day, and none after it', () => {
    expect(summarizePurchases(history, d0 + 25)!.frequency).toBe(3);
    expect(summarizePurchases(history, d0 + 24)!.frequency).toBe(2);
  });

  it('gives a one-time buyer frequency 0, recency 0 and no average repeat value', () => {
    const s = summarizePurchases([{ day: d0, amountMinor: 100 }], d0 + 7)!;
    expect([s.frequency, s.recency, s.age, s.averageRepeatValueMinor, s.averageValueMinor]).toEqual([
      0,
      0,
      7,
      null,
      100,
    ]);
  });

  it('is null without a purchase up to the as-of day', () => {
    expect(summarizePurchases([], d0)).toBeNull();
    expect(summarizePurchases([{ day: d0 + 1, amountMinor: 100 }], d0)).toBeNull();
  });

  it.each([[{ day: d0, amountMinor: -1 }], [{ day: d0, amountMinor: 1.5 }], [{ day: d0 + 0.5, amountMinor: 1 }]])(
    'rejects %j',
    (p) => {
      expect(() => summarizePurchases([p], d0 + 1)).toThrow(RangeError);
    },
  );

  const purchases = fc.array(
    fc.record({ day: fc.integer({ min: d0, max: d0 + 60 }), amountMinor: fc.integer({ min: 0, max: 100_000 }) }),
    {
      minLength: 1,
      maxLength: 30,
    },
  );

  it('does not depend on the order of purchases', () => {
    fc.assert(
      fc.property(purchases, fc.integer({ min: 0, max: 1_000 }), (ps, seed) => {
        const shuffled = [...ps].sort(
          (a, b) => ((a.day * 31 + a.amountMinor + seed) % 97) - ((b.day * 31 + b.amountMinor + seed) % 97),
        );
        expect(summarizePurchases(shuffled, d0 + 60)).toEqual(summarizePurchases(ps, d0 + 60));
      }),
    );
  });

  it('keeps 0 ≤ t_x ≤ T, x = distinct days − 1 and total = first day + repeat value', () => {
    fc.assert(
      fc.property(purchases, fc.integer({ min: d0, max: d0 + 80 }), (ps, asOf) => {
        const s = summarizePurchases(ps, asOf);
        const counted = ps.filter((p) => p.day <= asOf);
        if (!counted.length) return s === null;
        const days = new Set(counted.map((p) => p.day));
        const first = Math.min(...days);
        const firstValue = counted.filter((p) => p.day === first).reduce((t, p) => t + p.amountMinor, 0);
        return (
          s !== null &&
          s.frequency === days.size - 1 &&
          s.recency >= 0 &&
          s.recency <= s.age &&
          s.totalValueMinor === s.repeatValueMinor + firstValue &&
          s.daysSinceLastPurchase === asOf - s.lastPurchaseDay
        );
      }),
    );
  });
});

describe('summaries of the CDNOW transactions', () => {
  const published = loadCdnowSummary();
  const purchases = loadCdnowPurchases();
  const ours = new Map([...purchases].map(([id, ps]) => [id, summarizePurchases(ps, CDNOW_CALIBRATION_END, 'weeks')!]));

  it('reproduce cdnow_customers_summary.csv for every one of the 2,357 customers', () => {
    expect(published).toHaveLength(2_357);
    expect(ours.size).toBe(2_357);
    const mismatches = published.filter((row) => {
      const s = ours.get(row.id)!;
      // The CSV has recency and T in weeks rounded to two decimals.
      return (
        s.frequency !== row.frequency ||
        Math.abs(s.recency - row.recency) > 0.005 + 1e-9 ||
        Math.abs(s.age - row.age) > 0.005 + 1e-9
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('agree in aggregate: 946 repeat buyers, the same total of repeat purchases', () => {
    const repeatBuyers = [...ours.values()].filter((s) => s.frequency > 0).length;
    const totalX = [...ours.values()].reduce((t, s) => t + s.frequency, 0);
    expect(repeatBuyers).toBe(946);
    expect(totalX).toBe(published.reduce((t, r) => t + r.frequency, 0));
  });

  it('give customer 1 the values the lifetimes documentation shows (2, 30.43, 38.86, $22.35)', () => {
    const s = ours.get(1)!;
    expect(s.frequency).toBe(2);
    expect(s.recency.toFixed(2)).toBe('30.43');
    expect(s.age.toFixed(2)).toBe('38.86');
    expect(s.averageRepeatValueMinor).toBe(2234.5); // ($29.73 + $14.96) / 2; lifetimes rounds to 22.35
  });
});

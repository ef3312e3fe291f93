import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quintileScores, rfmScores } from '../../../shared/domain/churn/rfm';

describe('quintileScores', () => {
  it('is NTILE(5) without ties', () => {
    expect([...quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 'higher')]).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    expect([...quintileScores([5, 1, 4, 2, 3], 'higher')]).toEqual([5, 1, 4, 2, 3]);
  });

  it('reverses when lower is better (recency: days since the last purchase)', () => {
    expect([...quintileScores([0, 3, 10, 30, 90, 200, 365, 400, 500, 700], 'lower')]).toEqual([
      5, 5, 4, 4, 3, 3, 2, 2, 1, 1,
    ]);
  });

  it('gives equal values one score: the quintile of the middle of the positions they hold', () => {
    // 6 of 10 customers never bought again: positions 1–6 hold quintiles 1,1,2,2,3,3; the middle,
    // 1 + ⌊5·(0 + 6/2)/10⌋, is 2. The next value up: 1 + ⌊5·(6 + ½)/10⌋ = 4.
    expect([...quintileScores([0, 0, 0, 0, 0, 0, 1, 2, 3, 4], 'higher')]).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    // 8 of 10 tied at the bottom: their middle is the middle quintile.
    expect([...quintileScores([0, 0, 0, 0, 0, 0, 0, 0, 1, 2], 'higher')]).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 5, 5]);
    expect([...quintileScores([3, 1, 3, 2, 3], 'lower')]).toEqual([2, 5, 2, 4, 2]);
  });

  it('scores everyone 3 when nobody can be told apart: one customer, or all tied', () => {
    expect([...quintileScores([42], 'higher')]).toEqual([3]);
    expect([...quintileScores([42], 'lower')]).toEqual([3]);
    expect([...quintileScores([7, 7, 7, 7], 'higher')]).toEqual([3, 3, 3, 3]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ noNaN: true }), (n, v) =>
        quintileScores(new Float64Array(n).fill(v), 'higher').every((s) => s === 3),
      ),
    );
  });

  it('spreads small shops symmetrically around 3', () => {
    expect([...quintileScores([], 'higher')]).toEqual([]);
    expect([...quintileScores([1, 2], 'higher')]).toEqual([2, 4]);
    expect([...quintileScores([1, 2, 3], 'higher')]).toEqual([1, 3, 5]);
    expect([...quintileScores([1, 2, 3, 4], 'higher')]).toEqual([1, 2, 4, 5]);
    expect([...quintileScores([4, 3, 2, 1], 'lower')]).toEqual([1, 2, 4, 5]);
    expect([...quintileScores([Infinity, -Infinity], 'higher')]).toEqual([4, 2]);
  });

  it('rejects NaN', () => {
    expect(() => quintileScores([1, Number.NaN], 'higher')).toThrow(RangeError);
  });

  const values = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 200 });

  it('scores 1–5, keeps the order of values and gives ties the same score', () => {
    fc.assert(
      fc.property(values, fc.constantFrom('higher' as const, 'lower' as const), (v, better) => {
        const s = quintileScores(v, better);
        const sign = better === 'higher' ? 1 : -1;
        for (let i = 0; i < v.length; i++) {
          if (s[i]! < 1 || s[i]! > 5) return false;
          for (let j = 0; j < v.length; j++) {
            if (sign * v[i]! < sign * v[j]! && s[i]! > s[j]!) return false;
            if (v[i] === v[j] && s[i] !== s[j]) return false;
          }
        }
        return true;
      }),
    );
  });

  it('is 1 + ⌊5 · (worse + tied/2) / n⌋ for every customer (checked against the definition, pairwise)', () => {
    fc.assert(
      fc.property(values, fc.constantFrom('higher' as const, 'lower' as const), (v, better) => {
        const s = quintileScores(v, better);
        const sign = better === 'higher' ? 1 : -1;
        return v.every((x, i) => {
          const worse = v.filter((y) => sign * y < sign * x).length;
          const tied = v.filter((y) => y === x).length;
          return s[i] === Math.min(5, 1 + Math.floor((5 * (worse + tied / 2)) / v.length));
        });
      }),
    );
  });

  it('is NTILE(5) of the ascending order for distinct values and n divisible by 5', () => {
    const distinct = fc
      .uniqueArray(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 5, maxLength: 500 })
      .map((v) => v.slice(0, v.length - (v.length % 5)));
    fc.assert(
      fc.property(distinct, (v) => {
        const s = quintileScores(v, 'higher');
        const ascending = [...v].sort((a, b) => a - b);
        return v.every((x, i) => s[i] === 1 + Math.floor((5 * ascending.indexOf(x)) / v.length));
      }),
    );
  });

  it('does not depend on the order of customers', () => {
    fc.assert(
      fc.property(values, fc.integer(), (v, seed) => {
        const order = v.map((_, i) => i).sort((i, j) => ((i * 7919 + seed) % 101) - ((j * 7919 + seed) % 101));
        const shuffled = order.map((i) => v[i]!);
        const s = quintileScores(v, 'higher');
        const t = quintileScores(shuffled, 'higher');
        return order.every((i, k) => t[k] === s[i]);
      }),
    );
  });

  it('puts about a fifth of distinct values in each quintile', () => {
    const s = quintileScores(
      Array.from({ length: 1_000 }, (_, i) => (i * 7_919) % 1_000),
      'higher',
    );
    for (let q = 1; q <= 5; q++) expect(s.filter((x) => x === q).length).toBe(200);
  });
});

describe('rfmScores', () => {
  it('scores recency (lower is better), frequency and monetary (higher is better)', () => {
    const customers = [
      { timeSinceLastPurchase: 2, frequency: 9, monetary: 120 },
      { timeSinceLastPurchase: 300, frequency: 1, monetary: 15 },
      { timeSinceLastPurchase: 30, frequency: 3, monetary: 60 },
      { timeSinceLastPurchase: 90, frequency: 2, monetary: 40 },
      { timeSinceLastPurchase: 10, frequency: 5, monetary: 80 },
    ];
    const s = rfmScores(customers);
    expect([...s.recency]).toEqual([5, 1, 3, 2, 4]);
    expect([...s.frequency]).toEqual([5, 1, 3, 2, 4]);
    expect([...s.monetary]).toEqual([5, 1, 3, 2, 4]);
  });
});

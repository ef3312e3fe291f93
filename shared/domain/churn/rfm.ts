/**
 * RFM quintile scores: each customer gets 1–5 for recency, frequency and monetary value, 5 being
 * the best fifth of the shop's customers (most recent, most frequent, highest value).
 *
 * Scoring rule (mid-rank): with w = customers strictly worse and t = customers with the same
 * value (the customer included),
 *
 *   score = 1 + ⌊5 · (w + t/2) / n⌋          (always 1–5: w + t/2 < n)
 *
 * i.e. the quintile of the middle of the positions a tied block occupies in the ascending order.
 * Why the middle and not the lowest position: a score must not say "bottom fifth" when the data
 * cannot tell customers apart. The lowest-position rule made a shop's only customer, or a block
 * of equals, score 1 — so one recent triple buyer was 1-1-1 and looked lost.
 * - Without ties, for n divisible by 5, it is exactly NTILE(5) over the ascending order (n = 10
 *   gives 1,1,2,2,3,3,4,4,5,5): (w + ½)/(n/5) crosses an integer where w does. For other n it
 *   differs from SQL's NTILE only in which quintile gets the remainder.
 * - Small shops spread symmetrically around 3: n = 1 → 3; n = 2 → 2, 4; n = 3 → 1, 3, 5;
 *   n = 4 → 1, 2, 4, 5.
 * - Everyone tied → 3. A tied block at the bottom scores its middle: when 60 % of customers bought
 *   once they all get frequency 2 (positions 1–6 of 10 hold quintiles 1,1,2,2,3,3); from 80 % on
 *   they get 3. So a low f does not mean "bought once": the segment rules read x for that.
 * - Deterministic and independent of input order: equal values always share a score, and a
 *   better value never scores lower. O(n log n): one sort, then a linear pass.
 */

export type Better = 'higher' | 'lower';

/** Quintile scores 1–5 of `values` (NaN is rejected); `better` says which direction scores 5. */
export const quintileScores = (values: ArrayLike<number>, better: Better): Uint8Array => {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return scores;
  // Work on sign·v so that "worse" is always "smaller".
  const sign = better === 'higher' ? 1 : -1;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new RangeError(`RFM input ${i} is NaN`);
    sorted[i] = sign * v;
  }
  sorted.sort();
  // The score only grows along the sorted values (the next block's w + t/2 is larger), so it is
  // 1 + the number of thresholds v reaches, where threshold k (1–4) is the smallest value whose
  // block scores above k. One pass over the tied blocks finds them; then 4 comparisons each.
  // An unreached threshold stays NaN, which no value (not even Infinity) reaches.
  const thresholds = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  let reached = 1;
  for (let start = 0; start < n && reached < 5;) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    // 5 · (w + t/2) / n with w = start, t = end − start, in integers: (5·start + 5·end) / 2n.
    const score = Math.min(5, 1 + Math.floor((5 * (start + end)) / (2 * n)));
    for (; reached < score; reached++) thresholds[reached - 1] = sorted[start]!;
    start = end;
  }
  const [t1, t2, t3, t4] = thresholds as [number, number, number, number];
  for (let i = 0; i < n; i++) {
    const v = sign * values[i]!;
    scores[i] = 1 + (v >= t1 ? 1 : 0) + (v >= t2 ? 1 : 0) + (v >= t3 ? 1 : 0) + (v >= t4 ? 1 : 0);
  }
  return scores;
};

export interface RfmInput {
  /** Time since the last purchase (any unit); less is better. */
  timeSinceLastPurchase: number;
  /** Number of purchases (or repeat purchases: same ranking). */
  frequency: number;
  /** Monetary value, e.g. average or total purchase value. */
  monetary: number;
}

export interface RfmScores {
  recency: Uint8Array;
  frequency: Uint8Array;
  monetary: Uint8Array;
}

export const rfmScores = (customers: readonly RfmInput[]): RfmScores => ({
  recency: quintileScores(
    Float64Array.from(customers, (c) => c.timeSinceLastPurchase),
    'lower',
  ),
  frequency: quintileScores(
    Float64Array.from(customers, (c) => c.frequency),
    'higher',
  ),
  monetary: quintileScores(
    Float64Array.from(customers, (c) => c.monetary),
    'higher',
  ),
});

/**
 * RFM quintile scores: each customer gets 1–5 for recency, frequency and monetary value, 5 being
 * the best fifth of the shop's customers (most recent, most frequent, highest value).
 *
 * Scoring rule: score = 1 + ⌊5 · (customers strictly worse) / n⌋. Without ties this is exactly
 * NTILE(5) over the ascending order (n = 10 gives 1,1,2,2,3,3,4,4,5,5). With ties it is still
 * deterministic and independent of input order: equal values always share a score, the score of
 * the lowest position they occupy. So a tied block never straddles a boundary, the worst value
 * always scores 1, and quintiles can be uneven — e.g. when 60 % of customers bought once, all of
 * them get frequency 1 and the next frequency up starts at 4, which says what the data says
 * (most customers are indistinguishable on frequency) rather than splitting equals at random.
 * For n < 5 not every score is used (n = 1 scores 1).
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
  // With w(v) = number of values strictly below v, score = 1 + ⌊5·w/n⌋ reaches k+1 exactly when
  // w ≥ p_k = ⌈k·n/5⌉, i.e. when v exceeds the p_k-th smallest value. So four thresholds from
  // the sorted values score everyone in O(n), without a search per customer.
  const thresholds = [1, 2, 3, 4].map((k) => sorted[Math.ceil((k * n) / 5) - 1]!);
  const [t1, t2, t3, t4] = thresholds as [number, number, number, number];
  for (let i = 0; i < n; i++) {
    const v = sign * values[i]!;
    scores[i] = 1 + (v > t1 ? 1 : 0) + (v > t2 ? 1 : 0) + (v > t3 ? 1 : 0) + (v > t4 ? 1 : 0);
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

/**
 * Churn risk: one 0–100 integer per customer and a band (low / medium / high), for the nightly
 * segments, the exports and the win-back e-mails.
 *
 *   churn risk = round(100 · P(no purchase in the next H days))
 *
 * P comes from the purchase model the nightly run chose for the shop on its own history
 * (backtest.ts: BG/NBD or MBG/NBD, their conditional distribution in purchase-models.ts), or,
 * when that history is too short to judge, from the heuristic there. H is the shop's horizon
 * (`program.churn.horizonDays`, default 90). So a risk of 70 means: the model gives this
 * customer a 70 % chance of not buying in the next H days — a number a marketer can check
 * against what happened, which is what the back-test's model card does every night.
 *
 * | band   | score   | meaning |
 * |--------|---------|---------|
 * | high   | ≥ 60    | more likely than not (60 %+) to make no purchase within H days |
 * | medium | 30 – 59 | a real chance (30–60 %) of no purchase within H days |
 * | low    | < 30    | likely to buy again within H days |
 *
 * The bands kept their thresholds from the earlier score (a blend of 1 − P(alive) and
 * overdueness), but not their reach: the number is now a probability with a horizon, higher than
 * before for most customers. On CDNOW as of 1997-09-30, 18 % of customers scored 60 or more
 * before; P(no purchase in 90 days) is 60 % or more for 91 % of them, and only 17 % bought
 * within those 90 days. It rose most for long-silent one-time buyers (BG/NBD's P(alive) = 1 no
 * longer hides them) and for everyone whose rhythm is slower than H. So H should match the
 * shop's rhythm (docs/nightly.md), and win-back starts on a crossing, not on a level.
 */

import { DAYS_PER_UNIT, type PurchaseSummary } from './summary';

export const riskBands = ['low', 'medium', 'high'] as const;
export type RiskBand = (typeof riskBands)[number];

export interface ChurnRisk {
  /** 0–100 integer; higher is worse. */
  score: number;
  band: RiskBand;
}

/** The horizon H of the churn risk when a shop sets none (`program.churn.horizonDays`). */
export const DEFAULT_HORIZON_DAYS = 90;

/** Score at or above which the band is high. */
export const HIGH_RISK_SCORE = 60;
/** Score at or above which the band is medium. */
export const MEDIUM_RISK_SCORE = 30;

export const bandOf = (score: number): RiskBand =>
  score >= HIGH_RISK_SCORE ? 'high' : score >= MEDIUM_RISK_SCORE ? 'medium' : 'low';

/** The churn risk of a probability of no purchase within the horizon (0–1). */
export const churnRisk = (noPurchaseProbability: number): ChurnRisk => {
  if (!(Number.isFinite(noPurchaseProbability) && noPurchaseProbability >= -1e-9 && noPurchaseProbability <= 1 + 1e-9))
    throw new RangeError(`A probability of no purchase must be in [0, 1], got ${noPurchaseProbability}`);
  const score = Math.min(100, Math.max(0, Math.round(100 * noPurchaseProbability)));
  return { score, band: bandOf(score) };
};

/** A repeat customer's mean gap between purchase days, in days (t_x / x); undefined when x = 0. */
export const usualIntervalDays = (
  summary: Pick<PurchaseSummary, 'frequency' | 'recency' | 'timeUnit'>,
): number | undefined =>
  summary.frequency > 0 ? (summary.recency * DAYS_PER_UNIT[summary.timeUnit]) / summary.frequency : undefined;

/**
 * The shop's usual gap between purchases: the median of the repeat customers' own intervals
 * (lower median for an even count, so it is one customer's actual value), or undefined when no
 * one has bought twice. What `churnRisk` should get for customers without a repeat purchase.
 */
export const medianIntervalDays = (
  summaries: readonly Pick<PurchaseSummary, 'frequency' | 'recency' | 'timeUnit'>[],
): number | undefined => {
  const intervals: number[] = [];
  for (const s of summaries) {
    const v = usualIntervalDays(s);
    if (v !== undefined && v > 0) intervals.push(v);
  }
  if (intervals.length === 0) return undefined;
  intervals.sort((a, b) => a - b);
  return intervals[Math.floor((intervals.length - 1) / 2)];
};

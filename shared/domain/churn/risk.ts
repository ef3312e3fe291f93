/**
 * Churn risk: one 0–100 integer per customer and a band (low / medium / high), for the nightly
 * segments, the exports and the win-back e-mails.
 *
 * ── The score ──────────────────────────────────────────────────────────────────────────────
 *
 *   base     = 1 − P(alive)                                      (BG/NBD, score.ts)
 *   ratio    = daysSinceLast / interval
 *   overdue  = clamp((ratio − 1) / 2, 0, 1)                       0 within one usual interval,
 *                                                                 1 at three or more
 *   risk     = base + (1 − base) · OVERDUE_WEIGHT · overdue       OVERDUE_WEIGHT = 0.5
 *   score    = round(100 · risk)
 *
 * P(alive) carries the weight: it is the model's probability that the customer has not
 * dropped out, and already reads the customer's recency against their own frequency. The
 * overdue term closes what the model leaves open. Its main job is the BG/NBD artefact that a
 * customer with no repeat purchase (x = 0) has P(alive) = 1 however long ago they bought: with
 * the shop's usual interval passed for them, a one-time buyer long past it rises to medium.
 * Read as probabilities, overdueness is an extra, independent chance of having left, of at
 * most 50 %, applied to the part the model thinks is alive: risk = 1 − P(alive) · (1 − ½·o).
 *
 * `interval`, in days, is the first of:
 * 1. `typicalIntervalDays` — the customer's own mean gap between purchase days
 *    (`usualIntervalDays(summary)`, t_x / x), or for a customer without a repeat purchase the
 *    shop's (`medianIntervalDays(summaries)`). Pass it: it is what makes one-time buyers'
 *    risk move at all.
 * 2. otherwise the model's own expected gap if alive, 90 · P(alive) / E[X(90 days)]: the
 *    inverse of the posterior purchase rate. It is conservative (the posterior rate already
 *    averages over the silence), and for x = 0 it is so long that it rarely adds anything.
 * 3. no interval (E[X(90)] = 0): no adjustment.
 *
 * ── The bands ─────────────────────────────────────────────────────────────────────────────
 *
 * | band   | score   | meaning |
 * |--------|---------|---------|
 * | high   | ≥ 60    | the model gives the customer under a 40 % chance of still being active, or doubts them somewhat (P(alive) ≤ 0.8) AND they are ≥ 3× their usual interval overdue |
 * | medium | 30 – 59 | about a one-in-three chance they are gone (P(alive) ≤ 0.7), or long overdue (from ≈ 2.2× the usual interval) even when the model is sure |
 * | low    | < 30    | everything else |
 *
 * Why these: BG/NBD P(alive) for customers still buying at their usual pace sits well above
 * 0.7, so "low" is the normal state. Being overdue alone caps at 50 (medium), never high:
 * silence is a signal about rhythm (holidays, seasonal products), not proof of churn, so it
 * takes the model's doubt as well to reach high. Under the model's Poisson purchasing a live
 * customer is silent for 2.2 or 3 of their intervals only about 11 % or 5 % of the time, which
 * is where medium and the full adjustment start. The "lost" segment (P(alive) < 0.2) is always
 * high (score ≥ 80).
 *
 * Properties (tested): lower P(alive) never lowers the score; more days since the last
 * purchase never lower it; a longer usual interval never raises it. (Without an interval, a
 * higher E[X(90)] at the same P(alive) means a faster buyer, so the same silence is more
 * overdue: the score can rise with it. It never falls.)
 */
import { DAYS_PER_UNIT, type PurchaseSummary } from './summary';

export const riskBands = ['low', 'medium', 'high'] as const;
export type RiskBand = (typeof riskBands)[number];

export interface ChurnRiskInput {
  /** P(alive) from the purchase model, 0–1. */
  pAlive: number;
  /** E[purchases in the next 90 days | history], ≥ 0. */
  expectedPurchases90d: number;
  /** Whole days from the last purchase day to the as-of day, ≥ 0. */
  daysSinceLast: number;
  /** The customer's usual gap between purchases in days (> 0), when known. */
  typicalIntervalDays?: number;
}

export interface ChurnRisk {
  /** 0–100 integer; higher is worse. */
  score: number;
  band: RiskBand;
}

/** Score at or above which the band is high. */
export const HIGH_RISK_SCORE = 60;
/** Score at or above which the band is medium. */
export const MEDIUM_RISK_SCORE = 30;
/** How much of the model's remaining confidence full overdueness takes away. */
export const OVERDUE_WEIGHT = 0.5;
/** Horizon of `expectedPurchases90d`, for the model-implied interval. */
const HORIZON_DAYS = 90;

export const bandOf = (score: number): RiskBand =>
  score >= HIGH_RISK_SCORE ? 'high' : score >= MEDIUM_RISK_SCORE ? 'medium' : 'low';

/** 0 while within one usual interval, rising linearly to 1 at three intervals and beyond. */
export const overdueness = (daysSinceLast: number, intervalDays: number | undefined): number => {
  if (intervalDays === undefined || !Number.isFinite(intervalDays)) return 0;
  if (intervalDays <= 0) return daysSinceLast > 0 ? 1 : 0;
  const ratio = daysSinceLast / intervalDays;
  return Math.min(1, Math.max(0, (ratio - 1) / 2));
};

const isFiniteAtLeast = (v: number, min: number) => typeof v === 'number' && Number.isFinite(v) && v >= min;

const checkInput = (i: ChurnRiskInput): void => {
  if (!(isFiniteAtLeast(i.pAlive, 0) && i.pAlive <= 1))
    throw new RangeError(`pAlive must be in [0, 1], got ${i.pAlive}`);
  if (!isFiniteAtLeast(i.expectedPurchases90d, 0))
    throw new RangeError(`expectedPurchases90d must be ≥ 0, got ${i.expectedPurchases90d}`);
  if (!isFiniteAtLeast(i.daysSinceLast, 0)) throw new RangeError(`daysSinceLast must be ≥ 0, got ${i.daysSinceLast}`);
  if (
    i.typicalIntervalDays !== undefined &&
    !(isFiniteAtLeast(i.typicalIntervalDays, 0) && i.typicalIntervalDays > 0)
  ) {
    throw new RangeError(`typicalIntervalDays must be > 0 when given, got ${i.typicalIntervalDays}`);
  }
};

/** The interval overdueness is measured against (see the file comment), or undefined. */
const intervalFor = (i: ChurnRiskInput): number | undefined => {
  if (i.typicalIntervalDays !== undefined) return i.typicalIntervalDays;
  if (i.expectedPurchases90d > 0) return (HORIZON_DAYS * i.pAlive) / i.expectedPurchases90d;
  return undefined;
};

export const churnRisk = (input: ChurnRiskInput): ChurnRisk => {
  checkInput(input);
  const base = 1 - input.pAlive;
  const risk = base + (1 - base) * OVERDUE_WEIGHT * overdueness(input.daysSinceLast, intervalFor(input));
  // Clamp against rounding noise; Math.round keeps the map monotone.
  const score = Math.min(100, Math.max(0, Math.round(100 * risk)));
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

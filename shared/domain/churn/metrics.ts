/**
 * A shop's loyalty metrics for the nightly report, from its customers' counted orders, points
 * and churn scores. Pure arithmetic; the job gathers the inputs.
 *
 * Definitions (the denominators are returned too, so a 0 rate over nobody can be told apart):
 *
 * | metric                   | definition |
 * |--------------------------|------------|
 * | buyers                   | customers with ≥ 1 counted order |
 * | repeatPurchaseRate       | customers with ≥ 2 counted orders / buyers. Orders, not purchase days: two orders on one day make a repeat customer here, while the churn models (summary.ts) count them as one purchase occasion |
 * | multiProductShare        | customers who bought ≥ 2 distinct product ids over all their counted orders / buyers |
 * | referralRevenueShare     | revenue of orders marked `referred` / all revenue |
 * | averagePredictedClvMinor | mean predicted 12-month value over buyers (customers without a counted order are not scored by the models), rounded half up to a whole minor unit |
 * | pointsLiability          | points = Σ max(0, available) + Σ max(0, pending) over all customers; value = ⌊points × pointValue.valueMinor / pointValue.points⌋ |
 * | tierDistribution         | customers per tier over all customers, keys sorted; `none` for customers without a tier |
 * | nps                      | answers 0–10: promoters 9–10, passives 7–8, detractors 0–6; score = 100 × (promoters − detractors) / responses |
 *
 * - "Counted orders" are the caller's: up to the as-of day, not cancelled, not fully refunded.
 * - Points liability includes pending points: they confirm unless the order is returned, so
 *   they are a liability in the making (what a shop books for an open loyalty programme). The
 *   split is returned for shops that only count confirmed points. A negative balance (points
 *   clawed back after a redemption) is not netted against other customers' claims: it counts
 *   as 0. The value is rounded down once, on the total, in integer arithmetic.
 * - The point value is the money one point buys at the shop's cheapest reward (`pointValueOf`):
 *   valueMinor / pointsCost kept as a fraction, so no precision is lost.
 * - Rates are rounded half up to 4 decimals (0.6667), the NPS score to 2 decimals, from exact
 *   integer arithmetic. An empty denominator gives 0.
 */

export interface MetricsOrder {
  /** ISO timestamp of the order. */
  at: string;
  /** Counted revenue in integer minor units, ≥ 0. */
  revenueMinor: number;
  productIds: readonly string[];
  /** Attributed to a referral. */
  referred: boolean;
}

export interface MetricsCustomer {
  /** Counted orders only. */
  orders: readonly MetricsOrder[];
  pointsAvailable: number;
  pointsPending: number;
  /** Predicted 12-month value in minor units (may be fractional: a model output), ≥ 0. */
  predictedValue12mMinor: number;
  tier?: string;
}

/** The money value of `points` points: valueMinor / points per point, kept as a fraction. */
export interface PointValue {
  valueMinor: number;
  points: number;
}

export interface LoyaltyMetricsInput {
  customers: readonly MetricsCustomer[];
  pointValueMinor: PointValue;
  npsAnswers: readonly number[];
}

export interface NpsResult {
  /** −100..100, 2 decimals. */
  score: number;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface LoyaltyMetrics {
  customers: number;
  buyers: number;
  repeatBuyers: number;
  multiProductBuyers: number;
  repeatPurchaseRate: number;
  multiProductShare: number;
  revenueMinor: number;
  referralRevenueMinor: number;
  referralRevenueShare: number;
  averagePredictedClvMinor: number;
  pointsLiability: { points: number; valueMinor: number; availablePoints: number; pendingPoints: number };
  tierDistribution: Record<string, number>;
  nps: NpsResult;
}

/** Tier key for customers without one. */
export const NO_TIER = 'none';

export const RATE_DECIMALS = 4;

/** |num| / den rounded half up (away from zero) to `decimals`, sign kept; 0 when den = 0. */
export const roundedRatio = (num: bigint, den: bigint, decimals: number): number => {
  if (den === 0n) return 0;
  const scale = 10n ** BigInt(decimals);
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  const q = (2n * magnitude * scale + den) / (2n * den);
  const value = Number(q) / Number(scale);
  return negative && q !== 0n ? -value : value;
};

const toSafeNumber = (v: bigint, what: string): number => {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} exceeds the safe integer range`);
  return Number(v);
};

const checkNonNegativeInteger = (v: number, what: string): void => {
  if (!(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`${what} must be a non-negative integer, got ${v}`);
};

/**
 * The value of one point at the shop's cheapest reward (fewest points; on a tie the lower value
 * per point, the conservative one), or undefined without rewards.
 */
export const pointValueOf = (
  rewards: readonly { pointsCost: number; valueMinor: number }[],
): PointValue | undefined => {
  let best: PointValue | undefined;
  for (const r of rewards) {
    const candidate = { valueMinor: r.valueMinor, points: r.pointsCost };
    if (
      !best ||
      candidate.points < best.points ||
      (candidate.points === best.points &&
        BigInt(candidate.valueMinor) * BigInt(best.points) < BigInt(best.valueMinor) * BigInt(candidate.points))
    ) {
      best = candidate;
    }
  }
  return best;
};

/** Net Promoter Score of 0–10 answers. */
export const netPromoterScore = (answers: readonly number[]): NpsResult => {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const a of answers) {
    if (!(Number.isInteger(a) && a >= 0 && a <= 10))
      throw new RangeError(`An NPS answer must be an integer 0–10, got ${a}`);
    if (a >= 9) promoters++;
    else if (a >= 7) passives++;
    else detractors++;
  }
  return npsFromCounts(promoters, passives, detractors);
};

/** The score of counted answers (so counts of two sets of answers add up exactly). */
export const npsFromCounts = (promoters: number, passives: number, detractors: number): NpsResult => {
  const responses = promoters + passives + detractors;
  // 100 × ratio to 2 decimals = ratio to 4 decimals, scaled exactly.
  const score = roundedRatio(BigInt(promoters - detractors) * 100n, BigInt(responses), 2);
  return { score, responses, promoters, passives, detractors };
};

export const loyaltyMetrics = (input: LoyaltyMetricsInput): LoyaltyMetrics => {
  const { valueMinor: pointMoney, points: perPoints } = input.pointValueMinor;
  checkNonNegativeInteger(pointMoney, 'pointValueMinor.valueMinor');
  if (!(Number.isSafeInteger(perPoints) && perPoints > 0))
    throw new RangeError(`pointValueMinor.points must be a positive integer, got ${perPoints}`);

  let buyers = 0;
  let repeatBuyers = 0;
  let multiProductBuyers = 0;
  let revenue = 0n;
  let referralRevenue = 0n;
  let clvSum = 0;
  let available = 0n;
  let pending = 0n;
  const tiers = new Map<string, number>();

  for (const c of input.customers) {
    if (!Number.isSafeInteger(c.pointsAvailable) || !Number.isSafeInteger(c.pointsPending)) {
      throw new RangeError(`Point balances must be integers, got ${c.pointsAvailable} / ${c.pointsPending}`);
    }
    available += BigInt(Math.max(0, c.pointsAvailable));
    pending += BigInt(Math.max(0, c.pointsPending));
    const tier = c.tier === undefined || c.tier === '' ? NO_TIER : c.tier;
    tiers.set(tier, (tiers.get(tier) ?? 0) + 1);

    const products = new Set<string>();
    for (const o of c.orders) {
      checkNonNegativeInteger(o.revenueMinor, 'Order revenue');
      revenue += BigInt(o.revenueMinor);
      if (o.referred) referralRevenue += BigInt(o.revenueMinor);
      for (const p of o.productIds) products.add(p);
    }
    if (c.orders.length === 0) continue;
    buyers++;
    if (c.orders.length >= 2) repeatBuyers++;
    if (products.size >= 2) multiProductBuyers++;
    if (!(Number.isFinite(c.predictedValue12mMinor) && c.predictedValue12mMinor >= 0)) {
      throw new RangeError(`predictedValue12mMinor must be a finite value ≥ 0, got ${c.predictedValue12mMinor}`);
    }
    clvSum += c.predictedValue12mMinor;
  }

  const points = available + pending;
  const liabilityValue = (points * BigInt(pointMoney)) / BigInt(perPoints);
  const b = BigInt(buyers);
  return {
    customers: input.customers.length,
    buyers,
    repeatBuyers,
    multiProductBuyers,
    repeatPurchaseRate: roundedRatio(BigInt(repeatBuyers), b, RATE_DECIMALS),
    multiProductShare: roundedRatio(BigInt(multiProductBuyers), b, RATE_DECIMALS),
    revenueMinor: toSafeNumber(revenue, 'Revenue'),
    referralRevenueMinor: toSafeNumber(referralRevenue, 'Referral revenue'),
    referralRevenueShare: roundedRatio(referralRevenue, revenue, RATE_DECIMALS),
    averagePredictedClvMinor: buyers === 0 ? 0 : Math.round(clvSum / buyers),
    pointsLiability: {
      points: toSafeNumber(points, 'Points'),
      valueMinor: toSafeNumber(liabilityValue, 'Points liability'),
      availablePoints: toSafeNumber(available, 'Points'),
      pendingPoints: toSafeNumber(pending, 'Points'),
    },
    tierDistribution: Object.fromEntries([...tiers].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0))),
    nps: netPromoterScore(input.npsAnswers),
  };
};

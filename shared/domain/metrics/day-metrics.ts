/**
 * A shop's loyalty metrics for one as-of day, the numbers kept over time (docs/metrics.md):
 * computed by the nightly run for the whole shop and for each churn segment. Pure, exact integer
 * arithmetic; rates are rounded half up to 4 decimals, NPS and CLI scores to 2, an average spend
 * to a whole minor unit; an empty denominator gives 0 (the denominators are returned too).
 *
 * | metric                | definition |
 * |-----------------------|------------|
 * | nps                   | the NPS of the answers given up to the end of the as-of day (churn/metrics.ts) |
 * | customerLoyaltyIndex  | mean of the three 0–10 answers × 10 over answers with all three (loyalty-index.ts) |
 * | activeCustomers       | customers with ≥ 1 counted order in the 365 days up to the end of the as-of day |
 * | repeatPurchaseRate    | active customers with ≥ 2 counted orders (ever) / active customers |
 * | repeatRevenueShare    | revenue of all counted orders of customers with ≥ 2 counted orders / revenue of all counted orders |
 * | multiProductRate      | repeat buyers (≥ 2 counted orders, ever) with ≥ 2 distinct product ids over their orders / repeat buyers |
 * | engagementRate        | customers with a non-purchase activity in the 90 days up to the as-of day / all customers |
 * | members, nonMembers   | customers with (without) an active paid membership at the end of the as-of day: their count, their counted revenue in the 365 days up to it, and that revenue per customer |
 *
 * "Counted orders" are the caller's, as for LoyaltyMetrics: up to the as-of day, not cancelled,
 * not fully refunded, in the shop's currency. Revenue windows are instants: an order counts in
 * the 365 days when `at` ≥ end of the as-of day (UTC) − 365 × 24 h.
 *
 * `bySegment` applies the same definitions to each churn segment's customers; customers without
 * a segment (no counted order, so never scored) are under `none`. An answer counts in the
 * segment of the customer who gave it (`none` for a customer not in `customers`).
 */
import { endOfDayMs } from '../churn/purchases';
import { npsFromCounts, RATE_DECIMALS, roundedRatio, type MetricsOrder, type NpsResult } from '../churn/metrics';
import { segmentNames, type SegmentName } from '../churn/segments';
import { engagementInWindow } from './engagement';
import { loyaltyIndexAnswers, loyaltyIndexOf, type LoyaltyIndexAnswer, type LoyaltyIndexResult } from './loyalty-index';

/** Days back from the end of the as-of day that make a customer active, and that spend is summed over. */
export const ACTIVE_WINDOW_DAYS = 365;

/** The key of customers without a churn segment. */
export const NO_SEGMENT = 'none';
export type SegmentKey = SegmentName | typeof NO_SEGMENT;
export const segmentKeys: readonly SegmentKey[] = [...segmentNames, NO_SEGMENT];

export interface DayCustomer {
  cid: string;
  /** Counted orders only. */
  orders: readonly MetricsOrder[];
  engagedDays?: readonly string[];
  /** An active paid membership at the end of the as-of day. */
  member: boolean;
  segment?: SegmentName;
}

export interface DayAnswer extends LoyaltyIndexAnswer {
  cid: string;
}

export interface SpendGroup {
  customers: number;
  /** Counted revenue in the 365 days. */
  revenueMinor: number;
  averageSpendMinor: number;
}

export interface GroupMetrics {
  customers: number;
  nps: NpsResult;
  customerLoyaltyIndex: LoyaltyIndexResult;
  activeCustomers: number;
  repeatActiveCustomers: number;
  repeatPurchaseRate: number;
  revenueMinor: number;
  repeatCustomerRevenueMinor: number;
  repeatRevenueShare: number;
  repeatBuyers: number;
  multiProductRepeatBuyers: number;
  multiProductRate: number;
  engagedCustomers: number;
  engagementRate: number;
  members: SpendGroup;
  nonMembers: SpendGroup;
}

export interface DayMetrics extends GroupMetrics {
  asOf: string;
  /** The NPS and loyalty index count the answers given up to this instant (ISO), and no later ones. */
  answersUntil?: string;
  bySegment: Record<SegmentKey, GroupMetrics>;
}

export interface DayMetricsInput {
  asOf: string;
  answersUntil?: string;
  customers: readonly DayCustomer[];
  /** Answers given up to `answersUntil` (at most the end of the as-of day). */
  answers: readonly DayAnswer[];
}

const ratio = (num: bigint, den: bigint) => roundedRatio(num, den, RATE_DECIMALS);

const toSafe = (v: bigint): number => {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('Revenue exceeds the safe integer range');
  return Number(v);
};

/** Running sums of one group. */
class Tally {
  customers = 0;
  active = 0;
  repeatActive = 0;
  revenue = 0n;
  repeatRevenue = 0n;
  repeatBuyers = 0;
  multiProduct = 0;
  engaged = 0;
  spend = { members: { n: 0, revenue: 0n }, nonMembers: { n: 0, revenue: 0n } };
  nps = { promoters: 0, passives: 0, detractors: 0 };
  cli = { responses: 0, sum: 0 };

  addCustomer(c: DayCustomer, asOf: string, since: number): void {
    this.customers++;
    let total = 0n;
    let recent = 0n;
    let active = false;
    const products = new Set<string>();
    for (const o of c.orders) {
      if (!(Number.isSafeInteger(o.revenueMinor) && o.revenueMinor >= 0))
        throw new RangeError(`Order revenue must be a non-negative integer, got ${o.revenueMinor}`);
      total += BigInt(o.revenueMinor);
      if (Date.parse(o.at) >= since) {
        active = true;
        recent += BigInt(o.revenueMinor);
      }
      for (const p of o.productIds) products.add(p);
    }
    const repeat = c.orders.length >= 2;
    this.revenue += total;
    if (active) this.active++;
    if (active && repeat) this.repeatActive++;
    if (repeat) {
      this.repeatBuyers++;
      this.repeatRevenue += total;
      if (products.size >= 2) this.multiProduct++;
    }
    if (engagementInWindow(c.engagedDays, asOf).daysSinceActivity !== undefined) this.engaged++;
    const spend = c.member ? this.spend.members : this.spend.nonMembers;
    spend.n++;
    spend.revenue += recent;
  }

  addAnswer(a: DayAnswer): void {
    if (!(Number.isInteger(a.score) && a.score >= 0 && a.score <= 10))
      throw new RangeError(`An NPS answer must be an integer 0–10, got ${a.score}`);
    if (a.score >= 9) this.nps.promoters++;
    else if (a.score >= 7) this.nps.passives++;
    else this.nps.detractors++;
    const three = loyaltyIndexAnswers(a);
    if (three) {
      this.cli.responses++;
      this.cli.sum += three[0] + three[1] + three[2];
    }
  }

  result(): GroupMetrics {
    const spendOf = (g: { n: number; revenue: bigint }): SpendGroup => ({
      customers: g.n,
      revenueMinor: toSafe(g.revenue),
      averageSpendMinor: roundedRatio(g.revenue, BigInt(g.n), 0),
    });
    return {
      customers: this.customers,
      nps: npsFromCounts(this.nps.promoters, this.nps.passives, this.nps.detractors),
      customerLoyaltyIndex: loyaltyIndexOf(this.cli.responses, this.cli.sum),
      activeCustomers: this.active,
      repeatActiveCustomers: this.repeatActive,
      repeatPurchaseRate: ratio(BigInt(this.repeatActive), BigInt(this.active)),
      revenueMinor: toSafe(this.revenue),
      repeatCustomerRevenueMinor: toSafe(this.repeatRevenue),
      repeatRevenueShare: ratio(this.repeatRevenue, this.revenue),
      repeatBuyers: this.repeatBuyers,
      multiProductRepeatBuyers: this.multiProduct,
      multiProductRate: ratio(BigInt(this.multiProduct), BigInt(this.repeatBuyers)),
      engagedCustomers: this.engaged,
      engagementRate: ratio(BigInt(this.engaged), BigInt(this.customers)),
      members: spendOf(this.spend.members),
      nonMembers: spendOf(this.spend.nonMembers),
    };
  }
}

export const dayMetrics = (input: DayMetricsInput): DayMetrics => {
  const since = endOfDayMs(input.asOf) - ACTIVE_WINDOW_DAYS * 86_400_000;
  const all = new Tally();
  const groups = new Map<SegmentKey, Tally>(segmentKeys.map((k) => [k, new Tally()]));
  const segmentOf = new Map<string, SegmentKey>();
  for (const c of input.customers) {
    const key = c.segment ?? NO_SEGMENT;
    segmentOf.set(c.cid, key);
    all.addCustomer(c, input.asOf, since);
    groups.get(key)!.addCustomer(c, input.asOf, since);
  }
  for (const a of input.answers) {
    all.addAnswer(a);
    groups.get(segmentOf.get(a.cid) ?? NO_SEGMENT)!.addAnswer(a);
  }
  return {
    asOf: input.asOf,
    ...(input.answersUntil !== undefined ? { answersUntil: input.answersUntil } : {}),
    ...all.result(),
    bySegment: Object.fromEntries(segmentKeys.map((k) => [k, groups.get(k)!.result()])) as Record<
      SegmentKey,
      GroupMetrics
    >,
  };
};

/**
 * The day's NPS and loyalty index with answers given after it added: exact, from the day's
 * counts and answer sum, so `latest` needs only the answers since the night, not all of them.
 */
export const withLaterAnswers = (
  day: Pick<GroupMetrics, 'nps' | 'customerLoyaltyIndex'>,
  answers: readonly LoyaltyIndexAnswer[],
): Pick<GroupMetrics, 'nps' | 'customerLoyaltyIndex'> => {
  const later = new Tally();
  for (const a of answers) later.addAnswer({ cid: '', ...a });
  const { promoters, passives, detractors } = day.nps;
  const cli = day.customerLoyaltyIndex;
  return {
    nps: npsFromCounts(
      promoters + later.nps.promoters,
      passives + later.nps.passives,
      detractors + later.nps.detractors,
    ),
    customerLoyaltyIndex: loyaltyIndexOf(cli.responses + later.cli.responses, cli.answerSum + later.cli.sum),
  };
};

import type { CanonicalOrder } from '../../schemas/order';
import type { MembershipConfig, MembershipPlan } from '../../schemas/program';
import { addDays, addMonths, toMs } from '../calendar';
import type { MembershipPayment, MembershipState } from './types';
import type { OrderRecord } from '../ledger/order-record';

/**
 * Paid membership as a pure function of the payments that bought it. Every order delivery
 * replaces (or removes) the one payment keyed by its order id and the membership is folded
 * again from all of them, so duplicates, updates and out-of-order deliveries (a refund before
 * the payment, a renewal before the first payment) converge on one state.
 */

type Line = Pick<CanonicalOrder['lines'][number], 'productId' | 'sku'> & { lineId?: string };

const buys = (plan: MembershipPlan, l: Line) =>
  (l.productId !== undefined && plan.productIds.includes(l.productId)) ||
  (l.sku !== undefined && plan.skus.includes(l.sku));

/**
 * Which of an order's lines pay for its membership: the lines a payment recorded (`lineIds`), so a
 * shop that renames the plan's SKUs or products later does not lose track of what was sold under
 * the old ones; without recorded lines (payments from before they were kept), the plan's own.
 */
export const planLine =
  (plan: MembershipPlan | undefined, lineIds?: readonly string[]) =>
  (l: Line): boolean =>
    lineIds?.length ? l.lineId !== undefined && lineIds.includes(l.lineId) : plan !== undefined && buys(plan, l);

/**
 * The plan an order's lines buy: the first plan (in the program's order) any line is for. One
 * order buys one plan; lines of other plans in the same order buy nothing.
 */
export const planOfLines = (lines: readonly Line[], config: MembershipConfig): MembershipPlan | undefined =>
  config.plans.find((p) => lines.some((l) => buys(p, l)));

/** Months an order's lines buy of `plan`: each unit one period (quantity 3 of a monthly plan = 3 months). */
export const monthsBought = (
  lines: readonly (Line & { quantity: number })[],
  plan: MembershipPlan,
  isPlanLine: (l: Line) => boolean = planLine(plan),
): number => lines.filter(isPlanLine).reduce((s, l) => s + l.quantity * plan.periodMonths, 0);

/**
 * Whether the order (as merged from every delivery) still pays for its plan: paid, not a test,
 * not cancelled or deleted, not refunded or voided in full, and the plan's own lines not
 * refunded in full. A partial refund of the membership line is a price adjustment and keeps it.
 */
export const stillPays = (record: OrderRecord, isPlanLine: (l: Line) => boolean): boolean => {
  const s = record.state;
  if (!s || !record.paidAt || s.test || record.cancelledAt) return false;
  if (s.financialStatus === 'refunded' || s.financialStatus === 'voided') return false;
  const refunds = Object.values(record.refunds);
  if (s.totalMinor > 0 && refunds.reduce((sum, r) => sum + r.amountMinor, 0) >= s.totalMinor) return false;
  const planLines = s.lines.filter(isPlanLine);
  const planNet = planLines.reduce((sum, l) => sum + l.netMinor, 0);
  const linesNet = s.lines.reduce((sum, l) => sum + l.netMinor, 0);
  const ids = new Set(planLines.map((l) => l.lineId).filter((id) => id !== undefined));
  const known = new Set(s.lines.map((l) => l.lineId));
  let refundedNet = 0;
  for (const r of refunds) {
    if (r.lines?.length && r.lines.every((l) => known.has(l.lineId))) {
      refundedNet += r.lines.filter((l) => ids.has(l.lineId)).reduce((sum, l) => sum + l.netMinor, 0);
    } else if (linesNet > 0) {
      // A refund that names no lines (or lines we do not know) counts against the plan's lines in proportion.
      refundedNet += Math.floor(((r.itemsNetMinor ?? r.amountMinor) * planNet) / linesNet);
    }
  }
  return planNet === 0 || refundedNet < planNet;
};

/** Payments kept per customer: two years of a monthly plan. */
export const maxPayments = 24;

/** The payments with the one of `orderId` replaced by `payment`, or taken out when there is none. */
export const withPayment = (
  payments: readonly MembershipPayment[],
  orderId: string,
  payment: MembershipPayment | undefined,
): MembershipPayment[] => {
  const others = payments.filter((p) => p.orderId !== orderId);
  const all = payment ? [...others, payment] : others;
  return byTime(all).slice(-maxPayments);
};

const byTime = (ps: MembershipPayment[]) =>
  [...ps].sort((a, b) => toMs(a.at) - toMs(b.at) || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

interface Run {
  planId: string;
  since: string;
  paidThrough: string;
  /** Months paid since `since`: the paid period always ends `months` after `since`. */
  months: number;
  /** Index of the run's first payment. */
  from: number;
}

/**
 * Folds payments (oldest first) into the current unbroken run: a payment adds its months to the
 * run, whose paid period ends that many months after its first payment (the anchor, counted on
 * the shop's calendar), as subscription platforms bill: 31 Jan → 28 Feb → 31 Mar, never 28 Mar. A
 * payment for another plan, or one after the period and its grace days ran out, starts a new one.
 */
const currentRun = (
  payments: MembershipPayment[],
  fallbackPlanId: string,
  config: Pick<MembershipConfig, 'graceDays'>,
  timeZone: string,
): Run | undefined => {
  let run: Run | undefined;
  payments.forEach((p, i) => {
    const planId = p.planId ?? fallbackPlanId;
    if (!run || run.planId !== planId || toMs(p.at) >= toMs(addDays(run.paidThrough, config.graceDays))) {
      run = { planId, since: p.at, paidThrough: addMonths(p.at, p.months, timeZone), months: p.months, from: i };
    } else {
      run.months += p.months;
      run.paidThrough = addMonths(run.since, run.months, timeZone);
    }
  });
  return run;
};

/**
 * The membership after its payments changed, as of `now`. No payment left means the
 * membership was cancelled (its last payment refunded or cancelled). A run whose period and
 * grace days have run out stays `active` only if it was active: the daily job lapses it, and
 * sends the e-mail that says so. One that was not (already lapsed, or only now learnt of, e.g.
 * a late refund of a later payment or an old order delivered late) is `lapsed` at once, without
 * a second e-mail about a membership that ended earlier.
 */
export const foldMembership = (
  previous: MembershipState | undefined,
  payments: MembershipPayment[],
  config: MembershipConfig,
  now: string,
  timeZone = 'UTC',
): MembershipState | undefined => {
  if (!previous && !payments.length) return undefined;
  const run = currentRun(payments, previous?.planId ?? '', config, timeZone);
  if (!run) {
    const { renewalWarnedFor: _w, ...rest } = previous!;
    return {
      ...rest,
      status: 'cancelled',
      payments: [],
      endedAt: previous!.status === 'active' ? now : (previous!.endedAt ?? now),
    };
  }
  // Once the oldest payments are dropped to keep the list short, the run may have begun before them.
  const trimmed = run.from === 0 && payments.length >= maxPayments;
  const keepSince =
    trimmed &&
    previous?.planId === run.planId &&
    previous.status === 'active' &&
    toMs(previous.since) < toMs(run.since);
  const since = keepSince ? previous.since : run.since;
  const lapse = addDays(run.paidThrough, config.graceDays);
  const endedBefore = toMs(lapse) <= toMs(now) && previous?.status !== 'active';
  const { endedAt: _e, ...rest } = previous ?? {};
  return {
    ...rest,
    planId: run.planId,
    status: endedBefore ? 'lapsed' : 'active',
    since,
    paidThrough: run.paidThrough,
    payments,
    ...(endedBefore ? { endedAt: lapse } : {}),
  };
};

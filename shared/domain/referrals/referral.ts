import type { LedgerEntry } from '../ledger/entries';
import type { OrderRecord } from '../ledger/order-record';
import type { CodeCandidate, FraudFinding, Verdict } from './types';
import { bumped } from '../versioned';

/**
 * A referral: one friend's first order attributed to a referrer's code. Keyed by the friend,
 * so a friend can be referred once, ever. The referrer's reward follows the friend's order
 * the way that order's own points do: pending through the return window, clawed back if the
 * order is cancelled or refunded in full inside it, confirmed with the order.
 */
export interface ReferralRecord {
  /** The referral's id in the API: the friend's cid, as a friend is referred once (= `friendCid`). */
  referralId: string;
  friendCid: string;
  referrerCid: string;
  code: string;
  source: CodeCandidate['source'];
  orderId: string;
  currency: string;
  orderRevenueMinor: number;
  clickAt?: string;
  status: Verdict;
  findings: FraudFinding[];
  decidedBy?: string;
  decidedAt?: string;
  /** The reward the program promised when the referral was made. */
  rewardPoints: number;
  /** Points the referrer's ledger holds for it now, and the most it ever held. */
  awarded: number;
  issued: number;
  confirmed: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * The friend's order still stands: paid, and not cancelled, voided or refunded in full. Judged
 * on money, not on the friend's own points (a first order below the earning minimum, or one of
 * excluded products, is still a real first order).
 */
const orderStands = (order: OrderRecord): boolean => {
  const status = order.state?.financialStatus;
  if (!order.paidAt || order.cancelledAt || status === 'refunded' || status === 'voided') return false;
  const refunded = Object.values(order.refunds).reduce((s, r) => s + r.amountMinor, 0);
  return !(order.state && order.state.totalMinor > 0 && refunded >= order.state.totalMinor);
};

/** What the referrer should hold for this referral now. */
export const referrerEntitlement = (ref: ReferralRecord, order: OrderRecord): number => {
  if (ref.status !== 'approved') return 0;
  // Once the return window has passed the reward is the referrer's for good.
  if (ref.confirmed) return ref.awarded;
  return orderStands(order) ? ref.rewardPoints : 0;
};

export interface ReferralChange {
  next: ReferralRecord;
  entry?: LedgerEntry;
}

/**
 * Brings the referrer's ledger in line with the referral and its order: an earn or clawback
 * entry for the difference, and a confirm entry once the friend's order is confirmed.
 */
export const reconcileReferral = (
  ref: ReferralRecord,
  order: OrderRecord,
  now: string,
  entryId: string,
): ReferralChange | undefined => {
  if (!ref.confirmed && order.confirmed && ref.awarded > 0 && ref.status === 'approved') {
    return {
      next: bumped(ref, { confirmed: true, updatedAt: now }).next,
      entry: {
        entryId,
        type: 'confirm',
        at: now,
        points: { available: ref.awarded, pending: -ref.awarded },
        credit: { available: 0, pending: 0 },
        cause: `referral-confirm:${ref.friendCid}`,
        orderId: ref.orderId,
      },
    };
  }
  const target = referrerEntitlement(ref, order);
  const delta = target - ref.awarded;
  const confirmedNow = ref.confirmed || (order.confirmed && ref.status === 'approved');
  if (delta === 0) {
    if (confirmedNow === ref.confirmed) return undefined;
    return { next: bumped(ref, { confirmed: confirmedNow, updatedAt: now }).next };
  }
  const inBucket = confirmedNow ? { available: delta, pending: 0 } : { available: 0, pending: delta };
  const { next } = bumped(ref, {
    awarded: target,
    issued: Math.max(ref.issued, target),
    confirmed: confirmedNow,
    updatedAt: now,
  });
  return {
    next,
    entry: {
      entryId,
      type: delta > 0 ? 'earn' : 'reverse',
      at: now,
      points: inBucket,
      credit: { available: 0, pending: 0 },
      cause: `referral:${ref.friendCid}@${next.version}`,
      orderId: ref.orderId,
      reason:
        delta > 0
          ? `Referral reward: friend's order ${ref.orderId}`
          : `Referral reward clawed back: order ${ref.orderId} cancelled or refunded`,
    },
  };
};

/** A marketer's decision on a held referral. */
export const decideReferral = (
  ref: ReferralRecord,
  decision: 'approve' | 'reject',
  by: string,
  now: string,
): { ok: true; next: ReferralRecord } | { ok: false; reason: 'not_held' } => {
  if (ref.status !== 'held') return { ok: false, reason: 'not_held' };
  return {
    ok: true,
    next: bumped(ref, {
      status: decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: by,
      decidedAt: now,
      updatedAt: now,
    }).next,
  };
};

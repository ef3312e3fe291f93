import type { CustomerRecord } from '../domain/ledger/customer';
import { validateVanity } from '../domain/referrals/codes';
import { decideReferral, type ReferralRecord } from '../domain/referrals/referral';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { bumped } from '../domain/versioned';
import { findCustomer } from './customer-service';
import { commitWithRetry } from './ledger-service';
import type { LedgerDeps } from './ports/ledger';
import type { ReferralStore } from './ports/referrals';
import { publishCustomerCode, withReconciled } from './referral-service';

/** The shop's own referral actions: publishing a customer's code, deciding held referrals. */
export interface ReferralReviewDeps extends LedgerDeps {
  referrals: ReferralStore;
}

/** A held referral that is rejected no longer counts towards the referrer's conversions or cap. */
export const uncounted = (c: CustomerRecord, createdAt: string): CustomerRecord => {
  const month = createdAt.slice(0, 7);
  const totals = c.referralTotals ?? { conversions: 0, rewardPoints: 0, clawedBackPoints: 0 };
  const months = { ...c.referralConversions };
  if (months[month]) months[month] = Math.max(0, months[month]! - 1);
  return bumped(c, {
    referralTotals: { ...totals, conversions: Math.max(0, totals.conversions - 1) },
    referralConversions: months,
  }).next;
};

export type DecisionError = { kind: 'not_found' } | { kind: 'not_held'; status: ReferralRecord['status'] };

/**
 * A marketer's decision (`by`) on a held referral, named by the friend's cid (a friend is referred once,
 * so the API's `referralId` is that cid).
 * Approving pays the reward if the friend's order still stands; rejecting takes the conversion
 * off the referrer's count. Returns the referral as it is afterwards.
 */
export const decideHeldReferral = async (
  deps: ReferralReviewDeps,
  shop: Shop,
  friendCid: string,
  decision: 'approve' | 'reject',
  by: string,
): Promise<DomainResult<ReferralRecord | undefined, DecisionError>> => {
  const existing = await deps.referrals.getReferral(shop.id, friendCid);
  if (!existing) return err({ kind: 'not_found' });
  if (existing.status !== 'held') return err({ kind: 'not_held', status: existing.status });
  await commitWithRetry(deps, shop, async () => {
    const ref = await deps.referrals.getReferral(shop.id, friendCid);
    if (!ref) return undefined;
    const decided = decideReferral(ref, decision, by, deps.clock.now().toISOString());
    if (!decided.ok) return undefined;
    const order = await deps.store.getOrder(shop.id, ref.orderId);
    if (!order) return { referral: { next: decided.next, expectedVersion: ref.version, previousStatus: ref.status } };
    // The order is rewritten (version bump only) so a cancel, refund or confirmation racing this
    // decision conflicts with it and is re-planned against the decided referral.
    const touchOrder = { order: bumped(order) };
    if (decision === 'reject') {
      const referrer = await deps.store.getCustomer(shop.id, ref.referrerCid);
      return {
        ...touchOrder,
        referral: { next: decided.next, expectedVersion: ref.version, previousStatus: ref.status },
        ...(referrer
          ? { referrer: { customer: { next: uncounted(referrer, ref.createdAt), expectedVersion: referrer.version } } }
          : {}),
      };
    }
    return withReconciled(deps, shop, decided.next, order, touchOrder, ref.version, ref.status);
  });
  return ok(await deps.referrals.getReferral(shop.id, friendCid));
};

export type PublishError =
  | { kind: 'invalid_vanity'; message: string }
  | { kind: 'customer_not_found' }
  | { kind: 'code_taken'; vanity?: string };

/** Makes the customer's referral code (or the `vanity` one asked for) public; returns the code. */
export const publishReferralCode = async (
  deps: ReferralReviewDeps,
  shop: Shop,
  customerRef: string,
  vanityInput?: string,
): Promise<DomainResult<string, PublishError>> => {
  let vanity: string | undefined;
  if (vanityInput !== undefined) {
    const v = validateVanity(vanityInput);
    if (!v.ok) return err({ kind: 'invalid_vanity', message: v.error.message });
    vanity = v.value;
  }
  const customer = await findCustomer(deps.store, shop.id, customerRef);
  if (!customer) return err({ kind: 'customer_not_found' });
  const r = await publishCustomerCode(deps, shop, customer.cid, vanity, customer);
  if (r.ok) return ok(r.code);
  return err(
    r.reason === 'code_taken'
      ? { kind: 'code_taken', ...(vanity !== undefined ? { vanity } : {}) }
      : { kind: 'customer_not_found' },
  );
};

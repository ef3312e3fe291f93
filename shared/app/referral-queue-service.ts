import type { CustomerRecord } from '../domain/ledger/customer';
import { reasonOf } from '../domain/referrals/reasons';
import type { ReferralRecord } from '../domain/referrals/referral';
import type { Verdict } from '../domain/referrals/types';
import type { Shop } from '../domain/shop';
import type { LedgerStore } from './ports/ledger';
import type { ReferralStore } from './ports/referrals';

export interface ReferralQueueDeps {
  referrals: Pick<ReferralStore, 'listReferrals'>;
  store: Pick<LedgerStore, 'getCustomer'>;
}

interface Person {
  customerId: string;
  email?: string;
}

/** A referral as the review queue shows it (`GET …/referrals`). */
export interface ReferralQueueItem {
  referralId: string;
  referrer: Person;
  friend: Person;
  status: Verdict;
  reasons: { code: string; message: string }[];
  /** The friend's first order: its value counted for the referral, in minor units. */
  order: { orderId: string; amount: number; currency: string };
  code: string;
  rewardPoints: number;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

const person = (cid: string, c: CustomerRecord | undefined): Person => ({
  customerId: cid,
  // A redacted customer keeps no address.
  ...(c?.email && !c.redactedAt ? { email: c.email } : {}),
});

const itemOf = (r: ReferralRecord, customers: Map<string, CustomerRecord | undefined>): ReferralQueueItem => ({
  referralId: r.referralId,
  referrer: person(r.referrerCid, customers.get(r.referrerCid)),
  friend: person(r.friendCid, customers.get(r.friendCid)),
  status: r.status,
  reasons: r.findings.map(reasonOf),
  order: { orderId: r.orderId, amount: r.orderRevenueMinor, currency: r.currency },
  code: r.code,
  rewardPoints: r.rewardPoints,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt ?? null,
  decidedBy: r.decidedBy ?? null,
});

/** Referrals of one status, newest first, with the two customers' e-mail addresses. */
export const listReferralQueue = async (
  deps: ReferralQueueDeps,
  shop: Shop,
  q: { status: Verdict; limit: number; cursor?: string },
): Promise<{ items: ReferralQueueItem[]; nextCursor: string | null }> => {
  const { items, nextCursor } = await deps.referrals.listReferrals(shop.id, q.status, {
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  const cids = [...new Set(items.flatMap((r) => [r.referrerCid, r.friendCid]))];
  const customers = new Map(
    await Promise.all(cids.map(async (cid) => [cid, await deps.store.getCustomer(shop.id, cid)] as const)),
  );
  return { items: items.map((r) => itemOf(r, customers)), nextCursor: nextCursor ?? null };
};

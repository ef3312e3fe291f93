import { withOutgoing } from '../domain/outgoing/events';
import { conflict, retryOnConflict, type Conflict } from './retry';
import { newCustomer, type CustomerRecord } from '../domain/ledger/customer';
import {
  planAdjustment,
  planRedemption,
  type AdjustmentError,
  type Plan,
  type RedemptionError,
} from '../domain/ledger/plans';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { tierView } from '../domain/tiers/progress';
import { customerView, findCustomer } from './customer-service';
import type { LedgerDeps, StoredIdempotency } from './ports/ledger';
import { purchaseRhythm } from '../domain/churn/purchase-rhythm';
import type { CustomerSummaryStore } from './ports/customer-summary';
import type { NightlyStore, SegmentRecord } from './ports/nightly';
import type { OutboxStore } from './ports/outbox';
import type { ReferralStore } from './ports/referrals';
import { publishCustomerCode } from './referral-service';

/** The admin API's use cases on one customer (`/admin/shops/{shopId}/customers/{customerRef}…`). */

export interface CustomerReadDeps extends LedgerDeps {
  referrals: ReferralStore;
  nightly: Pick<NightlyStore, 'getSegment'>;
  /** The purchase summary behind the churn model: the profile's "why" (days since the last order, usual interval). */
  summaries?: Pick<CustomerSummaryStore, 'get'>;
  /** The customer's settled e-mails. */
  emails?: Pick<OutboxStore, 'listForCustomer'>;
}

/** The customer's referral link (published on first sight) and how it has done. */
export const referralView = async (
  deps: CustomerReadDeps,
  shop: Shop,
  c: CustomerRecord,
  linkFor: (code: string) => string,
) => {
  if (!shop.program.referrals.enabled || c.redactedAt) return null;
  const published = await publishCustomerCode(deps, shop, c.cid, undefined, c);
  if (!published.ok) return null;
  const totals = c.referralTotals ?? { conversions: 0, rewardPoints: 0, clawedBackPoints: 0 };
  return {
    code: published.code,
    url: linkFor(published.code),
    stats: { clicks: await deps.referrals.codeClicks(shop.id, published.code), ...totals },
    referredBy: c.referredBy ?? null,
  };
};

/** The customer's churn segment as of the last nightly run, or null before the first. */
const segmentView = (s: SegmentRecord | undefined) =>
  s
    ? {
        name: s.name,
        since: s.since,
        asOf: s.asOf,
        churnRisk: s.churnRisk,
        // Items written before the risk became a probability have neither: null, not a guess.
        pNoPurchase: s.pNoPurchase ?? null,
        horizonDays: s.horizonDays ?? null,
        pAlive: s.pAlive,
        expectedPurchases90d: s.expectedPurchases90d,
        predictedValue12mMinor: s.predictedValue12mMinor,
        rfm: s.rfm,
      }
    : null;

/**
 * The customer read: balances, tier, referral link (`linkFor` makes a code's public URL),
 * churn segment and one page of the ledger, newest first.
 */
export const customerOverview = async (
  deps: CustomerReadDeps,
  shop: Shop,
  c: CustomerRecord,
  page: { limit: number; cursor?: string },
  linkFor: (code: string) => string,
) => {
  const [{ entries, nextCursor }, referral, segment, summary, emails] = await Promise.all([
    deps.store.listEntries(shop.id, c.cid, page),
    referralView(deps, shop, c, linkFor),
    deps.nightly.getSegment(shop.id, c.cid),
    deps.summaries?.get(shop.id, c.cid),
    deps.emails?.listForCustomer(shop.id, c.cid, 20) ?? [],
  ]);
  const now = deps.clock.now().toISOString();
  return {
    ...customerView(c, shop, now),
    referral,
    segment: segmentView(segment),
    purchases: summary ? purchaseRhythm(Object.values(summary.orders), now) : null,
    /** The last 20 settled e-mails, newest first (no addresses or content: the outbox holds those). */
    emails: emails.map((e) => ({
      id: e.outboxId,
      type: e.type,
      status: e.status,
      createdAt: e.createdAt,
      sentAt: e.sentAt ?? null,
      reason: e.reason ?? null,
    })),
    ledger: entries,
    nextCursor: nextCursor ?? null,
  };
};

/** The customer's tier now and its changes, newest first. */
export const customerTierHistory = async (
  deps: Pick<LedgerDeps, 'store' | 'clock'>,
  shop: Shop,
  c: CustomerRecord,
  limit: number,
) => ({
  tier: tierView(c, shop.program.tiers, shop.currency, deps.clock.now().toISOString()),
  history: await deps.store.listTierChanges(shop.id, c.cid, limit),
});

/** An NPS answer (0–10) for the nightly metrics. */
export const recordNpsAnswer = async (
  deps: Pick<LedgerDeps, 'clock' | 'newId'> & { nightly: Pick<NightlyStore, 'putNpsAnswer'> },
  shop: Shop,
  c: CustomerRecord,
  input: { score: number; comment?: string; buyAgain?: number; tryOther?: number },
) => {
  const answer = {
    cid: c.cid,
    answerId: deps.newId(),
    score: input.score,
    ...(input.comment ? { comment: input.comment } : {}),
    at: deps.clock.now().toISOString(),
    source: 'api' as const,
    ...(input.buyAgain !== undefined ? { buyAgain: input.buyAgain } : {}),
    ...(input.tryOther !== undefined ? { tryOther: input.tryOther } : {}),
  };
  await deps.nightly.putNpsAnswer(shop.id, answer);
  return {
    id: answer.answerId,
    customerId: c.cid,
    score: answer.score,
    comment: answer.comment ?? null,
    buyAgain: answer.buyAgain ?? null,
    tryOther: answer.tryOther ?? null,
    at: answer.at,
  };
};

/**
 * Changes an admin makes to one customer's points (redemptions, adjustments), each committed
 * exactly once per idempotency key: a repeat (even one racing the first) gets the first result;
 * a plan that lost a race is re-read and re-planned.
 */
export interface CustomerChangeDeps extends Pick<LedgerDeps, 'store' | 'clock' | 'newId' | 'random' | 'sleep'> {
  /** A human-friendly discount code with this prefix (domain/human-code.ts with a crypto randomInt). */
  humanCode: (prefix: string) => string;
}

/** The answer stored with the idempotency key and given again on a repeat. */
export interface ChangeResponse {
  status: number;
  body: unknown;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export type ChangeRefusal =
  | { kind: 'customer_not_found' }
  /** The key was already used with another request (route, customer or body). */
  | { kind: 'idempotency_key_reused' };

/** One idempotent request: `requestHash` fingerprints what the key must keep meaning. */
export interface ChangeRequest {
  /** Who is changed, as an admin URL names them (an e-mail or platform id, resolved to a cid)… */
  customerRef: string;
  /** …or a cid already proven (the storefront's session), used as it is. */
  cid?: string;
  /**
   * With `cid`: a customer the ledger has not met yet (signed in, never bought) starts with an
   * empty record instead of being refused. Only for a cid a session proved.
   */
  createIfMissing?: boolean;
  key: string;
  requestHash: string;
}

const replay = (stored: StoredIdempotency, hash: string): DomainResult<ChangeResponse, ChangeRefusal> =>
  stored.requestHash !== hash
    ? err({ kind: 'idempotency_key_reused' })
    : ok({ status: stored.status, body: stored.body, replayed: true });

/**
 * Commits the plan `attempt` makes for the customer once per key. A refusal from `attempt`
 * (e.g. not enough points) may only be because the same request, racing this one, just
 * succeeded: then that result is the answer.
 */
export const commitOnce = async <E>(
  deps: Pick<CustomerChangeDeps, 'store' | 'clock' | 'random' | 'sleep'>,
  shop: Shop,
  request: ChangeRequest,
  attempt: (
    c: CustomerRecord,
  ) =>
    | DomainResult<{ plan: Plan; status: number; body: unknown }, E>
    | Promise<DomainResult<{ plan: Plan; status: number; body: unknown }, E>>,
): Promise<DomainResult<ChangeResponse, ChangeRefusal | E>> => {
  const { key, requestHash } = request;
  return retryOnConflict(deps, async (): Promise<DomainResult<ChangeResponse, ChangeRefusal | E> | Conflict> => {
    const stored = await deps.store.getIdempotency(shop.id, key);
    if (stored) return replay(stored, requestHash);
    const found = request.cid
      ? await deps.store.getCustomer(shop.id, request.cid)
      : await findCustomer(deps.store, shop.id, request.customerRef);
    const customer =
      found ??
      (request.cid && request.createIfMissing ? newCustomer(request.cid, deps.clock.now().toISOString()) : undefined);
    if (!customer) return err({ kind: 'customer_not_found' });
    const planned = await attempt(customer);
    if (!planned.ok) {
      const first = await deps.store.getIdempotency(shop.id, key);
      return first ? replay(first, requestHash) : planned;
    }
    const { plan, status, body } = planned.value;
    const outcome = await deps.store.commit(shop.id, withOutgoing(shop, plan), shop.program, {
      key,
      record: { requestHash, status, body },
    });
    return outcome === 'committed' ? ok({ status, body, replayed: false }) : conflict;
  });
};

/**
 * Spends points on a reward of the shop's catalogue: a discount code, store credit, or an
 * exclusive product or experience (a code the shop fulfils). A stock-limited reward's count is
 * read on every attempt: a commit that lost the last one is re-planned and refused `out_of_stock`.
 */
export const redeemReward = (
  deps: CustomerChangeDeps,
  shop: Shop,
  request: ChangeRequest & { rewardId: string },
): Promise<DomainResult<ChangeResponse, ChangeRefusal | RedemptionError>> =>
  commitOnce(deps, shop, { ...request, key: `redeem:${request.key}` }, async (customer) => {
    const reward = shop.program.rewards.find((x) => x.id === request.rewardId);
    const redeemed = reward?.stock !== undefined ? await deps.store.rewardRedeemed(shop.id, reward.id) : undefined;
    const now = deps.clock.now().toISOString();
    const r = planRedemption(customer, shop.program, request.rewardId, {
      now,
      entryId: deps.newId(),
      key: request.key,
      code: deps.humanCode('BMR'),
      ...(redeemed !== undefined ? { redeemed } : {}),
    });
    if (!r.ok) return r;
    const after = r.value.plan.customer!.next;
    return ok({
      plan: r.value.plan,
      status: 201,
      body: {
        redemption: { id: r.value.plan.entry!.entryId, ...r.value.redemption, currency: shop.currency, at: now },
        points: { balance: after.points.available, pending: after.points.pending },
        storeCredit: { balanceMinor: after.credit.available, currency: shop.currency },
      },
    });
  });

/** A manual correction of the balance, recording who made it (`by`); without a key, a new one. */
export const adjustPoints = (
  deps: CustomerChangeDeps,
  shop: Shop,
  request: Omit<ChangeRequest, 'key'> & { key?: string; points: number; reason: string; by: string },
): Promise<DomainResult<ChangeResponse, ChangeRefusal | AdjustmentError>> => {
  const key = request.key ?? deps.newId();
  return commitOnce(deps, shop, { ...request, key: `adjust:${key}` }, (customer) => {
    const r = planAdjustment(customer, {
      points: request.points,
      reason: request.reason,
      by: request.by,
      now: deps.clock.now().toISOString(),
      entryId: deps.newId(),
      key,
    });
    if (!r.ok) return r;
    const after = r.value.customer!.next;
    return ok({
      plan: r.value,
      status: 201,
      body: { entry: r.value.entry, points: { balance: after.points.available, pending: after.points.pending } },
    });
  });
};

import { createHash } from 'node:crypto';
import { emailHash } from '../domain/customers/identity';
import { applyEntry, type CustomerRecord } from '../domain/ledger/customer';
import type { OrderRecord } from '../domain/ledger/order-record';
import type { Plan, VelocityRecord } from '../domain/ledger/plans';
import { generateCode } from '../domain/referrals/codes';
import { findCodeCandidates, clickTime } from '../domain/referrals/attribution';
import { evaluateReferral } from '../domain/referrals/fraud';
import { canonicalEmail, identityFrom } from '../domain/referrals/normalize';
import { reconcileReferral, type ReferralRecord } from '../domain/referrals/referral';
import type { CodeCandidate } from '../domain/referrals/types';
import type { Shop } from '../domain/shop';
import type { CanonicalOrder } from '../schemas/order';
import type { LedgerDeps } from './ports/ledger';
import { conflict, conflictPolicy, retryOnConflict, type Conflict } from './retry';
import { mayQueue, withTierChange } from '../domain/ledger/tier-effects';
import { monthOf } from '../domain/tiers/stats';
import { addDays } from '../domain/calendar';

export type ReferralDeps = LedgerDeps;

/** Fraud signals keep 64 bits of each hash: plenty to match within a shop, and fewer bytes. */
const signal = (hash: string | undefined) => hash?.slice(0, 16);
const keepLast = (list: string[], value: string | undefined, max = 5) =>
  value === undefined || list.includes(value) ? list : [...list, value].slice(-max);

const month = (iso: string) => iso.slice(0, 7);

/** Adds what an order tells about its buyer (code, fraud signals) to the planned customer. */
const withBuyerFacts = (deps: Pick<ReferralDeps, 'randomInt'>, plan: Plan, order: CanonicalOrder, shop: Shop): Plan => {
  if (!plan.customer) return plan;
  const c = plan.customer.next;
  const id = identityFrom(order, c.cid);
  const signals = c.fraudSignals ?? { addresses: [], payments: [] };
  const next: CustomerRecord = {
    ...c,
    referralCode:
      c.referralCode ??
      (shop.program.referrals.enabled ? generateCode(deps.randomInt, { prefix: c.firstName }) : undefined),
    fraudSignals: {
      addresses: keepLast(signals.addresses, signal(id.addressHash)),
      payments: keepLast(signals.payments, signal(id.paymentFingerprint)),
    },
  };
  return { ...plan, customer: { ...plan.customer, next } };
};

const withReferrerSide = (
  shop: Shop,
  plan: Plan,
  ref: ReferralRecord,
  referrer: CustomerRecord,
  change: ReturnType<typeof reconcileReferral>,
  now: string,
  isNew: boolean,
): Plan => {
  const next = change?.next ?? ref;
  let r: CustomerRecord = referrer;
  if (change?.entry) r = applyEntry(r, change.entry);
  const totals = r.referralTotals ?? { conversions: 0, rewardPoints: 0, clawedBackPoints: 0 };
  const delta =
    change?.entry && change.entry.type !== 'confirm' ? change.entry.points.pending + change.entry.points.available : 0;
  r = {
    ...r,
    referralTotals: {
      conversions: totals.conversions + (isNew && next.status !== 'rejected' ? 1 : 0),
      rewardPoints: totals.rewardPoints + Math.max(0, delta),
      clawedBackPoints: totals.clawedBackPoints + Math.max(0, -delta),
    },
    ...(isNew && next.status !== 'rejected'
      ? {
          referralConversions: Object.fromEntries(
            Object.entries({ ...r.referralConversions, [month(now)]: (r.referralConversions?.[month(now)] ?? 0) + 1 })
              .sort()
              .slice(-3),
          ),
        }
      : {}),
    updatedAt: now,
    version: referrer.version + 1,
  };
  // Reward points are earned points: they count towards tiers that qualify on points.
  const tier = withTierChange(r, shop.program, {
    currency: shop.currency,
    now,
    month: monthOf(now),
    delta: [0, delta, 0],
    reason: `referral ${ref.referralId}`,
  });
  r = tier.customer;
  const emails = [
    ...(plan.emails ?? []),
    ...tier.emails,
    ...(change?.entry?.type === 'earn' && delta > 0 && mayQueue(r, shop.program, 'referral_reward_earned')
      ? [
          {
            type: 'referral_reward_earned' as const,
            cid: r.cid,
            at: now,
            data: {
              points: delta,
              friendCid: ref.friendCid,
              ...(change.entry.points.pending > 0 ? { confirmsAt: addDays(now, shop.program.returnWindowDays) } : {}),
            },
          },
        ]
      : []),
  ];
  return {
    ...plan,
    referral: { next, expectedVersion: ref.version },
    referrer: {
      customer: { next: r, expectedVersion: referrer.version },
      ...(change?.entry ? { entry: change.entry } : {}),
    },
    ...(emails.length ? { emails } : {}),
    ...(tier.changes.length
      ? { tierChanges: [...(plan.tierChanges ?? []), ...tier.changes.map((c) => ({ cid: r.cid, change: c }))] }
      : {}),
  };
};

/** The friend's welcome: they came through someone's link, so say who and what they got. */
const withFriendWelcome = (shop: Shop, plan: Plan, referrer: CustomerRecord, now: string): Plan => {
  const friend = plan.customer?.next;
  if (!friend || !mayQueue(friend, shop.program, 'friend_welcome')) return plan;
  return {
    ...plan,
    emails: [
      ...(plan.emails ?? []),
      {
        type: 'friend_welcome',
        cid: friend.cid,
        at: now,
        data: { discountPercent: shop.program.referrals.friendDiscountPercent, referrerCid: referrer.cid },
      },
    ],
  };
};

/** Keeps an existing referral's reward in step with its order (refund, cancel, confirmation). */
export const reconcileExisting = async (
  deps: ReferralDeps,
  shop: Shop,
  order: OrderRecord,
  plan: Plan,
): Promise<Plan> => {
  if (!deps.referrals || !order.referral) return plan;
  const ref = await deps.referrals.getReferral(shop.id, order.referral);
  return ref ? withReconciled(deps, shop, ref, order, plan) : plan;
};

/**
 * Adds a referral's reconciliation to a plan. `ref` is the record as it should be judged (a
 * marketer's decision may have just changed it); `expectedVersion` guards what was read.
 */
export const withReconciled = async (
  deps: ReferralDeps,
  shop: Shop,
  ref: ReferralRecord,
  order: OrderRecord,
  plan: Plan,
  expectedVersion = ref.version,
): Promise<Plan> => {
  const now = deps.clock.now().toISOString();
  const change = reconcileReferral(ref, order, now, deps.newId());
  if (!change) return expectedVersion === ref.version ? plan : { ...plan, referral: { next: ref, expectedVersion } };
  const referrer = await deps.store.getCustomer(shop.id, ref.referrerCid);
  if (!referrer || referrer.cid === plan.customer?.next.cid)
    return { ...plan, referral: { next: change.next, expectedVersion } };
  const out = withReferrerSide(shop, plan, ref, referrer, change, now, false);
  return { ...out, referral: { next: change.next, expectedVersion } };
};

const windowCount = (v: VelocityRecord | undefined, sinceIso: string) =>
  (v?.times ?? []).filter((t) => t >= sinceIso).length;

/**
 * The referral side of an order delivery: assigns the buyer a code at their first order, makes
 * a referral when a friend's first order is paid with a referrer's code (fraud rules decide
 * approved / held / rejected — never dropped), and keeps existing referrals in step.
 */
export const withReferrals = async (
  deps: ReferralDeps,
  shop: Shop,
  event: { kind: string; order?: CanonicalOrder },
  before: OrderRecord | undefined,
  friendBefore: CustomerRecord | undefined,
  plan: Plan,
): Promise<Plan> => {
  if (!deps.referrals || !plan.order) return plan;
  let out = event.order ? withBuyerFacts(deps, plan, event.order, shop) : plan;
  const order = out.order!.next;
  if (order.referral) return reconcileExisting(deps, shop, order, out);

  const rules = shop.program.referrals;
  const friendCid = order.cid;
  if (!rules.enabled || !event.order || !order.earn || before?.earn || !friendCid) return out;
  const candidates = findCodeCandidates(event.order);
  if (!candidates.length || (await deps.referrals.getReferral(shop.id, friendCid))) return out;

  let found: { candidate: CodeCandidate; referrerCid: string } | undefined;
  for (const candidate of candidates) {
    const owner = await deps.referrals.codeOwner(candidate.code);
    if (owner && owner.shopId === shop.id && !owner.disabled) {
      found = { candidate, referrerCid: owner.cid };
      break;
    }
  }
  if (!found) return out;

  const now = deps.clock.now().toISOString();
  const self = found.referrerCid === friendCid;
  const referrer = self ? friendBefore : await deps.store.getCustomer(shop.id, found.referrerCid);
  if (!referrer || referrer.redactedAt) return out;
  const friend = identityFrom(event.order, friendCid);
  // A person is referred once, whatever account or e-mail spelling they order with.
  const friendHash = friend.canonicalEmail
    ? createHash('sha256').update(friend.canonicalEmail).digest('hex')
    : undefined;
  const alreadyReferred = friendHash ? await deps.referrals.friendReferred(shop.id, friendHash) : false;
  const sameEmailCustomers = event.order.customer.email
    ? (await deps.store.customerIdsByEmailHash(shop.id, emailHash(event.order.customer.email))).filter(
        (cid) => cid !== friendCid,
      )
    : [];
  const earlierAccounts = (
    await Promise.all(sameEmailCustomers.map((cid) => deps.store.getCustomer(shop.id, cid)))
  ).reduce((n, c) => n + (c?.earnedOrders ?? 0), 0);
  const referrerSignals = referrer.fraudSignals ?? { addresses: [], payments: [] };
  const since = new Date(Date.parse(now) - rules.velocity.windowHours * 3_600_000).toISOString();
  const [ipV, addrV] = await Promise.all([
    friend.ipHash ? deps.referrals.getVelocity(shop.id, 'ip', signal(friend.ipHash)!) : undefined,
    friend.addressHash ? deps.referrals.getVelocity(shop.id, 'addr', signal(friend.addressHash)!) : undefined,
  ]);
  const clickAt = found.candidate.clickId ? clickTime(found.candidate.clickId) : undefined;
  const orderedAt = Date.parse(order.earn.earnedAt);
  const verdict = evaluateReferral(
    {
      referrer: {
        cid: referrer.cid,
        canonicalEmail: referrer.email ? canonicalEmail(referrer.email) : undefined,
        // The referrer may have several addresses and cards: compare against the friend's.
        addressHash: referrerSignals.addresses.includes(signal(friend.addressHash) ?? '')
          ? friend.addressHash
          : undefined,
        paymentFingerprint: referrerSignals.payments.includes(signal(friend.paymentFingerprint) ?? '')
          ? friend.paymentFingerprint
          : undefined,
        referredBy: referrer.referredBy,
      },
      friend: {
        ...friend,
        priorOrders: (friendBefore?.earnedOrders ?? 0) + earlierAccounts + (alreadyReferred ? 1 : 0),
      },
      referrerConversionsThisMonth: referrer.referralConversions?.[month(now)] ?? 0,
      recentConversionsFromIp: windowCount(ipV, since),
      recentConversionsFromAddress: windowCount(addrV, since),
      ...(clickAt !== undefined ? { clickAgeMs: Math.max(0, orderedAt - clickAt) } : {}),
    },
    rules,
  );

  const ref: ReferralRecord = {
    referralId: friendCid,
    friendCid,
    referrerCid: referrer.cid,
    code: found.candidate.code,
    source: found.candidate.source,
    orderId: order.orderId,
    currency: event.order.currency,
    orderRevenueMinor: event.order.subtotalAfterDiscountsMinor,
    ...(clickAt !== undefined ? { clickAt: new Date(clickAt).toISOString() } : {}),
    status: verdict.verdict,
    findings: verdict.findings,
    rewardPoints: rules.referrerRewardPoints,
    awarded: 0,
    issued: 0,
    confirmed: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const orderNext: OrderRecord = { ...order, referral: friendCid };
  out = {
    ...out,
    order: { ...out.order!, next: orderNext },
    ...(friendHash && !alreadyReferred ? { referredFriend: { hash: friendHash, referralId: friendCid } } : {}),
  };
  if (out.customer && verdict.verdict !== 'rejected')
    out = { ...out, customer: { ...out.customer, next: { ...out.customer.next, referredBy: referrer.cid } } };
  if (verdict.verdict !== 'rejected') {
    const velocity: NonNullable<Plan['velocity']> = [];
    for (const [kind, hash, current] of [
      ['ip', signal(friend.ipHash), ipV],
      ['addr', signal(friend.addressHash), addrV],
    ] as const) {
      if (!hash) continue;
      velocity.push({
        kind,
        hash,
        next: {
          times: [...(current?.times ?? []).filter((t) => t >= since), now].slice(-50),
          version: (current?.version ?? 0) + 1,
        },
        expectedVersion: current?.version ?? 0,
      });
    }
    out = { ...out, velocity };
  }
  if (self) return { ...out, referral: { next: ref, expectedVersion: 0 } };
  const change = reconcileReferral({ ...ref, version: 0 }, orderNext, now, deps.newId());
  if (verdict.verdict !== 'rejected') out = withFriendWelcome(shop, out, referrer, now);
  return withReferrerSide(shop, out, { ...ref, version: 0 }, referrer, change ?? { next: ref }, now, true);
};

export type PublishResult = { ok: true; code: string } | { ok: false; reason: 'no_customer' | 'code_taken' };

/**
 * Makes a customer's code clickable: writes its public lookup the first time it is shown
 * (codes exist from the first order; their lookup only when someone can see them). A vanity
 * code replaces the customer's code for display; links already shared keep working.
 */
export const publishCustomerCode = async (
  deps: ReferralDeps,
  shop: Shop,
  cid: string,
  vanity?: string,
  known?: CustomerRecord,
): Promise<PublishResult> => {
  if (!deps.referrals) throw new Error('referral store missing');
  const referrals = deps.referrals;
  let fallback: string | undefined;
  // A code someone else took, or a customer who changed meanwhile: try again (retry.ts).
  return retryOnConflict(
    deps,
    async (attempt): Promise<PublishResult | Conflict> => {
      // The caller's copy serves the common case (already published); retries read afresh.
      const c = attempt === 0 && known ? known : await deps.store.getCustomer(shop.id, cid);
      if (!c) return { ok: false, reason: 'no_customer' };
      const wanted = vanity ?? fallback ?? c.referralCode ?? generateCode(deps.randomInt, { prefix: c.firstName });
      if (!vanity && wanted === c.referralCode && c.referralCodePublished) return { ok: true, code: wanted };
      const now = deps.clock.now().toISOString();
      if ((await referrals.publishCode(shop.id, cid, wanted, vanity !== undefined, now)) === 'taken') {
        if (vanity) return { ok: false, reason: 'code_taken' };
        fallback = generateCode(deps.randomInt);
        return conflict;
      }
      const next: CustomerRecord = {
        ...c,
        referralCode: wanted,
        referralCodePublished: true,
        updatedAt: now,
        version: c.version + 1,
      };
      if (
        (await deps.store.commit(shop.id, { customer: { next, expectedVersion: c.version } }, shop.program)) ===
        'committed'
      )
        return { ok: true, code: wanted };
      return conflict;
    },
    conflictPolicy,
    () => ({ ok: false, reason: 'code_taken' }),
  );
};

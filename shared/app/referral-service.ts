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
import type { CodeCandidate, Identity } from '../domain/referrals/types';
import type { Shop } from '../domain/shop';
import { bumped, replacing } from '../domain/versioned';
import type { CanonicalOrder } from '../schemas/order';
import type { LedgerDeps, LedgerStore } from './ports/ledger';
import type { ReferralStore } from './ports/referrals';
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

/**
 * Adds what an order tells about its buyer (code, fraud signals) to the planned customer (also for
 * imported history: import-service.ts).
 */
export const withBuyerFacts = (
  deps: Pick<ReferralDeps, 'randomInt'>,
  plan: Plan,
  order: CanonicalOrder,
  shop: Shop,
): Plan => {
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
  };
  // Reward points are earned points: they count towards tiers that qualify on points.
  const tier = withTierChange(r, shop.program, {
    currency: shop.currency,
    now,
    month: monthOf(now),
    delta: [0, delta, 0],
    reason: `referral ${ref.friendCid}`,
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
    referral: { next, expectedVersion: ref.version, ...(isNew ? {} : { previousStatus: ref.status }) },
    referrer: {
      customer: replacing(referrer, r),
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
 * marketer's decision may have just changed it); `expectedVersion` and `previousStatus` describe
 * the record as read, so the plan says which transition it makes.
 */
export const withReconciled = async (
  deps: ReferralDeps,
  shop: Shop,
  ref: ReferralRecord,
  order: OrderRecord,
  plan: Plan,
  expectedVersion = ref.version,
  previousStatus = ref.status,
): Promise<Plan> => {
  const now = deps.clock.now().toISOString();
  const change = reconcileReferral(ref, order, now, deps.newId());
  if (!change)
    return expectedVersion === ref.version
      ? plan
      : { ...plan, referral: { next: ref, expectedVersion, previousStatus } };
  const referrer = await deps.store.getCustomer(shop.id, ref.referrerCid);
  if (!referrer || referrer.cid === plan.customer?.next.cid)
    return { ...plan, referral: { next: change.next, expectedVersion, previousStatus } };
  const out = withReferrerSide(shop, plan, ref, referrer, change, now, false);
  return { ...out, referral: { next: change.next, expectedVersion, previousStatus } };
};

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
  const { referrals, store } = deps;
  if (!referrals || !plan.order) return plan;
  const out = event.order ? withBuyerFacts(deps, plan, event.order, shop) : plan;
  const order = out.order!.next;
  if (order.referral) return reconcileExisting(deps, shop, order, out);

  const rules = shop.program.referrals;
  const friendCid = order.cid;
  if (!rules.enabled || !event.order || !order.earn || before?.earn || !friendCid) return out;
  const attribution = await attributedCode(referrals, shop.id, event.order, friendCid);
  if (!attribution) return out;

  const now = deps.clock.now().toISOString();
  const self = attribution.referrerCid === friendCid;
  const referrer = self ? friendBefore : await store.getCustomer(shop.id, attribution.referrerCid);
  if (!referrer || referrer.redactedAt) return out;
  const friend = await friendHistory({ store, referrals }, shop.id, event.order, friendCid, friendBefore);
  const velocity = await readVelocity(referrals, shop.id, friend.identity, now, rules.velocity.windowHours);
  const clickAt = attribution.candidate.clickId ? clickTime(attribution.candidate.clickId) : undefined;
  const orderedAt = Date.parse(order.earn.earnedAt);
  const verdict = fraudVerdict(shop, referrer, friend, velocity, {
    now,
    ...(clickAt !== undefined ? { clickAgeMs: Math.max(0, orderedAt - clickAt) } : {}),
  });
  const ref = referralRecord(shop, {
    friendCid,
    referrer,
    attribution,
    order,
    placed: event.order,
    clickAt,
    verdict,
    now,
  });
  return withNewReferral(deps, shop, out, { ref, self, referrer, friend, velocity, now });
};

interface Attribution {
  candidate: CodeCandidate;
  referrerCid: string;
}

/**
 * The code a friend's first order was placed with: the first candidate this shop owns and has
 * not disabled. None when the friend already has a referral.
 */
const attributedCode = async (
  referrals: ReferralStore,
  shopId: string,
  order: CanonicalOrder,
  friendCid: string,
): Promise<Attribution | undefined> => {
  const candidates = findCodeCandidates(order);
  if (!candidates.length || (await referrals.getReferral(shopId, friendCid))) return undefined;
  for (const candidate of candidates) {
    const owner = await referrals.codeOwner(candidate.code);
    if (owner && owner.shopId === shopId && !owner.disabled) return { candidate, referrerCid: owner.cid };
  }
  return undefined;
};

interface FriendHistory {
  identity: Identity;
  /** The friend's canonical e-mail, hashed: the key that marks a person as referred. */
  hash?: string;
  alreadyReferred: boolean;
  /** Orders before this one, on this account, on others with the same e-mail, or referred before. */
  priorOrders: number;
}

/** Who the friend is, and whether they are new to the shop under any account or e-mail spelling. */
const friendHistory = async (
  { store, referrals }: { store: LedgerStore; referrals: ReferralStore },
  shopId: string,
  order: CanonicalOrder,
  friendCid: string,
  friendBefore: CustomerRecord | undefined,
): Promise<FriendHistory> => {
  const identity = identityFrom(order, friendCid);
  // A person is referred once, whatever account or e-mail spelling they order with.
  const hash = identity.canonicalEmail ? createHash('sha256').update(identity.canonicalEmail).digest('hex') : undefined;
  const alreadyReferred = hash ? await referrals.friendReferred(shopId, hash) : false;
  const sameEmailCustomers = order.customer.email
    ? (await store.cidsByEmailHash(shopId, emailHash(order.customer.email))).filter((cid) => cid !== friendCid)
    : [];
  const earlierAccounts = (await Promise.all(sameEmailCustomers.map((cid) => store.getCustomer(shopId, cid)))).reduce(
    (n, c) => n + (c?.earnedOrders ?? 0),
    0,
  );
  return {
    identity,
    hash,
    alreadyReferred,
    priorOrders: (friendBefore?.earnedOrders ?? 0) + earlierAccounts + (alreadyReferred ? 1 : 0),
  };
};

/** Conversions recently seen from the friend's IP and address, as read, and where the window starts. */
interface VelocityRead {
  since: string;
  ip?: VelocityRecord;
  addr?: VelocityRecord;
}

const readVelocity = async (
  referrals: ReferralStore,
  shopId: string,
  friend: Identity,
  now: string,
  windowHours: number,
): Promise<VelocityRead> => {
  const since = new Date(Date.parse(now) - windowHours * 3_600_000).toISOString();
  const [ip, addr] = await Promise.all([
    friend.ipHash ? referrals.getVelocity(shopId, 'ip', signal(friend.ipHash)!) : undefined,
    friend.addressHash ? referrals.getVelocity(shopId, 'addr', signal(friend.addressHash)!) : undefined,
  ]);
  return { since, ip, addr };
};

const windowCount = (v: VelocityRecord | undefined, sinceIso: string) =>
  (v?.times ?? []).filter((t) => t >= sinceIso).length;

/** Counts this conversion in the friend's IP and address windows; times older than the window fall out. */
const velocityWrites = (friend: Identity, velocity: VelocityRead, now: string): NonNullable<Plan['velocity']> => {
  const writes: NonNullable<Plan['velocity']> = [];
  for (const [kind, hash, current] of [
    ['ip', signal(friend.ipHash), velocity.ip],
    ['addr', signal(friend.addressHash), velocity.addr],
  ] as const) {
    if (!hash) continue;
    const times = [...(current?.times ?? []).filter((t) => t >= velocity.since), now].slice(-50);
    writes.push({ kind, hash, ...replacing(current, { times }) });
  }
  return writes;
};

/** The fraud rules' verdict on a new referral: who referred whom, and how fast conversions come. */
const fraudVerdict = (
  shop: Shop,
  referrer: CustomerRecord,
  friend: FriendHistory,
  velocity: VelocityRead,
  at: { now: string; clickAgeMs?: number },
): ReturnType<typeof evaluateReferral> => {
  const referrerSignals = referrer.fraudSignals ?? { addresses: [], payments: [] };
  const { identity } = friend;
  return evaluateReferral(
    {
      referrer: {
        cid: referrer.cid,
        canonicalEmail: referrer.email ? canonicalEmail(referrer.email) : undefined,
        // The referrer may have several addresses and cards: compare against the friend's.
        addressHash: referrerSignals.addresses.includes(signal(identity.addressHash) ?? '')
          ? identity.addressHash
          : undefined,
        paymentFingerprint: referrerSignals.payments.includes(signal(identity.paymentFingerprint) ?? '')
          ? identity.paymentFingerprint
          : undefined,
        referredBy: referrer.referredBy,
      },
      friend: { ...identity, priorOrders: friend.priorOrders },
      referrerConversionsThisMonth: referrer.referralConversions?.[month(at.now)] ?? 0,
      recentConversionsFromIp: windowCount(velocity.ip, velocity.since),
      recentConversionsFromAddress: windowCount(velocity.addr, velocity.since),
      ...(at.clickAgeMs !== undefined ? { clickAgeMs: at.clickAgeMs } : {}),
    },
    shop.program.referrals,
  );
};

/** The referral as first written: the friend's order, the code it came with, and the verdict on it. */
const referralRecord = (
  shop: Shop,
  r: {
    friendCid: string;
    referrer: CustomerRecord;
    attribution: Attribution;
    order: OrderRecord;
    placed: CanonicalOrder;
    clickAt: number | undefined;
    verdict: ReturnType<typeof evaluateReferral>;
    now: string;
  },
): ReferralRecord => ({
  referralId: r.friendCid,
  friendCid: r.friendCid,
  referrerCid: r.referrer.cid,
  code: r.attribution.candidate.code,
  source: r.attribution.candidate.source,
  orderId: r.order.orderId,
  currency: r.placed.currency,
  orderRevenueMinor: r.placed.subtotalAfterDiscountsMinor,
  ...(r.clickAt !== undefined ? { clickAt: new Date(r.clickAt).toISOString() } : {}),
  status: r.verdict.verdict,
  findings: r.verdict.findings,
  rewardPoints: shop.program.referrals.referrerRewardPoints,
  awarded: 0,
  issued: 0,
  confirmed: false,
  createdAt: r.now,
  updatedAt: r.now,
  version: 1,
});

/**
 * Adds a new referral to the plan: the order points at it, the friend is marked referred, and
 * unless it was rejected, the friend is linked to the referrer and the velocity windows count it.
 * The referrer's side (reward, totals, e-mail) follows, except for a self-referral.
 */
const withNewReferral = (
  deps: ReferralDeps,
  shop: Shop,
  plan: Plan,
  r: {
    ref: ReferralRecord;
    self: boolean;
    referrer: CustomerRecord;
    friend: FriendHistory;
    velocity: VelocityRead;
    now: string;
  },
): Plan => {
  const { ref, referrer, friend, now } = r;
  const counted = ref.status !== 'rejected';
  const orderNext: OrderRecord = { ...plan.order!.next, referral: ref.friendCid };
  let out: Plan = {
    ...plan,
    order: { ...plan.order!, next: orderNext },
    ...(friend.hash && !friend.alreadyReferred
      ? { referredFriend: { hash: friend.hash, friendCid: ref.friendCid } }
      : {}),
  };
  if (out.customer && counted)
    out = { ...out, customer: { ...out.customer, next: { ...out.customer.next, referredBy: referrer.cid } } };
  if (counted) out = { ...out, velocity: velocityWrites(friend.identity, r.velocity, now) };
  if (r.self) return { ...out, referral: { next: ref, expectedVersion: 0 } };
  const change = reconcileReferral({ ...ref, version: 0 }, orderNext, now, deps.newId());
  if (counted) out = withFriendWelcome(shop, out, referrer, now);
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
      const customer = bumped(c, { referralCode: wanted, referralCodePublished: true, updatedAt: now });
      if ((await deps.store.commit(shop.id, { customer }, shop.program)) === 'committed')
        return { ok: true, code: wanted };
      return conflict;
    },
    conflictPolicy,
    () => ({ ok: false, reason: 'code_taken' }),
  );
};

import type { LedgerDeps } from './ports/ledger';
import { cidFor } from '../domain/customers/identity';
import { mergeShopOrderEvent, qualify, sameRecord, type OrderRecord } from '../domain/ledger/order-record';
import { customerPlan, orderIdOf, planConfirm, planExpiry, planOrderEvent, type Plan } from '../domain/ledger/plans';
import type { Shop } from '../domain/shop';
import type { OrderEvent } from '../schemas/order';
import { conflict, retryOnConflict } from './retry';
import { reconcileExisting, withReferrals } from './referral-service';
import type { CustomerRecord } from '../domain/ledger/customer';
import { recheckTierEffects, reviewTierEffects } from '../domain/ledger/tier-effects';
import { planWinbackStep } from '../domain/winback/series';
import { humanCode } from '../domain/human-code';
import { withOutgoing } from '../domain/outgoing/events';
import { membershipLifecycle } from '../domain/membership/effects';
import { planBirthday } from '../domain/engagement/birthday-plan';

/**
 * The ledger's use cases: read, plan (pure), commit in one guarded transaction, and on a lost
 * race re-read and re-plan. Nothing here knows about HTTP or DynamoDB. What they are given,
 * LedgerDeps, is declared with the ports (ports/ledger.ts).
 */
export type { LedgerDeps } from './ports/ledger';

/**
 * Runs plan→commit until it commits or nothing is left to do, under the one conflict policy
 * (retry.ts); past it, ContentionError (503: Shopify waits 5 s for an answer).
 */
export const commitWithRetry = (
  deps: LedgerDeps,
  shop: Shop,
  makePlan: () => Promise<Plan | undefined>,
): Promise<'applied' | 'unchanged'> =>
  retryOnConflict(deps, async () => {
    const plan = await makePlan();
    if (!plan) return 'unchanged' as const;
    const outcome = await deps.store.commit(shop.id, withOutgoing(shop, plan), shop.program);
    return outcome === 'committed' ? ('applied' as const) : conflict;
  });

export const applyOrderEvent = async (
  deps: LedgerDeps,
  shop: Shop,
  event: OrderEvent,
): Promise<'applied' | 'unchanged'> => {
  const orderId = orderIdOf(event);
  if (!orderId) return 'unchanged';
  let blocked: OrderRecord | undefined;
  const outcome = await commitWithRetry(deps, shop, async () => {
    const order = await deps.store.getOrder(shop.id, orderId);
    // A duplicate delivery is recognised from the order alone, so it costs one read.
    if (order) {
      const merged = mergeShopOrderEvent(order, event, shop.currency);
      // Same facts, and nothing newly qualifies: a duplicate or a stale update.
      if (sameRecord(order, merged) && (order.earn || qualify(merged, shop.program, false) === merged))
        return undefined;
    }
    const cid = order?.cid ?? (event.kind === 'order' ? cidFor(event.order.customer) : undefined);
    const customer = cid ? await deps.store.getCustomer(shop.id, cid) : undefined;
    const now = deps.clock.now().toISOString();
    const plan = planOrderEvent({
      event,
      order,
      customer,
      program: shop.program,
      now,
      entryId: deps.newId(),
      currency: shop.currency,
      timeZone: shop.timezone,
    });
    blocked = plan?.order?.next.earnBlocked ? plan.order.next : undefined;
    return plan && withReferrals(deps, shop, event, order, customer, plan);
  });
  if (outcome === 'applied' && blocked) {
    // Recorded, but worth nothing until a delivery brings it in the shop's currency: say why.
    deps.logger?.warn('order earns nothing', {
      shopId: shop.id,
      orderId,
      topic: event.topic,
      reason: blocked.earnBlocked,
      orderCurrency: blocked.state?.currency,
      shopCurrency: shop.currency,
    });
  }
  return outcome;
};

/** First instant after the calendar day `asOf` (UTC). */
export const dayEnd = (asOf: string): string => new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString();

export interface DailySummary {
  shopId: string;
  asOf: string;
  /** The instant the job looked at: the end of `asOf`, or now if that is earlier. */
  cutoff: string;
  customers: number;
  confirmed: number;
  expired: number;
  warned: number;
  /** Tier renewals, downgrades and downgrade warnings. */
  tierChanges: number;
  tierWarnings: number;
  /** Win-back incentives queued. */
  winbackIncentives: number;
  /** Paid memberships lapsed, and renewal-due reminders left (e-mailed where the type is on). */
  membershipsLapsed: number;
  membershipRenewalsDue: number;
  /** Birthdays that earned points (the `birthday` way to earn). */
  birthdays: number;
}

/**
 * The daily ledger job for one shop "as of" a date: confirms points whose return window has
 * passed, expires points after inactivity and leaves expiry warnings, and pays birthdays that
 * have started in the shop's time zone. Idempotent per date.
 */
export const runDaily = async (deps: LedgerDeps, shop: Shop, asOf: string): Promise<DailySummary> => {
  // "As of" a day means the end of that day, but never later than now: a run early in the
  // morning must not confirm returns or expire points due later that day.
  const end = dayEnd(asOf);
  const now = deps.clock.now().toISOString();
  const before = end < now ? end : now;
  const summary: DailySummary = {
    shopId: shop.id,
    asOf,
    cutoff: before,
    customers: 0,
    confirmed: 0,
    expired: 0,
    warned: 0,
    tierChanges: 0,
    tierWarnings: 0,
    winbackIncentives: 0,
    membershipsLapsed: 0,
    membershipRenewalsDue: 0,
    birthdays: 0,
  };
  const cids: string[] = [];
  for await (const cid of deps.store.dueCustomers(shop.id, before)) cids.push(cid);
  for (const cid of cids) {
    summary.customers++;
    const customer = await deps.store.getCustomer(shop.id, cid);
    if (!customer) continue;
    for (const [orderId, due] of Object.entries(customer.pendingOrders)) {
      if (due >= before) continue;
      const r = await commitWithRetry(deps, shop, async () => {
        const [order, current] = await Promise.all([
          deps.store.getOrder(shop.id, orderId),
          deps.store.getCustomer(shop.id, cid),
        ]);
        if (!order || !current || !current.pendingOrders[orderId]) return undefined;
        const plan = planConfirm(order, current, deps.clock.now().toISOString(), deps.newId());
        // The referrer's reward for this order confirms with it.
        return plan?.order ? reconcileExisting(deps, shop, plan.order.next, plan) : plan;
      });
      if (r === 'applied') summary.confirmed++;
    }
    let kind: 'expired' | 'warned' | undefined;
    await commitWithRetry(deps, shop, async () => {
      const current = await deps.store.getCustomer(shop.id, cid);
      if (!current) return undefined;
      const plan = planExpiry(current, shop.program, before, deps.clock.now().toISOString(), deps.newId());
      kind = plan?.entry ? 'expired' : plan ? 'warned' : undefined;
      return plan;
    });
    if (kind) summary[kind]++;
    let lifecycle: Plan | undefined;
    let membership: CustomerRecord['membership'];
    await commitWithRetry(deps, shop, async () => {
      const current = await deps.store.getCustomer(shop.id, cid);
      membership = current?.membership;
      lifecycle = current && planLifecycle(deps, current, shop, before, deps.clock.now().toISOString());
      return lifecycle;
    });
    const nextMembership = lifecycle?.customer?.next.membership;
    if (membership?.status === 'active' && nextMembership?.status === 'lapsed') summary.membershipsLapsed++;
    else if (nextMembership && nextMembership.renewalWarnedFor !== membership?.renewalWarnedFor)
      summary.membershipRenewalsDue++;
    summary.tierChanges += lifecycle?.tierChanges?.length ?? 0;
    summary.tierWarnings += lifecycle?.emails?.filter((e) => e.type === 'tier_down_warning').length ?? 0;
    summary.winbackIncentives += lifecycle?.emails?.filter((e) => e.type === 'winback_incentive').length ?? 0;
    let birthday: Plan | undefined;
    await commitWithRetry(deps, shop, async () => {
      const current = await deps.store.getCustomer(shop.id, cid);
      const now = deps.clock.now().toISOString();
      birthday =
        current &&
        planBirthday(current, shop.program, { cutoff: before, now, entryId: deps.newId(), timeZone: shop.timezone });
      return birthday;
    });
    if (birthday?.activity?.status === 'awarded') summary.birthdays++;
  }
  return summary;
};

/**
 * The daily look at a customer's tier (renewal, downgrade warning, downgrade — as of the
 * cutoff), win-back series (the incentive when due) and paid membership (renewal-due, lapse), as one plan.
 */
export const planLifecycle = (
  deps: Pick<LedgerDeps, 'randomInt'>,
  c: CustomerRecord,
  shop: Shop,
  cutoff: string,
  now: string,
): Plan | undefined => {
  if (c.redactedAt) return undefined;
  const tier = reviewTierEffects(c, shop.program, { currency: shop.currency, now: cutoff });
  const step = planWinbackStep(tier.customer, shop.program, {
    now: cutoff,
    currency: shop.currency,
    newCode: () => humanCode(deps.randomInt, 'BMR'),
  });
  const member = membershipLifecycle(step?.customer ?? tier.customer, shop.program, { cutoff, now });
  return customerPlan(c, member.customer, now, {
    emails: [...tier.emails, ...(step?.emails ?? []), ...member.emails],
    changes: tier.changes,
  });
};

/** Moves a customer up if they now qualify for a higher tier (the nightly run's check after a threshold change). */
export const recheckTier = async (deps: LedgerDeps, shop: Shop, cid: string): Promise<boolean> => {
  let moved = false;
  await commitWithRetry(deps, shop, async () => {
    const c = await deps.store.getCustomer(shop.id, cid);
    if (!c) return undefined;
    const now = deps.clock.now().toISOString();
    const fx = recheckTierEffects(c, shop.program, { currency: shop.currency, now });
    moved = fx.changes.length > 0;
    return customerPlan(c, fx.customer, now, { emails: fx.emails, changes: fx.changes });
  });
  return moved;
};

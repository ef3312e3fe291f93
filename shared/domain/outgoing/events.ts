import type { CustomerRecord } from '../ledger/customer';
import type { LedgerEntry } from '../ledger/entries';
import type { Plan, Redemption } from '../ledger/plans';
import type { ReferralRecord } from '../referrals/referral';

import { allEvents, outgoingEventTypes, type OutgoingEvent, type OutgoingEventType } from './event';

export { allEvents, outgoingEventTypes, type OutgoingEvent, type OutgoingEventType };

/** The event types at least one of the shop's enabled endpoints listens to (kept on the shop record). */
export const subscribedTypes = (
  endpoints: readonly { events: readonly string[]; enabled: boolean }[],
): OutgoingEventType[] => {
  const on = endpoints.filter((e) => e.enabled);
  if (on.some((e) => e.events.includes(allEvents))) return [...outgoingEventTypes];
  return outgoingEventTypes.filter((t) => on.some((e) => e.events.includes(t)));
};

export const endpointWants = (events: readonly string[], type: string): boolean =>
  events.includes(allEvents) || events.includes(type);

/**
 * The customer part of an event's data as stored: ids only. The e-mail address is added at send
 * time from the customer as they are then (`withAddresses`), as the e-mail outbox does: an
 * erasure in between is honoured, and neither queued events nor the delivery log hold addresses.
 */
export const customerOf = (c: Pick<CustomerRecord, 'cid' | 'platformCustomerId'>) => ({
  cid: c.cid,
  ...(c.platformCustomerId ? { platformCustomerId: c.platformCustomerId } : {}),
});

/** The parts of an event's data that name a customer whose e-mail the receiver gets. */
const addressed = ['customer', 'friend'] as const;

/** The cids whose addresses a delivery of this event carries (none for `customer.redacted`). */
export const cidsToAddress = (type: string, data: Record<string, unknown>): string[] =>
  type === 'customer.redacted'
    ? []
    : addressed.flatMap((k) => {
        const cid = (data[k] as { cid?: unknown } | undefined)?.cid;
        return typeof cid === 'string' ? [cid] : [];
      });

/** The event's data with the e-mail of each named customer who still has one (read at send time). */
export const withAddresses = (
  data: Record<string, unknown>,
  addresses: ReadonlyMap<string, Pick<CustomerRecord, 'email' | 'redactedAt'> | undefined>,
): Record<string, unknown> => {
  const out = { ...data };
  for (const k of addressed) {
    const who = data[k] as { cid?: string } | undefined;
    const c = who?.cid ? addresses.get(who.cid) : undefined;
    if (c?.email && !c.redactedAt) out[k] = { ...who, email: c.email };
  }
  return out;
};

const pointsOf = (e: LedgerEntry) => e.points.available + e.points.pending;

/**
 * What a redemption adds to `points.redeemed`: the reward's type, and for products and experiences
 * what the shop fulfils, with the code the customer will show (a discount code stays out, as before:
 * it is spendable at the till and the shop's platform already knows it).
 */
const redemptionFields = (r: Redemption) =>
  r.type === 'product' || r.type === 'experience'
    ? {
        rewardType: r.type,
        ...(r.code ? { code: r.code } : {}),
        ...(r.description ? { description: r.description } : {}),
        ...(r.productId ? { productId: r.productId } : {}),
        ...(r.sku ? { sku: r.sku } : {}),
        ...(r.startsAt ? { startsAt: r.startsAt } : {}),
      }
    : { rewardType: r.type };

/** What a ledger entry reports: earned (orders, referral rewards, positive adjustments), redeemed, expired. */
const entryEvent = (
  shopId: string,
  entry: LedgerEntry,
  customer: CustomerRecord | undefined,
  redemption?: Redemption,
): OutgoingEvent | undefined => {
  if (!customer) return undefined;
  const points = pointsOf(entry);
  const base = {
    shopId,
    customer: customerOf(customer),
    entryId: entry.entryId,
    balance: { available: customer.points.available, pending: customer.points.pending },
  };
  const at = entry.at;
  if ((entry.type === 'earn' || entry.type === 'adjust') && points > 0) {
    // A referral reward names the friend's order too; its cause says what it is.
    const source =
      entry.type === 'adjust'
        ? 'adjustment'
        : entry.cause.startsWith('referral:')
          ? 'referral'
          : entry.orderId
            ? 'order'
            : 'other';
    return {
      type: 'points.earned',
      cid: customer.cid,
      at,
      data: {
        ...base,
        points,
        pending: entry.points.pending > 0,
        source,
        ...(entry.orderId ? { orderId: entry.orderId } : {}),
      },
    };
  }
  if (entry.type === 'redeem')
    return {
      type: 'points.redeemed',
      cid: customer.cid,
      at,
      data: {
        ...base,
        points: -points,
        ...(entry.rewardId ? { rewardId: entry.rewardId } : {}),
        ...(redemption ? redemptionFields(redemption) : {}),
      },
    };
  if (entry.type === 'expire')
    return { type: 'points.expired', cid: customer.cid, at, data: { ...base, points: -points } };
  return undefined;
};

/** A referral the plan makes or decides: held on arrival (fraud checks), completed once approved. */
const referralEvent = (
  shopId: string,
  write: NonNullable<Plan['referral']>,
  friend: CustomerRecord | undefined,
  referrer: CustomerRecord | undefined,
): OutgoingEvent | undefined => {
  const r: ReferralRecord = write.next;
  const created = write.expectedVersion === 0;
  // Approved now: when made (a clean referral) or moved to approved by this very change (a
  // marketer's decision). Judged by the status transition, not by comparing timestamps: the
  // decision and the reconciliation read the clock separately.
  const approvedNow =
    r.status === 'approved' && (created || (write.previousStatus !== undefined && write.previousStatus !== 'approved'));
  const heldNow = r.status === 'held' && created;
  if (!approvedNow && !heldNow) return undefined;
  return {
    type: approvedNow ? 'referral.completed' : 'referral.held',
    cid: r.referrerCid,
    at: r.updatedAt,
    data: {
      shopId,
      referralId: r.referralId,
      status: r.status,
      referrerCid: r.referrerCid,
      customer: referrer ? customerOf(referrer) : { cid: r.referrerCid },
      friend: friend ? customerOf(friend) : { cid: r.friendCid },
      orderId: r.orderId,
      rewardPoints: r.rewardPoints,
      ...(heldNow ? { reasons: r.findings.map((f) => f.reason) } : {}),
    },
  };
};

/**
 * The events a plan's change reports, limited to the types someone subscribed to (the shop
 * record's list): a shop without endpoints gets none, so its writes cost nothing more.
 */
export const eventsOfPlan = (
  shopId: string,
  plan: Plan,
  subscribed: readonly string[] | undefined,
): OutgoingEvent[] => {
  if (!subscribed?.length) return [];
  const out: OutgoingEvent[] = [];
  const customer = plan.customer?.next;
  if (plan.entry) {
    const e = entryEvent(shopId, plan.entry, customer, plan.redemption);
    if (e) out.push(e);
  }
  if (plan.referrer?.entry) {
    const e = entryEvent(shopId, plan.referrer.entry, plan.referrer.customer.next);
    if (e) out.push(e);
  }
  const byCid = new Map([customer, plan.referrer?.customer.next].filter((c) => !!c).map((c) => [c!.cid, c!]));
  for (const t of plan.tierChanges ?? []) {
    const c = byCid.get(t.cid);
    out.push({
      type: 'tier.changed',
      cid: t.cid,
      at: t.change.at,
      data: {
        shopId,
        customer: c ? customerOf(c) : { cid: t.cid },
        from: t.change.from,
        to: t.change.to,
        kind: t.change.kind,
        reason: t.change.reason,
      },
    });
  }
  if (plan.referral) {
    const r = plan.referral.next;
    const e = referralEvent(shopId, plan.referral, byCid.get(r.friendCid), byCid.get(r.referrerCid));
    if (e) out.push(e);
  }
  const m = plan.membershipChange;
  if (m) {
    const c = byCid.get(m.cid);
    out.push({
      type: 'membership.changed',
      cid: m.cid,
      // The fact's own time where it has one (the lapse is the end of the grace days), else the write's.
      at: (m.kind === 'lapsed' ? m.membership.endedAt : undefined) ?? c?.updatedAt ?? m.membership.since,
      data: {
        shopId,
        customer: c ? customerOf(c) : { cid: m.cid },
        kind: m.kind,
        planId: m.membership.planId,
        status: m.membership.status,
        since: m.membership.since,
        paidThrough: m.membership.paidThrough,
        ...(m.membership.endedAt ? { endedAt: m.membership.endedAt } : {}),
      },
    });
  }
  // Erased by this change: ids only, the personal details are gone.
  if (customer?.redactedAt && customer.redactedAt === customer.updatedAt) {
    out.push({
      type: 'customer.redacted',
      cid: customer.cid,
      at: customer.redactedAt,
      data: {
        shopId,
        customer: customerOf(customer),
      },
    });
  }
  return out.filter((e) => endpointWants(subscribed, e.type));
};

/** The plan with the events it reports for the shop's subscribed types (none: the plan as it was). */
export const withOutgoing = (shop: { id: string; outgoingEvents?: string[] }, plan: Plan): Plan => {
  const outgoing = eventsOfPlan(shop.id, plan, shop.outgoingEvents);
  return outgoing.length ? { ...plan, outgoing } : plan;
};

/** A churn segment change from the nightly run. */
export const segmentChangedEvent = (
  shopId: string,
  customer: Pick<CustomerRecord, 'cid' | 'platformCustomerId'>,
  change: { from: string | undefined; to: string; churnRisk?: number; at: string },
): OutgoingEvent => ({
  type: 'segment.changed',
  cid: customer.cid,
  at: change.at,
  data: {
    shopId,
    customer: customerOf(customer),
    from: change.from ?? null,
    to: change.to,
    ...(change.churnRisk !== undefined ? { churnRisk: change.churnRisk } : {}),
  },
});

/** The JSON body every endpoint receives (Standard Webhooks: `type`, `timestamp`, `data`). */
export const eventBody = (e: Pick<OutgoingEvent, 'type' | 'at' | 'data'>): string =>
  JSON.stringify({ type: e.type, timestamp: e.at, data: e.data });

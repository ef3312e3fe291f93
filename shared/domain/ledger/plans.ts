import type { OrderEvent } from '../../schemas/order';
import type { ReferralRecord } from '../referrals/referral';
import type { Program, Reward, RewardType } from '../../schemas/program';
import type { DomainResult } from '../result';
import { stableJson } from '../stable-json';
import { cidFor } from '../customers/identity';
import { err, ok } from '../result';
import {
  applyEntry,
  expiresAt,
  expiryWarningAt,
  newCustomer,
  nominalExpiry,
  withProfile,
  type CustomerRecord,
} from './customer';
import { isZero, type LedgerEntry } from './entries';
import {
  emptyOrderRecord,
  mergeShopOrderEvent,
  qualify,
  sameRecord,
  worth,
  type EarnBlock,
  type OrderRecord,
} from './order-record';
import type { QueuedEmail } from '../emails/types';
import type { ActivityRecord } from '../engagement/activity';
import type { OutgoingEvent } from '../outgoing/event';
import type { TierChange } from '../tiers/types';
import { membershipChangeOf, type MembershipChange } from '../membership/change';
import { membershipPlanAt, stackedPercent } from '../membership/state';
import { planLine, stillPays } from '../membership/payments';
import { tierMultiplierPercent } from '../tiers/evaluate';
import { isBefore, toMs } from '../calendar';
import { membershipAfterOrder } from '../membership/effects';
import { monthOf } from '../tiers/stats';
import { mayQueue, withTierChange } from './tier-effects';
import { withSurvey } from '../surveys/schedule';
import { bumped, replacing, type GuardedWrite } from '../versioned';
import {
  redeemedByCustomer,
  remainingForCustomer,
  remainingStock,
  rewardLock,
  type RewardLock,
} from '../rewards/eligibility';

/**
 * Plans are pure: given what is stored and what happened, they say what to write. The
 * repository writes a plan in one transaction guarded by the versions it was planned from,
 * and a plan that lost a race is simply re-planned from fresh reads.
 */
export interface Plan {
  order?: GuardedWrite<OrderRecord>;
  customer?: GuardedWrite<CustomerRecord>;
  entry?: LedgerEntry;
  /** Facts kept on the customer's timeline (e.g. points expired). */
  events?: { type: string; cid: string; at: string; data: Record<string, unknown> }[];
  /** E-mails caused by this change: outbox items written in the same transaction. */
  emails?: QueuedEmail[];
  /**
   * Outgoing webhook events this change reports, written in the same transaction; set from the
   * rest of the plan by `withOutgoing` (domain/outgoing/events.ts) just before the commit.
   */
  outgoing?: OutgoingEvent[];
  /** Tier history lines for customers this plan moves between tiers. */
  tierChanges?: { cid: string; change: TierChange }[];
  /** A referral made or changed by the same delivery, and the referrer's side of it. */
  /**
   * `previousStatus` is the status as read (absent when this plan makes the referral): outgoing
   * events are derived from the transition, since timestamps read from the clock apart can differ.
   */
  referral?: GuardedWrite<ReferralRecord> & { previousStatus?: ReferralRecord['status'] };
  referrer?: { customer: GuardedWrite<CustomerRecord>; entry?: LedgerEntry };
  velocity?: ({ kind: 'ip' | 'addr'; hash: string } & GuardedWrite<VelocityRecord>)[];
  /** Marks a person as referred (by canonical e-mail hash); the write fails if someone already did. */
  referredFriend?: { hash: string; friendCid: string };
  /** An activity recorded by this change (awarded or not), on the customer's timeline. */
  activity?: ActivityRecord;
  /**
   * A stock-limited reward this redemption takes one of: the commit adds one to the reward's
   * redeemed count only while it is below `stock`, else the whole plan is not written.
   */
  rewardStock?: { rewardId: string; stock: number };
  /** What a redemption gives (its code, what to fulfil): not an item of its own, reported by outgoing events. */
  redemption?: Redemption;
  /** The customer's paid membership as changed by this plan (joined, renewed, cancelled, lapsed). */
  membershipChange?: MembershipChange;
}

/** Recent referral conversions seen from one IP or one address (bounded, newest last). */
export interface VelocityRecord {
  times: string[];
  version: number;
}

export const orderIdOf = (event: OrderEvent): string | undefined =>
  event.kind === 'order'
    ? event.order.orderId
    : event.kind === 'refund' || event.kind === 'order_deleted'
      ? event.orderId
      : undefined;

export interface OrderPlanInput {
  event: OrderEvent;
  order: OrderRecord | undefined;
  /** The customer the stored order (or the event) belongs to, as read. */
  customer: CustomerRecord | undefined;
  program: Program;
  now: string;
  entryId: string;
  /**
   * The shop's currency (default: the order's). An order in another one earns nothing and
   * counts for nothing (`earnBlocked`); tiers count spend in it.
   */
  currency?: string;
  /** The shop's time zone (default UTC): paid membership months are counted on its calendar. */
  timeZone?: string;
}

const counts = (a: { points: number; credit: number }) => (a.points > 0 || a.credit > 0 ? 1 : 0);

/** `undefined` means the delivery changes nothing: a duplicate or a stale update. */
export const planOrderEvent = (input: OrderPlanInput): Plan | undefined => {
  const { event, customer, now } = input;
  const orderId = orderIdOf(event);
  if (!orderId) return undefined;
  const before = input.order ?? emptyOrderRecord(orderId);
  const merged = mergeShopOrderEvent(before, event, input.currency);
  const cid = merged.cid;
  const known = cid ? (customer ?? newCustomer(cid, now)) : undefined;
  // A membership the order pays for counts from this order on: the order itself earns with it.
  const membership =
    known && membershipAfterOrder(known, input.program, { event, next: merged, now, timeZone: input.timeZone });
  const startingCustomer = membership?.customer;
  const { order, worthNow } = valuedOrder(before, merged, startingCustomer, input.program, now);
  const step: OrderStep = { ...input, orderId, before, next: order.next, worthNow };
  const entry = cid ? orderEntry(step) : undefined;
  const after =
    cid && startingCustomer ? withSurvey(step, customerAfterOrder(step, cid, startingCustomer, entry)) : undefined;
  const joined = (membership?.emails ?? []).filter((e) => after && mayQueue(after.customer, input.program, e.type));
  const emails = [...joined, ...(after?.emails ?? [])];
  const cust = after?.customer;
  const customerChanged = cust !== undefined && (customer === undefined || stableJson(cust) !== stableJson(customer));
  if (sameRecord(before, order.next) && !entry && !customerChanged) return undefined;
  return {
    order,
    ...(cust && customerChanged ? { customer: replacing(customer, { ...cust, updatedAt: now }) } : {}),
    ...(entry ? { entry } : {}),
    ...(emails.length ? { emails } : {}),
    ...(after?.changes.length ? { tierChanges: after.changes.map((change) => ({ cid: cid!, change })) } : {}),
    ...membershipChanged(cid, customer, cust),
  };
};

const membershipChanged = (
  cid: string | undefined,
  before: CustomerRecord | undefined,
  after: CustomerRecord | undefined,
): Pick<Plan, 'membershipChange'> => {
  const change = cid ? membershipChangeOf(cid, before?.membership, after?.membership) : undefined;
  return change ? { membershipChange: change } : {};
};

/** One delivery's order as read (`before`) and as it will be written (`next`), with its context. */
interface OrderStep extends OrderPlanInput {
  orderId: string;
  before: OrderRecord;
  next: OrderRecord;
  /** What `next` is worth, computed once: its entitlement and what it counts for towards tiers. */
  worthNow: ReturnType<typeof worth>;
}

/** The merged order qualified for earning and awarded what it is worth now, as a write over `before`. */
const valuedOrder = (
  before: OrderRecord,
  merged: OrderRecord,
  customer: CustomerRecord | undefined,
  program: Program,
  now: string,
): { order: GuardedWrite<OrderRecord>; worthNow: ReturnType<typeof worth> } => {
  const qualified = withOwnMembershipPercent(qualifiedOrder(merged, customer, program, now));
  const worthNow = worth(qualified);
  const awarded = { points: worthNow.points, credit: worthNow.credit };
  return { order: replacing(before, { ...qualified, awarded }), worthNow };
};

/**
 * The order with its earning fixed once it qualifies. It earns at the tier the customer is in when
 * it qualifies (an upgrade it causes applies from the next one), stacked with the paid membership
 * that covered the instant it qualified (paid, or created under `earnOn: created`; never later than
 * now) — including one this order buys, but not one bought after it, however late it is delivered.
 */
const qualifiedOrder = (
  merged: OrderRecord,
  customer: CustomerRecord | undefined,
  program: Program,
  now: string,
): OrderRecord => {
  if (merged.earn) return merged;
  const firstOrder = (customer?.earnedOrders ?? 0) === 0;
  const at = program.earning.earnOn === 'created' ? merged.state?.createdAt : merged.paidAt;
  const when = at && isBefore(at, now) ? at : now;
  const tier = tierMultiplierPercent(customer, program.tiers);
  const plan = membershipPlanAt(customer, program, when);
  const percent = plan ? stackedPercent(tier, plan.multiplierPercent, program.membership.stacking) : tier;
  const qualified = qualify(merged, program, firstOrder, percent);
  const m = customer?.membership;
  const own = plan && m?.payments.find((p) => p.orderId === merged.orderId);
  // This order's own payment began the membership it earns with: remember what it earns without it.
  if (
    !qualified.earn ||
    !own?.lineIds?.length ||
    (own.planId ?? m!.planId) !== plan!.id ||
    toMs(own.at) !== toMs(m!.since)
  )
    return qualified;
  return {
    ...qualified,
    earn: { ...qualified.earn, ownMembership: { lineIds: own.lineIds, withPercent: percent, withoutPercent: tier } },
  };
};

/**
 * An order that bought the membership it earns with earns with it only while its membership lines
 * still pay for it: refunding them (or cancelling the order) re-values the whole order without
 * it. A function of the order alone, so every delivery, in any order, gives the same value.
 */
const withOwnMembershipPercent = (o: OrderRecord): OrderRecord => {
  const own = o.earn?.ownMembership;
  if (!own) return o;
  const tierPercent = stillPays(o, planLine(undefined, own.lineIds)) ? own.withPercent : own.withoutPercent;
  return tierPercent === o.earn!.tierPercent ? o : { ...o, earn: { ...o.earn!, tierPercent } };
};

/** The ledger entry for the change in what the order is worth; none when it is unchanged. */
const orderEntry = ({ before, next, orderId, event, now, entryId }: OrderStep): LedgerEntry | undefined => {
  const delta = {
    points: next.awarded.points - before.awarded.points,
    credit: next.awarded.credit - before.awarded.credit,
  };
  if (delta.points === 0 && delta.credit === 0) return undefined;
  const inBucket = (v: number) => (next.confirmed ? { available: v, pending: 0 } : { available: 0, pending: v });
  return {
    entryId,
    type: delta.points > 0 || (delta.points === 0 && delta.credit > 0) ? 'earn' : 'reverse',
    at: now,
    points: inBucket(delta.points),
    credit: inBucket(delta.credit),
    cause: `order:${orderId}@${next.version}:${event.topic}`,
    orderId,
  };
};

/** The order's customer after it: profile, balance, order counts, pending and held orders, tier. */
const customerAfterOrder = (
  step: OrderStep,
  cid: string,
  customer: CustomerRecord,
  entry: LedgerEntry | undefined,
): ReturnType<typeof withTierChange> => {
  const { event, before, next, orderId, now, program } = step;
  const target = next.awarded;
  // An order placed by this very customer (not one moved to another on the platform).
  const ownOrder = event.kind === 'order' && cidFor(event.order.customer) === cid;
  let cust = customer;
  // An order moved to another customer on the platform must not copy that person's details
  // onto the customer the order first belonged to.
  if (ownOrder) cust = withProfile(cust, event.order.customer);
  // Activity is when the customer ordered, but never later than now (platform clocks drift).
  const orderedAt = next.earn && next.earn.earnedAt < now ? next.earn.earnedAt : now;
  if (entry) cust = applyEntry(cust, { ...entry, activityAt: entry.type === 'earn' ? orderedAt : now });
  // Only orders that are worth something count towards "first order": one below the minimum
  // or cancelled does not use up the first-order bonus.
  cust = { ...cust, earnedOrders: Math.max(0, cust.earnedOrders + counts(target) - counts(before.awarded)) };
  const pendingOrders = { ...cust.pendingOrders };
  if (next.earn && !next.confirmed && (target.points > 0 || target.credit > 0))
    pendingOrders[orderId] = next.earn.confirmDueAt;
  else delete pendingOrders[orderId];
  cust = { ...cust, pendingOrders };
  cust = withHeldOrder(cust, orderId, next.earnBlocked);
  if (ownOrder && !event.order.test && !next.cancelledAt)
    cust = withOrderPlaced(cust, event.order.createdAt < now ? event.order.createdAt : now);
  // Tiers count what the order is worth now against what it counted for before: spend on the
  // earning basis (in the shop's currency only), points, and the order itself.
  const shopCurrency = step.currency ?? next.state?.currency ?? 'XXX';
  const [was, is] = [tierContribution(before, shopCurrency), tierContribution(next, shopCurrency, step.worthNow)];
  return withTierChange(cust, program, {
    currency: shopCurrency,
    now,
    month: monthOf(next.earn?.earnedAt ?? now),
    delta: [is[0] - was[0], is[1] - was[1], is[2] - was[2]],
    reason: `order ${orderId}`,
  });
};

const maxHeldOrders = 20;

/** Notes on the customer that an order earns nothing for a reason of its own, or that it no longer does. */
const withHeldOrder = (c: CustomerRecord, orderId: string, block: EarnBlock | undefined): CustomerRecord => {
  const held = c.heldOrders ?? {};
  if (held[orderId] === block) return c;
  const { [orderId]: _was, ...others } = held;
  const entries = Object.entries(block ? { ...others, [orderId]: block } : others).slice(-maxHeldOrders);
  const { heldOrders: _before, ...rest } = c;
  return entries.length ? { ...rest, heldOrders: Object.fromEntries(entries) } : rest;
};

/**
 * What an order counts for towards tiers now: [spend on its earning basis (in the shop's
 * currency only), points, 1 if it is worth anything]. Orders that qualified before tiers
 * existed (no `tierPercent`) count for nothing, before and after any refund.
 */
export const tierContribution = (
  o: OrderRecord,
  shopCurrency: string,
  w: ReturnType<typeof worth> = worth(o),
): [number, number, number] => {
  if (o.earn?.tierPercent === undefined) return [0, 0, 0];
  return [o.state?.currency === shopCurrency ? w.basisMinor : 0, w.points, counts(w)];
};

/**
 * A plan that changes only the customer (a tier review or recheck, a win-back step), with the
 * e-mails and tier history lines that change causes; `undefined` when nothing changed.
 */
export const customerPlan = (
  before: CustomerRecord,
  after: CustomerRecord,
  now: string,
  caused: { emails?: QueuedEmail[]; changes?: TierChange[] } = {},
): Plan | undefined => {
  const emails = caused.emails ?? [];
  const changes = caused.changes ?? [];
  if (after === before && !emails.length && !changes.length) return undefined;
  return {
    customer: replacing(before, { ...after, updatedAt: now }),
    ...(emails.length ? { emails } : {}),
    ...(changes.length ? { tierChanges: changes.map((change) => ({ cid: before.cid, change })) } : {}),
    ...membershipChanged(before.cid, before, after),
  };
};

/** An order was placed: remembered for win-back, whose series stops the moment the customer orders. */
export const withOrderPlaced = (c: CustomerRecord, placedAt: string): CustomerRecord => {
  if (c.lastOrderAt && c.lastOrderAt >= placedAt) return c;
  const stop = c.winback?.step === 'reminder' && placedAt > c.winback.startedAt;
  return {
    ...c,
    lastOrderAt: placedAt,
    ...(stop ? { winback: { startedAt: c.winback!.startedAt, step: 'stopped' as const } } : {}),
  };
};

/** Moves an order's points from pending to available once its return window has passed. */
export const planConfirm = (
  order: OrderRecord,
  customer: CustomerRecord,
  now: string,
  entryId: string,
): Plan | undefined => {
  if (order.confirmed || !order.earn) return undefined;
  const pendingOrders = { ...customer.pendingOrders };
  delete pendingOrders[order.orderId];
  const { points, credit } = order.awarded;
  const entry: LedgerEntry | undefined =
    points === 0 && credit === 0
      ? undefined
      : {
          entryId,
          type: 'confirm',
          at: now,
          points: { available: points, pending: -points },
          credit: { available: credit, pending: -credit },
          cause: `confirm:${order.orderId}`,
          orderId: order.orderId,
        };
  let cust: CustomerRecord = { ...customer, pendingOrders };
  if (entry) cust = applyEntry(cust, entry);
  return {
    order: bumped(order, { confirmed: true }),
    customer: replacing(customer, { ...cust, updatedAt: now }),
    ...(entry ? { entry } : {}),
  };
};

/**
 * Expiry of available points after inactivity as of `cutoff`: first a warning event (if one is
 * due and not yet sent), and only once its notice period has run, the expiry itself.
 */
export const planExpiry = (
  customer: CustomerRecord,
  program: Program,
  cutoff: string,
  now: string,
  entryId: string,
): Plan | undefined => {
  const warnAt = expiryWarningAt(customer, program);
  const nominal = nominalExpiry(customer, program);
  if (warnAt && nominal && warnAt < cutoff) {
    const warned = bumped(customer, { expiryWarnedFor: nominal, expiryWarnedAt: cutoff, updatedAt: now });
    const expiring = expiresAt(warned.next, program)!;
    return {
      customer: warned,
      ...(mayQueue(customer, program, 'points_expiring')
        ? {
            emails: [
              {
                type: 'points_expiring' as const,
                cid: customer.cid,
                at: now,
                data: { points: customer.points.available, expiresAt: expiring },
              },
            ],
          }
        : {}),
    };
  }
  const expiry = expiresAt(customer, program);
  if (warnAt || !expiry || expiry >= cutoff) return undefined;
  const points = customer.points.available;
  const entry: LedgerEntry = {
    entryId,
    type: 'expire',
    at: now,
    points: { available: -points, pending: 0 },
    credit: { available: 0, pending: 0 },
    cause: `expire:${customer.cid}@${expiry}`,
    reason: `No activity since ${customer.lastActivityAt}`,
  };
  const cust = applyEntry(customer, entry);
  return {
    customer: replacing(customer, { ...cust, updatedAt: now }),
    entry,
    events: [{ type: 'points_expired', cid: customer.cid, at: now, data: { points, expiredAt: expiry } }],
  };
};

export type RedemptionError =
  | { kind: 'unknown_reward'; rewardId: string }
  | { kind: 'insufficient_points'; balance: number; cost: number }
  /** The reward is for a tier or membership the customer does not hold: `requires` lists what is missing. */
  | { kind: 'reward_locked'; rewardId: string; requires: RewardLock }
  | { kind: 'reward_limit_reached'; rewardId: string; limit: number }
  | { kind: 'out_of_stock'; rewardId: string; stock: number };

export interface Redemption {
  rewardId: string;
  type: RewardType;
  pointsCost: number;
  valueMinor: number;
  /** What the customer shows (discount codes, products, experiences); store credit has none. */
  code?: string;
  /** For exclusive rewards, what the shop fulfils: as the catalogue describes it when redeemed. */
  description?: string;
  productId?: string;
  sku?: string;
  startsAt?: string;
}

/** Exclusive rewards are counted per customer even without a limit, so a limit added later counts them. */
const countsPerCustomer = (r: Reward) => r.type === 'product' || r.type === 'experience' || !!r.perCustomerLimit;

/** Why the customer may not have the reward now (before points are looked at); none when they may. */
const redemptionRefusal = (
  customer: CustomerRecord,
  program: Program,
  reward: Reward,
  input: { now: string; redeemed?: number },
): RedemptionError | undefined => {
  const lock = rewardLock(reward, customer, program, input.now);
  if (lock) return { kind: 'reward_locked', rewardId: reward.id, requires: lock };
  if (reward.stock !== undefined && remainingStock(reward, input.redeemed ?? 0) === 0)
    return { kind: 'out_of_stock', rewardId: reward.id, stock: reward.stock };
  if (remainingForCustomer(reward, customer) === 0)
    return { kind: 'reward_limit_reached', rewardId: reward.id, limit: reward.perCustomerLimit! };
  if (customer.points.available < reward.pointsCost)
    return { kind: 'insufficient_points', balance: customer.points.available, cost: reward.pointsCost };
  return undefined;
};

/**
 * Turns points into a catalogue reward; never takes the available balance below zero. `redeemed`
 * is the reward's redeemed count as read, for a stock-limited one: the plan takes one of the
 * stock (`rewardStock`), and the commit refuses it if others took the last one meanwhile. The
 * customer's own count is guarded by the customer's version like the balance.
 */
export const planRedemption = (
  customer: CustomerRecord,
  program: Program,
  rewardId: string,
  input: { now: string; entryId: string; key: string; code: string; redeemed?: number },
): DomainResult<{ plan: Plan; redemption: Redemption }, RedemptionError> => {
  const reward = program.rewards.find((r) => r.id === rewardId);
  if (!reward) return err({ kind: 'unknown_reward', rewardId });
  const refusal = redemptionRefusal(customer, program, reward, input);
  if (refusal) return err(refusal);
  const credit = reward.type === 'store_credit' ? reward.valueMinor : 0;
  const entry: LedgerEntry = {
    entryId: input.entryId,
    type: 'redeem',
    at: input.now,
    points: { available: -reward.pointsCost, pending: 0 },
    credit: { available: credit, pending: 0 },
    cause: `redemption:${input.key}`,
    rewardId,
  };
  let cust = applyEntry(customer, entry);
  if (countsPerCustomer(reward))
    cust = {
      ...cust,
      rewardRedemptions: { ...cust.rewardRedemptions, [rewardId]: redeemedByCustomer(customer, rewardId) + 1 },
    };
  const exclusive = reward.type === 'product' || reward.type === 'experience';
  const redemption: Redemption = {
    rewardId,
    type: reward.type,
    pointsCost: reward.pointsCost,
    valueMinor: reward.valueMinor,
    ...(reward.type === 'store_credit' ? {} : { code: input.code }),
    ...(exclusive && reward.description ? { description: reward.description } : {}),
    ...(exclusive && reward.productId ? { productId: reward.productId } : {}),
    ...(exclusive && reward.sku ? { sku: reward.sku } : {}),
    ...(exclusive && reward.startsAt ? { startsAt: reward.startsAt } : {}),
  };
  return ok({
    plan: {
      customer: replacing(customer, { ...cust, updatedAt: input.now }),
      entry,
      redemption,
      ...(reward.stock !== undefined ? { rewardStock: { rewardId, stock: reward.stock } } : {}),
    },
    redemption,
  });
};

export type AdjustmentError = { kind: 'would_go_negative'; balance: number; points: number };

/** A manual correction by shop staff or the operator; it may not take the balance below zero. */
export const planAdjustment = (
  customer: CustomerRecord,
  input: { points: number; reason: string; by: string; now: string; entryId: string; key: string },
): DomainResult<Plan, AdjustmentError> => {
  if (customer.points.available + input.points < 0)
    return err({ kind: 'would_go_negative', balance: customer.points.available, points: input.points });
  const entry: LedgerEntry = {
    entryId: input.entryId,
    type: 'adjust',
    at: input.now,
    points: { available: input.points, pending: 0 },
    credit: { available: 0, pending: 0 },
    cause: `adjustment:${input.key}`,
    reason: input.reason,
    by: input.by,
  };
  const cust = applyEntry(customer, entry);
  return ok({
    customer: replacing(customer, { ...cust, updatedAt: input.now }),
    entry,
  });
};

export const entryIsEmpty = (e: LedgerEntry): boolean => isZero(e.points) && isZero(e.credit);

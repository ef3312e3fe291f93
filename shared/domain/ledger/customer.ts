import type { OrderCustomer } from '../../schemas/order';
import type { Program } from '../../schemas/program';
import { normalizeEmail } from '../customers/identity';
import type { TierState, TierStats } from '../tiers/types';
import { tierWakeAt } from '../tiers/evaluate';
import { addDays, addMonths } from '../calendar';
import { addBuckets, type Buckets, type LedgerEntry, zero } from './entries';
import type { EarnBlock } from './order-record';
import type { MembershipState } from '../membership/types';
import { membershipWakeAt } from '../membership/schedule';

export type { MembershipPayment, MembershipState } from '../membership/types';

/** A customer of one shop with the balances the ledger maintains. */
export interface CustomerRecord {
  cid: string;
  platformCustomerId?: string;
  email?: string;
  /** Legacy: items written before the e-mail index key was derived from `email` carry it. No longer written. */
  emailHash?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  acceptsMarketing?: boolean;
  locale?: string;
  createdAt: string;
  updatedAt: string;
  /** Last earn, redemption or manual adjustment: what point expiry counts from. */
  lastActivityAt?: string;
  points: Buckets & { lifetimeEarned: number };
  credit: Buckets;
  /** Orders that have earned, for the first-order bonus. */
  earnedOrders: number;
  /** Orders whose points are still pending, with the date they confirm. */
  pendingOrders: Record<string, string>;
  /**
   * Orders recorded without earning anything, and why (their `earnBlocked`, e.g.
   * `currency_mismatch`); absent when there are none; at most 20.
   */
  heldOrders?: Record<string, EarnBlock>;
  /** The nominal expiry date a warning event was already left for, and when. */
  expiryWarnedFor?: string;
  expiryWarnedAt?: string;
  redactedAt?: string;
  /** The customer's own referral code, assigned at their first order. */
  referralCode?: string;
  /** Set once the code's public lookup exists (it is written the first time the code is shown). */
  referralCodePublished?: boolean;
  /** Who referred this customer, for referral-loop checks. */
  referredBy?: string;
  /** As a referrer: conversions per month (UTC, "yyyy-mm", last few months) and totals. */
  referralConversions?: Record<string, number>;
  referralTotals?: { conversions: number; rewardPoints: number; clawedBackPoints: number };
  /**
   * Hashed (64-bit prefixes) shipping addresses and payment fingerprints seen on the customer's
   * orders, newest last, at most a few: what self-referral checks compare a friend against.
   */
  fraudSignals?: { addresses: string[]; payments: string[] };
  /** Current tier; absent means the lowest tier. */
  tier?: TierState;
  /** What tiers qualify on, per month (pruned to the longest window). */
  tierStats?: TierStats;
  /** When the customer last placed an order that counts (a win-back series stops then). */
  lastOrderAt?: string;
  /** The win-back series the customer is in, or was last in. */
  winback?: WinbackState;
  /** When marketing e-mails were queued for the customer, newest last: the weekly cap. */
  marketingQueuedAt?: string[];
  /** Birthday as "MM-DD" (no year is kept): set by the customer in the storefront or by the shop. */
  birthday?: string;
  /**
   * The next birthday ("yyyy-mm-dd", shop's calendar) the daily job will look at: the first after
   * the day the birthday was set, then a year on each time the job has handled one.
   */
  birthdayNext?: string;
  /**
   * Ways to earn: per activity type, the limit periods it awarded points in (`once`, `2026`,
   * `2026-12`, `2026-12-05`, in the shop's time zone), sorted, the newest few; none for `unlimited`.
   */
  activityAwards?: Record<string, string[]>;
  /** Days (shop's time zone) with a non-purchase activity, newest last, at most 30: engagement. */
  engagedDays?: string[];
  /** Paid membership, current or last. */
  membership?: MembershipState;
  /** Exclusive rewards redeemed so far, per reward id: the per-customer limits. */
  rewardRedemptions?: Record<string, number>;
  /** When the last survey e-mail was queued for the customer: the survey cooldown. */
  surveyQueuedAt?: string;
  version: number;
}

export interface WinbackState {
  startedAt: string;
  /** `reminder` sent, waiting for the incentive at `nextAt`; `done` after it; `stopped` by an order. */
  step: 'reminder' | 'done' | 'stopped';
  nextAt?: string;
  /** The incentive's discount code, once given. */
  code?: string;
}

export const newCustomer = (cid: string, now: string): CustomerRecord => ({
  cid,
  createdAt: now,
  updatedAt: now,
  points: { ...zero, lifetimeEarned: 0 },
  credit: { ...zero },
  earnedOrders: 0,
  pendingOrders: {},
  version: 0,
});

/** Profile facts from an order; a redacted customer stays redacted. */
export const withProfile = (c: CustomerRecord, who: OrderCustomer): CustomerRecord => {
  if (c.redactedAt) return c;
  const email = who.email ? normalizeEmail(who.email) : c.email;
  return {
    ...c,
    platformCustomerId: who.id ?? c.platformCustomerId,
    email,
    firstName: who.firstName ?? c.firstName,
    lastName: who.lastName ?? c.lastName,
    phone: who.phone ?? c.phone,
    acceptsMarketing: who.acceptsMarketing ?? c.acceptsMarketing,
    locale: who.locale ?? c.locale,
  };
};

const laterOf = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Applies one entry's deltas; the only way balances change. */
export const applyEntry = (c: CustomerRecord, e: LedgerEntry & { activityAt?: string }): CustomerRecord => {
  const activity = e.type === 'earn' || e.type === 'redeem' || (e.type === 'adjust' && e.points.available > 0);
  const earned =
    e.type === 'earn' || (e.type === 'adjust' && e.points.available > 0) ? e.points.available + e.points.pending : 0;
  return {
    ...c,
    points: { ...addBuckets(c.points, e.points), lifetimeEarned: c.points.lifetimeEarned + Math.max(0, earned) },
    credit: addBuckets(c.credit, e.credit),
    lastActivityAt: activity ? laterOf(c.lastActivityAt, e.activityAt ?? e.at) : c.lastActivityAt,
  };
};

/** When available points expire by the letter of the rule: inactivity from the last activity. */
export const nominalExpiry = (c: CustomerRecord, program: Program): string | undefined => {
  if (program.expiry.inactivityMonths === 0 || c.points.available <= 0 || !c.lastActivityAt) return undefined;
  return addMonths(c.lastActivityAt, program.expiry.inactivityMonths);
};

const warnedFor = (c: CustomerRecord, nominal: string) =>
  c.expiryWarnedFor === nominal && c.expiryWarnedAt !== undefined;

/**
 * When points actually expire: never sooner than `warningDays` after the customer was warned,
 * so a late warning (a back-dated import, a job outage) still gives the promised notice.
 */
export const expiresAt = (c: CustomerRecord, program: Program): string | undefined => {
  const nominal = nominalExpiry(c, program);
  if (!nominal || !warnedFor(c, nominal)) return nominal;
  const notice = addDays(c.expiryWarnedAt!, program.expiry.warningDays);
  return notice > nominal ? notice : nominal;
};

/** When the expiry warning is due, if one is still to be sent. */
export const expiryWarningAt = (c: CustomerRecord, program: Program): string | undefined => {
  const nominal = nominalExpiry(c, program);
  if (!nominal || program.expiry.warningDays === 0 || warnedFor(c, nominal)) return undefined;
  return addDays(nominal, -program.expiry.warningDays);
};

/** Local midnight is never earlier than 14 hours before UTC midnight (UTC+14, Kiribati). */
const earliestOffsetMs = 14 * 3_600_000;

/**
 * When the daily job should look at the next birthday: the earliest instant that day can start in
 * any time zone (the record does not know the shop's), so a shop east of UTC is never late; the
 * job waits for the day to start in the shop's zone. Only while the shop pays for birthdays.
 */
const birthdayWakeAt = (c: CustomerRecord, program: Program): string | undefined => {
  if (!c.birthdayNext || c.redactedAt) return undefined;
  if (!program.waysToEarn.some((w) => w.type === 'birthday' && w.enabled)) return undefined;
  return new Date(Date.parse(`${c.birthdayNext}T00:00:00.000Z`) - earliestOffsetMs).toISOString();
};

/** The next instant the daily job has something to do for this customer. */
export const wakeAt = (c: CustomerRecord, program: Program): string | undefined => {
  const warning = expiryWarningAt(c, program);
  // While a warning is outstanding, expiry waits for it.
  const candidates = [
    ...Object.values(c.pendingOrders),
    warning ?? expiresAt(c, program),
    program.tiers.enabled ? tierWakeAt(c, program.tiers) : undefined,
    c.winback?.step === 'reminder' ? c.winback.nextAt : undefined,
    c.membership ? membershipWakeAt(c.membership, program) : undefined,
    birthdayWakeAt(c, program),
  ].filter((x): x is string => !!x);
  return candidates.length ? candidates.reduce((a, b) => (a < b ? a : b)) : undefined;
};

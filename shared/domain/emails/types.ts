import type { EmailType } from '../../schemas/program';

export type { EmailType } from '../../schemas/program';

/** Marketing needs consent and counts against the weekly cap; transactional follows the shop's switches. */
export type EmailCategory = 'transactional' | 'marketing';

export const emailCategory = (type: EmailType): EmailCategory =>
  type.startsWith('winback_') || type === 'survey_request' ? 'marketing' : 'transactional';

/**
 * The e-mails about the customer's own points and tier: their button opens the customer's hosted
 * loyalty page (`/p/{shopId}?token=…`). The others keep theirs: the friend's referral link, or
 * the shop for the win-back e-mails (a discount code is spent in the shop).
 */
export const loyaltyPageEmailTypes = [
  'tier_up',
  'tier_down_warning',
  'tier_down',
  'points_expiring',
  'referral_reward_earned',
  'membership_joined',
] as const satisfies readonly EmailType[];

export const linksToLoyaltyPage = (type: EmailType): boolean =>
  (loyaltyPageEmailTypes as readonly EmailType[]).includes(type);

/**
 * What each e-mail says, captured when the state change that causes it is committed. Names of
 * tiers are captured too, so a later rename does not change what the customer was told.
 * Money is minor units with its currency; dates are ISO instants.
 */
export interface EmailDataByType {
  tier_up: { tierName: string; previousTierName: string; perks: string; multiplierPercent: number };
  tier_down_warning: {
    tierName: string;
    /** The tier the customer drops to if nothing changes. */
    nextTierName: string;
    downgradeAt: string;
    qualifyOn: 'spend' | 'points' | 'orders';
    /** Still needed to keep the tier: minor units for spend, else points or orders. */
    toKeep: number;
    currency: string;
  };
  tier_down: { tierName: string; previousTierName: string; perks: string };
  points_expiring: { points: number; expiresAt: string };
  /**
   * Names of the other party are not stored with the e-mail (it may be erased before the
   * e-mail goes): the sender looks them up by `friendCid` / `referrerCid` at send time.
   */
  referral_reward_earned: { points: number; friendCid?: string; friendFirstName?: string; confirmsAt?: string };
  /** Sent after the friend's first order: their own code to share, once it can be shown. */
  friend_welcome: {
    referrerCid?: string;
    referrerFirstName?: string;
    discountPercent: number;
    referralCode?: string;
    referralUrl?: string;
  };
  winback_reminder: { pointsBalance: number; lastOrderAt?: string };
  winback_incentive: { code: string; rewardName: string; valueMinor: number; currency: string; pointsBalance: number };
  /** Paid membership (docs/membership.md): the plan's name and perks as they were when it happened. */
  membership_joined: { planName: string; perks: string; multiplierPercent: number; paidThrough: string };
  membership_renewal_due: { planName: string; perks: string; paidThrough: string };
  membership_lapsed: { planName: string; paidThrough: string };
  /**
   * The survey about one order (docs/surveys.md). `surveyUrl` is not stored: the sender signs the
   * single-use link when it sends, so the link's validity counts from the day the e-mail goes.
   */
  survey_request: { surveyId: string; orderId: string; orderedAt: string; surveyUrl?: string };
}

export type EmailData<T extends EmailType = EmailType> = EmailDataByType[T];

/** An e-mail to queue: becomes an outbox item in the same transaction as its cause. */
export interface QueuedEmail<T extends EmailType = EmailType> {
  type: T;
  cid: string;
  data: EmailData<T>;
  /** When its cause happened (the outbox item's createdAt). */
  at: string;
  /** Not before this (a survey some days after the order); absent: at once. */
  dueAt?: string;
}

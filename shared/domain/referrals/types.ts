import type { Address } from '../../schemas/order';

/**
 * Shared shapes of the referral program. Pure data: the rules live in the modules beside
 * this one (codes, attribution, fraud), storage in shared/adapters.
 */

/** What identifies a person for self-referral and velocity checks; every field optional. */
export interface Identity {
  cid?: string;
  /** Normalised for fraud checks: lower-case, Gmail dots and +tags removed (see normalize.ts). */
  canonicalEmail?: string;
  /** Hash of the normalised shipping address (see normalize.ts). */
  addressHash?: string;
  paymentFingerprint?: string;
  /** Hash of the client IP. */
  ipHash?: string;
}

/** A referral code candidate found on an order, and where it was found. */
export interface CodeCandidate {
  code: string;
  source: 'discount_code' | 'attribute' | 'landing_site' | 'custom_field';
  /** The click that brought the buyer, when the landing URL carries it (a ULID). */
  clickId?: string;
}

export type FraudReason =
  | 'self_referral_customer'
  | 'self_referral_email'
  | 'self_referral_address'
  | 'self_referral_payment'
  | 'friend_not_new'
  | 'referral_loop'
  | 'referrer_monthly_cap'
  | 'velocity_ip'
  | 'velocity_address'
  | 'attribution_window_expired';

export type Verdict = 'approved' | 'held' | 'rejected';

export interface FraudFinding {
  reason: FraudReason;
  verdict: Exclude<Verdict, 'approved'>;
  detail: string;
}

/** Everything the fraud rules look at, gathered by the caller. */
export interface ReferralContext {
  referrer: Identity & { referredBy?: string };
  friend: Identity & { priorOrders: number };
  /** Conversions the referrer already has this calendar month (UTC). */
  referrerConversionsThisMonth: number;
  /** Conversions seen recently from the friend's IP hash / address hash (velocity window). */
  recentConversionsFromIp: number;
  recentConversionsFromAddress: number;
  /** Milliseconds between the click and the order, when the click is known. */
  clickAgeMs?: number;
}

export type { Address };

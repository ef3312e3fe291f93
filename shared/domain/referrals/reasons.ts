import type { FraudFinding, FraudReason } from './types';

/**
 * Each fraud reason in plain words, for a finding stored without its own sentence (the rules
 * write one with the numbers that applied: fraud.ts); the code stays the machine-readable part.
 */
export const fraudReasonText: Record<FraudReason, string> = {
  self_referral_customer: "The order was placed from the referrer's own customer account.",
  self_referral_email: "The friend's e-mail address is the referrer's own.",
  self_referral_address: "The order ships to the referrer's address.",
  self_referral_payment: "The order was paid with the same card or payment method as the referrer's.",
  friend_not_new: 'The friend had already ordered before; referral rewards are for new customers only.',
  referral_loop: 'The referrer was themselves referred by this friend.',
  referrer_monthly_cap: 'The referrer has reached the monthly limit of referrals; further ones wait for review.',
  velocity_ip: 'Too many referrals came from the same internet connection in a short time.',
  velocity_address: 'Too many referrals came from the same shipping address in a short time.',
  attribution_window_expired: 'The order came too long after the click on the referral link.',
};

/** A finding as the review queue shows it: its code and a sentence a person can act on. */
export const reasonOf = (f: FraudFinding): { code: FraudReason; message: string } => ({
  code: f.reason,
  message: f.detail?.trim() ? f.detail : (fraudReasonText[f.reason] ?? f.reason),
});

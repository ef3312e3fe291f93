import type { Program } from '../../schemas/program';
import type { FraudFinding, FraudReason, ReferralContext, Verdict } from './types';

/**
 * Referral fraud rules — what we tell marketers.
 *
 * Every referred order gets one of three verdicts:
 * - approved: the referrer's reward is booked (pending like any earning, until the return
 *   window has passed);
 * - held: nothing is booked yet; the referral waits in the review list with the reasons
 *   below, and a marketer approves or rejects it;
 * - rejected: no reward, with the reason recorded.
 * If any rule rejects, the verdict is rejected; otherwise if any rule holds, held; otherwise
 * approved. Every rule that fires is listed, so a reviewer sees the whole picture.
 *
 * Rejected outright — these are never legitimate:
 * - self_referral_customer: the friend's order comes from the referrer's own customer account.
 * - self_referral_email: the friend's e-mail is the referrer's own. Compared ignoring capitals
 *   and +tags for every provider, and dots for Gmail (anna+1@x.com is anna@x.com, a.nna@gmail.com
 *   is anna@gmail.com).
 * - friend_not_new: the friend had ordered before. Referral rewards are for new customers.
 * - referral_loop: the referrer was themselves referred by this friend. Two people rewarding
 *   each other back and forth is farming, not word of mouth.
 * - attribution_window_expired: the friend clicked the referral link longer ago than the
 *   program's attribution window (default 30 days). Only checked when the click is known.
 *
 * Held for review — usually fraud, sometimes not:
 * - self_referral_address: the order ships to the referrer's address. Partners, flatmates and
 *   family do refer each other; you decide.
 * - self_referral_payment: paid with the same card or payment method as the referrer. Mostly
 *   the referrer buying for themselves, but families share cards.
 * - referrer_monthly_cap: the referrer already has as many conversions this calendar month
 *   (UTC) as the monthly cap (default 20). A real influencer is good news; a script is not.
 * - velocity_ip / velocity_address: the same connection (IP address) or the same shipping
 *   address already produced as many referral conversions within the velocity window
 *   (default 3 within 24 hours) as allowed; this one and further ones are held.
 *
 * Counts passed in do not include the order being judged: with a cap of 20, the 21st
 * conversion is held. Identity fields only match when both sides have a value. The program's
 * `enabled` switch is the caller's business: these rules only judge a referral.
 */

export type ReferralProgram = Program['referrals'];

const DAY_MS = 24 * 60 * 60 * 1000;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && a !== '' && a === b;

const finding = (reason: FraudReason, verdict: FraudFinding['verdict'], detail: string): FraudFinding => ({
  reason,
  verdict,
  detail,
});

/** Judges one referred order; `findings` lists every rule that fired, rejecting and holding alike. */
export const evaluateReferral = (
  ctx: ReferralContext,
  rules: ReferralProgram,
): { verdict: Verdict; findings: FraudFinding[] } => {
  const { referrer, friend } = ctx;
  const findings: FraudFinding[] = [];

  if (same(referrer.cid, friend.cid)) {
    findings.push(
      finding(
        'self_referral_customer',
        'rejected',
        "The order was placed from the referrer's own customer account, so the referrer referred themselves.",
      ),
    );
  }
  if (same(referrer.canonicalEmail, friend.canonicalEmail)) {
    findings.push(
      finding(
        'self_referral_email',
        'rejected',
        "The friend's e-mail address is the referrer's own (ignoring capitals, +tags and Gmail dots).",
      ),
    );
  }
  if (same(referrer.addressHash, friend.addressHash)) {
    findings.push(
      finding(
        'self_referral_address',
        'held',
        "The order ships to the referrer's address. People in one household do refer each other sometimes: approve it if that is the case.",
      ),
    );
  }
  if (same(referrer.paymentFingerprint, friend.paymentFingerprint)) {
    findings.push(
      finding(
        'self_referral_payment',
        'held',
        "The order was paid with the same card or payment method as the referrer's. Usually the referrer is buying for themselves, but families do share cards.",
      ),
    );
  }
  if (friend.priorOrders > 0) {
    findings.push(
      finding(
        'friend_not_new',
        'rejected',
        `The friend had already placed ${plural(friend.priorOrders, 'order', 'orders')} before; referral rewards are for new customers only.`,
      ),
    );
  }
  if (same(referrer.referredBy, friend.cid)) {
    findings.push(
      finding(
        'referral_loop',
        'rejected',
        'The referrer was themselves referred by this friend; rewarding referrals in both directions would let two people earn from each other.',
      ),
    );
  }
  if (ctx.referrerConversionsThisMonth >= rules.monthlyCapPerReferrer) {
    findings.push(
      finding(
        'referrer_monthly_cap',
        'held',
        `The referrer already has ${plural(ctx.referrerConversionsThisMonth, 'referral', 'referrals')} this month, the monthly limit of ${rules.monthlyCapPerReferrer}; further referrals wait for review.`,
      ),
    );
  }
  const window = plural(rules.velocity.windowHours, 'hour', 'hours');
  if (ctx.recentConversionsFromIp >= rules.velocity.maxPerIp) {
    findings.push(
      finding(
        'velocity_ip',
        'held',
        `${plural(ctx.recentConversionsFromIp, 'referral', 'referrals')} already came from the same internet connection in the last ${window} (limit ${rules.velocity.maxPerIp}); this one waits for review.`,
      ),
    );
  }
  if (ctx.recentConversionsFromAddress >= rules.velocity.maxPerAddress) {
    findings.push(
      finding(
        'velocity_address',
        'held',
        `${plural(ctx.recentConversionsFromAddress, 'referral', 'referrals')} already shipped to the same address in the last ${window} (limit ${rules.velocity.maxPerAddress}); this one waits for review.`,
      ),
    );
  }
  if (ctx.clickAgeMs !== undefined && ctx.clickAgeMs > rules.attributionWindowDays * DAY_MS) {
    const days = Math.floor(ctx.clickAgeMs / DAY_MS);
    const age =
      days > rules.attributionWindowDays
        ? plural(days, 'day', 'days')
        : `more than ${plural(rules.attributionWindowDays, 'day', 'days')}`;
    findings.push(
      finding(
        'attribution_window_expired',
        'rejected',
        `The friend clicked the referral link ${age} before ordering; referrals only count for ${plural(rules.attributionWindowDays, 'day', 'days')} after the click.`,
      ),
    );
  }

  const verdict: Verdict = findings.some((f) => f.verdict === 'rejected')
    ? 'rejected'
    : findings.some((f) => f.verdict === 'held')
      ? 'held'
      : 'approved';
  return { verdict, findings };
};

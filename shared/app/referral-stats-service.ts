import type { ReferralStore } from './ports/referrals';
import type { ReferralRecord } from '../domain/referrals/referral';

/**
 * Referral program figures for a UTC date range. Clicks and unique visitors come from the
 * daily counters the redirect keeps (unique = first visit in 24 h, summed over days); orders,
 * revenue and rewards from the referrals made in the range.
 */
export const referralStats = async (
  store: ReferralStore,
  shopId: string,
  currency: string,
  from: string,
  to: string,
) => {
  const fromIso = `${from}T00:00:00.000Z`;
  const toIso = `${to}T23:59:59.999Z`;
  const [days, approved, held, rejected] = await Promise.all([
    store.dayStats(shopId, from, to),
    store.referralsCreatedBetween(shopId, 'approved', fromIso, toIso),
    store.referralsCreatedBetween(shopId, 'held', fromIso, toIso),
    store.referralsCreatedBetween(shopId, 'rejected', fromIso, toIso),
  ]);
  const clicks = days.reduce((s, d) => s + d.clicks, 0);
  const uniqueVisitors = days.reduce((s, d) => s + d.uniqueVisitors, 0);
  // Revenue in the shop's currency only: a referral made before orders in other currencies
  // were held back may carry an amount at another currency's scale.
  const revenueOf = (r: ReferralRecord) => (r.currency === currency ? r.orderRevenueMinor : 0);
  const revenue = (rs: ReferralRecord[]) => rs.reduce((s, r) => s + revenueOf(r), 0);
  const byReferrer = new Map<
    string,
    { customerId: string; code: string; conversions: number; revenueMinor: number; rewardPoints: number }
  >();
  for (const r of approved) {
    const t = byReferrer.get(r.referrerCid) ?? {
      customerId: r.referrerCid,
      code: r.code,
      conversions: 0,
      revenueMinor: 0,
      rewardPoints: 0,
    };
    byReferrer.set(r.referrerCid, {
      ...t,
      conversions: t.conversions + 1,
      revenueMinor: t.revenueMinor + revenueOf(r),
      rewardPoints: t.rewardPoints + r.awarded,
    });
  }
  return {
    from,
    to,
    currency,
    clicks,
    uniqueVisitors,
    referredOrders: approved.length,
    heldReferrals: held.length,
    rejectedReferrals: rejected.length,
    conversionRate: uniqueVisitors ? Math.round((approved.length / uniqueVisitors) * 10_000) / 10_000 : 0,
    referredRevenueMinor: revenue(approved),
    rewardsIssuedPoints: approved.reduce((s, r) => s + r.issued, 0),
    rewardsClawedBackPoints: approved.reduce((s, r) => s + (r.issued - r.awarded), 0),
    topReferrers: [...byReferrer.values()]
      .sort((a, b) => b.conversions - a.conversions || b.revenueMinor - a.revenueMinor)
      .slice(0, 10),
  };
};

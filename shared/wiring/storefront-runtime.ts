import { ledgerDeps, type Runtime } from './runtime';
import type { CustomerReadDeps } from '../app/customer-admin-service';
import { TokenBuckets } from '../app/rate-limit';
import { shopCache, type ShopLoader } from '../app/shop-cache';

/**
 * The storefront's deps. Shops are cached for a few seconds per container: every widget view
 * would otherwise read the shop item again (a read unit per call on the busiest public route);
 * a changed program or rotated secret shows within `shopTtlMs`.
 */
const shopTtlMs = 5_000;
const shops = shopCache({ ttlMs: shopTtlMs, max: 1_000, nowMs: () => performance.now() });

let limits: { perIp: TokenBuckets; perCustomer: TokenBuckets; key: string } | undefined;

/** Per-container token buckets, rebuilt when the configured rates change (tests change them). */
export const storefrontLimits = (rt: Runtime) => {
  const ip = rt.env.BOOMERANG_STOREFRONT_RATE_PER_MINUTE;
  const customer = rt.env.BOOMERANG_STOREFRONT_CUSTOMER_RATE_PER_MINUTE;
  const key = `${ip}/${customer}`;
  if (limits?.key !== key)
    limits = {
      key,
      perIp: new TokenBuckets({ perMinute: ip, burst: ip * 2 }),
      perCustomer: new TokenBuckets({ perMinute: customer, burst: customer * 2 }),
    };
  return limits;
};

export const storefrontShops = (rt: Runtime): ShopLoader => shops.loader((shopId) => rt.shops.get(shopId));

export const storefrontReadDeps = (rt: Runtime): CustomerReadDeps => ({
  ...ledgerDeps(rt),
  referrals: rt.referrals,
  nightly: rt.nightly,
});

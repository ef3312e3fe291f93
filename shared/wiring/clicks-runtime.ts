import type { ClicksDeps } from '../app/click-service';
import { dynamoClickStore } from '../adapters/click-store';
import { newId } from '../adapters/ids';
import { isBot } from '../domain/referrals/bots';
import type { LeanRuntime } from './lean-runtime';

/**
 * The referral link's adapters, from the lean runtime: the Table-port click store and ids
 * (nothing of runtime.ts, so the redirect's bundle stays small).
 */
export const clicksDeps = (rt: LeanRuntime): ClicksDeps => {
  const perMinute = rt.env.BOOMERANG_CLICK_RATE_PER_MINUTE;
  return {
    store: dynamoClickStore(rt.table, rt.tableName),
    loadShop: (shopId) => rt.shops.get(shopId),
    clock: rt.clock,
    newId,
    isBot,
    logger: rt.logger,
    rateLimit: { perMinute, burst: perMinute * 2 },
  };
};

import type { RedeemedCounts } from '../domain/storefront/views';
import { remainingStock, stockLimited } from '../domain/rewards/eligibility';
import type { Shop } from '../domain/shop';
import type { LedgerStore } from './ports/ledger';

/** The reward catalogue's stock: what the storefront shows and the admin read reports. */

/** Redeemed counts of the shop's stock-limited rewards (one read each; rewards without a stock cost nothing). */
export const redeemedCounts = async (
  store: Pick<LedgerStore, 'rewardRedeemed'>,
  shop: Pick<Shop, 'id' | 'program'>,
): Promise<RedeemedCounts> =>
  new Map(
    await Promise.all(
      stockLimited(shop.program).map(async (r) => [r.id, await store.rewardRedeemed(shop.id, r.id)] as const),
    ),
  );

/**
 * `GET /admin/shops/{shopId}/rewards`: the catalogue with how many of each were redeemed and are
 * left. Only stock-limited rewards are counted (a count item exists for them alone), so the others
 * say `redeemed: null` rather than a made-up zero.
 */
export const rewardStockOverview = async (store: Pick<LedgerStore, 'rewardRedeemed'>, shop: Shop) => {
  const counts = await redeemedCounts(store, shop);
  return {
    rewards: shop.program.rewards.map((r) => {
      const redeemed = counts.get(r.id);
      return {
        ...r,
        redeemed: redeemed ?? null,
        remaining: remainingStock(r, redeemed ?? 0),
        soldOut: r.stock !== undefined && remainingStock(r, redeemed ?? 0) === 0,
      };
    }),
  };
};

import { runDaily, type DailySummary } from './ledger-service';
import type { LedgerDeps } from './ports/ledger';
import type { ShopStore } from './ports/shops';

/** Runs the daily ledger job for one shop or every shop, as of a date (default: today UTC). */
export const runDailyForShops = async (
  deps: { ledger: LedgerDeps; shops: Pick<ShopStore, 'get' | 'listShopIds'> },
  asOf: string,
  shopId?: string,
): Promise<DailySummary[]> => {
  const ids: string[] = [];
  if (shopId) ids.push(shopId);
  else for await (const id of deps.shops.listShopIds()) ids.push(id);
  const out: DailySummary[] = [];
  for (const id of ids) {
    const shop = await deps.shops.get(id);
    if (shop) out.push(await runDaily(deps.ledger, shop, asOf));
  }
  return out;
};

/** The scheduled run (or a replay of one): every shop, or one, as of `asOf` (default: today UTC), with totals. */
export const runScheduledDaily = async (
  deps: { ledger: LedgerDeps; shops: Pick<ShopStore, 'get' | 'listShopIds'> },
  o: { asOf?: string; shopId?: string },
) => {
  const asOf = o.asOf ?? deps.ledger.clock.now().toISOString().slice(0, 10);
  const shops = await runDailyForShops(deps, asOf, o.shopId);
  const totals = shops.reduce(
    (t, s) => ({ confirmed: t.confirmed + s.confirmed, expired: t.expired + s.expired, warned: t.warned + s.warned }),
    { confirmed: 0, expired: 0, warned: 0 },
  );
  return { asOf, shops: shops.length, ...totals };
};

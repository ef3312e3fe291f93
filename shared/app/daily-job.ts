import { ledgerDeps, type Runtime } from '../adapters/runtime';
import { runDaily, type DailySummary } from './ledger-service';

/** Runs the daily ledger job for one shop or every shop, as of a date (default: today UTC). */
export const runDailyForShops = async (rt: Runtime, asOf: string, shopId?: string): Promise<DailySummary[]> => {
  const ids: string[] = [];
  if (shopId) ids.push(shopId);
  else for await (const id of rt.ledger.listShopIds()) ids.push(id);
  const out: DailySummary[] = [];
  for (const id of ids) {
    const shop = await rt.shops.get(id);
    if (shop) out.push(await runDaily(ledgerDeps(rt), shop, asOf));
  }
  return out;
};

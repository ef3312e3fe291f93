import * as z from 'zod';
import { ledgerDeps, runtime } from '../../shared/wiring/runtime';
import { runDailyForShops } from '../../shared/app/daily-job';

/** EventBridge Scheduler input: `{ "job": "ledger-daily", "asOf"?: "YYYY-MM-DD", "shopId"?: "…" }`. */
const scheduledEvent = z.object({ job: z.string().optional(), asOf: z.iso.date().optional(), shopId: z.string().optional() });

export const handler = async (input: unknown) => {
  const rt = runtime();
  const event = scheduledEvent.parse(input ?? {});
  const asOf = event.asOf ?? rt.clock.now().toISOString().slice(0, 10);
  const shops = await runDailyForShops({ ledger: ledgerDeps(rt), shops: rt.shops }, asOf, event.shopId);
  const totals = shops.reduce((t, s) => ({ confirmed: t.confirmed + s.confirmed, expired: t.expired + s.expired, warned: t.warned + s.warned }), { confirmed: 0, expired: 0, warned: 0 });
  rt.logger.info('ledger-daily done', { asOf, shops: shops.length, ...totals });
  return { asOf, shops: shops.length, ...totals };
};

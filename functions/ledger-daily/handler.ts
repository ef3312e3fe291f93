import * as z from 'zod';
import { ledgerDeps, runtime } from '../../shared/wiring/runtime';
import { runScheduledDaily } from '../../shared/app/daily-job-service';

/** EventBridge Scheduler input: `{ "job": "ledger-daily", "asOf"?: "YYYY-MM-DD", "shopId"?: "…" }`. */
const scheduledEvent = z.object({
  job: z.string().optional(),
  asOf: z.iso.date().optional(),
  shopId: z.string().optional(),
});

export const handler = async (input: unknown) => {
  const rt = runtime();
  const event = scheduledEvent.parse(input ?? {});
  const summary = await runScheduledDaily(
    { ledger: ledgerDeps(rt), shops: rt.shops },
    { asOf: event.asOf, shopId: event.shopId },
  );
  rt.logger.info('ledger-daily done', summary);
  return summary;
};

import * as z from 'zod';
import { runtime } from '../../shared/wiring/runtime';
import { deleteShopEverything, redactionDeps } from '../../shared/wiring/webhook-runtime';
import { runScheduledRedactions } from '../../shared/app/redaction-service';

/**
 * EventBridge Scheduler input: `{ "job": "redactions", "asOf"?: ISO date-time }`. Deletes the
 * shops whose scheduled redaction is due as of `asOf` (default: now, never later).
 */
const scheduledEvent = z.object({ job: z.string().optional(), asOf: z.iso.datetime({ offset: true }).optional() });

export const handler = async (input: unknown) => {
  const rt = runtime();
  const event = scheduledEvent.parse(input ?? {});
  const { asOf, done } = await runScheduledRedactions(
    { ...redactionDeps(rt), deleteEverything: deleteShopEverything(rt) },
    event.asOf,
  );
  for (const r of done) rt.logger.info('shop redacted', { shopId: r.shopId, redactionId: r.id, items: r.erased });
  return { asOf: asOf.toISOString(), shopsDeleted: done.length };
};

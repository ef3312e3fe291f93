import * as z from 'zod';
import { runtime } from '../../shared/wiring/runtime';
import { deleteShopEverything, redactionDeps } from '../../shared/wiring/webhook-runtime';
import { runDueRedactions } from '../../shared/app/redaction-service';

/**
 * EventBridge Scheduler input: `{ "job": "redactions", "asOf"?: ISO date-time }`. Deletes the
 * shops whose scheduled redaction is due as of `asOf` (default: now, never later).
 */
const scheduledEvent = z.object({ job: z.string().optional(), asOf: z.iso.datetime({ offset: true }).optional() });

export const handler = async (input: unknown) => {
  const rt = runtime();
  const event = scheduledEvent.parse(input ?? {});
  const now = rt.clock.now();
  // A date in the future would delete early: "as of" never looks past now.
  const asOf = event.asOf && Date.parse(event.asOf) < now.getTime() ? new Date(event.asOf) : now;
  const done = await runDueRedactions({ ...redactionDeps(rt), deleteEverything: deleteShopEverything(rt) }, asOf);
  for (const r of done) rt.logger.info('shop redacted', { shopId: r.shopId, redactionId: r.id, items: r.erased });
  return { asOf: asOf.toISOString(), shopsDeleted: done.length };
};

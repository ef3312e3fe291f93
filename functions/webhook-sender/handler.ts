import { webhookSenderDeps } from '../../shared/wiring/endpoints-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { drainWebhooks } from '../../shared/app/webhook-sender-service';

/** Stop claiming this long before the Lambda's own timeout, so no POST is cut off midway. */
const safetyMs = 15_000;

/**
 * The `webhook-sweep` schedule: tries deliveries whose retry is due, events the stream missed and
 * claims a stopped sender left. New events are handed over by the table stream to the outbox
 * sender (functions/outbox-sender), which fans them out and tries them at once: one stream
 * reader for e-mails and webhooks. Every delivery is claimed before it is sent.
 */
export const handler = async (
  _event: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<Record<string, unknown>> => {
  const rt = runtime();
  const deps = webhookSenderDeps(rt);
  const remaining = context?.getRemainingTimeInMillis?.() ?? 60_000;
  const deadlineMs = rt.clock.now().getTime() + Math.max(1_000, remaining - safetyMs);
  const summary = await drainWebhooks(deps, rt.shops.listShopIds(), { deadlineMs });
  if (Object.values(summary).some((n) => n > 0)) rt.logger.info('webhook sweep', summary);
  return summary;
};

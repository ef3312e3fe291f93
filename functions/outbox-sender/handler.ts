import type { DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import { senderDeps, senderStreamRefs } from '../../shared/wiring/outbox-runtime';
import { webhookSenderDeps } from '../../shared/wiring/endpoints-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { deliverAll, drainOutbox } from '../../shared/app/outbox-sender-service';
import { sendEvents } from '../../shared/app/webhook-sender-service';

/** Stop claiming this long before the Lambda's own timeout, so no send is cut off midway. */
const safetyMs = 15_000;

const isStream = (e: unknown): e is DynamoDBStreamEvent => Array.isArray((e as { Records?: unknown })?.Records);

/**
 * Drains the e-mail outbox, and sends new outgoing webhook events. Two triggers: the table
 * stream hands over new outbox items and new webhook events at once (filtered to them in CDK:
 * one stream reader for both, since AWS advises at most two per shard and the customer
 * summaries are the other); the `outbox-sweep` schedule sends e-mail retries whose backoff is
 * due and items a stopped sender left (webhook retries are the `webhook-sweep`'s, in
 * functions/webhook-sender). Every item and delivery is claimed before it is sent, so the
 * stream and a sweep may both see it and it still goes out once.
 */
export const handler = async (
  event: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<DynamoDBBatchResponse | Record<string, unknown>> => {
  const rt = runtime();
  const deps = await senderDeps(rt);
  const remaining = context?.getRemainingTimeInMillis?.() ?? 60_000;
  const deadlineMs = rt.clock.now().getTime() + Math.max(1_000, remaining - safetyMs);

  if (isStream(event)) {
    const refs = senderStreamRefs(event.Records);
    const emails = refs.filter((r) => r.kind === 'outbox');
    const webhooks = refs.filter((r) => r.kind === 'webhook');
    // Side by side, so slow receivers do not hold back the e-mails (nor SES the webhooks).
    const [emailFailures] = await Promise.all([
      (async () => {
        if (!emails.length) return [];
        try {
          const summary = await deliverAll(deps, emails, { deadlineMs });
          rt.logger.info('outbox stream batch', { records: emails.length, ...summary });
          return [];
        } catch (e) {
          // The store itself failed (not SES: send failures are settled as retries). Hand the
          // e-mails back; items already settled are skipped on the retry (no longer pending).
          rt.logger.error('outbox stream batch failed', { error: e });
          return emails;
        }
      })(),
      (async () => {
        if (!webhooks.length) return;
        try {
          const summary = await sendEvents(webhookSenderDeps(rt), webhooks, { deadlineMs });
          rt.logger.info('webhook stream batch', { records: webhooks.length, ...summary });
        } catch (e) {
          // Never handed back: the events stay on the shop's queue and the webhook sweep sends them.
          rt.logger.error('webhook stream batch failed', { error: e });
        }
      })(),
    ]);
    return { batchItemFailures: emailFailures.filter((r) => r.sequence).map((r) => ({ itemIdentifier: r.sequence! })) };
  }

  const summary = await drainOutbox(deps, rt.shops.listShopIds(), { deadlineMs });
  if (Object.values(summary).some((n) => n > 0)) rt.logger.info('outbox sweep', summary);
  return summary;
};

import type { DynamoDBBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { webhookSenderDeps } from '../../shared/wiring/endpoints-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { drainWebhooks, sendEvents } from '../../shared/app/webhook-sender-service';

/** Stop claiming this long before the Lambda's own timeout, so no POST is cut off midway. */
const safetyMs = 15_000;

const streamRecord = z
  .object({
    dynamodb: z
      .object({
        SequenceNumber: z.string().optional(),
        NewImage: z
          .object({ shopId: z.object({ S: z.string() }), eventId: z.object({ S: z.string() }) })
          .loose()
          .optional(),
      })
      .loose(),
  })
  .loose();

const isStream = (e: unknown): e is { Records: unknown[] } => Array.isArray((e as { Records?: unknown })?.Records);

/**
 * Sends outgoing webhooks. Two triggers, one job, as the e-mail outbox has: the table stream
 * hands over new events at once (filtered to them in CDK), which are fanned out to their
 * endpoints and tried; the `webhook-sweep` schedule tries deliveries whose retry is due, events
 * the stream missed and claims a stopped sender left. Every delivery is claimed before it is sent.
 */
export const handler = async (
  event: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<DynamoDBBatchResponse | Record<string, unknown>> => {
  const rt = runtime();
  const deps = webhookSenderDeps(rt);
  const remaining = context?.getRemainingTimeInMillis?.() ?? 60_000;
  const deadlineMs = rt.clock.now().getTime() + Math.max(1_000, remaining - safetyMs);

  if (isStream(event)) {
    const refs = event.Records.flatMap((r) => {
      const parsed = streamRecord.safeParse(r);
      const img = parsed.success ? parsed.data.dynamodb.NewImage : undefined;
      return img
        ? [{ shopId: img.shopId.S, eventId: img.eventId.S, sequence: parsed.data!.dynamodb.SequenceNumber }]
        : [];
    });
    const summary = await sendEvents(deps, refs, { deadlineMs });
    rt.logger.info('webhook stream batch', { records: event.Records.length, ...summary });
    // Failures are settled as retries and anything unsettled stays on the queue for the sweep,
    // so the batch itself never needs to be handed back.
    return { batchItemFailures: [] };
  }

  const summary = await drainWebhooks(deps, rt.shops.listShopIds(), { deadlineMs });
  if (Object.values(summary).some((n) => n > 0)) rt.logger.info('webhook sweep', summary);
  return summary;
};

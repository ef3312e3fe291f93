import type { DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { senderDeps } from '../../shared/wiring/outbox-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { deliverAll, drainOutbox } from '../../shared/app/outbox-sender-service';

/** Stop claiming this long before the Lambda's own timeout, so no send is cut off midway. */
const safetyMs = 15_000;

const streamRecord = z
  .object({
    dynamodb: z
      .object({
        /** What a partial batch failure names (Lambda's `itemIdentifier` for DynamoDB streams). */
        SequenceNumber: z.string().optional(),
        NewImage: z
          .object({ shopId: z.object({ S: z.string() }), outboxId: z.object({ S: z.string() }) })
          .loose()
          .optional(),
      })
      .loose(),
  })
  .loose();

const isStream = (e: unknown): e is DynamoDBStreamEvent => Array.isArray((e as { Records?: unknown })?.Records);

/**
 * Drains the e-mail outbox. Two triggers, one job: the table stream hands over new outbox
 * items at once (filtered to them in CDK); the `outbox-sweep` schedule sends retries whose
 * backoff is due and items a stopped sender left. Either way every item is claimed before it
 * is sent, so both may see the same item and it still goes out once.
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
    const refs = event.Records.flatMap((r) => {
      const parsed = streamRecord.safeParse(r);
      const img = parsed.success ? parsed.data.dynamodb.NewImage : undefined;
      return img
        ? [{ shopId: img.shopId.S, outboxId: img.outboxId.S, sequence: parsed.data!.dynamodb.SequenceNumber }]
        : [];
    });
    try {
      const summary = await deliverAll(deps, refs, { deadlineMs });
      rt.logger.info('outbox stream batch', { records: event.Records.length, ...summary });
      return { batchItemFailures: [] };
    } catch (e) {
      // The store itself failed (not SES: send failures are settled as retries). Hand the batch
      // back; items already settled are skipped on the retry because they are no longer pending.
      rt.logger.error('outbox stream batch failed', { error: e });
      return { batchItemFailures: refs.filter((r) => r.sequence).map((r) => ({ itemIdentifier: r.sequence! })) };
    }
  }

  const summary = await drainOutbox(deps, rt.shops.listShopIds(), { deadlineMs });
  if (Object.values(summary).some((n) => n > 0)) rt.logger.info('outbox sweep', summary);
  return summary;
};

import type { SNSEvent } from 'aws-lambda';
import { outboxStore } from '../../shared/wiring/outbox-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { handleSesEvent } from '../../shared/app/ses-event-service';
import { validationDetails } from '../../shared/http/request';
import { sesEventSchema } from '../../shared/schemas/ses-events';

/**
 * SES bounce, complaint and send events, from the configuration set's SNS topic. A message we
 * cannot read is logged and dropped (SNS would redeliver it unchanged); a failure to record
 * one throws, so Lambda retries it and then dead-letters it.
 */
export const handler = async (event: SNSEvent) => {
  const rt = runtime();
  const deps = { outbox: outboxStore(rt), ledger: rt.ledger, clock: rt.clock, logger: rt.logger };
  const outcomes: string[] = [];
  for (const record of event.Records ?? []) {
    let body: unknown;
    try {
      body = JSON.parse(record.Sns.Message);
    } catch {
      rt.logger.warn('SES event is not JSON; dropped', { messageId: record.Sns.MessageId });
      continue;
    }
    const parsed = sesEventSchema.safeParse(body);
    if (!parsed.success) {
      rt.logger.warn('SES event not understood; dropped', {
        messageId: record.Sns.MessageId,
        issues: validationDetails(parsed.error),
      });
      continue;
    }
    outcomes.push(await handleSesEvent(deps, parsed.data));
  }
  return { outcomes };
};

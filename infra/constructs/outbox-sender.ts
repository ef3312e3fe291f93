import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { outgoingEventItemType } from '../../shared/adapters/outgoing-items';
import { DeadLetterQueue } from './dead-letter-queue';
import { alarmPeriod, type OperatorAlarms } from './operator-alarms';

/** `itemType` of an outbox e-mail item (shared/adapters/keys.ts); only these invoke the sender. */
export const outboxItemType = 'outbox';

/** SES's default sending rate once out of the sandbox; the account's real quota may differ. */
export const defaultSesMaxPerSecond = 14;

/** How far behind the stream the sender may fall before someone should look. */
export const outboxIteratorAgeLimit = Duration.minutes(5);

export interface OutboxSenderProps {
  /** Function name from infra/routes.ts, for alarm descriptions. */
  name: string;
  /** The function that sends outbox items (needs `outboxSender: true`). */
  fn: lambda.Function;
  /** The single table; its stream carries new outbox items. */
  table: dynamodb.ITable;
  alarms: OperatorAlarms;
  /** Account-wide SES sending rate the sender must stay under, as BOOMERANG_SES_MAX_PER_SECOND. */
  maxPerSecond: number;
}

/**
 * Feeds new outbox items from the table's stream to the sender, and gives it somewhere to put
 * items it has given up on.
 *
 * - The stream mapping is filtered to INSERTs of outbox items and of outgoing webhook events
 *   (fanned out and tried at once by the same function; their retries are the `webhook-sweep`
 *   schedule's, and a failed webhook event is never handed back: it stays on the shop's queue),
 *   so the sender is not invoked for the rest of the table's traffic. Batches are bisected on error and the function
 *   reports the items it failed, so one bad item does not hold back the others; a batch that
 *   still fails after its retries is recorded (shard and sequence numbers, not the items) in
 *   the stream's dead-letter queue. An item that failed there is not lost: it stays due in
 *   the outbox and the `outbox-sweep` schedule sends it.
 * - Items the sender gives up on (hard failures, exhausted attempts) go to the outbox
 *   dead-letter queue (BOOMERANG_OUTBOX_DLQ_URL); the function sends them there itself.
 * - One batch at a time per shard, so sends stay serial and under the SES rate.
 */
export class OutboxSender extends Construct {
  /** Outbox items the sender gave up on; it sends to this queue itself. */
  readonly outboxDeadLetters: DeadLetterQueue;
  /** Stream batches that failed all their retries (the mapping's on-failure destination). */
  readonly streamDeadLetters: DeadLetterQueue;
  readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, props: OutboxSenderProps) {
    super(scope, id);
    const { fn } = props;
    if (!Number.isInteger(props.maxPerSecond) || props.maxPerSecond < 1) {
      throw new Error(`SES max sends per second must be a whole number of at least 1, got ${props.maxPerSecond}`);
    }

    this.outboxDeadLetters = new DeadLetterQueue(this, 'OutboxDeadLetters', {
      alarms: props.alarms,
      source: `outbox e-mail (given up by "${props.name}")`,
    });
    this.streamDeadLetters = new DeadLetterQueue(this, 'StreamDeadLetters', {
      alarms: props.alarms,
      source: 'table stream batch of new outbox items (the sweep still sends them)',
    });

    this.eventSource = new DynamoEventSource(props.table, {
      // Items already in the table are the sweep's job; the stream only speeds up new ones.
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 25,
      maxBatchingWindow: Duration.seconds(2),
      parallelizationFactor: 1,
      bisectBatchOnError: true,
      retryAttempts: 5,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.streamDeadLetters.queue),
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('INSERT'),
          // Outgoing webhook events too: one stream reader for both (AWS advises at most two per
          // shard, and the customer summaries are the other); the handler dispatches by item type.
          dynamodb: { NewImage: { itemType: { S: lambda.FilterRule.or(outboxItemType, outgoingEventItemType) } } },
        }),
      ],
    });
    fn.addEventSource(this.eventSource);

    fn.addEnvironment('BOOMERANG_OUTBOX_DLQ_URL', this.outboxDeadLetters.queue.queueUrl);
    fn.addEnvironment('BOOMERANG_SES_MAX_PER_SECOND', String(props.maxPerSecond));
    this.outboxDeadLetters.queue.grantSendMessages(fn);

    props.alarms.add(this, 'IteratorAge', {
      metric: fn.metric('IteratorAge', { period: alarmPeriod, statistic: 'Maximum' }),
      threshold: outboxIteratorAgeLimit.toMilliseconds(),
      description: `New outbox e-mails wait more than ${outboxIteratorAgeLimit.toHumanString()} in the table stream before "${props.name}" sees them`,
    });
  }
}

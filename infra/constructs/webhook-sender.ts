import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { outgoingEventItemType } from '../../shared/adapters/outgoing-items';
import { DeadLetterQueue } from './dead-letter-queue';
import { alarmPeriod, type OperatorAlarms } from './operator-alarms';

/** How far behind the stream the sender may fall before someone should look. */
export const webhookIteratorAgeLimit = Duration.minutes(5);

export interface WebhookSenderProps {
  /** Function name from infra/routes.ts, for alarm descriptions. */
  name: string;
  /** The function that sends outgoing webhooks (needs `webhookSender: true`). */
  fn: lambda.Function;
  table: dynamodb.ITable;
  alarms: OperatorAlarms;
}

/**
 * Feeds new outgoing webhook events from the table's stream to the sender, as the e-mail
 * outbox's stream does (infra/constructs/outbox-sender.ts): filtered to INSERTs of event items,
 * bisected on error, a batch that still fails recorded in a dead-letter queue (the events stay
 * on the queue, and the `webhook-sweep` schedule sends them), an alarm on iterator age.
 *
 * Deliveries given up after 72 hours are not dead-lettered to an operator: they are the shop's
 * receiver's failures, listed `failed` in the shop's delivery log with a retry route.
 *
 * The function never gets BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK: in AWS deliveries go to public
 * https addresses only (test/infra asserts it).
 */
export class WebhookSender extends Construct {
  readonly streamDeadLetters: DeadLetterQueue;
  readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, props: WebhookSenderProps) {
    super(scope, id);
    this.streamDeadLetters = new DeadLetterQueue(this, 'StreamDeadLetters', {
      alarms: props.alarms,
      source: 'table stream batch of new outgoing webhook events (the sweep still sends them)',
    });
    this.eventSource = new DynamoEventSource(props.table, {
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(1),
      // Receivers are many and independent: shards in parallel, unlike SES's one account rate.
      parallelizationFactor: 2,
      bisectBatchOnError: true,
      retryAttempts: 5,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.streamDeadLetters.queue),
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { itemType: { S: lambda.FilterRule.isEqual(outgoingEventItemType) } } },
        }),
      ],
    });
    props.fn.addEventSource(this.eventSource);

    props.alarms.add(this, 'IteratorAge', {
      metric: props.fn.metric('IteratorAge', { period: alarmPeriod, statistic: 'Maximum' }),
      threshold: webhookIteratorAgeLimit.toMilliseconds(),
      description: `New outgoing webhook events wait more than ${webhookIteratorAgeLimit.toHumanString()} in the table stream before "${props.name}" sees them`,
    });
  }
}

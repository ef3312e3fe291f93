import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { summarySourceTypes } from '../../shared/adapters/shop-scan';
import { DeadLetterQueue } from './dead-letter-queue';
import { alarmPeriod, type OperatorAlarms } from './operator-alarms';

/** How far behind the stream the summaries may fall before someone should look (the nightly reads them). */
export const summaryIteratorAgeLimit = Duration.minutes(15);

export interface CustomerSummaryStreamProps {
  /** Function name from infra/routes.ts, for alarm descriptions. */
  name: string;
  /** The function that keeps the summaries (needs `summaryStream: true`). */
  fn: lambda.Function;
  table: dynamodb.ITable;
  alarms: OperatorAlarms;
}

/**
 * Feeds every change of a customer, order or NPS item from the table's stream to the function
 * that keeps the customers' purchase summaries, which the nightly run reads instead of scanning
 * the table (docs/nightly.md, "Cost and limits").
 *
 * - Filtered on the item type of the new image (inserts, updates) or of the old one (removals),
 *   so the rest of the table's traffic invokes nothing.
 * - From TRIM_HORIZON: records written before the mapping existed are applied too (a shop whose
 *   data is older still gets its one backfill scan, see the summary marker in keys.ts).
 * - Records of an item must be applied in order: one batch at a time per shard; a failed batch
 *   is bisected and retried, and one that still fails is recorded (shard and sequence numbers)
 *   in the dead-letter queue, with an alarm. Such a customer's summary may then be stale until
 *   the item changes again.
 */
export class CustomerSummaryStream extends Construct {
  readonly streamDeadLetters: DeadLetterQueue;
  readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, props: CustomerSummaryStreamProps) {
    super(scope, id);
    this.streamDeadLetters = new DeadLetterQueue(this, 'StreamDeadLetters', {
      alarms: props.alarms,
      source: `table stream batch of customer, order or NPS changes (customer summaries, "${props.name}")`,
    });
    const itemType = { S: lambda.FilterRule.or(...summarySourceTypes) };
    this.eventSource = new DynamoEventSource(props.table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      parallelizationFactor: 1,
      bisectBatchOnError: true,
      retryAttempts: 10,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.streamDeadLetters.queue),
      filters: [
        lambda.FilterCriteria.filter({ dynamodb: { NewImage: { itemType } } }),
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('REMOVE'),
          dynamodb: { OldImage: { itemType } },
        }),
      ],
    });
    props.fn.addEventSource(this.eventSource);

    props.alarms.add(this, 'IteratorAge', {
      metric: props.fn.metric('IteratorAge', { period: alarmPeriod, statistic: 'Maximum' }),
      threshold: summaryIteratorAgeLimit.toMilliseconds(),
      description: `Customer, order and NPS changes wait more than ${summaryIteratorAgeLimit.toHumanString()} in the table stream before "${props.name}" applies them to the customer summaries`,
    });
  }
}

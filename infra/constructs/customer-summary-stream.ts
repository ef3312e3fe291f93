import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { dailyStatsSourceTypes } from '../../shared/adapters/daily-stats-store';
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

/** The item types the stream's read models are kept from: the summaries' and the daily statistics'. */
export const readModelSourceTypes = [...new Set<string>([...summarySourceTypes, ...dailyStatsSourceTypes])];

/**
 * Feeds every change of a customer, order or NPS item from the table's stream to the function
 * that keeps the customers' purchase summaries, which the nightly run reads instead of scanning
 * the table (docs/nightly.md, "Cost and limits"), and every change of an order, ledger entry,
 * referral, outbox e-mail or referral click counter to the shops' daily statistics, kept by the
 * same function (docs/console.md, "Statistics"): one reader of the stream for both, as AWS
 * advises at most two per shard and the outbox sender is the other.
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
      source: `table stream batch of customer, order, NPS, entry, referral, outbox or click changes (customer summaries and daily stats, "${props.name}")`,
    });
    const itemType = { S: lambda.FilterRule.or(...readModelSourceTypes) };
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
      description: `Table changes wait more than ${summaryIteratorAgeLimit.toHumanString()} in the table stream before "${props.name}" applies them to the customer summaries and daily stats`,
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmPeriod, type OperatorAlarms } from './operator-alarms';

export interface DeadLetterQueueProps {
  alarms: OperatorAlarms;
  /** What failed, for the alarm description, e.g. `schedule "daily-ledger"`. */
  source: string;
}

/**
 * A queue for work that exhausted its retries, with an alarm as soon as anything lands in
 * it: a message here is a job or event nobody has processed.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      // The maximum, so operators have two weeks to inspect and redrive.
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    props.alarms.add(this, 'NotEmpty', {
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: alarmPeriod, statistic: 'Maximum' }),
      threshold: 1,
      description: `Failed ${props.source} is waiting in ${this.node.path}`,
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmOptions {
  metric: cloudwatch.IMetric;
  description: string;
  /** Fires when the metric is at or above this value in one period. */
  threshold: number;
}

/**
 * The one place alarms are created, so every alarm notifies the same topic (operators
 * subscribe to it) and none is added without an action.
 */
export class OperatorAlarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Boomerang alarms', enforceSSL: true });
    this.action = new SnsAction(this.topic);
  }

  /** Creates the alarm under `owner`, so it sits next to the resource it watches. */
  add(owner: Construct, id: string, options: AlarmOptions): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(owner, id, {
      metric: options.metric,
      alarmDescription: options.description,
      threshold: options.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no traffic, not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

/** Period every Boomerang alarm evaluates over. */
export const alarmPeriod = Duration.minutes(5);

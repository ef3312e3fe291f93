import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { ScheduleDefinition } from '../schedules';
import { DeadLetterQueue } from './dead-letter-queue';
import type { OperatorAlarms } from './operator-alarms';

export interface ScheduledJobProps {
  definition: ScheduleDefinition;
  handler: lambda.IFunction;
  alarms: OperatorAlarms;
}

/**
 * One entry of infra/schedules.ts: an EventBridge Scheduler schedule invoking the function
 * with `{ "job": name }`. Jobs are idempotent per "as of" date, so retries are safe; a run
 * that still fails lands in the dead-letter queue and raises an alarm.
 */
export class ScheduledJob extends Construct {
  readonly schedule: Schedule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { definition } = props;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      alarms: props.alarms,
      source: `schedule "${definition.name}"`,
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: definition.description,
      schedule: ScheduleExpression.expression(definition.expression, TimeZone.of(definition.timezone)),
      target: new LambdaInvoke(props.handler, {
        input: ScheduleTargetInput.fromObject({ job: definition.name }),
        retryAttempts: 3,
        // The input carries no `asOf`, so the handler uses today's date: retries must stay
        // close to the scheduled time rather than drift into the next day.
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetters.queue,
      }),
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import type { OperatorAlarms } from './operator-alarms';

/** What SES publishes: sends and deliveries update the outbox; bounces, complaints and rejects suppress. */
export const sesEventTypes = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
] as const;

export interface SesEventsProps {
  /** The stack's configuration set; every Boomerang e-mail is sent with it. */
  configurationSet: ses.IConfigurationSet;
  alarms: OperatorAlarms;
}

/** Where one subscribed function's undelivered and unprocessed events end up. */
export interface SesEventsSubscriber {
  subscription: LambdaSubscription;
  /** SNS could not deliver the event to the function (throttled, deleted, no permission). */
  deliveryDeadLetters: DeadLetterQueue;
  /** The function received the event but threw on every attempt. */
  invokeDeadLetters: DeadLetterQueue;
}

/**
 * SES sending events for the configuration set, published to an SNS topic and delivered to the
 * functions that record them. A lost bounce or complaint means mailing that address again, so
 * neither delivery nor processing may drop an event silently: SNS puts what it could not
 * deliver in one queue, Lambda puts what the function failed on (after its own two retries)
 * in another, and both alarm.
 */
export class SesEvents extends Construct {
  readonly topic: sns.Topic;
  readonly eventDestination: ses.ConfigurationSetEventDestination;
  /** By function name (infra/routes.ts), as passed to `subscribe`. */
  readonly subscribers: Record<string, SesEventsSubscriber> = {};
  private readonly alarms: OperatorAlarms;

  constructor(scope: Construct, id: string, props: SesEventsProps) {
    super(scope, id);
    this.alarms = props.alarms;
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Boomerang SES events', enforceSSL: true });
    // Also lets ses.amazonaws.com publish to the topic, for this account's configuration set only.
    this.eventDestination = new ses.ConfigurationSetEventDestination(this, 'Destination', {
      configurationSet: props.configurationSet,
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [...sesEventTypes],
    });
  }

  /** Delivers every event to `fn`; `name` is its infra/routes.ts name. */
  subscribe(name: string, fn: lambda.Function): SesEventsSubscriber {
    const id = name
      .split(/[^a-zA-Z0-9]+/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    const deliveryDeadLetters = new DeadLetterQueue(this, `${id}DeliveryDeadLetters`, {
      alarms: this.alarms,
      source: `SES event delivery from SNS to "${name}"`,
    });
    const invokeDeadLetters = new DeadLetterQueue(this, `${id}InvokeDeadLetters`, {
      alarms: this.alarms,
      source: `SES event processing in "${name}"`,
    });
    const subscription = new LambdaSubscription(fn, { deadLetterQueue: deliveryDeadLetters.queue });
    this.topic.addSubscription(subscription);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      // Events take seconds; one still waiting after hours (a long throttle) goes to the queue for a look.
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(invokeDeadLetters.queue),
    });
    const subscriber = { subscription, deliveryDeadLetters, invokeDeadLetters };
    this.subscribers[name] = subscriber;
    return subscriber;
  }
}

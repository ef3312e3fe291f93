import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNeeds, type FunctionNeeds } from '../../infra/functions';
import { functionNames, type FunctionName } from '../../infra/routes';
import { schedules } from '../../infra/schedules';
import { BoomerangStack, type BoomerangStackProps } from '../../infra/stack';
import { actionsOf, findCycle, logicalId, statementsOf, synthStack, type Resource } from './template';

type Synth = ReturnType<typeof synthStack>;

const fnId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn);
const roleId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn.role!);
const envOf = (s: Synth, name: FunctionName) =>
  (s.resources[fnId(s, name)]!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
const idOf = (s: Synth, construct: IConstruct) => logicalId(s.stack, construct);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const ofType = (s: Synth, type: string): [string, Resource][] =>
  Object.entries(s.resources).filter(([, r]) => r.Type === type);

const withNeeds = (change: Partial<Record<FunctionName, Partial<FunctionNeeds>>>) =>
  Object.fromEntries(functionNames.map((n) => [n, { ...functionNeeds[n], ...change[n] }])) as Record<
    FunctionName,
    FunctionNeeds
  >;

/** Like synthStack, with extra app context (e.g. what `cdk -c key=value` passes, always strings). */
const synthWithContext = (context: Record<string, unknown>, props?: BoomerangStackProps) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new BoomerangStack(app, 'Boomerang', props);
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource> };
};

const outboxSenders = functionNames.filter((n) => functionNeeds[n].outboxSender);
/** The stream mappings of the outbox senders (the customer summaries have their own). */
const senderMappings = (s: Synth) =>
  ofType(s, 'AWS::Lambda::EventSourceMapping').filter(([, r]) =>
    outboxSenders.some((n) => (r.Properties?.FunctionName as { Ref?: string })?.Ref === fnId(s, n)),
  );
const sesEventHandlers = functionNames.filter((n) => functionNeeds[n].sesEvents);

/** The SQS queues a function's role may send to, as logical ids. */
const queuesSentToBy = (s: Synth, name: FunctionName): string[] =>
  statementsOf(s.resources, roleId(s, name))
    .filter((st) => actionsOf([st]).includes('sqs:SendMessage'))
    .flatMap((st) => [st.Resource].flat() as { 'Fn::GetAtt': [string, string] }[])
    .map((r) => r['Fn::GetAtt'][0])
    .sort();

/** The alarm on "messages visible ≥ 1" in a queue, notifying the alarms topic. */
const expectQueueAlarm = (s: Synth, queueId: string) => {
  const topic = { Ref: idOf(s, s.stack.alarms.topic) };
  s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topic],
    OKActions: [topic],
  });
};

/** A dead-letter queue keeps messages 14 days, is encrypted, and refuses requests without TLS. */
const expectDeadLetterQueue = (s: Synth, queueId: string) => {
  expect(s.resources[queueId]).toMatchObject({
    Type: 'AWS::SQS::Queue',
    Properties: { MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true },
  });
  s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: arnOf(queueId),
        }),
      ]),
    },
  });
  expectQueueAlarm(s, queueId);
};

describe('lifecycle e-mail infrastructure', () => {
  let s: Synth;
  beforeAll(() => {
    s = synthStack();
  });

  describe('needs', () => {
    it('has outbox-sender drain the outbox and ses-events take SES events', () => {
      expect(outboxSenders).toEqual(['outbox-sender']);
      expect(sesEventHandlers).toEqual(['ses-events']);
    });

    it.each(functionNames)('%s: has the configuration set exactly when it sends e-mail', (name) => {
      const configSet = { Ref: idOf(s, s.stack.emailConfigurationSet) };
      expect(envOf(s, name).BOOMERANG_SES_CONFIGURATION_SET).toEqual(functionNeeds[name].ses ? configSet : undefined);
      expect(actionsOf(statementsOf(s.resources, roleId(s, name))).includes('ses:SendEmail')).toBe(
        functionNeeds[name].ses,
      );
    });

    it("sends from outbox-sender and emails (test sends to the shop's own addresses), not from ses-events", () => {
      const configSet = { Ref: idOf(s, s.stack.emailConfigurationSet) };
      expect(envOf(s, 'outbox-sender').BOOMERANG_SES_CONFIGURATION_SET).toEqual(configSet);
      expect(envOf(s, 'emails').BOOMERANG_SES_CONFIGURATION_SET).toEqual(configSet);
      expect(envOf(s, 'ses-events')).not.toHaveProperty('BOOMERANG_SES_CONFIGURATION_SET');
    });
  });

  describe('outbox sender', () => {
    let streamDlq: string;
    let outboxDlq: string;
    beforeAll(() => {
      const sender = s.stack.outboxSenders['outbox-sender']!;
      streamDlq = idOf(s, sender.streamDeadLetters.queue);
      outboxDlq = idOf(s, sender.outboxDeadLetters.queue);
    });

    it('reads new outbox items from the table stream, one filtered mapping per sender', () => {
      const mappings = senderMappings(s);
      expect(mappings).toHaveLength(outboxSenders.length);
      s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnId(s, 'outbox-sender') },
        EventSourceArn: { 'Fn::GetAtt': [idOf(s, s.stack.table), 'StreamArn'] },
        StartingPosition: 'LATEST',
        BatchSize: 25,
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: arnOf(streamDlq) } },
      });
      const props = mappings[0]![1].Properties!;
      expect(props.MaximumBatchingWindowInSeconds).toBeGreaterThan(0);
      expect(props.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(5);
    });

    it('is invoked only for INSERTs of outbox items and outgoing webhook events (one stream reader for both)', () => {
      const [, mapping] = senderMappings(s)[0]!;
      const filters = (mapping.Properties!.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(filters).toHaveLength(1);
      expect(JSON.parse(filters[0]!.Pattern)).toEqual({
        eventName: ['INSERT'],
        dynamodb: { NewImage: { itemType: { S: ['outbox', 'webhook_event'] } } },
      });
    });

    it('may read the stream and send failed batches to the stream dead-letter queue', () => {
      const statements = statementsOf(s.resources, roleId(s, 'outbox-sender'));
      const streamArn = { 'Fn::GetAtt': [idOf(s, s.stack.table), 'StreamArn'] };
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining([
            'dynamodb:DescribeStream',
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
          ]),
          Resource: streamArn,
        }),
      );
      expect(queuesSentToBy(s, 'outbox-sender')).toContain(streamDlq);
      expectDeadLetterQueue(s, streamDlq);
    });

    it('gets its own dead-letter queue for items it gave up on, and may send to it', () => {
      expect(envOf(s, 'outbox-sender').BOOMERANG_OUTBOX_DLQ_URL).toEqual({ Ref: outboxDlq });
      expect(statementsOf(s.resources, roleId(s, 'outbox-sender'))).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: expect.arrayContaining(['sqs:SendMessage']),
          Resource: arnOf(outboxDlq),
        }),
      );
      expect(queuesSentToBy(s, 'outbox-sender')).toEqual([outboxDlq, streamDlq].sort());
      expectDeadLetterQueue(s, outboxDlq);
    });

    it("respects SES's default 14 sends per second", () => {
      expect(envOf(s, 'outbox-sender').BOOMERANG_SES_MAX_PER_SECOND).toBe('14');
    });

    it('alarms when new items wait in the stream for 5 minutes', () => {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(s, 'outbox-sender') } }],
        Statistic: 'Maximum',
        Threshold: 5 * 60 * 1000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: idOf(s, s.stack.alarms.topic) }],
      });
    });

    it('is swept every minute by the outbox-sweep schedule', () => {
      const sweep = schedules.find((d) => d.name === 'outbox-sweep');
      expect(sweep).toMatchObject({ fn: 'outbox-sender', expression: 'rate(1 minute)' });
      s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 minute)',
        Target: { Arn: arnOf(fnId(s, 'outbox-sender')), Input: JSON.stringify({ job: 'outbox-sweep' }) },
      });
    });

    it.each(functionNames)('%s: outbox env, stream access and queues only if its needs say so', (name) => {
      const { outboxSender, sesEvents, summaryStream, webhookSender } = functionNeeds[name];
      const env = envOf(s, name);
      expect('BOOMERANG_OUTBOX_DLQ_URL' in env).toBe(Boolean(outboxSender));
      expect('BOOMERANG_SES_MAX_PER_SECOND' in env).toBe(Boolean(outboxSender));
      const actions = actionsOf(statementsOf(s.resources, roleId(s, name)));
      // The webhook sender only sweeps: new webhook events reach the outbox sender's stream mapping.
      expect(actions.includes('dynamodb:DescribeStream'), 'stream').toBe(Boolean(outboxSender || summaryStream));
      if (!outboxSender && !sesEvents && !summaryStream && !webhookSender) expect(queuesSentToBy(s, name)).toEqual([]);
    });
  });

  describe('SES events', () => {
    let topic: string;
    beforeAll(() => {
      topic = idOf(s, s.stack.sesEvents!.topic);
    });

    it('publishes send, delivery, bounce, complaint and reject of the configuration set to the topic', () => {
      s.template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
      s.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: idOf(s, s.stack.emailConfigurationSet) },
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint', 'reject'],
          SnsDestination: { TopicARN: { Ref: topic } },
        },
      });
    });

    it('lets only SES for this configuration set publish, and only over TLS', () => {
      s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'ses.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                  'AWS:SourceArn': {
                    'Fn::Join': [
                      '',
                      Match.arrayWith([':configuration-set/', { Ref: idOf(s, s.stack.emailConfigurationSet) }]),
                    ],
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    it('delivers every event to ses-events, with a dead-letter queue for what SNS cannot deliver', () => {
      const subscriber = s.stack.sesEvents!.subscribers['ses-events']!;
      const deliveryDlq = idOf(s, subscriber.deliveryDeadLetters.queue);
      s.template.resourceCountIs('AWS::SNS::Subscription', sesEventHandlers.length);
      s.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: topic },
        Endpoint: arnOf(fnId(s, 'ses-events')),
        RedrivePolicy: { deadLetterTargetArn: arnOf(deliveryDlq) },
      });
      // SNS may invoke the function, from this topic only, and put what failed in the queue.
      s.template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: arnOf(fnId(s, 'ses-events')),
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: topic },
      });
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: deliveryDlq }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Principal: { Service: 'sns.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topic } } },
            }),
          ]),
        },
      });
      expectDeadLetterQueue(s, deliveryDlq);
    });

    it('keeps events the function failed on in another dead-letter queue', () => {
      const invokeDlq = idOf(s, s.stack.sesEvents!.subscribers['ses-events']!.invokeDeadLetters.queue);
      s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(s, 'ses-events') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: arnOf(invokeDlq) } },
      });
      expect(queuesSentToBy(s, 'ses-events')).toEqual([invokeDlq]);
      expectDeadLetterQueue(s, invokeDlq);
    });

    it('outputs the topic ARN', () => {
      s.template.hasOutput('SesEventsTopicArn', { Value: { Ref: topic } });
    });
  });

  it('has no resource dependency cycle', () => {
    expect(findCycle(s.resources)).toBeUndefined();
  });
});

describe('lifecycle e-mail infrastructure with other needs and settings', () => {
  it('takes the SES rate from context (a string from `cdk -c`), and a stack prop over it', () => {
    const fromContext = synthWithContext({ 'boomerang:sesMaxPerSecond': '50' });
    expect(envOf(fromContext, 'outbox-sender').BOOMERANG_SES_MAX_PER_SECOND).toBe('50');
    const fromProp = synthWithContext({ 'boomerang:sesMaxPerSecond': '50' }, { sesMaxPerSecond: 1 });
    expect(envOf(fromProp, 'outbox-sender').BOOMERANG_SES_MAX_PER_SECOND).toBe('1');
  });

  it.each(['0', '-3', '2.5', 'fast'])('refuses an SES rate of %j', (value) => {
    expect(() => synthWithContext({ 'boomerang:sesMaxPerSecond': value })).toThrow(/sesMaxPerSecond/);
  });

  it('creates no stream mapping, SES topic or event destination when no function needs them', () => {
    const s = synthStack({
      functionNeeds: withNeeds({
        'outbox-sender': { outboxSender: false },
        'ses-events': { sesEvents: false },
        'customer-summaries': { summaryStream: false },
        'webhook-sender': { webhookSender: false },
      }),
    });
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    s.template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 0);
    s.template.resourceCountIs('AWS::SNS::Subscription', 0);
    s.template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(s.stack.sesEvents).toBeUndefined();
    expect(s.stack.outboxSenders).toEqual({});
    expect(Object.keys(s.template.toJSON().Outputs as object)).not.toContain('SesEventsTopicArn');
    expect(envOf(s, 'outbox-sender')).not.toHaveProperty('BOOMERANG_OUTBOX_DLQ_URL');
  });

  it('wires a function that has both flags, without a dependency cycle', () => {
    const s = synthStack({
      functionNeeds: withNeeds({ 'outbox-sender': { sesEvents: true }, 'ses-events': { sesEvents: false } }),
    });
    s.template.resourcePropertiesCountIs(
      'AWS::Lambda::EventSourceMapping',
      { FunctionName: { Ref: fnId(s, 'outbox-sender') } },
      1,
    );
    s.template.resourceCountIs('AWS::SNS::Subscription', 1);
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: arnOf(fnId(s, 'outbox-sender')) });
    const sender = s.stack.outboxSenders['outbox-sender']!;
    const subscriber = s.stack.sesEvents!.subscribers['outbox-sender']!;
    expect(queuesSentToBy(s, 'outbox-sender')).toEqual(
      [
        idOf(s, sender.outboxDeadLetters.queue),
        idOf(s, sender.streamDeadLetters.queue),
        idOf(s, subscriber.invokeDeadLetters.queue),
      ].sort(),
    );
    expect(findCycle(s.resources)).toBeUndefined();
  });
});

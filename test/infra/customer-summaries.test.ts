import { beforeAll, describe, expect, it } from 'vitest';
import { functionNeeds } from '../../infra/functions';
import { functionNames, type FunctionName } from '../../infra/routes';
import { actionsOf, logicalId, statementsOf, synthStack, type Resource } from './template';

type Synth = ReturnType<typeof synthStack>;

const fnId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn);
const roleId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn.role!);
const mappingsOf = (s: Synth, name: FunctionName): Resource[] =>
  Object.values(s.resources).filter(
    (r) =>
      r.Type === 'AWS::Lambda::EventSourceMapping' &&
      (r.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref === fnId(s, name),
  );

/** The customer summaries the nightly run reads (docs/nightly.md, "Cost and limits"). */
describe('customer summaries from the table stream', () => {
  let s: Synth;
  beforeAll(() => {
    s = synthStack();
  });

  it('is one function, customer-summaries, with no route and no schedule', () => {
    expect(functionNames.filter((n) => functionNeeds[n].summaryStream)).toEqual(['customer-summaries']);
    expect(Object.keys(s.stack.summaryStreams)).toEqual(['customer-summaries']);
  });

  it('reads every customer, order and NPS change from the stream, in order, from its start', () => {
    const mappings = mappingsOf(s, 'customer-summaries');
    expect(mappings).toHaveLength(1);
    const stream = s.stack.summaryStreams['customer-summaries']!;
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId(s, 'customer-summaries') },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(s.stack, stream.streamDeadLetters.queue), 'Arn'] } },
      },
    });
    const props = mappings[0]!.Properties!;
    expect(props.MaximumRetryAttempts).toBeGreaterThan(0);
    const filters = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    // The daily statistics read the same mapping (docs/console.md, "Statistics"): see stats.test.ts.
    const itemType = { S: ['customer', 'order', 'nps', 'entry', 'referral', 'outbox', 'referralStatsDay', 'segment'] };
    expect(filters).toEqual([
      { dynamodb: { NewImage: { itemType } } },
      { eventName: ['REMOVE'], dynamodb: { OldImage: { itemType } } },
    ]);
  });

  it('may read the stream and write the table, and alarms on a failed batch and on lag', () => {
    const statements = statementsOf(s.resources, roleId(s, 'customer-summaries'));
    expect(actionsOf(statements)).toEqual(
      expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:UpdateItem']),
    );
    const stream = s.stack.summaryStreams['customer-summaries']!;
    const queue = logicalId(s.stack, stream.streamDeadLetters.queue);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(s, 'customer-summaries') } }],
    });
  });

  it('leaves the order path alone: the table keeps its two KEYS_ONLY indexes', () => {
    const [table] = Object.values(s.resources).filter((r) => r.Type === 'AWS::DynamoDB::Table');
    const gsis = table!.Properties!.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[];
    expect(gsis.map((g) => g.IndexName)).toEqual(['gsi1', 'gsi2']);
    expect(gsis.every((g) => JSON.stringify(g.Projection) === JSON.stringify({ ProjectionType: 'KEYS_ONLY' }))).toBe(
      true,
    );
  });
});

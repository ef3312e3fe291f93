import { beforeAll, describe, expect, it } from 'vitest';
import { functionNeeds } from '../../infra/functions';
import { routes } from '../../infra/routes';
import { logicalId, synthStack, type Resource } from './template';

type Synth = ReturnType<typeof synthStack>;

/** The console's statistics (docs/console.md, "Statistics"). */
describe('statistics', () => {
  let s: Synth;
  beforeAll(() => {
    s = synthStack();
  });

  const fnId = (name: 'customer-summaries' | 'stats') => logicalId(s.stack, s.stack.functions[name].fn);
  const tableStream = () => ({ 'Fn::GetAtt': [logicalId(s.stack, s.stack.table), 'StreamArn'] });
  const streamMappings = () =>
    Object.values(s.resources).filter(
      (r: Resource) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' &&
        JSON.stringify(r.Properties?.EventSourceArn) === JSON.stringify(tableStream()),
    );

  it('keeps the daily counters off the order path, from the stream mapping the summaries already have', () => {
    // Still two readers of the table stream (AWS advises at most two per shard).
    expect(streamMappings()).toHaveLength(2);
    const mapping = streamMappings().find(
      (r) => (r.Properties?.FunctionName as { Ref?: string })?.Ref === fnId('customer-summaries'),
    )!.Properties!;
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(JSON.stringify(mapping.DestinationConfig)).toContain('Arn');
    const filters = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map(
      (f) => JSON.parse(f.Pattern) as { dynamodb: { NewImage?: { itemType: { S: string[] } } } },
    );
    expect(filters[0]!.dynamodb.NewImage!.itemType.S).toEqual(
      expect.arrayContaining([
        'order',
        'entry',
        'referral',
        'outbox',
        'referralStatsDay',
        'customer',
        'nps',
        'segment',
      ]),
    );
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('customer-summaries') } }],
    });
  });

  it('serves the statistics routes from the stats function, with no stream of its own', () => {
    const statsRoutes = routes.filter((r) => r.fn === 'stats').map((r) => `${r.method} ${r.path}`);
    expect(statsRoutes).toEqual([
      'GET /admin/shops/{shopId}/stats/daily',
      'GET /admin/shops/{shopId}/stats/overview',
      'GET /admin/shops/{shopId}/metrics',
    ]);
    for (const key of statsRoutes) s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key });
    expect(functionNeeds.stats.summaryStream).toBeFalsy();
    expect(streamMappings().some((r) => (r.Properties?.FunctionName as { Ref?: string })?.Ref === fnId('stats'))).toBe(
      false,
    );
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { functionNeeds } from '../../infra/functions';
import { functionNames, routes, type FunctionName } from '../../infra/routes';
import { schedules } from '../../infra/schedules';
import { logicalId, synthStack, type Resource } from './template';

type Synth = ReturnType<typeof synthStack>;

const fnId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn);
const envOf = (s: Synth, name: FunctionName) =>
  (s.resources[fnId(s, name)]!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;

describe('outgoing webhooks in the stack', () => {
  let s: Synth;
  beforeAll(() => {
    s = synthStack();
  });

  it('serves the endpoint routes from the endpoints function', () => {
    const paths = routes.filter((r) => r.fn === 'endpoints').map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'POST /admin/shops/{shopId}/endpoints',
        'GET /admin/shops/{shopId}/endpoints',
        'GET /admin/shops/{shopId}/endpoints/{endpointId}',
        'PATCH /admin/shops/{shopId}/endpoints/{endpointId}',
        'DELETE /admin/shops/{shopId}/endpoints/{endpointId}',
        'GET /admin/shops/{shopId}/endpoints/{endpointId}/deliveries',
        'POST /admin/shops/{shopId}/endpoints/{endpointId}/deliveries/{deliveryId}/retry',
      ]),
    );
    for (const p of paths) s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: p });
  });

  it('feeds new outgoing events from the table stream through the outbox sender: two stream readers in all', () => {
    const mappings = Object.values(s.resources).filter((r: Resource) => r.Type === 'AWS::Lambda::EventSourceMapping');
    const tableStream = { 'Fn::GetAtt': [logicalId(s.stack, s.stack.table), 'StreamArn'] };
    // AWS advises at most two readers per stream shard: the outbox sender and the customer summaries.
    expect(
      mappings.filter((r) => JSON.stringify(r.Properties?.EventSourceArn) === JSON.stringify(tableStream)),
    ).toHaveLength(2);
    const readers = mappings.map((r) => (r.Properties?.FunctionName as { Ref?: string })?.Ref).sort();
    expect(readers).toEqual([fnId(s, 'customer-summaries'), fnId(s, 'outbox-sender')].sort());
    const outbox = mappings.find(
      (r) => (r.Properties?.FunctionName as { Ref?: string })?.Ref === fnId(s, 'outbox-sender'),
    )!.Properties!;
    expect(outbox).toMatchObject({
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
    });
    const filter = JSON.stringify(outbox.FilterCriteria);
    expect(filter).toContain('INSERT');
    expect(filter).toContain('webhook_event');
    expect(filter).toContain('outbox');
    expect(JSON.stringify(outbox.DestinationConfig)).toContain('Arn');
  });

  it('sweeps due deliveries every minute', () => {
    expect(schedules.find((d) => d.name === 'webhook-sweep')).toMatchObject({
      fn: 'webhook-sender',
      expression: 'rate(1 minute)',
    });
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('never lets any function deliver to loopback targets in AWS', () => {
    for (const name of functionNames) expect(envOf(s, name)).not.toHaveProperty('BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK');
    expect(JSON.stringify(s.template.toJSON())).not.toContain('BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK');
  });

  it('gives the sender the table and nothing it does not need', () => {
    expect(functionNeeds['webhook-sender']).toMatchObject({
      table: 'readWrite',
      operatorKey: false,
      ses: false,
      exports: 'none',
      webhookSender: true,
    });
    expect(envOf(s, 'webhook-sender')).not.toHaveProperty('BOOMERANG_OPERATOR_KEY_SECRET_ARN');
    expect(functionNeeds.endpoints).toMatchObject({ table: 'readWrite', operatorKey: true, ses: false });
  });
});

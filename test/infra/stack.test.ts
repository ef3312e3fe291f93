import { Capture, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { fallbackFunction, functionNeeds, type FunctionNeeds } from '../../infra/functions';
import { functionNames, routes, type FunctionName } from '../../infra/routes';
import { schedules, type ScheduleDefinition } from '../../infra/schedules';
import { tableDefinition } from '../../infra/table';
import { actionsOf, findCycle, logicalId, statementsOf, synthStack, type Resource } from './template';

type Synth = ReturnType<typeof synthStack>;

/** The function a route's integration invokes, as a logical id. */
const integratedFunction = ({ resources }: Synth, routeKey: string): string => {
  const matches = Object.values(resources).filter(
    (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties!.RouteKey === routeKey,
  );
  expect(matches, `route ${routeKey}`).toHaveLength(1);
  const target = matches[0]!.Properties!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
  const integration = resources[target['Fn::Join'][1][1].Ref]!;
  expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  return (integration.Properties!.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
};

const fnId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn);
const roleId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn.role!);
const envOf = (s: Synth, name: FunctionName) =>
  (s.resources[fnId(s, name)]!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;

describe('BoomerangStack', () => {
  let s: Synth;
  beforeAll(() => {
    s = synthStack();
  });

  describe('table', () => {
    it('is built from tableDefinition', () => {
      const gsiKeys = tableDefinition.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]);
      s.template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [
            { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
            { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
          ],
          AttributeDefinitions: Match.arrayWith(
            [tableDefinition.partitionKey, tableDefinition.sortKey, ...gsiKeys].map((name) => ({
              AttributeName: name,
              AttributeType: 'S',
            })),
          ),
          GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((gsi) => ({
            IndexName: gsi.indexName,
            KeySchema: [
              { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: gsi.projection },
          })),
          TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
          StreamSpecification: { StreamViewType: tableDefinition.stream },
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
      });
      s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    });

    it('defines no attribute beyond the key attributes', () => {
      const table = Object.values(s.resources).find((r) => r.Type === 'AWS::DynamoDB::Table')!;
      const defined = (table.Properties!.AttributeDefinitions as { AttributeName: string }[]).map(
        (a) => a.AttributeName,
      );
      const keys = new Set([
        tableDefinition.partitionKey,
        tableDefinition.sortKey,
        ...tableDefinition.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
      ]);
      expect(defined.sort()).toEqual([...keys].sort());
    });
  });

  describe('functions', () => {
    it('creates exactly one function per functionNames entry', () => {
      s.template.resourceCountIs('AWS::Lambda::Function', functionNames.length);
    });

    it('runs every function on Node 22 arm64 with a timeout and its own log group', () => {
      s.template.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: Match.anyValue(),
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
        // Source maps ship beside the bundle but are read only when a stack is printed.
        Environment: { Variables: { NODE_OPTIONS: Match.absent() } },
      });
      s.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it.each(functionNames)('%s: timeout and memory from its needs, table name, retained logs', (name) => {
      const fn = s.resources[fnId(s, name)]!;
      const tableId = logicalId(s.stack, s.stack.table);
      const logsId = (fn.Properties!.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logsId).toBe(logicalId(s.stack, s.stack.functions[name].logGroup));
      expect(s.resources[logsId]!.Properties).toMatchObject({ RetentionInDays: 30 });
      expect(fn.Properties).toMatchObject({
        Timeout: functionNeeds[name].timeoutSeconds,
        MemorySize: functionNeeds[name].memoryMb ?? 512,
      });
      expect(envOf(s, name)).toMatchObject({ BOOMERANG_TABLE_NAME: { Ref: tableId } });
    });

    it('gives health no table access and shops read/write on the table and its indexes', () => {
      const health = actionsOf(statementsOf(s.resources, roleId(s, 'health')));
      expect(health.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);

      const tableArn = { 'Fn::GetAtt': [logicalId(s.stack, s.stack.table), 'Arn'] };
      const shops = statementsOf(s.resources, roleId(s, 'shops'));
      expect(shops).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: expect.arrayContaining([
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:Query',
          ]),
          Resource: expect.arrayContaining([tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }]),
        }),
      );
    });

    it.each(functionNames)('%s: table permissions match its needs', (name) => {
      const actions = actionsOf(statementsOf(s.resources, roleId(s, name)));
      const access = functionNeeds[name].table;
      expect(actions.includes('dynamodb:GetItem'), 'read').toBe(access !== 'none');
      expect(actions.includes('dynamodb:PutItem'), 'write').toBe(access === 'readWrite');
    });

    it('lets health log and nothing else', () => {
      expect(statementsOf(s.resources, roleId(s, 'health'))).toEqual([]);
      const role = s.resources[roleId(s, 'health')]!;
      expect(JSON.stringify(role.Properties!.ManagedPolicyArns)).toContain('service-role/AWSLambdaBasicExecutionRole');
      expect(role.Properties!.ManagedPolicyArns).toHaveLength(1);
    });
  });

  describe('operator key', () => {
    it('is a generated 43-character alphanumeric secret', () => {
      s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 43 },
      });
    });

    it('is readable exactly by the functions that need it', () => {
      const secretId = logicalId(s.stack, s.stack.operatorKey);
      const readers = functionNames.filter((name) =>
        statementsOf(s.resources, roleId(s, name)).some(
          (st) =>
            [st.Action].flat().includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(st.Resource) === JSON.stringify({ Ref: secretId }),
        ),
      );
      expect(readers).toEqual(functionNames.filter((name) => functionNeeds[name].operatorKey));
      expect(readers).toContain('shops');
      expect(readers).not.toContain('health');
      for (const name of functionNames) {
        const expected = functionNeeds[name].operatorKey ? { Ref: secretId } : undefined;
        expect(envOf(s, name).BOOMERANG_OPERATOR_KEY_SECRET_ARN, name).toEqual(expected);
      }
    });
  });

  describe('HTTP API', () => {
    it('has one route per routes entry, each invoking its function with payload 2.0', () => {
      for (const route of routes) {
        expect(integratedFunction(s, `${route.method} ${route.path}`), `${route.method} ${route.path}`).toBe(
          fnId(s, route.fn),
        );
      }
    });

    it('serves the storefront widget from storefront-assets, which may touch nothing but its logs', () => {
      for (const key of ['GET /widget.js', 'GET /widget/{file}']) {
        expect(integratedFunction(s, key), key).toBe(fnId(s, 'storefront-assets'));
      }
      expect(statementsOf(s.resources, roleId(s, 'storefront-assets'))).toEqual([]);
      expect(functionNames.filter((name) => functionNeeds[name].widget)).toEqual(['storefront-assets']);
    });

    it('serves the storefront API, its preflights and the hosted page from the storefront function', () => {
      const keys = [
        'POST /storefront/{shopId}/session',
        'GET /storefront/{shopId}/program',
        'GET /storefront/{shopId}/me',
        'GET /storefront/{shopId}/me/history',
        'POST /storefront/{shopId}/me/redemptions',
        'OPTIONS /storefront/{shopId}/me',
        'OPTIONS /storefront/{shopId}/me/redemptions',
        'GET /p/{shopId}',
      ];
      for (const key of keys) expect(integratedFunction(s, key), key).toBe(fnId(s, 'storefront'));
      expect(integratedFunction(s, 'POST /admin/shops/{shopId}/storefront-secret')).toBe(fnId(s, 'shops'));
      // It writes (redemptions) but never sends e-mail, and verifies our page links with the operator key.
      expect(functionNeeds.storefront).toMatchObject({ table: 'readWrite', ses: false, operatorKey: true });
    });

    it('sends unmatched requests ($default) to the fallback function', () => {
      expect(fallbackFunction).toBe('health');
      expect(integratedFunction(s, '$default')).toBe(fnId(s, 'health'));
      s.template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + 1);
    });

    it('has an auto-deployed $default stage with JSON access logs', () => {
      const logs = new Capture();
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [logs, 'Arn'] },
          Format: Match.stringLikeRegexp('"routeKey":"\\$context.routeKey"'),
        },
      });
      expect(s.resources[logs.asString()]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
      });
    });

    it('lets API Gateway invoke each routed function once, API-wide', () => {
      const routed = [...new Set([...routes.map((r) => r.fn), fallbackFunction])];
      for (const name of routed) {
        s.template.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [fnId(s, name), 'Arn'] },
          Principal: 'apigateway.amazonaws.com',
        });
      }
      // Other principals (SNS for SES events) invoke functions too; only API Gateway is counted here.
      s.template.resourcePropertiesCountIs(
        'AWS::Lambda::Permission',
        { Principal: 'apigateway.amazonaws.com' },
        routed.length,
      );
    });
  });

  describe('alarms', () => {
    let topicId: string;
    beforeAll(() => {
      topicId = logicalId(s.stack, s.stack.alarms.topic);
    });

    it('notify the alarms topic on alarm and recovery', () => {
      // The alarms topic, plus the SES events topic when a function takes SES events.
      s.template.resourceCountIs('AWS::SNS::Topic', functionNames.some((n) => functionNeeds[n].sesEvents) ? 2 : 1);
      s.template.allResourcesProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
      });
    });

    it.each(functionNames)('%s: alarms on Errors', (name) => {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(s, name) } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms on API 5xx', () => {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(s.stack, s.stack.httpApi.api) } }],
        Threshold: 1,
      });
    });
  });

  it('has the SES configuration set', () => {
    s.template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'boomerang' });
  });

  it('creates one schedule per schedules entry', () => {
    s.template.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
  });

  it('outputs the API URL, table name and operator key secret', () => {
    s.template.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith([Match.stringLikeRegexp('^https://'), { Ref: logicalId(s.stack, s.stack.httpApi.api) }]),
        ],
      },
    });
    s.template.hasOutput('TableName', { Value: { Ref: logicalId(s.stack, s.stack.table) } });
    s.template.hasOutput('OperatorKeySecretArn', { Value: { Ref: logicalId(s.stack, s.stack.operatorKey) } });
  });

  it('has no resource dependency cycle', () => {
    expect(findCycle(s.resources)).toBeUndefined();
  });
});

describe('BoomerangStack with every function given the public base URL', () => {
  const allNeedIt = Object.fromEntries(
    functionNames.map((n) => [n, { ...functionNeeds[n], publicBaseUrl: true }]),
  ) as Record<FunctionName, FunctionNeeds>;
  let s: Synth;
  beforeAll(() => {
    s = synthStack({ functionNeeds: allNeedIt });
  });

  it('passes the API endpoint (the console origin to console links) without creating a dependency cycle', () => {
    const apiId = logicalId(s.stack, s.stack.httpApi.api);
    const distributionId = logicalId(s.stack, s.stack.consoleDistribution.distribution);
    for (const name of functionNames)
      expect(envOf(s, name).BOOMERANG_PUBLIC_BASE_URL).toEqual(
        functionNeeds[name].consoleLinks
          ? { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] }
          : { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] },
      );
    expect(findCycle(s.resources)).toBeUndefined();
  });

  it('the cycle check would notice a cycle', () => {
    const resources: Record<string, Resource> = {
      A: { Type: 'X', Properties: { v: { Ref: 'B' } } },
      B: { Type: 'X', Properties: { v: { 'Fn::Sub': '${C.Arn}' } } },
      C: { Type: 'X', DependsOn: ['A'] },
    };
    expect(findCycle(resources)).toEqual(['A', 'B', 'C', 'A']);
  });
});

describe('BoomerangStack with schedules', () => {
  const jobs: ScheduleDefinition[] = [
    {
      name: 'daily-ledger',
      fn: 'shops',
      expression: 'cron(15 0 * * ? *)',
      timezone: 'Europe/Berlin',
      description: 'Closes yesterday',
    },
    {
      name: 'weekly-digest',
      fn: 'health',
      expression: 'cron(0 8 ? * MON *)',
      timezone: 'UTC',
      description: 'Sends digests',
    },
  ];
  let s: Synth;
  beforeAll(() => {
    s = synthStack({ schedules: jobs });
  });

  it.each(jobs)('$name: invokes its function with { job } and retries into a dead-letter queue', (job) => {
    const dlq = new Capture();
    const role = new Capture();
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: job.expression,
      ScheduleExpressionTimezone: job.timezone,
      Description: job.description,
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [fnId(s, job.fn), 'Arn'] },
        Input: JSON.stringify({ job: job.name }),
        RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
      },
    });
    expect(s.resources[dlq.asString()]!.Type).toBe('AWS::SQS::Queue');

    const statements = statementsOf(s.resources, role.asString());
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: expect.arrayContaining([{ 'Fn::GetAtt': [fnId(s, job.fn), 'Arn'] }]),
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [dlq.asString(), 'Arn'] },
      }),
    );

    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq.asString(), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(s.stack, s.stack.alarms.topic) }],
    });
  });

  it('gives each schedule its own dead-letter queue', () => {
    s.template.resourceCountIs('AWS::Scheduler::Schedule', jobs.length);
    // Other queues (the outbox's, SES events') exist too; count those the schedules use.
    const scheduleDlqs = Object.values(s.resources)
      .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
      .map((r) => JSON.stringify((r.Properties!.Target as { DeadLetterConfig: unknown }).DeadLetterConfig));
    expect(new Set(scheduleDlqs).size).toBe(jobs.length);
  });

  it('has no resource dependency cycle', () => {
    expect(findCycle(s.resources)).toBeUndefined();
  });
});

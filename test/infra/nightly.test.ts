import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNeeds, nightlyWorkerFunction, type FunctionNeeds } from '../../infra/functions';
import { functionNames, routes, type FunctionName } from '../../infra/routes';
import { schedules } from '../../infra/schedules';
import { nightlySteps } from '../../shared/schemas/nightly';
import { actionsOf, findCycle, logicalId, statementsOf, synthStack } from './template';

type Synth = ReturnType<typeof synthStack>;
type Json = Record<string, unknown>;

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Json;
  ItemSelector?: Json;
  ItemsPath?: string;
  MaxConcurrency?: number;
  ResultPath?: string | null;
  ResultSelector?: Json;
  OutputPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; BackoffRate?: number; IntervalSeconds?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  ItemProcessor?: Definition;
  ErrorPath?: string;
  CausePath?: string;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

const fnId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn);
const roleId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn.role!);
const envOf = (s: Synth, name: FunctionName) =>
  (s.resources[fnId(s, name)]!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
const stateMachineId = (s: Synth) => logicalId(s.stack, s.stack.nightly.stateMachine);
const bucketId = (s: Synth) => logicalId(s.stack, s.stack.exportBucket.bucket);

/**
 * The state machine's definition as JSON. CloudFormation joins it from literal text and
 * references (the worker's ARN); each reference becomes `<Ref:Id>` / `<GetAtt:Id.Attr>`.
 */
const definitionOf = (s: Synth): Definition => {
  const body = s.resources[stateMachineId(s)]!.Properties!.DefinitionString as
    string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => {
            if (typeof part === 'string') return part;
            const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
            if (ref.Ref) return `<Ref:${ref.Ref}>`;
            if (ref['Fn::GetAtt']) return `<GetAtt:${ref['Fn::GetAtt'].join('.')}>`;
            throw new Error(`unexpected part ${JSON.stringify(part)}`);
          })
          .join('');
  return JSON.parse(text) as Definition;
};

/** Every state, including those inside Map item processors, by name. */
const allStates = (definition: Definition): Record<string, State> => {
  const out: Record<string, State> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    out[name] = state;
    if (state.ItemProcessor) Object.assign(out, allStates(state.ItemProcessor));
  }
  return out;
};

/** The top-level states from StartAt, following Next. */
const mainPath = (definition: Definition): string[] => {
  const path: string[] = [];
  for (let name: string | undefined = definition.StartAt; name; name = definition.States[name]!.Next) path.push(name);
  return path;
};

const startsNightly = functionNames.filter((n) => functionNeeds[n].startsNightly);

describe('nightly infrastructure', () => {
  let s: Synth;
  let definition: Definition;
  let states: Record<string, State>;
  beforeAll(() => {
    s = synthStack();
    definition = definitionOf(s);
    states = allStates(definition);
  });

  describe('needs', () => {
    it('declares the worker and the function that starts runs', () => {
      expect(nightlyWorkerFunction).toBe('nightly-worker');
      expect(functionNeeds[nightlyWorkerFunction]).toMatchObject({
        table: 'readWrite',
        exports: 'readWrite',
        ses: true,
        startsNightly: false,
        timeoutSeconds: 900,
        memoryMb: 1769,
      });
      expect(functionNeeds.nightly).toMatchObject({
        table: 'readWrite',
        operatorKey: true,
        publicBaseUrl: true,
        exports: 'readWrite',
        startsNightly: true,
        timeoutSeconds: 29,
      });
      expect(startsNightly).toEqual(['nightly']);
      // redactions: a due shop redaction deletes the shop's export files (webhooks only schedule it);
      // imports keep their files in the export bucket (docs/import.md).
      expect(functionNames.filter((n) => functionNeeds[n].exports !== 'none').sort()).toEqual([
        'import-worker',
        'imports',
        'nightly',
        'nightly-worker',
        'redactions',
      ]);
    });

    it('routes the nightly endpoints to "nightly" and nothing to the worker', () => {
      const served = routes
        .filter((r) => r.fn === 'nightly')
        .map((r) => `${r.method} ${r.path}`)
        .sort();
      expect(served).toEqual([
        // The run history (docs/console.md, "Statistics").
        'GET /admin/shops/{shopId}/jobs',
        'GET /admin/shops/{shopId}/jobs/{jobId}',
        'GET /exports/download',
        'POST /admin/shops/{shopId}/jobs/nightly',
      ]);
      expect(routes.filter((r) => r.fn === nightlyWorkerFunction)).toEqual([]);
    });
  });

  describe('export bucket', () => {
    it('is private, encrypted, unversioned and retained', () => {
      s.template.resourceCountIs('AWS::S3::Bucket', 1);
      s.template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          VersioningConfiguration: Match.absent(),
        },
      });
    });

    it('expires job scratch data after 7 days and exports after 30', () => {
      const rules = (s.resources[bucketId(s)]!.Properties!.LifecycleConfiguration as { Rules: Json[] }).Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: 'jobs/', ExpirationInDays: 7, Status: 'Enabled' }),
      );
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: 'exports/', ExpirationInDays: 30, Status: 'Enabled' }),
      );
      expect(rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      );
      // No rule expires anything outside those prefixes.
      for (const rule of rules.filter((r) => r.ExpirationInDays !== undefined))
        expect(rule.Prefix).toMatch(/^(jobs|exports)\/$/);
    });

    it('denies requests without TLS, to the bucket and its objects', () => {
      const bucketArn = { 'Fn::GetAtt': [bucketId(s), 'Arn'] };
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId(s) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
            }),
          ]),
        },
      });
    });

    it('is an output', () => {
      s.template.hasOutput('ExportBucketName', { Value: { Ref: bucketId(s) } });
    });

    it.each(functionNames)('%s: bucket name and S3 permissions match its needs', (name) => {
      const access = functionNeeds[name].exports;
      expect(envOf(s, name).BOOMERANG_EXPORT_BUCKET).toEqual(access === 'none' ? undefined : { Ref: bucketId(s) });
      const statements = statementsOf(s.resources, roleId(s, name));
      const s3Actions = actionsOf(statements).filter((a) => a.startsWith('s3:'));
      if (access === 'none') {
        expect(s3Actions).toEqual([]);
        return;
      }
      expect(s3Actions).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:List*']));
      expect(s3Actions.includes('s3:PutObject'), 'write').toBe(access === 'readWrite');
      const bucketArn = { 'Fn::GetAtt': [bucketId(s), 'Arn'] };
      for (const st of statements.filter((x) => actionsOf([x]).some((a) => a.startsWith('s3:')))) {
        expect(st.Resource).toEqual([bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }]);
      }
    });
  });

  describe('state machine', () => {
    it('is one STANDARD state machine with a 2 h limit and error logs kept a month', () => {
      s.template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      const props = s.resources[stateMachineId(s)]!.Properties!;
      expect(props.StateMachineType).toBe('STANDARD');
      expect(definition.TimeoutSeconds).toBe(7200);
      const logs = props.LoggingConfiguration as {
        Level: string;
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }[];
      };
      expect(logs.Level).toBe('ERROR');
      const logGroupId = logs.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      expect(logGroupId).toBe(logicalId(s.stack, s.stack.nightly.logGroup));
      expect(s.resources[logGroupId]!.Properties).toMatchObject({ RetentionInDays: 30 });
    });

    it('plans segments 0..totalSegments−1, summarises them, fits, scores each shard, assembles', () => {
      expect(mainPath(definition)).toEqual(['PlanSegments', 'Summarise', 'Fit', 'Score', 'Assemble', 'Done']);
      expect(states.PlanSegments!.Parameters).toMatchObject({
        'segments.$': 'States.ArrayRange(0, States.MathAdd($.totalSegments, -1), 1)',
        'shopId.$': '$.shopId',
        'jobId.$': '$.jobId',
        'asOf.$': '$.asOf',
        'totalSegments.$': '$.totalSegments',
      });
      expect(states.Done!.Type).toBe('Succeed');
      expect(states.Fit!.ResultSelector).toEqual({ 'shards.$': '$.shards' });
      expect(states.Fit!.ResultPath).toBe('$.fit');
    });

    it('runs each segment and each shard in a Map with bounded concurrency, keeping no results', () => {
      const maps = Object.entries(states).filter(([, st]) => st.Type === 'Map');
      expect(maps.map(([name]) => name).sort()).toEqual(['Score', 'Summarise']);
      expect(states.Summarise!.ItemsPath).toBe('$.segments');
      expect(states.Score!.ItemsPath).toBe('$.fit.shards');
      for (const [name, map] of maps) {
        expect(map.MaxConcurrency, name).toBe(10);
        expect(map.ResultPath, name).toBeNull();
        expect(map.ItemSelector, name).toMatchObject({
          'segment.$': '$$.Map.Item.Value',
          'shopId.$': '$.shopId',
          'jobId.$': '$.jobId',
        });
        const inner = Object.values(map.ItemProcessor!.States);
        expect(inner, name).toHaveLength(1);
        expect(inner[0]!.Parameters, name).toMatchObject({ 'segment.$': '$.segment' });
        expect(inner[0]!.OutputPath, name).toBeNull();
      }
    });

    it('calls only the worker, once for each step name, with the job fields', () => {
      const workerArn = `<GetAtt:${fnId(s, nightlyWorkerFunction)}.Arn>`;
      const taskList = Object.values(states).filter((st) => st.Type === 'Task');
      for (const task of taskList) {
        expect(task.Resource).toBe(workerArn);
        expect(task.Parameters).toMatchObject({ 'shopId.$': '$.shopId', 'jobId.$': '$.jobId', 'asOf.$': '$.asOf' });
      }
      expect(taskList.map((t) => t.Parameters!.step).sort()).toEqual([...nightlySteps].sort());
      expect(taskList.map((t) => t.Parameters!.step)).toEqual(
        expect.arrayContaining(['summarise', 'fit', 'score', 'assemble']),
      );
      const fail = taskList.find((t) => t.Parameters!.step === 'fail')!;
      expect(fail.Parameters).toMatchObject({ 'error.$': '$.error' });
    });

    it('retries every task on Lambda throttling, service errors and timeouts, with backoff', () => {
      const taskList = Object.entries(states).filter(([, st]) => st.Type === 'Task');
      expect(taskList).toHaveLength(nightlySteps.length);
      for (const [name, task] of taskList) {
        const retried = task.Retry!.flatMap((r) => r.ErrorEquals);
        expect(retried, name).toEqual(
          expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'States.Timeout']),
        );
        expect(retried, name).not.toContain('States.ALL');
        for (const retry of task.Retry!) expect(retry.BackoffRate, name).toBeGreaterThan(1);
        // Above the worker's own 900 s, so Lambda's timeout ends a stuck step first.
        expect(task.TimeoutSeconds, name).toBe(functionNeeds[nightlyWorkerFunction].timeoutSeconds + 60);
      }
    });

    it('catches any failure of the main path, tells the worker, then fails with the original error', () => {
      for (const name of ['Summarise', 'Fit', 'Score', 'Assemble']) {
        expect(states[name]!.Catch, name).toEqual([
          { ErrorEquals: ['States.ALL'], Next: 'RecordFailure', ResultPath: '$.error' },
        ]);
      }
      const record = states.RecordFailure!;
      expect(record.Parameters).toMatchObject({ step: 'fail' });
      expect(record.ResultPath).toBeNull();
      expect(record.Catch).toBeUndefined();
      expect(states[record.Next!]).toMatchObject({
        Type: 'Fail',
        ErrorPath: '$.error.Error',
        CausePath: '$.error.Cause',
      });
    });

    it('may invoke the worker and no other function', () => {
      const roleArn = s.resources[stateMachineId(s)]!.Properties!.RoleArn as { 'Fn::GetAtt': [string, string] };
      const statements = statementsOf(s.resources, roleArn['Fn::GetAtt'][0]);
      const invokes = statements.filter((st) => actionsOf([st]).includes('lambda:InvokeFunction'));
      const workerArn = { 'Fn::GetAtt': [fnId(s, nightlyWorkerFunction), 'Arn'] };
      expect(invokes).toHaveLength(1);
      expect(invokes[0]!.Resource).toEqual([workerArn, { 'Fn::Join': ['', [workerArn, ':*']] }]);
      expect(actionsOf(statements).filter((a) => !a.startsWith('logs:'))).toEqual(['lambda:InvokeFunction']);
    });
  });

  describe('starting runs', () => {
    it('gives "nightly" the state machine ARN and StartExecution on it alone', () => {
      expect(envOf(s, 'nightly').BOOMERANG_NIGHTLY_STATE_MACHINE_ARN).toEqual({ Ref: stateMachineId(s) });
      const statements = statementsOf(s.resources, roleId(s, 'nightly')).filter((st) =>
        actionsOf([st]).some((a) => a.startsWith('states:')),
      );
      expect(statements).toEqual([
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: stateMachineId(s) } },
      ]);
    });

    it.each(functionNames)('%s: may start runs only if its needs say so', (name) => {
      const states = actionsOf(statementsOf(s.resources, roleId(s, name))).filter((a) => a.startsWith('states:'));
      expect(states.length > 0).toBe(functionNeeds[name].startsNightly);
      expect('BOOMERANG_NIGHTLY_STATE_MACHINE_ARN' in envOf(s, name)).toBe(functionNeeds[name].startsNightly);
    });

    it('fires every schedule of a run-starting function hourly, with { job }', () => {
      const nightlySchedules = schedules.filter((d) => startsNightly.includes(d.fn));
      expect(nightlySchedules.map((d) => d.name)).toContain('nightly');
      for (const d of nightlySchedules) {
        expect(d.expression).toMatch(/^(rate\(1 hours?\)|cron\(\S+ \* \* \* \? \*\))$/);
        s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: d.expression,
          Target: { Arn: { 'Fn::GetAtt': [fnId(s, d.fn), 'Arn'] }, Input: JSON.stringify({ job: d.name }) },
        });
      }
    });
  });

  describe('worker', () => {
    it('has 15 minutes and a full vCPU', () => {
      expect(s.resources[fnId(s, nightlyWorkerFunction)]!.Properties).toMatchObject({ Timeout: 900, MemorySize: 1769 });
      expect(s.resources[fnId(s, 'nightly')]!.Properties).toMatchObject({ Timeout: 29, MemorySize: 512 });
    });

    it('sends e-mail through the configuration set, and is not routed or started by anything but the state machine', () => {
      const configSet = logicalId(s.stack, s.stack.emailConfigurationSet);
      expect(envOf(s, nightlyWorkerFunction).BOOMERANG_SES_CONFIGURATION_SET).toEqual({ Ref: configSet });
      const ses = statementsOf(s.resources, roleId(s, nightlyWorkerFunction)).find((st) =>
        actionsOf([st]).includes('ses:SendEmail'),
      );
      expect(JSON.stringify(ses!.Resource)).toContain(`configuration-set/",{"Ref":"${configSet}"}`);
      expect(JSON.stringify(ses!.Resource)).toContain(':identity/*');
      s.template.resourcePropertiesCountIs(
        'AWS::Lambda::Permission',
        { FunctionName: { 'Fn::GetAtt': [fnId(s, nightlyWorkerFunction), 'Arn'] } },
        0,
      );
    });
  });

  describe('alarms', () => {
    it.each(['ExecutionsFailed', 'ExecutionsTimedOut'])('%s ≥ 1 notifies the alarms topic', (metric) => {
      const topic = { Ref: logicalId(s.stack, s.stack.alarms.topic) };
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId(s) } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic],
        OKActions: [topic],
      });
    });
  });

  it('has no resource dependency cycle', () => {
    expect(findCycle(s.resources)).toBeUndefined();
  });
});

describe('nightly infrastructure with other needs', () => {
  const withNeeds = (change: Partial<Record<FunctionName, Partial<FunctionNeeds>>>) =>
    Object.fromEntries(functionNames.map((n) => [n, { ...functionNeeds[n], ...change[n] }])) as Record<
      FunctionName,
      FunctionNeeds
    >;

  it('grants read-only exports without write, and StartExecution to another function', () => {
    const s = synthStack({ functionNeeds: withNeeds({ health: { exports: 'read', startsNightly: true } }) });
    const actions = actionsOf(statementsOf(s.resources, roleId(s, 'health')));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 'states:StartExecution']));
    expect(actions).not.toContain('s3:PutObject');
    expect(actions).not.toContain('s3:DeleteObject*');
    expect(envOf(s, 'health')).toMatchObject({
      BOOMERANG_EXPORT_BUCKET: { Ref: bucketId(s) },
      BOOMERANG_NIGHTLY_STATE_MACHINE_ARN: { Ref: stateMachineId(s) },
    });
    expect(findCycle(s.resources)).toBeUndefined();
  });

  it('refuses a worker that starts runs itself', () => {
    expect(() =>
      synthStack({ functionNeeds: withNeeds({ [nightlyWorkerFunction]: { startsNightly: true } }) }),
    ).toThrow(/cannot also start it/);
  });
});

import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
// Type only: the step names are the worker's input schema, so renaming one there fails here.
import type { NightlyStep } from '../../shared/schemas/nightly';
import { alarmPeriod, type OperatorAlarms } from './operator-alarms';

/**
 * Errors worth retrying: Lambda's own transient failures and throttling, and a task that ran
 * out of time. The worker's own errors are not retried here: they are deterministic for a
 * given job (bad data, a bug) and go straight to the failure path.
 */
export const nightlyRetries: readonly sfn.RetryProps[] = [
  {
    errors: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.TooManyRequestsException',
    ],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.minutes(1),
    jitterStrategy: sfn.JitterType.FULL,
  },
  {
    // Sandbox.Timedout is how Step Functions reports a Lambda that hit its own timeout.
    errors: [sfn.Errors.TIMEOUT, 'Sandbox.Timedout'],
    interval: Duration.seconds(30),
    maxAttempts: 1,
    backoffRate: 2,
  },
];

export interface NightlyStateMachineProps {
  /** The function that runs every step (infra/functions.ts `nightlyWorkerFunction`). */
  worker: lambda.IFunction;
  alarms: OperatorAlarms;
  /** Longest one worker invocation may take, a little above the function's own timeout. */
  taskTimeout: Duration;
  /** @default 10 concurrent segments per Map */
  maxConcurrency?: number;
  /** @default 2 hours for the whole run */
  timeout?: Duration;
}

/** Fields every worker call carries, taken from the execution's state. */
const jobFields = {
  shopId: sfn.JsonPath.stringAt('$.shopId'),
  jobId: sfn.JsonPath.stringAt('$.jobId'),
  asOf: sfn.JsonPath.stringAt('$.asOf'),
  totalSegments: sfn.JsonPath.numberAt('$.totalSegments'),
};

/**
 * One nightly run for one shop, started by the `nightly` function with
 * `{ shopId, jobId, asOf, totalSegments }`:
 *
 *   summarise each segment 0..totalSegments−1 (Map) → fit → score each shard fit returned (Map)
 *   → assemble
 *
 * Every step is a call to the same worker with `{ step, shopId, jobId, asOf, totalSegments,
 * segment? }`. Bulk data moves through the export bucket, never through the state: each
 * iteration's output is dropped, and only `fit`'s shard list is kept. Any failure that
 * survives its retries calls the worker with `{ step: 'fail', error }` (so the job is marked
 * failed and nobody waits on it) and then fails the execution with the original error.
 */
export class NightlyStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NightlyStateMachineProps) {
    super(scope, id);
    const maxConcurrency = props.maxConcurrency ?? 10;

    const invoke = (
      stateId: string,
      step: NightlyStep,
      options: {
        perSegment?: boolean;
        resultSelector?: Record<string, unknown>;
        resultPath?: string;
        outputPath?: string;
      } = {},
    ): tasks.LambdaInvoke => {
      const task = tasks.LambdaInvoke.jsonPath(this, stateId, {
        lambdaFunction: props.worker,
        payload: sfn.TaskInput.fromObject({
          step,
          ...jobFields,
          ...(options.perSegment ? { segment: sfn.JsonPath.numberAt('$.segment') } : {}),
          ...(step === 'fail' ? { error: sfn.JsonPath.objectAt('$.error') } : {}),
        }),
        // The function's return value only, not the invocation metadata around it.
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        taskTimeout: sfn.Timeout.duration(props.taskTimeout),
        resultSelector: options.resultSelector,
        resultPath: options.resultPath,
        outputPath: options.outputPath,
      });
      for (const retry of nightlyRetries) task.addRetry(retry);
      return task;
    };

    /** A Map running `step` once per element of `itemsPath`, the element being the segment. */
    const forEach = (stateId: string, step: NightlyStep, itemsPath: string): sfn.Map => {
      const map = sfn.Map.jsonPath(this, stateId, {
        itemsPath,
        itemSelector: { ...jobFields, segment: sfn.JsonPath.numberAt('$$.Map.Item.Value') },
        maxConcurrency,
        // Iterations write to the bucket; their results would only grow the state.
        resultPath: sfn.JsonPath.DISCARD,
      });
      map.itemProcessor(invoke(`${stateId}Segment`, step, { perSegment: true, outputPath: sfn.JsonPath.DISCARD }));
      return map;
    };

    const failed = sfn.Fail.jsonPath(this, 'Failed', {
      errorPath: sfn.JsonPath.stringAt('$.error.Error'),
      causePath: sfn.JsonPath.stringAt('$.error.Cause'),
    });
    const recordFailure = invoke('RecordFailure', 'fail', { resultPath: sfn.JsonPath.DISCARD }).next(failed);
    const onError = <T extends sfn.TaskStateBase | sfn.Map>(state: T): T => {
      state.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
      return state;
    };

    const planSegments = sfn.Pass.jsonPath(this, 'PlanSegments', {
      parameters: {
        ...jobFields,
        // [0, 1, …, totalSegments − 1]; Step Functions caps ArrayRange at 1000 items, the schema's limit.
        segments: sfn.JsonPath.arrayRange(
          0,
          Token.asNumber(sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.totalSegments'), -1)),
          1,
        ),
      },
    });
    const summarise = onError(forEach('Summarise', 'summarise', '$.segments'));
    const fit = onError(
      invoke('Fit', 'fit', { resultSelector: { shards: sfn.JsonPath.listAt('$.shards') }, resultPath: '$.fit' }),
    );
    const score = onError(forEach('Score', 'score', '$.fit.shards'));
    const assemble = onError(invoke('Assemble', 'assemble'));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(
        planSegments.next(summarise).next(fit).next(score).next(assemble).next(new sfn.Succeed(this, 'Done')),
      ),
      timeout: props.timeout ?? Duration.hours(2),
      logs: { destination: this.logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: true },
    });

    props.alarms.add(this, 'ExecutionsFailed', {
      metric: this.stateMachine.metricFailed({ period: alarmPeriod, statistic: 'Sum' }),
      threshold: 1,
      description: 'A nightly run failed; the job was marked failed and its segments were not published',
    });
    props.alarms.add(this, 'ExecutionsTimedOut', {
      metric: this.stateMachine.metricTimedOut({ period: alarmPeriod, statistic: 'Sum' }),
      threshold: 1,
      description: 'A nightly run exceeded its time limit; the job is left running in the table',
    });
  }
}

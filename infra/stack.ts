import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { BoomerangFunction } from './constructs/boomerang-function';
import { buildWidget } from './bundling/widget';
import { buildConsole } from './bundling/console';
import { ConsoleDistribution } from './constructs/console-distribution';
import { BoomerangTable } from './constructs/boomerang-table';
import { ExportBucket } from './constructs/export-bucket';
import { BoomerangHttpApi } from './constructs/http-api';
import { NightlyStateMachine } from './constructs/nightly-state-machine';
import { alarmPeriod, OperatorAlarms } from './constructs/operator-alarms';
import { defaultSesMaxPerSecond, OutboxSender } from './constructs/outbox-sender';
import { ScheduledJob } from './constructs/scheduled-job';
import { CustomerSummaryStream } from './constructs/customer-summary-stream';
import { SesEvents } from './constructs/ses-events';
import {
  fallbackFunction,
  functionNeeds as defaultFunctionNeeds,
  nightlyWorkerFunction,
  importWorkerFunction,
  type FunctionNeeds,
} from './functions';
import { functionNames, routes as defaultRoutes, type FunctionName, type RouteDefinition } from './routes';
import { schedules as defaultSchedules, type ScheduleDefinition } from './schedules';
import { tableDefinition } from './table';

export interface BoomerangStackProps extends StackProps {
  /** Overrides for tests; the deployed stack always uses the lists in infra/. */
  routes?: readonly RouteDefinition[];
  schedules?: readonly ScheduleDefinition[];
  functionNeeds?: Record<FunctionName, FunctionNeeds>;
  /**
   * The account's SES sending rate (sends per second) the outbox sender stays under.
   * @default context `boomerang:sesMaxPerSecond`, else 14
   */
  sesMaxPerSecond?: number;
}

/** The prop, else the `boomerang:sesMaxPerSecond` context value (a string from `cdk -c`), else SES's usual quota. */
const sesMaxPerSecond = (scope: Construct, prop: number | undefined): number => {
  const context: unknown = scope.node.tryGetContext('boomerang:sesMaxPerSecond');
  const value = prop ?? (context === undefined ? defaultSesMaxPerSecond : Number(context));
  // Whole sends per second, as the function's env schema (shared/schemas/env.ts) accepts.
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `boomerang:sesMaxPerSecond must be a whole number of sends per second (at least 1), got ${String(prop ?? context)}`,
    );
  }
  return value;
};

const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * Everything Boomerang runs on. Functions, routes and schedules come from the lists in
 * infra/, and each function's permissions from infra/functions.ts, so adding one is a data
 * change there rather than new wiring here.
 */
export class BoomerangStack extends Stack {
  readonly alarms: OperatorAlarms;
  readonly table: BoomerangTable;
  readonly operatorKey: secretsmanager.Secret;
  readonly emailConfigurationSet: ses.ConfigurationSet;
  readonly exportBucket: ExportBucket;
  readonly nightly: NightlyStateMachine;
  readonly httpApi: BoomerangHttpApi;
  /** CloudFront in front of the HTTP API: the console and the API on one origin. */
  readonly consoleDistribution: ConsoleDistribution;
  readonly functions: Record<FunctionName, BoomerangFunction>;
  readonly scheduledJobs: ScheduledJob[];
  /** Stream wiring and dead-letter queues of each function whose needs say `outboxSender`. */
  readonly outboxSenders: Partial<Record<FunctionName, OutboxSender>>;
  /** The SES event topic, when some function's needs say `sesEvents`. */
  readonly sesEvents?: SesEvents;
  /** Stream wiring of each function whose needs say `summaryStream` (the customer summaries). */
  readonly summaryStreams: Partial<Record<FunctionName, CustomerSummaryStream>>;

  constructor(scope: Construct, id: string, props: BoomerangStackProps = {}) {
    super(scope, id, props);
    const needs = props.functionNeeds ?? defaultFunctionNeeds;

    this.alarms = new OperatorAlarms(this, 'Alarms');
    this.table = new BoomerangTable(this, 'Table', tableDefinition);
    this.operatorKey = new secretsmanager.Secret(this, 'OperatorKey', {
      description: 'Boomerang operator key (Authorization: Bearer) for the admin API',
      // 43 alphanumerics ≈ 256 bits, the same strength as shop API keys.
      generateSecretString: { excludePunctuation: true, passwordLength: 43 },
    });
    this.emailConfigurationSet = new ses.ConfigurationSet(this, 'Email', {
      configurationSetName: this.stackName.toLowerCase(),
    });
    this.httpApi = new BoomerangHttpApi(this, 'Http', { alarms: this.alarms });
    this.exportBucket = new ExportBucket(this, 'Exports');

    this.functions = Object.fromEntries(
      functionNames.map((name) => [name, this.createFunction(name, needs[name])]),
    ) as Record<FunctionName, BoomerangFunction>;

    // The state machine references the worker; functions that start it reference the state
    // machine. A worker that started runs itself would close that loop.
    if (needs[nightlyWorkerFunction].startsNightly) {
      throw new Error(`"${nightlyWorkerFunction}" runs the nightly state machine's steps, so it cannot also start it`);
    }
    this.nightly = new NightlyStateMachine(this, 'Nightly', {
      worker: this.functions[nightlyWorkerFunction].fn,
      alarms: this.alarms,
      // Lambda ends the invocation at the function's timeout; this only catches a call that hangs beyond it.
      taskTimeout: Duration.seconds(needs[nightlyWorkerFunction].timeoutSeconds + 60),
    });
    for (const name of functionNames.filter((n) => needs[n].startsNightly)) {
      const { fn } = this.functions[name];
      fn.addEnvironment('BOOMERANG_NIGHTLY_STATE_MACHINE_ARN', this.nightly.stateMachine.stateMachineArn);
      this.nightly.stateMachine.grantStartExecution(fn);
    }
    // Import runs: asynchronous invocations of the worker, retried twice by Lambda (a retry
    // resumes from the job's checkpoint or finds it held, docs/import.md).
    const importWorker = this.functions[importWorkerFunction].fn;
    importWorker.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
    for (const name of functionNames.filter((n) => needs[n].startsImports && n !== importWorkerFunction)) {
      const { fn } = this.functions[name];
      fn.addEnvironment('BOOMERANG_IMPORT_WORKER_FUNCTION', importWorker.functionName);
      importWorker.grantInvoke(fn);
    }

    const maxPerSecond = sesMaxPerSecond(this, props.sesMaxPerSecond);
    this.outboxSenders = Object.fromEntries(
      functionNames
        .filter((n) => needs[n].outboxSender)
        .map((name) => [
          name,
          new OutboxSender(this, `${pascal(name)}Outbox`, {
            name,
            fn: this.functions[name].fn,
            table: this.table,
            alarms: this.alarms,
            maxPerSecond,
          }),
        ]),
    );

    this.summaryStreams = Object.fromEntries(
      functionNames
        .filter((n) => needs[n].summaryStream)
        .map((name) => [
          name,
          new CustomerSummaryStream(this, `${pascal(name)}Stream`, {
            name,
            fn: this.functions[name].fn,
            table: this.table,
            alarms: this.alarms,
          }),
        ]),
    );

    const sesEventHandlers = functionNames.filter((n) => needs[n].sesEvents);
    if (sesEventHandlers.length > 0) {
      const sesEvents = new SesEvents(this, 'SesEvents', {
        configurationSet: this.emailConfigurationSet,
        alarms: this.alarms,
      });
      for (const name of sesEventHandlers) sesEvents.subscribe(name, this.functions[name].fn);
      new CfnOutput(this, 'SesEventsTopicArn', { value: sesEvents.topic.topicArn });
      this.sesEvents = sesEvents;
    }

    for (const route of props.routes ?? defaultRoutes) this.httpApi.addRoute(route, this.functions[route.fn].fn);
    this.httpApi.setFallback(this.functions[fallbackFunction].fn);

    this.scheduledJobs = (props.schedules ?? defaultSchedules).map(
      (definition) =>
        new ScheduledJob(this, `${pascal(definition.name)}Job`, {
          definition,
          handler: this.functions[definition.fn].fn,
          alarms: this.alarms,
        }),
    );

    this.consoleDistribution = new ConsoleDistribution(this, 'Console', { api: this.httpApi });
    const consoleOrigin = `https://${this.consoleDistribution.distribution.distributionDomainName}`;
    for (const name of functionNames.filter((n) => needs[n].consoleLinks)) {
      this.functions[name].fn.addEnvironment('BOOMERANG_PUBLIC_BASE_URL', consoleOrigin);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'ConsoleUrl', { value: this.consoleDistribution.consoleUrl });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'OperatorKeySecretArn', { value: this.operatorKey.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'EmailConfigurationSetName', { value: this.emailConfigurationSet.configurationSetName });
    new CfnOutput(this, 'ExportBucketName', { value: this.exportBucket.bucketName });
    new CfnOutput(this, 'NightlyStateMachineArn', { value: this.nightly.stateMachine.stateMachineArn });
  }

  /** One function with exactly the environment and permissions its needs entry lists. */
  private createFunction(name: FunctionName, needs: FunctionNeeds): BoomerangFunction {
    const environment: Record<string, string> = { BOOMERANG_TABLE_NAME: this.table.tableName };
    if (needs.operatorKey) environment.BOOMERANG_OPERATOR_KEY_SECRET_ARN = this.operatorKey.secretArn;
    if (needs.publicBaseUrl) environment.BOOMERANG_PUBLIC_BASE_URL = this.httpApi.endpoint;
    if (needs.ses) environment.BOOMERANG_SES_CONFIGURATION_SET = this.emailConfigurationSet.configurationSetName;
    if (needs.exports !== 'none') environment.BOOMERANG_EXPORT_BUCKET = this.exportBucket.bucketName;

    const created = new BoomerangFunction(this, `${pascal(name)}Function`, {
      name,
      timeout: Duration.seconds(needs.timeoutSeconds),
      memorySize: needs.memoryMb,
      environment,
      // widget.js beside index.mjs: functions/storefront-assets/handler.ts reads it from there.
      ...(needs.widget ? { besideBundle: () => ({ 'widget.js': buildWidget().code }) } : {}),
      // console.json beside index.mjs: functions/console-assets/handler.ts reads it from there.
      ...(needs.console ? { besideBundle: () => ({ 'console.json': JSON.stringify(buildConsole()) }) } : {}),
    });
    const { fn } = created;

    if (needs.table === 'readWrite') this.table.grantReadWriteData(fn);
    if (needs.table === 'read') this.table.grantReadData(fn);
    if (needs.operatorKey) this.operatorKey.grantRead(fn);
    if (needs.exports === 'readWrite') this.exportBucket.bucket.grantReadWrite(fn);
    if (needs.exports === 'read') this.exportBucket.bucket.grantRead(fn);
    if (needs.ses) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          // SES authorises a send against both the configuration set and the sending identity;
          // identities are verified outside the stack, so any identity in this account/region.
          resources: [
            this.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: this.emailConfigurationSet.configurationSetName,
            }),
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
          ],
        }),
      );
    }

    this.alarms.add(created, 'Errors', {
      metric: fn.metricErrors({ period: alarmPeriod, statistic: 'Sum' }),
      threshold: 1,
      description: `Function "${name}" threw or timed out`,
    });
    return created;
  }
}

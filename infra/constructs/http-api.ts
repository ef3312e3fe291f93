import { Names, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../routes';
import { alarmPeriod, type OperatorAlarms } from './operator-alarms';

export interface BoomerangHttpApiProps {
  alarms: OperatorAlarms;
}

/**
 * HTTP API variables only; no headers, so keys and signatures never reach the access log. The
 * route template, not the path: paths can carry e-mail addresses (`/customers/{customerRef}`,
 * `/suppressions/{email}`) and unsubscribe tokens.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The public HTTP API. It is created before the functions and routed afterwards, so functions
 * can receive its URL without a dependency cycle (the API resource itself references no
 * function; only routes, integrations and invoke permissions do).
 */
export class BoomerangHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Base URL without a trailing slash, e.g. for building absolute links. */
  readonly endpoint: string;
  private readonly integrations = new Map<lambda.IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: BoomerangHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Boomerang referral and rewards API',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });
    this.endpoint = this.api.apiEndpoint;

    props.alarms.add(this, 'ServerErrors', {
      metric: this.api.metricServerError({ period: alarmPeriod, statistic: 'Sum' }),
      threshold: 1,
      description: 'The HTTP API answered 5xx (unhandled error, timeout or throttled function)',
    });
  }

  /** The stage's invoke URL (with trailing slash). */
  get url(): string {
    return this.stage.url;
  }

  addRoute(route: RouteDefinition, handler: lambda.IFunction): void {
    this.api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: this.integrationFor(handler),
    });
  }

  /** Sends every request no route matches to `handler`. */
  setFallback(handler: lambda.IFunction): void {
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: this.integrationFor(handler),
    });
  }

  /** One integration per function, shared by its routes. */
  private integrationFor(handler: lambda.IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${Names.nodeUniqueId(handler.node)}Integration`, handler, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        // One API-wide invoke permission per function instead of one per route, which keeps
        // the function's resource policy small as routes are added.
        scopePermissionToRoute: false,
      });
      this.integrations.set(handler, integration);
    }
    return integration;
  }
}

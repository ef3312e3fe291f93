import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerEntry } from '../routes';

/** Handler entries in infra/routes.ts are relative to the repository root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * ESM output keeps top-level await and tree-shaking, but some CommonJS dependencies still
 * call `require` for Node built-ins; this gives them one.
 */
const esmRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface BoomerangFunctionProps {
  /** Function name from infra/routes.ts; selects the handler module. */
  name: string;
  /** @default 10 seconds, sized for HTTP handlers */
  timeout?: Duration;
  /** @default 512 */
  memorySize?: number;
  /** Merged over the common environment; the caller wins on conflicts. */
  environment?: Record<string, string>;
  /** @default false */
  tracing?: boolean;
  description?: string;
}

/**
 * Every Boomerang Lambda: same runtime, architecture, bundling and log retention, so
 * functions differ only in what the stack grants them.
 */
export class BoomerangFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BoomerangFunctionProps) {
    super(scope, id);

    // Owning the log group (instead of Lambda creating it on first write) gives it a
    // retention and removes it with the stack.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.fn = new NodejsFunction(this, 'Handler', {
      entry: path.join(repoRoot, handlerEntry(props.name)),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      logGroup: this.logGroup,
      description: props.description ?? `Boomerang ${props.name}`,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        LOG_LEVEL: 'info',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        // Stack traces need only the mappings; embedded sources would triple the file Node
        // parses at cold start.
        sourcesContent: false,
        // Bundle the SDK rather than use the runtime's copy: versions match package-lock.json
        // and only the clients actually imported are loaded at cold start.
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
      },
    });
  }
}

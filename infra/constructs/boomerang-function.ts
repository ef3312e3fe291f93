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

/** Lambda-only code every bundle carries (see the files). */
const bundlingDir = path.join(repoRoot, 'infra', 'bundling');

/**
 * The SDK's default credential chain imports these for profiles, SSO, credential processes and
 * web identity, which a Lambda function never uses (its credentials are in the environment);
 * with them come the STS, SSO and sign-in clients. Each resolves to a stub that declines.
 */
export const unusedCredentialProviders = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
];

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
  /**
   * AWS SDK client packages this function is not granted (see infra/bundling/granted-clients.ts):
   * bundled as stubs, so shared code that could reach them adds nothing to the cold start.
   * @default none
   */
  ungrantedClients?: readonly string[];
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
      // No NODE_OPTIONS=--enable-source-maps: Node would read and parse the source map at every
      // cold start. Stacks are mapped lazily instead (infra/bundling/lazy-source-maps.ts).
      environment: {
        LOG_LEVEL: 'info',
        ...props.environment,
      },
      bundling: {
        // ESM, minified, tree-shaken: ES module builds of dependencies first (mainFields), and
        // package.json's sideEffects lets esbuild drop our modules a function never uses.
        format: OutputFormat.ESM,
        minify: true,
        mainFields: ['module', 'main'],
        // The source map ships beside the bundle (index.mjs.map), mappings only: embedded
        // sources would triple it. Nothing reads it until a stack trace is printed.
        sourceMap: true,
        sourcesContent: false,
        inject: [path.join(bundlingDir, 'lazy-source-maps.ts')],
        // Bundle the SDK rather than use the runtime's copy: versions match package-lock.json
        // and only the clients a function imports are in its bundle.
        bundleAwsSDK: true,
        esbuildArgs: {
          '--alias': [
            ...unusedCredentialProviders.map((pkg) => `${pkg}=${path.join(bundlingDir, 'no-profile-credentials.ts')}`),
            ...(props.ungrantedClients ?? []).map((pkg) => `${pkg}=${path.join(bundlingDir, 'ungranted-aws-clients.ts')}`),
          ],
        },
        banner: esmRequireBanner,
      },
    });
  }
}

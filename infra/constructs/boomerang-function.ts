import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
 * How every function is bundled; test/infra/bundles.test.ts builds with the same settings to
 * hold each bundle to its size budget (infra/bundle-budgets.ts).
 *
 * - ESM, minified, tree-shaken: ES module builds of dependencies first (mainFields), and
 *   package.json's sideEffects lets esbuild drop whole modules a function never uses. Nothing
 *   bundled calls `require` (the test checks), so no createRequire banner either.
 * - The source map ships beside the bundle (index.mjs.map), mappings only: embedded sources
 *   would triple it. Nothing reads it until a stack trace is printed (lazy-source-maps.ts,
 *   injected at the top of every bundle).
 */
export const lambdaBundling = {
  target: 'node22',
  format: 'esm',
  minify: true,
  mainFields: ['module', 'main'],
  sourcemap: true,
  sourcesContent: false,
  inject: [path.join(repoRoot, 'infra', 'bundling', 'lazy-source-maps.ts')],
} as const;

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
   * Files to ship beside index.mjs (name → contents), made only when the function is bundled.
   * They are written to a temporary directory and copied by an afterBundling hook, so they reach
   * the deployment package (and its asset hash) without Docker.
   */
  besideBundle?: () => Record<string, string>;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The afterBundling commands that copy `files()` into the bundle's output directory. */
const copyBesideBundle =
  (files: () => Record<string, string>) =>
  (_inputDir: string, outputDir: string): string[] => {
    const dir = mkdtempSync(path.join(tmpdir(), 'boomerang-asset-'));
    return Object.entries(files()).map(([name, contents]) => {
      writeFileSync(path.join(dir, name), contents);
      return `cp ${shellQuote(path.join(dir, name))} ${shellQuote(path.join(outputDir, name))}`;
    });
  };

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
        target: lambdaBundling.target,
        format: OutputFormat.ESM,
        minify: lambdaBundling.minify,
        mainFields: [...lambdaBundling.mainFields],
        sourceMap: lambdaBundling.sourcemap,
        sourcesContent: lambdaBundling.sourcesContent,
        inject: [...lambdaBundling.inject],
        // Functions call AWS through shared/adapters/aws-http.ts, not the SDK's clients (whose
        // shared core alone is ~175 KB and ~40 ms of import); what they use of the SDK (the
        // signer, the DynamoDB marshaller) is bundled, versions as in package-lock.json.
        bundleAwsSDK: true,
        ...(props.besideBundle
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: copyBesideBundle(props.besideBundle),
              },
            }
          : {}),
      },
    });
  }
}

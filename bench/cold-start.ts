/**
 * `npm run bench:cold-start`: what each Lambda bundle costs before its handler runs. Prints
 * figures only: no assertions, and a missed budget is reported (OVER), not failed.
 *
 * 1. Synthesizes the stack with `cdk synth` (offline, local esbuild) into a temporary directory
 *    — or reads an existing cloud assembly: `npm run bench:cold-start -- <dir>`.
 * 2. For every Boomerang function in the template: its asset's bundle (.mjs/.js) and source
 *    map sizes, the bundle's gzip size, and which AWS SDK clients and libraries it carries.
 * 3. Import time: the median over several fresh `node` processes, each importing the bundle
 *    (never invoking the handler) with the environment the template gives the function —
 *    NODE_OPTIONS included — plus what Lambda itself sets. Unresolved CloudFormation values
 *    (Refs, GetAtts) become plausible dummy strings. One discarded run first warms the file cache.
 *
 * Budgets are in infra/bundle-budgets.ts (sizes are also guarded by test/infra; times are not
 * asserted anywhere, they vary with the machine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../infra/constructs/boomerang-function';
import { budgetFor } from '../infra/bundle-budgets';
import { functionNames } from '../infra/routes';
import { fmt, heading, median, table } from './support/report';

const settings = {
  /** Fresh processes per function; the median is reported. */
  samples: Number(process.env.COLD_START_SAMPLES ?? 7),
  stackName: 'Boomerang',
  region: 'eu-west-1',
} as const;

const log = (text = '') => console.log(text);
const kb = (bytes: number) => fmt(bytes / 1000, 1);
const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

interface Json {
  [key: string]: unknown;
}

/** A plausible stand-in for a value CloudFormation would resolve at deploy time. */
const dummyFor = (key: string): string => {
  const account = '123456789012';
  if (key.endsWith('_SECRET_ARN'))
    return `arn:aws:secretsmanager:${settings.region}:${account}:secret:OperatorKey-AbCdEf`;
  if (key.endsWith('_STATE_MACHINE_ARN')) return `arn:aws:states:${settings.region}:${account}:stateMachine:Nightly`;
  if (key.endsWith('_ARN')) return `arn:aws:${settings.region}:${account}:dummy`;
  if (key.endsWith('_DLQ_URL')) return `https://sqs.${settings.region}.amazonaws.com/${account}/boomerang-outbox-dlq`;
  if (key.endsWith('_URL')) return `https://abcdef1234.execute-api.${settings.region}.amazonaws.com`;
  if (key.endsWith('_TABLE_NAME')) return 'Boomerang-TableCD117FA1-ABCDEF123456';
  if (key.endsWith('_BUCKET')) return 'boomerang-exportsbucket-abcdef123456';
  return `boomerang-${key.toLowerCase().replaceAll('_', '-')}`;
};

const resolveEnv = (variables: Json): Record<string, string> =>
  Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : dummyFor(k)]));

/** What the Lambda service itself puts in a function's environment (credentials are dummies). */
const lambdaEnv = (name: string, memoryMb: number, taskRoot: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  AWS_REGION: settings.region,
  AWS_DEFAULT_REGION: settings.region,
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: `Boomerang-${pascal(name)}Function`,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/Boomerang-${pascal(name)}Function`,
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_ACCESS_KEY_ID: 'ASIADUMMYDUMMYDUMMY0',
  AWS_SECRET_ACCESS_KEY: 'dummy-secret-access-key-for-the-cold-start-bench',
  AWS_SESSION_TOKEN: 'dummy-session-token',
  LAMBDA_TASK_ROOT: taskRoot,
  // This machine's Node may be older than Lambda's 22, where the SDK has no version warning to
  // print at import; printing it here would be time Lambda never spends.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** Which AWS SDK clients (by signing name) and which libraries a bundle carries. */
const contents = (code: string): string[] => {
  const clients: Record<string, string> = {
    dynamodb: 'DynamoDB',
    secretsmanager: 'SecretsManager',
    ses: 'SESv2',
    s3: 'S3',
    states: 'SFN',
    sqs: 'SQS',
  };
  const found = new Set<string>();
  for (const m of code.matchAll(/defaultSigningName:"([a-z0-9-]+)"/g)) found.add(clients[m[1]!] ?? m[1]!);
  if (code.includes('$ZodType')) found.add('zod');
  if (code.includes('ulid')) found.add('ulidx');
  return [...found];
};

interface Measured {
  name: string;
  bundle: string;
  bytes: number;
  gzip: number;
  mapBytes: number;
  contents: string[];
  nodeOptions: string;
  samplesMs: number[];
  error?: string;
}

const importScript = (file: string) =>
  [
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const ms = performance.now() - t0;',
    'process.stdout.write(JSON.stringify({ ms, handler: typeof m.handler }));',
  ].join('\n');

/** One fresh process importing the bundle; the time is the `import()` alone, as Lambda's runtime does it. */
const importOnce = (file: string, env: Record<string, string>): { ms?: number; error?: string } => {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', importScript(file)], {
    env,
    encoding: 'utf8',
    cwd: path.dirname(file),
  });
  if (out.status !== 0)
    return { error: (out.stderr || `exit ${out.status}`).trim().split('\n').slice(0, 4).join(' | ') };
  const result = JSON.parse(out.stdout) as { ms: number; handler: string };
  if (result.handler !== 'function') return { error: `exports no handler function (${result.handler})` };
  return { ms: result.ms };
};

const synth = (outdir: string): number => {
  const started = performance.now();
  const cdk = path.join(repoRoot, 'node_modules', '.bin', 'cdk');
  const out = spawnSync(cdk, ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', outdir], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (out.status !== 0) throw new Error(`cdk synth failed:\n${out.stderr}`);
  return performance.now() - started;
};

const measure = (assembly: string): Measured[] => {
  const template = JSON.parse(readFileSync(path.join(assembly, `${settings.stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Json; Metadata?: Json }>;
  };
  const assets = JSON.parse(readFileSync(path.join(assembly, `${settings.stackName}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const byPath = new Map(functionNames.map((n) => [`${settings.stackName}/${pascal(n)}Function/Handler/Resource`, n]));
  const results: Measured[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = byPath.get(String(resource.Metadata?.['aws:cdk:path']));
    if (!name) continue; // CDK's own helper functions (custom resources)
    const key = String((resource.Properties.Code as Json).S3Key);
    const asset = assets.files[key.replace(/\.zip$/, '')];
    if (!asset) throw new Error(`${name}: no asset for ${key}`);
    const dir = path.join(assembly, asset.source.path);
    const files = readdirSync(dir);
    const bundleFile = files.find((f) => /\.(mjs|cjs|js)$/.test(f));
    if (!bundleFile) throw new Error(`${name}: no bundle in ${dir}`);
    const bundle = path.join(dir, bundleFile);
    const code = readFileSync(bundle);
    const mapBytes = files
      .filter((f) => f.endsWith('.map'))
      .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
    const variables = ((resource.Properties.Environment as Json | undefined)?.Variables ?? {}) as Json;
    const env = { ...lambdaEnv(name, Number(resource.Properties.MemorySize ?? 128), dir), ...resolveEnv(variables) };
    const m: Measured = {
      name,
      bundle: path.relative(assembly, bundle),
      bytes: code.length,
      gzip: gzipSync(code).length,
      mapBytes,
      contents: contents(code.toString('utf8')),
      nodeOptions: env.NODE_OPTIONS ?? '',
      samplesMs: [],
    };
    const warm = importOnce(bundle, env);
    if (warm.error) m.error = warm.error;
    for (let i = 0; i < settings.samples && !m.error; i++) {
      const r = importOnce(bundle, env);
      if (r.error) m.error = r.error;
      else m.samplesMs.push(r.ms!);
    }
    results.push(m);
  }
  const order = new Map<string, number>(functionNames.map((n, i) => [n, i]));
  return results.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
};

const main = () => {
  const given = process.argv[2];
  const assembly = given ? path.resolve(given) : mkdtempSync(path.join(tmpdir(), 'boomerang-cold-start-'));
  log(heading('Cold start: bundle sizes and import times'));
  log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  try {
    if (!given) log(`cdk synth into ${assembly}: ${fmt(synth(assembly) / 1000, 1)} s`);
    else log(`cloud assembly: ${assembly} (not re-synthesized)`);
    const results = measure(assembly);
    log(`import: median of ${settings.samples} fresh node processes per function (after one discarded run)\n`);

    const rows = results.map((r) => {
      const budget = budgetFor(r.name);
      const ms = median(r.samplesMs);
      const over = r.error !== undefined || r.bytes > budget.bytes || !(ms < budget.importMs);
      return [
        r.name,
        kb(r.bytes),
        kb(r.gzip),
        kb(r.mapBytes),
        r.error ? 'error' : fmt(ms, 1),
        r.error ? '' : `${fmt(Math.min(...r.samplesMs), 0)}–${fmt(Math.max(...r.samplesMs), 0)}`,
        `${fmt(budget.bytes / 1000)} KB / ${budget.importMs} ms`,
        over ? 'OVER' : 'PASS',
        r.contents.join(' '),
      ];
    });
    log(
      table(['function', 'bundle KB', 'gzip KB', 'map KB', 'import ms', 'range', 'budget', 'result', 'carries'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
        'l',
        'l',
      ]),
    );
    const sum = (f: (r: Measured) => number) => results.reduce((s, r) => s + f(r), 0);
    log(
      `\n${results.length} bundles: ${fmt(sum((r) => r.bytes) / 1e6, 2)} MB (gzip ${fmt(sum((r) => r.gzip) / 1e6, 2)} MB) + maps ${fmt(sum((r) => r.mapBytes) / 1e6, 2)} MB; ` +
        `largest ${kb(Math.max(...results.map((r) => r.bytes)))} KB; import medians ${fmt(Math.min(...results.map((r) => median(r.samplesMs))), 0)}–${fmt(Math.max(...results.map((r) => median(r.samplesMs))), 0)} ms`,
    );
    const options = [...new Set(results.map((r) => r.nodeOptions || '(none)'))];
    log(`NODE_OPTIONS from the template: ${options.join(', ')}`);
    const over = rows.filter((r) => r[7] === 'OVER').map((r) => r[0]);
    log(over.length ? `over budget: ${over.join(', ')}` : 'every function within budget');
    for (const r of results.filter((x) => x.error)) log(`${r.name}: ${r.error}`);
  } finally {
    if (!given) rmSync(assembly, { recursive: true, force: true });
  }
};

main();

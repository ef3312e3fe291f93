import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createGateway, listen } from '../../local/gateway';
import { localPages } from '../../local/widget-test-page';
import { ensureTable } from '../../local/table';
import { pollSummaryStream } from '../../local/stream-poller';
import { setRuntime } from '../../shared/wiring/runtime';
import type { PublicShop } from '../../shared/domain/shop';

/**
 * The local stack for one integration test file: its own table in the shared DynamoDB Local
 * (started once by global-setup.ts), a fresh process runtime and a gateway on a free port.
 * Vitest runs every file in its own worker process, so the process.env written here is the
 * file's own and files can run in parallel.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  /** Parsed body; undefined when the body is empty or not JSON. */
  json: T;
  text: string;
  headers: Headers;
}

export interface ApiOptions {
  /** Objects are sent as JSON; strings and Buffers are sent byte-for-byte. */
  body?: unknown;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  headers?: Record<string, string>;
}

export type Api = (method: string, path: string, options?: ApiOptions) => Promise<ApiResponse>;

export interface CreatedShop {
  shop: PublicShop;
  apiKey: string;
  /** Shown once at creation: signs customer tokens (docs/storefront.md). */
  storefrontSecret: string;
  /** The body that was POSTed (it holds the plaintext webhook secret). */
  input: ShopInput;
}

export type ShopInput = ReturnType<typeof validShopInput>;

export interface TestStack {
  baseUrl: string;
  operatorKey: string;
  tableName: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  api: Api;
  createShop(overrides?: Record<string, unknown>): Promise<CreatedShop>;
  /**
   * Applies the table stream's pending records to the customer summaries (as the
   * customer-summaries function does in AWS); a nightly run does this itself first.
   */
  drainStream(): Promise<number>;
  close(): Promise<void>;
}

export const randomId = (prefix: string, bytes = 6): string => `${prefix}${randomBytes(bytes).toString('hex')}`;

/** A valid `POST /admin/shops` body with a unique id. */
export const validShopInput = (overrides: Record<string, unknown> = {}) => ({
  id: randomId('shop-'),
  name: 'Test Shop',
  platform: 'custom' as const,
  storefrontUrl: 'https://shop.example.com',
  currency: 'DKK',
  timezone: 'Europe/Copenhagen',
  locale: 'da-DK',
  webhookSecret: randomId('whsec_', 24),
  senderEmail: 'hello@shop.example.com',
  marketerEmails: ['marketing@shop.example.com'],
  ...overrides,
});

export const apiClient =
  (baseUrl: string): Api =>
  async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    let body: string | Buffer | undefined;
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      body = options.body;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };

/** Sets the environment the handlers read, for this worker process. */
export const configureTestEnv = (): {
  tableName: string;
  operatorKey: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
} => {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const sesEndpoint = inject('sesEndpoint');
  const tableName = randomId('t_');
  const operatorKey = randomId('op_', 24);
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SESV2: sesEndpoint,
    BOOMERANG_TABLE_NAME: tableName,
    BOOMERANG_OPERATOR_KEY: operatorKey,
    LOG_LEVEL: process.env.DEBUG ? 'debug' : 'silent',
    // Exports and other local files go to a directory of this test file's own.
    BOOMERANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'boomerang-test-')),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Outgoing webhooks may go to the tests' receivers on 127.0.0.1 (never set in AWS).
    BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK: 'true',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.BOOMERANG_OPERATOR_KEY_SECRET_ARN;
  return { tableName, operatorKey, dynamoEndpoint, sesEndpoint };
};

export interface TestStackOptions {
  /**
   * Whether the stream poller also keeps the daily statistics (default true, as `npm start` does).
   * Files that write thousands of items and never read the statistics switch it off: the counters
   * cost DynamoDB Local a transaction per hundred records, which slows every file running beside them.
   */
  dailyStats?: boolean;
}

export const startTestStack = async (options: TestStackOptions = {}): Promise<TestStack> => {
  const env = configureTestEnv();
  const dynamo = new DynamoDBClient({});
  await ensureTable(dynamo, env.tableName);
  setRuntime(undefined);
  // No Lambda on the stream here: the nightly run catches up with it first (local/stream-poller.ts).
  const summaries = pollSummaryStream(env.tableName, { dailyStats: options.dailyStats ?? true });

  const server: Server = createGateway({ onError: (e) => console.error('gateway error', e), localPages });
  const port = await listen(server, 0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = apiClient(baseUrl);

  const createShop = async (overrides: Record<string, unknown> = {}): Promise<CreatedShop> => {
    const input = validShopInput(overrides);
    const res = await api('POST', '/admin/shops', { key: env.operatorKey, body: input });
    if (res.status !== 201) throw new Error(`createShop: expected 201, got ${res.status} ${res.text}`);
    return {
      shop: res.json.shop as PublicShop,
      apiKey: res.json.apiKey as string,
      storefrontSecret: res.json.storefrontSecret as string,
      input,
    };
  };

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      setRuntime(undefined);
      summaries.stop();
      await dynamo.send(new DeleteTableCommand({ TableName: env.tableName })).catch(() => undefined);
      dynamo.destroy();
    })());

  return { ...env, baseUrl, api, createShop, drainStream: () => summaries.poller.drain(), close };
};

/** An email as aws-ses-v2-local's `GET /store` lists it. */
export interface SesEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds. */
  at: number;
}

/**
 * Emails SES local has accepted. The store is shared by every test file of the run, so
 * filter by recipient (any of to/cc/bcc) and/or `since` (epoch seconds) to see only yours.
 */
export const sesMessages = async (filter: { to?: string; since?: number } = {}): Promise<SesEmail[]> => {
  const url = new URL('/store', inject('sesEndpoint'));
  if (filter.since !== undefined) url.searchParams.set('since', String(Math.floor(filter.since)));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`SES local /store answered ${res.status}`);
  const { emails } = (await res.json()) as { emails: SesEmail[] };
  if (!filter.to) return emails;
  const to = filter.to.toLowerCase();
  return emails.filter((e) =>
    [...e.destination.to, ...e.destination.cc, ...e.destination.bcc].some(
      (addr) => addr.toLowerCase() === to || addr.toLowerCase().endsWith(`<${to}>`),
    ),
  );
};

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { Agent as HttpAgent, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { marshall, unmarshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, HttpRequest, SourceData } from '@smithy/types';
import type { Table } from './table';

/**
 * A lean DynamoDB client for the Table port: the SDK's own request signer and marshaller
 * (about 20 KB minified) and node:https with keep-alive, instead of its DynamoDB client (about
 * 230 KB, and some 50 ms to import before a handler runs). It speaks DynamoDB's JSON protocol for the item operations
 * of table.ts, retries what the SDK's standard mode retries (throttling, 5xx, broken
 * connections: three attempts, exponential backoff with jitter) and throws errors shaped like
 * the SDK's (`name` is the error code).
 *
 * Credentials come from the environment only: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, which Lambda always sets (and `npm start` and the tests set to dummies for
 * DynamoDB Local). The endpoint honours AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL as the
 * SDK does.
 */
export interface HttpTableOptions {
  env?: Record<string, string | undefined>;
  /** @default 3 */
  maxAttempts?: number;
  /** Per attempt, connecting included. @default 1500, so three attempts fit a 5 s function timeout */
  requestTimeoutMs?: number;
}

/** DynamoDB's error, as the SDK would throw it. */
export interface DynamoError extends Error {
  $metadata: { httpStatusCode?: number; attempts: number };
  $retryable?: boolean;
  [field: string]: unknown;
}

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape the signer asks for. */
class Sha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(bytes(data));
  }
  reset(): void {
    this.hash = this.fresh();
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const marshalling: marshallOptions = { removeUndefinedValues: true };
const inputMaps = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;
const outputMaps = ['Item', 'Attributes', 'LastEvaluatedKey'] as const;
/** Error codes the SDK's standard retry mode treats as throttling or transient. */
const retryableCodes = new Set([
  'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottledException',
  'TooManyRequestsException', 'InternalServerError', 'ServiceUnavailable', 'TransactionInProgressException',
]);

const toWire = (input: object): Record<string, unknown> => {
  const wire: Record<string, unknown> = { ...input };
  for (const key of inputMaps) {
    const value = wire[key];
    if (value !== undefined) wire[key] = marshall(value as Record<string, unknown>, marshalling);
  }
  return wire;
};

const fromWire = (output: Record<string, unknown>): Record<string, unknown> => {
  const native: Record<string, unknown> = { ...output };
  for (const key of outputMaps) {
    const value = native[key];
    if (value !== undefined) native[key] = unmarshall(value as Parameters<typeof unmarshall>[0]);
  }
  if (Array.isArray(native.Items)) native.Items = native.Items.map((item) => unmarshall(item as Parameters<typeof unmarshall>[0]));
  return native;
};

/** Kept-alive connections, as the SDK keeps them (a TLS handshake per call would dwarf the call). */
const agents: { https?: HttpsAgent; http?: HttpAgent } = {};

/** One POST and its whole answer; `timeoutMs` covers connecting, sending and reading. */
const post = (url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    // Plain http is only ever a local endpoint (DynamoDB Local); node:http is loaded with https anyway.
    const http = secure ? undefined : process.getBuiltinModule('node:http');
    const agent = secure ? (agents.https ??= new HttpsAgent({ keepAlive: true })) : (agents.http ??= new http!.Agent({ keepAlive: true }));
    const options: RequestOptions = { method: 'POST', headers, agent };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    };
    const req = secure ? httpsRequest(url, options, onResponse) : http!.request(url, options, onResponse);
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`DynamoDB did not answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    req.end(body);
  });

const dynamoError = (status: number, text: string, attempts: number): DynamoError => {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's HTML page, an empty 5xx): the status says enough
  }
  const type = typeof body.__type === 'string' ? body.__type : undefined;
  const name = type ? type.slice(type.lastIndexOf('#') + 1) : status >= 500 ? 'InternalServerError' : `Http${status}`;
  const message = String(body.message ?? body.Message ?? `DynamoDB answered ${status}`);
  const { __type: _t, message: _m, Message: _M, ...fields } = body;
  const error = Object.assign(new Error(message), fields, { name, $metadata: { httpStatusCode: status, attempts } }) as DynamoError;
  error.$retryable = status >= 500 || retryableCodes.has(name);
  return error;
};

/** DynamoDB said so (throttling, 5xx), or the request never got an answer (a refused or broken connection, a timeout). */
const isRetryable = (e: unknown): boolean => {
  const error = e as Partial<DynamoError> & { code?: unknown };
  if (error.$metadata) return error.$retryable === true;
  return typeof error.code === 'string' || error.name === 'TimeoutError';
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const httpTable = (options: HttpTableOptions = {}): Table => {
  const env = options.env ?? process.env;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('The lean DynamoDB client needs AWS_REGION');
  const endpoint = new URL(env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL
    ?? `https://dynamodb.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`);
  const maxAttempts = options.maxAttempts ?? 3;
  const timeoutMs = options.requestTimeoutMs ?? 1500;
  const signer = new SignatureV4({
    service: 'dynamodb',
    region,
    sha256: Sha256,
    credentials: async () => {
      const accessKeyId = env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId || !secretAccessKey) throw new Error('The lean DynamoDB client needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them)');
      return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
    },
  });

  const attempt = async (operation: string, body: string, attempts: number): Promise<Record<string, unknown>> => {
    const request: HttpRequest = {
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname || '/',
      query: {},
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body,
    };
    const signed = await signer.sign(request);
    const { status, text } = await post(endpoint, signed.headers, body, timeoutMs);
    if (status !== 200) throw dynamoError(status, text, attempts);
    return JSON.parse(text) as Record<string, unknown>;
  };

  const call = async (operation: string, input: object): Promise<Record<string, unknown>> => {
    const body = JSON.stringify(toWire(input));
    for (let attempts = 1; ; attempts++) {
      try {
        return fromWire(await attempt(operation, body, attempts));
      } catch (e) {
        if (!isRetryable(e) || attempts >= maxAttempts) throw e;
        await sleep(Math.random() * Math.min(20_000, 100 * 2 ** attempts));
      }
    }
  };

  return {
    get: async (input) => call('GetItem', input),
    put: async (input) => call('PutItem', input),
    update: async (input) => call('UpdateItem', input),
    query: async (input) => call('Query', input),
  };
};

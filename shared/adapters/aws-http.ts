import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, HttpRequest, SourceData } from '@smithy/types';
import type { Random } from '../app/ports/random';
import { random as defaultRandom } from './random';
import { sleep } from './sleep';

/**
 * AWS's HTTP APIs, signed by the SDK's own SigV4 signer and sent over node:https with kept-alive
 * connections: the transport of the small clients that Lambda bundles carry instead of the
 * SDK's (table-http.ts for DynamoDB, aws-clients.ts for the rest). The SDK's clients share a
 * core of about 175 KB minified that takes some 40 ms to import before a handler runs; this is
 * under 20 KB.
 *
 * Like the SDK: credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
 * (Lambda always sets them; `npm start` and the tests set dummies for the local services), the
 * region from AWS_REGION, endpoints overridable by AWS_ENDPOINT_URL_<SERVICE> or
 * AWS_ENDPOINT_URL, and the standard retry mode: up to three attempts, exponential backoff with
 * full jitter, for throttling, 5xx and requests that got no answer. Errors are shaped like the
 * SDK's: `name` is the service's error code, `$metadata.httpStatusCode` its status, and a
 * request that never got an answer keeps Node's error (with its `code`).
 */
export type Env = Record<string, string | undefined>;

export interface AwsError extends Error {
  $metadata: { httpStatusCode?: number; attempts: number };
  $retryable?: boolean;
  [field: string]: unknown;
}

export interface AwsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface AwsRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Path below the endpoint's, already URI-encoded. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface AwsServiceOptions {
  /** The signing name: `dynamodb`, `secretsmanager`, `ses`, `states`, `sqs`, `s3`. */
  service: string;
  /** The suffix of the SDK's endpoint variable: AWS_ENDPOINT_URL_<endpointId>. */
  endpointId: string;
  /** The service's endpoint host in a region. */
  host: (region: string) => string;
  /** Turns an answer other than 2xx into the error to throw. */
  error: (response: AwsResponse, attempts: number) => AwsError;
  env?: Env;
  /** @default 3 */
  maxAttempts?: number;
  /** Per attempt, connecting included. @default 10 000 */
  timeoutMs?: number;
  /** S3 signs the path as sent; every other service encodes it again. @default true */
  uriEscapePath?: boolean;
  /** The retries' jitter (the wiring passes the runtime's). @default adapters/random.ts random */
  random?: Random;
}

export interface AwsService {
  send(request: AwsRequest): Promise<AwsResponse>;
  /** A presigned URL for the request (query-string authentication). */
  presign(request: AwsRequest, expiresInSeconds: number): Promise<string>;
}

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

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

/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
export const uriEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const queryString = (query: Record<string, string> | undefined): string => {
  const entries = Object.entries(query ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? `?${entries.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&')}` : '';
};

/** Error codes the SDK's standard retry mode treats as throttling or transient, across services. */
const retryableCodes = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
]);

/** The error the SDK would throw for an answer, given the service's error code and message. */
export const awsError = (
  status: number,
  name: string | undefined,
  message: string | undefined,
  attempts: number,
  fields: Record<string, unknown> = {},
): AwsError => {
  const code = name || (status >= 500 ? 'InternalServerError' : `Http${status}`);
  const error = Object.assign(new Error(message || `AWS answered ${status}`), fields, {
    name: code,
    $metadata: { httpStatusCode: status, attempts },
  }) as AwsError;
  error.$retryable = status >= 500 || status === 429 || retryableCodes.has(code);
  return error;
};

/**
 * JSON errors: `{ "__type": "ns#Code", "message" }` (DynamoDB, SQS, Step Functions, Secrets
 * Manager), or the code in X-Amzn-ErrorType (SES v2's REST-JSON).
 */
export const jsonError = (response: AwsResponse, attempts: number): AwsError => {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's page, an empty 5xx): the status says enough
  }
  const header = response.headers['x-amzn-errortype'];
  const type =
    typeof body.__type === 'string'
      ? body.__type
      : typeof header === 'string'
        ? header.split(':')[0]
        : typeof body.code === 'string'
          ? body.code
          : undefined;
  const { __type: _t, message, Message, ...fields } = body;
  return awsError(
    response.status,
    type?.slice(type.lastIndexOf('#') + 1),
    String(message ?? Message ?? ''),
    attempts,
    fields,
  );
};

/** DynamoDB answered (throttling, 5xx), or the request got no answer: a refused or broken connection, a timeout. */
const isRetryable = (e: unknown): boolean => {
  const error = e as Partial<AwsError> & { code?: unknown };
  if (error.$metadata) return error.$retryable === true;
  return typeof error.code === 'string' || error.name === 'TimeoutError';
};

/** Kept-alive connections, as the SDK keeps them (a TLS handshake per call would dwarf most calls). */
const agents: { https?: HttpsAgent; http?: HttpAgent } = {};

const exchange = (
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
): Promise<AwsResponse> =>
  new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    // Plain http is only ever a local endpoint (DynamoDB Local, SES local); https loads node:http anyway.
    const http = secure ? undefined : process.getBuiltinModule('node:http');
    const agent = secure
      ? (agents.https ??= new HttpsAgent({ keepAlive: true }))
      : (agents.http ??= new http!.Agent({ keepAlive: true }));
    const options: RequestOptions = { method, headers, agent };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', fail);
    };
    const req = secure ? httpsRequest(url, options, onResponse) : http!.request(url, options, onResponse);
    const timer = setTimeout(
      () =>
        req.destroy(
          Object.assign(new Error(`No answer from ${url.host} within ${timeoutMs} ms`), { name: 'TimeoutError' }),
        ),
      timeoutMs,
    );
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    req.end(body);
  });

/**
 * The JSON protocol of DynamoDB, SQS, Step Functions and Secrets Manager: POST / with the operation in
 * X-Amz-Target.
 */
export const awsJsonCall =
  (service: AwsService, targetPrefix: string, version: '1.0' | '1.1') =>
  async <T = Record<string, unknown>>(operation: string, input: object): Promise<T> => {
    const { body } = await service.send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': `${targetPrefix}.${operation}` },
      body: JSON.stringify(input),
    });
    return (body.length ? JSON.parse(body.toString('utf8')) : {}) as T;
  };

/** A client is built at once but reads its region, endpoint and credentials at its first call, as the SDK's do. */
export const awsService = (o: AwsServiceOptions): AwsService => {
  let client: ReturnType<typeof connect> | undefined;
  const ready = () => (client ??= connect(o));
  return {
    send: (request) => ready().send(request),
    presign: (request, expiresInSeconds) => ready().presign(request, expiresInSeconds),
  };
};

const connect = (o: AwsServiceOptions): AwsService => {
  const env = o.env ?? process.env;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error(`Calling ${o.service} needs AWS_REGION`);
  const endpoint = new URL(
    env[`AWS_ENDPOINT_URL_${o.endpointId}`] ?? env.AWS_ENDPOINT_URL ?? `https://${o.host(region)}`,
  );
  const maxAttempts = o.maxAttempts ?? 3;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const random = o.random ?? defaultRandom;
  const signer = new SignatureV4({
    service: o.service,
    region,
    sha256: Sha256,
    uriEscapePath: o.uriEscapePath ?? true,
    credentials: async () => {
      const accessKeyId = env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId || !secretAccessKey)
        throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them)');
      return {
        accessKeyId,
        secretAccessKey,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      };
    },
  });
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const toSign = (request: AwsRequest): HttpRequest => ({
    method: request.method,
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: `${basePath}${request.path}`,
    query: { ...request.query },
    headers: {
      host: endpoint.host,
      ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}),
      ...request.headers,
    },
    body: request.body,
  });

  const attempt = async (request: AwsRequest, attempts: number): Promise<AwsResponse> => {
    const signed = await signer.sign(toSign(request));
    const url = new URL(`${endpoint.origin}${basePath}${request.path}${queryString(request.query)}`);
    const response = await exchange(url, request.method, signed.headers, request.body, timeoutMs);
    if (response.status < 200 || response.status >= 300) throw o.error(response, attempts);
    return response;
  };

  return {
    async send(request) {
      for (let attempts = 1; ; attempts++) {
        try {
          return await attempt(request, attempts);
        } catch (e) {
          if (!isRetryable(e) || attempts >= maxAttempts) throw e;
          await sleep(random() * Math.min(20_000, 100 * 2 ** attempts));
        }
      }
    },
    async presign(request, expiresInSeconds) {
      const signed = await signer.presign(toSign(request), { expiresIn: expiresInSeconds });
      return `${endpoint.origin}${signed.path}${queryString(signed.query as Record<string, string>)}`;
    },
  };
};

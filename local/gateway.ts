import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routes, type FunctionName, type RouteDefinition } from '../infra/routes';
import { errorBody } from '../shared/http/errors';
import { routeNotFound } from '../shared/http/router';
import { handlerLoaders, type LambdaHandler } from './handlers';
import type { LocalPage } from './widget-test-page';

/**
 * A local stand-in for API Gateway HTTP API (payload format 2.0): it matches the routes the
 * stack deploys, builds the same event (raw body byte-for-byte, base64 for non-text bodies,
 * lower-cased headers, cookies split out, path and query parameters) and invokes the same
 * handler module a Lambda would.
 */

/** API Gateway's own request limit; handlers enforce their smaller limits themselves. */
const gatewayMaxBody = 10 * 1024 * 1024;

export interface CompiledRoute {
  route: RouteDefinition;
  regex: RegExp;
  params: string[];
}

export const compileRoute = (route: RouteDefinition): CompiledRoute => {
  const params: string[] = [];
  const pattern = route.path
    .split('/')
    .map((segment) => {
      const m = segment.match(/^\{(\w+)(\+?)\}$/);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1]!);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}$`), params };
};

export const matchRoute = (compiled: CompiledRoute[], method: string, path: string) => {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    c.params.forEach((p, i) => {
      pathParameters[p] = m[i + 1]!;
    });
    return { route: c.route, pathParameters };
  }
  return undefined;
};

const textual = /^(text\/|application\/(json|.*\+json|xml|.*\+xml|x-www-form-urlencoded|javascript))/i;

const isValidUtf8 = (bytes: Buffer): boolean => Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);

const clfTime = (d: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

const rawQuery = (requestTarget: string): string => {
  const q = requestTarget.indexOf('?');
  return q === -1 ? '' : requestTarget.slice(q + 1).split('#')[0]!;
};

export interface BuildEventInput {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  routeKey: string;
  pathParameters?: Record<string, string>;
  now?: Date;
}

export const buildEvent = (input: BuildEventInput): APIGatewayProxyEventV2 => {
  const url = new URL(input.url, 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < input.rawHeaders.length; i += 2) {
    const name = input.rawHeaders[i]!.toLowerCase();
    const value = input.rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const hasBody = input.body.length > 0;
  const asText = hasBody && textual.test(headers['content-type'] ?? '') && isValidUtf8(input.body);
  const now = input.now ?? new Date();
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: url.pathname,
    // As the client sent it: URL#search would re-encode characters such as ' and ".
    rawQueryString: rawQuery(input.url),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(input.pathParameters && Object.keys(input.pathParameters).length
      ? { pathParameters: input.pathParameters }
      : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: input.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: input.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: asText ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !asText,
  };
};

export const lambdaContext = (functionName: string, timeoutMs = 29_000): Context => {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** Writes a Lambda result the way API Gateway's payload 2.0 response mapping does. */
const writeResult = (res: ServerResponse, result: unknown): void => {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(typeof result === 'string' ? result : JSON.stringify(result ?? null));
    return;
  }
  const r = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string | number | string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  if (!('content-type' in headers) && r.body !== undefined) headers['content-type'] = 'application/json';
  res.writeHead(r.statusCode ?? 200, headers);
  res.end(r.body === undefined ? undefined : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8'));
};

const readBody = (req: IncomingMessage): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= gatewayMaxBody) chunks.push(c);
    });
    req.on('end', () => resolve(size > gatewayMaxBody ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

export interface GatewayOptions {
  routes?: readonly RouteDefinition[];
  loaders?: Record<FunctionName, () => Promise<{ handler: LambdaHandler }>>;
  onError?: (error: unknown) => void;
  /** Pages only `npm start` serves (not routes of the stack), asked before the routes. */
  localPages?: (method: string, url: URL) => LocalPage | undefined;
}

export const createGateway = (options: GatewayOptions = {}): Server => {
  const compiled = (options.routes ?? routes).map(compileRoute);
  const loaders = options.loaders ?? handlerLoaders;
  const cache = new Map<FunctionName, Promise<{ handler: LambdaHandler }>>();
  const load = (fn: FunctionName) => {
    let p = cache.get(fn);
    if (!p) cache.set(fn, (p = loaders[fn]()));
    return p;
  };

  return createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (body === 'too_large') {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'payload_too_large', message: 'Request body exceeds 10 MiB' } }));
        return;
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const page = options.localPages?.(method, new URL(req.url ?? '/', 'http://localhost'));
      if (page) {
        res.writeHead(page.status, { 'content-type': page.contentType, 'cache-control': 'no-store' });
        res.end(page.body);
        return;
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const match = matchRoute(compiled, method, path);
      if (!match) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody(routeNotFound(method, path))));
        return;
      }
      const event = buildEvent({
        method,
        url: req.url ?? '/',
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        routeKey: `${match.route.method} ${match.route.path}`,
        pathParameters: match.pathParameters,
      });
      const { handler } = await load(match.route.fn);
      writeResult(res, await handler(event, lambdaContext(match.route.fn)));
    } catch (e) {
      options.onError?.(e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Internal Server Error' } }));
    }
  });
};

export const listen = (server: Server, port: number, host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });

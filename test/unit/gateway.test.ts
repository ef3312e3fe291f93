import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNames, routes, type FunctionName, type RouteDefinition } from '../../infra/routes';
import {
  buildEvent,
  compileRoute,
  createGateway,
  lambdaContext,
  listen,
  matchRoute,
  type BuildEventInput,
} from '../../local/gateway';
import type { LambdaHandler } from '../../local/handlers';
import { rawBody } from '../../shared/http/request';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const event = (overrides: Partial<BuildEventInput> = {}): APIGatewayProxyEventV2 =>
  buildEvent({
    method: 'POST',
    url: '/webhooks/shop-1',
    rawHeaders: ['Host', 'api.example.com', 'Content-Type', 'application/json'],
    body: Buffer.alloc(0),
    sourceIp: '203.0.113.7',
    routeKey: 'POST /webhooks/{shopId}',
    ...overrides,
  });

describe('buildEvent', () => {
  it('is a payload-format 2.0 event with routeKey and requestContext.http filled in', () => {
    const now = new Date('2024-03-05T07:08:09.123Z');
    const e = buildEvent({
      method: 'GET',
      url: '/admin/shops/acme?x=1',
      rawHeaders: ['Host', 'api.example.com', 'User-Agent', 'curl/8.0'],
      body: Buffer.alloc(0),
      sourceIp: '198.51.100.1',
      routeKey: 'GET /admin/shops/{shopId}',
      pathParameters: { shopId: 'acme' },
      now,
    });
    expect(e.version).toBe('2.0');
    expect(e.routeKey).toBe('GET /admin/shops/{shopId}');
    expect(e.rawPath).toBe('/admin/shops/acme');
    expect(e.pathParameters).toEqual({ shopId: 'acme' });
    expect(e.requestContext.routeKey).toBe('GET /admin/shops/{shopId}');
    expect(e.requestContext.stage).toBe('$default');
    expect(e.requestContext.domainName).toBe('api.example.com');
    expect(e.requestContext.domainPrefix).toBe('api');
    expect(e.requestContext.http).toEqual({
      method: 'GET',
      path: '/admin/shops/acme',
      protocol: 'HTTP/1.1',
      sourceIp: '198.51.100.1',
      userAgent: 'curl/8.0',
    });
    expect(e.requestContext.time).toBe('05/Mar/2024:07:08:09 +0000');
    expect(e.requestContext.timeEpoch).toBe(now.getTime());
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event().requestContext.requestId).not.toBe(event().requestContext.requestId);
    // No body: neither body nor base64 flag.
    expect(e.body).toBeUndefined();
    expect(e.isBase64Encoded).toBe(false);
  });

  it('lower-cases header names and joins repeated headers with ","', () => {
    const e = event({
      rawHeaders: [
        'Host',
        'h',
        'X-Shopify-Topic',
        'orders/create',
        'Accept',
        'text/html',
        'ACCEPT',
        'application/json',
        'accept',
        '*/*',
      ],
    });
    expect(e.headers).toEqual({
      host: 'h',
      'x-shopify-topic': 'orders/create',
      accept: 'text/html,application/json,*/*',
    });
    for (const name of Object.keys(e.headers)) expect(name).toBe(name.toLowerCase());
  });

  it('moves cookies into `cookies` (split on ";") and out of the headers', () => {
    const e = event({ rawHeaders: ['Host', 'h', 'Cookie', 'a=1; b=2;c=3', 'cookie', 'd=4'] });
    expect(e.cookies).toEqual(['a=1', 'b=2', 'c=3', 'd=4']);
    expect(e.headers.cookie).toBeUndefined();
    expect(event().cookies).toBeUndefined();
  });

  it('keeps rawQueryString as sent and comma-joins repeated keys in queryStringParameters', () => {
    const e = event({ url: '/x?a=1&b=two&a=3&empty=&enc=a%20b%26c&uni=%C3%A9' });
    expect(e.rawQueryString).toBe('a=1&b=two&a=3&empty=&enc=a%20b%26c&uni=%C3%A9');
    expect(e.queryStringParameters).toEqual({ a: '1,3', b: 'two', empty: '', enc: 'a b&c', uni: 'é' });
    expect(e.rawPath).toBe('/x');
  });

  it('does not re-encode the raw query string', () => {
    const e = event({ url: `/x?q=it's&d="x"` });
    expect(e.rawQueryString).toBe(`q=it's&d="x"`);
    expect(e.queryStringParameters).toEqual({ q: "it's", d: '"x"' });
  });

  it('has an empty rawQueryString and no queryStringParameters without a query', () => {
    const e = event({ url: '/x' });
    expect(e.rawQueryString).toBe('');
    expect(e.queryStringParameters).toBeUndefined();
    expect(e.pathParameters).toBeUndefined();
  });

  it('passes a JSON body as text, isBase64Encoded false', () => {
    const body = '{"id":1,"name":"Ærø Café ☕"}';
    const e = event({ body: Buffer.from(body, 'utf8') });
    expect(e.isBase64Encoded).toBe(false);
    expect(e.body).toBe(body);
    expect(rawBody(e).equals(Buffer.from(body, 'utf8'))).toBe(true);
  });

  it.each([
    'text/plain; charset=utf-8',
    'application/vnd.api+json',
    'application/xml',
    'application/x-www-form-urlencoded',
  ])('treats %s as text', (contentType) => {
    const e = event({ rawHeaders: ['Content-Type', contentType], body: Buffer.from('a=1&b=ü') });
    expect(e.isBase64Encoded).toBe(false);
    expect(e.body).toBe('a=1&b=ü');
  });

  it('base64-encodes a binary body and rawBody round-trips it byte for byte', () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x0d, 0x1b, 0xc3]);
    const e = event({ rawHeaders: ['Content-Type', 'application/octet-stream'], body: bytes });
    expect(e.isBase64Encoded).toBe(true);
    expect(e.body).toBe(bytes.toString('base64'));
    expect(rawBody(e).equals(bytes)).toBe(true);
  });

  it('base64-encodes a "JSON" body that is not valid UTF-8 instead of mangling it', () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')]); // Latin-1 é
    const e = event({ body: bytes });
    expect(e.isBase64Encoded).toBe(true);
    expect(rawBody(e).equals(bytes)).toBe(true);
  });

  it('base64-encodes a body without content type', () => {
    const e = event({ rawHeaders: [], body: Buffer.from('hello') });
    expect(e.isBase64Encoded).toBe(true);
    expect(rawBody(e).toString()).toBe('hello');
  });

  it('round-trips any bytes under any content type (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'image/png', ''),
        (arr, contentType) => {
          const bytes = Buffer.from(arr);
          const e = event({ rawHeaders: contentType ? ['Content-Type', contentType] : [], body: bytes });
          expect(rawBody(e).equals(bytes)).toBe(true);
          // Text only for textual types, and then only when the text is exactly those bytes.
          if (bytes.length > 0 && !e.isBase64Encoded) {
            expect(['application/json', 'text/plain']).toContain(contentType);
            expect(Buffer.from(e.body!, 'utf8').equals(bytes)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('matchRoute', () => {
  const compiled = routes.map(compileRoute);

  it('matches every route of infra/routes.ts by method and path', () => {
    expect(matchRoute(compiled, 'GET', '/health')).toEqual({
      route: { method: 'GET', path: '/health', fn: 'health' },
      pathParameters: {},
    });
    expect(matchRoute(compiled, 'POST', '/admin/shops')?.route.fn).toBe('shops');
    expect(matchRoute(compiled, 'GET', '/admin/shops/acme-1')).toEqual({
      route: { method: 'GET', path: '/admin/shops/{shopId}', fn: 'shops' },
      pathParameters: { shopId: 'acme-1' },
    });
    expect(matchRoute(compiled, 'PATCH', '/admin/shops/acme-1')?.route.path).toBe('/admin/shops/{shopId}');
  });

  it('does not match a wrong method, extra or missing segments, or a trailing slash', () => {
    expect(matchRoute(compiled, 'DELETE', '/health')).toBeUndefined();
    expect(matchRoute(compiled, 'PUT', '/admin/shops')).toBeUndefined();
    expect(matchRoute(compiled, 'GET', '/admin/shops/acme/extra')).toBeUndefined();
    expect(matchRoute(compiled, 'GET', '/admin/shops/')).toBeUndefined();
    expect(matchRoute(compiled, 'GET', '/health/')).toBeUndefined();
    expect(matchRoute(compiled, 'GET', '/healthz')).toBeUndefined();
  });

  it('supports greedy {proxy+} parameters and treats literal segments literally', () => {
    const custom: RouteDefinition[] = [
      { method: 'GET', path: '/files/{path+}', fn: 'health' },
      { method: 'GET', path: '/v1.0/{a}/x/{b}', fn: 'shops' },
    ];
    const c = custom.map(compileRoute);
    expect(matchRoute(c, 'GET', '/files/a/b/c.txt')?.pathParameters).toEqual({ path: 'a/b/c.txt' });
    expect(matchRoute(c, 'GET', '/v1.0/one/x/two')?.pathParameters).toEqual({ a: 'one', b: 'two' });
    expect(matchRoute(c, 'GET', '/v1X0/one/x/two')).toBeUndefined();
  });
});

describe('lambdaContext', () => {
  it('counts down the remaining time', () => {
    const ctx = lambdaContext('shops', 1000);
    expect(ctx.functionName).toBe('shops');
    expect(ctx.getRemainingTimeInMillis()).toBeGreaterThan(900);
    expect(ctx.getRemainingTimeInMillis()).toBeLessThanOrEqual(1000);
  });
});

describe('createGateway with stub handlers', () => {
  let server: Server;
  let base: string;
  const seen: APIGatewayProxyEventV2[] = [];
  const errors: unknown[] = [];

  const echo: LambdaHandler = async (e: APIGatewayProxyEventV2) => {
    seen.push(e);
    const bytes = rawBody(e);
    if (e.rawPath === '/health') return { statusCode: 200, body: JSON.stringify({ status: 'ok' }) };
    if (e.queryStringParameters?.mode === 'throw') throw new Error('boom');
    if (e.queryStringParameters?.mode === 'binary') {
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/octet-stream' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      };
    }
    if (e.queryStringParameters?.mode === 'plain') return { ok: true };
    return {
      statusCode: 202,
      headers: { 'X-Echo': 'yes' },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: JSON.stringify({
        sha256: sha256(bytes),
        length: bytes.length,
        isBase64Encoded: e.isBase64Encoded,
        routeKey: e.routeKey,
        pathParameters: e.pathParameters,
      }),
    };
  };

  beforeAll(async () => {
    server = createGateway({
      loaders: Object.fromEntries(functionNames.map((fn) => [fn, async () => ({ handler: echo })])) as Record<
        FunctionName,
        () => Promise<{ handler: LambdaHandler }>
      >,
      onError: (e) => errors.push(e),
    });
    base = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(async () => {
    await new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    });
  });

  /** Sends exact bytes with node:http (no client-side re-encoding of any kind). */
  const send = (method: string, path: string, body: Buffer, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${base}${path}`,
          { method, headers: { ...headers, 'content-length': String(body.length) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );

  it('hands the handler the body byte for byte (whitespace, unicode, \\/ escapes, CRLF, BOM)', async () => {
    const text = '\uFEFF{ "note" :\t"a\\/b \\u00e9 é 😀 \u2028",\r\n  "n": 1.50 , "z":"\\"" }  \n\n';
    const bytes = Buffer.from(text, 'utf8');
    const res = await send('PATCH', '/admin/shops/acme', bytes, { 'content-type': 'application/json' });
    expect(res.status).toBe(202);
    const out = JSON.parse(res.body.toString());
    expect(out).toEqual({
      sha256: sha256(bytes),
      length: bytes.length,
      isBase64Encoded: false,
      routeKey: 'PATCH /admin/shops/{shopId}',
      pathParameters: { shopId: 'acme' },
    });
  });

  it('hands the handler non-UTF-8 and binary bodies byte for byte', async () => {
    for (const [contentType, bytes] of [
      ['application/json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0xff, 0x22, 0x7d])],
      ['application/octet-stream', randomBytes(4096)],
    ] as const) {
      const res = await send('POST', '/admin/shops', bytes, { 'content-type': contentType });
      const out = JSON.parse(res.body.toString());
      expect(out.sha256).toBe(sha256(bytes));
      expect(out.isBase64Encoded).toBe(true);
    }
  });

  it('maps the structured result: status, lower-cased headers, cookies as Set-Cookie, default JSON content type', async () => {
    const res = await fetch(`${base}/admin/shops/acme`, {
      method: 'PATCH',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('decodes a base64 result into raw bytes', async () => {
    const bytes = randomBytes(1000);
    const res = await send('POST', '/admin/shops?mode=binary', bytes, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.body.equals(bytes)).toBe(true);
  });

  it('serialises a non-structured result as a 200 JSON body', async () => {
    const res = await fetch(`${base}/admin/shops?mode=plain`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers 404 route_not_found for an unmatched request without invoking a handler', async () => {
    const before = seen.length;
    const res = await fetch(`${base}/nope?x=1`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'route_not_found', message: 'No route for POST /nope' } });
    expect(seen.length).toBe(before);
  });

  it('turns a handler crash into an opaque 500 and reports it', async () => {
    const res = await fetch(`${base}/admin/shops?mode=throw`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'Internal Server Error' } });
    expect(errors.some((e) => e instanceof Error && e.message === 'boom')).toBe(true);
  });

  it('refuses bodies over 10 MiB with 413 before any handler runs', async () => {
    const before = seen.length;
    const res = await send('POST', '/admin/shops', Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString()).error.code).toBe('payload_too_large');
    expect(seen.length).toBe(before);
  });

  it('fills sourceIp and the headers as the client sent them', async () => {
    await send('POST', '/admin/shops?a=1&a=2', Buffer.from('{}'), {
      'content-type': 'application/json',
      'X-Trace': 't1',
      cookie: 'sid=abc; theme=dark',
    });
    const e = seen.at(-1)!;
    expect(e.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(e.headers['x-trace']).toBe('t1');
    expect(e.cookies).toEqual(['sid=abc', 'theme=dark']);
    expect(e.rawQueryString).toBe('a=1&a=2');
    expect(e.queryStringParameters).toEqual({ a: '1,2' });
  });
});

import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../shared/adapters/logger';

const capture = (level: Parameters<typeof createLogger>[0] = 'debug') => {
  const lines: string[] = [];
  const logger = createLogger(level, (l) => lines.push(l));
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

const SECRET = 'sEcReT-VaLuE-123';

/** Wraps `leaf` in `depth` levels of objects and arrays. */
const nest = (leaf: unknown, depth: number): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { level: v };
  return v;
};

describe('redact', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'secret',
    'webhookSecret',
    'previousWebhookSecret',
    'client_secret',
    'apiKey',
    'api_key',
    'api-key',
    'x-api-key',
    'APIKEY',
    'signature',
    'x-wc-webhook-signature',
    'x-shopify-hmac-sha256',
    'hmac',
    'password',
    'token',
    'accessToken',
    'cookie',
    'set-cookie',
  ])('redacts the value of %s', (key) => {
    expect(redact({ [key]: SECRET })).toEqual({ [key]: '[redacted]' });
  });

  it('redacts whole sub-trees under a secret key, not just strings', () => {
    expect(redact({ secrets: { a: SECRET }, tokens: [SECRET] })).toEqual({
      secrets: '[redacted]',
      tokens: '[redacted]',
    });
  });

  it('keeps ordinary keys and values', () => {
    const data = { shopId: 'acme', count: 3, ok: true, none: null, list: [1, 'two'], nested: { orderId: '1001' } };
    expect(redact(data)).toEqual(data);
  });

  it('redacts inside arrays and nested objects', () => {
    const data = {
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${SECRET}` },
      deliveries: [
        { id: 1, signature: SECRET },
        { id: 2, meta: { apiKey: SECRET } },
      ],
    };
    expect(redact(data)).toEqual({
      headers: { 'content-type': 'application/json', Authorization: '[redacted]' },
      deliveries: [
        { id: 1, signature: '[redacted]' },
        { id: 2, meta: { apiKey: '[redacted]' } },
      ],
    });
  });

  it.each([2, 5, 8])('redacts a secret nested %i levels deep', (depth) => {
    expect(JSON.stringify(redact(nest({ webhookSecret: SECRET }, depth)))).not.toContain(SECRET);
  });

  // Past the depth limit the value is truncated, never passed through in clear.
  it.each([9, 12, 20])('redacts a secret nested %i levels deep (beyond the depth limit)', (depth) => {
    expect(JSON.stringify(redact(nest({ webhookSecret: SECRET }, depth)))).not.toContain(SECRET);
  });

  it('turns an Error into name, message and stack', () => {
    const e = new TypeError('bad thing');
    const out = redact({ error: e }) as { error: Record<string, unknown> };
    expect(out.error).toMatchObject({ name: 'TypeError', message: 'bad thing' });
    expect(out.error.stack).toContain('bad thing');
  });

  it('does not mutate its input', () => {
    const data = { headers: { authorization: SECRET } };
    redact(data);
    expect(data.headers.authorization).toBe(SECRET);
  });
});

describe('createLogger', () => {
  it('writes one JSON line per call with level, time, message and the data', () => {
    const { logger, lines, parsed } = capture('debug');
    logger.info('shop created', { shopId: 'acme' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'info', message: 'shop created', shopId: 'acme' });
    expect(Date.parse(line!.time as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('never writes a secret that is passed under a secret-looking key, at any level', () => {
    const { logger, lines } = capture('debug');
    const data = {
      headers: { authorization: `Bearer ${SECRET}`, 'x-shopify-hmac-sha256': SECRET },
      shop: { webhookSecret: SECRET, previousWebhookSecret: SECRET, apiKey: SECRET },
      list: [{ token: SECRET }],
    };
    logger.debug('d', data);
    logger.info('i', data);
    logger.warn('w', data);
    logger.error('e', data);
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      expect(l).not.toContain(SECRET);
      expect(l).toContain('[redacted]');
    }
  });

  it('drops lines below its level; silent writes nothing', () => {
    const warn = capture('warn');
    warn.logger.debug('d');
    warn.logger.info('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    expect(warn.parsed().map((l) => l.level)).toEqual(['warn', 'error']);

    const silent = capture('silent');
    silent.logger.error('e', { x: 1 });
    expect(silent.lines).toEqual([]);
  });

  it('logs an error with its message and stack', () => {
    const { logger, parsed } = capture();
    logger.error('failed', { error: new Error('kaput') });
    expect(parsed()[0]).toMatchObject({ error: { name: 'Error', message: 'kaput' } });
  });

  // The error middleware logs with this logger: a cycle must not turn a handled request into a crash.
  it('does not throw on a circular value', () => {
    const { logger, lines } = capture();
    const circular: Record<string, unknown> = { shopId: 'acme' };
    circular.self = circular;
    expect(() => logger.error('cycle', { circular })).not.toThrow();
    expect(lines).toHaveLength(1);
  });
});

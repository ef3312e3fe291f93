import type { Logger } from '../app/ports/logger';

/**
 * Structured JSON logs. Anything whose key looks like a secret is replaced before it is
 * written, so a careless `logger.info('x', { headers })` cannot leak a key or signature.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export const isLogLevel = (value: unknown): value is Level | 'silent' =>
  typeof value === 'string' && Object.hasOwn(order, value);

const secretKey = /authorization|secret|password|token|api[-_]?key|signature|hmac|cookie/i;

export const redact = (value: unknown, depth = 0): unknown => {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth > 8) return '[truncated]';
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = secretKey.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
};

export const createLogger = (
  level: Level | 'silent' = 'info',
  sink: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Logger => {
  const emit = (at: Level) => (message: string, data?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    sink(
      JSON.stringify({ level: at, time: new Date().toISOString(), message, ...(data ? (redact(data) as object) : {}) }),
    );
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
};

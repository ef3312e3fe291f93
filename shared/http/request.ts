import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { badRequest, HttpError, payloadTooLarge } from './errors';
import { statsQuerySchema } from '../schemas/customers';

export type HttpEvent = APIGatewayProxyEventV2;

/** 1 MiB: larger than any order webhook a platform sends. */
export const maxBodyBytes = 1024 * 1024;

/** The request body exactly as the client sent it (signatures are computed over these bytes). */
export const rawBody = (event: HttpEvent, limitBytes = maxBodyBytes): Buffer => {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > limitBytes) throw payloadTooLarge(limitBytes);
  return bytes;
};

export const header = (event: HttpEvent, name: string): string | undefined => event.headers?.[name.toLowerCase()];

export const pathParam = (event: HttpEvent, name: string): string => {
  const value = event.pathParameters?.[name];
  if (value === undefined) throw new HttpError(500, 'route_misconfigured', `Route lacks path parameter ${name}`);
  try {
    return decodeURIComponent(value);
  } catch {
    throw badRequest('malformed_path', `Path parameter ${name} is not validly percent-encoded`);
  }
};

/** Zod issues as field-level details: `[{ path: "program.earning.rate", message, code }]`. */
export const validationDetails = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));

export const parseWith = <S extends z.ZodType>(schema: S, value: unknown, what = 'Request body'): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest('validation_failed', `${what} is invalid`, validationDetails(parsed.error));
  return parsed.data;
};

export const parseJson = (bytes: Buffer): unknown => {
  if (bytes.length === 0) throw badRequest('missing_body', 'Request body is required');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badRequest('malformed_json', 'Request body is not valid JSON');
  }
};

/** Parses and validates a JSON body in one step. */
export const jsonBody = <S extends z.ZodType>(event: HttpEvent, schema: S): z.infer<S> =>
  parseWith(schema, parseJson(rawBody(event)));

/**
 * The `?from=&to=` UTC day range of a stats route: default the 30 days up to `today`; 400
 * `invalid_range` when `from` is after `to`.
 */
export const statsRange = (event: HttpEvent, today: string): { from: string; to: string } => {
  const q = parseWith(statsQuerySchema, event.queryStringParameters ?? {}, 'Query');
  const to = q.to ?? today;
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw badRequest('invalid_range', '`from` must not be after `to`');
  return { from, to };
};

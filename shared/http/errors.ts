/**
 * The error every HTTP handler throws (or the error middleware creates) and the one body
 * shape clients see: `{ "error": { "code", "message", "details"? } }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Sent with the error response (e.g. `retry-after`, CORS headers). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export const errorBody = (e: HttpError): ErrorBody => ({
  error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
});

export const badRequest = (code: string, message: string, details?: unknown) =>
  new HttpError(400, code, message, details);
export const unauthorized = (message = 'Missing or invalid credentials') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'These credentials do not grant access to this resource') =>
  new HttpError(403, 'forbidden', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new HttpError(409, code, message, details);
export const payloadTooLarge = (limitBytes: number) =>
  new HttpError(413, 'payload_too_large', `Request body exceeds ${limitBytes} bytes`);

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * A small self-contained HTML page (inline styles only). `formAction` allows the page's own
 * form to post back to itself; everything else is locked down.
 */
export const htmlPage = (
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
  options: { formAction?: boolean; imgSrc?: string } = {},
): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline';${options.imgSrc ? ` img-src ${options.imgSrc};` : ''} base-uri 'none'; form-action ${options.formAction ? "'self'" : "'none'"}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...headers,
  },
  body,
});

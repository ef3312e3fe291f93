/**
 * Every HTTP route and the handler module that serves it. The CDK stack creates one Lambda
 * per handler and one API Gateway HTTP API route per entry; the local gateway matches the
 * same list and invokes the same modules. Paths use API Gateway's `{param}` syntax.
 */
export const functionNames = ['health', 'shops'] as const;
export type FunctionName = (typeof functionNames)[number];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  fn: FunctionName;
}

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', fn: 'health' },
  { method: 'POST', path: '/admin/shops', fn: 'shops' },
  { method: 'GET', path: '/admin/shops/{shopId}', fn: 'shops' },
  { method: 'PATCH', path: '/admin/shops/{shopId}', fn: 'shops' },
];

/** Module path (relative to the repo root) of a function's handler; exports `handler`. */
export const handlerEntry = (fn: string): string => `functions/${fn}/handler.ts`;

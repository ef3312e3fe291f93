import type { Context } from 'aws-lambda';
import { HttpError } from './errors';
import type { HttpEvent } from './request';
import type { HttpResult } from './response';

/** Same body locally and in AWS, where unmatched requests reach a `$default` route. */
export const routeNotFound = (method: string, path: string) =>
  new HttpError(404, 'route_not_found', `No route for ${method} ${path}`);

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * One Lambda may serve several routes of infra/routes.ts; it dispatches on API Gateway's
 * `routeKey` ("POST /admin/shops"), which the local gateway fills in the same way.
 */
export const byRoute =
  (table: Record<string, RouteHandler>): RouteHandler =>
  async (event, context) => {
    const handler = table[event.routeKey];
    if (!handler) throw routeNotFound(event.requestContext.http.method, event.rawPath);
    return handler(event, context);
  };

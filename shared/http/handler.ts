import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { processLogger } from '../wiring/current-runtime';
import { ContentionError, InvalidCursorError } from '../domain/errors';
import { errorBody, HttpError } from './errors';
import type { HttpEvent } from './request';
import { json, type HttpResult } from './response';

/**
 * Wraps an HTTP handler in the one middleware chain every route shares: typed errors become
 * their 4xx body; anything else is logged (redacted) and becomes an opaque 500. It logs through
 * processLogger(), never runtime(): a function that needs no adapters (health) must not build
 * them, nor bundle them, to report an error.
 */
export const httpHandler = (fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) =>
  middy<HttpEvent, HttpResult>()
    .handler(fn)
    .onError(async (request) => {
      const e = request.error;
      if (e instanceof ContentionError) {
        request.response = json(503, errorBody(new HttpError(503, 'busy', e.message)), { 'retry-after': '1' });
        return;
      }
      if (e instanceof InvalidCursorError) {
        request.response = json(400, errorBody(new HttpError(400, 'invalid_cursor', e.message)));
        return;
      }
      if (e instanceof HttpError) {
        if (e.status >= 500) processLogger().error('request failed', { code: e.code, error: e });
        request.response = json(e.status, errorBody(e), e.headers);
        return;
      }
      processLogger().error('unhandled error', {
        error: e,
        route: request.event.routeKey,
        requestId: request.event.requestContext?.requestId,
      });
      request.response = json(
        500,
        errorBody(new HttpError(500, 'internal_error', 'Something went wrong on our side; it has been logged')),
      );
    });

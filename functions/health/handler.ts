import { httpHandler } from '../../shared/http/handler';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';

/** Also serves API Gateway's `$default` route, so unknown paths get the standard error body. */
export const handler = httpHandler(
  byRoute({
    'GET /health': async () => json(200, { status: 'ok' }),
  }),
);

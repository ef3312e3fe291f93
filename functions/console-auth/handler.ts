import { runtime } from '../../shared/wiring/runtime';
import { consoleAuthDeps } from '../../shared/wiring/console-auth-runtime';
import { consoleSessionDeps } from '../../shared/wiring/console-session-runtime';
import { requestSignIn, verifySignIn } from '../../shared/app/console-auth-service';
import { signOut, signOutEverywhere, whoAmI } from '../../shared/app/console-session-service';
import { sessionAbsoluteMs } from '../../shared/domain/console/session';
import { clearedSessionCookie, requireSession, sessionCookie } from '../../shared/http/console-session';
import { HttpError } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { publicBaseUrl } from '../../shared/http/links';
import { jsonBody, parseWith, type HttpEvent } from '../../shared/http/request';
import { htmlPage, json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { meQuerySchema, signInRequestSchema, verifyQuerySchema } from '../../shared/schemas/console';

const noContent = (cookies: string[] = []) => ({ statusCode: 204, headers: { 'cache-control': 'no-store' }, cookies });

/** The page a used, expired or mangled link lands on: people, not scripts, follow these links. */
const invalidLinkPage = () =>
  htmlPage(
    400,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>Sign-in link expired</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5">` +
      `<main data-error="invalid_link"><h1>This sign-in link no longer works</h1>` +
      `<p>A link works once and for 15 minutes. Ask for a new one.</p>` +
      `<p lang="da">Et link virker én gang og i 15 minutter. Bed om et nyt.</p>` +
      `<p><a href="/console">Sign in / Log ind</a></p></main></body></html>`,
  );

const clientAddress = (event: HttpEvent): string => event.requestContext.http.sourceIp ?? 'unknown';

export const handler = httpHandler(
  byRoute({
    'POST /console/auth/request': async (event) => {
      const rt = runtime();
      const { email } = jsonBody(event, signInRequestSchema);
      const r = await requestSignIn(consoleAuthDeps(rt, publicBaseUrl(rt, event)), {
        email,
        client: clientAddress(event),
      });
      if (!r.ok) {
        throw new HttpError(429, 'rate_limited', 'Too many sign-in requests; try again later', undefined, {
          'retry-after': String(r.error.retryAfterSeconds),
        });
      }
      return json(202, { status: 'sent' });
    },

    'GET /console/auth/verify': async (event) => {
      const rt = runtime();
      const query = verifyQuerySchema.safeParse(event.queryStringParameters ?? {});
      if (!query.success) return invalidLinkPage();
      const r = await verifySignIn(consoleAuthDeps(rt), query.data.token);
      if (!r.ok) return invalidLinkPage();
      rt.logger.info('console sign-in', { session: r.value.session.idHash.slice(0, 12) });
      return {
        statusCode: 302,
        headers: { location: '/console', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
        cookies: [sessionCookie(event, r.value.cookie, Math.floor(sessionAbsoluteMs / 1000))],
      };
    },

    'GET /console/auth/me': async (event) => {
      const rt = runtime();
      const active = await requireSession(rt, event);
      const { shopId } = parseWith(meQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await whoAmI(consoleSessionDeps(rt), active, shopId));
    },

    'POST /console/auth/logout': async (event) => {
      const rt = runtime();
      const active = await requireSession(rt, event);
      await signOut(consoleSessionDeps(rt), active.session);
      return noContent([clearedSessionCookie(event)]);
    },

    'POST /console/auth/logout-all': async (event) => {
      const rt = runtime();
      const active = await requireSession(rt, event);
      const ended = await signOutEverywhere(consoleSessionDeps(rt), active.session);
      rt.logger.info('console sign-out everywhere', { sessions: ended });
      return noContent([clearedSessionCookie(event)]);
    },
  }),
);

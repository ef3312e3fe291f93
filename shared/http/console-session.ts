import { activeSession, type ActiveSession } from '../app/console-session-service';
import { cookieValue } from '../domain/referrals/redirect';
import { safeEqual } from '../adapters/secrets';
import type { Runtime } from '../wiring/current-runtime';
import { consoleBuckets, consoleSessionDeps } from '../wiring/console-session-runtime';
import { HttpError, unauthorized } from './errors';
import { header, type HttpEvent } from './request';

/** The console's session cookie (docs/console.md). */
export const sessionCookieName = 'boomerang_console';

const localHost = (event: HttpEvent): boolean =>
  /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(header(event, 'host') ?? event.requestContext.domainName ?? '');

const cookieAttributes = (event: HttpEvent): string =>
  `Path=/; HttpOnly; SameSite=Strict${localHost(event) ? '' : '; Secure'}`;

export const sessionCookie = (event: HttpEvent, value: string, maxAgeSeconds: number): string =>
  `${sessionCookieName}=${value}; Max-Age=${maxAgeSeconds}; ${cookieAttributes(event)}`;

export const clearedSessionCookie = (event: HttpEvent): string =>
  `${sessionCookieName}=; Max-Age=0; ${cookieAttributes(event)}`;

export const hasSessionCookie = (event: HttpEvent): boolean =>
  cookieValue(event.cookies, sessionCookieName) !== undefined;

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The live session behind the request's cookie: 401 without one; 429 past the per-session rate;
 * for a state-changing method, 403 `csrf_failed` unless `x-csrf-token` matches the session's.
 */
export const requireSession = async (rt: Runtime, event: HttpEvent): Promise<ActiveSession> => {
  const cookie = cookieValue(event.cookies, sessionCookieName);
  if (!cookie) throw unauthorized('Sign in to the console first');
  const active = await activeSession(consoleSessionDeps(rt), cookie);
  if (!active) throw new HttpError(401, 'unauthorized', 'The session has ended; sign in again');
  const taken = consoleBuckets(rt).perSession.take(active.session.idHash, rt.clock.now().getTime());
  if (!taken.ok) {
    throw new HttpError(429, 'rate_limited', 'Too many requests from this session', undefined, {
      'retry-after': String(taken.retryAfterSeconds),
    });
  }
  if (!safeMethods.has(event.requestContext.http.method)) {
    const given = header(event, 'x-csrf-token');
    if (!given || !safeEqual(given, active.session.csrfToken)) {
      throw new HttpError(403, 'csrf_failed', 'State-changing console requests need the x-csrf-token header');
    }
  }
  return active;
};

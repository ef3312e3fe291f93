import { createHash } from 'node:crypto';
import { runtime, type Runtime } from '../../shared/wiring/runtime';
import { customerChangeDeps } from '../../shared/wiring/customer-runtime';
import { loyaltyPageSecret } from '../../shared/wiring/loyalty-page-runtime';
import { storefrontLimits, storefrontReadDeps, storefrontShops } from '../../shared/wiring/storefront-runtime';
import {
  authenticate,
  customerHistory,
  customerSelf,
  pageVisitor,
  redeemForCustomer,
  startSession,
  storefrontProgram,
  type IdentityRefusal,
  type StorefrontCustomer,
} from '../../shared/app/storefront-service';
import { resolveLocale } from '../../shared/domain/emails/locales';
import { ContentionError, InvalidCursorError } from '../../shared/domain/errors';
import type { DomainResult } from '../../shared/domain/result';
import type { Shop } from '../../shared/domain/shop';
import { normalizeIp } from '../../shared/domain/referrals/normalize';
import { renderLoyaltyPage } from '../../shared/domain/storefront/page';
import { verifyLoyaltyPageToken } from '../../shared/domain/storefront/page-token';
import { activityChanged, changed, idempotencyKey, requestHash } from '../../shared/http/change-result';
import { claimActivity } from '../../shared/app/activity-service';
import { storefrontActivitySchema } from '../../shared/schemas/activities';
import { HttpError } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { referralLink } from '../../shared/http/links';
import { header, jsonBody, pathParam, type HttpEvent } from '../../shared/http/request';
import { htmlPage, json, type HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { sessionRequestSchema, storefrontRedemptionSchema } from '../../shared/schemas/storefront';

/**
 * The storefront API (docs/storefront.md): public, called from shop pages in browsers. Every
 * answer, errors included, carries CORS headers for the shop's allowed origins only; a request
 * from any other origin is refused before it is served. Identity is a Bearer session token,
 * never a cookie, so there is nothing for another site to ride on (no CSRF surface).
 */

interface Request {
  rt: Runtime;
  event: HttpEvent;
  shop: Shop;
}

const secretMayBeNewer = (e: IdentityRefusal): boolean =>
  e.kind === 'storefront_not_configured' ||
  (e.kind === 'invalid_app_proxy' ? e.reason === 'invalid_signature' : e.reason === 'bad_signature');

/**
 * Runs an identity check on the cached shop and, if it fails, once more on the shop read now:
 * a secret rotated in the last few seconds (the cache's age) is then honoured at once, while
 * successful checks (nearly all) cost no read.
 */
const withFreshShopOnRefusal = async <T>(
  { rt, shop }: Request,
  check: (shop: Shop) => Promise<DomainResult<T, IdentityRefusal>>,
): Promise<DomainResult<T, IdentityRefusal>> => {
  const first = await check(shop);
  // Only a refusal a newer secret could explain is worth a read: a forged token is not.
  if (first.ok || !secretMayBeNewer(first.error)) return first;
  const fresh = await storefrontShops(rt).get(shop.id, true);
  return fresh && fresh.status === 'active' && fresh.version !== shop.version ? check(fresh) : first;
};

const allowedOrigins = (shop: Shop): string[] =>
  shop.storefront?.allowedOrigins ?? [new URL(shop.storefrontUrl).origin.toLowerCase()];

const corsHeaders = (shop: Shop, origin: string | undefined): Record<string, string> =>
  origin && allowedOrigins(shop).includes(origin.toLowerCase())
    ? {
        'access-control-allow-origin': origin,
        'access-control-expose-headers': 'etag, retry-after, idempotent-replayed',
        vary: 'Origin',
      }
    : { vary: 'Origin' };

const tooMany = (retryAfterSeconds: number, headers: Record<string, string>) =>
  new HttpError(429, 'rate_limited', 'Too many requests; try again shortly', undefined, {
    ...headers,
    'retry-after': String(retryAfterSeconds),
  });

/**
 * Runs a storefront route for the shop in the path: the shop must exist and be active, the
 * origin (when a browser sends one) must be allowed, the client IP within its rate; CORS headers
 * go on whatever comes back, errors included, so the widget can read them.
 */
const storefront =
  (fn: (req: Request) => Promise<HttpResult>) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const rt = runtime();
    const shop = await storefrontShops(rt).get(pathParam(event, 'shopId'));
    if (!shop || shop.status !== 'active') throw new HttpError(404, 'shop_not_found', 'No such shop');
    const origin = header(event, 'origin');
    const cors = corsHeaders(shop, origin);
    if (origin && !cors['access-control-allow-origin'])
      throw new HttpError(403, 'origin_not_allowed', `Origin ${origin} may not call this shop's storefront API`);
    const ip = normalizeIp(event.requestContext.http.sourceIp) ?? 'unknown';
    const limited = storefrontLimits(rt).perIp.take(`${shop.id}|${ip}`, rt.clock.now().getTime());
    if (!limited.ok) throw tooMany(limited.retryAfterSeconds, cors);
    try {
      const res = await fn({ rt, event, shop });
      return { ...res, headers: { ...res.headers, ...cors } };
    } catch (e) {
      if (e instanceof HttpError)
        throw new HttpError(e.status, e.code, e.message, e.details, { ...e.headers, ...cors });
      // The widget must be able to read these too, so they get their HTTP form here, with CORS.
      if (e instanceof InvalidCursorError) throw new HttpError(400, 'invalid_cursor', e.message, undefined, cors);
      if (e instanceof ContentionError)
        throw new HttpError(503, 'busy', e.message, undefined, { ...cors, 'retry-after': '1' });
      throw e;
    }
  };

/** The answer to a CORS preflight: which methods and headers a permitted origin may use. */
const preflight = storefront(async () => ({
  statusCode: 204,
  headers: {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, idempotency-key',
    'access-control-max-age': '600',
    'cache-control': 'no-store',
  },
}));

const refused = (e: IdentityRefusal): HttpError => {
  switch (e.kind) {
    case 'storefront_not_configured':
      return new HttpError(
        403,
        'storefront_not_configured',
        'This shop has no storefront secret yet: its owner creates one with POST /admin/shops/{shopId}/storefront-secret',
      );
    case 'invalid_customer_token':
      return new HttpError(401, 'invalid_customer_token', 'The customer token is not valid', { reason: e.reason });
    case 'invalid_session':
      return new HttpError(401, 'invalid_session', 'Sign in again: the session is not valid', { reason: e.reason });
    case 'invalid_app_proxy':
      return new HttpError(401, 'invalid_app_proxy', 'The App Proxy signature is not valid', { reason: e.reason });
  }
};

/** The signed-in customer of a `Authorization: Bearer <sessionToken>` request, within their rate. */
const signedIn = async (req: Request): Promise<Required<StorefrontCustomer>> => {
  const { rt, event, shop } = req;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '')?.[1];
  if (!bearer) throw new HttpError(401, 'invalid_session', 'Send the session token as Authorization: Bearer …');
  const who = await withFreshShopOnRefusal(req, (s) => authenticate(storefrontReadDeps(rt), s, bearer));
  if (!who.ok) throw refused(who.error);
  const limited = storefrontLimits(rt).perCustomer.take(`${shop.id}|${who.value.cid}`, rt.clock.now().getTime());
  if (!limited.ok) throw tooMany(limited.retryAfterSeconds, {});
  return who.value;
};

/** Shopify's App Proxy signs the query; such a request proves the visitor by it, not by a token. */
const appProxyQuery = (event: HttpEvent): string | undefined => {
  const query = event.rawQueryString ?? '';
  return /(?:^|&)signature=/.test(query) ? query : undefined;
};

const localeOf = (event: HttpEvent, shop: Shop) => resolveLocale(event.queryStringParameters?.locale, shop.locale);

/** Public and the same for every visitor of a shop: cacheable, revalidated by ETag. */
const programRoute = storefront(async ({ rt, event, shop }) => {
  const body = JSON.stringify(await storefrontProgram(storefrontReadDeps(rt), shop, localeOf(event, shop)));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = { 'cache-control': 'public, max-age=60', etag, 'content-type': 'application/json; charset=utf-8' };
  if (header(event, 'if-none-match') === etag) return { statusCode: 304, headers };
  return { statusCode: 200, headers, body };
});

/**
 * The hosted loyalty page: signed in by `?token=` (a customer token from the shop, or a page
 * token from one of our e-mails) or Shopify's App Proxy signature; anyone else sees the program.
 */
const loyaltyPage = storefront(async (req) => {
  const { rt, event, shop } = req;
  const token = event.queryStringParameters?.token;
  const locale = localeOf(event, shop);
  const signedQuery = appProxyQuery(event);
  let proof: Parameters<typeof pageVisitor>[2] | undefined;
  if (signedQuery) proof = { appProxyQuery: signedQuery };
  else if (token && token.split('.').length === 3) proof = { customerToken: token };
  else if (token) {
    const secret = await loyaltyPageSecret(rt);
    const page = secret ? verifyLoyaltyPageToken(secret, token, shop.id, rt.clock.now()) : undefined;
    proof = page?.ok ? { pageCid: page.value.cid } : undefined;
  }
  const who = proof
    ? await withFreshShopOnRefusal(req, (s) => pageVisitor(storefrontReadDeps(rt), s, proof))
    : undefined;
  const me = who?.ok
    ? await customerSelf(storefrontReadDeps(rt), shop, who.value, locale, (code) => referralLink(rt, event, code))
    : undefined;
  const html = renderLoyaltyPage(await storefrontProgram(storefrontReadDeps(rt), shop, locale), me, {
    timeZone: shop.timezone,
    linkExpired: !!token && !me,
  });
  return htmlPage(
    200,
    html,
    { 'cache-control': me ? 'private, no-store' : 'public, max-age=60' },
    { imgSrc: 'https:' },
  );
});

export const handler = httpHandler(
  byRoute({
    'GET /p/{shopId}': loyaltyPage,

    'OPTIONS /storefront/{shopId}/session': preflight,
    'OPTIONS /storefront/{shopId}/program': preflight,
    'OPTIONS /storefront/{shopId}/me': preflight,
    'OPTIONS /storefront/{shopId}/me/history': preflight,
    'OPTIONS /storefront/{shopId}/me/redemptions': preflight,
    'OPTIONS /storefront/{shopId}/me/activities': preflight,

    'GET /storefront/{shopId}/program': programRoute,

    // The proof is a customer token in the body, or Shopify's App Proxy signature on the query.
    'POST /storefront/{shopId}/session': storefront(async (req) => {
      const { rt, event } = req;
      const signedQuery = appProxyQuery(event);
      const proof = signedQuery
        ? { appProxyQuery: signedQuery }
        : { customerToken: jsonBody(event, sessionRequestSchema).customerToken };
      const r = await withFreshShopOnRefusal(req, (s) => startSession(storefrontReadDeps(rt), s, proof));
      if (!r.ok) throw refused(r.error);
      return json(200, r.value);
    }),

    'GET /storefront/{shopId}/me': storefront(async (req) => {
      const who = await signedIn(req);
      const { rt, event, shop } = req;
      const me = await customerSelf(storefrontReadDeps(rt), shop, who, localeOf(event, shop), (code) =>
        referralLink(rt, event, code),
      );
      return json(200, me);
    }),

    'GET /storefront/{shopId}/me/history': storefront(async (req) => {
      const who = await signedIn(req);
      const { rt, event, shop } = req;
      const cursor = event.queryStringParameters?.cursor;
      return json(200, await customerHistory(storefrontReadDeps(rt), shop, who, localeOf(event, shop), cursor));
    }),

    'POST /storefront/{shopId}/me/redemptions': storefront(async (req) => {
      const who = await signedIn(req);
      const { rt, event, shop } = req;
      const key = idempotencyKey(event, true);
      const body = jsonBody(event, storefrontRedemptionSchema);
      const r = await redeemForCustomer(customerChangeDeps(rt), shop, who, {
        key,
        requestHash: requestHash(event, who.cid),
        rewardId: body.rewardId,
      });
      const result = changed(r);
      rt.logger.info('storefront redemption', { shopId: shop.id, cid: who.cid, rewardId: body.rewardId });
      return result;
    }),

    /** The customer claims a self-declared way to earn (docs/engagement.md). */
    'POST /storefront/{shopId}/me/activities': storefront(async (req) => {
      const who = await signedIn(req);
      const { rt, event, shop } = req;
      const body = jsonBody(event, storefrontActivitySchema);
      const r = await claimActivity(customerChangeDeps(rt), shop, who, body);
      const result = activityChanged(r);
      rt.logger.info('storefront activity', { shopId: shop.id, cid: who.cid, type: body.type });
      return result;
    }),
  }),
);

import { clicksDeps } from '../../shared/wiring/clicks-runtime';
import { leanRuntime, type LeanRuntime } from '../../shared/wiring/lean-runtime';
import { createClicksService, type ClickOutcome, type ClicksService } from '../../shared/app/click-service';
import { inactiveLinkPage, rateLimitedPage } from '../../shared/domain/referrals/redirect';
import { httpHandler } from '../../shared/http/handler';
import { header, type HttpEvent } from '../../shared/http/request';
import { htmlPage, type HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';

/**
 * `GET /r/{code}`: the public referral link. Unauthenticated; see shared/app/click-service.ts
 * for what it reads, writes and caches. The per-IP rate is BOOMERANG_CLICK_RATE_PER_MINUTE.
 * Public and latency-sensitive, so it runs on the lean runtime (no AWS SDK client in its bundle).
 */

/** One service (caches, rate limiter) per runtime, i.e. per container; rebuilt if the runtime is replaced. */
let current: { rt: LeanRuntime; service: ClicksService } | undefined;

const service = (): ClicksService => {
  const rt = leanRuntime();
  if (current?.rt !== rt) current = { rt, service: createClicksService(clicksDeps(rt)) };
  return current.service;
};

const html = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult =>
  htmlPage(statusCode, body, headers);

export const toResult = (outcome: ClickOutcome): HttpResult => {
  switch (outcome.kind) {
    case 'redirect':
      return {
        statusCode: 302,
        headers: {
          location: outcome.location,
          'cache-control': 'no-store',
          'referrer-policy': 'strict-origin-when-cross-origin',
        },
        ...(outcome.cookies.length ? { cookies: outcome.cookies } : {}),
      };
    case 'inactive':
      return html(404, inactiveLinkPage(outcome.lang));
    case 'rate_limited':
      return html(429, rateLimitedPage(outcome.lang), { 'retry-after': String(outcome.retryAfterSeconds) });
  }
};

const redirect = async (event: HttpEvent): Promise<HttpResult> => {
  const outcome = await service().click({
    rawCode: event.pathParameters?.code,
    cookies: event.cookies,
    userAgent: header(event, 'user-agent'),
    sourceIp: event.requestContext.http.sourceIp,
    acceptLanguage: header(event, 'accept-language'),
  });
  return toResult(outcome);
};

export const handler = httpHandler(byRoute({ 'GET /r/{code}': redirect }));

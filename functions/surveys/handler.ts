import type { Context } from 'aws-lambda';
import { runtime, type Runtime } from '../../shared/wiring/runtime';
import { feedbackAlertDeps, surveyDeps } from '../../shared/wiring/survey-runtime';
import { storefrontLimits, storefrontShops } from '../../shared/wiring/storefront-runtime';
import { runScheduledFeedbackAlerts, sendFeedbackAlerts } from '../../shared/app/feedback-alert-service';
import { answerSurvey, openSurvey } from '../../shared/app/survey-service';
import { resolveLocale, type EmailLocale } from '../../shared/domain/emails/locales';
import { makeFormatter } from '../../shared/domain/emails/format';
import { normalizeIp } from '../../shared/domain/referrals/normalize';
import type { Shop } from '../../shared/domain/shop';
import { surveyFormPage, surveyOutcomePage } from '../../shared/domain/surveys/page';
import { requireShopAccess } from '../../shared/http/auth';
import { HttpError } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, parseJson, parseWith, pathParam, rawBody, type HttpEvent } from '../../shared/http/request';
import { htmlPage, json, type HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import {
  feedbackAlertsRequestSchema,
  parseSurveyForm,
  scheduledFeedbackAlertsSchema,
  surveyQuerySchema,
} from '../../shared/schemas/surveys';

/**
 * Post-purchase surveys (docs/surveys.md): the hosted page behind the e-mail's signed link
 * (public; the token is the only credential) and the feedback alerts (the hourly schedule, and
 * `POST …/jobs/feedback-alerts` for one shop now).
 */

/** A survey is answered in seconds; the form is small, so a larger post is not a survey. */
const maxFormBytes = 16 * 1024;

interface PageRequest {
  rt: Runtime;
  event: HttpEvent;
  shop: Shop;
  lang: EmailLocale;
}

/** The shop in the path, active, and the client within its storefront rate (per IP). */
const surveyPage =
  (fn: (req: PageRequest) => Promise<HttpResult>) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const rt = runtime();
    const shop = await storefrontShops(rt).get(pathParam(event, 'shopId'));
    const lang = resolveLocale(header(event, 'accept-language')?.split(',')[0], shop?.locale);
    if (!shop || shop.status !== 'active') return htmlPage(404, surveyOutcomePage(lang, '', { kind: 'invalid' }));
    const ip = normalizeIp(event.requestContext.http.sourceIp) ?? 'unknown';
    const limited = storefrontLimits(rt).perIp.take(`survey|${shop.id}|${ip}`, rt.clock.now().getTime());
    if (!limited.ok)
      throw new HttpError(429, 'rate_limited', 'Too many requests; try again shortly', undefined, {
        'retry-after': String(limited.retryAfterSeconds),
      });
    return fn({ rt, event, shop, lang });
  };

/** The link names the customer's language; without a valid one, the browser's or the shop's. */
const langOf = (shop: Shop, claimed: string | undefined, fallback: EmailLocale): EmailLocale =>
  claimed ? resolveLocale(claimed, shop.locale) : fallback;

const formFields = (event: HttpEvent): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody(event, maxFormBytes).toString('utf8'))) fields[k] ??= v;
  return fields;
};

const page = (status: number, html: string) => htmlPage(status, html, {}, { formAction: true });

const http = httpHandler(
  byRoute({
    /** The questions (or "already answered"); an invalid or expired link: 400. */
    'GET /survey/{shopId}': surveyPage(async ({ rt, event, shop, lang }) => {
      const query = surveyQuerySchema.safeParse(event.queryStringParameters ?? {});
      const opened = query.success ? await openSurvey(await surveyDeps(rt), shop, query.data.token) : undefined;
      if (!opened?.ok) return page(400, surveyOutcomePage(lang, shop.name, { kind: 'invalid' }));
      const l = langOf(shop, opened.value.claims.locale, lang);
      if (opened.value.answered) return page(200, surveyOutcomePage(l, shop.name, { kind: 'already' }));
      return page(200, surveyFormPage(l, shop.name, query.data!.token));
    }),

    /** The form's post: recorded once; a repeat shows "already answered" and changes nothing. */
    'POST /survey/{shopId}': surveyPage(async ({ rt, event, shop, lang }) => {
      const parsed = parseSurveyForm(formFields(event));
      const deps = await surveyDeps(rt);
      if (!parsed.ok) {
        const opened = parsed.token && !parsed.malformed ? await openSurvey(deps, shop, parsed.token) : undefined;
        if (!opened?.ok) return page(400, surveyOutcomePage(lang, shop.name, { kind: 'invalid' }));
        const l = langOf(shop, opened.value.claims.locale, lang);
        if (opened.value.answered) return page(200, surveyOutcomePage(l, shop.name, { kind: 'already' }));
        return page(400, surveyFormPage(l, shop.name, parsed.token!, parsed.state));
      }
      const answered = await answerSurvey(deps, shop, parsed.form);
      if (!answered.ok) return page(400, surveyOutcomePage(lang, shop.name, { kind: 'invalid' }));
      const { outcome, claims, points } = answered.value;
      const l = langOf(shop, claims.locale, lang);
      rt.logger.info('survey answered', { shopId: shop.id, surveyId: claims.surveyId, outcome });
      if (outcome === 'already_answered') return page(200, surveyOutcomePage(l, shop.name, { kind: 'already' }));
      const shown = points > 0 ? makeFormatter(l, shop.timezone).integer(points) : undefined;
      return page(200, surveyOutcomePage(l, shop.name, { kind: 'thanks', ...(shown ? { points: shown } : {}) }));
    }),

    /** The shop's pending feedback alerts now, like the other job routes; a summary of what went. */
    'POST /admin/shops/{shopId}/jobs/feedback-alerts': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const raw = rawBody(event);
      const { asOf } = parseWith(feedbackAlertsRequestSchema, raw.length ? parseJson(raw) : {});
      const summary = await sendFeedbackAlerts(feedbackAlertDeps(rt), shop, asOf ? new Date(asOf) : rt.clock.now());
      return json(200, { status: 'succeeded', result: summary });
    },
  }),
);

/** The hourly schedule: every shop's pending alerts. */
const scheduled = async (input: unknown) => {
  const rt = runtime();
  const event = scheduledFeedbackAlertsSchema.parse(input ?? {});
  const summary = await runScheduledFeedbackAlerts({ ...feedbackAlertDeps(rt), shops: rt.shops }, event.asOf);
  rt.logger.info('feedback alerts done', summary);
  return summary;
};

const isHttpEvent = (event: unknown): event is HttpEvent =>
  typeof event === 'object' && event !== null && 'requestContext' in event;

/** One function for the page, the job route and the schedule, told apart by `requestContext`. */
export const handler = async (event: unknown, context: Context) =>
  isHttpEvent(event) ? http(event, context) : scheduled(event);

import { mailer, outboxStore, unsubscribeSecret } from '../../shared/wiring/outbox-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { previewEmail, sendTestEmail } from '../../shared/app/email-service';
import {
  listOutbox,
  listSuppressions,
  outboxStats,
  readUnsubscribeLink,
  retryOutboxItem,
  suppressManually,
  unsubscribe,
  unsuppressAddress,
} from '../../shared/app/outbox-admin-service';
import { resolveLocale } from '../../shared/domain/emails/templates';
import {
  invalidUnsubscribePage,
  unsubscribeAskPage,
  unsubscribedPage,
} from '../../shared/domain/emails/unsubscribe-page';
import { audit } from '../../shared/http/audit';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, jsonBody, parseWith, pathParam, statsRange, type HttpEvent } from '../../shared/http/request';
import { htmlPage, json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { publicBaseUrl } from '../../shared/http/links';
import {
  outboxIdSchema,
  outboxQuerySchema,
  previewPathSchema,
  testSendSchema,
  previewQuerySchema,
  suppressionEmailSchema,
  suppressionRequestSchema,
  suppressionsQuerySchema,
} from '../../shared/schemas/emails';

const access = async (event: HttpEvent) => {
  const rt = runtime();
  const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  return { rt, principal, shop };
};

const emailParam = (event: HttpEvent) => parseWith(suppressionEmailSchema, pathParam(event, 'email'), 'E-mail address');

/** The unsubscribe token, verified; its shop must still exist. */
const unsubscribeClaims = async (event: HttpEvent) => {
  const rt = runtime();
  const { claims, shop } = await readUnsubscribeLink(
    { secret: await unsubscribeSecret(rt), shops: rt.shops },
    pathParam(event, 'token'),
  );
  return { rt, claims, shop };
};

export const handler = httpHandler(
  byRoute({
    'GET /admin/shops/{shopId}/emails/{type}/preview': async (event) => {
      const { rt, shop } = await access(event);
      const { type } = parseWith(previewPathSchema, { type: pathParam(event, 'type') }, 'E-mail type');
      const query = parseWith(previewQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const rendered = previewEmail(shop, type, query.locale, publicBaseUrl(rt, event), rt.clock.now());
      if (query.format === 'html') return htmlPage(200, rendered.html);
      if (query.format === 'text')
        return {
          statusCode: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
          body: rendered.text,
        };
      return json(200, { type, ...rendered });
    },

    'POST /admin/shops/{shopId}/emails/{type}/test': async (event) => {
      const { rt, shop } = await access(event);
      const { type } = parseWith(previewPathSchema, { type: pathParam(event, 'type') }, 'E-mail type');
      const body = event.body ? jsonBody(event, testSendSchema) : {};
      const sent = await sendTestEmail(mailer(rt), shop, type, body, publicBaseUrl(rt, event), rt.clock.now());
      if (!sent.ok)
        throw badRequest('not_own_address', "Test e-mails go only to the shop's sender or marketer addresses");
      return json(202, { sent: { type, to: sent.to, messageId: sent.messageId ?? null } });
    },

    'GET /admin/shops/{shopId}/emails/stats': async (event) => {
      const { rt, shop } = await access(event);
      const { from, to } = statsRange(event, rt.clock.now().toISOString().slice(0, 10));
      return json(200, await outboxStats(outboxStore(rt), shop.id, from, to));
    },

    'GET /admin/shops/{shopId}/outbox': async (event) => {
      const { rt, shop } = await access(event);
      const query = parseWith(outboxQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await listOutbox(outboxStore(rt), shop.id, query));
    },

    /** After fixing what made it fail (a sender identity, a template), an operator or the shop sends it again. */
    'POST /admin/shops/{shopId}/outbox/{outboxId}/retry': async (event) => {
      const { rt, principal, shop } = await access(event);
      const outboxId = parseWith(outboxIdSchema, pathParam(event, 'outboxId'), 'Outbox id');
      const r = await retryOutboxItem({ outbox: outboxStore(rt), clock: rt.clock }, shop.id, outboxId);
      if (!r.ok) {
        if (r.error.kind === 'not_found') throw notFound('Outbox item');
        throw conflict('not_failed', 'Only failed e-mails can be retried');
      }
      await audit(rt, principal, shop, {
        action: 'outbox.retried',
        target: outboxId,
        summary: `Sent the failed ${r.value.type} e-mail ${outboxId} again`,
      });
      return json(200, { item: r.value });
    },

    'GET /admin/shops/{shopId}/suppressions': async (event) => {
      const { rt, shop } = await access(event);
      const query = parseWith(suppressionsQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await listSuppressions(outboxStore(rt), shop.id, query));
    },

    'PUT /admin/shops/{shopId}/suppressions/{email}': async (event) => {
      const { rt, principal, shop } = await access(event);
      const email = emailParam(event);
      const { scope } = event.body ? jsonBody(event, suppressionRequestSchema) : { scope: 'all' as const };
      const suppression = await suppressManually(
        { outbox: outboxStore(rt), ledger: rt.ledger, clock: rt.clock },
        shop.id,
        email,
        scope,
      );
      await audit(rt, principal, shop, {
        action: 'suppression.added',
        target: email,
        summary: `Stopped ${scope === 'all' ? 'all' : 'marketing'} e-mails to ${email}`,
        details: { scope },
      });
      return json(200, { suppression });
    },

    'DELETE /admin/shops/{shopId}/suppressions/{email}': async (event) => {
      const { rt, principal, shop } = await access(event);
      const email = emailParam(event);
      const removed = await unsuppressAddress(outboxStore(rt), shop.id, email);
      if (!removed.ok) throw notFound('Suppression');
      await audit(rt, principal, shop, {
        action: 'suppression.removed',
        target: email,
        summary: `Allowed e-mails to ${email} again`,
      });
      return { statusCode: 204 };
    },

    'GET /unsubscribe/{token}': async (event) => {
      const { claims, shop } = await unsubscribeClaims(event);
      const lang = resolveLocale(claims?.locale ?? header(event, 'accept-language')?.split(',')[0], shop?.locale);
      if (!claims || !shop) return htmlPage(400, invalidUnsubscribePage(lang));
      return htmlPage(200, unsubscribeAskPage(lang, shop.name, claims.scope), {}, { formAction: true });
    },

    /** The page's button and RFC 8058 one-click (`List-Unsubscribe=One-Click`) both land here. */
    'POST /unsubscribe/{token}': async (event) => {
      const { rt, claims, shop } = await unsubscribeClaims(event);
      if (!claims || !shop) throw new HttpError(400, 'invalid_unsubscribe_link', 'This unsubscribe link is not valid');
      await unsubscribe({ outbox: outboxStore(rt), ledger: rt.ledger, clock: rt.clock }, shop, claims);
      rt.logger.info('unsubscribed', { shopId: shop.id, scope: claims.scope });
      return htmlPage(200, unsubscribedPage(resolveLocale(claims.locale, shop.locale), shop.name, claims.scope));
    },
  }),
);

import { outboxStore, unsubscribeSecret } from '../../shared/wiring/outbox-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { verifyUnsubscribeToken } from '../../shared/domain/emails/unsubscribe-token';
import { emailStats, previewEmail, sendTestEmail, suppress } from '../../shared/app/email-service';
import { mailerFor } from '../../shared/adapters/mailer';
import { emailHash } from '../../shared/domain/customers/identity';
import { resolveLocale } from '../../shared/domain/emails/templates';
import { invalidUnsubscribePage, unsubscribeAskPage, unsubscribedPage } from '../../shared/domain/emails/unsubscribe-page';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, jsonBody, parseWith, pathParam, statsRange, type HttpEvent } from '../../shared/http/request';
import { htmlPage, json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { publicBaseUrl } from '../../shared/http/links';
import {
  outboxIdSchema, outboxQuerySchema, previewPathSchema, testSendSchema, previewQuerySchema, suppressionEmailSchema, suppressionRequestSchema, suppressionsQuerySchema,
} from '../../shared/schemas/emails';

const access = async (event: HttpEvent) => {
  const rt = runtime();
  const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  return { rt, shop };
};

const emailParam = (event: HttpEvent) => parseWith(suppressionEmailSchema, pathParam(event, 'email'), 'E-mail address');

/** The unsubscribe token, verified; its shop must still exist. */
const unsubscribeClaims = async (event: HttpEvent) => {
  const rt = runtime();
  const checked = verifyUnsubscribeToken(await unsubscribeSecret(rt), pathParam(event, 'token'));
  const shop = checked.ok ? await rt.shops.get(checked.claims.shopId) : undefined;
  return { rt, claims: checked.ok ? checked.claims : undefined, shop };
};

export const handler = httpHandler(byRoute({
  'GET /admin/shops/{shopId}/emails/{type}/preview': async (event) => {
    const { rt, shop } = await access(event);
    const { type } = parseWith(previewPathSchema, { type: pathParam(event, 'type') }, 'E-mail type');
    const query = parseWith(previewQuerySchema, event.queryStringParameters ?? {}, 'Query');
    const rendered = previewEmail(shop, type, query.locale, publicBaseUrl(rt, event), rt.clock.now());
    if (query.format === 'html') return htmlPage(200, rendered.html);
    if (query.format === 'text') return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: rendered.text };
    return json(200, { type, ...rendered });
  },

  'POST /admin/shops/{shopId}/emails/{type}/test': async (event) => {
    const { rt, shop } = await access(event);
    const { type } = parseWith(previewPathSchema, { type: pathParam(event, 'type') }, 'E-mail type');
    const body = event.body ? jsonBody(event, testSendSchema) : {};
    const sent = await sendTestEmail(mailerFor(rt), shop, type, body, publicBaseUrl(rt, event), rt.clock.now());
    if (!sent.ok) throw badRequest('not_own_address', 'Test e-mails go only to the shop\'s sender or marketer addresses');
    return json(202, { sent: { type, to: sent.to, messageId: sent.messageId ?? null } });
  },

  'GET /admin/shops/{shopId}/emails/stats': async (event) => {
    const { rt, shop } = await access(event);
    const { from, to } = statsRange(event, rt.clock.now().toISOString().slice(0, 10));
    return json(200, emailStats(await outboxStore(rt).dayCounts(shop.id, from, to), from, to));
  },

  'GET /admin/shops/{shopId}/outbox': async (event) => {
    const { rt, shop } = await access(event);
    const query = parseWith(outboxQuerySchema, event.queryStringParameters ?? {}, 'Query');
    const page = await outboxStore(rt).list(shop.id, query);
    return json(200, {
      items: page.items.map(({ claim: _c, ...item }) => item),
      nextCursor: page.nextCursor ?? null,
    });
  },

  /** After fixing what made it fail (a sender identity, a template), an operator or the shop sends it again. */
  'POST /admin/shops/{shopId}/outbox/{outboxId}/retry': async (event) => {
    const { rt, shop } = await access(event);
    const outboxId = parseWith(outboxIdSchema, pathParam(event, 'outboxId'), 'Outbox id');
    const store = outboxStore(rt);
    const item = await store.requeue(shop.id, outboxId, rt.clock.now().toISOString());
    if (!item) {
      if (!(await store.get(shop.id, outboxId))) throw notFound('Outbox item');
      throw conflict('not_failed', 'Only failed e-mails can be retried');
    }
    const { claim: _c, ...shown } = item;
    return json(200, { item: shown });
  },

  'GET /admin/shops/{shopId}/suppressions': async (event) => {
    const { rt, shop } = await access(event);
    const query = parseWith(suppressionsQuerySchema, event.queryStringParameters ?? {}, 'Query');
    const page = await outboxStore(rt).listSuppressions(shop.id, query);
    return json(200, { items: page.items, nextCursor: page.nextCursor ?? null });
  },

  'PUT /admin/shops/{shopId}/suppressions/{email}': async (event) => {
    const { rt, shop } = await access(event);
    const email = emailParam(event);
    const { scope } = event.body ? jsonBody(event, suppressionRequestSchema) : { scope: 'all' as const };
    const added = await suppress({ outbox: outboxStore(rt), ledger: rt.ledger }, shop.id, { email }, { scope, reason: 'manual', at: rt.clock.now().toISOString() });
    return json(200, { suppression: { ...added, scope, reason: 'manual' } });
  },

  'DELETE /admin/shops/{shopId}/suppressions/{email}': async (event) => {
    const { rt, shop } = await access(event);
    const removed = await outboxStore(rt).unsuppress(shop.id, emailHash(emailParam(event)));
    if (!removed) throw notFound('Suppression');
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
    const store = outboxStore(rt);
    const at = rt.clock.now().toISOString();
    await suppress({ outbox: store, ledger: rt.ledger }, shop.id, { emailHash: claims.emailHash }, { scope: claims.scope, reason: 'unsubscribe', at });
    await store.count(shop.id, at, `unsubscribe:${claims.scope}`);
    rt.logger.info('unsubscribed', { shopId: shop.id, scope: claims.scope });
    return htmlPage(200, unsubscribedPage(resolveLocale(claims.locale, shop.locale), shop.name, claims.scope));
  },
}));

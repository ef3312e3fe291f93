import { runtime } from '../../shared/wiring/runtime';
import { shopAdminDeps } from '../../shared/wiring/shops-runtime';
import { redactionDeps } from '../../shared/wiring/webhook-runtime';
import { cancelRedaction } from '../../shared/app/redaction-service';
import {
  createShop,
  listShops,
  rotateShopApiKey,
  rotateShopStorefrontSecret,
  rotateShopWebhookSecret,
  updateShop,
} from '../../shared/app/shop-service';
import { publicShop } from '../../shared/domain/shop';
import { shopSettingsDiff } from '../../shared/domain/console/diff';
import { audit } from '../../shared/http/audit';
import { isOperatorRequest, requireOperator, requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, parseWith, pathParam } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { createShopSchema, listShopsQuerySchema, patchShopSchema } from '../../shared/schemas/shop';

const concurrentUpdate = () =>
  new HttpError(409, 'concurrent_update', 'The shop was changed by another request; read it again and retry');

export const handler = httpHandler(
  byRoute({
    'POST /admin/shops': async (event) => {
      const rt = runtime();
      await requireOperator(rt, event);
      const input = jsonBody(event, createShopSchema);
      const r = await createShop(shopAdminDeps(rt), input);
      if (!r.ok) throw conflict('shop_exists', `A shop with id "${r.error.id}" already exists`);
      const { shop, apiKey, storefrontSecret } = r.value;
      rt.logger.info('shop created', { shopId: shop.id, platform: shop.platform });
      return json(201, { shop: publicShop(shop), apiKey, storefrontSecret }, { location: `/admin/shops/${shop.id}` });
    },

    'GET /admin/shops': async (event) => {
      const rt = runtime();
      await requireOperator(rt, event);
      const query = parseWith(listShopsQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const page = await listShops(rt, query);
      return json(200, { items: page.items.map(publicShop), nextCursor: page.nextCursor ?? null });
    },

    'POST /admin/shops/{shopId}/api-key': async (event) => {
      const rt = runtime();
      const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const r = await rotateShopApiKey(shopAdminDeps(rt), shop);
      if (!r.ok) throw concurrentUpdate();
      rt.logger.info('api key rotated', { shopId: shop.id });
      await audit(rt, principal, shop, {
        action: 'api_key.rotated',
        summary: `Rotated the API key (now ${r.value.shop.apiKeyHint}); the old key stopped working`,
      });
      return json(200, { apiKey: r.value.apiKey, apiKeyHint: r.value.shop.apiKeyHint });
    },

    'POST /admin/shops/{shopId}/webhook-secret': async (event) => {
      const rt = runtime();
      const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const graceMs = rt.env.BOOMERANG_WEBHOOK_SECRET_GRACE_HOURS * 3600_000;
      const r = await rotateShopWebhookSecret(shopAdminDeps(rt), shop, graceMs);
      if (!r.ok) throw concurrentUpdate();
      rt.logger.info('webhook secret rotated', { shopId: shop.id });
      await audit(rt, principal, shop, {
        action: 'webhook_secret.rotated',
        summary: 'Rotated the webhook secret; the old one is accepted during the grace period',
        details: { previousValidUntil: r.value.shop.previousWebhookSecretValidUntil ?? null },
      });
      return json(200, {
        webhookSecret: r.value.webhookSecret,
        previousValidUntil: r.value.shop.previousWebhookSecretValidUntil ?? null,
      });
    },

    'POST /admin/shops/{shopId}/storefront-secret': async (event) => {
      const rt = runtime();
      const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const graceMs = rt.env.BOOMERANG_STOREFRONT_SECRET_GRACE_HOURS * 3600_000;
      const r = await rotateShopStorefrontSecret(shopAdminDeps(rt), shop, graceMs);
      if (!r.ok) throw concurrentUpdate();
      rt.logger.info('storefront secret rotated', { shopId: shop.id, first: !shop.storefrontSecret });
      await audit(rt, principal, shop, {
        action: 'storefront_secret.rotated',
        summary: shop.storefrontSecret
          ? 'Rotated the storefront secret; the old one is accepted during the grace period'
          : 'Created the storefront secret',
      });
      return json(200, {
        storefrontSecret: r.value.storefrontSecret,
        previousValidUntil: r.value.shop.previousStorefrontSecretValidUntil ?? null,
      });
    },

    'GET /admin/shops/{shopId}': async (event) => {
      const { shop } = await requireShopAccess(runtime(), event, pathParam(event, 'shopId'));
      return json(200, { shop: publicShop(shop) });
    },

    'PATCH /admin/shops/{shopId}': async (event) => {
      const rt = runtime();
      const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const patch = jsonBody(event, patchShopSchema);
      const graceMs = rt.env.BOOMERANG_WEBHOOK_SECRET_GRACE_HOURS * 3600_000;
      const patched = await updateShop(shopAdminDeps(rt), shop, patch, graceMs);
      if (!patched.ok) {
        if (patched.error.kind === 'concurrent_update') throw concurrentUpdate();
        throw badRequest('validation_failed', 'Request body is invalid', patched.error.issues);
      }
      rt.logger.info('shop updated', { shopId: shop.id, fields: Object.keys(patch) });
      const diff = shopSettingsDiff(shop, patched.value);
      await audit(rt, principal, shop, {
        action: 'program.updated',
        summary: diff.length
          ? `Changed ${diff.length} setting${diff.length === 1 ? '' : 's'}: ${diff
              .map((c) => c.path)
              .slice(0, 5)
              .join(', ')}${diff.length > 5 ? ', …' : ''}`
          : 'Saved the settings without changes',
        diff,
      });
      return json(200, { shop: publicShop(patched.value) });
    },

    // The operator sees a shop's erasure records whatever its state (also once it is deleted);
    // the shop's own key only while the shop is active.
    'GET /admin/shops/{shopId}/redactions': async (event) => {
      const rt = runtime();
      const shopId = pathParam(event, 'shopId');
      if (!(await isOperatorRequest(rt, event))) await requireShopAccess(rt, event, shopId);
      return json(200, { redactions: await redactionDeps(rt).redactions.list(shopId) });
    },

    'POST /admin/shops/{shopId}/redactions/{redactionId}/cancel': async (event) => {
      const rt = runtime();
      await requireOperator(rt, event);
      const shopId = pathParam(event, 'shopId');
      const r = await cancelRedaction(redactionDeps(rt), shopId, pathParam(event, 'redactionId'), 'operator');
      if (!r.ok) {
        if (r.error.kind === 'not_found') throw notFound('Redaction');
        throw conflict('not_scheduled', `The redaction is ${r.error.status}; only a scheduled one can be cancelled`, {
          status: r.error.status,
        });
      }
      rt.logger.info('shop redaction cancelled', { shopId, redactionId: r.value.id });
      await audit(
        rt,
        { kind: 'operator' },
        { id: shopId },
        {
          action: 'redaction.cancelled',
          target: r.value.id,
          summary: 'Cancelled the scheduled deletion of the shop',
        },
      );
      return json(200, { redaction: r.value });
    },
  }),
);

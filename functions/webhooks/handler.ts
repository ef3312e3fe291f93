import { ledgerDeps, runtime, type Runtime } from '../../shared/adapters/runtime';
import { exportSinkFor } from '../../shared/adapters/nightly-runtime';
import { handleOrderEvent, type WebhookDeps } from '../../shared/app/webhook-service';
import { activeWebhookSecrets, type Shop } from '../../shared/domain/shop';
import { parseWebhookJson } from '../../shared/domain/webhooks/json';
import { parseCustomWebhook } from '../../shared/domain/webhooks/custom';
import { parseShopifyWebhook } from '../../shared/domain/webhooks/shopify';
import { verifyCustomSignature, verifyShopifyHmac, verifyWooSignature } from '../../shared/domain/webhooks/signatures';
import { parseWooCommerceWebhook } from '../../shared/domain/webhooks/woocommerce';
import { badRequest, HttpError, notFound, unauthorized } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, pathParam, rawBody, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import type { Platform } from '../../shared/schemas/shop';

/** Shops are read on every delivery; a few seconds of reuse saves most of those reads. */
const shopCacheMs = 5_000;
const shopCache = new Map<string, { shop: Shop | undefined; at: number }>();

const loadShop = async (rt: Runtime, shopId: string, fresh = false): Promise<Shop | undefined> => {
  const hit = shopCache.get(shopId);
  if (!fresh && hit && Date.now() - hit.at < shopCacheMs) return hit.shop;
  const shop = await rt.shops.get(shopId);
  shopCache.set(shopId, { shop, at: Date.now() });
  return shop;
};

const verify = (platform: Platform, event: HttpEvent, raw: Buffer, shop: Shop, now: Date): boolean => {
  const secrets = activeWebhookSecrets(shop, now);
  switch (platform) {
    case 'shopify': return verifyShopifyHmac(raw, header(event, 'x-shopify-hmac-sha256'), secrets);
    case 'woocommerce': return verifyWooSignature(raw, header(event, 'x-wc-webhook-signature'), secrets);
    case 'custom': return verifyCustomSignature(raw, header(event, 'boomerang-signature'), secrets, now).ok;
  }
};

/** WooCommerce's unsigned "webhook_id=N" ping when a webhook is first saved. */
const isWooPing = (event: HttpEvent, raw: Buffer) =>
  !header(event, 'x-wc-webhook-signature') && /^webhook_id=\d+$/.test(raw.toString('utf8').trim());

const receive = (platform: Platform) => async (event: HttpEvent) => {
  const rt = runtime();
  const shopId = pathParam(event, 'shopId');
  let shop = await loadShop(rt, shopId);
  if (!shop) throw notFound('Shop');
  if (shop.platform !== platform) {
    throw new HttpError(404, 'wrong_platform', `Shop ${shopId} is set up for ${shop.platform} webhooks, not ${platform}`);
  }
  const raw = rawBody(event);
  if (platform === 'woocommerce' && isWooPing(event, raw)) return json(200, { status: 'ignored', reason: 'ping' });

  const now = rt.clock.now();
  if (!verify(platform, event, raw, shop, now)) {
    // The cached shop may predate a secret rotation: check once more against a fresh read.
    shop = await loadShop(rt, shopId, true);
    if (!shop || !verify(platform, event, raw, shop, now)) throw unauthorized('Missing or invalid webhook signature');
  }

  const body = parseWebhookJson(raw);
  if (!body.ok) throw badRequest('malformed_json', 'Request body is not valid JSON', body.error.issues);
  const parsed =
    platform === 'shopify' ? parseShopifyWebhook(header(event, 'x-shopify-topic') ?? '', body.value, shop.currency, { receivedAt: now })
      : platform === 'woocommerce' ? parseWooCommerceWebhook(header(event, 'x-wc-webhook-topic') ?? '', body.value, shop.currency, { receivedAt: now })
        : parseCustomWebhook(body.value);
  if (!parsed.ok) throw badRequest('invalid_payload', 'Webhook payload does not match the expected schema', parsed.error.issues);

  const deps: WebhookDeps = {
    ...ledgerDeps(rt),
    markRedacting: async (s) => {
      if (!(await rt.shops.replace({ ...s, status: 'redacting', version: s.version + 1 }, s.version))) {
        throw new HttpError(409, 'concurrent_update', 'The shop changed while its redaction began; the platform will retry');
      }
    },
    deleteShop: async (id) => {
      // Exports and job scratch files first: they are only reachable while the shop exists.
      const sink = exportSinkFor(rt);
      await Promise.all([`exports/${id}/`, `jobs/${id}/`].map((prefix) => sink.deletePrefix(prefix)));
      const items = await rt.ledger.deleteShopData(id);
      await rt.shops.delete(id);
      shopCache.delete(id);
      return items + 1;
    },
  };
  const outcome = await handleOrderEvent(deps, shop, parsed.value);
  rt.logger.info('webhook', {
    shopId, platform, topic: parsed.value.topic, outcome: outcome.status,
    delivery: header(event, 'x-shopify-webhook-id') ?? header(event, 'x-wc-webhook-delivery-id'),
  });
  return json(200, outcome);
};

export const handler = httpHandler(byRoute({
  'POST /webhooks/shopify/{shopId}': receive('shopify'),
  'POST /webhooks/woocommerce/{shopId}': receive('woocommerce'),
  'POST /webhooks/custom/{shopId}': receive('custom'),
}));

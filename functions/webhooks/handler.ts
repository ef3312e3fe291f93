import { createHash } from 'node:crypto';
import { runtime, type Runtime } from '../../shared/wiring/runtime';
import { webhookDeps } from '../../shared/wiring/webhook-runtime';
import { receiveWebhook, type WebhookRefusal } from '../../shared/app/webhook-service';
import { activeWebhookSecrets, type Shop } from '../../shared/domain/shop';
import { parseWebhookJson } from '../../shared/domain/webhooks/json';
import { shopDomainHeader } from '../../shared/domain/webhooks/shop-identity';
import { verifyCustomSignature, verifyShopifyHmac, verifyWooSignature } from '../../shared/domain/webhooks/signatures';
import { customTopic, shopifyTopic, wooCommerceTopic } from '../../shared/domain/webhooks/topics';
import { badRequest, conflict, HttpError, notFound, unauthorized } from '../../shared/http/errors';
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

/** The topic the delivery claims: a header for Shopify and WooCommerce, the signed `type` for custom. */
const topicOf = (platform: Platform, event: HttpEvent, json: unknown) => {
  switch (platform) {
    case 'shopify': return shopifyTopic(header(event, 'x-shopify-topic'));
    case 'woocommerce': return wooCommerceTopic({
      topic: header(event, 'x-wc-webhook-topic'),
      resource: header(event, 'x-wc-webhook-resource'),
      event: header(event, 'x-wc-webhook-event'),
    });
    case 'custom': {
      const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
      return customTopic(typeof type === 'string' ? type : '');
    }
  }
};

const deliveryIdOf = (platform: Platform, event: HttpEvent, json: unknown): string | undefined => {
  if (platform === 'shopify') return header(event, 'x-shopify-webhook-id');
  if (platform === 'woocommerce') return header(event, 'x-wc-webhook-delivery-id');
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
};

const refusal = (e: WebhookRefusal): HttpError => {
  switch (e.kind) {
    case 'invalid_payload':
      return badRequest('invalid_payload', 'Webhook payload does not match the expected schema for its topic', e.issues);
    case 'shop_mismatch':
      return 'first' in e
        ? new HttpError(403, 'shop_mismatch', 'This body was already accepted for another shop')
        : new HttpError(403, 'shop_mismatch', `The payload names another shop (${e.field})`, { field: e.field, claimed: e.claimed });
    case 'topic_mismatch':
      return conflict('topic_mismatch', `This body was first accepted as ${e.first.topic}; it cannot be replayed as another topic`, { firstTopic: e.first.topic });
  }
};

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
  const topic = topicOf(platform, event, body.value);
  if (!topic.ok) {
    const e = topic.error;
    throw e.kind === 'unknown_topic'
      ? badRequest('unknown_topic', `Topic "${e.topic}" is not supported`, { topic: e.topic, supported: e.supported })
      : badRequest('inconsistent_topic', 'X-WC-Webhook-Topic does not match X-WC-Webhook-Resource and X-WC-Webhook-Event', e);
  }
  // Destructive topics and first deliveries act on the shop as it is now, not as cached.
  if (topic.value.meaning !== 'order' && topic.value.meaning !== 'refund') shop = await loadShop(rt, shopId, true);
  if (!shop) throw notFound('Shop');

  const outcome = await receiveWebhook(webhookDeps(rt), shop, {
    platform,
    topic: topic.value,
    json: body.value,
    bodySha256: createHash('sha256').update(raw).digest('hex'),
    deliveryId: deliveryIdOf(platform, event, body.value),
    shopDomainHeader: shopDomainHeader(header(event, 'x-shopify-shop-domain')),
  });
  if (!outcome.ok) {
    rt.logger.warn('webhook refused', { shopId, platform, topic: topic.value.name, reason: outcome.error.kind });
    throw refusal(outcome.error);
  }
  if (outcome.value.status === 'shop_redaction_scheduled') shopCache.delete(shopId);
  rt.logger.info('webhook', {
    shopId, platform, topic: topic.value.name, outcome: outcome.value.status,
    delivery: deliveryIdOf(platform, event, body.value),
  });
  return json(200, outcome.value);
};

export const handler = httpHandler(byRoute({
  'POST /webhooks/shopify/{shopId}': receive('shopify'),
  'POST /webhooks/woocommerce/{shopId}': receive('woocommerce'),
  'POST /webhooks/custom/{shopId}': receive('custom'),
}));

import { createHash } from 'node:crypto';
import { activeWebhookSecrets, type Shop } from '../domain/shop';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { ParseError } from '../domain/webhooks/common';
import { parseWebhookJson } from '../domain/webhooks/json';
import { shopDomainHeader } from '../domain/webhooks/shop-identity';
import { verifyCustomSignature, verifyShopifyHmac, verifyWooSignature } from '../domain/webhooks/signatures';
import {
  customTopic,
  shopifyTopic,
  wooCommerceTopic,
  type PlatformTopic,
  type TopicError,
} from '../domain/webhooks/topics';
import type { Platform } from '../schemas/shop';
import type { ShopLoader } from './shop-cache';
import { receiveWebhook, type WebhookDeps, type WebhookOutcome, type WebhookRefusal } from './webhook-service';

/**
 * A webhook request as it arrived, before anything is trusted: which shop's URL it was sent to,
 * its bytes, and the platform's headers that matter.
 */
export interface RawDelivery {
  platform: Platform;
  shopId: string;
  /** The raw body bytes; read once the shop is known (reading may refuse an oversized body). */
  body: () => Buffer;
  /** `X-Shopify-Hmac-Sha256`, `X-WC-Webhook-Signature` or `Boomerang-Signature`. */
  signature?: string;
  /**
   * Shopify: `X-Shopify-Topic`; WooCommerce: `X-WC-Webhook-Topic`, `-Resource`, `-Event`; custom: none (the
   * signed `type`).
   */
  topicHeaders: { topic?: string; resource?: string; event?: string };
  /** `X-Shopify-Webhook-Id` or `X-WC-Webhook-Delivery-Id`; custom: none (the signed `id`). */
  deliveryIdHeader?: string;
  /** `X-Shopify-Shop-Domain` as sent. */
  shopDomain?: string;
}

export interface DeliveryDeps {
  webhook: WebhookDeps;
  /** Shops, from the container's cache unless a fresh read is asked for. */
  shops: ShopLoader;
}

export type DeliveryError =
  | { kind: 'shop_not_found' }
  | { kind: 'wrong_platform'; configured: Platform }
  | { kind: 'invalid_signature' }
  | { kind: 'malformed_json'; issues: ParseError['issues'] }
  | TopicError
  /** Verified, but its payload is refused (receiveWebhook); nothing changed. */
  | { kind: 'refused'; topic: string; refusal: WebhookRefusal };

export type DeliveryOutcome =
  /** WooCommerce's unsigned "webhook_id=N" ping when a webhook is first saved. */
  { kind: 'ping' } | { kind: 'received'; topic: string; deliveryId?: string; outcome: WebhookOutcome };

const verify = (d: RawDelivery, raw: Buffer, shop: Shop, now: Date): boolean => {
  const secrets = activeWebhookSecrets(shop, now);
  switch (d.platform) {
    case 'shopify':
      return verifyShopifyHmac(raw, d.signature, secrets);
    case 'woocommerce':
      return verifyWooSignature(raw, d.signature, secrets);
    case 'custom':
      return verifyCustomSignature(raw, d.signature, secrets, now).ok;
  }
};

const isWooPing = (d: RawDelivery, raw: Buffer) => !d.signature && /^webhook_id=\d+$/.test(raw.toString('utf8').trim());

const field = (json: unknown, name: string): unknown =>
  typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined;

/** The topic the delivery claims: a header for Shopify and WooCommerce, the signed `type` for custom. */
const topicOf = (d: RawDelivery, json: unknown): DomainResult<PlatformTopic, TopicError> => {
  switch (d.platform) {
    case 'shopify': {
      const topic = shopifyTopic(d.topicHeaders.topic);
      return topic.ok ? ok({ platform: 'shopify', topic: topic.value }) : topic;
    }
    case 'woocommerce': {
      const topic = wooCommerceTopic(d.topicHeaders);
      return topic.ok ? ok({ platform: 'woocommerce', topic: topic.value }) : topic;
    }
    case 'custom': {
      const type = field(json, 'type');
      const topic = customTopic(typeof type === 'string' ? type : '');
      return topic.ok ? ok({ platform: 'custom', topic: topic.value }) : topic;
    }
  }
};

const deliveryIdOf = (d: RawDelivery, json: unknown): string | undefined => {
  if (d.platform !== 'custom') return d.deliveryIdHeader;
  const id = field(json, 'id');
  return typeof id === 'string' ? id : undefined;
};

/**
 * One webhook request: the shop must exist and take this platform's webhooks, the body must be
 * signed with one of its secrets (a cached shop that fails is read afresh once, as it may
 * predate a secret rotation), be JSON and claim a supported topic. Then receiveWebhook accepts
 * it or refuses it. Topics that are not orders or refunds act on the shop as it is now, not as
 * cached; a shop whose deletion is scheduled is dropped from the cache.
 */
export const receiveDelivery = async (
  deps: DeliveryDeps,
  d: RawDelivery,
): Promise<DomainResult<DeliveryOutcome, DeliveryError>> => {
  let shop = await deps.shops.get(d.shopId);
  if (!shop) return err({ kind: 'shop_not_found' });
  if (shop.platform !== d.platform) return err({ kind: 'wrong_platform', configured: shop.platform });
  const raw = d.body();
  // WooCommerce sends this ping unsigned and it asks for nothing: answered before any check, never parsed.
  if (d.platform === 'woocommerce' && isWooPing(d, raw)) return ok({ kind: 'ping' });

  const now = deps.webhook.clock.now();
  if (!verify(d, raw, shop, now)) {
    shop = await deps.shops.get(d.shopId, true);
    if (!shop || !verify(d, raw, shop, now)) return err({ kind: 'invalid_signature' });
  }

  const body = parseWebhookJson(raw);
  if (!body.ok) return err({ kind: 'malformed_json', issues: body.error.issues });
  const claimed = topicOf(d, body.value);
  if (!claimed.ok) return claimed;
  const { topic } = claimed.value;
  if (topic.meaning !== 'order' && topic.meaning !== 'refund') shop = await deps.shops.get(d.shopId, true);
  if (!shop) return err({ kind: 'shop_not_found' });

  const deliveryId = deliveryIdOf(d, body.value);
  const outcome = await receiveWebhook(deps.webhook, shop, {
    ...claimed.value,
    json: body.value,
    bodySha256: createHash('sha256').update(raw).digest('hex'),
    deliveryId,
    shopDomainHeader: shopDomainHeader(d.shopDomain),
  });
  if (!outcome.ok) return err({ kind: 'refused', topic: topic.name, refusal: outcome.error });
  if (outcome.value.status === 'shop_redaction_scheduled') deps.shops.forget(d.shopId);
  return ok({
    kind: 'received',
    topic: topic.name,
    ...(deliveryId !== undefined ? { deliveryId } : {}),
    outcome: outcome.value,
  });
};

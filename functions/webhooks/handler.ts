import { runtime } from '../../shared/wiring/runtime';
import { webhookDeps } from '../../shared/wiring/webhook-runtime';
import { shopCache } from '../../shared/app/shop-cache';
import { receiveDelivery, type DeliveryError, type RawDelivery } from '../../shared/app/webhook-delivery-service';
import type { WebhookRefusal } from '../../shared/app/webhook-service';
import { badRequest, conflict, HttpError, notFound, unauthorized } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, pathParam, rawBody, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import type { Platform } from '../../shared/schemas/shop';

/** Shops are read on every delivery; a few seconds of reuse saves most of those reads. */
const shops = shopCache({ ttlMs: 5_000, max: 1_000, nowMs: Date.now });

/** The platform's headers that matter, picked out of the request. */
const rawDelivery = (platform: Platform, event: HttpEvent): RawDelivery => {
  switch (platform) {
    case 'shopify':
      return {
        platform,
        shopId: pathParam(event, 'shopId'),
        body: () => rawBody(event),
        signature: header(event, 'x-shopify-hmac-sha256'),
        topicHeaders: { topic: header(event, 'x-shopify-topic') },
        deliveryIdHeader: header(event, 'x-shopify-webhook-id'),
        shopDomain: header(event, 'x-shopify-shop-domain'),
      };
    case 'woocommerce':
      return {
        platform,
        shopId: pathParam(event, 'shopId'),
        body: () => rawBody(event),
        signature: header(event, 'x-wc-webhook-signature'),
        topicHeaders: {
          topic: header(event, 'x-wc-webhook-topic'),
          resource: header(event, 'x-wc-webhook-resource'),
          event: header(event, 'x-wc-webhook-event'),
        },
        deliveryIdHeader: header(event, 'x-wc-webhook-delivery-id'),
        shopDomain: header(event, 'x-shopify-shop-domain'),
      };
    case 'custom':
      return {
        platform,
        shopId: pathParam(event, 'shopId'),
        body: () => rawBody(event),
        signature: header(event, 'boomerang-signature'),
        topicHeaders: {},
        shopDomain: header(event, 'x-shopify-shop-domain'),
      };
  }
};

const refusal = (e: WebhookRefusal): HttpError => {
  switch (e.kind) {
    case 'invalid_payload':
      return badRequest(
        'invalid_payload',
        'Webhook payload does not match the expected schema for its topic',
        e.issues,
      );
    case 'shop_mismatch':
      return 'first' in e
        ? new HttpError(403, 'shop_mismatch', 'This body was already accepted for another shop')
        : new HttpError(403, 'shop_mismatch', `The payload names another shop (${e.field})`, {
            field: e.field,
            claimed: e.claimed,
          });
    case 'topic_mismatch':
      return conflict(
        'topic_mismatch',
        `This body was first accepted as ${e.first.topic}; it cannot be replayed as another topic`,
        { firstTopic: e.first.topic },
      );
  }
};

const failure = (d: RawDelivery, e: Exclude<DeliveryError, { kind: 'refused' }>): HttpError => {
  switch (e.kind) {
    case 'shop_not_found':
      return notFound('Shop');
    case 'wrong_platform':
      return new HttpError(
        404,
        'wrong_platform',
        `Shop ${d.shopId} is set up for ${e.configured} webhooks, not ${d.platform}`,
      );
    case 'invalid_signature':
      return unauthorized('Missing or invalid webhook signature');
    case 'malformed_json':
      return badRequest('malformed_json', 'Request body is not valid JSON', e.issues);
    case 'unknown_topic':
      return badRequest('unknown_topic', `Topic "${e.topic}" is not supported`, {
        topic: e.topic,
        supported: e.supported,
      });
    case 'inconsistent_topic':
      return badRequest(
        'inconsistent_topic',
        'X-WC-Webhook-Topic does not match X-WC-Webhook-Resource and X-WC-Webhook-Event',
        e,
      );
  }
};

const receive = (platform: Platform) => async (event: HttpEvent) => {
  const rt = runtime();
  const d = rawDelivery(platform, event);
  const r = await receiveDelivery({ webhook: webhookDeps(rt), shops: shops.loader((id) => rt.shops.get(id)) }, d);
  if (!r.ok) {
    if (r.error.kind !== 'refused') throw failure(d, r.error);
    rt.logger.warn('webhook refused', {
      shopId: d.shopId,
      platform,
      topic: r.error.topic,
      reason: r.error.refusal.kind,
    });
    throw refusal(r.error.refusal);
  }
  if (r.value.kind === 'ping') return json(200, { status: 'ignored', reason: 'ping' });
  const { topic, outcome, deliveryId } = r.value;
  rt.logger.info('webhook', { shopId: d.shopId, platform, topic, outcome: outcome.status, delivery: deliveryId });
  return json(200, outcome);
};

export const handler = httpHandler(
  byRoute({
    'POST /webhooks/shopify/{shopId}': receive('shopify'),
    'POST /webhooks/woocommerce/{shopId}': receive('woocommerce'),
    'POST /webhooks/custom/{shopId}': receive('custom'),
  }),
);

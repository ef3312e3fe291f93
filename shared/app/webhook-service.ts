import type { Shop } from '../domain/shop';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import { checkBinding, bodyBindingTtlHours, type BindingConflict } from '../domain/webhooks/body-binding';
import type { ParseError } from '../domain/webhooks/common';
import { parseCustomWebhook } from '../domain/webhooks/custom';
import { parseShopifyWebhook } from '../domain/webhooks/shopify';
import {
  claimedShopifyIdentity,
  matchShopifyIdentity,
  type IdentityMismatch,
  type ShopifyIdentity,
} from '../domain/webhooks/shop-identity';
import type { PlatformTopic } from '../domain/webhooks/topics';
import { parseWooCommerceWebhook } from '../domain/webhooks/woocommerce';
import type { OrderEvent, PrivacyEvent, WebhookEvent } from '../schemas/order';
import { applyOrderEvent, type LedgerDeps } from './ledger-service';
import type { BodyBindingStore, ShopIdentityStore } from './ports/webhook-trust';
import { recordDataRequest } from './privacy-service';
import { redactCustomerNow, scheduleShopRedaction, type RedactionDeps } from './redaction-service';

export type WebhookOutcome =
  | { status: 'processed' | 'duplicate'; orderId?: string }
  | { status: 'ignored'; reason: string }
  | { status: 'redacted'; customers: number; redactionId: string }
  | { status: 'data_request_recorded'; customers: number }
  | { status: 'shop_redaction_scheduled'; redactionId: string; dueAt: string }
  | { status: 'shop_redaction_cancelled'; redactionId: string };

export interface WebhookDeps extends LedgerDeps {
  bindings: BodyBindingStore;
  identities: ShopIdentityStore;
  redaction: RedactionDeps;
  /** How long a scheduled shop deletion waits (BOOMERANG_SHOP_REDACTION_DELAY_HOURS). */
  shopRedactionDelayMs: number;
}

/** One verified delivery: the signature has been checked and the topic is one its platform supports. */
export type Delivery = PlatformTopic & {
  /** The body decoded with parseWebhookJson. */
  json: unknown;
  /** SHA-256 (hex) of the raw body bytes: what the signature covered. */
  bodySha256: string;
  deliveryId?: string;
  /** `X-Shopify-Shop-Domain`, when well-formed: used only while the shop's own domain is unknown. */
  shopDomainHeader?: string;
};

export type WebhookRefusal = ParseError | IdentityMismatch | BindingConflict;

const parse = (shop: Shop, d: Delivery, receivedAt: Date): DomainResult<WebhookEvent, ParseError> => {
  switch (d.platform) {
    case 'shopify':
      return parseShopifyWebhook(d.topic.name, d.json, shop.currency, { receivedAt });
    case 'woocommerce':
      return parseWooCommerceWebhook(d.topic.name, d.json, shop.currency, { receivedAt });
    case 'custom':
      return parseCustomWebhook(d.json);
  }
};

const isCompliance = (d: Delivery) =>
  d.topic.meaning === 'customer_redact' ||
  d.topic.meaning === 'customer_data_request' ||
  d.topic.meaning === 'shop_redact';

/**
 * Which Shopify shop the body is about must be this one. A compliance body must name the shop
 * in a way we can check: against its known identity or, before that is known, the domain header.
 */
const checkShopify = (shop: Shop, d: Delivery): DomainResult<ShopifyIdentity | undefined, IdentityMismatch> => {
  const known: ShopifyIdentity = { shopId: shop.shopifyShopId, domain: shop.shopifyDomain };
  const claimed = claimedShopifyIdentity(d.json);
  if (isCompliance(d)) {
    const reference = { ...known, domain: known.domain ?? d.shopDomainHeader };
    if (!reference.domain && !reference.shopId) {
      return err({
        kind: 'shop_mismatch',
        field: 'shop_domain',
        expected: '(unknown: set shopifyDomain on the shop)',
        claimed: claimed.domain ?? '',
      });
    }
    const matched = matchShopifyIdentity(reference, claimed);
    if (!matched.ok) return matched;
  }
  const learned = matchShopifyIdentity(known, claimed);
  if (!learned.ok) return learned;
  const isNew = learned.value.shopId !== known.shopId || learned.value.domain !== known.domain;
  return ok(isNew ? learned.value : undefined);
};

/**
 * Accepts one verified delivery: its payload must have its topic's shape, name this shop, and
 * not have been accepted before with another meaning or for another shop. Then it does what the
 * topic means. A refusal changes nothing (except that a first delivery is remembered).
 */
export const receiveWebhook = async (
  deps: WebhookDeps,
  shop: Shop,
  d: Delivery,
): Promise<DomainResult<WebhookOutcome, WebhookRefusal>> => {
  const now = deps.clock.now();
  const event = parse(shop, d, now);
  if (!event.ok) return event;

  const identity = d.platform === 'shopify' ? checkShopify(shop, d) : ok(undefined);
  if (!identity.ok) return identity;

  const binding = {
    bodySha256: d.bodySha256,
    platform: d.platform,
    shopId: shop.id,
    topic: d.topic.name,
    meaning: d.topic.meaning,
    firstAt: now.toISOString(),
  };
  const bound = await deps.bindings.bind(binding, new Date(now.getTime() + bodyBindingTtlHours * 3600_000));
  if (!bound.bound) {
    const conflict = checkBinding(bound.first, binding);
    if (conflict) return err(conflict);
  }
  if (identity.value) await deps.identities.learnShopifyIdentity(shop.id, identity.value);

  return ok(await dispatch(deps, shop, d, event.value));
};

/** What the delivery means, done: order events go to the ledger, privacy requests to their use cases. */
const dispatch = async (deps: WebhookDeps, shop: Shop, d: Delivery, event: WebhookEvent): Promise<WebhookOutcome> => {
  if (shop.status === 'redacting' && event.kind !== 'shop_redact')
    return { status: 'ignored', reason: 'shop is being redacted' };
  switch (event.kind) {
    case 'order':
    case 'refund':
    case 'order_deleted':
      return applyToLedger(deps, shop, event);
    case 'customer_redact':
    case 'customer_data_request':
    case 'shop_redact':
      return handlePrivacyRequest(deps, shop, d, event);
    case 'ping':
      return { status: 'ignored', reason: 'ping' };
  }
};

const applyToLedger = async (deps: WebhookDeps, shop: Shop, event: OrderEvent): Promise<WebhookOutcome> => {
  const r = await applyOrderEvent(deps, shop, event);
  const orderId = event.kind === 'order' ? event.order.orderId : event.orderId;
  return { status: r === 'applied' ? 'processed' : 'duplicate', orderId };
};

const handlePrivacyRequest = async (
  deps: WebhookDeps,
  shop: Shop,
  d: Delivery,
  event: PrivacyEvent,
): Promise<WebhookOutcome> => {
  // The redaction record names the delivery it came from, never the customer's address.
  const source = {
    platform: d.platform,
    topic: d.topic.name,
    bodySha256: d.bodySha256,
    ...(d.deliveryId ? { deliveryId: d.deliveryId } : {}),
  };
  switch (event.kind) {
    case 'customer_redact': {
      const r = await redactCustomerNow({ ...deps.redaction, ledger: deps }, shop, source, {
        platformCustomerId: event.platformCustomerId,
        email: event.email,
      });
      return { status: 'redacted', customers: r.customers, redactionId: r.redaction.id };
    }
    case 'customer_data_request':
      return {
        status: 'data_request_recorded',
        customers: await recordDataRequest(deps, shop, {
          requestId: event.requestId,
          platformCustomerId: event.platformCustomerId,
          email: event.email,
        }),
      };
    case 'shop_redact': {
      const r = await scheduleShopRedaction(deps.redaction, shop, source, deps.shopRedactionDelayMs);
      return r.status === 'cancelled'
        ? { status: 'shop_redaction_cancelled', redactionId: r.id }
        : { status: 'shop_redaction_scheduled', redactionId: r.id, dueAt: r.dueAt ?? '' };
    }
  }
};

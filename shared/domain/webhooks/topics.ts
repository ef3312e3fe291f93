import type { DomainResult } from '../result';
import { err, ok } from '../result';
import type { Platform } from '../../schemas/shop';

/**
 * The webhook topics Boomerang accepts, per platform, and what each one means.
 *
 * A platform signs the body, never the header that names the topic, so the topic is a claim
 * made by whoever sent the request. Three things keep that claim honest:
 * - only the topics listed here are accepted (anything else is `unknown_topic`, 400);
 * - every topic's payload is checked against a strict schema of that topic's own shape, so an
 *   order body cannot pass as a redaction request or an order deletion;
 * - a body is bound to the meaning it was first accepted under (webhook-trust-service.ts).
 *
 * The custom format names its event type inside the signed body, so its topic is signed.
 */

/** What a topic does; the same body may only ever be read with one meaning. */
export type TopicMeaning =
  'order' | 'refund' | 'order_deleted' | 'customer_data_request' | 'customer_redact' | 'shop_redact' | 'ping';

export const shopifyTopics: Readonly<Record<string, TopicMeaning>> = {
  'orders/create': 'order',
  'orders/updated': 'order',
  'orders/paid': 'order',
  'orders/cancelled': 'order',
  'orders/delete': 'order_deleted',
  'refunds/create': 'refund',
  'customers/data_request': 'customer_data_request',
  'customers/redact': 'customer_redact',
  'shop/redact': 'shop_redact',
};

export const wooCommerceTopics: Readonly<Record<string, TopicMeaning>> = {
  'order.created': 'order',
  'order.updated': 'order',
  'order.restored': 'order',
  'order.deleted': 'order_deleted',
};

export const customTopics: Readonly<Record<string, TopicMeaning>> = {
  'order.created': 'order',
  'order.updated': 'order',
  'order.paid': 'order',
  'order.cancelled': 'order',
  'order.refunded': 'order',
  'customer.redact': 'customer_redact',
  'customer.data_request': 'customer_data_request',
  'shop.redact': 'shop_redact',
  ping: 'ping',
};

const tables: Record<Platform, Readonly<Record<string, TopicMeaning>>> = {
  shopify: shopifyTopics,
  woocommerce: wooCommerceTopics,
  custom: customTopics,
};

/** Topics that erase data: they are recorded in an audit item, and shop deletion waits. */
export const isDestructive = (meaning: TopicMeaning): boolean =>
  meaning === 'customer_redact' || meaning === 'shop_redact';

export interface Topic {
  name: string;
  meaning: TopicMeaning;
}

export type TopicError =
  | { kind: 'unknown_topic'; topic: string; supported: string[] }
  | { kind: 'inconsistent_topic'; topic: string; resource: string; event: string };

const lookup = (platform: Platform, name: string): DomainResult<Topic, TopicError> => {
  const table = tables[platform];
  const meaning = Object.hasOwn(table, name) ? table[name] : undefined;
  return meaning ? ok({ name, meaning }) : err({ kind: 'unknown_topic', topic: name, supported: Object.keys(table) });
};

/** `X-Shopify-Topic`. */
export const shopifyTopic = (header: string | undefined): DomainResult<Topic, TopicError> =>
  lookup('shopify', (header ?? '').trim().toLowerCase());

/**
 * `X-WC-Webhook-Topic`, checked against `X-WC-Webhook-Resource` and `-Event` when WooCommerce
 * sends them (it always does): three unsigned headers that must tell one story.
 */
export const wooCommerceTopic = (headers: {
  topic?: string;
  resource?: string;
  event?: string;
}): DomainResult<Topic, TopicError> => {
  const name = (headers.topic ?? '').trim().toLowerCase();
  const resource = (headers.resource ?? '').trim().toLowerCase();
  const event = (headers.event ?? '').trim().toLowerCase();
  if ((resource !== '' || event !== '') && `${resource}.${event}` !== name) {
    return err({ kind: 'inconsistent_topic', topic: name, resource, event });
  }
  return lookup('woocommerce', name);
};

/** The custom format's signed `type`. */
export const customTopic = (type: string): DomainResult<Topic, TopicError> => lookup('custom', type);

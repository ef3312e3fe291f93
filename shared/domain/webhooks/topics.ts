import type { DomainResult } from '../result';
import { err, ok } from '../result';

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

type TopicTable = Readonly<Record<string, TopicMeaning>>;

export const shopifyTopics = {
  'orders/create': 'order',
  'orders/updated': 'order',
  'orders/paid': 'order',
  'orders/cancelled': 'order',
  'orders/delete': 'order_deleted',
  'refunds/create': 'refund',
  'customers/data_request': 'customer_data_request',
  'customers/redact': 'customer_redact',
  'shop/redact': 'shop_redact',
} as const satisfies TopicTable;

export const wooCommerceTopics = {
  'order.created': 'order',
  'order.updated': 'order',
  'order.restored': 'order',
  'order.deleted': 'order_deleted',
} as const satisfies TopicTable;

export const customTopics = {
  'order.created': 'order',
  'order.updated': 'order',
  'order.paid': 'order',
  'order.cancelled': 'order',
  'order.refunded': 'order',
  'customer.redact': 'customer_redact',
  'customer.data_request': 'customer_data_request',
  'shop.redact': 'shop_redact',
  ping: 'ping',
} as const satisfies TopicTable;

/** The names each platform's parser accepts: an unsupported topic is refused before any parser runs. */
export type ShopifyTopicName = keyof typeof shopifyTopics;
export type WooCommerceTopicName = keyof typeof wooCommerceTopics;
export type CustomTopicName = keyof typeof customTopics;

/** Topics that erase data: they are recorded in an audit item, and shop deletion waits. */
export const isDestructive = (meaning: TopicMeaning): boolean =>
  meaning === 'customer_redact' || meaning === 'shop_redact';

export interface Topic<Name extends string = string> {
  name: Name;
  meaning: TopicMeaning;
}

/** A supported topic together with its platform, so the topic's name is one that platform's parser takes. */
export type PlatformTopic =
  | { platform: 'shopify'; topic: Topic<ShopifyTopicName> }
  | { platform: 'woocommerce'; topic: Topic<WooCommerceTopicName> }
  | { platform: 'custom'; topic: Topic<CustomTopicName> };

export type TopicError =
  | { kind: 'unknown_topic'; topic: string; supported: string[] }
  | { kind: 'inconsistent_topic'; topic: string; resource: string; event: string };

const isIn = <Name extends string>(table: Readonly<Record<Name, TopicMeaning>>, name: string): name is Name =>
  Object.hasOwn(table, name);

const lookup = <Name extends string>(
  table: Readonly<Record<Name, TopicMeaning>>,
  name: string,
): DomainResult<Topic<Name>, TopicError> =>
  isIn(table, name)
    ? ok({ name, meaning: table[name] })
    : err({ kind: 'unknown_topic', topic: name, supported: Object.keys(table) });

/** `X-Shopify-Topic`. */
export const shopifyTopic = (header: string | undefined): DomainResult<Topic<ShopifyTopicName>, TopicError> =>
  lookup(shopifyTopics, (header ?? '').trim().toLowerCase());

/**
 * `X-WC-Webhook-Topic`, checked against `X-WC-Webhook-Resource` and `-Event` when WooCommerce
 * sends them (it always does): three unsigned headers that must tell one story.
 */
export const wooCommerceTopic = (headers: {
  topic?: string;
  resource?: string;
  event?: string;
}): DomainResult<Topic<WooCommerceTopicName>, TopicError> => {
  const name = (headers.topic ?? '').trim().toLowerCase();
  const resource = (headers.resource ?? '').trim().toLowerCase();
  const event = (headers.event ?? '').trim().toLowerCase();
  if ((resource !== '' || event !== '') && `${resource}.${event}` !== name) {
    return err({ kind: 'inconsistent_topic', topic: name, resource, event });
  }
  return lookup(wooCommerceTopics, name);
};

/** The custom format's signed `type`. */
export const customTopic = (type: string): DomainResult<Topic<CustomTopicName>, TopicError> =>
  lookup(customTopics, type);

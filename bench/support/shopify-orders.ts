import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseWebhookJson } from '../../shared/domain/webhooks/json';
import { signBase64Hmac } from '../../shared/domain/webhooks/signatures';

/**
 * Realistic Shopify `orders/paid` deliveries, built from Shopify's own sample payload
 * (orders_create, API 2026-07) with the fields a paid order of a given buyer differs in.
 */

const sampleName = 'orders_create.sample.2026-07.json';
/** The repository's copy first, then the shared reference data it was taken from. */
const sampleCandidates = [
  fileURLToPath(new URL(`../../test/fixtures/webhooks/shopify/${sampleName}`, import.meta.url)),
  `/work/shared/reference-data/webhooks/shopify/${sampleName}`,
];

export const loadSample = (): { path: string; template: Record<string, unknown> } => {
  const path = sampleCandidates.find((p) => existsSync(p));
  if (!path) throw new Error(`Shopify sample ${sampleName} not found in ${sampleCandidates.join(' or ')}`);
  // Shopify ids exceed 2^53: decode like the webhook handler does, so they stay exact (as strings).
  const parsed = parseWebhookJson(readFileSync(path));
  if (!parsed.ok) throw new Error(`Shopify sample ${path} is not valid JSON`);
  return { path, template: parsed.value as Record<string, unknown> };
};

/** Shopify sends ids as JSON numbers; put back the big ones the lossless decode had quoted. */
const unquoteBigIds = (json: string): string => json.replace(/"(-?\d{16,})"/g, '$1');

/** Shopify's timestamp style: seconds precision with an offset. */
const shopifyTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

export interface Buyer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
}

const firstNames = ['Ann', 'Bo', 'Carla', 'Dmitri', 'Eve', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jun'];
const lastNames = ['Larsen', 'Okafor', 'Silva', 'Novak', 'Tanaka', 'Moreau', 'Khan', 'Berg', 'Rossi', 'Walsh'];

/** Buyer number n: a registered Shopify customer (ids in today's 13-digit range). */
export const buyer = (n: number): Buyer => ({
  id: 7_310_000_000_000 + n,
  email: `buyer${n}@example.com`,
  firstName: firstNames[n % firstNames.length]!,
  lastName: lastNames[Math.floor(n / firstNames.length) % lastNames.length]!,
});

export interface Delivery {
  orderId: number;
  buyer: Buyer;
  /** Exactly the bytes that are signed and sent; a duplicate delivery reuses them. */
  body: Buffer;
  headers: Record<string, string>;
}

export interface ShopifyOrderFactory {
  /** Line items in the template (the sample has 5). */
  lineCount: number;
  /** A new paid order number n by this buyer, signed with the shop's webhook secret. */
  paidOrder(n: number, who: Buyer, at?: Date): Delivery;
  /** The same, for orders with only the template's first `lines` line items (0: all). */
  forLines(lines: number): ShopifyOrderFactory;
}

export const shopifyOrderFactory = (
  template: Record<string, unknown>,
  shopId: string,
  webhookSecret: string,
): ShopifyOrderFactory => ({
  lineCount: Array.isArray(template.line_items) ? template.line_items.length : 0,
  forLines(lines) {
    const all = Array.isArray(template.line_items) ? template.line_items : [];
    return shopifyOrderFactory({ ...template, line_items: lines ? all.slice(0, lines) : all }, shopId, webhookSecret);
  },
  paidOrder(n, who, at = new Date()) {
    const orderId = 5_910_000_000_000 + n;
    const when = shopifyTime(at);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const order = structuredClone(template) as Record<string, any>;
    Object.assign(order, {
      id: orderId,
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
      name: `#${1001 + n}`,
      number: n + 1,
      order_number: 1001 + n,
      token: randomUUID().replace(/-/g, ''),
      test: false,
      financial_status: 'paid',
      cancelled_at: null,
      cancel_reason: null,
      confirmed: true,
      created_at: when,
      processed_at: when,
      updated_at: when,
      email: who.email,
      contact_email: who.email,
    });
    const names = { first_name: who.firstName, last_name: who.lastName, name: `${who.firstName} ${who.lastName}` };
    Object.assign(order.customer, {
      id: who.id,
      email: who.email,
      first_name: who.firstName,
      last_name: who.lastName,
      admin_graphql_api_id: `gid://shopify/Customer/${who.id}`,
    });
    if (order.customer.default_address)
      Object.assign(order.customer.default_address, { ...names, customer_id: who.id });
    if (order.billing_address) Object.assign(order.billing_address, names);
    if (order.shipping_address) Object.assign(order.shipping_address, names);

    const body = Buffer.from(unquoteBigIds(JSON.stringify(order)), 'utf8');
    return {
      orderId,
      buyer: who,
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/paid',
        'x-shopify-hmac-sha256': signBase64Hmac(body, webhookSecret),
        'x-shopify-shop-domain': `${shopId}.myshopify.com`,
        'x-shopify-api-version': '2026-07',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-triggered-at': at.toISOString(),
      },
    };
  },
});

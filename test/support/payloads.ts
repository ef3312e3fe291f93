import { signBase64Hmac, signCustom } from '../../shared/domain/webhooks/signatures';
import { fixtureBytes } from '../fixtures/webhooks';

/** A real platform payload as text (see test/fixtures/webhooks/SOURCES.md). */
export const reference = (path: string): string => fixtureBytes(path).toString('utf8');

/**
 * The Shopify orders/create sample, turned into a live paid order by editing its text (not by
 * re-serialising it, which would round its 18-digit ids through a float).
 */
export const shopifyPaidOrder = (
  over: { id?: string; customerId?: string; email?: string; updatedAt?: string } = {},
): string => {
  let text = reference('shopify/orders_create.sample.2026-07.json')
    .replace('"test": true', '"test": false')
    .replace('"financial_status": "voided"', '"financial_status": "paid"')
    .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
    .replace('"cancel_reason": "customer"', '"cancel_reason": null');
  if (over.id) text = text.replace(/^ {2}"id": 820982911946154508,/m, `  "id": ${over.id},`);
  if (over.customerId) text = text.replace(/"id": 115310627314723954/g, `"id": ${over.customerId}`);
  if (over.email) text = text.replaceAll('jon@example.com', over.email);
  if (over.updatedAt) text = text.replace(/^ {2}"updated_at": "[^"]+"/m, `  "updated_at": "${over.updatedAt}"`);
  return text;
};

export const shopifyHeaders = (body: string | Buffer, secret: string, topic: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-shopify-topic': topic,
  'x-shopify-hmac-sha256': signBase64Hmac(Buffer.from(body), secret),
  'x-shopify-webhook-id': `wh-${Math.random().toString(36).slice(2)}`,
});

export const wooHeaders = (body: string | Buffer, secret: string, topic: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-wc-webhook-topic': topic,
  'x-wc-webhook-signature': signBase64Hmac(Buffer.from(body), secret),
  'x-wc-webhook-delivery-id': String(Math.floor(Math.random() * 1e9)),
});

export const customHeaders = (body: string, secret: string, at = new Date()): Record<string, string> => ({
  'content-type': 'application/json',
  'boomerang-signature': signCustom(body, secret, at),
});

/** The Shopify shop the order samples belong to (their order_status_url names it). */
export const sampleShopifyShop = { shopId: '548380009', domain: 'jsmith.myshopify.com' };

/**
 * A Shopify compliance sample (customers/redact, customers/data_request, shop/redact) naming
 * `shop` instead of the samples' placeholder shop.
 */
export const shopifyCompliance = (file: string, shop: { shopId: string; domain: string } = sampleShopifyShop): string =>
  reference(`shopify/${file}`)
    .replace('"shop_id": 954889', `"shop_id": ${shop.shopId}`)
    .replace('"{shop}.myshopify.com"', `"${shop.domain}"`);

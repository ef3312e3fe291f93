import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customHeaders,
  reference,
  sampleShopifyShop,
  shopifyCompliance,
  shopifyHeaders,
  shopifyPaidOrder,
  wooHeaders,
} from '../support/payloads';
import { randomId, startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * A platform signs the body, not the topic header or the path: no signed body may do anything
 * but what its own topic means, for its own shop. Each case replays a validly signed body.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const customerOf = (shop: CreatedShop, ref: string) =>
  stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey });
const shopOf = (shop: CreatedShop) => stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: stack.operatorKey });

describe('Shopify: a signed order body replayed under another topic', () => {
  let shop: CreatedShop;
  const post = (body: string, topic: string, headers: Record<string, string> = {}) =>
    stack.api('POST', `/webhooks/shopify/${shop.shop.id}`, {
      body,
      headers: { ...shopifyHeaders(body, shop.input.webhookSecret, topic), ...headers },
    });
  const order = shopifyPaidOrder({ id: '9100001', customerId: '9101', email: 'victim@example.com' });

  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'shopify', currency: 'USD' });
    expect((await post(order, 'orders/paid')).json.status).toBe('processed');
  });

  it("learns the shop's Shopify identity from the first verified order and shows it", async () => {
    expect((await shopOf(shop)).json.shop).toMatchObject({
      shopifyShopId: sampleShopifyShop.shopId,
      shopifyDomain: sampleShopifyShop.domain,
    });
  });

  it.each(['shop/redact', 'customers/redact', 'customers/data_request', 'orders/delete', 'refunds/create'])(
    'as %s: refused, nothing changes',
    async (topic) => {
      const r = await post(order, topic, { 'x-shopify-shop-domain': sampleShopifyShop.domain });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(['invalid_payload', 'topic_mismatch']).toContain(r.json.error.code);
      expect((await shopOf(shop)).json.shop.status).toBe('active');
      const c = await customerOf(shop, '9101');
      expect(c.json.customer.email).toBe('victim@example.com');
      expect(c.json.points.pending).toBe(414);
      expect(c.json.ledger).toHaveLength(1);
    },
  );

  it('as another order topic: the same request, processed once', async () => {
    expect((await post(order, 'orders/updated')).json).toEqual({ status: 'duplicate', orderId: '9100001' });
    expect((await customerOf(shop, '9101')).json.ledger).toHaveLength(1);
  });

  it('an unknown or missing topic is 400 and changes nothing', async () => {
    for (const topic of ['app/uninstalled', 'products/update', '']) {
      const r = await post(order, topic);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('unknown_topic');
      expect(r.json.error.details.supported).toContain('orders/paid');
    }
  });

  it('a compliance body naming another Shopify shop is refused', async () => {
    const foreign = shopifyCompliance('shop_redact.sample.2026-07.json', {
      shopId: '1234567',
      domain: 'someone-else.myshopify.com',
    });
    const r = await post(foreign, 'shop/redact', { 'x-shopify-shop-domain': 'someone-else.myshopify.com' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('shop_mismatch');
    const redactOther = shopifyCompliance('customers_redact.sample.2026-07.json', {
      shopId: '1234567',
      domain: sampleShopifyShop.domain,
    });
    expect((await post(redactOther, 'customers/redact')).status).toBe(403);
    expect((await shopOf(shop)).json.shop.status).toBe('active');
  });

  it('a body accepted for one shop is refused at another shop sharing the app secret', async () => {
    const twin = await stack.createShop({
      platform: 'shopify',
      currency: 'USD',
      webhookSecret: shop.input.webhookSecret,
    });
    const r = await stack.api('POST', `/webhooks/shopify/${twin.shop.id}`, {
      body: order,
      headers: shopifyHeaders(order, shop.input.webhookSecret, 'orders/paid'),
    });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('shop_mismatch');
    expect((await customerOf(twin, '9101')).status).toBe(404);
    // An order of another Shopify shop (its status link names it) is refused too.
    const foreignOrder = shopifyPaidOrder({ id: '9100002', customerId: '9102' }).replaceAll(
      'jsmith.myshopify.com/548380009',
      'other.myshopify.com/999',
    );
    const f = await post(foreignOrder, 'orders/paid');
    expect(f.status).toBe(403);
    expect((await customerOf(shop, '9102')).status).toBe(404);
  });

  it('the identity can be set and corrected in the shop API, and is validated', async () => {
    const path = `/admin/shops/${shop.shop.id}`;
    expect((await stack.api('PATCH', path, { key: shop.apiKey, body: { shopifyDomain: 'not a domain' } })).status).toBe(
      400,
    );
    const patched = await stack.api('PATCH', path, {
      key: shop.apiKey,
      body: { shopifyShopId: 548380009, shopifyDomain: 'JSmith.myshopify.com' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.shop).toMatchObject({ shopifyShopId: '548380009', shopifyDomain: 'jsmith.myshopify.com' });
    const created = await stack.createShop({
      platform: 'shopify',
      currency: 'USD',
      shopifyShopId: '42',
      shopifyDomain: 'fresh.myshopify.com',
    });
    expect(created.shop).toMatchObject({ shopifyShopId: '42', shopifyDomain: 'fresh.myshopify.com' });
  });
});

describe('WooCommerce: unsigned topic headers', () => {
  let shop: CreatedShop;
  const wire = reference('woocommerce/order.update-example.completed.wire-derived.json');
  const post = (body: string, topic: string, headers: Record<string, string> = {}) =>
    stack.api('POST', `/webhooks/woocommerce/${shop.shop.id}`, {
      body,
      headers: { ...wooHeaders(body, shop.input.webhookSecret, topic), ...headers },
    });

  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'woocommerce', currency: 'USD' });
    expect((await post(wire, 'order.updated')).json.status).toBe('processed');
  });

  it('a signed order body replayed as order.deleted is refused and the points stay', async () => {
    const r = await post(wire, 'order.deleted', { 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'deleted' });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_payload');
    expect((await customerOf(shop, 'john.doe@example.com')).json.points.pending).toBe(18);
  });

  it('a topic that contradicts the resource and event headers is refused', async () => {
    const r = await post(wire, 'order.deleted', { 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'updated' });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('inconsistent_topic');
  });

  it('unknown topics are 400; the unsigned ping is still 200', async () => {
    const r = await post(wire, 'product.updated');
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('unknown_topic');
    const ping = await stack.api('POST', `/webhooks/woocommerce/${shop.shop.id}`, {
      body: 'webhook_id=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(ping.status).toBe(200);
  });

  it('a real deletion still cancels the order', async () => {
    expect(
      (
        await post(JSON.stringify({ id: 727 }), 'order.deleted', {
          'x-wc-webhook-resource': 'order',
          'x-wc-webhook-event': 'deleted',
        })
      ).status,
    ).toBe(200);
    expect((await customerOf(shop, 'john.doe@example.com')).json.points.pending).toBe(0);
  });
});

describe('custom format: the type is inside the signed body', () => {
  let shop: CreatedShop;
  const event = (id: string, type: string, data: unknown) =>
    JSON.stringify({ id, type, createdAt: new Date().toISOString(), data });
  const order = {
    id: 'T-1',
    currency: 'EUR',
    createdAt: '2026-03-01T11:00:00Z',
    customer: { id: 'c-1', email: 'c1@example.com' },
    lines: [{ id: '1', quantity: 1, price: '50.00' }],
    total: '50.00',
  };
  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'custom', currency: 'EUR' });
  });

  it('changing the type of a signed event breaks its signature', async () => {
    const body = event('e-1', 'order.paid', order);
    const headers = customHeaders(body, shop.input.webhookSecret);
    expect((await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, { body, headers })).json.status).toBe(
      'processed',
    );
    const forged = body.replace('"order.paid"', '"shop.redact"');
    expect((await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, { body: forged, headers })).status).toBe(401);
    expect((await shopOf(shop)).json.shop.status).toBe('active');
  });

  it('an unknown type is 400 unknown_topic', async () => {
    const body = event('e-2', 'order.deleted', { id: 'T-1' });
    const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret),
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('unknown_topic');
    expect((await customerOf(shop, 'c-1')).json.points.pending).toBe(50);
  });

  it('a signed event accepted for one shop is refused at another shop with the same secret', async () => {
    const twin = await stack.createShop({
      platform: 'custom',
      currency: 'EUR',
      webhookSecret: shop.input.webhookSecret,
      id: randomId('twin-'),
    });
    const body = event('e-3', 'customer.redact', { customerId: 'c-1' });
    expect(
      (
        await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
          body,
          headers: customHeaders(body, shop.input.webhookSecret),
        })
      ).json.status,
    ).toBe('redacted');
    const r = await stack.api('POST', `/webhooks/custom/${twin.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret),
    });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('shop_mismatch');
  });

  it('shop.redact is two-step as well, and recorded', async () => {
    const body = event('e-4', 'shop.redact', {});
    const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret),
    });
    expect(r.json.status).toBe('shop_redaction_scheduled');
    const audit = await stack.api('GET', `/admin/shops/${shop.shop.id}/redactions`, { key: stack.operatorKey });
    expect(
      audit.json.redactions.map((x: { scope: string; status: string }) => `${x.scope}:${x.status}`).sort(),
    ).toEqual(['customer:done', 'shop:scheduled']);
    expect(audit.json.redactions.find((x: { scope: string }) => x.scope === 'customer')).toMatchObject({
      customerId: 'c-1',
      source: { deliveryId: 'e-3', topic: 'customer.redact' },
    });
    expect(JSON.stringify(audit.json)).not.toContain('c1@example.com');
  });
});

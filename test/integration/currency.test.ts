import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/logs';
import { customHeaders, reference, shopifyHeaders, shopifyPaidOrder, wooHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * Points in the shop's currency, through the gateway: a USD shop on each platform receives
 * orders placed in yen. Converted ones earn on their dollar amounts; one without a conversion is
 * recorded, earns nothing, and says why on the order, on the customer and in the log.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const customer = (shop: CreatedShop, ref: string) =>
  stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey });
const exported = (shop: CreatedShop, ref: string) =>
  stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}/export`, { key: shop.apiKey });

/** Sends `send()` while capturing the log, and returns the `order earns nothing` lines. */
const heldWarnings = async (send: () => Promise<unknown>) => {
  const logs = captureLogs('warn');
  try {
    await send();
    return logs.parsed().filter((l) => l.message === 'order earns nothing');
  } finally {
    logs.restore();
  }
};

describe('Shopify: shop money, never presentment money', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'shopify', currency: 'USD' });
  });
  const post = (body: string, topic = 'orders/paid') =>
    stack.api('POST', `/webhooks/shopify/${shop.shop.id}`, {
      body,
      headers: shopifyHeaders(body, shop.input.webhookSecret, topic),
    });

  it('an order the buyer paid in yen earns on its shop money in dollars (414.95 USD → 414 points)', async () => {
    // The sample order as presented in yen: every presentment amount ×150 in JPY, shop money unchanged.
    const body = shopifyPaidOrder({ id: '8100001', customerId: '8100002', email: 'yen@example.com' })
      .replace('"presentment_currency": "USD"', '"presentment_currency": "JPY"')
      .replace(
        /"presentment_money": \{\s*"amount": "([\d.]+)",\s*"currency_code": "USD"/g,
        (_m, amount: string) =>
          `"presentment_money": { "amount": "${Math.round(Number(amount) * 150)}", "currency_code": "JPY"`,
      );
    expect(body).toContain('"amount": "62243", "currency_code": "JPY"');
    expect((await post(body)).json).toEqual({ status: 'processed', orderId: '8100001' });
    expect((await customer(shop, '8100002')).json.points).toMatchObject({ pending: 414 });
    const [order] = (await exported(shop, '8100002')).json.orders;
    expect(order.state).toMatchObject({ currency: 'USD', conversion: { fromCurrency: 'JPY', source: 'shopify' } });
    expect(order.earnBlocked).toBeUndefined();
  });

  it('¥10,000 with no dollar shop money is recorded but earns nothing, with the reason on the order and in the log', async () => {
    const body = JSON.stringify({
      id: 8200001,
      currency: 'JPY',
      presentment_currency: 'JPY',
      created_at: '2026-03-01T10:00:00Z',
      updated_at: '2026-03-01T10:00:00Z',
      processed_at: '2026-03-01T10:00:00Z',
      financial_status: 'paid',
      customer: { id: 8200002, email: 'ten-thousand@example.com' },
      line_items: [{ id: 1, quantity: 1, price: '10000' }],
      total_price: '10000',
      total_price_set: { shop_money: { amount: '10000', currency_code: 'JPY' } },
    });
    const warnings = await heldWarnings(async () =>
      expect((await post(body)).json).toEqual({ status: 'processed', orderId: '8200001' }),
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        shopId: shop.shop.id,
        orderId: '8200001',
        reason: 'currency_mismatch',
        orderCurrency: 'JPY',
        shopCurrency: 'USD',
      }),
    ]);
    const c = await customer(shop, '8200002');
    expect(c.json.points).toMatchObject({ balance: 0, pending: 0, lifetimeEarned: 0 });
    expect(c.json.ledger).toEqual([]);
    expect(c.json.heldOrders).toEqual([{ orderId: '8200001', reason: 'currency_mismatch' }]);
    const [order] = (await exported(shop, '8200002')).json.orders;
    expect(order).toMatchObject({
      orderId: '8200001',
      earnBlocked: 'currency_mismatch',
      awarded: { points: 0, credit: 0 },
      state: { currency: 'JPY', totalMinor: 10_000 },
    });
    // A redelivery is a duplicate: nothing more to say.
    expect(await heldWarnings(async () => expect((await post(body)).json.status).toBe('duplicate'))).toEqual([]);
  });
});

describe('WooCommerce: multi-currency order meta', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'woocommerce', currency: 'USD' });
  });
  const post = (body: string) =>
    stack.api('POST', `/webhooks/woocommerce/${shop.shop.id}`, {
      body,
      headers: wooHeaders(body, shop.input.webhookSecret, 'order.updated'),
    });

  /** Order 727 (completed, two lines) as placed in yen: ¥900 + ¥1,800 items, with `meta`. */
  const inYen = (id: number, email: string, meta: { key: string; value: string }[]) => {
    const o = JSON.parse(reference('woocommerce/order.update-example.completed.wire-derived.json')) as Record<
      string,
      unknown
    > & { line_items: Record<string, unknown>[]; meta_data: unknown[]; billing: Record<string, unknown> };
    o.id = id;
    o.currency = 'JPY';
    o.billing = { ...o.billing, email };
    o.line_items[0] = { ...o.line_items[0], subtotal: '900', total: '900' };
    o.line_items[1] = { ...o.line_items[1], subtotal: '1800', total: '1800' };
    Object.assign(o, { shipping_total: '1500', total_tax: '203', total: '4403', discount_total: '0' });
    o.meta_data = [...o.meta_data, ...meta.map((m, i) => ({ id: 9100 + i, ...m }))];
    return JSON.stringify(o);
  };

  it('WooPayments: ¥2,700 of items at 150 ¥/$ earn 18 points, the rate kept on the order', async () => {
    const body = inYen(7301, 'wcpay@example.com', [
      { key: '_wcpay_multi_currency_order_exchange_rate', value: '150' },
      { key: '_wcpay_multi_currency_order_default_currency', value: 'USD' },
    ]);
    expect((await post(body)).json).toEqual({ status: 'processed', orderId: '7301' });
    expect((await customer(shop, 'wcpay@example.com')).json.points.pending).toBe(18);
    const [order] = (await exported(shop, 'wcpay@example.com')).json.orders;
    expect(order.state).toMatchObject({
      currency: 'USD',
      totalMinor: 2_935,
      conversion: { fromCurrency: 'JPY', source: 'woopayments', inverseRate: '150' },
    });
  });

  it('Aelia: its base-currency rate converts the order the same way', async () => {
    expect(
      (await post(inYen(7302, 'aelia@example.com', [{ key: '_base_currency_exchange_rate', value: '0.0065' }]))).status,
    ).toBe(200);
    // ¥900 → $5.85, ¥1,800 → $11.70: $17.55 → 17 points.
    expect((await customer(shop, 'aelia@example.com')).json.points.pending).toBe(17);
  });

  it('no multi-currency meta: recorded, earns nothing, and says why', async () => {
    const warnings = await heldWarnings(async () =>
      expect((await post(inYen(7303, 'plain-yen@example.com', []))).json.status).toBe('processed'),
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        orderId: '7303',
        reason: 'currency_mismatch',
        orderCurrency: 'JPY',
        shopCurrency: 'USD',
      }),
    ]);
    const c = await customer(shop, 'plain-yen@example.com');
    expect(c.json.points).toMatchObject({ pending: 0, balance: 0 });
    expect(c.json.heldOrders).toEqual([{ orderId: '7303', reason: 'currency_mismatch' }]);
    const [order] = (await exported(shop, 'plain-yen@example.com')).json.orders;
    expect(order).toMatchObject({ earnBlocked: 'currency_mismatch', state: { currency: 'JPY' } });
  });
});

describe('custom format: shopMoney', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'custom', currency: 'USD' });
  });
  const post = (body: string) =>
    stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret),
    });
  const yenOrder = (id: string, customerId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: `evt-${id}`,
      type: 'order.paid',
      createdAt: '2026-03-01T12:00:00Z',
      data: {
        id,
        currency: 'JPY',
        customer: { id: customerId },
        lines: [{ id: '1', quantity: 1, price: '5000' }],
        total: '5000',
        ...extra,
      },
    });

  it('¥5,000 with shopMoney at 0.0065 $/¥ earns 32 points ($32.50), the rate kept on the order', async () => {
    expect(
      (await post(yenOrder('Y-1', 'yen-1', { shopMoney: { currency: 'USD', exchangeRate: '0.0065' } }))).json,
    ).toEqual({ status: 'processed', orderId: 'Y-1' });
    expect((await customer(shop, 'yen-1')).json.points.pending).toBe(32);
    const [order] = (await exported(shop, 'yen-1')).json.orders;
    expect(order.state).toMatchObject({
      currency: 'USD',
      totalMinor: 3_250,
      conversion: { fromCurrency: 'JPY', source: 'custom', rate: '0.0065' },
    });
  });

  it('¥5,000 without shopMoney is recorded and earns nothing (it earned 5,000 points before)', async () => {
    const warnings = await heldWarnings(async () =>
      expect((await post(yenOrder('Y-2', 'yen-2'))).json.status).toBe('processed'),
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        orderId: 'Y-2',
        reason: 'currency_mismatch',
        orderCurrency: 'JPY',
        shopCurrency: 'USD',
      }),
    ]);
    const c = await customer(shop, 'yen-2');
    expect(c.json.points).toMatchObject({ pending: 0, balance: 0 });
    expect(c.json.heldOrders).toEqual([{ orderId: 'Y-2', reason: 'currency_mismatch' }]);
  });

  it("a shopMoney into another currency than the shop's is held back too; a bad rate is refused with its path", async () => {
    await post(yenOrder('Y-3', 'yen-3', { shopMoney: { currency: 'EUR', exchangeRate: '0.006' } }));
    expect((await customer(shop, 'yen-3')).json).toMatchObject({
      points: { pending: 0 },
      heldOrders: [{ orderId: 'Y-3', reason: 'currency_mismatch' }],
    });
    const bad = await post(yenOrder('Y-4', 'yen-4', { shopMoney: { currency: 'USD', exchangeRate: '1,5' } }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path)).toEqual(['data.shopMoney.exchangeRate']);
  });

  it('the same order sent again with shopMoney lifts the hold and earns', async () => {
    const later = JSON.stringify({
      ...JSON.parse(
        yenOrder('Y-2', 'yen-2', {
          shopMoney: { currency: 'USD', exchangeRate: '0.0065' },
          updatedAt: '2026-03-01T12:30:00Z',
        }),
      ),
      id: 'evt-Y-2-again',
    });
    expect((await post(later)).json.status).toBe('processed');
    const c = await customer(shop, 'yen-2');
    expect(c.json.points.pending).toBe(32);
    expect(c.json.heldOrders).toEqual([]);
  });
});

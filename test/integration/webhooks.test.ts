import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../shared/adapters/clock';
import { keys } from '../../shared/adapters/keys';
import { runtime, setRuntime } from '../../shared/wiring/runtime';
import { handler as redactionsJob } from '../../functions/redactions/handler';
import {
  reference,
  shopifyCompliance,
  shopifyHeaders,
  shopifyPaidOrder,
  wooHeaders,
  customHeaders,
} from '../support/payloads';
import { randomId, startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { testDb } from '../support/db';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The hourly redactions schedule, run `hoursLater` hours from now. */
const runRedactions = async (hoursLater = 0) => {
  const rt = runtime();
  setRuntime({ ...rt, clock: fixedClock(new Date(Date.now() + hoursLater * 3600_000)) });
  try {
    return await redactionsJob({ job: 'redactions' });
  } finally {
    setRuntime(rt);
  }
};

const customer = (shop: CreatedShop, ref: string, query = '') =>
  stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}${query}`, { key: shop.apiKey });

describe('Shopify webhooks', () => {
  let shop: CreatedShop;
  const secret = () => shop.input.webhookSecret;
  const post = (body: string | Buffer, topic: string, headers: Record<string, string> = {}) =>
    stack.api('POST', `/webhooks/shopify/${shop.shop.id}`, {
      body,
      headers: { ...shopifyHeaders(body, secret(), topic), ...headers },
    });

  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'shopify', currency: 'USD' });
  });

  it('earns pending points for a paid order, once, and keeps its 18-digit ids exactly', async () => {
    const body = shopifyPaidOrder();
    const first = await post(body, 'orders/paid');
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ status: 'processed', orderId: '820982911946154508' });
    const again = await post(body, 'orders/paid');
    expect(again.json).toEqual({ status: 'duplicate', orderId: '820982911946154508' });

    const c = await customer(shop, '115310627314723954');
    expect(c.status).toBe(200);
    expect(c.json.customer).toMatchObject({ platformCustomerId: '115310627314723954', email: 'jon@example.com' });
    // Subtotal after discounts 414.95 USD → 414 points, pending for the return window.
    expect(c.json.points).toMatchObject({ balance: 0, pending: 414 });
    expect(c.json.ledger).toHaveLength(1);
    expect(c.json.ledger[0]).toMatchObject({
      type: 'earn',
      orderId: '820982911946154508',
      points: { pending: 414, available: 0 },
    });
    expect((await customer(shop, 'JON@example.com')).json.customer.id).toBe(c.json.customer.id);
  });

  it('reverses everything on the full refund in refunds/create', async () => {
    const body = reference('shopify/refunds_create.sample.2026-07.json');
    expect((await post(body, 'refunds/create')).json.status).toBe('processed');
    expect((await post(body, 'refunds/create')).json.status).toBe('duplicate');
    const c = await customer(shop, '115310627314723954');
    expect(c.json.points).toMatchObject({ balance: 0, pending: 0 });
    expect(c.json.ledger.map((e: { type: string }) => e.type)).toEqual(['reverse', 'earn']);
  });

  it('a partial refund that arrives before its order is applied when the order comes', async () => {
    const refundBody = reference('shopify/refunds_create.sample.2026-07.json')
      .replaceAll('820982911946154508', '5550001')
      .replace('"id": 890088186047892319', '"id": 7770001');
    // Keep only the first refunded line (89.99): the sample refunds all five.
    const parsed = JSON.parse(refundBody) as { refund_line_items: unknown[] };
    parsed.refund_line_items = parsed.refund_line_items.slice(0, 1);
    const partial = JSON.stringify(parsed);
    expect((await post(partial, 'refunds/create')).status).toBe(200);
    await post(shopifyPaidOrder({ id: '5550001', customerId: '4242', email: 'early@example.com' }), 'orders/create');
    const c = await customer(shop, '4242');
    // ⌊414 × (414.95 − 89.99) ⁄ 414.95⌋ = 324
    expect(c.json.points.pending).toBe(324);
  });

  it('concurrent duplicates and orders/updated racing orders/paid end in one earning', async () => {
    const id = String(6_000_000 + Math.floor(Math.random() * 1e6));
    const paid = shopifyPaidOrder({ id, customerId: '777', email: 'race@example.com' });
    const updated = shopifyPaidOrder({
      id,
      customerId: '777',
      email: 'race@example.com',
      updatedAt: '2022-01-01T10:00:00-05:00',
    });
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => post(paid, 'orders/paid')),
      ...Array.from({ length: 4 }, () => post(updated, 'orders/updated')),
    ]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const c = await customer(shop, '777');
    expect(c.json.points.pending).toBe(414);
    expect(c.json.ledger.filter((e: { type: string }) => e.type === 'earn')).toHaveLength(1);
  });

  it('rejects a bad signature with 401 before parsing, and writes nothing', async () => {
    const body = shopifyPaidOrder({ id: '9990001', customerId: '9991', email: 'nope@example.com' });
    const bad = await post(body, 'orders/paid', { 'x-shopify-hmac-sha256': 'AAAA' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe('unauthorized');
    const missing = await stack.api('POST', `/webhooks/shopify/${shop.shop.id}`, {
      body,
      headers: { 'x-shopify-topic': 'orders/paid' },
    });
    expect(missing.status).toBe(401);
    const garbage = await post('{"not json', 'orders/paid', { 'x-shopify-hmac-sha256': 'AAAA' });
    expect(garbage.status).toBe(401);
    expect((await customer(shop, '9991')).status).toBe(404);
  });

  it('answers 400 for malformed or schema-invalid bodies, 404 for unknown shops, 413 over 1 MiB', async () => {
    const malformed = await post('{"id": 1,', 'orders/paid');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('malformed_json');
    const invalid = await post(JSON.stringify({ id: 1, line_items: 'nope' }), 'orders/paid');
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details.length).toBeGreaterThan(0);
    const unknown = await stack.api('POST', '/webhooks/shopify/no-such-shop', {
      body: '{}',
      headers: shopifyHeaders('{}', 'x', 'orders/paid'),
    });
    expect(unknown.status).toBe(404);
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    expect((await post(huge, 'orders/paid')).status).toBe(413);
  });

  it('verifies with the previous secret during the rotation grace period', async () => {
    const old = secret();
    const next = randomId('whsec_', 24);
    const patched = await stack.api('PATCH', `/admin/shops/${shop.shop.id}`, {
      key: shop.apiKey,
      body: { webhookSecret: next },
    });
    expect(patched.status).toBe(200);
    const body = shopifyPaidOrder({ id: '1234001', customerId: '8888', email: 'rot@example.com' });
    expect(
      (
        await stack.api('POST', `/webhooks/shopify/${shop.shop.id}`, {
          body,
          headers: shopifyHeaders(body, next, 'orders/paid'),
        })
      ).status,
    ).toBe(200);
    const body2 = shopifyPaidOrder({ id: '1234002', customerId: '8888', email: 'rot@example.com' });
    expect(
      (
        await stack.api('POST', `/webhooks/shopify/${shop.shop.id}`, {
          body: body2,
          headers: shopifyHeaders(body2, old, 'orders/paid'),
        })
      ).status,
    ).toBe(200);
    shop.input.webhookSecret = next;
  });

  it('customers/data_request stores an export; customers/redact erases PII but keeps totals', async () => {
    await post(shopifyPaidOrder({ id: '3330001', customerId: '191167', email: 'john@example.com' }), 'orders/paid');
    const dr = await post(shopifyCompliance('customers_data_request.sample.2026-07.json'), 'customers/data_request');
    expect(dr.json).toEqual({ status: 'data_request_recorded', customers: 1 });
    const exported = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/191167/export`, {
      key: shop.apiKey,
    });
    expect(exported.json.profile.email).toBe('john@example.com');
    expect(exported.json.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['3330001']);

    const redact = await post(shopifyCompliance('customers_redact.sample.2026-07.json'), 'customers/redact');
    expect(redact.json).toEqual({
      status: 'redacted',
      customers: 1,
      redactionId: expect.stringMatching(/^rd_[0-9a-f]{32}$/),
    });
    const c = await customer(shop, '191167');
    expect(c.json.customer).toMatchObject({ email: null, firstName: null, lastName: null, redacted: true });
    expect(c.json.points.pending).toBe(414);
    expect(JSON.stringify(c.json)).not.toContain('john@example.com');
    expect((await customer(shop, 'john@example.com')).status).toBe(404);
  });

  it('shop/redact marks the shop at once and deletes every item of it once the delay has passed', async () => {
    const other = await stack.createShop({ platform: 'shopify', currency: 'USD' });
    const body = shopifyPaidOrder({ id: '4440001', customerId: '5151', email: 'gone@example.com' });
    await stack.api('POST', `/webhooks/shopify/${other.shop.id}`, {
      body,
      headers: shopifyHeaders(body, other.input.webhookSecret, 'orders/paid'),
    });
    // Reading the customer publishes their referral code (a global code item too).
    const code = (await stack.api('GET', `/admin/shops/${other.shop.id}/customers/5151`, { key: other.apiKey })).json
      .referral.code as string;
    expect((await fetch(`${stack.baseUrl}/r/${code}`, { redirect: 'manual' })).status).toBe(302);
    const redactBody = shopifyCompliance('shop_redact.sample.2026-07.json');
    const redact = () =>
      stack.api('POST', `/webhooks/shopify/${other.shop.id}`, {
        body: redactBody,
        headers: {
          ...shopifyHeaders(redactBody, other.input.webhookSecret, 'shop/redact'),
          'x-shopify-webhook-id': 'wh-redact-1',
        },
      });
    const r = await redact();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      status: 'shop_redaction_scheduled',
      redactionId: expect.stringMatching(/^rd_/),
      dueAt: expect.any(String),
    });
    expect(Date.parse(r.json.dueAt) - Date.now()).toBeGreaterThan(47.9 * 3600_000);
    // A platform retry names the same redaction; the shop takes no more data meanwhile.
    expect((await redact()).json).toEqual(r.json);
    const late = shopifyPaidOrder({ id: '4440002', customerId: '5151', email: 'gone@example.com' });
    expect(
      (
        await stack.api('POST', `/webhooks/shopify/${other.shop.id}`, {
          body: late,
          headers: shopifyHeaders(late, other.input.webhookSecret, 'orders/paid'),
        })
      ).json,
    ).toEqual({ status: 'ignored', reason: 'shop is being redacted' });

    // Not due yet: the schedule deletes nothing.
    const customerKey = keys.customer(other.shop.id, 'i.5151');
    expect(await runRedactions()).toMatchObject({ shopsDeleted: 0 });
    expect((await testDb().send(new GetCommand({ TableName: stack.tableName, Key: customerKey }))).Item).toBeDefined();

    expect(await runRedactions(49)).toMatchObject({ shopsDeleted: 1 });
    expect((await stack.api('GET', `/admin/shops/${other.shop.id}`, { key: stack.operatorKey })).status).toBe(404);
    expect(
      (await testDb().send(new GetCommand({ TableName: stack.tableName, Key: customerKey }))).Item,
    ).toBeUndefined();
    // A platform retry after the shop item is gone is simply an unknown shop.
    expect((await redact()).status).toBe(404);
    // The public code lookup is gone too (the redirect may serve its ~60 s cache until then).
    const gone = await testDb().send(
      new GetCommand({ TableName: stack.tableName, Key: keys.globalReferralCode(code) }),
    );
    expect(gone.Item).toBeUndefined();
    // The audit record survives the shop: what, when, which delivery, how much.
    const audit = await stack.api('GET', `/admin/shops/${other.shop.id}/redactions`, { key: stack.operatorKey });
    expect(audit.json.redactions).toEqual([
      expect.objectContaining({
        id: r.json.redactionId,
        scope: 'shop',
        status: 'done',
        requestedAt: expect.any(String),
        doneAt: expect.any(String),
        erased: expect.any(Number),
        source: expect.objectContaining({ platform: 'shopify', topic: 'shop/redact', deliveryId: 'wh-redact-1' }),
      }),
    ]);
    expect(audit.json.redactions[0].erased).toBeGreaterThanOrEqual(4);
    // The first shop is untouched.
    expect((await customer(shop, '115310627314723954')).status).toBe(200);
  });

  it('an operator can cancel a scheduled shop deletion; the shop then takes data again and is never deleted', async () => {
    const other = await stack.createShop({
      platform: 'shopify',
      currency: 'USD',
      shopifyShopId: '777001',
      shopifyDomain: 'keeper.myshopify.com',
    });
    const redactBody = shopifyCompliance('shop_redact.sample.2026-07.json', {
      shopId: '777001',
      domain: 'keeper.myshopify.com',
    });
    const redact = () =>
      stack.api('POST', `/webhooks/shopify/${other.shop.id}`, {
        body: redactBody,
        headers: shopifyHeaders(redactBody, other.input.webhookSecret, 'shop/redact'),
      });
    const scheduled = (await redact()).json;
    expect(scheduled.status).toBe('shop_redaction_scheduled');
    const cancelPath = `/admin/shops/${other.shop.id}/redactions/${scheduled.redactionId}/cancel`;
    // Only the operator may cancel: not the shop's own key (it cannot even reach a redacting shop).
    expect([401, 403]).toContain((await stack.api('POST', cancelPath, { key: other.apiKey })).status);
    const cancelled = await stack.api('POST', cancelPath, { key: stack.operatorKey });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.redaction).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'operator',
      cancelledAt: expect.any(String),
    });
    expect((await stack.api('POST', cancelPath, { key: stack.operatorKey })).json.error.code).toBe('not_scheduled');
    expect(
      (await stack.api('POST', `/admin/shops/${other.shop.id}/redactions/rd_nope/cancel`, { key: stack.operatorKey }))
        .status,
    ).toBe(404);

    const read = await stack.api('GET', `/admin/shops/${other.shop.id}`, { key: other.apiKey });
    expect(read.status).toBe(200);
    expect(read.json.shop.status).toBe('active');
    // The same request redelivered stays cancelled.
    expect((await redact()).json).toEqual({ status: 'shop_redaction_cancelled', redactionId: scheduled.redactionId });
    expect(await runRedactions(49)).toMatchObject({ shopsDeleted: 0 });
    const order = shopifyPaidOrder({ id: '4450001', customerId: '6161', email: 'kept@example.com' }).replaceAll(
      'jsmith.myshopify.com/548380009',
      'keeper.myshopify.com/777001',
    );
    expect(
      (
        await stack.api('POST', `/webhooks/shopify/${other.shop.id}`, {
          body: order,
          headers: shopifyHeaders(order, other.input.webhookSecret, 'orders/paid'),
        })
      ).json.status,
    ).toBe('processed');
  });
});

describe('WooCommerce webhooks', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'woocommerce', currency: 'USD' });
  });
  const post = (body: string, topic: string) =>
    stack.api('POST', `/webhooks/woocommerce/${shop.shop.id}`, {
      body,
      headers: wooHeaders(body, shop.input.webhookSecret, topic),
    });

  it('answers the unsigned creation ping with 200', async () => {
    const r = await stack.api('POST', `/webhooks/woocommerce/${shop.shop.id}`, {
      body: 'webhook_id=17',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(200);
  });

  it('earns on a completed guest order (wire format) and reverses a refund sent as order.updated', async () => {
    const wire = reference('woocommerce/order.update-example.completed.wire-derived.json');
    expect((await post(wire, 'order.updated')).json).toEqual({ status: 'processed', orderId: '727' });
    const c = await customer(shop, 'john.doe@example.com');
    expect(c.status).toBe(200);
    // Items after discounts: 6.00 + 12.00 → 18 points.
    expect(c.json.points.pending).toBe(18);

    const refunded = JSON.parse(wire) as Record<string, unknown>;
    refunded.refunds = [{ id: 901, reason: 'damaged', total: '-9.00' }];
    refunded.date_modified_gmt = '2017-03-23T10:00:00';
    expect((await post(JSON.stringify(refunded), 'order.updated')).json.status).toBe('processed');
    const after = await customer(shop, 'john.doe@example.com');
    expect(after.json.points.pending).toBeLessThan(18);
    expect(after.json.ledger[0].type).toBe('reverse');

    expect((await post(JSON.stringify({ id: 727 }), 'order.deleted')).status).toBe(200);
    expect((await customer(shop, 'john.doe@example.com')).json.points.pending).toBe(0);
  });
});

describe('custom webhooks, redemptions, adjustments and the daily job', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({
      platform: 'custom',
      currency: 'EUR',
      program: {
        rewards: [
          { id: 'ten-off', name: '10 off', type: 'discount_code', pointsCost: 100, valueMinor: 1000 },
          { id: 'credit', name: 'credit', type: 'store_credit', pointsCost: 50, valueMinor: 500 },
        ],
      },
    });
  });
  const event = (id: string, type: string, data: unknown) =>
    JSON.stringify({ id, type, createdAt: '2026-03-01T12:00:00Z', data });
  const order = {
    id: 'A-1',
    currency: 'EUR',
    createdAt: '2026-03-01T11:00:00Z',
    updatedAt: '2026-03-01T11:00:00Z',
    financialStatus: 'paid',
    paidAt: '2026-03-01T11:00:00Z',
    customer: { id: 'cust-1', email: 'ann@example.com' },
    lines: [{ id: '1', sku: 'MUG', quantity: 2, price: '60.00' }],
    shipping: '4.95',
    tax: '0',
    total: '124.95',
  };
  const post = (body: string, at = new Date()) =>
    stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret, at),
    });

  it('accepts a signed event and refuses a stale signature', async () => {
    const body = event('evt-1', 'order.paid', order);
    expect((await post(body, new Date(Date.now() - 10 * 60_000))).status).toBe(401);
    expect((await post(body)).json).toEqual({ status: 'processed', orderId: 'A-1' });
    expect((await customer(shop, 'cust-1')).json.points).toMatchObject({ pending: 120, balance: 0 });
  });

  it('confirms pending points once the return window has passed (daily job, as of a date)', async () => {
    const early = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
      key: shop.apiKey,
      body: { asOf: '2026-03-10' },
    });
    expect(early.json.result.confirmed).toBe(0);
    const due = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
      key: shop.apiKey,
      body: { asOf: '2026-03-15' },
    });
    expect(due.json.result.confirmed).toBe(1);
    const again = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
      key: shop.apiKey,
      body: { asOf: '2026-03-15' },
    });
    expect(again.json.result.confirmed).toBe(0);
    expect((await customer(shop, 'cust-1')).json.points).toMatchObject({ pending: 0, balance: 120 });
  });

  it('redeems exactly once per Idempotency-Key and never below zero', async () => {
    const path = `/admin/shops/${shop.shop.id}/customers/cust-1/redemptions`;
    expect((await stack.api('POST', path, { key: shop.apiKey, body: { rewardId: 'ten-off' } })).status).toBe(400);
    const headers = { 'idempotency-key': 'redeem-1' };
    const all = await Promise.all(
      Array.from({ length: 5 }, () =>
        stack.api('POST', path, { key: shop.apiKey, body: { rewardId: 'ten-off' }, headers }),
      ),
    );
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const [a] = all as [(typeof all)[number]];
    for (const r of all) expect(r.json).toEqual(a.json);
    expect(a.json.redemption).toMatchObject({
      rewardId: 'ten-off',
      type: 'discount_code',
      pointsCost: 100,
      valueMinor: 1000,
      currency: 'EUR',
    });
    expect(a.json.redemption.code).toMatch(/^BMR-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(a.json.points.balance).toBe(20);
    const broke = await stack.api('POST', path, {
      key: shop.apiKey,
      body: { rewardId: 'ten-off' },
      headers: { 'idempotency-key': 'redeem-2' },
    });
    expect(broke.status).toBe(409);
    expect(broke.json.error.code).toBe('insufficient_points');
    const reused = await stack.api('POST', path, { key: shop.apiKey, body: { rewardId: 'credit' }, headers });
    expect(reused.status).toBe(422);
    expect((await customer(shop, 'cust-1')).json.points.balance).toBe(20);
  });

  it('records manual adjustments with their reason and who made them', async () => {
    const path = `/admin/shops/${shop.shop.id}/customers/cust-1/adjustments`;
    expect((await stack.api('POST', path, { key: shop.apiKey, body: { points: 30 } })).status).toBe(400);
    const r = await stack.api('POST', path, {
      key: shop.apiKey,
      body: { points: 30, reason: 'Goodwill after late delivery', actor: 'mia@shop.example.com' },
    });
    expect(r.status).toBe(201);
    expect(r.json.entry).toMatchObject({
      type: 'adjust',
      reason: 'Goodwill after late delivery',
      by: `shop:${shop.shop.id} (mia@shop.example.com)`,
    });
    expect(r.json.points.balance).toBe(50);
    const tooMuch = await stack.api('POST', path, { key: shop.apiKey, body: { points: -51, reason: 'oops' } });
    expect(tooMuch.status).toBe(409);
  });

  it('expires points after twelve months without activity, always warning first', async () => {
    const c = await customer(shop, 'cust-1');
    const expiresAt = c.json.points.expiresAt as string;
    const day = (offsetDays: number) =>
      new Date(Date.parse(expiresAt) + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const runAsOf = async (asOf: string) => {
      // The job never looks past "now", so travel there first.
      setRuntime({ ...runtime(), clock: fixedClock(`${asOf}T23:59:59Z`) });
      return (
        await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, { key: shop.apiKey, body: { asOf } })
      ).json.result;
    };
    try {
      expect(await runAsOf(day(-40))).toMatchObject({ warned: 0, expired: 0 });
      expect(await runAsOf(day(-29))).toMatchObject({ warned: 1, expired: 0 });
      expect(await runAsOf(day(-28))).toMatchObject({ warned: 0, expired: 0 });
      // Warned 29 days ahead, so the promised 30 days' notice pushes expiry out by a day.
      expect(await runAsOf(day(0))).toMatchObject({ warned: 0, expired: 0 });
      expect(await runAsOf(day(2))).toMatchObject({ warned: 0, expired: 1 });
    } finally {
      setRuntime(undefined);
    }
    const after = await customer(shop, 'cust-1');
    expect(after.json.points.balance).toBe(0);
    expect(after.json.ledger[0]).toMatchObject({ type: 'expire', points: { available: -50 } });
  });

  it('a daily run never confirms or expires anything due after now, whatever date it is given', async () => {
    const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
      key: shop.apiKey,
      body: { asOf: '2099-01-01' },
    });
    expect(Date.parse(r.json.result.cutoff)).toBeLessThanOrEqual(Date.now());
  });

  it('pages through the ledger with a cursor', async () => {
    const first = await customer(shop, 'cust-1', '?limit=2');
    expect(first.json.ledger).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await customer(shop, 'cust-1', `?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.ledger[0].entryId < first.json.ledger[1].entryId).toBe(true);
  });

  it("another shop's key cannot read this shop's customers", async () => {
    const other = await stack.createShop();
    const r = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/cust-1`, { key: other.apiKey });
    expect([403, 404]).toContain(r.status);
  });
});

describe('hardening', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ platform: 'custom', currency: 'EUR' });
  });
  const order = (id: string) =>
    JSON.stringify({
      id: `evt-${id}`,
      type: 'order.paid',
      createdAt: '2026-03-01T12:00:00Z',
      data: {
        id,
        currency: 'EUR',
        createdAt: '2026-03-01T11:00:00Z',
        customer: { id: 'busy-1' },
        lines: [{ id: '1', quantity: 1, price: '10.00' }],
        total: '10.00',
      },
    });

  it('a burst of concurrent orders for one customer all land, each once, retrying 503s as platforms do', async () => {
    const send = (id: string) => {
      const body = order(id);
      return stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
        body,
        headers: customHeaders(body, shop.input.webhookSecret),
      });
    };
    let pending = Array.from({ length: 30 }, (_, i) => `B-${i}`);
    for (let round = 0; round < 5 && pending.length; round++) {
      const results = await Promise.all(pending.map(async (id) => ({ id, r: await send(id) })));
      // Under contention a delivery may be told to retry; nothing may fail in any other way.
      for (const { r } of results)
        expect(r.status === 200 || (r.status === 503 && r.headers.get('retry-after') === '1')).toBe(true);
      pending = results.filter(({ r }) => r.status === 503).map(({ id }) => id);
    }
    expect(pending).toEqual([]);
    const c = await customer(shop, 'busy-1', '?limit=100');
    expect(c.json.points.pending).toBe(300);
    expect(c.json.ledger.filter((e: { type: string }) => e.type === 'earn')).toHaveLength(30);
  });

  it('rejects a forged cursor and a malformed path with 400, leaking nothing', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'SHOP#other#C#i.1', sk: 'L#x' })).toString('base64url');
    const r = await customer(shop, 'busy-1', `?cursor=${forged}`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_cursor');
    const bad = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/%E0%A4%A`, { key: shop.apiKey });
    expect(bad.status).toBe(400);
  });

  it("an Idempotency-Key is the shop's: reused for another customer it is refused", async () => {
    const adjust = (ref: string) =>
      stack.api('POST', `/admin/shops/${shop.shop.id}/customers/${ref}/adjustments`, {
        key: shop.apiKey,
        body: { points: 5, reason: 'welcome gift' },
        headers: { 'idempotency-key': 'gift-1' },
      });
    expect((await adjust('busy-1')).status).toBe(201);
    expect((await adjust('busy-1')).headers.get('idempotent-replayed')).toBe('true');
    const body = order('C-1').replace('busy-1', 'other-2');
    await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret),
    });
    expect((await adjust('other-2')).status).toBe(422);
  });
});

import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import { applyOrderEvent } from '../../shared/app/ledger-service';
import { countedOrder } from '../../shared/domain/churn/purchases';
import { convertMinor, invertRate, parseExchangeRate } from '../../shared/domain/money/exchange';
import { newShop, type Shop } from '../../shared/domain/shop';
import { parseCustomWebhook } from '../../shared/domain/webhooks/custom';
import { parseShopifyWebhook } from '../../shared/domain/webhooks/shopify';
import type { ShopifyTopicName } from '../../shared/domain/webhooks/topics';
import { parseWooCommerceWebhook } from '../../shared/domain/webhooks/woocommerce';
import type { CanonicalOrder, OrderEvent, WebhookEvent } from '../../shared/schemas/order';
import { createShopSchema } from '../../shared/schemas/shop';
import { fixtureJson, shopifyFixtures, wooFixtures } from '../fixtures/webhooks';
import { memoryLedgerStore } from '../support/memory-ledger-store';
import { canonicalOrder } from '../support/orders';
import { testRetryDeps } from '../support/deterministic';

/**
 * Points in the shop's currency: every platform hands the ledger amounts in the shop's currency
 * (converted at a rate the order carries), and the ledger records an order that still is in
 * another currency without letting it earn, count for tiers, make a referral or count as a
 * purchase.
 */

const receivedAt = new Date('2026-03-01T12:00:00Z');

const expectOrder = (r: { ok: true; value: WebhookEvent } | { ok: false; error: unknown }): CanonicalOrder => {
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  if (r.value.kind !== 'order') throw new Error(r.value.kind);
  return r.value.order;
};

describe('exchange rates', () => {
  it('reads decimals, exponents and JSON numbers exactly, and refuses anything not positive', () => {
    const rate = (v: unknown) => {
      const r = parseExchangeRate(v);
      return r.ok ? [r.value.num, r.value.den] : r.error;
    };
    expect(rate('0.0065')).toEqual([65n, 10_000n]);
    expect(rate('150')).toEqual([150n, 1n]);
    expect(rate(' 7.692308 ')).toEqual([7_692_308n, 1_000_000n]);
    // PHP writes small floats with an exponent (WooPayments stores its rates as floats).
    expect(rate('6.25E-5')).toEqual([625n, 10_000_000n]);
    expect(rate('1.5e3')).toEqual([1_500n, 1n]);
    expect(rate(0.71)).toEqual([71n, 100n]);
    for (const bad of ['0', '0.000', '-1', '1,5', '', 'abc', '1e', null, undefined, {}, Number.NaN]) {
      expect(typeof rate(bad), String(bad)).toBe('string');
    }
  });

  it('converts minor units between exponents, rounding towards zero, never through a float', () => {
    const jpyToUsd = parseExchangeRate('0.0065');
    if (!jpyToUsd.ok) throw new Error('rate');
    // ¥10,000 at 0.0065 is $65.00.
    expect(convertMinor(10_000, 'JPY', 'USD', jpyToUsd.value)).toBe(6_500);
    // ¥1 is 0.65 cents: rounded down.
    expect(convertMinor(1, 'JPY', 'USD', jpyToUsd.value)).toBe(0);
    expect(convertMinor(-10_001, 'JPY', 'USD', jpyToUsd.value)).toBe(-6_500);
    // The other way: $65.00 at 150 ¥/$ → ¥9,750; 1/150 the other way round gives $65.00 back.
    const usdPerJpy = parseExchangeRate('150');
    if (!usdPerJpy.ok) throw new Error('rate');
    expect(convertMinor(6_500, 'USD', 'JPY', usdPerJpy.value)).toBe(9_750);
    expect(convertMinor(9_750, 'JPY', 'USD', invertRate(usdPerJpy.value))).toBe(6_500);
    // KWD has three decimals: 1.000 KWD at 3.25 USD/KWD is $3.25.
    const kwd = parseExchangeRate('3.25');
    if (!kwd.ok) throw new Error('rate');
    expect(convertMinor(1_000, 'KWD', 'USD', kwd.value)).toBe(325);
    expect(convertMinor(Number.MAX_SAFE_INTEGER, 'JPY', 'KWD', kwd.value)).toBeUndefined();
  });
});

describe('Shopify: amounts in shop money, never presentment money', () => {
  const parse = (json: unknown, topic: ShopifyTopicName = 'orders/paid') =>
    parseShopifyWebhook(topic, json, 'USD', { receivedAt });

  /** The orders/create sample as the buyer saw it in yen: presentment money in JPY, shop money untouched. */
  const inYen = () => {
    const o = structuredClone(fixtureJson(shopifyFixtures.ordersCreate)) as Record<string, unknown>;
    const toYen = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(toYen);
      if (typeof v !== 'object' || v === null) return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => {
          if (k === 'presentment_money' && typeof x === 'object' && x !== null) {
            const m = x as { amount?: string };
            return [k, { ...m, amount: String(Math.round(Number(m.amount ?? 0) * 150)), currency_code: 'JPY' }];
          }
          return [k, toYen(x)];
        }),
      );
    };
    return { ...(toYen(o) as Record<string, unknown>), presentment_currency: 'JPY' };
  };

  it('an order paid in yen in a USD shop is held in USD, as Shopify converted it', () => {
    const usd = expectOrder(parse(fixtureJson(shopifyFixtures.ordersCreate)));
    const yen = expectOrder(parse(inYen()));
    expect(yen.currency).toBe('USD');
    expect(yen.conversion).toEqual({ fromCurrency: 'JPY', source: 'shopify' });
    expect(yen.subtotalAfterDiscountsMinor).toBe(41_495);
    expect({ ...yen, conversion: undefined }).toEqual({ ...usd, conversion: undefined });
    expect(usd.conversion).toBeUndefined();
  });

  it('an order whose shop money is in yen is in yen: the ledger, not the parser, refuses to earn on it', () => {
    const bare = {
      id: 1,
      currency: 'JPY',
      presentment_currency: 'JPY',
      created_at: '2026-03-01T10:00:00Z',
      financial_status: 'paid',
      customer: { id: 7 },
      line_items: [{ id: 1, quantity: 1, price: '10000' }],
      total_price: '10000',
    };
    expect(expectOrder(parse(bare))).toMatchObject({ currency: 'JPY', subtotalAfterDiscountsMinor: 10_000 });
    const jpyShopMoney = {
      ...bare,
      line_items: [
        { id: 1, quantity: 1, price: '65.00', price_set: { shop_money: { amount: '10000', currency_code: 'JPY' } } },
      ],
    };
    expect(expectOrder(parse(jpyShopMoney))).toMatchObject({ currency: 'JPY', subtotalAfterDiscountsMinor: 10_000 });
  });

  it('a refund transaction without a currency on an order paid in yen is taken as yen: the refund counts its shop money', () => {
    const usd = (amount: string) => ({ shop_money: { amount, currency_code: 'USD' } });
    const refund = (currency: string | null) => ({
      id: 1,
      currency: 'USD',
      presentment_currency: 'JPY',
      created_at: '2026-03-01T10:00:00Z',
      financial_status: 'partially_refunded',
      customer: { id: 7 },
      line_items: [
        { id: 11, quantity: 1, price_set: usd('65.00') },
        { id: 12, quantity: 1, price_set: usd('35.00') },
      ],
      total_price_set: usd('100.00'),
      refunds: [
        {
          id: 21,
          created_at: '2026-03-02T10:00:00Z',
          refund_line_items: [
            { line_item_id: 11, quantity: 1, subtotal_set: usd('65.00'), total_tax_set: usd('0.00') },
          ],
          transactions: [{ kind: 'refund', status: 'success', amount: '10000', currency }],
        },
      ],
    });
    expect(expectOrder(parse(refund(null))).refunds[0]).toMatchObject({ amountMinor: 6_500, itemsNetMinor: 6_500 });
    expect(expectOrder(parse(refund('JPY'))).refunds[0]).toMatchObject({ amountMinor: 6_500 });
    // In the shop's currency, the transactions say what went back.
    expect(expectOrder(parse({ ...refund('USD'), presentment_currency: 'USD' })).refunds[0]).toMatchObject({
      amountMinor: 1_000_000,
    });
  });

  it('refuses a payload whose shop money is in two currencies: its amounts cannot be added up', () => {
    const o = structuredClone(fixtureJson(shopifyFixtures.ordersCreate)) as {
      line_items: { price_set: { shop_money: { currency_code: string } } }[];
    };
    o.line_items[0]!.price_set.shop_money.currency_code = 'EUR';
    const r = parse(o);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.issues.map((i) => i.message)).toContainEqual(
        expect.stringContaining('more than one currency (EUR, USD)'),
      );
  });
});

describe('WooCommerce: multi-currency order meta', () => {
  const parse = (json: unknown, shopCurrency = 'USD') =>
    parseWooCommerceWebhook('order.updated', json, shopCurrency, { receivedAt });
  /** Order 727 (items 6.00 + 12.00, shipping 10.00, tax 1.35, total 29.35) placed in `currency` with `meta`. */
  const order727 = (
    currency: string,
    meta: { key: string; value: unknown }[],
    amounts?: { lines: [string, string]; shipping: string; tax: string; total: string },
  ) => {
    const o = structuredClone(fixtureJson(wooFixtures.completedDocs)) as Record<string, unknown> & {
      line_items: Record<string, unknown>[];
      meta_data: unknown[];
    };
    o.currency = currency;
    o.meta_data = [...o.meta_data, ...meta.map((m, i) => ({ id: 9000 + i, ...m }))];
    if (amounts) {
      o.line_items.forEach((l, i) => {
        l.subtotal = amounts.lines[i];
        l.total = amounts.lines[i];
      });
      Object.assign(o, { shipping_total: amounts.shipping, total_tax: amounts.tax, total: amounts.total });
    }
    return o;
  };
  const yen = { lines: ['900', '1800'] as [string, string], shipping: '1500', tax: '203', total: '4403' };

  it('WooPayments: its rate is yen per dollar, so amounts are divided by it (and rounded down)', () => {
    const o = expectOrder(
      parse(
        order727(
          'JPY',
          [
            { key: '_wcpay_multi_currency_order_exchange_rate', value: '150' },
            { key: '_wcpay_multi_currency_order_default_currency', value: 'USD' },
          ],
          yen,
        ),
      ),
    );
    expect(o.currency).toBe('USD');
    expect(o.conversion).toEqual({ fromCurrency: 'JPY', source: 'woopayments', inverseRate: '150' });
    expect(o.lines.map((l) => l.netMinor)).toEqual([600, 1_200]);
    // ¥1,500 / 150 = $10.00; ¥203 / 150 = $1.3533… → $1.35; ¥4,403 / 150 = $29.3533… → $29.35.
    expect(o).toMatchObject({
      subtotalAfterDiscountsMinor: 1_800,
      shippingMinor: 1_000,
      taxMinor: 135,
      totalMinor: 2_935,
    });
  });

  it("WooPayments converting into another store currency than the shop's converts into that one (and the ledger holds it back)", () => {
    const o = expectOrder(
      parse(
        order727(
          'JPY',
          [
            { key: '_wcpay_multi_currency_order_exchange_rate', value: 160 },
            { key: '_wcpay_multi_currency_order_default_currency', value: 'EUR' },
          ],
          yen,
        ),
      ),
    );
    expect(o.currency).toBe('EUR');
  });

  it('Aelia: its rate is base currency per order currency, as on a real Aelia order (EUR order, DKK base)', () => {
    // The order of the real payload: 18.72 + 41.60 EUR at 7.692308 → 144.00 + 320.00 DKK (Aelia's own base amounts).
    const o = expectOrder(
      parse(
        order727(
          'EUR',
          [
            { key: '_base_currency_exchange_rate', value: '7.692308' },
            { key: '_order_total_base_currency', value: '580' },
          ],
          { lines: ['18.72', '41.60'], shipping: '0.00', tax: '15.08', total: '75.40' },
        ),
        'DKK',
      ),
    );
    expect(o.currency).toBe('DKK');
    expect(o.conversion).toEqual({ fromCurrency: 'EUR', source: 'aelia', rate: '7.692308' });
    expect(o.lines.map((l) => l.netMinor)).toEqual([14_400, 32_000]);
    expect(o.totalMinor).toBe(58_000);
  });

  it("Boomerang's own meta, which names the currency it converts into", () => {
    const o = expectOrder(
      parse(
        order727(
          'JPY',
          [
            { key: '_boomerang_shop_currency', value: 'USD' },
            { key: '_boomerang_exchange_rate', value: '0.0065' },
            // Another plugin's meta is ignored when Boomerang's is there.
            { key: '_base_currency_exchange_rate', value: '0.5' },
          ],
          yen,
        ),
      ),
    );
    expect(o.conversion).toEqual({ fromCurrency: 'JPY', source: 'boomerang_meta', rate: '0.0065' });
    expect(o.lines.map((l) => l.netMinor)).toEqual([585, 1_170]);
  });

  it('no usable meta: the order stays in its own currency (never refused: WooCommerce would disable the webhook)', () => {
    for (const meta of [
      [],
      [{ key: '_boomerang_exchange_rate', value: '0.0065' }],
      [{ key: '_wcpay_multi_currency_order_exchange_rate', value: '150' }],
      [{ key: '_base_currency_exchange_rate', value: 'n/a' }],
      [{ key: '_base_currency_exchange_rate', value: '1e300' }],
    ]) {
      const o = expectOrder(parse(order727('JPY', meta, yen)));
      expect(o.currency, JSON.stringify(meta)).toBe('JPY');
      expect(o.conversion).toBeUndefined();
      expect(o.subtotalAfterDiscountsMinor).toBe(2_700);
    }
  });

  it("an order in the shop's currency is never converted, whatever its meta says", () => {
    const o = expectOrder(parse(order727('USD', [{ key: '_base_currency_exchange_rate', value: '2' }])));
    expect(o).toMatchObject({ currency: 'USD', subtotalAfterDiscountsMinor: 1_800 });
    expect(o.conversion).toBeUndefined();
  });
});

describe('custom format: shopMoney', () => {
  const event = (data: Record<string, unknown>) => ({
    id: 'evt-1',
    type: 'order.paid',
    createdAt: '2026-03-01T12:00:00Z',
    data,
  });
  const yen = (extra: Record<string, unknown> = {}) =>
    event({
      id: 'Y-1',
      currency: 'JPY',
      customer: { id: 'c1' },
      lines: [{ id: '1', quantity: 2, price: '2500', discount: '1' }],
      shipping: '800',
      tax: '0',
      total: '5799',
      refunds: [{ id: 'r1', createdAt: '2026-03-02T00:00:00Z', amount: '1000', itemsNet: '1000' }],
      ...extra,
    });

  it('converts every amount at the rate it carries, rounded down, and records it', () => {
    const o = expectOrder(parseCustomWebhook(yen({ shopMoney: { currency: 'USD', exchangeRate: '0.0065' } })));
    expect(o.currency).toBe('USD');
    expect(o.conversion).toEqual({ fromCurrency: 'JPY', source: 'custom', rate: '0.0065' });
    // ¥5,000 gross = $32.50; ¥4,999 net = $32.4935 → $32.49.
    expect(o.lines[0]).toMatchObject({ grossMinor: 3_250, netMinor: 3_249, discountMinor: 1 });
    expect(o).toMatchObject({ subtotalAfterDiscountsMinor: 3_249, shippingMinor: 520, totalMinor: 3_769 });
    expect(o.refunds[0]).toMatchObject({ amountMinor: 650, itemsNetMinor: 650 });
  });

  it('without shopMoney the order stays in its own currency', () => {
    expect(expectOrder(parseCustomWebhook(yen()))).toMatchObject({
      currency: 'JPY',
      subtotalAfterDiscountsMinor: 4_999,
    });
  });

  it("amounts are checked in the order's own currency first; a bad shopMoney is refused with its path", () => {
    const issues = (json: unknown) => {
      const r = parseCustomWebhook(json);
      if (r.ok) throw new Error('expected invalid_payload');
      return r.error.issues;
    };
    expect(issues(yen({ shopMoney: { currency: 'USD', exchangeRate: '-0.0065' } })).map((i) => i.path)).toEqual([
      'data.shopMoney.exchangeRate',
    ]);
    expect(issues(yen({ shopMoney: { currency: 'USD', exchangeRate: '0' } })).map((i) => i.path)).toEqual([
      'data.shopMoney.exchangeRate',
    ]);
    expect(issues(yen({ shopMoney: { currency: 'USD' } })).map((i) => i.path)).toEqual(['data.shopMoney.exchangeRate']);
    expect(issues(yen({ shopMoney: { currency: 'usd', exchangeRate: '1' } })).map((i) => i.path)).toEqual([
      'data.shopMoney.currency',
    ]);
    expect(issues(yen({ shopMoney: { currency: 'USD', exchangeRate: '1', rate: '1' } })).map((i) => i.path)).toEqual([
      'data.shopMoney',
    ]);
    expect(issues(yen({ shopMoney: { currency: 'JPY', exchangeRate: '2' } })).map((i) => i.message)).toEqual([
      "must be 1: shopMoney.currency is the order's own currency (JPY)",
    ]);
    expect(
      issues(
        yen({
          lines: [{ id: '1', quantity: 1, price: '10.5' }],
          total: '10.5',
          shopMoney: { currency: 'USD', exchangeRate: '0.0065' },
        }),
      ).map((i) => i.path),
    ).toContain('data.lines.0.price');
    expect(
      expectOrder(parseCustomWebhook(yen({ shopMoney: { currency: 'JPY', exchangeRate: '1.000' } }))).conversion,
    ).toBeUndefined();
  });
});

describe("the ledger: an order in another currency than the shop's is recorded and earns nothing", () => {
  const shop: Shop = newShop(
    createShopSchema.parse({
      id: 'fx',
      name: 'FX',
      platform: 'custom',
      storefrontUrl: 'https://fx.example',
      currency: 'USD',
      timezone: 'UTC',
      locale: 'en',
      webhookSecret: 'fx-secret-1234',
      senderEmail: 'a@fx.example',
      program: { earning: { cashbackBasisPoints: 300, firstOrderBonusPoints: 50 }, referrals: { enabled: true } },
    }),
    { apiKeyHash: 'x', apiKeyHint: 'x' },
    new Date('2026-01-01T00:00:00Z'),
  );

  const setup = () => {
    const mem = memoryLedgerStore();
    const warnings: { message: string; data?: Record<string, unknown> }[] = [];
    let n = 0;
    const deps = {
      store: mem.store,
      clock: fixedClock('2026-03-01T12:00:00Z'),
      newId: () => `E${String(++n).padStart(6, '0')}`,
      ...testRetryDeps(),
      logger: { warn: (message: string, data?: Record<string, unknown>) => warnings.push({ message, data }) },
    };
    return { mem, deps, warnings };
  };
  const paid = (over: Partial<CanonicalOrder> & { nets?: number[] }): OrderEvent => ({
    kind: 'order',
    topic: 'order.paid',
    order: canonicalOrder({
      orderId: 'Y-1',
      currency: 'JPY',
      nets: [10_000],
      paidAt: '2026-03-01T10:00:00.000Z',
      attributes: { referral_code: 'ANN-1234' },
      ...over,
    }),
  });

  it('no points, credit, bonus, tier spend or order count; the reason on the order and in the logs', async () => {
    const { mem, deps, warnings } = setup();
    expect(await applyOrderEvent(deps, shop, paid({}))).toBe('applied');
    const order = await mem.store.getOrder(shop.id, 'Y-1');
    expect(order).toMatchObject({
      earnBlocked: 'currency_mismatch',
      awarded: { points: 0, credit: 0 },
      state: { currency: 'JPY' },
    });
    expect(order?.earn).toBeUndefined();
    expect([...mem.entries.values()].flat()).toEqual([]);
    const c = await mem.store.getCustomer(shop.id, 'i.c1');
    expect(c).toMatchObject({
      earnedOrders: 0,
      points: { available: 0, pending: 0 },
      heldOrders: { 'Y-1': 'currency_mismatch' },
    });
    expect(c?.tierStats ?? {}).toEqual({});
    expect(warnings).toEqual([
      {
        message: 'order earns nothing',
        data: {
          shopId: 'fx',
          orderId: 'Y-1',
          topic: 'order.paid',
          reason: 'currency_mismatch',
          orderCurrency: 'JPY',
          shopCurrency: 'USD',
        },
      },
    ]);
    // A duplicate changes nothing and says nothing more.
    expect(await applyOrderEvent(deps, shop, paid({}))).toBe('unchanged');
    expect(warnings).toHaveLength(1);
    // Not a purchase for the churn models either.
    expect(countedOrder(order!, '2026-03-31')).toBeNull();
  });

  it("a later delivery with the order in the shop's currency lifts the block, and it earns like any order", async () => {
    const { mem, deps } = setup();
    await applyOrderEvent(deps, shop, paid({}));
    await applyOrderEvent(
      deps,
      shop,
      paid({
        currency: 'USD',
        nets: [6_500],
        updatedAt: '2026-03-01T11:00:00.000Z',
        conversion: { fromCurrency: 'JPY', source: 'custom', rate: '0.0065' },
      }),
    );
    const order = await mem.store.getOrder(shop.id, 'Y-1');
    expect(order?.earnBlocked).toBeUndefined();
    expect(order?.state?.conversion).toEqual({ fromCurrency: 'JPY', source: 'custom', rate: '0.0065' });
    // 65 points + the first-order bonus; 3 % cashback of $65.00.
    expect(order?.awarded).toEqual({ points: 115, credit: 195 });
    expect((await mem.store.getCustomer(shop.id, 'i.c1'))?.heldOrders).toBeUndefined();
  });

  it("an order stored before the check, earned at another currency's scale, is reversed at its next delivery", async () => {
    const { mem, deps } = setup();
    // What the ledger did before: the shop's currency was taken to be the order's.
    await applyOrderEvent(deps, { ...shop, currency: 'JPY' }, paid({}));
    expect((await mem.store.getOrder(shop.id, 'Y-1'))?.awarded.points).toBe(10_050);
    expect(countedOrder((await mem.store.getOrder(shop.id, 'Y-1'))!, '2026-03-31', 'USD')).toBeNull();
    await applyOrderEvent(deps, shop, paid({ updatedAt: '2026-03-01T11:00:00.000Z' }));
    const c = await mem.store.getCustomer(shop.id, 'i.c1');
    expect(c?.points.pending).toBe(0);
    expect((await mem.store.getOrder(shop.id, 'Y-1'))?.earnBlocked).toBe('currency_mismatch');
  });

  it('a refund delivered on its own in another currency holds the order back too', async () => {
    const { mem, deps } = setup();
    await applyOrderEvent(deps, shop, paid({ currency: 'USD' }));
    expect((await mem.store.getOrder(shop.id, 'Y-1'))?.awarded.points).toBe(150);
    await applyOrderEvent(deps, shop, {
      kind: 'refund',
      topic: 'refunds/create',
      orderId: 'Y-1',
      currency: 'JPY',
      refund: { refundId: 'r1', createdAt: '2026-03-02T00:00:00.000Z', amountMinor: 1_000, lines: [] },
    });
    const order = await mem.store.getOrder(shop.id, 'Y-1');
    expect(order).toMatchObject({
      earnBlocked: 'currency_mismatch',
      awarded: { points: 0, credit: 0 },
      refunds: { r1: { currency: 'JPY' } },
    });
  });
});

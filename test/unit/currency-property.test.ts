import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent } from '../../shared/domain/money/currencies';
import { formatMinor } from '../../shared/domain/money/decimal';
import { planOrderEvent } from '../../shared/domain/ledger/plans';
import { parseCustomWebhook } from '../../shared/domain/webhooks/custom';
import { parseShopifyWebhook } from '../../shared/domain/webhooks/shopify';
import { parseWooCommerceWebhook } from '../../shared/domain/webhooks/woocommerce';
import type { OrderEvent, WebhookEvent } from '../../shared/schemas/order';
import { programSchema, type Program } from '../../shared/schemas/program';

/**
 * For any order, the points (and credit, and tier spend) it earns depend on its amounts in the
 * shop's currency only: not on the currency the buyer saw, nor on the amounts in it. And an order
 * that reaches the ledger in another currency than the shop's never earns at that currency's scale.
 */

const SHOP = 'USD';
const at = '2026-03-01T10:00:00Z';
const receivedAt = new Date(at);

/** Currencies of every exponent the buyer may pay in (JPY 0, EUR 2, KWD 3, CLF 4) and the shop's own. */
const presentments = ['JPY', 'ISK', 'EUR', 'DKK', 'GBP', 'KWD', 'BHD', 'CLF', 'USD'] as const;

const programs = fc
  .record({
    basis: fc.constantFrom('subtotal_after_discounts', 'total_excluding_tax', 'total'),
    cashbackBasisPoints: fc.integer({ min: 0, max: 1_000 }),
    firstOrderBonusPoints: fc.integer({ min: 0, max: 100 }),
    rate: fc.record({ points: fc.integer({ min: 1, max: 10 }), per: fc.integer({ min: 1, max: 5 }) }),
    multiplierPercent: fc.integer({ min: 50, max: 300 }),
  })
  .map((p): Program =>
    programSchema.parse({
      earning: {
        basis: p.basis,
        cashbackBasisPoints: p.cashbackBasisPoints,
        firstOrderBonusPoints: p.firstOrderBonusPoints,
        rate: p.rate,
        multipliers: [{ skus: ['SKU-2'], percent: p.multiplierPercent }],
      },
    }),
  );

/** An order in shop money: per line a unit price, quantity and discount; shipping and tax. */
const shopOrders = fc
  .record({
    lines: fc.array(
      fc.record({
        unit: fc.integer({ min: 0, max: 200_000 }),
        quantity: fc.integer({ min: 1, max: 5 }),
        discountPct: fc.integer({ min: 0, max: 100 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    shipping: fc.integer({ min: 0, max: 5_000 }),
    tax: fc.integer({ min: 0, max: 20_000 }),
  })
  .map((o) => {
    const lines = o.lines.map((l, i) => {
      const gross = l.unit * l.quantity;
      const discount = Math.floor((gross * l.discountPct) / 100);
      return {
        id: i + 1,
        sku: `SKU-${i + 1}`,
        unit: l.unit,
        quantity: l.quantity,
        gross,
        discount,
        net: gross - discount,
      };
    });
    const subtotal = lines.reduce((s, l) => s + l.net, 0);
    return { lines, subtotal, shipping: o.shipping, tax: o.tax, total: subtotal + o.shipping + o.tax };
  });
type ShopOrder = typeof shopOrders extends fc.Arbitrary<infer T> ? T : never;

/** What the ledger makes of one delivery for a new customer of a USD shop. */
const earned = (event: OrderEvent, program: Program) => {
  const plan = planOrderEvent({
    event,
    order: undefined,
    customer: undefined,
    program,
    now: '2026-03-02T00:00:00.000Z',
    entryId: 'E1',
    currency: SHOP,
  });
  const bucket = (b: { pending: number; available: number } | undefined) => (b ? b.pending + b.available : 0);
  return {
    points: bucket(plan?.entry?.points),
    credit: bucket(plan?.entry?.credit),
    tierStats: plan?.customer?.next.tierStats ?? {},
    blocked: plan?.order?.next.earnBlocked,
  };
};

const ok = (r: { ok: true; value: WebhookEvent } | { ok: false; error: unknown }): OrderEvent => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  if (r.value.kind !== 'order') throw new Error(`expected an order, got ${r.value.kind}`);
  return r.value;
};

// ---- Shopify: shop money fixed, presentment currency and amounts anything ----

const money = (shopMinor: number, presentment: { currency: string; minor: number }) => ({
  shop_money: { amount: formatMinor(shopMinor, SHOP), currency_code: SHOP },
  presentment_money: {
    amount: formatMinor(presentment.minor, presentment.currency),
    currency_code: presentment.currency,
  },
});

const shopifyPayload = (o: ShopOrder, presentment: string, noise: number[], bareFields: boolean) => {
  let i = 0;
  // The buyer's amounts: anything at all when they paid in another currency, the same when not.
  const p = (shopMinor: number) => ({
    currency: presentment,
    minor: presentment === SHOP ? shopMinor : noise[i++ % noise.length]!,
  });
  const bare = (minor: number) => (bareFields ? formatMinor(minor, SHOP) : undefined);
  const first = o.lines[0]!;
  return {
    id: 1001,
    currency: SHOP,
    presentment_currency: presentment,
    created_at: at,
    updated_at: at,
    processed_at: at,
    financial_status: 'partially_refunded',
    customer: { id: 42, email: 'ann@example.com' },
    line_items: o.lines.map((l) => ({
      id: l.id,
      product_id: 500 + l.id,
      sku: l.sku,
      quantity: l.quantity,
      price: bare(l.unit),
      price_set: money(l.unit, p(l.unit)),
      discount_allocations: [{ amount: bare(l.discount), amount_set: money(l.discount, p(l.discount)) }],
    })),
    total_shipping_price_set: money(o.shipping, p(o.shipping)),
    total_tax: bare(o.tax),
    total_tax_set: money(o.tax, p(o.tax)),
    total_price: bare(o.total),
    total_price_set: money(o.total, p(o.total)),
    // The first line refunded; the refund transaction is in the buyer's currency.
    refunds: [
      {
        id: 9001,
        created_at: at,
        refund_line_items: [
          {
            line_item_id: first.id,
            quantity: first.quantity,
            subtotal_set: money(first.net, p(first.net)),
            total_tax_set: money(0, p(0)),
          },
        ],
        transactions: [
          {
            kind: 'refund',
            status: 'success',
            amount: formatMinor(p(first.net).minor, presentment),
            currency: presentment,
          },
        ],
      },
    ],
  };
};

// ---- WooCommerce and custom: the order in the buyer's currency, with an exact rate ----

/**
 * A rate between the shop's currency and `currency` both ways exact: the buyer's currency per
 * shop unit is m × 10^c with m a product of 2s and 5s, so its inverse is a finite decimal too,
 * and every shop amount is a whole number of the buyer's minor units.
 */
const exactRates = (currency: string) =>
  fc
    .record({
      m: fc.constantFrom(1, 2, 4, 5, 8, 16, 25, 32, 125),
      c: fc.integer({ min: 0, max: 2 }),
    })
    .map(({ m, c }) => {
      const c0 = currencyExponent(SHOP) - currencyExponent(currency) + c; // ≥ the shift that keeps minor units whole
      const k = Math.max(
        ...[2, 5].map((f) => {
          let n = 0;
          let x = m;
          while (x % f === 0) {
            x /= f;
            n++;
          }
          return n;
        }),
      );
      return {
        /** Buyer minor units per shop minor unit. */
        factor: m * 10 ** (c0 + currencyExponent(currency) - currencyExponent(SHOP)),
        orderPerShop: decimal(BigInt(m), c0),
        shopPerOrder: decimal(10n ** BigInt(k) / BigInt(m), -(k + c0)),
      };
    });

/** n × 10^exp as a plain decimal string. */
const decimal = (n: bigint, exp: number): string => {
  if (exp >= 0) return (n * 10n ** BigInt(exp)).toString();
  const digits = n.toString().padStart(-exp + 1, '0');
  return `${digits.slice(0, exp)}.${digits.slice(exp)}`;
};

const inBuyerMoney = (o: ShopOrder, factor: number) => ({
  lines: o.lines.map((l) => ({
    ...l,
    unit: l.unit * factor,
    gross: l.gross * factor,
    discount: l.discount * factor,
    net: l.net * factor,
  })),
  shipping: o.shipping * factor,
  tax: o.tax * factor,
  total: o.total * factor,
  refund: o.lines[0]!.net * factor,
});

const customEvent = (
  o: ReturnType<typeof inBuyerMoney>,
  currency: string,
  shopMoney?: { currency: string; exchangeRate: string },
) => ({
  id: 'evt-1',
  type: 'order.paid',
  createdAt: at,
  data: {
    id: 'A-1',
    currency,
    ...(shopMoney ? { shopMoney } : {}),
    createdAt: at,
    paidAt: at,
    financialStatus: 'partially_refunded',
    customer: { id: '42', email: 'ann@example.com' },
    lines: o.lines.map((l) => ({
      id: String(l.id),
      sku: l.sku,
      quantity: l.quantity,
      price: formatMinor(l.unit, currency),
      discount: formatMinor(l.discount, currency),
    })),
    shipping: formatMinor(o.shipping, currency),
    tax: formatMinor(o.tax, currency),
    total: formatMinor(o.total, currency),
    refunds: [
      {
        id: 'r1',
        createdAt: at,
        amount: formatMinor(o.refund, currency),
        lines: [{ lineId: '1', quantity: 1, amount: formatMinor(o.refund, currency) }],
      },
    ],
  },
});

const wooOrder = (o: ReturnType<typeof inBuyerMoney>, currency: string, meta: { key: string; value: string }[]) => ({
  id: 727,
  status: 'processing',
  currency,
  date_created_gmt: '2026-03-01T10:00:00',
  date_modified_gmt: '2026-03-01T10:00:00',
  date_paid_gmt: '2026-03-01T10:00:00',
  total: formatMinor(o.total, currency),
  shipping_total: formatMinor(o.shipping, currency),
  total_tax: formatMinor(o.tax, currency),
  customer_id: 42,
  billing: { email: 'ann@example.com' },
  meta_data: meta.map((m, i) => ({ id: i + 1, ...m })),
  line_items: o.lines.map((l) => ({
    id: l.id,
    name: l.sku,
    product_id: 500 + l.id,
    variation_id: 0,
    quantity: l.quantity,
    subtotal: formatMinor(l.gross, currency),
    total: formatMinor(l.net, currency),
    sku: l.sku,
  })),
  coupon_lines: [],
  refunds: [{ id: 901, reason: '', total: `-${formatMinor(o.refund, currency)}` }],
});

describe('points do not depend on the currency the buyer paid in', () => {
  it('Shopify: at fixed shop money, any presentment currency and any presentment amounts earn the same', () => {
    fc.assert(
      fc.property(
        shopOrders,
        programs,
        fc.constantFrom(...presentments),
        fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (o, program, presentment, noise, bareFields) => {
          const parse = (json: unknown) => ok(parseShopifyWebhook('orders/paid', json, SHOP, { receivedAt }));
          const inShopMoney = earned(parse(shopifyPayload(o, SHOP, noise, true)), program);
          const asPaid = parse(shopifyPayload(o, presentment, noise, bareFields));
          expect(asPaid.kind === 'order' && asPaid.order.currency).toBe(SHOP);
          expect(earned(asPaid, program)).toEqual(inShopMoney);
          expect(inShopMoney.blocked).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("custom and WooCommerce: an order in any currency with an exact rate earns what it earns in the shop's currency", () => {
    fc.assert(
      fc.property(
        shopOrders,
        programs,
        fc
          .constantFrom(...presentments.filter((c) => c !== SHOP))
          .chain((c) => fc.tuple(fc.constant(c), exactRates(c))),
        (o, program, [currency, rate]) => {
          const inShopMoney = earned(ok(parseCustomWebhook(customEvent(inBuyerMoney(o, 1), SHOP))), program);
          const buyer = inBuyerMoney(o, rate.factor);
          const custom = ok(
            parseCustomWebhook(customEvent(buyer, currency, { currency: SHOP, exchangeRate: rate.shopPerOrder })),
          );
          expect(earned(custom, program)).toEqual(inShopMoney);

          const wooParse = (json: unknown) => ok(parseWooCommerceWebhook('order.updated', json, SHOP, { receivedAt }));
          const wooInShopMoney = earned(wooParse(wooOrder(inBuyerMoney(o, 1), SHOP, [])), program);
          const wcpay = wooParse(
            wooOrder(buyer, currency, [
              { key: '_wcpay_multi_currency_order_exchange_rate', value: rate.orderPerShop },
              { key: '_wcpay_multi_currency_order_default_currency', value: SHOP },
            ]),
          );
          const own = wooParse(
            wooOrder(buyer, currency, [
              { key: '_boomerang_shop_currency', value: SHOP },
              { key: '_boomerang_exchange_rate', value: rate.shopPerOrder },
            ]),
          );
          const aelia = wooParse(
            wooOrder(buyer, currency, [{ key: '_base_currency_exchange_rate', value: rate.shopPerOrder }]),
          );
          for (const e of [wcpay, own, aelia]) expect(earned(e, program)).toEqual(wooInShopMoney);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("an order that reaches the ledger in another currency than the shop's earns nothing at all, on every platform", () => {
    fc.assert(
      fc.property(
        shopOrders,
        programs,
        fc
          .constantFrom(...presentments.filter((c) => c !== SHOP))
          .chain((c) => fc.tuple(fc.constant(c), exactRates(c))),
        (o, program, [currency, rate]) => {
          const buyer = inBuyerMoney(o, rate.factor);
          const shopify = { ...shopifyPayload(o, currency, [1], false), currency };
          // Shop money in the buyer's currency: what a shop set up in Shopify with another currency than in
          // Boomerang sends.
          const shopifyJson = JSON.parse(
            JSON.stringify(shopify).replaceAll(`"currency_code":"${SHOP}"`, `"currency_code":"${currency}"`),
          ) as unknown;
          const parsedShopify = parseShopifyWebhook('orders/paid', shopifyJson, SHOP, { receivedAt });
          const events = [
            ok(parseCustomWebhook(customEvent(buyer, currency))),
            ok(parseCustomWebhook(customEvent(buyer, currency, { currency: 'SEK', exchangeRate: rate.shopPerOrder }))),
            ok(parseWooCommerceWebhook('order.updated', wooOrder(buyer, currency, []), SHOP, { receivedAt })),
            ok(
              parseWooCommerceWebhook(
                'order.updated',
                wooOrder(buyer, currency, [
                  { key: '_wcpay_multi_currency_order_exchange_rate', value: rate.orderPerShop },
                  { key: '_wcpay_multi_currency_order_default_currency', value: 'SEK' },
                ]),
                SHOP,
                { receivedAt },
              ),
            ),
            // Amounts too fine for the buyer's currency are refused rather than read at its scale.
            ...(parsedShopify.ok ? [ok(parsedShopify)] : []),
          ];
          for (const e of events) {
            expect(earned(e, program)).toEqual({ points: 0, credit: 0, tierStats: {}, blocked: 'currency_mismatch' });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

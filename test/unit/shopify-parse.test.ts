import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { canonicalOrderSchema, type CanonicalOrder, type WebhookEvent } from '../../shared/schemas/order';
import { formatMinor } from '../../shared/domain/money/decimal';
import { parseWebhookJson, quoteImpreciseNumbers } from '../../shared/domain/webhooks/json';
import { parseShopifyWebhook } from '../../shared/domain/webhooks/shopify';
import { shopifyTopic, shopifyTopics, type ShopifyTopicName } from '../../shared/domain/webhooks/topics';
import { fixtureBytes, fixtureJson, shopifyFixtures as F } from '../fixtures/webhooks';

const parse = (
  topic: ShopifyTopicName,
  json: unknown,
  currency = 'USD',
  receivedAt = new Date('2026-01-01T00:00:00Z'),
) => parseShopifyWebhook(topic, json, currency, { receivedAt });

const event = (topic: ShopifyTopicName, json: unknown, currency = 'USD'): WebhookEvent => {
  const r = parse(topic, json, currency);
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
};

const order = (topic: ShopifyTopicName, json: unknown, currency = 'USD'): CanonicalOrder => {
  const e = event(topic, json, currency);
  if (e.kind !== 'order') throw new Error(`expected an order, got ${e.kind}`);
  return e.order;
};

const issuesOf = (topic: ShopifyTopicName, json: unknown) => {
  const r = parse(topic, json);
  if (r.ok) throw new Error(`expected invalid_payload, got ${JSON.stringify(r.value)}`);
  expect(r.error.kind).toBe('invalid_payload');
  return r.error.issues;
};

/** A deep copy of a fixture to edit. */
type Doc = Record<string, unknown> & { line_items: Record<string, unknown>[]; transactions: Record<string, unknown>[] };
const copy = (name: string) => structuredClone(fixtureJson(name)) as Doc;

describe('orders/create sample (2026-07)', () => {
  const o = order('orders/create', fixtureJson(F.ordersCreate));

  it('keeps 18-digit ids exactly', () => {
    expect(o.orderId).toBe('820982911946154508');
    expect(o.customer.id).toBe('115310627314723954');
    expect(o.lines.map((l) => l.lineId)).toEqual([
      '487817672276298554',
      '789012345678901234',
      '890123456789012345',
      '976318377106520349',
      '315789986012684393',
    ]);
    expect(o.lines[0]?.productId).toBe('788032119674292922');
    expect(o.lines[1]?.productId).toBeUndefined();
  });

  it('maps header facts, times in UTC', () => {
    expect(o).toMatchObject({
      platform: 'shopify',
      orderNumber: '#9999',
      currency: 'USD',
      createdAt: '2022-01-01T00:00:00.000Z',
      updatedAt: '2022-01-01T00:00:00.000Z',
      cancelledAt: '2022-01-01T00:00:00.000Z',
      financialStatus: 'voided',
      test: true,
    });
    expect(o.paidAt).toBeUndefined();
  });

  it('maps money in minor units', () => {
    expect(o.lines.map((l) => [l.sku, l.quantity, l.grossMinor, l.discountMinor, l.netMinor])).toEqual([
      ['SKU2006-001', 1, 8999, 0, 8999],
      ['LENS-PROTECT-2YR', 1, 1999, 0, 1999],
      ['CASE-LEATHER-PREM', 1, 2499, 0, 2499],
      ['SKU2006-020', 1, 15999, 0, 15999],
      ['SKU2006-035', 1, 11999, 0, 11999],
    ]);
    expect(o.subtotalAfterDiscountsMinor).toBe(41495);
    expect(o.shippingMinor).toBe(1000);
    expect(o.taxMinor).toBe(0);
    expect(o.totalMinor).toBe(40495);
    expect(o.discountCodes).toEqual([]);
    expect(o.refunds).toEqual([]);
  });

  it('maps the customer (order e-mail first) and addresses', () => {
    expect(o.customer).toEqual({
      id: '115310627314723954',
      email: 'jon@example.com',
      firstName: 'John',
      lastName: 'Smith',
      acceptsMarketing: true,
      locale: 'en',
    });
    expect(o.shippingAddress).toEqual({
      name: 'Steve Shipper',
      address1: '123 Shipping Street',
      city: 'Shippington',
      zip: '40003',
      province: 'Kentucky',
      countryCode: 'US',
      phone: '555-555-SHIP',
    });
    expect(o.clientIp).toBeUndefined();
    expect(o.landingSite).toBeUndefined();
  });

  it('is a valid canonical order', () => {
    expect(canonicalOrderSchema.safeParse(o).success).toBe(true);
  });

  it('orders/cancelled carries the same body', () => {
    const e = event('orders/cancelled', fixtureJson(F.ordersCancelled));
    expect(e).toEqual({ kind: 'order', topic: 'orders/cancelled', order: o });
  });

  it('every order topic maps to an order', () => {
    // The header is normalized by the topic lookup, before the parser sees it.
    for (const header of ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'ORDERS/PAID ']) {
      const topic = shopifyTopic(header);
      if (!topic.ok) throw new Error(header);
      expect(event(topic.value.name, fixtureJson(F.ordersCreate)).kind).toBe('order');
    }
  });
});

describe('REST order 450789469 (2026-07)', () => {
  const o = order('orders/updated', fixtureJson(F.order450789469));

  it('allocates the TENOFF discount per line', () => {
    expect(o.lines.map((l) => [l.lineId, l.variantId, l.grossMinor, l.discountMinor, l.netMinor])).toEqual([
      ['466157049', '39072856', 19900, 334, 19566],
      ['518995019', '49148385', 19900, 333, 19567],
      ['703073504', '457924702', 19900, 333, 19567],
    ]);
    expect(o.subtotalAfterDiscountsMinor).toBe(58700);
    expect(o.taxMinor).toBe(1194);
    expect(o.shippingMinor).toBe(0);
    expect(o.totalMinor).toBe(59894);
    expect(o.discountCodes).toEqual(['TENOFF']);
  });

  it('maps paid status, attribution and consent', () => {
    expect(o.financialStatus).toBe('partially_refunded');
    expect(o.paidAt).toBe('2008-01-10T16:00:00.000Z');
    expect(o.cancelledAt).toBeUndefined();
    expect(o.attributes).toEqual({ 'custom engraving': 'Happy Birthday', colour: 'green' });
    expect(o.landingSite).toBe('http://www.example.com?source=abc');
    expect(o.referringSite).toBe('http://www.otherexample.com');
    expect(o.clientIp).toBe('0.0.0.0');
    expect(o.customer).toMatchObject({
      id: '207119551',
      email: 'bob.norman@mail.example.com',
      acceptsMarketing: false,
      phone: '+16136120707',
    });
    expect(o.paymentFingerprint).toBeUndefined();
  });

  it('maps the embedded refund in shop money', () => {
    expect(o.refunds).toEqual([
      {
        refundId: '509562969',
        createdAt: '2025-04-02T16:29:59.000Z',
        amountMinor: 20900,
        itemsNetMinor: 39133,
        lines: [
          { lineId: '703073504', quantity: 1, netMinor: 19566 },
          { lineId: '466157049', quantity: 1, netMinor: 19567 },
        ],
      },
    ]);
  });

  it('after cancel: cancelledAt and the new updatedAt', () => {
    const c = order('orders/cancelled', fixtureJson(F.order450789469Cancelled));
    expect(c.cancelledAt).toBe('2025-04-02T16:31:25.000Z');
    expect(c.updatedAt).toBe('2025-04-02T16:31:25.000Z');
    expect(c.updatedAt > o.updatedAt).toBe(true);
  });

  it('parses the same with plain JSON.parse (all its ids are below 2^53)', () => {
    expect(order('orders/updated', JSON.parse(fixtureBytes(F.order450789469).toString('utf8')))).toEqual(o);
  });
});

describe('refunds/create sample (2026-07)', () => {
  it('sums successful refund transactions and refunded line subtotals', () => {
    expect(event('refunds/create', fixtureJson(F.refundsCreate))).toEqual({
      kind: 'refund',
      topic: 'refunds/create',
      orderId: '820982911946154508',
      currency: 'USD',
      refund: {
        refundId: '890088186047892319',
        createdAt: '2022-01-01T00:00:00.000Z',
        amountMinor: 8500,
        itemsNetMinor: 41495,
        lines: [
          { lineId: '487817672276298554', quantity: 1, netMinor: 8999 },
          { lineId: '789012345678901234', quantity: 1, netMinor: 1999 },
          { lineId: '890123456789012345', quantity: 1, netMinor: 2499 },
          { lineId: '976318377106520349', quantity: 1, netMinor: 15999 },
          { lineId: '315789986012684393', quantity: 1, netMinor: 11999 },
        ],
      },
    });
  });

  const refundOf = (json: unknown) => {
    const e = event('refunds/create', json);
    if (e.kind !== 'refund') throw new Error(e.kind);
    return e.refund;
  };

  it('ignores failed and non-refund transactions', () => {
    const r = copy(F.refundsCreate);
    r.transactions[0] = { ...r.transactions[0], status: 'failure' };
    r.transactions.push({ kind: 'sale', status: 'success', amount: '999.00', currency: 'USD' });
    expect(refundOf(r).amountMinor).toBe(1000);
  });

  it('falls back to shop-money components when there is no successful transaction', () => {
    const r = copy(F.refundsCreate);
    r.transactions = [];
    r.refund_shipping_lines = [
      {
        subtotal_amount_set: { shop_money: { amount: '10.00', currency_code: 'USD' } },
        tax_amount_set: { shop_money: { amount: '0.80', currency_code: 'USD' } },
      },
    ];
    expect(refundOf(r).amountMinor).toBe(41495 + 1080);
  });

  it('falls back to shop money when transactions are in the presentment currency', () => {
    const r = copy(F.refundsCreate);
    r.transactions = r.transactions.map((t) => ({ ...t, currency: 'EUR', amount: '70.00' }));
    expect(refundOf(r).amountMinor).toBe(41495);
  });

  it('requires order_id', () => {
    const r = copy(F.refundsCreate);
    delete r.order_id;
    expect(issuesOf('refunds/create', r).map((i) => i.path)).toContain('order_id');
  });
});

describe('privacy topics', () => {
  it('customers/data_request', () => {
    expect(event('customers/data_request', fixtureJson(F.customersDataRequest))).toEqual({
      kind: 'customer_data_request',
      topic: 'customers/data_request',
      requestId: '9999',
      platformCustomerId: '191167',
      email: 'john@example.com',
      orderIds: ['299938', '280263', '220458'],
    });
  });

  it('customers/redact', () => {
    expect(event('customers/redact', fixtureJson(F.customersRedact))).toEqual({
      kind: 'customer_redact',
      topic: 'customers/redact',
      platformCustomerId: '191167',
      email: 'john@example.com',
      orderIds: ['299938', '280263', '220458'],
    });
  });

  it('shop/redact', () => {
    expect(event('shop/redact', fixtureJson(F.shopRedact))).toEqual({ kind: 'shop_redact', topic: 'shop/redact' });
  });

  it('data_request without its request id is invalid', () => {
    const valid = fixtureJson(F.customersDataRequest) as Record<string, unknown>;
    const { data_request: _omitted, ...rest } = valid;
    expect(issuesOf('customers/data_request', rest).map((i) => i.path)).toEqual(['data_request']);
  });

  it('each privacy topic and orders/delete accepts only its own documented shape', () => {
    // A signed order body replayed under a destructive topic must not pass as that topic.
    const order = fixtureJson(F.ordersCreate);
    for (const topic of ['customers/data_request', 'customers/redact', 'shop/redact', 'orders/delete'] as const) {
      expect(issuesOf(topic, order).length, topic).toBeGreaterThan(0);
    }
    // Compliance payloads must name the shop.
    expect(
      issuesOf('shop/redact', {})
        .map((i) => i.path)
        .sort(),
    ).toEqual(['shop_domain', 'shop_id']);
    expect(
      issuesOf('customers/redact', { customer: { id: 1 }, orders_to_redact: [] })
        .map((i) => i.path)
        .sort(),
    ).toEqual(['shop_domain', 'shop_id']);
    // One topic's payload under another compliance topic is refused too.
    expect(issuesOf('shop/redact', fixtureJson(F.customersRedact)).length).toBeGreaterThan(0);
    expect(issuesOf('customers/data_request', fixtureJson(F.customersRedact)).length).toBeGreaterThan(0);
    expect(issuesOf('customers/redact', fixtureJson(F.customersDataRequest)).length).toBeGreaterThan(0);
    expect(issuesOf('orders/delete', { id: 1, note: 'x' }).length).toBeGreaterThan(0);
    expect(event('orders/delete', { id: 450789469 })).toMatchObject({ kind: 'order_deleted', orderId: '450789469' });
  });
});

describe('other topics', () => {
  it('unknown topics never reach the parser: they are refused as unknown_topic, whatever the body', () => {
    for (const topic of ['products/update', 'app/uninstalled', '']) {
      expect(shopifyTopic(topic)).toMatchObject({ ok: false, error: { kind: 'unknown_topic', topic } });
    }
    expectTypeOf(parseShopifyWebhook).parameter(0).toEqualTypeOf<ShopifyTopicName>();
  });

  it('orders/delete → order_deleted at the receive time', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    expect(parse('orders/delete', { id: 450789469 }, 'USD', at)).toEqual({
      ok: true,
      value: { kind: 'order_deleted', topic: 'orders/delete', orderId: '450789469', at: '2026-03-01T12:00:00.000Z' },
    });
  });
});

describe('field mapping details', () => {
  const base = () => {
    const o = copy(F.order450789469);
    return o;
  };

  it('price × quantity is exact integer arithmetic', () => {
    const o = base();
    o.line_items = [
      {
        id: 1,
        quantity: 3,
        price: '19.99',
        price_set: { shop_money: { amount: '19.99', currency_code: 'USD' } },
        discount_allocations: [{ amount: '0.01' }, { amount_set: { shop_money: { amount: '1.00' } } }],
      },
    ];
    const c = order('orders/paid', o);
    expect(c.lines[0]).toMatchObject({ quantity: 3, grossMinor: 5997, discountMinor: 101, netMinor: 5896 });
    expect(c.subtotalAfterDiscountsMinor).toBe(5896);
  });

  it('uses total_discount when discount_allocations is absent, capped at the gross', () => {
    const o = base();
    o.line_items = [{ id: 1, quantity: 1, price: '5.00', total_discount: '7.00' }];
    expect(order('orders/paid', o).lines[0]).toMatchObject({ grossMinor: 500, discountMinor: 500, netMinor: 0 });
  });

  it('reads shipping from shipping_lines when total_shipping_price_set is missing', () => {
    const o = base();
    delete o.total_shipping_price_set;
    o.shipping_lines = [{ price: '4.95' }, { price_set: { shop_money: { amount: '1.05' } } }];
    expect(order('orders/paid', o).shippingMinor).toBe(600);
  });

  it('maps financial statuses and paidAt', () => {
    const at = (status: string | null) => {
      const o = base();
      o.financial_status = status;
      o.refunds = [];
      const c = order('orders/updated', o);
      return [c.financialStatus, c.paidAt];
    };
    expect(at('paid')).toEqual(['paid', '2008-01-10T16:00:00.000Z']);
    expect(at('refunded')).toEqual(['refunded', '2008-01-10T16:00:00.000Z']);
    expect(at('pending')).toEqual(['pending', undefined]);
    expect(at('authorized')).toEqual(['authorized', undefined]);
    expect(at('partially_paid')).toEqual(['partially_paid', undefined]);
    expect(at('voided')).toEqual(['voided', undefined]);
    expect(at('expired')).toEqual(['voided', undefined]);
    expect(at('something_new')).toEqual(['unknown', undefined]);
    expect(at('constructor')).toEqual(['unknown', undefined]);
    expect(at(null)).toEqual(['unknown', undefined]);
  });

  it('paidAt falls back to updated_at without processed_at', () => {
    const o = base();
    o.financial_status = 'paid';
    o.processed_at = null;
    o.updated_at = '2008-01-11T00:00:00Z';
    expect(order('orders/paid', o).paidAt).toBe('2008-01-11T00:00:00.000Z');
  });

  it('marketing consent: email_marketing_consent, then accepts_marketing, then buyer_accepts_marketing', () => {
    const withCustomer = (customer: Record<string, unknown>, buyer: boolean) => {
      const o = base();
      o.customer = { id: 5, ...customer };
      o.buyer_accepts_marketing = buyer;
      return order('orders/create', o).customer.acceptsMarketing;
    };
    expect(withCustomer({ email_marketing_consent: { state: 'subscribed' } }, false)).toBe(true);
    expect(withCustomer({ email_marketing_consent: { state: 'unsubscribed' } }, true)).toBe(false);
    expect(withCustomer({ accepts_marketing: true }, false)).toBe(true);
    expect(withCustomer({}, true)).toBe(true);
  });

  it('guest checkout: no customer id, e-mail from the order', () => {
    const o = base();
    o.customer = null;
    o.email = null;
    o.contact_email = 'guest@example.com';
    const c = order('orders/create', o);
    expect(c.customer.id).toBeUndefined();
    expect(c.customer.email).toBe('guest@example.com');
    expect(c.customer.firstName).toBe('Bob');
  });

  it('client IP from client_details when browser_ip is missing', () => {
    const o = base();
    o.browser_ip = null;
    o.client_details = { browser_ip: '203.0.113.9' };
    expect(order('orders/create', o).clientIp).toBe('203.0.113.9');
  });

  it('payment fingerprint: hash of card company, BIN and last four; equal for the same card', () => {
    const withCard = (pd: unknown) => {
      const o = base();
      o.payment_details = pd;
      return order('orders/create', o).paymentFingerprint;
    };
    const a = withCard({
      credit_card_bin: '424242',
      credit_card_number: '•••• •••• •••• 4242',
      credit_card_company: 'Visa',
    });
    expect(a).toMatch(/^card:[0-9a-f]{64}$/);
    expect(withCard({ credit_card_bin: '424242', credit_card_number: 'XXXX-4242', credit_card_company: 'visa' })).toBe(
      a,
    );
    expect(
      withCard({ credit_card_bin: '424242', credit_card_number: '•••• 1881', credit_card_company: 'Visa' }),
    ).not.toBe(a);
    expect(withCard({ credit_card_number: '•••• 4242' })).toBeUndefined();
  });

  it('note_attributes: strings kept, numbers stringified, prototype keys refused', () => {
    const o = base();
    o.note_attributes = [
      { name: 'ref', value: 'ALICE10' },
      { name: 'n', value: 3 },
      { name: 'x', value: null },
      { name: '__proto__', value: 'polluted' },
    ];
    const c = order('orders/create', o);
    expect(c.attributes).toEqual({ ref: 'ALICE10', n: '3' });
    expect(Object.getPrototypeOf(c.attributes)).toBe(Object.prototype);
  });

  it('normalises time zones so timestamps compare as strings', () => {
    const o = base();
    o.created_at = '2026-03-01T01:00:00+02:00';
    o.updated_at = '2026-02-28T23:30:00.123Z';
    const c = order('orders/create', o);
    expect(c.createdAt).toBe('2026-02-28T23:00:00.000Z');
    expect(c.updatedAt).toBe('2026-02-28T23:30:00.123Z');
  });

  it('takes the currency of the shop money, else `currency`, and the shop currency only when the order names none', () => {
    const withoutCodes = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(withoutCodes);
      if (typeof v !== 'object' || v === null) return v;
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'currency_code')
          .map(([k, x]) => [k, withoutCodes(x)]),
      );
    };
    const o = base();
    delete o.currency;
    expect(order('orders/create', o, 'EUR').currency).toBe('USD');
    // `currency` never overrides what the shop money says it is in.
    const jpy = base();
    jpy.currency = 'JPY';
    expect(order('orders/create', jpy, 'EUR').currency).toBe('USD');
    const bare = withoutCodes(base()) as Doc;
    expect(order('orders/create', bare, 'EUR').currency).toBe('USD');
    delete bare.currency;
    expect(order('orders/create', bare, 'EUR').currency).toBe('EUR');
    // Shop money is the shop's currency: `currency` in JPY over amounts with cents is refused, never read at
    // another scale.
    const bareJpy = withoutCodes(base()) as Doc;
    bareJpy.currency = 'JPY';
    expect(
      issuesOf('orders/create', bareJpy)
        .map((i) => i.message)
        .some((m) => m.includes('more than 0 decimal place')),
    ).toBe(true);
  });
});

describe('invalid payloads are error values', () => {
  it('lists every bad amount with its path', () => {
    const o = copy(F.order450789469);
    o.line_items[0] = { ...o.line_items[0], price: '1e2', price_set: null };
    o.line_items[1] = { ...o.line_items[1], price: '1,99.00', price_set: null };
    o.total_price = '598.945';
    o.total_price_set = null;
    expect(issuesOf('orders/create', o).map((i) => i.path)).toEqual([
      'line_items.0.price',
      'line_items.1.price',
      'total_price',
    ]);
  });

  it('reports schema problems with paths', () => {
    const o: Record<string, unknown> = copy(F.order450789469);
    delete o.line_items;
    o.created_at = 5;
    const paths = issuesOf('orders/create', o).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['line_items', 'created_at']));
  });

  it('requires a total', () => {
    const o = copy(F.order450789469);
    delete o.total_price;
    delete o.total_price_set;
    expect(issuesOf('orders/create', o)).toEqual([{ path: 'total_price', message: 'total_price is required' }]);
  });

  it('rejects a created_at without a zone', () => {
    const o = copy(F.order450789469);
    o.created_at = '2008-01-10T11:00:00';
    expect(issuesOf('orders/create', o)).toEqual([
      { path: 'created_at', message: '"2008-01-10T11:00:00" is not an ISO-8601 date-time with a time zone' },
    ]);
  });

  it('rejects non-objects', () => {
    for (const body of [null, [], 'x', 42, true]) expect(issuesOf('orders/create', body).length).toBeGreaterThan(0);
  });
});

describe('id precision', () => {
  const big = '12345678901234567890';

  it('parseWebhookJson quotes integers beyond 2^53 and long decimals, nothing else', () => {
    expect(
      quoteImpreciseNumbers(`{"id":${big},"n":9007199254740991,"s":"${big}","a":[-${big},1.5,0.1234567890123456789]}`),
    ).toBe(`{"id":"${big}","n":9007199254740991,"s":"${big}","a":["-${big}",1.5,"0.1234567890123456789"]}`);
    expect(quoteImpreciseNumbers('{"s":"a\\"12345678901234567890"}')).toBe('{"s":"a\\"12345678901234567890"}');
    expect(parseWebhookJson(`{"id": ${big}}`)).toEqual({ ok: true, value: { id: big } });
    expect(parseWebhookJson('{"id": 9007199254740993}')).toEqual({ ok: true, value: { id: '9007199254740993' } });
  });

  it('parseWebhookJson reports bad JSON as a value', () => {
    const r = parseWebhookJson('{"id": ');
    expect(r.ok).toBe(false);
    expect(parseWebhookJson('').ok).toBe(false);
    expect(parseWebhookJson(Buffer.from('\ufeff{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  const rawOrder = `{"id": ${big}, "admin_graphql_api_id": "gid://shopify/Order/${big}", "currency": "USD",
    "created_at": "2026-03-01T12:00:00Z", "financial_status": "paid", "total_price": "10.00",
    "customer": {"id": ${big}1}, "line_items": [{"id": ${big}2, "product_id": ${big}3, "quantity": 1, "price": "10.00"}]}`;

  it('keeps an id like 12345678901234567890 exactly through parseWebhookJson', () => {
    const json = parseWebhookJson(rawOrder);
    expect(json.ok).toBe(true);
    if (!json.ok) return;
    const o = order('orders/paid', json.value);
    expect(o.orderId).toBe(big);
    expect(o.customer.id).toBe(`${big}1`);
    expect(o.lines[0]).toMatchObject({ lineId: `${big}2`, productId: `${big}3`, grossMinor: 1000 });
  });

  it('after a plain JSON.parse: recovers from admin_graphql_api_id, else refuses a rounded id', () => {
    const viaJsonParse = JSON.parse(rawOrder) as Record<string, unknown>;
    const issues = issuesOf('orders/paid', viaJsonParse);
    expect(issues.map((i) => i.path)).toEqual(['line_items.0.id', 'line_items.0.product_id', 'customer.id']);
    expect(issues[0]?.message).toContain('parseWebhookJson');

    const sample = JSON.parse(fixtureBytes(F.ordersCreate).toString('utf8'));
    // Order and line ids come back from their gids; product ids have none and are refused.
    const paths = issuesOf('orders/create', sample).map((i) => i.path);
    expect(paths).toEqual(['line_items.0.product_id', 'line_items.3.product_id', 'line_items.4.product_id']);
  });
});

describe('properties', () => {
  // Every topic the parser takes; any other is refused before parsing (see 'other topics').
  const topics = Object.keys(shopifyTopics) as ShopifyTopicName[];

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...topics), fc.jsonValue(), (topic, json) => {
        const r = parse(topic, json);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary values, including prototype-shaped keys', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...topics),
        fc.anything({ withObjectString: true, withNullPrototype: true }),
        (topic, json) => {
          expect(typeof parse(topic, json).ok).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });

  const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  };

  const mutate = (name: string) => {
    const sample = fixtureJson(name);
    const all = paths(sample).filter((p) => p.length > 0);
    return fc.tuple(fc.constantFrom(...all), fc.jsonValue()).map(([path, value]) => {
      const doc = structuredClone(sample) as Record<string | number, unknown>;
      let node: Record<string | number, unknown> = doc;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1] as string | number] = value;
      return doc;
    });
  };

  it('a sample with any one field replaced either parses to a valid canonical order or is invalid_payload', () => {
    fc.assert(
      fc.property(mutate(F.order450789469), (doc) => {
        const r = parse('orders/updated', doc);
        if (r.ok) {
          expect(r.value.kind).toBe('order');
          if (r.value.kind === 'order') expect(canonicalOrderSchema.safeParse(r.value.order).success).toBe(true);
        } else {
          expect(r.error.kind).toBe('invalid_payload');
          expect(r.error.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a mutated refund never throws', () => {
    fc.assert(
      fc.property(mutate(F.refundsCreate), (doc) => {
        expect(typeof parse('refunds/create', doc).ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('amounts never lose precision (prices, quantities, JSON-number refund subtotals, ids)', () => {
    const line = fc.record({
      unit: fc.integer({ min: 0, max: 10 ** 12 }),
      qty: fc.integer({ min: 0, max: 999 }),
      disc: fc.integer({ min: 0, max: 10 ** 9 }),
      // Up to 16 significant digits: more than a double holds as a decimal.
      refunded: fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 8) }),
    });
    const idBase = 90_000_000_000_000_000n; // > 2^53
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 5 }),
        fc.constantFrom('JPY', 'USD', 'KWD'),
        (lines, currency) => {
          const fmt = (m: number) => formatMinor(m, currency);
          const items = lines.map(
            (l, i) => `{"id": ${idBase + BigInt(i)}, "quantity": ${l.qty}, "price": "${fmt(l.unit)}",
        "discount_allocations": [{"amount": "${fmt(l.disc)}"}]}`,
          );
          // Refund line subtotals as bare JSON numbers, as Shopify sends them.
          const refundLines = lines.map(
            (l, i) => `{"line_item_id": ${idBase + BigInt(i)}, "quantity": ${l.qty}, "subtotal": ${fmt(l.refunded)}}`,
          );
          const raw = `{"id": 1, "currency": "${currency}", "created_at": "2026-03-01T12:00:00Z", "total_price": "${fmt(lines[0]!.unit)}",
        "line_items": [${items.join(',')}],
        "refunds": [{"id": 2, "created_at": "2026-03-02T12:00:00Z", "refund_line_items": [${refundLines.join(',')}]}]}`;
          const json = parseWebhookJson(raw);
          expect(json.ok).toBe(true);
          if (!json.ok) return;
          const o = order('orders/updated', json.value, currency);
          o.lines.forEach((l, i) => {
            const src = lines[i]!;
            const gross = src.unit * src.qty;
            expect(l.lineId).toBe(String(idBase + BigInt(i)));
            expect(l.grossMinor).toBe(gross);
            expect(l.discountMinor).toBe(Math.min(src.disc, gross));
            expect(l.netMinor).toBe(gross - Math.min(src.disc, gross));
          });
          expect(o.refunds[0]?.lines.map((l) => [l.lineId, l.netMinor])).toEqual(
            lines.map((l, i) => [String(idBase + BigInt(i)), l.refunded]),
          );
          expect(o.refunds[0]?.itemsNetMinor).toBe(lines.reduce((s, l) => s + l.refunded, 0));
        },
      ),
      { numRuns: 300 },
    );
  });
});

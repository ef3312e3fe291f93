import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { canonicalOrderSchema, type CanonicalOrder, type WebhookEvent } from '../../shared/schemas/order';
import { parseWebhookJson } from '../../shared/domain/webhooks/json';
import { wooCommerceTopic, wooCommerceTopics, type WooCommerceTopicName } from '../../shared/domain/webhooks/topics';
import { decodeEntities, parseWooCommerceWebhook } from '../../shared/domain/webhooks/woocommerce';
import { fixtureBytes, fixtureJson, wooFixtures as F } from '../fixtures/webhooks';

const parse = (
  topic: WooCommerceTopicName,
  json: unknown,
  currency = 'USD',
  receivedAt = new Date('2026-01-01T00:00:00Z'),
) => parseWooCommerceWebhook(topic, json, currency, { receivedAt });

const event = (topic: WooCommerceTopicName, json: unknown, currency = 'USD'): WebhookEvent => {
  const r = parse(topic, json, currency);
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
};

const order = (json: unknown, topic: WooCommerceTopicName = 'order.updated', currency = 'USD'): CanonicalOrder => {
  const e = event(topic, json, currency);
  if (e.kind !== 'order') throw new Error(`expected an order, got ${e.kind}`);
  return e.order;
};

const issuesOf = (topic: WooCommerceTopicName, json: unknown) => {
  const r = parse(topic, json);
  if (r.ok) throw new Error(`expected invalid_payload, got ${JSON.stringify(r.value)}`);
  expect(r.error.kind).toBe('invalid_payload');
  return r.error.issues;
};

type Doc = Record<string, unknown> & { line_items: Record<string, unknown>[]; meta_data: Record<string, unknown>[] };
const copy = (name: string = F.processingWire) => structuredClone(fixtureJson(name)) as Doc;

describe('order 727, processing (v3 docs example)', () => {
  const o = order(fixtureJson(F.processingDocs), 'order.created');

  it('maps header facts; *_gmt dates are UTC', () => {
    expect(o).toMatchObject({
      platform: 'woocommerce',
      orderId: '727',
      orderNumber: '727',
      currency: 'USD',
      createdAt: '2017-03-22T19:28:02.000Z',
      updatedAt: '2017-03-22T19:28:08.000Z',
      financialStatus: 'paid',
      paidAt: '2017-03-22T19:28:08.000Z',
      test: false,
    });
    expect(o.cancelledAt).toBeUndefined();
  });

  it('maps lines: subtotal is gross, total is net', () => {
    expect(o.lines).toEqual([
      {
        lineId: '315',
        productId: '93',
        title: 'Woo Single #1',
        quantity: 2,
        grossMinor: 600,
        discountMinor: 0,
        netMinor: 600,
      },
      {
        lineId: '316',
        productId: '22',
        variantId: '23',
        sku: 'Bar3',
        title: 'Ship Your Idea \u2013 Color: Black, Size: M Test',
        quantity: 1,
        grossMinor: 1200,
        discountMinor: 0,
        netMinor: 1200,
      },
    ]);
    expect(o.subtotalAfterDiscountsMinor).toBe(1800);
    expect(o.shippingMinor).toBe(1000);
    expect(o.taxMinor).toBe(135);
    expect(o.totalMinor).toBe(2935);
  });

  it('guest customer (customer_id 0) identified by billing e-mail', () => {
    expect(o.customer).toEqual({
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
      phone: '(555) 555-5555',
    });
    expect(o.billingAddress).toEqual({
      name: 'John Doe',
      address1: '969 Market',
      city: 'San Francisco',
      zip: '94103',
      province: 'CA',
      countryCode: 'US',
      phone: '(555) 555-5555',
    });
    expect(o.shippingAddress).toEqual({
      name: 'John Doe',
      address1: '969 Market',
      city: 'San Francisco',
      zip: '94103',
      province: 'CA',
      countryCode: 'US',
    });
    expect(o.clientIp).toBeUndefined();
  });

  it('meta_data string values become attributes', () => {
    expect(o.attributes).toEqual({ _download_permissions_granted: 'yes' });
    expect(o.discountCodes).toEqual([]);
    expect(o.refunds).toEqual([]);
  });

  it('is a valid canonical order', () => {
    expect(canonicalOrderSchema.safeParse(o).success).toBe(true);
  });
});

describe('docs and wire-derived variants', () => {
  it('processing: the compact wire body (\\/ escapes) parses to the same order', () => {
    expect(fixtureBytes(F.processingWire).includes('\\/')).toBe(true);
    expect(order(fixtureJson(F.processingWire))).toEqual(order(fixtureJson(F.processingDocs)));
  });

  it('completed: the same, and it reflects the update', () => {
    const wire = order(fixtureJson(F.completedWire));
    expect(wire).toEqual(order(fixtureJson(F.completedDocs)));
    expect(wire.financialStatus).toBe('paid');
    expect(wire.updatedAt).toBe('2017-03-22T19:30:35.000Z');
    expect(wire.paidAt).toBe('2017-03-22T19:28:08.000Z');
    expect(wire.attributes).toEqual({ _download_permissions_granted: 'yes', _order_stock_reduced: 'yes' });
    expect(wire.updatedAt > order(fixtureJson(F.processingWire)).updatedAt).toBe(true);
  });

  it('a plain JSON.parse gives the same result (Woo ids are small)', () => {
    expect(order(JSON.parse(fixtureBytes(F.completedWire).toString('utf8')))).toEqual(
      order(fixtureJson(F.completedWire)),
    );
  });
});

describe('status mapping', () => {
  const withStatus = (status: string) => {
    const d = copy();
    d.status = status;
    const o = order(d);
    return [o.financialStatus, o.cancelledAt ?? null];
  };

  it.each([
    ['pending', 'pending', null],
    ['on-hold', 'pending', null],
    ['checkout-draft', 'pending', null],
    ['processing', 'paid', null],
    ['completed', 'paid', null],
    ['refunded', 'refunded', null],
    ['failed', 'pending', null],
    ['cancelled', 'voided', '2017-03-22T19:28:08.000Z'],
    ['trash', 'voided', '2017-03-22T19:28:08.000Z'],
    ['wc-custom-status', 'unknown', null],
  ])('%s → %s', (status, financial, cancelledAt) => {
    expect(withStatus(status)).toEqual([financial, cancelledAt]);
  });

  it('no date_paid_gmt → no paidAt', () => {
    const d = copy();
    d.status = 'pending';
    d.date_paid = null;
    d.date_paid_gmt = null;
    expect(order(d).paidAt).toBeUndefined();
  });
});

describe('discounts, refunds, attribution', () => {
  it('line discount = subtotal − total; coupon codes', () => {
    const d = copy();
    d.line_items[0] = { ...d.line_items[0], subtotal: '6.00', total: '4.80' };
    d.discount_total = '1.20';
    d.coupon_lines = [{ id: 1, code: 'friend20', discount: '1.20' }];
    const o = order(d);
    expect(o.lines[0]).toMatchObject({ grossMinor: 600, discountMinor: 120, netMinor: 480 });
    expect(o.subtotalAfterDiscountsMinor).toBe(1680);
    expect(o.discountCodes).toEqual(['friend20']);
  });

  it('refunds: negative totals → positive amounts; a paid order with refunds is partially refunded', () => {
    const d = copy();
    d.refunds = [
      { id: 730, reason: 'damaged', total: '-10.00' },
      { id: 731, reason: '', total: '-1.35' },
    ];
    const o = order(d);
    expect(o.financialStatus).toBe('partially_refunded');
    expect(o.refunds).toEqual([
      { refundId: '730', createdAt: '2017-03-22T19:28:08.000Z', amountMinor: 1000, lines: [] },
      { refundId: '731', createdAt: '2017-03-22T19:28:08.000Z', amountMinor: 135, lines: [] },
    ]);
  });

  it('registered customer, client IP, order attribution meta', () => {
    const d = copy();
    d.customer_id = 42;
    d.customer_ip_address = '198.51.100.7';
    d.meta_data = [
      { id: 1, key: '_wc_order_attribution_session_entry', value: 'https://shop.example/?ref=ALICE' },
      { id: 2, key: '_wc_order_attribution_referrer', value: 'https://blog.example/' },
      { id: 3, key: 'boomerang_ref', value: 'ALICE' },
      { id: 4, key: 'count', value: 3 },
      { id: 5, key: 'arr', value: ['x'] },
      { id: 6, key: '__proto__', value: 'polluted' },
    ];
    const o = order(d);
    expect(o.customer.id).toBe('42');
    expect(o.clientIp).toBe('198.51.100.7');
    expect(o.landingSite).toBe('https://shop.example/?ref=ALICE');
    expect(o.referringSite).toBe('https://blog.example/');
    expect(o.attributes).toEqual({
      _wc_order_attribution_session_entry: 'https://shop.example/?ref=ALICE',
      _wc_order_attribution_referrer: 'https://blog.example/',
      boomerang_ref: 'ALICE',
    });
    expect(Object.getPrototypeOf(o.attributes)).toBe(Object.prototype);
  });

  it('rounds half-even when the shop shows more decimals than the currency has', () => {
    const d = copy();
    d.line_items = [
      { id: 1, name: 'x', product_id: 1, variation_id: 0, quantity: 3, subtotal: '10.125', total: '10.135', sku: '' },
    ];
    d.total = '10.145';
    const o = order(d);
    expect(o.lines[0]).toMatchObject({ grossMinor: 1012, netMinor: 1012, discountMinor: 0 });
    expect(o.totalMinor).toBe(1014);
  });

  it('reads empty totals as zero', () => {
    const d = copy();
    d.shipping_total = '';
    d.discount_total = '';
    expect(order(d).shippingMinor).toBe(0);
  });

  it('uses the order currency, the shop currency only as a fallback', () => {
    const d = copy();
    d.currency = 'JPY';
    d.line_items = [{ id: 1, quantity: 1, subtotal: '1500', total: '1500' }];
    d.shipping_total = '500';
    d.total_tax = '0';
    d.total = '2000';
    expect(order(d, 'order.updated', 'EUR')).toMatchObject({
      currency: 'JPY',
      totalMinor: 2000,
      subtotalAfterDiscountsMinor: 1500,
    });
    const n = copy();
    delete n.currency;
    expect(order(n, 'order.updated', 'EUR').currency).toBe('EUR');
  });

  it('decodes HTML entities in product names', () => {
    expect(decodeEntities('A &amp; B &ndash; &#8220;C&#x201D; &bogus; &#0;')).toBe(
      'A & B \u2013 \u201cC\u201d &bogus; &#0;',
    );
  });
});

describe('other topics', () => {
  it('order.deleted → order_deleted at the receive time', () => {
    expect(parse('order.deleted', { id: 727 }, 'USD', new Date('2026-03-01T12:00:00Z'))).toEqual({
      ok: true,
      value: { kind: 'order_deleted', topic: 'order.deleted', orderId: '727', at: '2026-03-01T12:00:00.000Z' },
    });
    expect(issuesOf('order.deleted', {}).map((i) => i.path)).toEqual(['id']);
  });

  it('order.restored maps like an update', () => {
    expect(event('order.restored', fixtureJson(F.processingWire)).kind).toBe('order');
  });

  it('unknown topics never reach the parser: they are refused as unknown_topic (the ping is answered earlier)', () => {
    for (const topic of ['', 'product.updated', 'action.woocommerce_order_status_completed']) {
      expect(wooCommerceTopic({ topic })).toMatchObject({ ok: false, error: { kind: 'unknown_topic', topic } });
    }
    expectTypeOf(parseWooCommerceWebhook).parameter(0).toEqualTypeOf<WooCommerceTopicName>();
  });
});

describe('invalid payloads are error values', () => {
  it('lists bad amounts and dates with paths', () => {
    const d = copy();
    d.line_items[0] = { ...d.line_items[0], subtotal: '6,00' };
    d.total = '1e3';
    d.date_created_gmt = '22/03/2017';
    expect(issuesOf('order.updated', d).map((i) => i.path)).toEqual([
      'line_items.0.subtotal',
      'date_created_gmt',
      'total',
    ]);
  });

  it('reports missing required fields', () => {
    const d: Record<string, unknown> = copy();
    delete d.line_items;
    delete d.status;
    expect(issuesOf('order.created', d).map((i) => i.path)).toEqual(expect.arrayContaining(['line_items', 'status']));
  });

  it('names the fix for a Legacy REST API payload', () => {
    const issues = issuesOf('order.updated', { order: { id: 727, status: 'processing' } });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('WP REST API Integration v3');
  });

  it('a Woo ping body under an order topic is invalid, not a crash', () => {
    expect(issuesOf('order.created', { webhook_id: '12' }).length).toBeGreaterThan(0);
    expect(parseWebhookJson('webhook_id=12').ok).toBe(false);
  });
});

describe('properties', () => {
  // Every topic the parser takes; any other is refused before parsing.
  const topics = Object.keys(wooCommerceTopics) as WooCommerceTopicName[];

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...topics), fc.jsonValue(), (topic, json) => {
        expect(typeof parse(topic, json).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary values', () => {
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

  it('a sample with any top-level field replaced parses to a valid canonical order or is invalid_payload', () => {
    const sample = fixtureJson(F.completedWire) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(sample)), fc.jsonValue(), (key, value) => {
        const r = parse('order.updated', { ...sample, [key]: value });
        if (r.ok) {
          if (r.value.kind === 'order') expect(canonicalOrderSchema.safeParse(r.value.order).success).toBe(true);
        } else {
          expect(r.error.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('line amounts never lose precision', () => {
    const line = fc.record({
      gross: fc.integer({ min: 0, max: 10 ** 13 }),
      off: fc.integer({ min: 0, max: 10 ** 13 }),
    });
    const fmt = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const d = copy();
        d.line_items = lines.map((l, i) => ({
          id: i + 1,
          quantity: 1,
          subtotal: fmt(l.gross),
          total: fmt(Math.max(0, l.gross - l.off)),
        }));
        const o = order(d);
        o.lines.forEach((ol, i) => {
          const l = lines[i]!;
          expect([ol.grossMinor, ol.netMinor, ol.discountMinor]).toEqual([
            l.gross,
            Math.max(0, l.gross - l.off),
            l.gross - Math.max(0, l.gross - l.off),
          ]);
        });
        expect(o.subtotalAfterDiscountsMinor).toBe(lines.reduce((s, l) => s + Math.max(0, l.gross - l.off), 0));
      }),
      { numRuns: 300 },
    );
  });
});

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalOrderSchema, type CanonicalOrder } from '../../shared/schemas/order';
import { customEventId, parseCustomWebhook } from '../../shared/domain/webhooks/custom';
import { parseWebhookJson } from '../../shared/domain/webhooks/json';
import { signCustom, verifyCustomSignature } from '../../shared/domain/webhooks/signatures';

type Example = { id: string; type: string; createdAt: string; data: Record<string, unknown> };

/** The example of docs/custom-webhook.md. */
const example = (): Example => ({
  id: 'evt_01HZX3Q7',
  type: 'order.paid',
  createdAt: '2026-03-01T12:00:00Z',
  data: {
    id: '1001',
    number: '#1001',
    currency: 'EUR',
    createdAt: '2026-03-01T11:58:00+01:00',
    customer: { id: 'c_42', email: 'ann@example.com', firstName: 'Ann', lastName: 'Berg', acceptsMarketing: true },
    lines: [
      { id: 'l1', productId: 'p_9', sku: 'MUG-01', title: 'Mug', quantity: 2, price: '12.50', discount: '2.50' },
      { id: 'l2', sku: 'TEA-01', title: 'Tea', quantity: 1, price: '8.00' },
    ],
    subtotal: '30.50',
    shipping: '4.95',
    tax: '7.62',
    total: '43.07',
    discountCodes: ['WELCOME10'],
    referralCode: 'ANN-7K2Q',
    attributes: { channel: 'web' },
    landingSite: 'https://shop.example/?ref=ANN-7K2Q',
    clientIp: '203.0.113.7',
  },
});

const parsed = (json: unknown) => {
  const r = parseCustomWebhook(json);
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
};

const order = (json: unknown): CanonicalOrder => {
  const e = parsed(json);
  if (e.kind !== 'order') throw new Error(e.kind);
  return e.order;
};

const issuesOf = (json: unknown) => {
  const r = parseCustomWebhook(json);
  if (r.ok) throw new Error(`expected invalid_payload, got ${JSON.stringify(r.value)}`);
  expect(r.error.kind).toBe('invalid_payload');
  return r.error.issues;
};

const withType = (type: string, data: Record<string, unknown> = {}) => {
  const e = example();
  return { ...e, type, data: { ...e.data, ...data } };
};

describe('custom order events', () => {
  it('maps the documented example', () => {
    const e = parsed(example());
    expect(e).toEqual({
      kind: 'order',
      topic: 'order.paid',
      order: {
        platform: 'custom',
        orderId: '1001',
        orderNumber: '#1001',
        currency: 'EUR',
        createdAt: '2026-03-01T10:58:00.000Z',
        updatedAt: '2026-03-01T12:00:00.000Z',
        financialStatus: 'paid',
        paidAt: '2026-03-01T12:00:00.000Z',
        test: false,
        customer: { id: 'c_42', email: 'ann@example.com', firstName: 'Ann', lastName: 'Berg', acceptsMarketing: true },
        lines: [
          {
            lineId: 'l1',
            productId: 'p_9',
            sku: 'MUG-01',
            title: 'Mug',
            quantity: 2,
            grossMinor: 2500,
            discountMinor: 250,
            netMinor: 2250,
          },
          { lineId: 'l2', sku: 'TEA-01', title: 'Tea', quantity: 1, grossMinor: 800, discountMinor: 0, netMinor: 800 },
        ],
        subtotalAfterDiscountsMinor: 3050,
        shippingMinor: 495,
        taxMinor: 762,
        totalMinor: 4307,
        discountCodes: ['WELCOME10'],
        attributes: { channel: 'web', referral_code: 'ANN-7K2Q' },
        landingSite: 'https://shop.example/?ref=ANN-7K2Q',
        clientIp: '203.0.113.7',
        refunds: [],
      },
    });
    if (e.kind === 'order') expect(canonicalOrderSchema.safeParse(e.order).success).toBe(true);
  });

  it('derives the financial status from the event type unless given', () => {
    expect(order(withType('order.created')).financialStatus).toBe('pending');
    expect(order(withType('order.updated')).financialStatus).toBe('pending');
    expect(order(withType('order.updated', { financialStatus: 'authorized' })).financialStatus).toBe('authorized');
    const cancelled = order(withType('order.cancelled'));
    expect([cancelled.financialStatus, cancelled.cancelledAt]).toEqual(['voided', '2026-03-01T12:00:00.000Z']);
    expect(order(withType('order.created')).paidAt).toBeUndefined();
    expect(order(withType('order.created', { paidAt: '2026-03-01T11:59:00Z' })).paidAt).toBe(
      '2026-03-01T11:59:00.000Z',
    );
  });

  it('order.refunded: refunds mapped; full or partial by amount', () => {
    const partial = order(
      withType('order.refunded', {
        refunds: [
          {
            id: 'r1',
            createdAt: '2026-03-05T09:00:00Z',
            amount: '12.45',
            itemsNet: '11.25',
            lines: [{ lineId: 'l1', quantity: 1, amount: '11.25' }],
          },
        ],
      }),
    );
    expect(partial.financialStatus).toBe('partially_refunded');
    expect(partial.refunds).toEqual([
      {
        refundId: 'r1',
        createdAt: '2026-03-05T09:00:00.000Z',
        amountMinor: 1245,
        itemsNetMinor: 1125,
        lines: [{ lineId: 'l1', quantity: 1, netMinor: 1125 }],
      },
    ]);
    const full = order(
      withType('order.refunded', { refunds: [{ id: 'r1', createdAt: '2026-03-05T09:00:00Z', amount: '43.07' }] }),
    );
    expect(full.financialStatus).toBe('refunded');
    expect(issuesOf(withType('order.refunded')).map((i) => i.path)).toEqual(['data.refunds']);
  });

  it('accepts numbers for ids and amounts, keeping big ids exact via parseWebhookJson', () => {
    const raw = JSON.stringify(withType('order.paid', { id: 'X', total: 43.07 })).replace(
      '"id":"X"',
      '"id":12345678901234567890',
    );
    const json = parseWebhookJson(raw);
    expect(json.ok).toBe(true);
    if (!json.ok) return;
    expect(order(json.value)).toMatchObject({ orderId: '12345678901234567890', totalMinor: 4307 });
  });

  it("uses each currency's minor unit", () => {
    const jpy = order(
      withType('order.paid', {
        currency: 'JPY',
        lines: [{ id: 'a', quantity: 3, price: '1200' }],
        subtotal: undefined,
        shipping: '500',
        tax: '0',
        total: '4100',
      }),
    );
    expect(jpy).toMatchObject({ currency: 'JPY', subtotalAfterDiscountsMinor: 3600, totalMinor: 4100 });
    const kwd = order(
      withType('order.paid', {
        currency: 'KWD',
        lines: [{ id: 'a', quantity: 1, price: '1.250' }],
        subtotal: '1.25',
        shipping: '0',
        tax: '0',
        total: '1.25',
      }),
    );
    expect(kwd.totalMinor).toBe(1250);
  });

  it('customEventId reads the envelope id for de-duplication', () => {
    expect(customEventId(example())).toBe('evt_01HZX3Q7');
    expect(customEventId({})).toBeUndefined();
    expect(customEventId(null)).toBeUndefined();
  });

  it('signs and verifies like the docs say', () => {
    const raw = Buffer.from(JSON.stringify(example()));
    const header = signCustom(raw, 'whsec_test_secret', 1_772_366_400);
    expect(verifyCustomSignature(raw, header, ['whsec_test_secret'], new Date('2026-03-01T12:01:00Z')).ok).toBe(true);
  });
});

describe('docs/custom-webhook.md', () => {
  const doc = readFileSync(new URL('../../docs/custom-webhook.md', import.meta.url), 'utf8');

  it('its example order parses to the example of these tests', () => {
    const block = /## The order\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const json = parseWebhookJson(block!);
    expect(json.ok && parseCustomWebhook(json.value)).toEqual(parseCustomWebhook(example()));
  });

  it('its example signature is the signature of that example', () => {
    const block = /## The order\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const header = /Boomerang-Signature: (t=\d+,v1=[0-9a-f]{64})/.exec(doc)?.[1];
    expect(header).toBe(signCustom(Buffer.from(block), 'whsec_test_secret', 1_772_366_400));
  });
});

describe('clear errors', () => {
  it('unknown type lists the valid ones', () => {
    const issues = issuesOf({ ...example(), type: 'order.shipped' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('type');
    expect(issues[0]?.message).toContain('order.created');
  });

  it('typos are unrecognized keys, not silently ignored', () => {
    const e = example();
    e.data.referral_code = 'ANN';
    const issues = issuesOf(e);
    expect(issues[0]?.path).toBe('data');
    expect(issues[0]?.message).toContain('referral_code');
  });

  it('bad amounts, currencies and dates point at the field', () => {
    const e = example();
    e.data.total = '43,07';
    e.data.lines = [{ id: 'l1', quantity: 1, price: '1.005' }];
    e.data.subtotal = undefined;
    expect(issuesOf(e).map((i) => [i.path, i.message])).toEqual([
      ['data.lines.0.price', '"1.005" has more than 2 decimal place(s), the minor unit of EUR'],
      ['data.total', '"43,07" is not a plain decimal amount (e.g. "19.99"; no exponent, no thousands separators)'],
    ]);
    expect(issuesOf(withType('order.paid', { currency: 'eur' })).map((i) => i.path)).toEqual(['data.currency']);
    expect(issuesOf({ ...example(), createdAt: '2026-03-01 12:00' }).map((i) => i.path)).toEqual(['createdAt']);
  });

  it('line ids must be unique', () => {
    expect(
      issuesOf(
        withType('order.paid', {
          lines: [
            { id: 'a', quantity: 1, price: '1.00' },
            { id: 'a', quantity: 1, price: '2.00' },
          ],
          subtotal: undefined,
        }),
      ),
    ).toEqual([
      { path: 'data.lines.1.id', message: 'line id "a" appears twice; line ids must be unique within the order' },
    ]);
  });

  it('an empty amount is an error, not zero', () => {
    expect(
      issuesOf(withType('order.paid', { total: '', shipping: ' ' }))
        .map((i) => i.path)
        .sort(),
    ).toEqual(['data.shipping', 'data.total']);
  });

  it('subtotal is checked against the lines', () => {
    const issues = issuesOf(withType('order.paid', { subtotal: '33.00' }));
    expect(issues).toEqual([
      { path: 'data.subtotal', message: 'is 33.00 but the lines add up to 30.50 (Σ price × quantity − discount)' },
    ]);
  });

  it('a discount above the line value or negative money is refused', () => {
    expect(
      issuesOf(
        withType('order.paid', {
          lines: [{ id: 'a', quantity: 1, price: '5.00', discount: '6.00' }],
          subtotal: undefined,
        }),
      ),
    ).toEqual([{ path: 'data.lines.0.discount', message: 'is more than price × quantity (5.00)' }]);
    expect(
      issuesOf(withType('order.paid', { lines: [{ id: 'a', quantity: 1, price: '-5.00' }], subtotal: undefined })).map(
        (i) => i.path,
      ),
    ).toContain('data.lines.0.price');
  });

  it('missing data and required fields', () => {
    expect(issuesOf({ id: 'e', type: 'order.paid', createdAt: '2026-03-01T12:00:00Z' }).map((i) => i.path)).toEqual([
      'data',
    ]);
    const e = example();
    delete e.data.currency;
    delete e.data.total;
    expect(issuesOf(e).map((i) => i.path)).toEqual(['data.currency', 'data.total']);
    expect(issuesOf({}).map((i) => i.path)).toEqual(['id', 'type', 'createdAt']);
    expect(issuesOf('x').length).toBe(1);
  });
});

describe('privacy and ping', () => {
  const env = (type: string, data?: unknown) => ({
    id: 'evt_9',
    type,
    createdAt: '2026-03-01T12:00:00Z',
    ...(data === undefined ? {} : { data }),
  });

  it('customer.redact', () => {
    expect(
      parsed(env('customer.redact', { customerId: 'c_42', email: 'ann@example.com', orderIds: ['1001', 1002] })),
    ).toEqual({
      kind: 'customer_redact',
      topic: 'customer.redact',
      platformCustomerId: 'c_42',
      email: 'ann@example.com',
      orderIds: ['1001', '1002'],
    });
    expect(issuesOf(env('customer.redact', { orderIds: ['1'] }))).toEqual([
      { path: 'data', message: 'customerId or email is required' },
    ]);
  });

  it('customer.data_request: the request id defaults to the event id', () => {
    expect(parsed(env('customer.data_request', { email: 'ann@example.com' }))).toEqual({
      kind: 'customer_data_request',
      topic: 'customer.data_request',
      requestId: 'evt_9',
      email: 'ann@example.com',
      orderIds: [],
    });
    expect(parsed(env('customer.data_request', { requestId: 'dr_1', customerId: 7 }))).toMatchObject({
      requestId: 'dr_1',
      platformCustomerId: '7',
    });
  });

  it('shop.redact and ping', () => {
    expect(parsed(env('shop.redact'))).toEqual({ kind: 'shop_redact', topic: 'shop.redact' });
    expect(parsed(env('ping'))).toEqual({ kind: 'ping', topic: 'ping' });
  });
});

describe('properties', () => {
  it('never throws on arbitrary JSON or values', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.anything({ withObjectString: true, withNullPrototype: true })),
        (json) => {
          expect(typeof parseCustomWebhook(json).ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on an envelope with arbitrary data', () => {
    const types = [
      'order.created',
      'order.paid',
      'order.refunded',
      'customer.redact',
      'customer.data_request',
      'shop.redact',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.jsonValue(), (type, data) => {
        expect(typeof parseCustomWebhook({ id: 'e', type, createdAt: '2026-03-01T12:00:00Z', data }).ok).toBe(
          'boolean',
        );
      }),
      { numRuns: 500 },
    );
  });

  it('amounts never lose precision', () => {
    const line = fc.record({ unit: fc.integer({ min: 0, max: 10 ** 12 }), qty: fc.integer({ min: 0, max: 999 }) });
    const fmt = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (lines, total) => {
          const o = order(
            withType('order.paid', {
              lines: lines.map((l, i) => ({ id: `l${i}`, quantity: l.qty, price: fmt(l.unit) })),
              subtotal: undefined,
              total: fmt(total),
            }),
          );
          expect(o.lines.map((l) => l.grossMinor)).toEqual(lines.map((l) => l.unit * l.qty));
          expect(o.totalMinor).toBe(total);
        },
      ),
      { numRuns: 300 },
    );
  });
});

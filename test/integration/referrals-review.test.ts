import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../shared/wiring/runtime';
import type { Plan } from '../../shared/domain/ledger/plans';
import { customHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

let stack: TestStack;
let shop: CreatedShop;
beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({ platform: 'custom', currency: 'EUR' });
});
afterAll(async () => {
  await stack?.close();
});

const order = (o: {
  id: string;
  customer: Record<string, unknown>;
  createdAt: string;
  discountCodes?: string[];
  shippingAddress?: Record<string, unknown>;
  type?: string;
  cancelledAt?: string;
  financialStatus?: string;
  paidAt?: string;
}) =>
  JSON.stringify({
    id: `evt-${o.id}-${o.type ?? 'paid'}-${Math.random()}`,
    type: o.type ?? 'order.paid',
    createdAt: o.createdAt,
    data: {
      id: o.id,
      currency: 'EUR',
      createdAt: o.createdAt,
      updatedAt: o.cancelledAt ?? o.createdAt,
      ...(o.cancelledAt ? { cancelledAt: o.cancelledAt } : {}),
      ...(o.financialStatus ? { financialStatus: o.financialStatus } : {}),
      ...(o.paidAt ? { paidAt: o.paidAt } : {}),
      customer: o.customer,
      lines: [{ id: '1', sku: 'MUG', quantity: 1, price: '100.00' }],
      total: '100.00',
      ...(o.discountCodes ? { discountCodes: o.discountCodes } : {}),
      ...(o.shippingAddress ? { shippingAddress: o.shippingAddress } : {}),
    },
  });
const send = async (body: string) => {
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret),
  });
  expect(r.status, r.text).toBe(200);
  return r.json;
};
const read = async (ref: string) =>
  (
    await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}?limit=100`, {
      key: shop.apiKey,
    })
  ).json;
const daily = (asOf: string) =>
  stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, { key: shop.apiKey, body: { asOf } });
const approve = (friendCid: string) =>
  stack.api('POST', `/admin/shops/${shop.shop.id}/referrals/${friendCid}/approve`, { key: shop.apiKey });
const address = (street: string) => ({ address1: street, city: 'Aarhus', zip: '8000', countryCode: 'DK' });

/** Pauses the first commit whose plan matches, until released. */
const pauseCommit = (match: (p: Plan) => boolean) => {
  const rt = runtime();
  const original = rt.ledger.commit.bind(rt.ledger);
  let hit!: () => void;
  const reached = new Promise<void>((r) => {
    hit = r;
  });
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let armed = true;
  rt.ledger.commit = async (shopId, plan, program, idem) => {
    if (armed && match(plan)) {
      armed = false;
      hit();
      await gate;
    }
    return original(shopId, plan, program, idem);
  };
  return {
    reached,
    release: () => {
      release();
    },
    restore: () => {
      rt.ledger.commit = original;
    },
  };
};

const referrer = async (id: string, street: string) => {
  await send(
    order({
      id: `${id}-own`,
      customer: { id, email: `${id}@example.com`, firstName: id },
      shippingAddress: address(street),
      createdAt: '2026-05-01T10:00:00Z',
    }),
  );
  return (await read(id)).referral.code as string;
};

/**
 * Regression tests from the referral review: a marketer's decision racing order events, one
 * person referred through several accounts, rewards judged on money, redaction, rejected counts.
 */
describe('approve races', () => {
  it('approve racing a cancellation books no reward on the cancelled order', async () => {
    const code = await referrer('anna', 'Strandvejen 5');
    // Same address -> held.
    await send(
      order({
        id: 'ERIK-1',
        customer: { id: 'erik', email: 'erik@example.com' },
        discountCodes: [code],
        shippingAddress: address('Strandvejen 5'),
        createdAt: '2026-05-02T10:00:00Z',
      }),
    );
    expect((await read('anna')).points.pending).toBe(100);

    const p = pauseCommit((plan) => plan.order?.next.orderId === 'ERIK-1' && !!plan.order.next.cancelledAt);
    const cancel = send(
      order({
        id: 'ERIK-1',
        type: 'order.cancelled',
        customer: { id: 'erik', email: 'erik@example.com' },
        discountCodes: [code],
        createdAt: '2026-05-02T10:00:00Z',
        cancelledAt: '2026-05-03T10:00:00Z',
      }),
    );
    await p.reached; // the cancellation read the referral as held and planned no referral change
    const a = await approve('i.erik');
    expect(a.status).toBe(200);
    p.release();
    await cancel;
    p.restore();

    await daily('2026-11-01');
    const anna2 = await read('anna');
    expect(anna2.points.pending).toBe(0);
  });

  it('approve racing the daily confirmation still confirms the reward', async () => {
    const code = await referrer('dora', 'Nørregade 1');
    await send(
      order({
        id: 'FINN-1',
        customer: { id: 'finn', email: 'finn@example.com' },
        discountCodes: [code],
        shippingAddress: address('Nørregade 1'),
        createdAt: '2026-06-02T10:00:00Z',
      }),
    );
    const p = pauseCommit((plan) => plan.order?.next.orderId === 'FINN-1' && plan.order.next.confirmed);
    const d = daily('2026-07-01');
    await p.reached;
    expect((await approve('i.finn')).status).toBe(200);
    p.release();
    await d;
    p.restore();
    await daily('2026-11-01');
    const dora = await read('dora');
    expect(dora.points).toMatchObject({ pending: 0, balance: 600 });
  });
});

let n = 0;
const simpleOrder = (o: {
  id?: string;
  customer: Record<string, unknown>;
  createdAt?: string;
  discountCodes?: string[];
  type?: string;
  financialStatus?: string;
  shippingAddress?: Record<string, unknown>;
}) => {
  const createdAt = o.createdAt ?? new Date().toISOString();
  return JSON.stringify({
    id: `evt-${++n}`,
    type: o.type ?? 'order.paid',
    createdAt,
    data: {
      id: o.id ?? `O-${n}`,
      currency: 'EUR',
      createdAt,
      updatedAt: createdAt,
      ...(o.financialStatus ? { financialStatus: o.financialStatus } : {}),
      customer: o.customer,
      lines: [{ id: '1', sku: 'MUG', quantity: 1, price: '100.00' }],
      total: '100.00',
      ...(o.discountCodes ? { discountCodes: o.discountCodes } : {}),
      ...(o.shippingAddress ? { shippingAddress: o.shippingAddress } : {}),
    },
  });
};
const sendTo = async (body: string, s = shop) => {
  const r = await stack.api('POST', `/webhooks/custom/${s.shop.id}`, {
    body,
    headers: customHeaders(body, s.input.webhookSecret),
  });
  expect(r.status, r.text).toBe(200);
  return r.json;
};
const readIn = async (ref: string, s = shop) =>
  (
    await stack.api('GET', `/admin/shops/${s.shop.id}/customers/${encodeURIComponent(ref)}?limit=100`, {
      key: s.apiKey,
    })
  ).json;
const reject = (friendCid: string) =>
  stack.api('POST', `/admin/shops/${shop.shop.id}/referrals/${friendCid}/reject`, { key: shop.apiKey });

describe('fraud / identity', () => {
  it('one person is rewarded once, whether they order as a guest, with an account or with a +tag', async () => {
    await sendTo(simpleOrder({ customer: { id: 'gina', email: 'gina@example.com', firstName: 'Gina' } }));
    const code = (await readIn('gina')).referral.code;
    await sendTo(simpleOrder({ customer: { email: 'bob@example.com' }, discountCodes: [code] })); // guest -> e.<hash>
    await sendTo(simpleOrder({ customer: { id: 'bob', email: 'bob@example.com' }, discountCodes: [code] })); // account -> i.bob, same e-mail
    await sendTo(simpleOrder({ customer: { email: 'Bob+2@example.com' }, discountCodes: [code] })); // +tag guest
    const gina = await readIn('gina');
    expect(gina.points.pending).toBe(100 + 500); // one friend: one reward
  });

  it('a held referral that is rejected stops counting as a conversion and against the cap', async () => {
    await sendTo(
      simpleOrder({
        customer: { id: 'hans', email: 'hans@example.com', firstName: 'Hans' },
        shippingAddress: { address1: 'Vej 1', zip: '8000', countryCode: 'DK' },
      }),
    );
    const code = (await readIn('hans')).referral.code;
    await sendTo(
      simpleOrder({
        customer: { id: 'ida', email: 'ida@example.com' },
        discountCodes: [code],
        shippingAddress: { address1: 'Vej 1', zip: '8000', countryCode: 'DK' },
      }),
    );
    expect((await reject('i.ida')).status).toBe(200);
    const hans = await readIn('hans');
    const raw = await runtime().ledger.getCustomer(shop.shop.id, 'i.hans');
    expect(hans.referral.stats.conversions).toBe(0);
    expect(Object.values(raw?.referralConversions ?? {}).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('with earnOn=created the referrer waits until the friend pays', async () => {
    const s2 = await stack.createShop({
      platform: 'custom',
      currency: 'EUR',
      program: { earning: { earnOn: 'created' } },
    });
    await sendTo(simpleOrder({ customer: { id: 'kim', email: 'kim@example.com', firstName: 'Kim' } }), s2);
    const code = (await readIn('kim', s2)).referral.code;
    await sendTo(
      simpleOrder({
        type: 'order.created',
        financialStatus: 'pending',
        customer: { id: 'lea', email: 'lea@example.com' },
        discountCodes: [code],
      }),
      s2,
    );
    const kim = await readIn('kim', s2);
    expect(kim.points.pending).toBe(100); // friend has not paid
  });

  it("a redacted referrer's code is disabled and earns nothing", async () => {
    await sendTo(simpleOrder({ customer: { id: 'mona', email: 'mona@example.com', firstName: 'Mona' } }));
    const code = (await readIn('mona')).referral.code;
    const body = JSON.stringify({
      id: `evt-red-${++n}`,
      type: 'customer.redact',
      createdAt: new Date().toISOString(),
      data: { customerId: 'mona' },
    });
    const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret),
    });
    const after = await runtime().ledger.getCustomer(shop.shop.id, 'i.mona');
    // same person re-orders as a guest with the same email: self_referral_email can no longer fire
    await sendTo(simpleOrder({ customer: { email: 'mona@example.com' }, discountCodes: [code] }));
    const mona = await runtime().ledger.getCustomer(shop.shop.id, 'i.mona');
    expect(r.status).toBe(200);
    expect(after?.redactedAt).toEqual(expect.any(String));
    expect(mona?.points.pending).toBe(100);
    expect((await runtime().referrals.codeOwner(code))?.disabled).toBe(true);
  });
});

describe("the reward follows money paid, not the friend's points", () => {
  const post = (s: CreatedShop, b: string) =>
    stack.api('POST', `/webhooks/custom/${s.shop.id}`, { body: b, headers: customHeaders(b, s.input.webhookSecret) });
  const paid = (
    id: string,
    customer: Record<string, unknown>,
    lines: { id: string; sku: string; price: string }[],
    total: string,
    extra: Record<string, unknown> = {},
  ) => {
    const createdAt = (extra.updatedAt as string | undefined) ?? new Date().toISOString();
    return JSON.stringify({
      id: `e-${id}-${createdAt}`,
      type: 'order.paid',
      createdAt,
      data: {
        id,
        currency: 'EUR',
        createdAt,
        updatedAt: createdAt,
        customer,
        lines: lines.map((l) => ({ ...l, quantity: 1 })),
        total,
        ...extra,
      },
    });
  };

  it('a partial refund keeps the reward', async () => {
    const s = await stack.createShop({
      platform: 'custom',
      currency: 'EUR',
      program: { earning: { excludedSkus: ['GIFTCARD'] } },
    });
    await post(
      s,
      paid(
        'r1',
        { id: 'ref', email: 'ref@example.com', firstName: 'Rita' },
        [{ id: '1', sku: 'MUG', price: '50.00' }],
        '50.00',
      ),
    );
    const code = (await stack.api('GET', `/admin/shops/${s.shop.id}/customers/ref`, { key: s.apiKey })).json.referral
      .code;
    const lines = [
      { id: '1', sku: 'MUG', price: '20.00' },
      { id: '2', sku: 'GIFTCARD', price: '80.00' },
    ];
    const friend = { id: 'fr', email: 'fr@example.com' };
    await post(s, paid('f1', friend, lines, '100.00', { discountCodes: [code] }));
    const later = new Date(Date.now() + 1000).toISOString();
    await post(
      s,
      paid('f1', friend, lines, '100.00', {
        discountCodes: [code],
        updatedAt: later,
        financialStatus: 'partially_refunded',
        refunds: [
          { id: 'rf1', createdAt: later, amount: '20.00', lines: [{ lineId: '1', quantity: 1, amount: '20.00' }] },
        ],
      }),
    );
    expect((await runtime().referrals.getReferral(s.shop.id, 'i.fr'))?.awarded).toBe(500);
  });

  it('a paid first order below the earning minimum still rewards the referrer', async () => {
    const s = await stack.createShop({
      platform: 'custom',
      currency: 'EUR',
      program: { earning: { minimumOrderMinor: 5000 } },
    });
    await post(
      s,
      paid(
        'm1',
        { id: 'ref', email: 'ref@example.com', firstName: 'Rita' },
        [{ id: '1', sku: 'MUG', price: '80.00' }],
        '80.00',
      ),
    );
    const code = (await stack.api('GET', `/admin/shops/${s.shop.id}/customers/ref`, { key: s.apiKey })).json.referral
      .code;
    await post(
      s,
      paid('m2', { id: 'fr', email: 'fr@example.com' }, [{ id: '1', sku: 'MUG', price: '30.00' }], '30.00', {
        discountCodes: [code],
      }),
    );
    expect((await runtime().ledger.getCustomer(s.shop.id, 'i.ref'))?.points.pending).toBe(80 + 500);
  });
});

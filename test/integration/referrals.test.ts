import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * The referral program end to end, through the gateway as shops and shoppers use it:
 * link → click → friend's order → pending reward → confirmed, or clawed back.
 */
let stack: TestStack;
let shop: CreatedShop;
beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({
    platform: 'custom',
    currency: 'EUR',
    storefrontUrl: 'https://shop.example.com/?lang=en',
  });
});
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
const order = (o: {
  id?: string;
  customer: Record<string, unknown>;
  total?: string;
  createdAt?: string;
  landingSite?: string;
  discountCodes?: string[];
  shippingAddress?: Record<string, unknown>;
  clientIp?: string;
  type?: string;
  cancelledAt?: string;
}) => {
  const id = o.id ?? `R-${++seq}`;
  const createdAt = o.createdAt ?? '2026-03-01T10:00:00Z';
  const price = o.total ?? '100.00';
  return {
    id,
    body: JSON.stringify({
      id: `evt-${id}-${o.type ?? 'paid'}`,
      type: o.type ?? 'order.paid',
      createdAt,
      data: {
        id,
        currency: 'EUR',
        createdAt,
        updatedAt: o.cancelledAt ?? createdAt,
        ...(o.cancelledAt ? { cancelledAt: o.cancelledAt } : {}),
        customer: o.customer,
        lines: [{ id: '1', sku: 'MUG', quantity: 1, price }],
        total: price,
        ...(o.landingSite ? { landingSite: o.landingSite } : {}),
        ...(o.discountCodes ? { discountCodes: o.discountCodes } : {}),
        ...(o.shippingAddress ? { shippingAddress: o.shippingAddress } : {}),
        ...(o.clientIp ? { clientIp: o.clientIp } : {}),
      },
    }),
  };
};
const send = async (o: { body: string }) => {
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body: o.body,
    headers: customHeaders(o.body, shop.input.webhookSecret),
  });
  expect(r.status).toBe(200);
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
const address = (street: string) => ({ address1: street, city: 'Aarhus', zip: '8000', countryCode: 'DK' });

describe('referral flow', () => {
  let code: string;
  let clickLanding: string;

  it('gives a customer a code at their first order and a link to share', async () => {
    await send(
      order({
        customer: { id: 'anna', email: 'anna.berg@gmail.com', firstName: 'Anna' },
        shippingAddress: address('Nørregade 1'),
      }),
    );
    const anna = await read('anna');
    expect(anna.referral.code).toMatch(/^[A-Z2-9-]{3,24}$/);
    expect(anna.referral.url).toBe(`${stack.baseUrl}/r/${anna.referral.code}`);
    code = anna.referral.code;
    // Reading again shows the same code.
    expect((await read('anna')).referral.code).toBe(code);
  });

  it('a click redirects to the storefront with the code and the click id', async () => {
    const res = await fetch(`${stack.baseUrl}/r/${code.toLowerCase()}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Safari/604.1' },
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.example.com/');
    expect(location.searchParams.get('lang')).toBe('en');
    expect(location.searchParams.get('ref')).toBe(code);
    expect(location.searchParams.get('bmr_click')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    clickLanding = `/?${location.searchParams.toString()}`;
  });

  it("a friend's first paid order earns the referrer 500 pending points; the friend earns as usual", async () => {
    await send(
      order({
        id: 'F-1',
        customer: { id: 'ben', email: 'ben@example.com' },
        landingSite: clickLanding,
        shippingAddress: address('Vestergade 9'),
        createdAt: new Date().toISOString(),
      }),
    );
    const anna = await read('anna');
    expect(anna.points.pending).toBe(100 + 500);
    expect(anna.ledger[0]).toMatchObject({ type: 'earn', points: { pending: 500 }, orderId: 'F-1' });
    expect(anna.referral.stats).toMatchObject({ clicks: 1, conversions: 1, rewardPoints: 500 });
    const ben = await read('ben');
    expect(ben.points.pending).toBe(100);
    expect(ben.referral.referredBy).toBe('i.anna');
  });

  it('a cancellation inside the return window claws the reward back', async () => {
    const cancelled = order({
      id: 'F-1',
      type: 'order.cancelled',
      customer: { id: 'ben', email: 'ben@example.com' },
      landingSite: clickLanding,
      createdAt: new Date(Date.now() - 1000).toISOString(),
      cancelledAt: new Date().toISOString(),
    });
    await send(cancelled);
    const anna = await read('anna');
    expect(anna.points.pending).toBe(100);
    expect(anna.ledger[0]).toMatchObject({ type: 'reverse', points: { pending: -500 } });
    expect(anna.referral.stats).toMatchObject({ clawedBackPoints: 500 });
    // Ben can never be referred again: only a friend's first order counts.
    await send(order({ customer: { id: 'ben', email: 'ben@example.com' }, discountCodes: [code] }));
    expect((await read('anna')).points.pending).toBe(100);
  });

  it("a referral by discount code confirms with the friend's order after the return window", async () => {
    await send(
      order({
        id: 'F-2',
        customer: { id: 'cleo', email: 'cleo@example.com' },
        discountCodes: ['WELCOME', code],
        createdAt: '2026-03-02T10:00:00Z',
      }),
    );
    expect((await read('anna')).points).toMatchObject({ pending: 600 });
    const r = await daily('2026-03-20');
    expect(r.json.result.confirmed).toBeGreaterThanOrEqual(2);
    const anna = await read('anna');
    expect(anna.points).toMatchObject({ balance: 600, pending: 0 });
    expect(anna.ledger.filter((e: { type: string }) => e.type === 'confirm')).toHaveLength(2);
  });

  it('reports stats: clicks, referred orders, revenue, rewards and top referrers', async () => {
    const s = (
      await stack.api('GET', `/admin/shops/${shop.shop.id}/referrals/stats?from=2026-01-01&to=2030-12-31`, {
        key: shop.apiKey,
      })
    ).json;
    expect(s).toMatchObject({
      clicks: 1,
      uniqueVisitors: 1,
      referredOrders: 2,
      referredRevenueMinor: 20_000,
      rewardsIssuedPoints: 1000,
      rewardsClawedBackPoints: 500,
      currency: 'EUR',
    });
    expect(s.topReferrers[0]).toMatchObject({ customerId: 'i.anna', code, conversions: 2 });
  });
});

describe('fraud rules', () => {
  let code: string;
  beforeAll(async () => {
    await send(
      order({
        customer: { id: 'dora', email: 'dora.lind@gmail.com', firstName: 'Dora' },
        shippingAddress: address('Strandvejen 5'),
        createdAt: '2026-04-01T10:00:00Z',
      }),
    );
    code = (await read('dora')).referral.code;
  });
  const referral = async (friendId: string) =>
    await stack.api('POST', `/admin/shops/${shop.shop.id}/referrals/i.${friendId}/approve`, { key: shop.apiKey });

  it('rejects a self-referral by the same e-mail with Gmail dots and a +tag', async () => {
    await send(
      order({
        customer: { id: 'dora2', email: 'DoraLind+deal@googlemail.com' },
        discountCodes: [code],
        createdAt: '2026-04-02T10:00:00Z',
      }),
    );
    const r = await referral('dora2');
    expect(r.status).toBe(409);
    expect(r.json.error.message).toContain('rejected');
    expect((await read('dora')).points.pending).toBe(100);
  });

  it('holds a same-address referral for a marketer, who can approve it', async () => {
    await send(
      order({
        customer: { id: 'erik', email: 'erik@example.com' },
        discountCodes: [code],
        shippingAddress: address('strandvejen  5'),
        createdAt: '2026-04-03T10:00:00Z',
      }),
    );
    expect((await read('dora')).points.pending).toBe(100);
    const approved = await referral('erik');
    expect(approved.status).toBe(200);
    expect(approved.json.referral).toMatchObject({ status: 'approved', decidedBy: `shop:${shop.shop.id}` });
    expect(approved.json.referral.findings[0]).toMatchObject({ reason: 'self_referral_address', verdict: 'held' });
    expect((await read('dora')).points.pending).toBe(600);
    expect((await referral('erik')).status).toBe(409);
  });

  it('rejects a friend who already ordered before', async () => {
    await send(order({ customer: { id: 'finn', email: 'finn@example.com' }, createdAt: '2026-04-04T10:00:00Z' }));
    await send(
      order({
        customer: { id: 'finn', email: 'finn@example.com' },
        discountCodes: [code],
        createdAt: '2026-04-05T10:00:00Z',
      }),
    );
    const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/referrals/i.finn/reject`, { key: shop.apiKey });
    expect(r.status).toBe(409);
    expect((await read('dora')).points.pending).toBe(600);
  });

  it('never rewards one friend twice, whatever is redelivered or raced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }), async (copies, orders) => {
        const friend = `p${++seq}`;
        const before = (await read('dora')).points.pending;
        const sends = Array.from({ length: orders }, (_, i) =>
          order({
            id: `${friend}-o${i}`,
            customer: { id: friend, email: `${friend}@example.com` },
            discountCodes: [code],
            createdAt: '2026-04-06T10:00:00Z',
          }),
        ).flatMap((o) => Array.from({ length: copies }, () => o));
        await Promise.all(sends.map(send));
        expect((await read('dora')).points.pending - before).toBe(500);
      }),
      { numRuns: 4 },
    );
  });
});

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as outboxHandler } from '../../functions/outbox-sender/handler';
import { fixedClock, systemClock } from '../../shared/adapters/clock';
import { addDays, addMonths } from '../../shared/domain/calendar';
import { meViewSchema } from '../../shared/schemas/storefront';
import { runtime, setRuntime } from '../../shared/wiring/runtime';
import { customOrderBody, sendCustomOrder, type CustomOrder } from '../support/custom-orders';
import { randomId, sesMessages, startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * Paid membership end to end: signed order webhooks grant, renew and cancel it; the daily job
 * (at an explicit as-of, with the clock moved there) sends the renewal-due e-mail and lapses it;
 * each e-mail reaches SES local exactly once.
 */
let stack: TestStack;
let shop: CreatedShop;

const program = {
  membership: {
    enabled: true,
    plans: [{ id: 'vip', name: 'VIP Club', skus: ['VIP'], multiplierPercent: 200, perks: 'Free shipping' }],
    renewalReminderDays: 7,
    graceDays: 3,
  },
  expiry: { inactivityMonths: 0 },
};

beforeAll(async () => {
  stack = await startTestStack({ dailyStats: false });
  shop = await stack.createShop({ locale: 'en-GB', program });
});
afterAll(async () => {
  await stack?.close();
});

const travel = (at: string) => setRuntime({ ...runtime(), clock: fixedClock(at) });
const sweep = () => outboxHandler({ job: 'outbox-sweep' }, { getRemainingTimeInMillis: () => 60_000 });
/** The outbox sends what is due before now: with the clock stopped, a minute has to pass first. */
const sweepAfter = async (at: string) => {
  travel(new Date(Date.parse(at) + 60_000).toISOString());
  await sweep();
};
const read = async (ref: string) =>
  (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey }))
    .json;
const daily = async (asOf: string) => {
  const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
    key: shop.apiKey,
    body: { asOf },
  });
  expect(r.status, r.text).toBe(200);
  return r.json;
};
const order = (o: Omit<CustomOrder, 'sku'> & { sku?: string }) => customOrderBody({ sku: 'VIP', ...o });
const refunded = (id: string, customer: Record<string, unknown>, at: string) =>
  order({
    id,
    customer,
    total: '99.00',
    createdAt: at,
    type: 'order.refunded',
    data: {
      refunds: [
        { id: `r-${id}`, createdAt: at, amount: '99.00', lines: [{ lineId: '1', quantity: 1, amount: '99.00' }] },
      ],
    },
  });
const subjects = async (to: string) => (await sesMessages({ to })).map((m) => m.subject);

describe('paid membership through signed webhooks', () => {
  it('is granted by a paid order with the SKU, renewed by the next payment, reminded, then lapsed by the daily job', async () => {
    const email = `${randomId('m')}@example.com`;
    const customer = { id: randomId('c'), email, firstName: 'Mette' };
    const paidAt = new Date().toISOString();
    await sendCustomOrder(stack, shop, order({ id: randomId('o'), customer, total: '99.00', createdAt: paidAt }));

    const joined = await read(customer.id);
    expect(joined.membership).toMatchObject({
      planId: 'vip',
      name: 'VIP Club',
      status: 'active',
      since: paidAt,
      paidThrough: addMonths(paidAt, 1),
      multiplierPercent: 200,
      earningMultiplierPercent: 200,
      perks: 'Free shipping',
    });
    // 99 DKK at 1 point per DKK, doubled by the membership this very order bought.
    expect(joined.points.pending).toBe(198);

    // A later order earns double too.
    await sendCustomOrder(
      stack,
      shop,
      order({ id: randomId('o'), customer, total: '50.00', createdAt: paidAt, sku: 'MUG' }),
    );
    expect((await read(customer.id)).points.pending).toBe(298);

    await sweep();
    await sweep();
    expect(await subjects(email)).toEqual(['Welcome to VIP Club at Test Shop']);

    // The next payment renews from the end of the paid period; no second join e-mail.
    const renewalId = randomId('o');
    const renewal = order({ id: renewalId, customer, total: '99.00', createdAt: paidAt });
    await sendCustomOrder(stack, shop, renewal);
    await sendCustomOrder(stack, shop, renewal);
    const renewed = (await read(customer.id)).membership;
    expect(renewed).toMatchObject({ status: 'active', since: paidAt, paidThrough: addMonths(paidAt, 2) });

    // Refunding the renewal takes its month back.
    await sendCustomOrder(stack, shop, refunded(renewalId, customer, paidAt));
    const paidThrough = addMonths(paidAt, 1);
    expect((await read(customer.id)).membership).toMatchObject({ status: 'active', paidThrough });

    try {
      // Eight days before the end: nothing yet. Six days before: one renewal-due e-mail, however often the job runs.
      for (const [days, want] of [
        [-8, 0],
        [-6, 1],
        [-5, 1],
      ] as const) {
        const at = addDays(paidThrough, days);
        travel(at);
        const summary = await daily(at.slice(0, 10));
        expect(summary.result.membershipRenewalsDue).toBe(days === -6 ? 1 : 0);
        await sweepAfter(at);
        expect((await subjects(email)).filter((s) => /renewal/.test(s))).toHaveLength(want);
      }
      // Within the grace days it is still active; after them the daily job lapses it, once.
      travel(addDays(paidThrough, 2));
      await daily(addDays(paidThrough, 2).slice(0, 10));
      expect((await read(customer.id)).membership.status).toBe('active');
      for (const days of [4, 5]) {
        const at = addDays(paidThrough, days);
        travel(at);
        await daily(at.slice(0, 10));
        await sweepAfter(at);
      }
      const lapsed = await read(customer.id);
      expect(lapsed.membership).toMatchObject({
        status: 'lapsed',
        endedAt: addDays(paidThrough, 3),
        earningMultiplierPercent: 100,
      });
      expect(await subjects(email)).toEqual([
        'Welcome to VIP Club at Test Shop',
        'Your VIP Club membership at Test Shop is due for renewal',
        'Your VIP Club membership at Test Shop has ended',
      ]);
    } finally {
      setRuntime({ ...runtime(), clock: systemClock });
    }
  });

  it('is cancelled when its only payment is refunded', async () => {
    const customer = { id: randomId('c'), email: `${randomId('m')}@example.com` };
    const id = randomId('o');
    const at = new Date().toISOString();
    await sendCustomOrder(stack, shop, order({ id, customer, total: '99.00', createdAt: at }));
    expect((await read(customer.id)).membership.status).toBe('active');
    await sendCustomOrder(stack, shop, refunded(id, customer, at));
    const after = await read(customer.id);
    expect(after.membership).toMatchObject({ status: 'cancelled', earningMultiplierPercent: 100, perks: '' });
    expect(after.points.pending).toBe(0);
  });

  it('shows in the storefront me view of a signed-in member', async () => {
    const sub = randomId('c');
    const at = new Date().toISOString();
    await sendCustomOrder(
      stack,
      shop,
      order({ id: randomId('o'), customer: { id: sub }, total: '99.00', createdAt: at }),
    );
    const now = Math.floor(Date.now() / 1000);
    const customerToken = await new SignJWT({ sub, iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(shop.storefrontSecret));
    const headers = { origin: 'https://shop.example.com' };
    const session = await stack.api('POST', `/storefront/${shop.shop.id}/session`, {
      body: { customerToken },
      headers,
    });
    expect(session.status, session.text).toBe(200);
    const res = await stack.api('GET', `/storefront/${shop.shop.id}/me?locale=da`, {
      key: session.json.sessionToken,
      headers,
    });
    expect(res.status, res.text).toBe(200);
    expect(meViewSchema.parse(res.json).membership).toEqual({
      planId: 'vip',
      name: 'VIP Club',
      status: 'active',
      since: at,
      paidThrough: addMonths(at, 1),
      endedAt: null,
      multiplierPercent: 200,
      earningMultiplierPercent: 200,
      perks: 'Free shipping',
    });
  });

  it('shows in the storefront program read', async () => {
    const r = await stack.api('GET', `/storefront/${shop.shop.id}/program?locale=en`);
    expect(r.status).toBe(200);
    expect(r.json.membership).toEqual({
      stacking: 'multiply',
      plans: [{ id: 'vip', name: 'VIP Club', periodMonths: 1, multiplierPercent: 200, perks: 'Free shipping' }],
    });
  });
});

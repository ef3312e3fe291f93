import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * `GET …/stats/overview` through the gateway (docs/console.md, "Statistics"): KPIs from the
 * daily counters and running totals kept from the table stream, distributions from the totals
 * and the nightly run history, each checked against what the other routes say.
 */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;
beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({ currency: 'DKK', timezone: 'UTC' });
  other = await stack.createShop();
});
afterAll(() => stack?.close());

const yesterday = new Date(Date.now() - 86_400_000).toISOString();
const order = (id: string, customer: string, total: string) =>
  customOrderBody({ id, customer: { id: customer, email: `${customer}@example.com` }, total, createdAt: yesterday });
const send = (body: string) => sendCustomOrder(stack, shop, body);
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  stack.api('POST', `/admin/shops/${shop.shop.id}${path}`, { key: shop.apiKey, body, headers });
const get = (path: string, key = shop.apiKey) => stack.api('GET', `/admin/shops/${shop.shop.id}${path}`, { key });

describe('GET /admin/shops/{shopId}/stats/overview', () => {
  it('gives the KPIs of the period and the one before, and the distributions', async () => {
    await send(order('o1', 'ann', '100.00'));
    await send(order('o2', 'ann', '40.00'));
    await send(order('o3', 'bo', '60.00'));
    // Points to spend: an adjustment (issued), then a 500-point discount code (redeemed).
    expect((await post('/customers/ann/adjustments', { points: 1000, reason: 'welcome gift' })).status).toBeLessThan(
      300,
    );
    const redeemed = await post('/customers/ann/redemptions', { rewardId: 'five-off' }, { 'idempotency-key': 'r-1' });
    expect(redeemed.status, redeemed.text).toBeLessThan(300);
    for (const [ref, score] of [
      ['ann', 10],
      ['bo', 9],
      ['ann', 3],
    ] as const)
      expect((await post(`/customers/${ref}/nps`, { score })).status).toBeLessThan(300);
    const run = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/nightly?wait=true`, {
      key: shop.apiKey,
      body: { asOf: new Date().toISOString().slice(0, 10) },
    });
    expect(run.status, run.text).toBe(200);

    const r = await get('/stats/overview?days=7');
    expect(r.status, r.text).toBe(200);
    const o = r.json;
    expect(o).toMatchObject({ shopId: shop.shop.id, currency: 'DKK', timezone: 'UTC', days: 7 });
    expect(o.period.to).toBe(new Date().toISOString().slice(0, 10));
    const k = o.kpis;
    expect(k.members).toEqual({ value: 2, previous: null });
    expect(k.active90.value).toBe(2);
    // Ann has two orders, Bo one.
    expect(k.repeatPurchaseRate.value).toBe(0.5);
    // Ann's second order is a member's; her first and Bo's only one are not.
    expect(k.memberRevenue).toEqual({ value: 4000, previous: 0 });
    expect(k.nonMemberRevenue).toEqual({ value: 16000, previous: 0 });
    expect(k.referredRevenue).toEqual({ value: 0, previous: 0 });
    // (2 promoters − 1 detractor) / 3 answers.
    expect(k.nps).toEqual({ value: 33.33, previous: null });

    const customer = async (ref: string) => (await get(`/customers/${ref}?limit=100`)).json;
    const [ann, bo] = [await customer('ann'), await customer('bo')];
    const outstanding = [ann, bo].reduce((s, c) => s + c.points.balance + c.points.pending, 0);
    // The default catalogue's cheapest reward: 500 points for 500 øre, 1 øre a point.
    expect(k.pointsLiability).toEqual({
      value: { points: outstanding, amount: outstanding, currency: 'DKK' },
      previous: null,
    });
    const issued = [ann, bo]
      .flatMap((c) => c.ledger as { type: string; points: { available: number; pending: number } }[])
      .filter((e) => e.type === 'earn' || e.type === 'adjust')
      .reduce((s, e) => s + e.points.available + e.points.pending, 0);
    expect(k.redemptionRate.value).toBe(Math.round((500 / issued) * 10_000) / 10_000);
    expect(k.redemptionRate.previous).toBeNull();

    const d = o.distributions;
    expect(d.tiers.reduce((s: number, t: { customers: number }) => s + t.customers, 0)).toBe(2);
    // In the program's order with names; a customer who never changed tier counts on the first level.
    expect(d.tiers.map((t: { name: string }) => t.name)).toEqual(
      shop.shop.program.tiers.levels.map((l: { name: string }) => l.name),
    );
    expect(d.churnRisk).toHaveLength(10);
    expect(d.churnRisk.reduce((s: number, b: { customers: number }) => s + b.customers, 0)).toBe(2);
    expect(d.segments).toHaveLength(1);
    expect(d.segments[0].segments).toEqual(run.json.result.segments);
    const sizes = Object.fromEntries(
      Object.entries(run.json.result.segments as Record<string, number>).filter(([, n]) => n > 0),
    );
    expect(d.segmentsNow).toEqual(sizes);
    expect(o.asOf.segments).toBe(run.json.result.asOf);
    expect(d.emails).toEqual((await get(`/emails/stats?from=${o.period.from}&to=${o.period.to}`)).json);

    // The daily route agrees: the same counters, by day.
    const daily = (await get(`/stats/daily?from=${o.period.from}&to=${o.period.to}`)).json.days as {
      memberRevenue: number;
      pointsRedeemed: number;
      rewardsRedeemed: Record<string, number>;
    }[];
    expect(daily.reduce((s, x) => s + x.memberRevenue, 0)).toBe(4000);
    expect(daily.reduce((s, x) => s + x.pointsRedeemed, 0)).toBe(500);
    expect(daily.reduce((s, x) => s + (x.rewardsRedeemed.discount_code ?? 0), 0)).toBe(1);

    // A run as of the previous period gives the state KPIs their previous value.
    const earlier = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/nightly?wait=true`, {
      key: shop.apiKey,
      body: { asOf: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10) },
    });
    expect(earlier.status, earlier.text).toBe(200);
    const again = (await get('/stats/overview?days=7')).json.kpis;
    expect(again.repeatPurchaseRate.previous).toBe(earlier.json.result.metrics.repeatPurchaseRate);
    expect(again.pointsLiability.previous).toEqual({
      points: earlier.json.result.metrics.pointsLiability.points,
      amount: earlier.json.result.metrics.pointsLiability.valueMinor,
      currency: 'DKK',
    });
    expect(again.members.previous).toBeNull();
  });

  it('refuses a bad query and another shop’s key', async () => {
    const bad = await get('/stats/overview?days=3');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
    expect((await get('/stats/overview?days=366')).status).toBe(400);
    expect((await get('/stats/overview?weeks=2')).status).toBe(400);
    expect((await get('/stats/overview', other.apiKey)).status).toBe(403);
  });
});

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meViewSchema, programViewSchema, redemptionResponseSchema } from '../../shared/schemas/storefront';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { startTestStack, type ApiResponse, type CreatedShop, type TestStack } from '../support/stack';

/**
 * Exclusive rewards through the gateway on DynamoDB Local (docs/rewards.md): a stock-limited
 * experience never oversold however many customers race for it, per-customer limits under racing
 * keys, replays after the stock ran out, tier-gated rewards, and the stock as the admin and the
 * storefront read it.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const origin = 'https://shop.example.com';

const exclusive = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  name: `Exclusive ${id}`,
  type: 'experience',
  pointsCost: 300,
  valueMinor: 0,
  description: 'Early access to the winter collection',
  startsAt: '2026-12-24T18:00:00+01:00',
  ...over,
});

const rewards = [
  exclusive('last-one', { stock: 2 }),
  exclusive('five-left', { stock: 5 }),
  exclusive('twice', { type: 'product', productId: 'P-9', sku: 'MUG-GOLD', perCustomerLimit: 2, pointsCost: 100 }),
  exclusive('gold-only', { requires: { tier: 'gold' }, pointsCost: 100 }),
];

/** Customers c0…c(n-1), each bought once and was given 1000 spendable points. */
const withCustomers = async (shop: CreatedShop, n: number) => {
  for (let i = 0; i < n; i++) {
    const at = new Date().toISOString();
    await sendCustomOrder(
      stack,
      shop,
      customOrderBody({
        id: `o-${i}`,
        customer: { id: `c${i}`, email: `c${i}@example.com` },
        total: '10.00',
        createdAt: at,
      }),
    );
    const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/c${i}/adjustments`, {
      key: shop.apiKey,
      body: { points: 1000, reason: 'test balance' },
    });
    expect(r.status, r.text).toBe(201);
  }
};

const redeem = (shop: CreatedShop, cust: string, rewardId: string, key: string) =>
  stack.api('POST', `/admin/shops/${shop.shop.id}/customers/${cust}/redemptions`, {
    key: shop.apiKey,
    body: { rewardId },
    headers: { 'idempotency-key': key },
  });

const balance = async (shop: CreatedShop, cust: string): Promise<number> => {
  const r = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${cust}`, { key: shop.apiKey });
  expect(r.status).toBe(200);
  return r.json.points.balance as number;
};

const stockOf = async (shop: CreatedShop, rewardId: string) => {
  const r = await stack.api('GET', `/admin/shops/${shop.shop.id}/rewards`, { key: shop.apiKey });
  expect(r.status).toBe(200);
  return (r.json.rewards as { id: string; redeemed: number | null; remaining: number | null }[]).find(
    (x) => x.id === rewardId,
  )!;
};

const codes = (all: ApiResponse[]) => all.map((r) => (r.status === 201 ? 'created' : r.json?.error?.code));
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe('stock-limited rewards under concurrency', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ program: { rewards } });
    await withCustomers(shop, 21);
  });

  it('20 customers racing for the last one: one gets it, 19 are refused out_of_stock and keep their points', async () => {
    // One of the two is gone already: one left.
    expect((await redeem(shop, 'c20', 'last-one', 'first')).status).toBe(201);
    expect(await stockOf(shop, 'last-one')).toMatchObject({ redeemed: 1, remaining: 1 });
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(shop, `c${i}`, 'last-one', `race-${i}`)));
    const outcome = codes(all);
    expect(count(outcome, 'created'), outcome.join()).toBe(1);
    expect(count(outcome, 'out_of_stock'), outcome.join()).toBe(19);
    for (const r of all.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.json.error.details).toEqual({ rewardId: 'last-one', stock: 2 });
    }
    expect(await stockOf(shop, 'last-one')).toMatchObject({ redeemed: 2, remaining: 0 });
    const winner = all.findIndex((r) => r.status === 201);
    const balances = await Promise.all(Array.from({ length: 20 }, (_, i) => balance(shop, `c${i}`)));
    expect(balances).toEqual(balances.map((_, i) => (i === winner ? 700 : 1000)));

    // The winner's key after the stock ran out: the first answer, not a refusal.
    const replay = await redeem(shop, `c${winner}`, 'last-one', `race-${winner}`);
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(all[winner]!.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const body = redemptionResponseSchema.parse(replay.json);
    expect(body.redemption).toMatchObject({
      type: 'experience',
      description: 'Early access to the winter collection',
      startsAt: '2026-12-24T18:00:00+01:00',
    });
    expect(body.redemption.code).toMatch(/^BMR-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it('20 customers racing for a stock of 5: exactly 5 get one', async () => {
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) => redeem(shop, `c${i}`, 'five-left', `five-${i}`)),
    );
    const outcome = codes(all);
    expect(count(outcome, 'created'), outcome.join()).toBe(5);
    expect(count(outcome, 'out_of_stock'), outcome.join()).toBe(15);
    expect(await stockOf(shop, 'five-left')).toMatchObject({ redeemed: 5, remaining: 0 });
    const codesGiven = all.filter((r) => r.status === 201).map((r) => r.json.redemption.code);
    expect(new Set(codesGiven).size).toBe(5);
  });
});

describe('per-customer limits and gates', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ program: { rewards } });
    await withCustomers(shop, 1);
  });

  it('holds the per-customer limit when one customer sends 10 different keys at once', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => redeem(shop, 'c0', 'twice', `twice-${i}`)));
    const outcome = codes(all);
    expect(count(outcome, 'created'), outcome.join()).toBe(2);
    expect(count(outcome, 'reward_limit_reached'), outcome.join()).toBe(8);
    expect(all.find((r) => r.status === 409)!.json.error.details).toEqual({ rewardId: 'twice', limit: 2 });
    expect(await balance(shop, 'c0')).toBe(800);
    expect(all.find((r) => r.status === 201)!.json.redemption).toMatchObject({
      type: 'product',
      productId: 'P-9',
      sku: 'MUG-GOLD',
    });
  });

  it('refuses a tier-gated reward with 403 reward_locked naming the tier, spending nothing', async () => {
    const r = await redeem(shop, 'c0', 'gold-only', 'gold-1');
    expect(r.status).toBe(403);
    expect(r.json.error).toMatchObject({
      code: 'reward_locked',
      details: { rewardId: 'gold-only', requires: { tier: 'gold' } },
    });
    expect(await balance(shop, 'c0')).toBe(800);
  });

  it('shows stock, locks and the customer’s limit in the storefront reads, in Danish too', async () => {
    const program = await stack.api('GET', `/storefront/${shop.shop.id}/program?locale=da`, { headers: { origin } });
    expect(program.status).toBe(200);
    const view = programViewSchema.parse(program.json);
    expect(view.rewards.find((r) => r.id === 'last-one')).toMatchObject({
      remaining: 2,
      soldOut: false,
      availabilityText: '2 tilbage',
    });
    expect(view.rewards.find((r) => r.id === 'gold-only')).toMatchObject({
      requires: { tier: 'gold', membership: null },
      requiresText: 'Kun for Gold-niveau og derover',
    });
    const session = await stack.api('POST', `/storefront/${shop.shop.id}/session`, {
      body: {
        customerToken: await new SignJWT({ sub: 'c0', iat: Math.floor(Date.now() / 1000) })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(shop.storefrontSecret)),
      },
      headers: { origin },
    });
    expect(session.status, session.text).toBe(200);
    const me = await stack.api('GET', `/storefront/${shop.shop.id}/me?locale=en`, {
      key: session.json.sessionToken,
      headers: { origin },
    });
    const mine = meViewSchema.parse(me.json).rewards;
    expect(mine.find((r) => r.id === 'twice')).toMatchObject({
      remainingForCustomer: 0,
      perCustomerText: 'You can redeem 0 more (limit 2 per customer)',
      redeemable: false,
    });
    expect(mine.find((r) => r.id === 'gold-only')).toMatchObject({
      locked: { tier: 'gold' },
      lockedText: 'For Gold tier and above',
      affordable: true,
      redeemable: false,
    });
    expect(mine.find((r) => r.id === 'last-one')).toMatchObject({ locked: null, redeemable: true, remaining: 2 });
    const refused = await stack.api('POST', `/storefront/${shop.shop.id}/me/redemptions`, {
      key: session.json.sessionToken,
      body: { rewardId: 'gold-only' },
      headers: { origin, 'idempotency-key': 'sf-gold' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('reward_locked');
  });

  it('refuses a program whose reward needs a tier or plan that does not exist, changing nothing', async () => {
    const r = await stack.api('PATCH', `/admin/shops/${shop.shop.id}`, {
      key: shop.apiKey,
      body: { program: { rewards: [exclusive('vip', { requires: { tier: 'platinum', membership: 'club' } })] } },
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json.error.details)).toContain('program.rewards.0.requires.tier');
    expect(JSON.stringify(r.json.error.details)).toContain('program.rewards.0.requires.membership');
    const after = await stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: shop.apiKey });
    expect(after.json.shop.program.rewards.map((x: { id: string }) => x.id)).toEqual(rewards.map((x) => x.id));
  });

  it('lets only the shop itself read its reward stock', async () => {
    const other = await stack.createShop();
    const r = await stack.api('GET', `/admin/shops/${shop.shop.id}/rewards`, { key: other.apiKey });
    expect([403, 404]).toContain(r.status);
    const mine = await stack.api('GET', `/admin/shops/${shop.shop.id}/rewards`, { key: shop.apiKey });
    expect(mine.json.rewards.find((x: { id: string }) => x.id === 'twice')).toMatchObject({
      redeemed: null,
      remaining: null,
      perCustomerLimit: 2,
    });
  });
});

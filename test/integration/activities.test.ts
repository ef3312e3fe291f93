import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import { meViewSchema, programViewSchema } from '../../shared/schemas/storefront';
import { runtime, setRuntime } from '../../shared/wiring/runtime';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * Ways to earn beyond purchases through the local gateway (docs/engagement.md): the admin API's
 * activities exactly once per id and within limits, the storefront's self-declared claims and
 * `account_created`, and birthdays paid by the daily ledger job.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const waysToEarn = [
  { type: 'review', points: 50, limit: 'day' },
  { type: 'newsletter', points: 100, limit: 'once' },
  { type: 'social_follow:instagram', points: 20, limit: 'once', name: 'Follow @shop' },
  { type: 'birthday', points: 200, limit: 'year' },
  { type: 'account_created', points: 30, limit: 'once' },
  { type: 'webinar', points: 10, limit: 'unlimited', enabled: false },
];

const shopWithBuyer = async (): Promise<CreatedShop> => {
  const shop = await stack.createShop({ program: { waysToEarn } });
  await sendCustomOrder(
    stack,
    shop,
    customOrderBody({
      id: 'A-1',
      customer: { id: 'cust-1', email: 'ann@example.com', firstName: 'Ann' },
      total: '10.00',
      createdAt: new Date().toISOString(),
    }),
  );
  return shop;
};

const post = (shop: CreatedShop, body: unknown, ref = 'cust-1', key = shop.apiKey) =>
  stack.api('POST', `/admin/shops/${shop.shop.id}/customers/${ref}/activities`, { key, body });

const balance = async (shop: CreatedShop, ref = 'cust-1') =>
  (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${ref}`, { key: shop.apiKey })).json.points
    .balance as number;

const now = () => new Date().toISOString();

describe('admin activities', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await shopWithBuyer();
  });

  it('awards once per id, records a second review of the day without points, and lists the timeline', async () => {
    const before = await balance(shop);
    const review = { id: 'rev-1', type: 'review', occurredAt: now(), properties: { productId: 'MUG', stars: 5 } };
    const first = await post(shop, review);
    expect(first.status, first.text).toBe(201);
    expect(first.json.activity).toMatchObject({ id: 'rev-1', status: 'awarded', points: 50, source: 'api' });
    const replay = await post(shop, review);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const second = await post(shop, { ...review, id: 'rev-2' });
    expect(second.status).toBe(200);
    expect(second.json.activity).toMatchObject({ status: 'not_awarded', reason: 'limit_reached', points: 0 });
    const off = await post(shop, { id: 'web-1', type: 'webinar', occurredAt: now() });
    expect(off.json.activity).toMatchObject({ status: 'not_awarded', reason: 'disabled' });
    const custom = await post(shop, { id: 'x-1', type: 'wrote_poem', occurredAt: now() });
    expect(custom.json.activity).toMatchObject({ status: 'not_awarded', reason: 'not_configured' });
    expect(await balance(shop)).toBe(before + 50);

    const reused = await post(shop, { ...review, type: 'newsletter' });
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe('idempotency_key_reused');

    const list = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/cust-1/activities?limit=2`, {
      key: shop.apiKey,
    });
    expect(list.status).toBe(200);
    expect(list.json.activities).toHaveLength(2);
    const rest = await stack.api(
      'GET',
      `/admin/shops/${shop.shop.id}/customers/cust-1/activities?limit=10&cursor=${list.json.nextCursor}`,
      { key: shop.apiKey },
    );
    const ids = [...list.json.activities, ...rest.json.activities].map((a: { id: string }) => a.id);
    expect(new Set(ids)).toEqual(new Set(['rev-1', 'rev-2', 'web-1', 'x-1']));
    expect(rest.json.nextCursor).toBeNull();
    const bad = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/cust-1/activities?cursor=nonsense`, {
      key: shop.apiKey,
    });
    expect(bad.status).toBe(400);
  });

  it('refuses a bad type, a bad body, the future, an unknown customer and another shop, writing nothing', async () => {
    const before = await balance(shop);
    const badType = await post(shop, { id: 'b-1', type: 'has space', occurredAt: now() });
    expect(badType.status).toBe(400);
    expect(badType.json.error.code).toBe('validation_failed');
    expect(JSON.stringify(badType.json.error.details)).toContain('type');
    const extra = await post(shop, { id: 'b-2', type: 'review', occurredAt: now(), points: 1000 });
    expect(extra.status).toBe(400);
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]));
    expect((await post(shop, { id: 'b-3', type: 'review', occurredAt: now(), properties: tooMany })).status).toBe(400);
    expect((await post(shop, { id: 'b 4', type: 'review', occurredAt: now() })).status).toBe(400);
    const noOffset = await post(shop, { id: 'b-5', type: 'review', occurredAt: '2026-01-01T10:00:00' });
    expect(noOffset.status).toBe(400);
    const future = await post(shop, {
      id: 'b-6',
      type: 'review',
      occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.json.error.code).toBe('occurred_in_future');
    const nobody = await post(shop, { id: 'b-7', type: 'review', occurredAt: now() }, 'nobody');
    expect(nobody.status).toBe(404);
    const other = await stack.createShop();
    const foreign = await post(shop, { id: 'b-8', type: 'review', occurredAt: now() }, 'cust-1', other.apiKey);
    expect([403, 404]).toContain(foreign.status);
    expect(await balance(shop)).toBe(before);
    const list = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/cust-1/activities?limit=50`, {
      key: shop.apiKey,
    });
    expect(list.json.activities.map((a: { id: string }) => a.id).filter((id: string) => id.startsWith('b'))).toEqual(
      [],
    );
  });

  it('awards exactly one of 20 concurrent activities in one day-limited period', async () => {
    const fresh = await shopWithBuyer();
    const before = await balance(fresh);
    const at = now();
    // A caller told `busy` (503: the customer is being changed by the others) sends the same again.
    const persistent = async (body: unknown) => {
      for (;;) {
        const r = await post(fresh, body);
        if (r.status !== 503) return r;
      }
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => persistent({ id: `race-${i}`, type: 'review', occurredAt: at })),
    );
    for (const r of results) expect([200, 201], r.text).toContain(r.status);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.json.activity.reason === 'limit_reached')).toHaveLength(19);
    expect(await balance(fresh)).toBe(before + 50);
  });
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const origin = 'https://shop.example.com';

const signIn = async (shop: CreatedShop, sub = 'cust-1'): Promise<string> => {
  const iat = Math.floor(Date.now() / 1000);
  const customerToken = await new SignJWT({ sub, iat, exp: iat + 300 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(utf8(shop.storefrontSecret));
  const res = await stack.api('POST', `/storefront/${shop.shop.id}/session`, {
    body: { customerToken },
    headers: { origin },
  });
  expect(res.status, res.text).toBe(200);
  return res.json.sessionToken as string;
};

describe('storefront ways to earn', () => {
  it('shows the ways to earn, pays account_created at the first session, and claims self-declared ones once', async () => {
    const shop = await shopWithBuyer();
    const program = programViewSchema.parse(
      (await stack.api('GET', `/storefront/${shop.shop.id}/program?locale=da`, { headers: { origin } })).json,
    );
    expect(program.waysToEarn.map((w) => w.type)).toEqual([
      'review',
      'newsletter',
      'social_follow:instagram',
      'birthday',
      'account_created',
    ]);
    expect(program.waysToEarn.find((w) => w.type === 'newsletter')).toEqual({
      type: 'newsletter',
      name: 'Tilmeld dig vores nyhedsbrev',
      points: 100,
      limit: 'once',
      selfDeclared: true,
      url: null,
    });
    expect(program.waysToEarn.find((w) => w.type === 'social_follow:instagram')?.name).toBe('Follow @shop');
    expect(program.waysToEarn.find((w) => w.type === 'review')?.selfDeclared).toBe(false);

    const before = await balance(shop);
    const token = await signIn(shop);
    await signIn(shop);
    expect(await balance(shop)).toBe(before + 30);

    const claim = (body: unknown) =>
      stack.api('POST', `/storefront/${shop.shop.id}/me/activities`, {
        body,
        headers: { origin, authorization: `Bearer ${token}` },
      });
    const [a, b] = await Promise.all([claim({ type: 'newsletter' }), claim({ type: 'newsletter' })]);
    expect([a.status, b.status].sort()).toEqual([201, 201]);
    expect(a.headers.get('access-control-allow-origin')).toBe(origin);
    const again = await claim({ type: 'newsletter' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await balance(shop)).toBe(before + 30 + 100);

    expect((await claim({ type: 'review' })).json.error.code).toBe('not_self_declared');
    expect((await claim({ type: 'review' })).status).toBe(403);
    const notOffered = await claim({ type: 'social_follow:tiktok' });
    expect(notOffered.status).toBe(400);
    expect(notOffered.json.error.code).toBe('not_offered');
    expect((await claim({ type: 'birthday' })).json.error.code).toBe('birthday_required');
    expect((await claim({ type: 'birthday', properties: { date: '02-30' } })).status).toBe(400);
    const birthday = await claim({ type: 'birthday', properties: { date: '02-29' } });
    expect(birthday.status).toBe(200);
    expect(birthday.json.activity).toMatchObject({ status: 'not_awarded', reason: 'scheduled' });
    const changed = await claim({ type: 'birthday', properties: { date: '03-01' } });
    expect(changed.status).toBe(409);
    expect(changed.json.error.code).toBe('birthday_already_set');
    expect(await balance(shop)).toBe(before + 30 + 100);

    const me = meViewSchema.parse(
      (
        await stack.api('GET', `/storefront/${shop.shop.id}/me`, {
          headers: { origin, authorization: `Bearer ${token}` },
        })
      ).json,
    );
    expect(me.birthday).toBe('02-29');
    expect(me.waysToEarn).toEqual([
      { type: 'review', done: false, claimable: false },
      { type: 'newsletter', done: true, claimable: false },
      { type: 'social_follow:instagram', done: false, claimable: true },
      { type: 'birthday', done: true, claimable: false },
      { type: 'account_created', done: true, claimable: false },
    ]);
    // The hosted page (no script) lists the ways to earn; claiming them is the widget's.
    const page = await stack.api('GET', `/p/${shop.shop.id}?locale=da`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-way="newsletter"');
    expect(page.text).toContain('Tilmeld dig vores nyhedsbrev');
    expect(page.text).not.toContain('data-way="webinar"');
    const preflight = await stack.api('OPTIONS', `/storefront/${shop.shop.id}/me/activities`, { headers: { origin } });
    expect(preflight.status).toBe(204);
  });

  it('pays account_created to a signed-in customer who never bought', async () => {
    const shop = await stack.createShop({ program: { waysToEarn } });
    await signIn(shop, 'new-9');
    expect(await balance(shop, 'new-9')).toBe(30);
  });
});

describe('birthdays', () => {
  it('are paid by the daily job on the day, once, however often it runs', async () => {
    const shop = await shopWithBuyer();
    const today = new Date();
    const inTwoDays = new Date(today.getTime() + 2 * 86_400_000);
    const mmdd = inTwoDays.toISOString().slice(5, 10);
    const set = await post(shop, { id: 'bd', type: 'birthday', occurredAt: now(), properties: { date: mmdd } });
    expect(set.status).toBe(200);
    expect(set.json.activity.reason).toBe('scheduled');
    const bad = await post(shop, { id: 'bd2', type: 'birthday', occurredAt: now(), properties: { date: '13-01' } });
    expect(bad.status).toBe(400);
    const before = await balance(shop);

    const asOf = inTwoDays.toISOString().slice(0, 10);
    const rt = runtime();
    const run = async (at: string, day: string) => {
      setRuntime({ ...rt, clock: fixedClock(at) });
      try {
        const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
          key: shop.apiKey,
          body: { asOf: day },
        });
        expect(r.status, r.text).toBe(200);
        return r.json.result;
      } finally {
        setRuntime(rt);
      }
    };
    // Noon UTC is afternoon in Copenhagen, on the birthday.
    expect(await run(`${asOf}T12:00:00Z`, asOf)).toMatchObject({ birthdays: 1 });
    expect(await run(`${asOf}T13:00:00Z`, asOf)).toMatchObject({ birthdays: 0 });
    expect(await run(`${asOf}T23:50:00Z`, asOf)).toMatchObject({ birthdays: 0 });
    expect(await balance(shop)).toBe(before + 200);
    const list = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/cust-1/activities`, {
      key: shop.apiKey,
    });
    expect(list.json.activities[0]).toMatchObject({
      id: `birthday:i.cust-1:${asOf.slice(0, 4)}`,
      type: 'birthday',
      status: 'awarded',
      points: 200,
      source: 'system',
    });
  });
});

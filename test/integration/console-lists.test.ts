import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customOrderBody, sendCustomOrder, type CustomOrder } from '../support/custom-orders';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * The console's lists through the gateway: the referral review queue (`GET …/referrals`) and
 * the nightly run history (`GET …/jobs`), with bad queries and another shop's key.
 */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;
beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({ platform: 'custom', currency: 'EUR' });
  other = await stack.createShop();
});
afterAll(() => stack?.close());

const order = (o: Omit<CustomOrder, 'total'>) => customOrderBody({ currency: 'EUR', total: '100.00', ...o });
const send = (body: string) => sendCustomOrder(stack, shop, body);
const get = (path: string, key = shop.apiKey, shopId = shop.shop.id) =>
  stack.api('GET', `/admin/shops/${shopId}${path}`, { key });

describe('GET /admin/shops/{shopId}/referrals', () => {
  it('lists held referrals newest first, each reason in words, with both customers and the order', async () => {
    await send(
      order({
        id: 'anna-own',
        customer: { id: 'anna', email: 'anna@example.com' },
        createdAt: '2026-05-01T10:00:00Z',
        street: 'Strandvejen 5',
      }),
    );
    const code = (await get('/customers/anna')).json.referral.code as string;
    // Ships to Anna's address: held for review.
    await send(
      order({
        id: 'ben-1',
        customer: { id: 'ben', email: 'ben@example.com' },
        createdAt: '2026-05-02T10:00:00Z',
        discountCodes: [code],
        street: 'Strandvejen 5',
      }),
    );
    await send(
      order({
        id: 'cleo-1',
        customer: { id: 'cleo', email: 'cleo@example.com' },
        createdAt: '2026-05-03T10:00:00Z',
        discountCodes: [code],
        street: 'Strandvejen 5',
      }),
    );
    // Another address: approved at once.
    await send(
      order({
        id: 'dan-1',
        customer: { id: 'dan', email: 'dan@example.com' },
        createdAt: '2026-05-04T10:00:00Z',
        discountCodes: [code],
        street: 'Nørregade 1',
      }),
    );

    const held = await get('/referrals');
    expect(held.status, held.text).toBe(200);
    const items = held.json.items as Record<string, unknown>[];
    expect(items.map((i) => (i.friend as { email: string }).email)).toEqual(['cleo@example.com', 'ben@example.com']);
    expect(items[1]).toMatchObject({
      referralId: 'i.ben',
      referrer: { customerId: 'i.anna', email: 'anna@example.com' },
      friend: { customerId: 'i.ben', email: 'ben@example.com' },
      status: 'held',
      order: { orderId: 'ben-1', amount: 10000, currency: 'EUR' },
    });
    const reasons = items[1]!.reasons as { code: string; message: string }[];
    expect(reasons.map((r) => r.code)).toContain('self_referral_address');
    expect(reasons.every((r) => / /.test(r.message) && r.message.length > 20)).toBe(true);
    expect(held.json.nextCursor).toBeNull();

    // A page at a time.
    const first = await get('/referrals?status=held&limit=1');
    expect(first.json.items).toHaveLength(1);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await get(`/referrals?status=held&limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((i: { referralId: string }) => i.referralId)).toEqual(['i.ben']);

    const approved = await get('/referrals?status=approved');
    expect(approved.json.items.map((i: { referralId: string }) => i.referralId)).toEqual(['i.dan']);
    expect(approved.json.items[0].reasons).toEqual([]);
  });

  it('refuses a bad query and another shop’s key', async () => {
    const bad = await get('/referrals?status=pending');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
    expect((await get('/referrals?limit=0')).status).toBe(400);
    const cursor = await get('/referrals?cursor=nonsense');
    expect(cursor.status).toBe(400);
    expect(cursor.json.error.code).toBe('invalid_cursor');
    const forbidden = await get('/referrals', other.apiKey);
    expect(forbidden.status).toBe(403);
  });
});

describe('GET /admin/shops/{shopId}/jobs', () => {
  it('lists the nightly runs newest first, with their segment sizes and exports', async () => {
    for (const asOf of ['2026-05-05', '2026-05-06']) {
      const run = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/nightly?wait=true`, {
        key: shop.apiKey,
        body: { asOf },
      });
      expect(run.status, run.text).toBe(200);
    }
    const r = await get('/jobs');
    expect(r.status, r.text).toBe(200);
    const items = r.json.items as Record<string, unknown>[];
    expect(items.map((i) => i.asOf)).toEqual(['2026-05-06', '2026-05-05']);
    expect(items[0]).toMatchObject({
      status: 'succeeded',
      trigger: 'api',
      startedAt: expect.any(String),
      completedAt: expect.any(String),
      exports: { csv: { url: expect.any(String) }, json: { url: expect.any(String) } },
    });
    const segments = items[0]!.segments as Record<string, number>;
    expect(Object.values(segments).reduce((s, n) => s + n, 0)).toBe(4);
    expect(r.json.nextCursor).toBeNull();

    const page = await get('/jobs?limit=1');
    expect(page.json.items).toHaveLength(1);
    const next = await get(`/jobs?limit=1&cursor=${page.json.nextCursor}`);
    expect(next.json.items[0].asOf).toBe('2026-05-05');
  });

  it('refuses a bad query and another shop’s key', async () => {
    const bad = await get('/jobs?limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
    expect((await get('/jobs?offset=2')).status).toBe(400);
    expect((await get('/jobs', other.apiKey)).status).toBe(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/** The audit log (docs/console.md, "Audit log") through the gateway. */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;

beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop();
  other = await stack.createShop();
});
afterAll(async () => {
  await stack?.close();
});

const log = (query = '', key = shop.apiKey) => stack.api('GET', `/admin/shops/${shop.shop.id}/audit${query}`, { key });

const order = async () => {
  const now = new Date().toISOString();
  await sendCustomOrder(
    stack,
    shop,
    customOrderBody({
      id: 'A-1',
      customer: { id: 'cust-1', email: 'ann@example.com', firstName: 'Ann' },
      total: '100.00',
      createdAt: now,
      data: { financialStatus: 'paid', paidAt: now, shipping: '0', tax: '0' },
    }),
  );
};

describe('audit log', () => {
  it('records a program edit with the diff of what changed', async () => {
    const before = (await stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: shop.apiKey })).json.shop;
    const r = await stack.api('PATCH', `/admin/shops/${shop.shop.id}`, {
      key: shop.apiKey,
      body: { name: 'Renamed shop', program: { earning: { rate: { points: 3 } } } },
    });
    expect(r.status).toBe(200);
    const entry = (await log()).json.items[0];
    expect(entry).toMatchObject({
      id: expect.any(String),
      at: expect.any(String),
      action: 'program.updated',
      actor: { kind: 'api_key', label: `shop:${shop.shop.id}` },
    });
    expect(entry.summary).toMatch(/^Changed 2 settings: /);
    expect(entry.diff).toEqual(
      expect.arrayContaining([
        { path: 'name', from: before.name, to: 'Renamed shop' },
        { path: 'program.earning.rate.points', from: before.program.earning.rate.points, to: 3 },
      ]),
    );
    expect(entry.diff).toHaveLength(2);
  });

  it('records a points adjustment with its actor and reason', async () => {
    await order();
    const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/ann@example.com/adjustments`, {
      key: stack.operatorKey,
      body: { points: 50, reason: 'goodwill' },
    });
    expect(r.status, r.text).toBe(201);
    const entry = (await log()).json.items[0];
    expect(entry).toMatchObject({
      action: 'points.adjusted',
      target: 'ann@example.com',
      summary: 'Adjusted points of ann@example.com by +50: goodwill',
      actor: { kind: 'operator', label: 'operator' },
      details: { points: 50, reason: 'goodwill' },
    });
  });

  it('records secret rotations without the secrets', async () => {
    const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/webhook-secret`, { key: shop.apiKey });
    expect(r.status).toBe(200);
    const rotated = await stack.api('POST', `/admin/shops/${shop.shop.id}/api-key`, { key: shop.apiKey });
    expect(rotated.status).toBe(200);
    shop = { ...shop, apiKey: rotated.json.apiKey as string };
    const page = await log();
    expect(page.json.items.slice(0, 2).map((i: { action: string }) => i.action)).toEqual([
      'api_key.rotated',
      'webhook_secret.rotated',
    ]);
    expect(page.text).not.toContain(r.json.webhookSecret);
    expect(page.text).not.toContain(rotated.json.apiKey);
  });

  it('pages newest first with a cursor, and filters by action', async () => {
    for (const reason of ['one', 'two', 'three'])
      await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/ann@example.com/adjustments`, {
        key: shop.apiKey,
        body: { points: 1, reason },
      });
    const all = (await log('?limit=100')).json.items as { id: string; at: string }[];
    expect(all.length).toBeGreaterThanOrEqual(7);
    const ids = all.map((i) => i.id);
    expect([...ids].sort().reverse()).toEqual(ids);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((i: { id: string }) => i.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const adjusted: string[] = [];
    cursor = null;
    do {
      const page = await log(`?action=points.adjusted&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      adjusted.push(...page.json.items.map((i: { summary: string }) => i.summary));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(adjusted).toEqual([
      'Adjusted points of ann@example.com by +1: three',
      'Adjusted points of ann@example.com by +1: two',
      'Adjusted points of ann@example.com by +1: one',
      'Adjusted points of ann@example.com by +50: goodwill',
    ]);
  });

  it('records endpoint and suppression changes, naming an endpoint by its host only', async () => {
    const path = (p: string) => `/admin/shops/${other.shop.id}${p}`;
    const key = other.apiKey;
    const created = await stack.api('POST', path('/endpoints'), {
      key,
      body: { url: 'https://hooks.example.com/in?token=s3cr3t-token', events: ['points.earned'] },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect((await stack.api('POST', path(`/endpoints/${id}/secret`), { key })).status).toBe(200);
    expect((await stack.api('PATCH', path(`/endpoints/${id}`), { key, body: { enabled: false } })).status).toBe(200);
    expect((await stack.api('DELETE', path(`/endpoints/${id}`), { key })).status).toBe(204);
    const email = encodeURIComponent('mette@example.dk');
    expect((await stack.api('PUT', path(`/suppressions/${email}`), { key, body: { scope: 'marketing' } })).status).toBe(
      200,
    );
    expect((await stack.api('DELETE', path(`/suppressions/${email}`), { key })).status).toBe(204);

    const page = await stack.api('GET', path('/audit'), { key });
    expect(page.json.items.map((i: { action: string }) => i.action)).toEqual([
      'suppression.removed',
      'suppression.added',
      'endpoint.deleted',
      'endpoint.updated',
      'endpoint.secret_rotated',
      'endpoint.created',
    ]);
    expect(page.json.items.at(-1)).toMatchObject({
      target: id,
      summary: 'Added a webhook endpoint at hooks.example.com for points.earned',
    });
    expect(page.json.items[1].summary).toBe('Stopped marketing e-mails to mette@example.dk');
    expect(page.text).not.toContain('s3cr3t-token');
    expect(page.text).not.toContain('whsec_');
  });

  it('refuses a bad query and a bad cursor with 400, and another shop’s key with 403', async () => {
    expect((await log('?limit=0')).json.error.code).toBe('validation_failed');
    expect((await log('?cursor=nonsense')).status).toBe(400);
    expect((await log('?action=DROP')).status).toBe(400);
    expect((await log('', other.apiKey)).status).toBe(403);
    expect((await stack.api('GET', `/admin/shops/${shop.shop.id}/audit`)).status).toBe(401);
  });

  it("keeps each shop's log to itself", async () => {
    const page = await stack.api('GET', `/admin/shops/${other.shop.id}/audit?action=points.adjusted`, {
      key: other.apiKey,
    });
    expect(page.status).toBe(200);
    expect(page.json).toEqual({ items: [], nextCursor: null });
  });
});

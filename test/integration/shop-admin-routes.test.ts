import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/** The operator's shop listing and the API key / webhook secret rotations (README, HTTP API). */
let stack: TestStack;
let a: CreatedShop;
let b: CreatedShop;
beforeAll(async () => {
  stack = await startTestStack();
  a = await stack.createShop();
  b = await stack.createShop();
});
afterAll(async () => {
  await stack?.close();
});

const op = () => ({ key: stack.operatorKey });

const ping = (id: string) => JSON.stringify({ id, type: 'ping', createdAt: new Date().toISOString() });
const sendPing = (shop: CreatedShop, secret: string, id: string) => {
  const body = ping(id);
  return stack.api('POST', `/webhooks/custom/${shop.shop.id}`, { body, headers: customHeaders(body, secret) });
};

describe('GET /admin/shops', () => {
  it('lists every shop without secrets, a page at a time, for the operator only', async () => {
    const first = await stack.api('GET', '/admin/shops?limit=1', op());
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(1);
    const second = await stack.api('GET', `/admin/shops?limit=1&cursor=${first.json.nextCursor}`, op());
    expect(second.status).toBe(200);
    const ids = [...first.json.items, ...second.json.items].map((s: { id: string }) => s.id).sort();
    expect(ids).toEqual([a.shop.id, b.shop.id].sort());
    const all = await stack.api('GET', '/admin/shops', op());
    expect(all.json.nextCursor).toBeNull();
    for (const k of ['apiKeyHash', '"webhookSecret"', 'storefrontSecret"', 'version'])
      expect(all.text).not.toContain(k);
  });

  it('refuses shop keys and no key (401), a bad limit or cursor (400)', async () => {
    expect((await stack.api('GET', '/admin/shops')).status).toBe(401);
    expect((await stack.api('GET', '/admin/shops', { key: a.apiKey })).status).toBe(401);
    const bad = await stack.api('GET', '/admin/shops?limit=0', op());
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toBeDefined();
    expect((await stack.api('GET', '/admin/shops?cursor=bm90LWEtY3Vyc29y', op())).status).toBe(400);
    expect((await stack.api('GET', '/admin/shops?sort=name', op())).status).toBe(400);
  });
});

describe('POST /admin/shops/{shopId}/api-key', () => {
  it('gives a new key once; the old one stops working at once; another shop cannot', async () => {
    expect((await stack.api('POST', `/admin/shops/${a.shop.id}/api-key`, { key: b.apiKey })).status).toBe(403);
    expect((await stack.api('GET', `/admin/shops/${a.shop.id}`, { key: a.apiKey })).status).toBe(200);
    const r = await stack.api('POST', `/admin/shops/${a.shop.id}/api-key`, { key: a.apiKey });
    expect(r.status).toBe(200);
    expect(r.json.apiKey).toMatch(new RegExp(`^bk_${a.shop.id}_`));
    expect(r.json.apiKeyHint).toBe(`bk_${a.shop.id}_…${r.json.apiKey.slice(-4)}`);
    expect((await stack.api('GET', `/admin/shops/${a.shop.id}`, { key: a.apiKey })).status).toBe(403);
    const now = await stack.api('GET', `/admin/shops/${a.shop.id}`, { key: r.json.apiKey });
    expect(now.status).toBe(200);
    expect(now.json.shop.apiKeyHint).toBe(r.json.apiKeyHint);
    a.apiKey = r.json.apiKey;
    expect((await stack.api('POST', '/admin/shops/no-such-shop/api-key', op())).status).toBe(404);
  });
});

describe('POST /admin/shops/{shopId}/webhook-secret', () => {
  it('gives a new secret once; the previous one verifies during its grace; another shop cannot', async () => {
    expect((await stack.api('POST', `/admin/shops/${b.shop.id}/webhook-secret`, { key: a.apiKey })).status).toBe(403);
    const r = await stack.api('POST', `/admin/shops/${b.shop.id}/webhook-secret`, op());
    expect(r.status).toBe(200);
    expect(r.json.webhookSecret).toMatch(/^whsec_/);
    expect(Date.parse(r.json.previousValidUntil)).toBeGreaterThan(Date.now());
    expect((await sendPing(b, r.json.webhookSecret, 'p-new')).status).toBe(200);
    expect((await sendPing(b, b.input.webhookSecret, 'p-old')).status).toBe(200);
    expect((await sendPing(b, 'some-other-secret', 'p-bad')).status).toBe(401);
    const shop = await stack.api('GET', `/admin/shops/${b.shop.id}`, op());
    expect(shop.text).not.toContain(r.json.webhookSecret);
  });
});

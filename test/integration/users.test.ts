import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId, sesMessages, startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/** The console's users of a shop (docs/console.md, "Users") through the gateway. */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;

beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({ locale: 'da-DK', name: 'Kaffekompagniet' });
  other = await stack.createShop({ locale: 'en-GB' });
});
afterAll(async () => {
  await stack?.close();
});

const users = (s: CreatedShop) => `/admin/shops/${s.shop.id}/users`;
const address = (name: string) => `${randomId(name)}@example.com`;

const waitForMail = async (to: string, since: number) => {
  for (let i = 0; i < 50; i++) {
    const mails = await sesMessages({ to, since });
    if (mails.length) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
};

describe('users', () => {
  let ownerId: string;
  const ownerEmail = address('ann');

  it('creates a user, mails a Danish invitation to the console, and shows it', async () => {
    const since = Date.now() / 1000 - 1;
    const created = await stack.api('POST', users(shop), {
      key: shop.apiKey,
      body: { email: ownerEmail.toUpperCase(), role: 'owner', name: 'Ann' },
    });
    expect(created.status, created.text).toBe(201);
    const user = created.json.user;
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      email: ownerEmail,
      name: 'Ann',
      role: 'owner',
      createdAt: expect.any(String),
      invitedBy: `shop:${shop.shop.id}`,
      lastSignInAt: null,
    });
    ownerId = user.id;

    const mails = await waitForMail(ownerEmail, since);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Kaffekompagniet');
    expect(mails[0]!.subject).toMatch(/inviteret/);
    expect(mails[0]!.body.text).toContain(`${stack.baseUrl}/console\n`);
    expect(mails[0]!.body.html).toContain(`href="${stack.baseUrl}/console"`);
    expect(mails[0]!.body.text).toContain(ownerEmail);

    expect((await stack.api('GET', `${users(shop)}/${ownerId}`, { key: shop.apiKey })).json.user).toEqual(user);
    expect((await stack.api('GET', users(shop), { key: stack.operatorKey })).json.items).toEqual([user]);
  });

  it('mails an English invitation for an English shop', async () => {
    const since = Date.now() / 1000 - 1;
    const to = address('ben');
    const r = await stack.api('POST', users(other), { key: stack.operatorKey, body: { email: to, role: 'support' } });
    expect(r.status).toBe(201);
    expect(r.json.user).toMatchObject({ invitedBy: 'operator', name: null, role: 'support' });
    const mails = await waitForMail(to, since);
    expect(mails[0]!.subject).toMatch(/invited/);
    expect(mails[0]!.body.text).toMatch(/sign in with your e-mail address/);
  });

  it('refuses the same address twice in a shop with 409 user_exists', async () => {
    const r = await stack.api('POST', users(shop), { key: shop.apiKey, body: { email: ownerEmail, role: 'support' } });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('user_exists');
    expect((await stack.api('GET', users(shop), { key: shop.apiKey })).json.items).toHaveLength(1);
  });

  it.each([
    ['an unknown role', { email: 'x@example.com', role: 'admin' }],
    ['an unknown field', { email: 'x@example.com', role: 'support', admin: true }],
    ['a bad address', { email: 'not-an-address', role: 'support' }],
  ])('answers 400 with details for %s and writes nothing', async (_, body) => {
    const r = await stack.api('POST', users(shop), { key: shop.apiKey, body });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('validation_failed');
    expect(r.json.error.details).toBeDefined();
    expect((await stack.api('GET', users(shop), { key: shop.apiKey })).json.items).toHaveLength(1);
  });

  it("refuses another shop's API key with 403", async () => {
    for (const [method, path] of [
      ['GET', users(shop)],
      ['POST', users(shop)],
      ['GET', `${users(shop)}/${ownerId}`],
      ['DELETE', `${users(shop)}/${ownerId}`],
      ['GET', `/admin/shops/${shop.shop.id}/audit`],
    ] as const) {
      const body = method === 'POST' ? { email: 'x@example.com', role: 'owner' } : undefined;
      const r = await stack.api(method, path, { key: other.apiKey, body });
      expect(r.status, `${method} ${path}`).toBe(403);
    }
    expect((await stack.api('GET', `${users(shop)}/${ownerId}`, { key: shop.apiKey })).status).toBe(200);
  });

  it('never demotes or removes the last owner (409 last_owner)', async () => {
    const demote = await stack.api('PATCH', `${users(shop)}/${ownerId}`, {
      key: shop.apiKey,
      body: { role: 'support' },
    });
    expect(demote.status).toBe(409);
    expect(demote.json.error.code).toBe('last_owner');
    const remove = await stack.api('DELETE', `${users(shop)}/${ownerId}`, { key: shop.apiKey });
    expect(remove.status).toBe(409);
    expect(remove.json.error.code).toBe('last_owner');
    expect((await stack.api('GET', `${users(shop)}/${ownerId}`, { key: shop.apiKey })).json.user.role).toBe('owner');
  });

  it('keeps exactly one owner when the last two are demoted at once', async () => {
    const second = await stack.api('POST', users(shop), {
      key: shop.apiKey,
      body: { email: address('cem'), role: 'owner' },
    });
    const ids = [ownerId, second.json.user.id as string];
    const results = await Promise.all(
      ids.map((id) => stack.api('PATCH', `${users(shop)}/${id}`, { key: shop.apiKey, body: { role: 'marketer' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const items = (await stack.api('GET', users(shop), { key: shop.apiKey })).json.items as { role: string }[];
    expect(items.filter((u) => u.role === 'owner')).toHaveLength(1);
  });

  it('changes a role and a name, and removes a user', async () => {
    const created = await stack.api('POST', users(shop), {
      key: shop.apiKey,
      body: { email: address('dan'), role: 'support' },
    });
    const path = `${users(shop)}/${created.json.user.id}`;
    const patched = await stack.api('PATCH', path, { key: shop.apiKey, body: { role: 'marketer', name: 'Dan' } });
    expect(patched.status).toBe(200);
    expect(patched.json.user).toMatchObject({ role: 'marketer', name: 'Dan', email: created.json.user.email });
    const empty = await stack.api('PATCH', path, { key: shop.apiKey, body: {} });
    expect(empty.status).toBe(400);
    expect((await stack.api('DELETE', path, { key: shop.apiKey })).status).toBe(204);
    expect((await stack.api('GET', path, { key: shop.apiKey })).status).toBe(404);
    expect((await stack.api('DELETE', path, { key: shop.apiKey })).status).toBe(404);
    expect((await stack.api('PATCH', path, { key: shop.apiKey, body: { name: 'X' } })).status).toBe(404);
  });

  it('records user changes in the audit log', async () => {
    const log = await stack.api('GET', `/admin/shops/${shop.shop.id}/audit?action=user.invited`, { key: shop.apiKey });
    expect(log.status).toBe(200);
    expect(log.json.items.length).toBeGreaterThanOrEqual(3);
    expect(log.json.items.at(-1)).toMatchObject({
      action: 'user.invited',
      target: ownerId,
      summary: `Invited ${ownerEmail} as owner`,
      actor: { kind: 'api_key', label: `shop:${shop.shop.id}` },
    });
    const actions = (
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/audit`, { key: shop.apiKey })).json.items as {
        action: string;
      }[]
    ).map((i) => i.action);
    expect(actions.slice(0, 3)).toEqual(['user.removed', 'user.updated', 'user.invited']);
  });
});

import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, runtime, setRuntime } from '../../shared/wiring/runtime';
import { userStore } from '../../shared/wiring/console-runtime';
import type { Role } from '../../shared/domain/console/roles';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { randomId, sesMessages, startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * Console sign-in end to end through the gateway: magic links from SES local, the session
 * cookie, CSRF, roles on shop routes, sign-out, expiry and rate limits (docs/console.md).
 */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

const emails = { owner: '', marketer: '', support: '' };

const addUser = async (shopId: string, email: string, role: Role) => {
  const ok = await userStore(runtime()).create({
    shopId,
    userId: randomId('u', 8),
    email,
    role,
    createdAt: clock.now().toISOString(),
    invitedBy: 'operator',
    version: 1,
  });
  expect(ok).toBe(true);
};

beforeAll(async () => {
  // Every request here comes from 127.0.0.1; the per-address limit has its own test in unit tests.
  process.env.BOOMERANG_CONSOLE_SIGNIN_RATE_PER_MINUTE = '10000';
  stack = await startTestStack();
  setRuntime({ ...createRuntime(), clock });
  shop = await stack.createShop();
  other = await stack.createShop();
  for (const role of ['owner', 'marketer', 'support'] as const) {
    emails[role] = `${randomId(role)}@example.com`;
    await addUser(shop.shop.id, emails[role], role);
  }
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  offsetMs = 0;
});

const request = (email: string) =>
  fetch(`${stack.baseUrl}/console/auth/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': email },
    body: JSON.stringify({ email }),
  });

const linksTo = async (email: string): Promise<string[]> =>
  (await sesMessages({ to: email })).flatMap(
    (m) => m.body.text?.match(/https?:\/\/\S+\/console\/auth\/verify\?token=[\w-]+/g) ?? [],
  );

/** Asks for a sign-in link and returns the new one from SES local. */
const newLink = async (email: string): Promise<string> => {
  const before = new Set(await linksTo(email));
  expect((await request(email)).status).toBe(202);
  for (let i = 0; i < 50; i++) {
    const link = (await linksTo(email)).find((l) => !before.has(l));
    if (link) return link;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no sign-in e-mail to ${email}`);
};

/** A new user of the shop with the role, so each test has its own rate-limit bucket. */
const freshUser = async (role: Role): Promise<string> => {
  const email = `${randomId(role)}@example.com`;
  await addUser(shop.shop.id, email, role);
  return email;
};

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
}

const signIn = async (email: string): Promise<Session> => {
  const link = await newLink(email);
  const res = await fetch(link, { redirect: 'manual' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/console');
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const me = await call({ cookie, csrf: '', setCookie }, 'GET', `/console/auth/me?shopId=${shop.shop.id}`);
  expect(me.status).toBe(200);
  return { cookie, csrf: me.body.csrfToken, setCookie };
};

const call = async (
  s: Session | undefined,
  method: string,
  path: string,
  body?: unknown,
  csrf = true,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> => {
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && csrf && s.csrf) headers['x-csrf-token'] = s.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('magic-link sign-in', () => {
  it('answers 202 alike for users and strangers, and mails only users', async () => {
    const stranger = `${randomId('nobody')}@example.com`;
    const a = await request(stranger);
    expect(a.status).toBe(202);
    const link = await newLink(emails.owner);
    expect(link).toContain('/console/auth/verify?token=');
    expect(await a.json()).toEqual({ status: 'sent' });
    expect(await sesMessages({ to: stranger })).toEqual([]);
  });

  it('a link signs in once: HttpOnly, SameSite=Strict cookie (not Secure on localhost); a second use is refused', async () => {
    const link = await newLink(emails.owner);
    expect(link.startsWith(stack.baseUrl)).toBe(true);
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^boomerang_console=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('data-error="invalid_link"');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('a link older than 15 minutes is refused', async () => {
    const link = await newLink(emails.support);
    offsetMs = 16 * 60_000;
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(400);
  });

  it('rejects a malformed body with a machine-readable 400', async () => {
    const res = await fetch(`${stack.baseUrl}/console/auth/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'not an address' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it('mails from the shop the address joined first: a later shop that adds the address cannot choose the sender', async () => {
    const email = await freshUser('owner');
    // Its id sorts before the first shop's, as the e-mail index would list it first.
    const rogue = await stack.createShop({
      id: randomId('a-rogue-'),
      senderEmail: 'login@rogue.example',
      name: 'Rogue',
    });
    offsetMs = 60_000;
    await addUser(rogue.shop.id, email, 'owner');
    await newLink(email);
    const [mail] = (await sesMessages({ to: email })).filter(
      (m) => m.subject.includes('Sign in') || m.subject.includes('Log ind'),
    );
    expect(mail!.from).toContain(shop.input.senderEmail);
    expect(mail!.from).not.toContain('rogue');
  });

  it('a stranger spending an address’s sign-in allowance from another client does not lock its user out', async () => {
    const email = await freshUser('support');
    const fromOther = () =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ email });
        const req = httpRequest(
          `${stack.baseUrl}/console/auth/request`,
          { method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const stranger: number[] = [];
    for (let i = 0; i < 6; i++) stranger.push(await fromOther());
    expect(stranger.at(-1)).toBe(429);
    expect((await request(email)).status).toBe(202);
  });

  it('rate-limits sign-in requests per e-mail address', async () => {
    const email = `${randomId('flood')}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await request(email)).status);
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('the session on shop routes', () => {
  it('me names the user, the shop, the role, its permissions and a CSRF token', async () => {
    const email = await freshUser('marketer');
    const s = await signIn(email);
    const me = await call(s, 'GET', '/console/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email },
      shops: [{ id: shop.shop.id, name: shop.shop.name, role: 'marketer' }],
      shop: { id: shop.shop.id, currency: shop.shop.currency },
      role: 'marketer',
    });
    expect(me.body.permissions).toContain('analytics:read');
    expect(me.body.permissions).not.toContain('program:write');
    expect(me.body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(Date.parse(me.body.session.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it('roles hold on the server: a marketer reads the shop but cannot change the program or manage users', async () => {
    const s = await signIn(await freshUser('marketer'));
    expect((await call(s, 'GET', `/admin/shops/${shop.shop.id}`)).status).toBe(200);
    const patch = await call(s, 'PATCH', `/admin/shops/${shop.shop.id}`, {
      program: { earning: { pointsPerUnit: 5 } },
    });
    expect(patch.status).toBe(403);
    expect(patch.body.error).toMatchObject({
      code: 'role_forbidden',
      details: { role: 'marketer', permission: 'program:write' },
    });
    expect((await call(s, 'GET', `/admin/shops/${shop.shop.id}/customers/nobody@example.com`)).status).toBe(403);
    expect((await call(s, 'POST', `/admin/shops/${shop.shop.id}/api-key`)).status).toBe(403);
    const shopAfter = await stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: shop.apiKey });
    expect(shopAfter.json.shop.program).toEqual(shop.shop.program);
  });

  it('support adjusts points only with the CSRF header, and the ledger names the user', async () => {
    const email = await freshUser('support');
    const s = await signIn(email);
    const ref = `${randomId('cust')}@example.com`;
    await sendCustomOrder(
      stack,
      shop,
      customOrderBody({
        id: `o-${ref}`,
        customer: { id: randomId('c'), email: ref },
        total: '10.00',
        createdAt: new Date().toISOString(),
      }),
    );
    const before = (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${ref}`, { key: shop.apiKey })).json;
    const path = `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}/adjustments`;
    const noCsrf = await call(s, 'POST', path, { points: 50, reason: 'goodwill' }, false);
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('csrf_failed');
    const wrongCsrf = await call({ ...s, csrf: 'x'.repeat(43) }, 'POST', path, { points: 50, reason: 'goodwill' });
    expect(wrongCsrf.body.error.code).toBe('csrf_failed');
    const ok = await call(s, 'POST', path, { points: 50, reason: 'goodwill' });
    expect(ok.status).toBe(201);
    const customer = await call(s, 'GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`);
    expect(customer.status).toBe(200);
    expect(customer.body.points.balance).toBe(before.points.balance + 50);
    expect(customer.body.ledger[0]).toMatchObject({
      points: { available: 50 },
      reason: 'goodwill',
      by: `user:${email}`,
    });
    expect((await call(s, 'GET', `/admin/shops/${shop.shop.id}/endpoints`)).status).toBe(403);
    expect((await call(s, 'GET', `/admin/shops/${shop.shop.id}/users`)).status).toBe(403);
    const audit = await stack.api('GET', `/admin/shops/${shop.shop.id}/audit?action=points.adjusted`, {
      key: shop.apiKey,
    });
    expect(audit.json.items[0]).toMatchObject({
      action: 'points.adjusted',
      actor: { kind: 'user', label: `user:${email}`, email, role: 'support' },
    });
  });

  it('a user of one shop gets 403 on another shop', async () => {
    const s = await signIn(await freshUser('owner'));
    expect((await call(s, 'GET', `/admin/shops/${other.shop.id}`)).status).toBe(403);
    expect((await call(s, 'GET', `/console/auth/me?shopId=${other.shop.id}`)).body.shop).toBeNull();
  });

  it('without a session: 401 on me and on shop routes', async () => {
    expect((await call(undefined, 'GET', '/console/auth/me')).status).toBe(401);
    const forged = {
      cookie: 'boomerang_console=forged-value-that-is-long-enough-to-look-real',
      csrf: 'x',
      setCookie: '',
    };
    expect((await call(forged, 'GET', `/admin/shops/${shop.shop.id}`)).status).toBe(401);
  });
});

describe('sign-out and expiry', () => {
  it('sign-out kills the session; its cookie no longer works', async () => {
    const s = await signIn(await freshUser('owner'));
    const out = await fetch(`${stack.baseUrl}/console/auth/logout`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await call(s, 'GET', '/console/auth/me')).status).toBe(401);
    expect((await call(s, 'GET', `/admin/shops/${shop.shop.id}`)).status).toBe(401);
  });

  it('sign-out needs the CSRF header (a cross-site form cannot sign you out)', async () => {
    const s = await signIn(await freshUser('owner'));
    expect((await call(s, 'POST', '/console/auth/logout', undefined, false)).status).toBe(403);
    expect((await call(s, 'GET', '/console/auth/me')).status).toBe(200);
  });

  it('sign-out everywhere ends every session of the address', async () => {
    const email = await freshUser('support');
    const a = await signIn(email);
    const b = await signIn(email);
    expect((await call(a, 'POST', '/console/auth/logout-all')).status).toBe(204);
    expect((await call(a, 'GET', '/console/auth/me')).status).toBe(401);
    expect((await call(b, 'GET', '/console/auth/me')).status).toBe(401);
  });

  it('a session ends after 12 idle hours, and after 7 days however active', async () => {
    const s = await signIn(await freshUser('owner'));
    offsetMs = 11 * 3600_000;
    expect((await call(s, 'GET', '/console/auth/me')).status).toBe(200);
    offsetMs = 22 * 3600_000;
    expect((await call(s, 'GET', '/console/auth/me')).status).toBe(200);
    offsetMs = 35 * 3600_000;
    expect((await call(s, 'GET', '/console/auth/me')).status).toBe(401);

    offsetMs = 0;
    const t = await signIn(await freshUser('owner'));
    for (let h = 10; h < 7 * 24; h += 10) {
      offsetMs = h * 3600_000;
      expect((await call(t, 'GET', '/console/auth/me')).status).toBe(200);
    }
    offsetMs = 7 * 24 * 3600_000 + 60_000;
    expect((await call(t, 'GET', '/console/auth/me')).status).toBe(401);
  });

  it('a removed user loses access at once', async () => {
    const email = `${randomId('gone')}@example.com`;
    await addUser(shop.shop.id, email, 'owner');
    const s = await signIn(email);
    const [u] = await userStore(runtime()).listByEmail(email);
    expect(await userStore(runtime()).delete(u!)).toBe('written');
    expect((await call(s, 'GET', `/admin/shops/${shop.shop.id}`)).status).toBe(403);
  });
});

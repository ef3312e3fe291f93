import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import { signAppProxy } from '../../shared/domain/storefront/app-proxy';
import { loyaltyPageSecretFrom, loyaltyPageToken } from '../../shared/domain/storefront/page-token';
import {
  historyPageSchema,
  meViewSchema,
  programViewSchema,
  redemptionResponseSchema,
  sessionResponseSchema,
} from '../../shared/schemas/storefront';
import { runtime, setRuntime } from '../../shared/wiring/runtime';
import { customHeaders, sampleShopifyShop } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * The storefront API through the local gateway, on DynamoDB Local: sessions from customer
 * tokens and App Proxy signatures, the customer's own read, exactly-once redemptions under a
 * race, CORS per shop, rate limits, and secret rotation.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const nowSeconds = () => Math.floor(runtime().clock.now().getTime() / 1000);

const customerToken = (secret: string, over: JWTPayload = {}, alg = 'HS256') =>
  new SignJWT({ sub: 'cust-1', email: 'ann@example.com', iat: nowSeconds(), exp: nowSeconds() + 300, ...over })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .sign(utf8(secret));

const origin = 'https://shop.example.com';

const rewards = [
  { id: 'ten-off', name: '10 off', type: 'discount_code', pointsCost: 100, valueMinor: 1000 },
  { id: 'big', name: 'Big', type: 'store_credit', pointsCost: 5000, valueMinor: 50000 },
];

/** A custom-platform shop where `cust-1` bought through a signed webhook and was given 150 points. */
const shopWithCustomer = async (over: Record<string, unknown> = {}): Promise<CreatedShop> => {
  const shop = await stack.createShop({ currency: 'EUR', program: { rewards }, ...over });
  const body = JSON.stringify({
    id: `evt-${shop.shop.id}`,
    type: 'order.paid',
    createdAt: new Date().toISOString(),
    data: {
      id: 'A-1',
      currency: 'EUR',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      financialStatus: 'paid',
      paidAt: new Date().toISOString(),
      customer: { id: 'cust-1', email: 'ann@example.com', firstName: 'Ann' },
      lines: [{ id: '1', sku: 'MUG', quantity: 2, price: '60.00' }],
      shipping: '0',
      tax: '0',
      total: '120.00',
    },
  });
  const hook = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret),
  });
  expect(hook.status, hook.text).toBe(200);
  const adjusted = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/cust-1/adjustments`, {
    key: shop.apiKey,
    body: { points: 150, reason: 'welcome' },
  });
  expect(adjusted.status).toBe(201);
  return shop;
};

const session = async (shop: CreatedShop, token?: string, headers: Record<string, string> = {}) =>
  stack.api('POST', `/storefront/${shop.shop.id}/session`, {
    body: { customerToken: token ?? (await customerToken(shop.storefrontSecret)) },
    headers: { origin, ...headers },
  });

const signIn = async (shop: CreatedShop, headers: Record<string, string> = {}): Promise<string> => {
  const res = await session(shop, undefined, headers);
  expect(res.status).toBe(200);
  return res.json.sessionToken as string;
};

describe('sessions', () => {
  let shop: CreatedShop;
  let other: CreatedShop;
  beforeAll(async () => {
    shop = await shopWithCustomer();
    other = await stack.createShop();
  });

  it('exchanges a customer token for a session bound to the shop and the customer', async () => {
    const res = await session(shop);
    expect(res.status).toBe(200);
    const body = sessionResponseSchema.parse(res.json);
    expect(body.customer).toEqual({ id: 'i.cust-1', firstName: 'Ann' });
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(25 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses forged, expired, over-long, wrong-algorithm and other-shop tokens with 401', async () => {
    const cases: [string, Promise<string>][] = [
      ['bad_signature', customerToken('not-the-secret-at-all')],
      ['expired', customerToken(shop.storefrontSecret, { iat: nowSeconds() - 1000, exp: nowSeconds() - 100 })],
      ['lifetime_too_long', customerToken(shop.storefrontSecret, { exp: nowSeconds() + 3600 })],
      ['wrong_algorithm', customerToken(shop.storefrontSecret, {}, 'HS512')],
      ['bad_signature', customerToken(other.storefrontSecret)],
    ];
    for (const [reason, token] of cases) {
      const res = await session(shop, await token);
      expect(res.status, reason).toBe(401);
      expect(res.json.error).toMatchObject({ code: 'invalid_customer_token', details: { reason } });
    }
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'cust-1', iat: nowSeconds(), exp: nowSeconds() + 60 }),
    ).toString('base64url')}.`;
    expect((await session(shop, none)).json.error).toMatchObject({
      code: 'invalid_customer_token',
      details: { reason: 'wrong_algorithm' },
    });
  });

  it("does not let one shop's session, nor a customer token, pass as a session", async () => {
    const sessionToken = await signIn(shop);
    const here = await stack.api('GET', `/storefront/${shop.shop.id}/me`, { key: sessionToken, headers: { origin } });
    expect(here.status).toBe(200);
    const there = await stack.api('GET', `/storefront/${other.shop.id}/me`, { key: sessionToken, headers: { origin } });
    expect(there.status).toBe(401);
    expect(there.json.error.code).toBe('invalid_session');
    const raw = await customerToken(shop.storefrontSecret);
    const asSession = await stack.api('GET', `/storefront/${shop.shop.id}/me`, { key: raw, headers: { origin } });
    expect(asSession.status).toBe(401);
    const anonymous = await stack.api('GET', `/storefront/${shop.shop.id}/me`, { headers: { origin } });
    expect(anonymous.status).toBe(401);
  });

  it('a rotated secret keeps verifying through the grace period, then tokens and sessions made with it fail', async () => {
    const rotatedShop = await shopWithCustomer();
    const oldSecret = rotatedShop.storefrontSecret;
    const oldSession = await signIn(rotatedShop);
    const rotated = await stack.api('POST', `/admin/shops/${rotatedShop.shop.id}/storefront-secret`, {
      key: rotatedShop.apiKey,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.storefrontSecret).toMatch(/^bss_/);
    expect(rotated.json.storefrontSecret).not.toBe(oldSecret);
    const rt = runtime();
    try {
      // Within the grace (1 h by default): old tokens and sessions still work, new ones too.
      setRuntime({ ...rt, clock: fixedClock(new Date(Date.now() + 10 * 60_000)) });
      const soon = nowSeconds();
      expect((await session(rotatedShop, await customerToken(oldSecret, { iat: soon, exp: soon + 300 }))).status).toBe(
        200,
      );
      const fresh = { ...rotatedShop, storefrontSecret: rotated.json.storefrontSecret as string };
      expect((await session(fresh)).status).toBe(200);
      // Near the grace's end, a session from an old-secret token ends with the grace, not 30 minutes later.
      setRuntime({ ...rt, clock: fixedClock(new Date(Date.parse(rotated.json.previousValidUntil) - 5 * 60_000)) });
      const late = nowSeconds();
      const capped = await session(rotatedShop, await customerToken(oldSecret, { iat: late, exp: late + 300 }));
      expect(capped.status).toBe(200);
      expect(capped.json.expiresAt).toBe(rotated.json.previousValidUntil.replace(/\.\d{3}Z$/, '.000Z'));
      // A token of the new secret still gets the full 30 minutes (expiry in whole seconds).
      const full = Date.parse((await session(fresh)).json.expiresAt) - Date.parse(rotated.json.previousValidUntil);
      expect(Math.abs(full - 25 * 60_000)).toBeLessThan(1000);
      setRuntime({ ...rt, clock: fixedClock(new Date(Date.now() + 10 * 60_000)) });
      const me = await stack.api('GET', `/storefront/${rotatedShop.shop.id}/me`, {
        key: oldSession,
        headers: { origin },
      });
      expect(me.status).toBe(200);
      // After it: a token signed with the old secret is refused.
      setRuntime({ ...rt, clock: fixedClock(new Date(Date.now() + 2 * 3600_000)) });
      const later = nowSeconds();
      const replay = await session(rotatedShop, await customerToken(oldSecret, { iat: later, exp: later + 300 }));
      expect(replay.status).toBe(401);
      expect((await session(fresh)).status).toBe(200);
    } finally {
      setRuntime(rt);
    }
    // The rotated secret never appears in the shop read.
    const read = await stack.api('GET', `/admin/shops/${rotatedShop.shop.id}`, { key: rotatedShop.apiKey });
    expect(read.text).not.toContain(rotated.json.storefrontSecret);
    expect(read.text).not.toContain(oldSecret);
  });

  it('answers a shop without a storefront secret with 403 storefront_not_configured', async () => {
    const legacy = await stack.createShop();
    const item = await runtime().shops.get(legacy.shop.id);
    const { storefrontSecret: _s, storefrontSecretSetAt: _a, ...rest } = item!;
    expect(await runtime().shops.replace({ ...rest, version: item!.version + 1 }, item!.version)).toBe(true);
    const res = await session(legacy, await customerToken(legacy.storefrontSecret));
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('storefront_not_configured');
  });

  it('starts a session from a Shopify App Proxy request signed with the app secret', async () => {
    const shopify = await stack.createShop({
      platform: 'shopify',
      shopifyShopId: sampleShopifyShop.shopId,
      shopifyDomain: sampleShopifyShop.domain,
    });
    const params = {
      shop: sampleShopifyShop.domain,
      logged_in_customer_id: '7084532318456',
      path_prefix: '/apps/loyalty',
      timestamp: String(nowSeconds()),
    };
    const signed = (secret: string, p: Record<string, string> = params) =>
      new URLSearchParams({ ...p, signature: signAppProxy(Object.entries(p), secret) }).toString();
    const path = `/storefront/${shopify.shop.id}/session`;
    const ok = await stack.api('POST', `${path}?${signed(shopify.input.webhookSecret)}`, { headers: { origin } });
    expect(ok.status).toBe(200);
    expect(ok.json.customer.id).toBe('i.7084532318456');
    const forged = await stack.api('POST', `${path}?${signed('some-other-app-secret')}`, { headers: { origin } });
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe('invalid_app_proxy');
    const anonymous = await stack.api(
      'POST',
      `${path}?${signed(shopify.input.webhookSecret, { ...params, logged_in_customer_id: '' })}`,
      {
        headers: { origin },
      },
    );
    expect(anonymous.status).toBe(401);
    // One public app signs every shop's requests: a shop whose domain is unknown takes none of them.
    const unknown = await stack.createShop({ platform: 'shopify', webhookSecret: shopify.input.webhookSecret });
    const elsewhere = await stack.api(
      'POST',
      `/storefront/${unknown.shop.id}/session?${signed(shopify.input.webhookSecret)}`,
      {
        headers: { origin },
      },
    );
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.json.error).toMatchObject({
      code: 'invalid_app_proxy',
      details: { reason: 'shop_domain_unknown' },
    });
  });
});

describe('the program, the customer and redemptions', () => {
  let shop: CreatedShop;
  let token: string;
  beforeAll(async () => {
    shop = await shopWithCustomer();
    token = await signIn(shop);
  });

  it('serves the program to anyone, in English and Danish, cacheable by ETag', async () => {
    const en = await stack.api('GET', `/storefront/${shop.shop.id}/program?locale=en`, { headers: { origin } });
    expect(en.status).toBe(200);
    const program = programViewSchema.parse(en.json);
    expect(program.earning.summary).toBe('1 point for every €1.00 you spend');
    expect(program.rewards.map((r) => [r.id, r.description])).toEqual([
      ['ten-off', '€10.00 off your next order'],
      ['big', '€500.00 store credit'],
    ]);
    expect(program.tiers?.levels.map((l) => l.summary)).toEqual([
      'Where every member starts',
      'From €500.00 spent in 12 months',
      'From €1,500.00 spent in 12 months',
    ]);
    expect(program.referral?.summary).toBe('Give friends 10% off their first order and get 500 points');
    expect(en.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = en.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await stack.api('GET', `/storefront/${shop.shop.id}/program?locale=en`, {
      headers: { origin, 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const da = await stack.api('GET', `/storefront/${shop.shop.id}/program?locale=da`, { headers: { origin } });
    // Intl puts a no-break space between the amount and the currency sign.
    expect(da.json.earning.summary).toBe('1 point for hver 1,00\u00a0€, du handler for');
    expect(da.headers.get('etag')).not.toBe(etag);
  });

  it("shows the customer's points, tier, rewards in reach, referral link and history in words", async () => {
    const res = await stack.api('GET', `/storefront/${shop.shop.id}/me?locale=en`, { key: token, headers: { origin } });
    expect(res.status).toBe(200);
    const me = meViewSchema.parse(res.json);
    expect(me.customer).toEqual({ id: 'i.cust-1', firstName: 'Ann' });
    expect(me.points).toMatchObject({ balance: 150, pending: 120, lifetimeEarned: 270 });
    expect(me.points.pendingSpendableAt).not.toBeNull();
    expect(me.rewards.map((r) => [r.id, r.affordable, r.pointsShort])).toEqual([
      ['ten-off', true, 0],
      ['big', false, 4850],
    ]);
    expect(me.tier).toMatchObject({ id: 'bronze', progress: { nextTier: 'Silver' } });
    expect(me.referral?.url).toMatch(new RegExp(`^${stack.baseUrl}/r/[A-Z0-9]+$`));
    expect(me.history.map((h) => [h.kind, h.points, h.text])).toEqual([
      ['adjust', 150, 'Points added by the shop'],
      ['earn', 120, 'Points for order A-1'],
    ]);
    expect(me.nextCursor).toBeNull();
    const page = await stack.api('GET', `/storefront/${shop.shop.id}/me/history?locale=da`, {
      key: token,
      headers: { origin },
    });
    const junk = await stack.api('GET', `/storefront/${shop.shop.id}/me/history?cursor=junk`, {
      key: token,
      headers: { origin },
    });
    expect(junk.status).toBe(400);
    expect(junk.json.error.code).toBe('invalid_cursor');
    expect(junk.headers.get('access-control-allow-origin')).toBe(origin);
    expect(historyPageSchema.parse(page.json).history.map((h) => h.text)).toEqual([
      'Point tilføjet af butikken',
      'Point for ordre A-1',
    ]);
  });

  it('redeems exactly once under a race: 20 keys, points for one', async () => {
    const path = `/storefront/${shop.shop.id}/me/redemptions`;
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stack.api('POST', path, {
          key: token,
          body: { rewardId: 'ten-off' },
          headers: { origin, 'idempotency-key': `race-${i}` },
        }),
      ),
    );
    const statuses = all.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const won = all.find((r) => r.status === 201)!;
    const body = redemptionResponseSchema.parse(won.json);
    expect(body.redemption.code).toMatch(/^BMR-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(body.points.balance).toBe(50);
    for (const r of all.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('insufficient_points');
    // The winner's key again: the first answer, marked as a replay.
    const key = `race-${all.indexOf(won)}`;
    const replay = await stack.api('POST', path, {
      key: token,
      body: { rewardId: 'ten-off' },
      headers: { origin, 'idempotency-key': key },
    });
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(won.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const me = await stack.api('GET', `/storefront/${shop.shop.id}/me`, { key: token, headers: { origin } });
    expect(me.json.points.balance).toBe(50);
    // A customer id that looks like an e-mail names that id, never the customer with that address.
    const lookalike = await session(shop, await customerToken(shop.storefrontSecret, { sub: 'ann@example.com' }));
    const spoof = await stack.api('POST', path, {
      key: lookalike.json.sessionToken,
      body: { rewardId: 'ten-off' },
      headers: { origin, 'idempotency-key': 'spoof-1' },
    });
    expect(spoof.status).toBe(404);
    expect(
      (await stack.api('GET', `/storefront/${shop.shop.id}/me`, { key: token, headers: { origin } })).json.points
        .balance,
    ).toBe(50);
    // Without a key the request is refused before anything is spent.
    const keyless = await stack.api('POST', path, { key: token, body: { rewardId: 'ten-off' }, headers: { origin } });
    expect(keyless.status).toBe(400);
    expect(keyless.json.error.code).toBe('idempotency_key_required');
  });
});

describe('the hosted loyalty page', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await shopWithCustomer();
  });
  const page = (query = '') => stack.api('GET', `/p/${shop.shop.id}${query}`);

  it('shows anyone the program, without a script and under a strict CSP', async () => {
    const res = await page('?locale=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(res.text).not.toContain('<script');
    expect(res.text).toContain('1 point for every €1.00 you spend');
    expect(res.text).not.toContain('data-part="balance"');
  });

  it("shows a customer's points with a customer token, and in Danish", async () => {
    const token = await customerToken(shop.storefrontSecret);
    const res = await page(`?locale=da&token=${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="da">');
    expect(res.text).toContain('Hej Ann');
    expect(res.text).toContain('380,00\u00a0€ mere til Silver');
    expect(res.text).toMatch(/data-part="balance">150</);
    expect(res.text).toContain('Point for ordre A-1');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it("shows it with the page token of our e-mails' links, and says so when the link is no good", async () => {
    const secret = loyaltyPageSecretFrom(stack.operatorKey);
    const good = loyaltyPageToken(secret, { shopId: shop.shop.id, cid: 'i.cust-1' }, new Date());
    const res = await page(`?locale=en&token=${good}`);
    expect(res.text).toMatch(/data-part="balance">150</);
    expect(res.text).toContain('Points added by the shop');
    const old = loyaltyPageToken(
      secret,
      { shopId: shop.shop.id, cid: 'i.cust-1' },
      new Date(Date.now() - 31 * 86_400_000),
    );
    const expired = await page(`?locale=en&token=${old}`);
    expect(expired.status).toBe(200);
    expect(expired.text).not.toContain('data-part="balance"');
    expect(expired.text).toContain('This link has expired');
    const otherShop = loyaltyPageToken(secret, { shopId: 'another-shop', cid: 'i.cust-1' }, new Date());
    expect((await page(`?token=${otherShop}`)).text).not.toContain('data-part="balance"');
  });
});

describe('CORS, unknown shops and rate limits', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await shopWithCustomer({ storefront: { allowedOrigins: ['https://www.shop.example.com'] } });
  });

  it("answers the shop's own origins, preflight included, and refuses others", async () => {
    const allowed = 'https://www.shop.example.com';
    const pre = await stack.api('OPTIONS', `/storefront/${shop.shop.id}/me/redemptions`, {
      headers: { origin: allowed, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(pre.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const foreign = await stack.api('OPTIONS', `/storefront/${shop.shop.id}/me`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const read = await stack.api('GET', `/storefront/${shop.shop.id}/program`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(read.status).toBe(403);
    expect(read.json.error.code).toBe('origin_not_allowed');
    // Errors carry CORS headers too, so the widget can read them.
    const unauth = await stack.api('GET', `/storefront/${shop.shop.id}/me`, { headers: { origin: allowed } });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('answers an unknown shop with 404', async () => {
    const res = await stack.api('GET', '/storefront/no-such-shop/program');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('shop_not_found');
  });

  it('limits each client IP and each customer, answering 429 with Retry-After', async () => {
    const rt = runtime();
    try {
      setRuntime({
        ...rt,
        env: { ...rt.env, BOOMERANG_STOREFRONT_RATE_PER_MINUTE: 5, BOOMERANG_STOREFRONT_CUSTOMER_RATE_PER_MINUTE: 2 },
      });
      const headers = { origin: 'https://www.shop.example.com' };
      const token = await signIn(shop, headers);
      // The customer's burst is 4 (twice the rate): the 5th read in a row is refused.
      const reads = [];
      for (let i = 0; i < 5; i += 1)
        reads.push(await stack.api('GET', `/storefront/${shop.shop.id}/me`, { key: token, headers }));
      expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
      expect(Number(reads[4]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(reads[4]!.json.error.code).toBe('rate_limited');
      // The IP's burst is 10: program reads run out too.
      const statuses = [];
      for (let i = 0; i < 8; i += 1)
        statuses.push((await stack.api('GET', `/storefront/${shop.shop.id}/program`, { headers })).status);
      expect(statuses).toContain(429);
      expect(statuses.indexOf(429)).toBe(statuses.filter((s) => s === 200).length);
    } finally {
      setRuntime(rt);
    }
  });
});

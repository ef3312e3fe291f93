import { createHash } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/keys';
import { runtime } from '../../shared/wiring/runtime';
import { activeWebhookSecrets } from '../../shared/domain/shop';
import { captureLogs } from '../support/logs';
import { randomId, sesMessages, startTestStack, validShopInput, type TestStack } from '../support/stack';
import { testDb } from '../support/db';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const op = () => ({ key: stack.operatorKey });

/** Every key name anywhere in a JSON value. */
const keyNames = (value: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) value.forEach((v) => keyNames(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keyNames(v, into);
    }
  }
  return into;
};

const secretKeyNames = [
  'webhookSecret',
  'apiKeyHash',
  'previousWebhookSecret',
  'storefrontSecret',
  'previousStorefrontSecret',
];

const expectNoSecretKeys = (json: unknown) => {
  const names = keyNames(json);
  for (const k of secretKeyNames) expect(names, `response contains key "${k}"`).not.toContain(k);
};

const expectErrorBody = (json: unknown, code?: string) => {
  expect(json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  if (code) expect((json as { error: { code: string } }).error.code).toBe(code);
};

const rawShopItem = async (shopId: string) => {
  const out = await testDb().send(
    new GetCommand({ TableName: runtime().tableName, Key: keys.shop(shopId), ConsistentRead: true }),
  );
  return out.Item;
};

describe('health and routing', () => {
  it('GET /health answers 200 {"status":"ok"}', async () => {
    const res = await stack.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('an unknown route is 404 with the standard error body', async () => {
    const res = await stack.api('GET', '/no/such/route');
    expect(res.status).toBe(404);
    expectErrorBody(res.json, 'route_not_found');
    expect(res.json.error.message).toContain('/no/such/route');
  });

  it('a known path with the wrong method is 404 too', async () => {
    const res = await stack.api('DELETE', '/health');
    expect(res.status).toBe(404);
    expectErrorBody(res.json, 'route_not_found');
  });
});

describe('POST /admin/shops', () => {
  it('creates a shop: 201 with the public shop, a one-time API key and no secrets', async () => {
    const input = validShopInput();
    const res = await stack.api('POST', '/admin/shops', { ...op(), body: input });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/admin/shops/${input.id}`);
    expect(Object.keys(res.json).sort()).toEqual(['apiKey', 'shop', 'storefrontSecret']);
    const { shop, apiKey, storefrontSecret } = res.json;
    expect(apiKey).toMatch(new RegExp(`^bk_${input.id}_[A-Za-z0-9_-]{43}$`));
    expect(storefrontSecret).toMatch(/^bss_[A-Za-z0-9_-]{43}$/);
    expect(shop).toMatchObject({
      id: input.id,
      name: input.name,
      platform: input.platform,
      storefrontUrl: input.storefrontUrl,
      currency: 'DKK',
      timezone: 'Europe/Copenhagen',
      locale: 'da-DK',
      senderEmail: input.senderEmail,
      marketerEmails: input.marketerEmails,
      status: 'active',
      apiKeyHint: expect.stringMatching(new RegExp(`^bk_${input.id}_…${apiKey.slice(-4)}$`)),
    });
    expect(Date.parse(shop.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(shop.updatedAt).toBe(shop.createdAt);

    const { apiKey: _k, storefrontSecret: _s, ...rest } = res.json;
    expectNoSecretKeys(rest);
    expect(JSON.stringify(shop)).not.toContain(storefrontSecret);
    expect(res.text).not.toContain(input.webhookSecret);
    expect(res.text).not.toContain(stack.operatorKey);
    // The hash of the key must not leak either (it would allow offline guessing).
    expect(res.text).not.toContain(createHash('sha256').update(apiKey).digest('hex'));
  });

  it('gives the shop the documented default program', async () => {
    const { shop } = await stack.createShop();
    expect(shop.program.earning.rate).toEqual({ points: 1, per: 1 });
    expect(shop.program.earning.basis).toBe('subtotal_after_discounts');
    expect(shop.program.returnWindowDays).toBe(14);
    expect(shop.program.earning.earnOn).toBe('paid');
    expect(shop.program.expiry).toEqual({ inactivityMonths: 12, warningDays: 30 });
  });

  it('rejects an existing id with 409 and leaves the original untouched', async () => {
    const { input, apiKey } = await stack.createShop();
    const res = await stack.api('POST', '/admin/shops', {
      ...op(),
      body: validShopInput({ id: input.id, name: 'Impostor' }),
    });
    expect(res.status).toBe(409);
    expectErrorBody(res.json, 'shop_exists');
    const get = await stack.api('GET', `/admin/shops/${input.id}`, { key: apiKey });
    expect(get.status).toBe(200);
    expect(get.json.shop.name).toBe('Test Shop');
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a lower-case currency', { currency: 'dkk' }, 'currency'],
    ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['an invalid sender email', { senderEmail: 'not-an-email' }, 'senderEmail'],
    ['an invalid marketer email', { marketerEmails: ['ok@example.com', 'nope'] }, 'marketerEmails.1'],
    ['a non-http storefront URL', { storefrontUrl: 'ftp://shop.example.com' }, 'storefrontUrl'],
    ['an invalid shop id', { id: 'Bad_ID' }, 'id'],
    ['a short webhook secret', { webhookSecret: 'short' }, 'webhookSecret'],
    ['an unknown platform', { platform: 'magento' }, 'platform'],
    ['an invalid program', { program: { earning: { rate: { per: 0 } } } }, 'program.earning.rate.per'],
  ];
  it.each(invalid)('rejects %s with 400 and a field-level detail', async (_what, override, path) => {
    const res = await stack.api('POST', '/admin/shops', { ...op(), body: validShopInput(override) });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'validation_failed');
    const details = res.json.error.details as { path: string; message: string }[];
    expect(Array.isArray(details)).toBe(true);
    for (const d of details) expect(d).toMatchObject({ path: expect.any(String), message: expect.any(String) });
    expect(details.map((d) => d.path)).toContain(path);
  });

  it('lists every missing field', async () => {
    const { name: _n, currency: _c, senderEmail: _s, ...rest } = validShopInput();
    const res = await stack.api('POST', '/admin/shops', { ...op(), body: rest });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'validation_failed');
    const paths = (res.json.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'currency', 'senderEmail']));
  });

  it('rejects an unknown field (strict schema)', async () => {
    const res = await stack.api('POST', '/admin/shops', {
      ...op(),
      body: validShopInput({ apiKeyHash: 'x', colour: 'red' }),
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'validation_failed');
    const messages = (res.json.error.details as { message: string }[]).map((d) => d.message).join(' ');
    expect(messages).toContain('colour');
    expect(messages).toContain('apiKeyHash');
  });

  it('rejects malformed JSON with 400 malformed_json', async () => {
    const res = await stack.api('POST', '/admin/shops', {
      ...op(),
      body: '{"id": "broken-shop", "name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'malformed_json');
  });

  it('rejects an empty body with 400', async () => {
    const res = await stack.api('POST', '/admin/shops', op());
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'missing_body');
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const res = await stack.api('POST', '/admin/shops', {
      ...op(),
      body: JSON.stringify(validShopInput({ name: 'x'.repeat(1024 * 1024) })),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expectErrorBody(res.json, 'payload_too_large');
  });

  it('is 401 without the operator key, with a wrong one, or with a shop key', async () => {
    const { apiKey } = await stack.createShop();
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-operator-key-1234567890' },
      { authorization: `Bearer ${stack.operatorKey}x` },
      { authorization: stack.operatorKey }, // not a Bearer token
      { authorization: `Bearer ${apiKey}` },
    ];
    for (const headers of attempts) {
      const input = validShopInput();
      const res = await stack.api('POST', '/admin/shops', { body: input, headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expectErrorBody(res.json, 'unauthorized');
      // …and nothing was created.
      expect(await runtime().shops.get(input.id)).toBeUndefined();
    }
  });
});

describe('GET /admin/shops/{shopId}', () => {
  it('answers the shop itself and the operator, without secrets', async () => {
    const { shop, apiKey, input } = await stack.createShop();
    for (const key of [apiKey, stack.operatorKey]) {
      const res = await stack.api('GET', `/admin/shops/${shop.id}`, { key });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ shop });
      expectNoSecretKeys(res.json);
      expect(res.text).not.toContain(input.webhookSecret);
      expect(res.text).not.toContain(apiKey);
    }
  });

  it("refuses another shop's key with 403", async () => {
    const a = await stack.createShop();
    const b = await stack.createShop();
    const res = await stack.api('GET', `/admin/shops/${a.shop.id}`, { key: b.apiKey });
    expect(res.status).toBe(403);
    expectErrorBody(res.json, 'forbidden');
    expect(res.json.shop).toBeUndefined();
  });

  it('a shop key cannot probe for unknown shops (403, not 404)', async () => {
    const { apiKey } = await stack.createShop();
    const res = await stack.api('GET', `/admin/shops/${randomId('nope-')}`, { key: apiKey });
    expect(res.status).toBe(403);
  });

  it('is 401 without a key or with a garbage key', async () => {
    const { shop } = await stack.createShop();
    expect((await stack.api('GET', `/admin/shops/${shop.id}`)).status).toBe(401);
    const garbage = await stack.api('GET', `/admin/shops/${shop.id}`, { key: 'garbage-token' });
    expect(garbage.status).toBe(401);
    expectErrorBody(garbage.json, 'unauthorized');
  });

  it('is 404 for the operator asking for an unknown shop', async () => {
    const res = await stack.api('GET', `/admin/shops/${randomId('nope-')}`, op());
    expect(res.status).toBe(404);
    expectErrorBody(res.json, 'not_found');
  });
});

describe('PATCH /admin/shops/{shopId}', () => {
  it('changes plain fields, bumps updatedAt and keeps the rest', async () => {
    const { shop, apiKey } = await stack.createShop();
    await new Promise((r) => setTimeout(r, 5));
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      key: apiKey,
      body: { name: 'Renamed', currency: 'JPY', marketerEmails: [] },
    });
    expect(res.status).toBe(200);
    expect(res.json.shop).toMatchObject({
      name: 'Renamed',
      currency: 'JPY',
      marketerEmails: [],
      timezone: shop.timezone,
      createdAt: shop.createdAt,
    });
    expect(res.json.shop.updatedAt > shop.updatedAt).toBe(true);
    expectNoSecretKeys(res.json);
    const get = await stack.api('GET', `/admin/shops/${shop.id}`, op());
    expect(get.json.shop).toEqual(res.json.shop);
  });

  it('deep-merges program: a nested change keeps every other default', async () => {
    const { shop } = await stack.createShop();
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      ...op(),
      body: { program: { earning: { rate: { points: 2 } } } },
    });
    expect(res.status).toBe(200);
    const program = res.json.shop.program;
    expect(program.earning.rate).toEqual({ points: 2, per: 1 });
    expect(program).toEqual({ ...shop.program, earning: { ...shop.program.earning, rate: { points: 2, per: 1 } } });

    // A second patch merges into the result of the first.
    const res2 = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      ...op(),
      body: { program: { returnWindowDays: 30, expiry: { warningDays: 7 } } },
    });
    expect(res2.status).toBe(200);
    expect(res2.json.shop.program.earning.rate).toEqual({ points: 2, per: 1 });
    expect(res2.json.shop.program.returnWindowDays).toBe(30);
    expect(res2.json.shop.program.expiry).toEqual({ inactivityMonths: 12, warningDays: 7 });
  });

  it('deep-merges into a customised program without resetting siblings to defaults', async () => {
    const { shop } = await stack.createShop({
      program: {
        earning: { rate: { points: 5, per: 10 }, basis: 'total', minimumOrderMinor: 1000 },
        returnWindowDays: 30,
        expiry: { inactivityMonths: 6 },
      },
    });
    expect(shop.program.earning.rate).toEqual({ points: 5, per: 10 });
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      ...op(),
      body: { program: { earning: { rate: { points: 2 } }, expiry: { warningDays: 3 } } },
    });
    expect(res.status).toBe(200);
    expect(res.json.shop.program).toEqual({
      ...shop.program,
      earning: { ...shop.program.earning, rate: { points: 2, per: 10 } },
      expiry: { inactivityMonths: 6, warningDays: 3 },
    });
    expect(res.json.shop.program.earning.basis).toBe('total');
    expect(res.json.shop.program.returnWindowDays).toBe(30);
    // Stored, not just echoed.
    expect((await stack.api('GET', `/admin/shops/${shop.id}`, op())).json.shop.program).toEqual(res.json.shop.program);
  });

  it('arrays in a program patch replace, not merge', async () => {
    const { shop } = await stack.createShop();
    const rewards = [{ id: 'ten-off', name: '10 off', type: 'discount_code', pointsCost: 900, valueMinor: 1000 }];
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, { ...op(), body: { program: { rewards } } });
    expect(res.status).toBe(200);
    expect(res.json.shop.program.rewards).toEqual(rewards);
  });

  const invalidPrograms: [string, Record<string, unknown>, string][] = [
    ['per = 0', { earning: { rate: { per: 0 } } }, 'program.earning.rate.per'],
    ['fractional points', { earning: { rate: { points: 1.5 } } }, 'program.earning.rate.points'],
    ['an unknown basis', { earning: { basis: 'gross' } }, 'program.earning.basis'],
    ['a negative return window', { returnWindowDays: -1 }, 'program.returnWindowDays'],
    [
      'a malformed reward',
      { rewards: [{ id: 'Bad Id', name: '', type: 'cash', pointsCost: 0, valueMinor: 1 }] },
      'program.rewards.0.id',
    ],
  ];
  it.each(invalidPrograms)('rejects a program with %s: 400 and nothing changes', async (_what, program, path) => {
    const { shop, apiKey } = await stack.createShop();
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      key: apiKey,
      body: { name: 'Should not stick', program },
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'validation_failed');
    const details = res.json.error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toContain(path);
    const after = await stack.api('GET', `/admin/shops/${shop.id}`, { key: apiKey });
    expect(after.json.shop).toEqual(shop);
  });

  it.each([
    ['id', { id: 'another-id' }],
    ['platform', { platform: 'shopify' }],
    ['status', { status: 'disabled' }],
    ['apiKeyHash', { apiKeyHash: 'abc' }],
    ['createdAt', { createdAt: '2000-01-01T00:00:00.000Z' }],
  ])('rejects changing %s (strict schema) and changes nothing', async (field, body) => {
    const { shop, apiKey } = await stack.createShop();
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, { key: apiKey, body: { ...body, name: 'Nope' } });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'validation_failed');
    expect(JSON.stringify(res.json.error.details)).toContain(field);
    const after = await stack.api('GET', `/admin/shops/${shop.id}`, op());
    expect(after.json.shop).toEqual(shop);
  });

  it('rejects an empty patch and invalid fields', async () => {
    const { shop } = await stack.createShop();
    const empty = await stack.api('PATCH', `/admin/shops/${shop.id}`, { ...op(), body: {} });
    expect(empty.status).toBe(400);
    const bad = await stack.api('PATCH', `/admin/shops/${shop.id}`, { ...op(), body: { currency: 'EURO' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path)).toContain('currency');
  });

  it("is refused with another shop's key (403), without a key (401), and for an unknown shop (404)", async () => {
    const a = await stack.createShop();
    const b = await stack.createShop();
    const forbidden = await stack.api('PATCH', `/admin/shops/${a.shop.id}`, {
      key: b.apiKey,
      body: { name: 'Hijacked' },
    });
    expect(forbidden.status).toBe(403);
    const anonymous = await stack.api('PATCH', `/admin/shops/${a.shop.id}`, { body: { name: 'Hijacked' } });
    expect(anonymous.status).toBe(401);
    const unknown = await stack.api('PATCH', `/admin/shops/${randomId('nope-')}`, { ...op(), body: { name: 'Ghost' } });
    expect(unknown.status).toBe(404);
    expect((await runtime().shops.get(a.shop.id))?.name).toBe('Test Shop');
  });

  it('concurrent patches never lose an update: each is applied or refused with 409', async () => {
    const { shop } = await stack.createShop();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        stack.api('PATCH', `/admin/shops/${shop.id}`, { ...op(), body: { name: `Name ${i}` } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    for (const s of statuses) expect([200, 409]).toContain(s);
    expect(statuses).toContain(200);
    for (const r of results.filter((x) => x.status === 409)) expectErrorBody(r.json, 'concurrent_update');
    const stored = await runtime().shops.get(shop.id);
    expect(stored?.version).toBe(1 + statuses.filter((s) => s === 200).length);
  });
});

describe('webhook secret rotation', () => {
  it('keeps the previous secret valid for 24 h after a rotation', async () => {
    const { shop, apiKey, input } = await stack.createShop();
    const newSecret = randomId('whsec_new_', 24);
    const before = Date.now();
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      key: apiKey,
      body: { webhookSecret: newSecret },
    });
    const after = Date.now();
    expect(res.status).toBe(200);
    expectNoSecretKeys(res.json);
    expect(res.text).not.toContain(newSecret);
    expect(res.text).not.toContain(input.webhookSecret);

    const stored = (await runtime().shops.get(shop.id))!;
    expect(stored.webhookSecret).toBe(newSecret);
    expect(stored.previousWebhookSecret).toBe(input.webhookSecret);
    const validUntil = Date.parse(stored.previousWebhookSecretValidUntil!);
    expect(validUntil).toBeGreaterThanOrEqual(before + 24 * 3600_000 - 1000);
    expect(validUntil).toBeLessThanOrEqual(after + 24 * 3600_000 + 1000);
    expect(Date.parse(stored.webhookSecretSetAt)).toBeGreaterThan(Date.parse(shop.webhookSecretSetAt) - 1);

    expect(activeWebhookSecrets(stored, new Date())).toEqual([newSecret, input.webhookSecret]);
    expect(activeWebhookSecrets(stored, new Date(validUntil - 1))).toEqual([newSecret, input.webhookSecret]);
    expect(activeWebhookSecrets(stored, new Date(validUntil))).toEqual([newSecret]);
    expect(activeWebhookSecrets(stored, new Date(validUntil + 3600_000))).toEqual([newSecret]);

    // The public view says until when the old secret works, never the secret itself.
    expect(res.json.shop.previousWebhookSecretValidUntil).toBe(stored.previousWebhookSecretValidUntil);
  });

  it('patching the same secret again is not a rotation', async () => {
    const { shop, input } = await stack.createShop();
    const res = await stack.api('PATCH', `/admin/shops/${shop.id}`, {
      ...op(),
      body: { webhookSecret: input.webhookSecret },
    });
    expect(res.status).toBe(200);
    const stored = (await runtime().shops.get(shop.id))!;
    expect(stored.previousWebhookSecret).toBeUndefined();
    expect(activeWebhookSecrets(stored, new Date())).toEqual([input.webhookSecret]);
  });

  it('a second rotation replaces the previous secret with the one just retired', async () => {
    const { shop, input } = await stack.createShop();
    const s2 = randomId('whsec_two_', 24);
    const s3 = randomId('whsec_three_', 24);
    expect((await stack.api('PATCH', `/admin/shops/${shop.id}`, { ...op(), body: { webhookSecret: s2 } })).status).toBe(
      200,
    );
    expect((await stack.api('PATCH', `/admin/shops/${shop.id}`, { ...op(), body: { webhookSecret: s3 } })).status).toBe(
      200,
    );
    const stored = (await runtime().shops.get(shop.id))!;
    expect(activeWebhookSecrets(stored, new Date())).toEqual([s3, s2]);
    expect(JSON.stringify(await rawShopItem(shop.id))).not.toContain(input.webhookSecret);
  });
});

describe('secrets at rest and in logs', () => {
  it('stores the API key only as its SHA-256 hash', async () => {
    const { shop, apiKey } = await stack.createShop();
    const item = await rawShopItem(shop.id);
    expect(item).toBeDefined();
    expect(item!.apiKeyHash).toBe(createHash('sha256').update(apiKey, 'utf8').digest('hex'));
    expect(keyNames(item)).not.toContain('apiKey');
    expect(JSON.stringify(item)).not.toContain(apiKey);
    // Not even the random part of it.
    expect(JSON.stringify(item)).not.toContain(apiKey.slice(`bk_${shop.id}_`.length, -4));
  });

  describe('with a capturing logger', () => {
    let logs: ReturnType<typeof captureLogs>;
    afterEach(() => logs?.restore());

    it('never logs the webhook secret, the API key or the operator key', async () => {
      logs = captureLogs('debug');
      const { shop, apiKey, input } = await stack.createShop();
      const rotated = randomId('whsec_rot_', 24);
      expect(
        (
          await stack.api('PATCH', `/admin/shops/${shop.id}`, {
            key: apiKey,
            body: { webhookSecret: rotated, name: 'Logged' },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await stack.api('PATCH', `/admin/shops/${shop.id}`, {
            key: apiKey,
            body: { program: { earning: { rate: { per: 0 } } } },
          })
        ).status,
      ).toBe(400);
      expect((await stack.api('GET', `/admin/shops/${shop.id}`, { key: `${apiKey}x` })).status).toBe(403);
      expect(
        (await stack.api('POST', '/admin/shops', { key: `${stack.operatorKey}x`, body: validShopInput() })).status,
      ).toBe(401);

      const messages = logs.parsed().map((l) => l.message);
      // The capture works: the handlers did log through it.
      expect(messages).toEqual(expect.arrayContaining(['shop created', 'shop updated']));
      const text = logs.text();
      for (const secret of [
        input.webhookSecret,
        rotated,
        apiKey,
        apiKey.slice(`bk_${shop.id}_`.length, -4),
        stack.operatorKey,
      ]) {
        expect(text).not.toContain(secret);
      }
    });
  });
});

describe('test stack', () => {
  it('sesMessages() sees mail sent to SES local through the SDK (AWS_ENDPOINT_URL_SESV2)', async () => {
    const to = `${randomId('rcpt-')}@example.com`;
    const since = Math.floor(Date.now() / 1000) - 1;
    const ses = new SESv2Client({});
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'hello@shop.example.com',
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: 'Your points' },
            Body: { Text: { Data: 'You have 120 points.' }, Html: { Data: '<p>You have 120 points.</p>' } },
          },
        },
      }),
    );
    ses.destroy();
    const mine = await sesMessages({ to, since });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      from: 'hello@shop.example.com',
      destination: { to: [to] },
      subject: 'Your points',
      body: { text: 'You have 120 points.', html: '<p>You have 120 points.</p>' },
    });
    expect(await sesMessages({ to: `other-${to}` })).toEqual([]);
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as outboxHandler } from '../../functions/outbox-sender/handler';
import { handler as senderHandler } from '../../functions/webhook-sender/handler';
import { createRuntime, setRuntime } from '../../shared/wiring/runtime';
import { endpointAdminDeps, endpointStore } from '../../shared/wiring/endpoints-runtime';
import { createEndpoint } from '../../shared/app/endpoint-service';
import type { CreateEndpointInput } from '../../shared/schemas/endpoints';
import { runtime } from '../../shared/wiring/runtime';
import { customHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * Outgoing webhooks end to end: endpoints through the gateway, events queued with the orders that
 * cause them, the sender (the handler the stream and the sweep invoke) posting to a receiver on
 * 127.0.0.1 that checks every signature with its own implementation of the Standard Webhooks spec.
 */
let stack: TestStack;
/** Offset added to the wall clock: lets the retry schedule's waits pass. */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
/** The injected resolver: names the tests choose, mapped to the addresses they choose. */
const dns: Record<string, string[]> = {};
const resolver = {
  lookup: async (host: string) => {
    const found = dns[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  },
};

// ---- The receiver: an independent verifier written from the spec, not our signer. ----

interface Received {
  id: string;
  timestamp: number;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  signatures: string[];
  verified: boolean;
  answered: number;
}

/** Standard Webhooks: base64 key after `whsec_`, HMAC-SHA256 over `id.timestamp.body`, `v1,<base64>` entries. */
const specVerify = (secret: string, id: string, timestamp: string, body: string, header: string): boolean => {
  const key = Buffer.from(secret.split('_')[1]!, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, sig] = entry.split(',');
    if (version !== 'v1' || !sig) return false;
    const got = Buffer.from(sig, 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
};

const startReceiver = async () => {
  const state = {
    secrets: [] as string[],
    answer: 200,
    /** Sent as Retry-After with a non-2xx answer, when set. */
    retryAfter: undefined as string | undefined,
    received: [] as Received[],
    /** Ids answered 2xx: a receiver's de-duplication table. */
    accepted: new Map<string, number>(),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      const ts = String(req.headers['webhook-timestamp']);
      const sig = String(req.headers['webhook-signature']);
      // Replay protection as the spec suggests: the timestamp within 5 minutes of (the sender's) now.
      const fresh = Math.abs(Number(ts) - clock.now().getTime() / 1000) < 300;
      const verified = fresh && state.secrets.some((s) => specVerify(s, id, ts, raw, sig));
      const answered = verified ? state.answer : 401;
      state.received.push({
        id,
        timestamp: Number(ts),
        body: JSON.parse(raw) as Received['body'],
        signatures: sig.split(' '),
        verified,
        answered,
      });
      if (answered >= 200 && answered < 300) state.accepted.set(id, (state.accepted.get(id) ?? 0) + 1);
      const retry = answered >= 300 && state.retryAfter ? { 'retry-after': state.retryAfter } : undefined;
      res.writeHead(answered, retry).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { ...{ state }, url: `http://127.0.0.1:${port}/hook`, port, close: () => server.close() };
};

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
const receiver = async () => {
  const r = await startReceiver();
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  stack = await startTestStack();
  setRuntime({ ...createRuntime(), clock, resolver });
});
afterAll(async () => {
  for (const r of receivers) r.close();
  await stack?.close();
});

const sweep = () =>
  senderHandler({ job: 'webhook-sweep' }, { getRemainingTimeInMillis: () => 60_000 }) as Promise<
    Record<string, number>
  >;

let seq = 0;
const sendOrder = async (
  shop: CreatedShop,
  customer: Record<string, unknown>,
  total = '250.00',
  extra: Record<string, unknown> = {},
) => {
  const id = `W-${++seq}`;
  const createdAt = clock.now().toISOString();
  const body = JSON.stringify({
    id: `evt-${id}`,
    type: 'order.paid',
    createdAt,
    data: {
      id,
      currency: 'DKK',
      createdAt,
      updatedAt: createdAt,
      customer,
      lines: [{ id: '1', sku: 'MUG', quantity: 1, price: total }],
      total,
      ...extra,
    },
  });
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret, clock.now()),
  });
  expect(r.status).toBe(200);
};

const api = (shop: CreatedShop, method: string, path: string, body?: unknown) =>
  stack.api(method, `/admin/shops/${shop.shop.id}${path}`, { key: shop.apiKey, body });

const register = async (shop: CreatedShop, url: string, events: string[] = ['*']) => {
  const r = await api(shop, 'POST', '/endpoints', { url, events });
  expect(r.status, r.text).toBe(201);
  return r.json as { id: string; secret: string };
};

const deliveries = async (shop: CreatedShop, endpointId: string) =>
  (await api(shop, 'GET', `/endpoints/${endpointId}/deliveries?limit=100`)).json.items as Record<string, unknown>[];

describe('endpoints', () => {
  it('creates an endpoint with its secret shown once, lists, changes and deletes it', async () => {
    const shop = await stack.createShop();
    const created = await api(shop, 'POST', '/endpoints', {
      url: 'https://hooks.example.com/boomerang',
      events: ['points.earned', 'tier.changed'],
      description: 'CRM',
    });
    expect(created.status).toBe(201);
    expect(created.json.id).toMatch(/^ep_/);
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.json.secret.slice(6), 'base64')).toHaveLength(32);
    const { id, secret } = created.json as { id: string; secret: string };

    const list = await api(shop, 'GET', '/endpoints');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([
      expect.objectContaining({ id, url: 'https://hooks.example.com/boomerang', enabled: true, description: 'CRM' }),
    ]);
    const one = await api(shop, 'GET', `/endpoints/${id}`);
    expect(one.json.endpoint.secretHint).toBe(`whsec_…${secret.slice(-4)}`);
    for (const text of [list.text, one.text]) {
      expect(text).not.toContain(secret.slice(6, 30));
      expect(text).not.toContain('"secret"');
    }
    // The shop now lists what its plans must queue.
    const shopNow = await stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: shop.apiKey });
    expect(shopNow.json.shop.outgoingEvents).toEqual(['points.earned', 'tier.changed']);

    const patched = await api(shop, 'PATCH', `/endpoints/${id}`, { events: ['referral.held'], enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.json.endpoint).toMatchObject({ events: ['referral.held'], enabled: false });
    expect(patched.text).not.toContain(secret.slice(6, 30));
    const afterPatch = await stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: shop.apiKey });
    expect(afterPatch.json.shop.outgoingEvents).toBeUndefined();

    const rotated = await api(shop, 'POST', `/endpoints/${id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(secret);
    expect(rotated.json.endpoint.previousSecretValidUntil).toBeDefined();

    expect((await api(shop, 'DELETE', `/endpoints/${id}`)).status).toBe(204);
    expect((await api(shop, 'GET', `/endpoints/${id}`)).status).toBe(404);
    expect((await api(shop, 'DELETE', `/endpoints/${id}`)).status).toBe(404);
    expect((await api(shop, 'GET', '/endpoints')).json.items).toEqual([]);
  });

  it('refuses bad input with machine-readable details and writes nothing', async () => {
    const shop = await stack.createShop();
    const bad = [
      { url: 'https://hooks.example.com', events: ['points.stolen'] },
      { url: 'https://hooks.example.com', events: [] },
      { url: 'not a url', events: ['*'] },
      { url: 'https://hooks.example.com', events: ['*'], secret: 'mine' },
      { events: ['*'] },
    ];
    for (const body of bad) {
      const r = await api(shop, 'POST', '/endpoints', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('validation_failed');
      expect(r.json.error.details).toBeDefined();
    }
    const { id } = await register(shop, 'https://hooks.example.com/x');
    const patch = await api(shop, 'PATCH', `/endpoints/${id}`, { events: ['nope'] });
    expect(patch.status).toBe(400);
    expect((await api(shop, 'GET', '/endpoints')).json.items).toHaveLength(1);
  });

  it("does not let one shop's key see or change another shop's endpoints", async () => {
    const [a, b] = [await stack.createShop(), await stack.createShop()];
    const { id } = await register(a, 'https://hooks.example.com/a');
    const asB = (method: string, path: string, body?: unknown) =>
      stack.api(method, `/admin/shops/${a.shop.id}${path}`, { key: b.apiKey, body });
    for (const [method, path] of [
      ['GET', '/endpoints'],
      ['POST', '/endpoints'],
      ['GET', `/endpoints/${id}`],
      ['PATCH', `/endpoints/${id}`],
      ['DELETE', `/endpoints/${id}`],
      ['POST', `/endpoints/${id}/secret`],
      ['GET', `/endpoints/${id}/deliveries`],
    ] as const) {
      const r = await asB(method, path, method === 'GET' || method === 'DELETE' ? undefined : { events: ['*'] });
      expect([403, 404], `${method} ${path}`).toContain(r.status);
    }
    // B's own listing is its own.
    expect((await api(b, 'GET', `/endpoints/${id}`)).status).toBe(404);
    expect((await api(a, 'GET', `/endpoints/${id}`)).status).toBe(200);
  });

  it('writes an endpoint and the shop subscription together: a lost race on the shop writes neither, the retry one', async () => {
    const shop = await stack.createShop();
    const deps = endpointAdminDeps(runtime());
    // The first read of the shop is a stale copy, as if another change landed just after it.
    let reads = 0;
    const shops = {
      ...deps.shops,
      get: async (id: string) => {
        const s = await deps.shops.get(id);
        return s && reads++ === 0 ? { ...s, version: s.version - 1 } : s;
      },
    };
    const commits: boolean[] = [];
    const store = {
      ...deps.store,
      commitEndpoint: async (...a: Parameters<typeof deps.store.commitEndpoint>) => {
        const done = await deps.store.commitEndpoint(...a);
        commits.push(done);
        // After the lost race nothing of it is stored: neither the endpoint nor the shop's types.
        if (!done) {
          expect(await deps.store.listEndpoints(shop.shop.id)).toEqual([]);
          expect((await deps.shops.get(shop.shop.id))?.outgoingEvents).toBeUndefined();
        }
        return done;
      },
    };
    const r = await createEndpoint({ ...deps, shops, store }, (await deps.shops.get(shop.shop.id))!, {
      url: 'https://hooks.example.com/a',
      events: ['points.earned'],
    } as CreateEndpointInput);
    expect(r.ok).toBe(true);
    expect(commits).toEqual([false, true]);
    const stored = await deps.store.listEndpoints(shop.shop.id);
    expect(stored.map((e) => e.endpointId)).toEqual([r.ok && r.value.endpoint.id]);
    expect((await deps.shops.get(shop.shop.id))?.outgoingEvents).toEqual(['points.earned']);
    // Deleting takes the types off in the same write.
    expect((await api(shop, 'DELETE', `/endpoints/${stored[0]!.endpointId}`)).status).toBe(204);
    expect(await deps.store.listEndpoints(shop.shop.id)).toEqual([]);
    expect((await deps.shops.get(shop.shop.id))?.outgoingEvents).toBeUndefined();
  });

  it('caps the endpoints of a shop', async () => {
    const shop = await stack.createShop();
    for (let i = 0; i < 10; i++) await register(shop, `https://hooks.example.com/${i}`);
    const r = await api(shop, 'POST', '/endpoints', { url: 'https://hooks.example.com/11', events: ['*'] });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('too_many_endpoints');
  });

  it('refuses private, loopback-like, link-local, unique-local, multicast and non-http targets at registration', async () => {
    const shop = await stack.createShop();
    for (const url of [
      'http://10.0.0.1/hook',
      'http://192.168.1.10/hook',
      'http://172.16.0.5/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:10.0.0.1]/hook',
      'http://[::ffff:169.254.169.254]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[ff02::1]/hook',
      'http://224.0.0.1/hook',
      'http://0.0.0.0/hook',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://intranet/hook',
      'ftp://hooks.example.com/hook',
      'file:///etc/passwd',
      'https://user:pass@hooks.example.com/hook',
    ]) {
      const r = await api(shop, 'POST', '/endpoints', { url, events: ['*'] });
      expect(r.status, url).toBe(400);
      expect(r.json.error.code, url).toMatch(/url_not_allowed|validation_failed/);
    }
    expect((await api(shop, 'GET', '/endpoints')).json.items).toEqual([]);
  });
});

describe('deliveries', () => {
  it('queues nothing for a shop without endpoints', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { id: 'quiet', email: 'quiet@example.com' });
    const due = await endpointStore(runtime()).due(shop.shop.id, new Date(Date.now() + 86_400_000).toISOString(), 10);
    expect(due).toEqual([]);
  });

  it('delivers signed events that an independent verifier accepts, with the customer and the figures', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned', 'tier.changed']);
    rx.state.secrets = [secret];
    await sendOrder(shop, { id: 'ann', email: 'ann@example.com', firstName: 'Ann' }, '600.00');
    const summary = await sweep();
    expect(summary.fannedOut).toBeGreaterThanOrEqual(1);
    expect(rx.state.received.length).toBeGreaterThanOrEqual(1);
    expect(rx.state.received.every((r) => r.verified)).toBe(true);
    const earned = rx.state.received.find((r) => r.body.type === 'points.earned')!;
    expect(earned.body.data).toMatchObject({
      shopId: shop.shop.id,
      customer: { cid: 'i.ann', platformCustomerId: 'ann', email: 'ann@example.com' },
      source: 'order',
      points: expect.any(Number),
      balance: expect.objectContaining({ pending: expect.any(Number) }),
    });
    expect(earned.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    const log = await deliveries(shop, id);
    // The log keeps no address: it is read from the customer at send time.
    expect(JSON.stringify(log)).not.toContain('ann@example.com');
    expect(log.find((d) => d.id === earned.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastResponseStatus: 200,
      nextAttemptAt: null,
    });
    // Nothing left to do.
    expect((await sweep()).delivered).toBe(0);
  });

  it('reports a paid membership joined by an order and cancelled by its refund', async () => {
    const shop = await stack.createShop({
      program: { membership: { enabled: true, plans: [{ id: 'vip', name: 'VIP Club', skus: ['VIP'] }] } },
    });
    const rx = await receiver();
    const { secret } = await register(shop, rx.url, ['membership.changed']);
    rx.state.secrets = [secret];
    const member = { id: 'vip1', email: 'vip1@example.com' };
    await sendOrder(shop, member, '99.00', { lines: [{ id: '1', sku: 'VIP', quantity: 1, price: '99.00' }] });
    const at = clock.now().toISOString();
    await sendOrder(shop, member, '50.00');
    await sweep();
    expect(rx.state.received.map((r) => [r.body.type, r.body.data.kind])).toEqual([['membership.changed', 'joined']]);
    expect(rx.state.received[0]!.body.data).toMatchObject({
      shopId: shop.shop.id,
      customer: { cid: 'i.vip1', platformCustomerId: 'vip1', email: 'vip1@example.com' },
      planId: 'vip',
      status: 'active',
    });
    const orderId = `W-${seq - 1}`;
    const body = JSON.stringify({
      id: `evt-${orderId}-refund`,
      type: 'order.refunded',
      createdAt: at,
      data: {
        id: orderId,
        currency: 'DKK',
        createdAt: at,
        updatedAt: clock.now().toISOString(),
        customer: member,
        lines: [{ id: '1', sku: 'VIP', quantity: 1, price: '99.00' }],
        total: '99.00',
        refunds: [{ id: 'r1', createdAt: at, amount: '99.00' }],
      },
    });
    const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body,
      headers: customHeaders(body, shop.input.webhookSecret, clock.now()),
    });
    expect(r.status, r.text).toBe(200);
    await sweep();
    expect(rx.state.received.map((x) => x.body.data.kind)).toEqual(['joined', 'cancelled']);
    expect(rx.state.received.every((x) => x.verified)).toBe(true);
  });

  it('sends an event handed over by the table stream (to the outbox sender) at once, and the sweep then has nothing to do', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    await sendOrder(shop, { id: 'streamed', email: 'streamed@example.com' });
    const due = await endpointStore(runtime()).due(shop.shop.id, new Date(Date.now() + 60_000).toISOString(), 10);
    expect(due).toEqual([{ kind: 'event', eventId: expect.any(String) }]);
    const eventId = (due[0] as { eventId: string }).eventId;
    const record = (sequence: string) => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: sequence,
        NewImage: { itemType: { S: 'webhook_event' }, shopId: { S: shop.shop.id }, eventId: { S: eventId } },
      },
    });
    // The outbox sender reads the stream for both (one reader fewer on the shard): an e-mail item
    // beside the event goes its own way. The same record twice (a retried batch): fanned out once,
    // delivered once.
    const out = await outboxHandler(
      { Records: [record('1'), record('2')] },
      { getRemainingTimeInMillis: () => 60_000 },
    );
    expect(out).toEqual({ batchItemFailures: [] });
    expect(rx.state.received.map((r) => r.id)).toEqual([eventId]);
    expect(await sweep()).toMatchObject({ fannedOut: 0, delivered: 0 });
  });

  it('reports adjustments, redemptions and erasures as they commit; the erasure with ids only', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { secret } = await register(shop, rx.url, ['points.earned', 'points.redeemed', 'customer.redacted']);
    rx.state.secrets = [secret];
    await sendOrder(shop, { id: 'eva', email: 'eva@example.com', firstName: 'Eva' });
    const adjust = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/eva/adjustments`, {
      key: shop.apiKey,
      body: { points: 600, reason: 'Welcome gift' },
      headers: { 'idempotency-key': 'adj-eva-1' },
    });
    expect(adjust.status, adjust.text).toBeLessThan(300);
    const redeem = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/eva/redemptions`, {
      key: shop.apiKey,
      body: { rewardId: 'five-off' },
      headers: { 'idempotency-key': 'redeem-eva-1' },
    });
    expect(redeem.status, redeem.text).toBe(201);
    const redact = JSON.stringify({
      id: 'evt-redact-eva',
      type: 'customer.redact',
      createdAt: clock.now().toISOString(),
      data: { customerId: 'eva', email: 'eva@example.com' },
    });
    const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body: redact,
      headers: customHeaders(redact, shop.input.webhookSecret, clock.now()),
    });
    expect(r.status).toBe(200);
    await sweep();
    expect(rx.state.received.every((x) => x.verified)).toBe(true);
    const byType = (t: string) => rx.state.received.filter((x) => x.body.type === t).map((x) => x.body.data);
    expect(byType('points.earned').map((d) => d.source)).toEqual(expect.arrayContaining(['order', 'adjustment']));
    expect(byType('points.earned').find((d) => d.source === 'adjustment')).toMatchObject({ points: 600 });
    expect(byType('points.redeemed')).toEqual([
      expect.objectContaining({
        points: 500,
        rewardId: 'five-off',
        customer: expect.objectContaining({ cid: 'i.eva' }),
      }),
    ]);
    const [erased] = byType('customer.redacted');
    expect(erased).toEqual({ shopId: shop.shop.id, customer: { cid: 'i.eva', platformCustomerId: 'eva' } });
    // Sent after the erasure: no event carries the address any more.
    expect(JSON.stringify(rx.state.received)).not.toContain('eva@example.com');
  });

  it('tells the shop what to fulfil when an exclusive reward is redeemed, with the code the customer shows', async () => {
    const shop = await stack.createShop({
      program: {
        rewards: [
          {
            id: 'tasting',
            name: 'Tasting',
            type: 'experience',
            pointsCost: 200,
            valueMinor: 0,
            description: 'Tasting evening',
            startsAt: '2026-12-24T18:00:00+01:00',
            stock: 10,
          },
        ],
      },
    });
    const rx = await receiver();
    const { secret } = await register(shop, rx.url, ['points.redeemed']);
    rx.state.secrets = [secret];
    await sendOrder(shop, { id: 'ida', email: 'ida@example.com' });
    const adjust = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/ida/adjustments`, {
      key: shop.apiKey,
      body: { points: 300, reason: 'Welcome gift' },
    });
    expect(adjust.status, adjust.text).toBe(201);
    const redeem = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/ida/redemptions`, {
      key: shop.apiKey,
      body: { rewardId: 'tasting' },
      headers: { 'idempotency-key': 'redeem-ida-1' },
    });
    expect(redeem.status, redeem.text).toBe(201);
    await sweep();
    expect(rx.state.received.map((x) => [x.verified, x.body.type])).toEqual([[true, 'points.redeemed']]);
    expect(rx.state.received[0]!.body.data).toMatchObject({
      points: 200,
      rewardId: 'tasting',
      rewardType: 'experience',
      code: redeem.json.redemption.code,
      description: 'Tasting evening',
      startsAt: '2026-12-24T18:00:00+01:00',
    });
  });

  it('gets every event exactly once to an endpoint that was down for a while', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    rx.state.answer = 503;
    for (let i = 0; i < 6; i++) await sendOrder(shop, { id: `down-${i}`, email: `down${i}@example.com` });
    await sweep();
    expect(rx.state.received).toHaveLength(6);
    expect(rx.state.accepted.size).toBe(0);
    // Down through the first retries (5 s, 5 min, 30 min)…
    for (const wait of [6_000, 6 * 60_000, 35 * 60_000]) {
      offsetMs += wait;
      await sweep();
    }
    const pending = await deliveries(shop, id);
    expect(pending).toHaveLength(6);
    expect(pending.every((d) => d.status === 'pending' && d.attempts === 4 && d.lastResponseStatus === 503)).toBe(true);
    // …then back: the next retry (about 2 h later) gets everything through.
    rx.state.answer = 200;
    offsetMs += 2.5 * 3_600_000;
    await sweep();
    await sweep();
    const ids = new Set(rx.state.received.map((r) => r.id));
    expect(ids.size).toBe(6);
    expect([...rx.state.accepted.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(rx.state.received.every((r) => r.verified)).toBe(true);
    // The same webhook-id on every attempt, so a receiver can drop duplicates by it.
    for (const d of ids) expect(rx.state.received.filter((r) => r.id === d)).toHaveLength(5);
    const done = await deliveries(shop, id);
    expect(done.every((d) => d.status === 'delivered' && d.attempts === 5)).toBe(true);
    offsetMs = 0;
  });

  it('reports a held referral, and its completion when a marketer approves it (the real clock)', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { secret } = await register(shop, rx.url, ['referral.held', 'referral.completed']);
    rx.state.secrets = [secret];
    const home = { address1: 'Strandvejen 5', city: 'Aarhus', zip: '8000', countryCode: 'DK' };
    await sendOrder(shop, { id: 'host', email: 'host@example.com' }, '250.00', { shippingAddress: home });
    const host = await api(shop, 'GET', '/customers/host');
    expect(host.status, host.text).toBe(200);
    const code = (host.json as { referral: { code: string } }).referral.code;
    // Same address as the referrer: held for a marketer.
    await sendOrder(shop, { id: 'guest', email: 'guest@example.com' }, '250.00', {
      shippingAddress: { ...home, address1: 'strandvejen  5' },
      discountCodes: [code],
    });
    await sweep();
    expect(rx.state.received.map((r) => r.body.type)).toEqual(['referral.held']);
    const approved = await api(shop, 'POST', '/referrals/i.guest/approve');
    expect(approved.status, approved.text).toBe(200);
    await sweep();
    expect(rx.state.received.map((r) => r.body.type)).toEqual(['referral.held', 'referral.completed']);
    expect(rx.state.received[1]!.body.data).toMatchObject({
      referralId: 'i.guest',
      status: 'approved',
      customer: { cid: 'i.host' },
      friend: { cid: 'i.guest' },
    });
  });

  it('refuses at send time a name that resolves to a private or metadata address, and never connects', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    // Public-looking names: they pass registration; DNS decides at send time.
    dns['evil.example.com'] = ['10.0.0.1'];
    dns['metadata.example.com'] = ['169.254.169.254'];
    // One good address (our own receiver) beside a bad one: refused whole, so nothing reaches the receiver.
    dns['rebind.example.com'] = ['127.0.0.1', '10.0.0.1'];
    dns['mapped.example.com'] = ['::ffff:192.168.0.1'];
    const eps = [];
    for (const host of ['evil', 'metadata', 'rebind', 'mapped'])
      eps.push(await register(shop, `http://${host}.example.com:${rx.port}/hook`, ['points.earned']));
    await sendOrder(shop, { id: 'ssrf', email: 'ssrf@example.com' });
    await sweep();
    expect(rx.state.received).toEqual([]);
    for (const ep of eps) {
      const [d] = await deliveries(shop, ep.id);
      expect(d).toMatchObject({ status: 'failed', reason: 'blocked_address', attempts: 1 });
      expect(String(d!.lastError)).toMatch(/address_not_allowed/);
    }
  });

  it('waits as long as a busy receiver asks (Retry-After)', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    rx.state.answer = 429;
    rx.state.retryAfter = '3600';
    const before = clock.now().getTime();
    await sendOrder(shop, { id: 'busy', email: 'busy@example.com' });
    await sweep();
    const [d] = await deliveries(shop, id);
    expect(d).toMatchObject({ status: 'pending', lastResponseStatus: 429 });
    expect(Date.parse(String(d!.nextAttemptAt)) - before).toBeGreaterThanOrEqual(3_600_000);
    // Not before then, whatever the schedule says.
    offsetMs += 10 * 60_000;
    await sweep();
    expect(rx.state.received).toHaveLength(1);
    offsetMs = 0;
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    rx.state.answer = 410;
    await sendOrder(shop, { id: 'gone', email: 'gone@example.com' });
    await sweep();
    const [d] = await deliveries(shop, id);
    expect(d).toMatchObject({ status: 'failed', reason: 'endpoint_gone', lastResponseStatus: 410 });
    const ep = await api(shop, 'GET', `/endpoints/${id}`);
    expect(ep.json.endpoint).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    const s = await stack.api('GET', `/admin/shops/${shop.shop.id}`, { key: shop.apiKey });
    expect(s.json.shop.outgoingEvents).toBeUndefined();
  });

  it('fails (does not hold) the pending deliveries of a disabled endpoint; re-enabled, the retry route sends them', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    rx.state.answer = 503;
    await sendOrder(shop, { id: 'paused', email: 'paused@example.com' });
    await sweep();
    expect((await api(shop, 'PATCH', `/endpoints/${id}`, { enabled: false })).status).toBe(200);
    offsetMs += 60_000;
    await sweep();
    const [d] = await deliveries(shop, id);
    expect(d).toMatchObject({ status: 'failed', reason: 'endpoint_disabled' });
    expect(rx.state.received).toHaveLength(1);
    expect((await api(shop, 'PATCH', `/endpoints/${id}`, { enabled: true })).status).toBe(200);
    rx.state.answer = 200;
    expect((await api(shop, 'POST', `/endpoints/${id}/deliveries/${String(d!.id)}/retry`)).status).toBe(200);
    await sweep();
    expect((await deliveries(shop, id))[0]).toMatchObject({ status: 'delivered' });
    offsetMs = 0;
  });

  it('gives up after the retry schedule, and sends again on the retry route', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    rx.state.answer = 500;
    await sendOrder(shop, { id: 'late', email: 'late@example.com' });
    await sweep();
    // Each retry as soon as it is due, until given up: all ten attempts fit in the 72 hours.
    for (let i = 0; i < 12; i++) {
      const [d] = await deliveries(shop, id);
      if (d!.status !== 'pending') break;
      offsetMs = Date.parse(String(d!.nextAttemptAt)) + 1_000 - Date.now();
      await sweep();
    }
    const [failed] = await deliveries(shop, id);
    expect(Date.parse(String(failed!.lastAttemptAt)) - Date.parse(String(failed!.createdAt))).toBeLessThan(
      72 * 3_600_000,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      reason: 'retries_exhausted',
      attempts: 10,
      lastResponseStatus: 500,
    });
    expect(rx.state.received).toHaveLength(10);

    const notFailed = await api(shop, 'POST', `/endpoints/${id}/deliveries/nope/retry`);
    expect(notFailed.status).toBe(404);
    rx.state.answer = 204;
    const retried = await api(shop, 'POST', `/endpoints/${id}/deliveries/${String(failed!.id)}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.json.delivery).toMatchObject({ status: 'pending', attempts: 0 });
    await sweep();
    const [done] = await deliveries(shop, id);
    expect(done).toMatchObject({ status: 'delivered', lastResponseStatus: 204 });
    const again = await api(shop, 'POST', `/endpoints/${id}/deliveries/${String(failed!.id)}/retry`);
    expect(again.status).toBe(409);
    offsetMs = 0;
  });

  it('gives up, unsent, a delivery whose 72 hours ran out while the receiver kept asking for more time', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    rx.state.answer = 503;
    rx.state.retryAfter = String(12 * 3_600);
    await sendOrder(shop, { id: 'slow', email: 'slow@example.com' });
    const start = clock.now().getTime();
    await sweep();
    for (let i = 0; i < 12; i++) {
      const [d] = await deliveries(shop, id);
      if (d!.status !== 'pending') break;
      expect(Date.parse(String(d!.nextAttemptAt)) - start).toBeLessThan(72 * 3_600_000);
      offsetMs = Date.parse(String(d!.nextAttemptAt)) + 1_000 - Date.now();
      await sweep();
    }
    const [failed] = await deliveries(shop, id);
    expect(failed).toMatchObject({ status: 'failed', reason: 'retries_exhausted' });
    expect(Date.parse(String(failed!.lastAttemptAt)) - start).toBeLessThan(72 * 3_600_000);
    rx.state.retryAfter = undefined;
    offsetMs = 0;
  });

  it('signs with both secrets during a rotation', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret: old } = await register(shop, rx.url, ['points.earned']);
    const rotated = await api(shop, 'POST', `/endpoints/${id}/secret`);
    const fresh = rotated.json.secret as string;
    await sendOrder(shop, { id: 'rot', email: 'rot@example.com' });
    // A receiver that only knows the old secret, and one that knows only the new, both verify.
    rx.state.secrets = [old];
    await sweep();
    const [got] = rx.state.received;
    expect(got!.signatures).toHaveLength(2);
    expect(got!.verified).toBe(true);
    const raw = JSON.stringify(got!.body);
    expect(specVerify(fresh, got!.id, String(got!.timestamp), raw, got!.signatures.join(' '))).toBe(true);
  });

  it('pages the delivery log with a cursor', async () => {
    const shop = await stack.createShop();
    const rx = await receiver();
    const { id, secret } = await register(shop, rx.url, ['points.earned']);
    rx.state.secrets = [secret];
    for (let i = 0; i < 3; i++) await sendOrder(shop, { id: `page-${i}`, email: `page${i}@example.com` });
    await sweep();
    const first = await api(shop, 'GET', `/endpoints/${id}/deliveries?limit=2`);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await api(shop, 'GET', `/endpoints/${id}/deliveries?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items).toHaveLength(1);
    const all = [...first.json.items, ...second.json.items].map((d: { id: string }) => d.id);
    expect(new Set(all).size).toBe(3);
    expect((await api(shop, 'GET', `/endpoints/${id}/deliveries?cursor=garbage`)).status).toBe(400);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpPoster } from '../../../shared/adapters/webhook-http';
import {
  deliverOne,
  drainWebhooks,
  sendEvents,
  type WebhookSenderDeps,
} from '../../../shared/app/webhook-sender-service';
import type { DeliverySettlement, EndpointStore } from '../../../shared/app/ports/endpoints';
import type { Delivery } from '../../../shared/domain/outgoing/delivery';
import type { Endpoint } from '../../../shared/domain/outgoing/endpoint';
import { fixedClock } from '../../../shared/adapters/clock';

describe('httpPoster', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ host: req.headers.host, headers: req.headers, body });
        if (req.url === '/redirect') res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' }).end();
        else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2_000);
        else res.writeHead(204, { 'retry-after': '7' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it('connects to the checked address, whatever the name would resolve to, and keeps the name as Host', async () => {
    // `.invalid` never resolves: the request can only have gone to the pinned address.
    const url = new URL(`http://hooks.invalid:${port}/ok`);
    const out = await httpPoster.post({
      url,
      address: '127.0.0.1',
      family: 4,
      headers: { 'webhook-id': 'm1' },
      body: '{"a":1}',
      timeoutMs: 5_000,
    });
    expect(out).toEqual({ status: 204, retryAfter: '7' });
    expect(seen.at(-1)).toMatchObject({ host: `hooks.invalid:${port}`, body: '{"a":1}' });
    expect(seen.at(-1)!.headers['webhook-id']).toBe('m1');
  });

  it('follows no redirect and gives up after the timeout', async () => {
    const base = { address: '127.0.0.1', family: 4 as const, headers: {}, body: '{}' };
    const before = seen.length;
    expect(
      await httpPoster.post({ ...base, url: new URL(`http://x.invalid:${port}/redirect`), timeoutMs: 5_000 }),
    ).toEqual({
      status: 302,
    });
    expect(seen.length).toBe(before + 1);
    await expect(
      httpPoster.post({ ...base, url: new URL(`http://x.invalid:${port}/slow`), timeoutMs: 300 }),
    ).rejects.toThrow(/no answer within 300 ms/);
  });
});

describe('deliverOne', () => {
  const now = '2026-03-01T10:00:00.000Z';
  const endpoint: Endpoint = {
    shopId: 's',
    endpointId: 'ep_1',
    url: 'https://hooks.example.com/in',
    events: ['*'],
    enabled: true,
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const delivery: Delivery = {
    shopId: 's',
    endpointId: 'ep_1',
    deliveryId: 'D1',
    eventType: 'points.earned',
    eventAt: now,
    data: { shopId: 's', customer: { cid: 'i.1' }, points: 5 },
    createdAt: now,
    status: 'sending',
    attempts: 1,
    claim: 'c',
  };

  const setup = (addresses: string[]) => {
    const settled: DeliverySettlement[] = [];
    const posted: { address: string; host: string; body: string; headers: Record<string, string> }[] = [];
    const store = {
      claimDelivery: async () => ({ ...delivery }),
      getEndpoint: async () => endpoint,
      settleDelivery: async (_d: Delivery, o: DeliverySettlement) => (settled.push(o), true),
    } as unknown as EndpointStore;
    const deps: WebhookSenderDeps = {
      store,
      ledger: { getCustomer: async () => ({ email: 'a@example.com' }) as never },
      resolver: { lookup: async () => addresses.map((address) => ({ address, family: 4 as const })) },
      poster: {
        post: async (r) => {
          posted.push({ address: r.address, host: r.url.hostname, body: r.body, headers: r.headers });
          return { status: 200 };
        },
      },
      clock: fixedClock(now),
      random: () => 0.5,
      logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
      policy: { allowLoopback: false },
      subscriptions: {} as never,
      // Never ends on its own: these attempts finish first.
      sleep: () => new Promise<void>(() => undefined),
      limits: { timeoutMs: 1_000, leaseMs: 30_000 },
    };
    return { deps, settled, posted };
  };

  it('posts to the resolved, checked address, signed, with the address added at send time', async () => {
    const { deps, settled, posted } = setup(['93.184.216.34']);
    expect(await deliverOne(deps, 's', 'ep_1', 'D1')).toBe('delivered');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ address: '93.184.216.34', host: 'hooks.example.com' });
    expect(JSON.parse(posted[0]!.body)).toEqual({
      type: 'points.earned',
      timestamp: now,
      data: { shopId: 's', customer: { cid: 'i.1', email: 'a@example.com' }, points: 5 },
    });
    expect(posted[0]!.headers['webhook-id']).toBe('D1');
    expect(posted[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    expect(settled).toEqual([{ status: 'delivered', at: now, responseStatus: 200 }]);
  });

  it('bounds the DNS lookup by the attempt: a hanging resolver ends in a retry, never a late POST', async () => {
    const { deps, settled, posted } = setup(['93.184.216.34']);
    const waits: number[] = [];
    const hanging = {
      ...deps,
      resolver: { lookup: () => new Promise<never>(() => undefined) },
      sleep: async (ms: number) => void waits.push(ms),
    };
    expect(await deliverOne(hanging, 's', 'ep_1', 'D1')).toBe('retry');
    expect(posted).toEqual([]);
    expect(settled[0]).toMatchObject({ status: 'retry', error: expect.stringContaining('timeout') });
    // The attempt's whole budget, which the claim (30 s) outlasts.
    expect(waits).toEqual([1_000]);
  });

  it('gives the POST only what the attempt has left, and cuts the attempt to end before the claim', async () => {
    const { deps, posted } = setup(['93.184.216.34']);
    const timeouts: number[] = [];
    const poster = {
      post: async (r: Parameters<WebhookSenderDeps['poster']['post']>[0]) => {
        timeouts.push(r.timeoutMs);
        return deps.poster.post(r);
      },
    };
    expect(
      await deliverOne({ ...deps, poster, limits: { timeoutMs: 60_000, leaseMs: 30_000 } }, 's', 'ep_1', 'D1'),
    ).toBe('delivered');
    expect(posted).toHaveLength(1);
    expect(timeouts[0]).toBeLessThanOrEqual(25_000);
  });

  it("checks the batch's deadline before each delivery of a fanned-out event, not only per event", async () => {
    const { deps, posted } = setup(['93.184.216.34']);
    let t = Date.parse(now);
    const endpoints = ['ep_1', 'ep_2', 'ep_3'].map((endpointId) => ({ ...endpoint, endpointId }));
    const store = {
      ...deps.store,
      getEvent: async () => ({ eventId: 'D1', type: 'points.earned', cid: 'i.1', at: now, data: delivery.data }),
      listEndpoints: async () => endpoints,
      fanOut: async () => true,
    } as unknown as EndpointStore;
    // Every POST takes 10 s; the batch has 5 s left.
    const poster = {
      post: async (r: Parameters<WebhookSenderDeps['poster']['post']>[0]) => {
        t += 10_000;
        return deps.poster.post(r);
      },
    };
    const clock = { now: () => new Date(t) };
    const summary = await sendEvents({ ...deps, store, poster, clock }, [{ shopId: 's', eventId: 'D1' }], {
      deadlineMs: Date.parse(now) + 5_000,
    });
    expect(posted).toHaveLength(1);
    expect(summary).toMatchObject({ fannedOut: 1, delivered: 1 });
  });

  it('shares the sweep between shops: a hanging receiver first in line does not starve the others', async () => {
    const { deps } = setup(['93.184.216.34']);
    let t = Date.parse(now);
    let n = 0;
    const pending = new Set(['b', 'c']);
    const store = {
      ...deps.store,
      // Shop a always has more due; b and c one delivery each.
      due: async (shopId: string) =>
        shopId === 'a'
          ? [{ kind: 'delivery', endpointId: 'ep_1', deliveryId: `A${++n}` }]
          : pending.has(shopId)
            ? [{ kind: 'delivery', endpointId: 'ep_1', deliveryId: `${shopId}1` }]
            : [],
      claimDelivery: async (shopId: string, _e: string, deliveryId: string) => ({ ...delivery, shopId, deliveryId }),
      settleDelivery: async (d: Delivery, o: DeliverySettlement) => {
        if (o.status === 'delivered') pending.delete(d.shopId);
        return true;
      },
    } as unknown as EndpointStore;
    // Shop a's receiver hangs for the whole 15 s timeout, every time.
    const poster = {
      post: async (r: Parameters<WebhookSenderDeps['poster']['post']>[0]) => {
        if (r.body.includes('"shopId":"a"') || r.headers['webhook-id']!.startsWith('A')) {
          t += 15_000;
          throw new Error('timeout');
        }
        return { status: 200 };
      },
    };
    // Minute 0 of the rotation puts shop a first.
    t = Math.ceil(t / (3 * 60_000)) * 3 * 60_000;
    const clock = { now: () => new Date(t) };
    const summary = await drainWebhooks({ ...deps, store, poster, clock }, ['a', 'b', 'c'], {
      deadlineMs: t + 45_000,
      concurrency: 1,
    });
    expect(pending.size).toBe(0);
    expect(summary.delivered).toBe(2);
    expect(summary.retry).toBeGreaterThan(0);
  });

  it('starts each sweep at another shop', async () => {
    const { deps } = setup(['93.184.216.34']);
    const asked: string[] = [];
    const store = {
      ...deps.store,
      due: async (shopId: string) => (asked.push(shopId), []),
    } as unknown as EndpointStore;
    const at = (minute: number) => ({ now: () => new Date(minute * 60_000) });
    for (const minute of [0, 1, 2])
      await drainWebhooks({ ...deps, store, clock: at(minute) }, ['a', 'b', 'c'], { deadlineMs: 1e15 });
    expect(asked).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  });

  it('gives up unsent a delivery whose 72 hours have run out', async () => {
    const { deps, settled, posted } = setup(['93.184.216.34']);
    const late = { ...deps, clock: fixedClock(new Date(Date.parse(now) + 72 * 3_600_000).toISOString()) };
    expect(await deliverOne(late, 's', 'ep_1', 'D1')).toBe('failed');
    expect(posted).toEqual([]);
    expect(settled[0]).toMatchObject({ status: 'failed', reason: 'retries_exhausted' });
  });

  it.each([['10.0.0.1'], ['169.254.169.254'], ['93.184.216.34', '127.0.0.1']])(
    'never connects when the name resolves to %s',
    async (...addresses) => {
      const { deps, settled, posted } = setup(addresses);
      expect(await deliverOne(deps, 's', 'ep_1', 'D1')).toBe('failed');
      expect(posted).toEqual([]);
      expect(settled[0]).toMatchObject({ status: 'failed', reason: 'blocked_address' });
    },
  );
});

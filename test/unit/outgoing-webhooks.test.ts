import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  maxAttempts,
  nextRetryDelayMs,
  nextAttemptAtMs,
  giveUpAtMs,
  lastCallMs,
  resultOfStatus,
  retryAfterMs,
  retrySchedule,
} from '../../shared/domain/outgoing/delivery';
import {
  cidsToAddress,
  eventsOfPlan,
  subscribedTypes,
  withAddresses,
  withOutgoing,
} from '../../shared/domain/outgoing/events';
import {
  endpointSecret,
  signatureHeader,
  signMessage,
  verifySignature,
  webhookHeaders,
} from '../../shared/domain/outgoing/signature';
import { addressAllowed, addressKind, checkTargetUrl } from '../../shared/domain/outgoing/ssrf';
import { newCustomer } from '../../shared/domain/ledger/customer';
import type { Plan } from '../../shared/domain/ledger/plans';
import type { LedgerEntry } from '../../shared/domain/ledger/entries';

describe('Standard Webhooks signature', () => {
  // The example in the spec's reference libraries: secret, id, timestamp, payload and signature.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it('signs `id.timestamp.body` with the base64 key after whsec_', () => {
    expect(signMessage(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('matches an HMAC computed by hand', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    expect(signMessage(secret, id, timestamp, body)).toBe(`v1,${mac}`);
  });

  it('puts one signature per secret, space-separated, and verifies with either', () => {
    const other = endpointSecret(Buffer.alloc(32, 7));
    const header = signatureHeader([other, secret], id, timestamp, body);
    expect(header.split(' ')).toHaveLength(2);
    expect(verifySignature(secret, header, id, timestamp, body)).toBe(true);
    expect(verifySignature(other, header, id, timestamp, body)).toBe(true);
    expect(verifySignature(secret, header, id, timestamp + 1, body)).toBe(false);
    expect(verifySignature(endpointSecret(Buffer.alloc(32, 8)), header, id, timestamp, body)).toBe(false);
  });

  it('sends the three headers', () => {
    expect(webhookHeaders([secret], { id, timestamp, body })).toEqual({
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('makes secrets in the whsec_<base64> form', () => {
    const s = endpointSecret(Buffer.alloc(32, 1));
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});

describe('SSRF: address kinds', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'private'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link_local'],
    ['[::1]', 'loopback'],
    ['not-an-ip', 'invalid'],
  ];
  it.each(cases)('%s is %s', (ip, kind) => expect(addressKind(ip)).toBe(kind));

  it('allows only public addresses, and loopback where the local setting says', () => {
    for (const [ip, kind] of cases) {
      expect(addressAllowed(ip, { allowLoopback: false })).toBe(kind === 'public');
      expect(addressAllowed(ip, { allowLoopback: true })).toBe(kind === 'public' || kind === 'loopback');
    }
  });
});

describe('SSRF: registration', () => {
  const aws = { allowLoopback: false };
  const local = { allowLoopback: true };
  it('needs https in AWS; http and loopback are for local receivers only', () => {
    expect(checkTargetUrl('https://hooks.example.com/x', aws).ok).toBe(true);
    expect(checkTargetUrl('http://hooks.example.com/x', aws)).toMatchObject({ error: { kind: 'scheme_not_allowed' } });
    expect(checkTargetUrl('http://hooks.example.com/x', local).ok).toBe(true);
    expect(checkTargetUrl('https://127.0.0.1/x', aws)).toMatchObject({ error: { kind: 'address_not_allowed' } });
    expect(checkTargetUrl('http://127.0.0.1:3000/x', local).ok).toBe(true);
    expect(checkTargetUrl('http://localhost:3000/x', local).ok).toBe(true);
    expect(checkTargetUrl('https://localhost/x', aws).ok).toBe(false);
    expect(checkTargetUrl('https://[::1]/x', aws).ok).toBe(false);
  });
  it.each([
    'https://10.1.2.3/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:169.254.169.254]/',
    'https://[fd00::1]/',
    'https://0.0.0.0/',
    'https://metadata.google.internal/',
    'https://printer.local/',
    'https://intranet/',
    'ftp://hooks.example.com/',
    'javascript:alert(1)',
    'https://a:b@hooks.example.com/',
  ])('refuses %s even locally', (url) => expect(checkTargetUrl(url, local).ok).toBe(false));
});

describe('retry schedule', () => {
  it('waits about 72 hours in all over ten attempts', () => {
    const total = retrySchedule.reduce((s, ms) => s + ms, 0);
    expect(total / 3_600_000).toBeGreaterThan(71);
    expect(total / 3_600_000).toBeLessThanOrEqual(72);
    expect(maxAttempts).toBe(10);
  });
  it('jitters each wait by at most 10 % and gives up after the last', () => {
    expect(nextRetryDelayMs(1, 0)).toBe(4_500);
    expect(nextRetryDelayMs(1, 0.999999)).toBeLessThanOrEqual(5_500);
    expect(nextRetryDelayMs(4, 0.5)).toBe(2 * 3_600_000);
    expect(nextRetryDelayMs(9, 0.5)).toBe(20 * 3_600_000);
    expect(nextRetryDelayMs(10, 0.5)).toBeUndefined();
  });
  it('never schedules a retry past 72 hours from creation (or a manual retry), whatever jitter and Retry-After say', () => {
    const createdAt = '2026-03-01T10:00:00.000Z';
    const closes = Date.parse(createdAt) + 72 * 3_600_000;
    for (const random of [0, 0.5, 0.999999]) {
      for (const retryAfter of [0, 12 * 3_600_000]) {
        // Each attempt as late as the previous settlement allows: the whole schedule.
        let at = Date.parse(createdAt);
        let attempts = 1;
        for (;;) {
          const due = nextAttemptAtMs({ attempts, createdAt }, at, random, retryAfter);
          if (due === undefined) break;
          expect(due).toBeGreaterThan(at);
          expect(due).toBeLessThanOrEqual(closes - lastCallMs);
          at = due + 1_000;
          attempts++;
        }
        expect(attempts).toBeLessThanOrEqual(maxAttempts);
      }
    }
    // The most jitter: the last retry is moved up to the last call rather than dropped.
    let at = Date.parse(createdAt);
    for (let attempts = 1; attempts < maxAttempts; attempts++)
      at = nextAttemptAtMs({ attempts, createdAt }, at, 0.999999)!;
    expect(at).toBe(closes - lastCallMs);
    // Past the last call: given up. A manual retry opens a new window.
    expect(nextAttemptAtMs({ attempts: 2, createdAt }, closes - lastCallMs, 0.5)).toBeUndefined();
    const requeuedAt = '2026-03-05T10:00:00.000Z';
    expect(nextAttemptAtMs({ attempts: 1, createdAt, requeuedAt }, Date.parse(requeuedAt), 0.5)).toBe(
      Date.parse(requeuedAt) + 5_000,
    );
    expect(giveUpAtMs({ createdAt, requeuedAt })).toBe(Date.parse(requeuedAt) + 72 * 3_600_000);
  });

  it('honours Retry-After (seconds or a date), capped at 12 hours', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(3_600_000);
    expect(retryAfterMs('999999', now)).toBe(12 * 3_600_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(resultOfStatus(503, 120_000)).toEqual({
      kind: 'retry',
      status: 503,
      error: 'HTTP 503',
      notBeforeMs: 120_000,
    });
  });

  it('reads answers: 2xx delivered, 410 gone, anything else retried', () => {
    expect(resultOfStatus(200).kind).toBe('delivered');
    expect(resultOfStatus(204).kind).toBe('delivered');
    expect(resultOfStatus(410).kind).toBe('gone');
    expect(resultOfStatus(301).kind).toBe('retry');
    expect(resultOfStatus(429).kind).toBe('retry');
    expect(resultOfStatus(503).kind).toBe('retry');
  });
});

describe('event planning', () => {
  const now = '2026-03-01T10:00:00.000Z';
  const customer = {
    ...newCustomer('i.42', now),
    platformCustomerId: '42',
    email: 'ann@example.com',
    points: { available: 100, pending: 50, lifetimeEarned: 150 },
  };
  const entry = (type: LedgerEntry['type'], available: number, pending = 0, extra: Partial<LedgerEntry> = {}) =>
    ({
      entryId: 'E1',
      type,
      at: now,
      points: { available, pending },
      credit: { available: 0, pending: 0 },
      cause: 'x',
      ...extra,
    }) as LedgerEntry;
  const plan = (e: LedgerEntry, extra: Partial<Plan> = {}): Plan => ({
    customer: { next: { ...customer, version: 2 }, expectedVersion: 1 },
    entry: e,
    ...extra,
  });

  it('queues nothing for a shop without subscriptions', () => {
    expect(eventsOfPlan('s', plan(entry('earn', 0, 50, { orderId: 'o1' })), undefined)).toEqual([]);
    expect(eventsOfPlan('s', plan(entry('earn', 0, 50, { orderId: 'o1' })), [])).toEqual([]);
    const p = plan(entry('earn', 0, 50));
    expect(withOutgoing({ id: 's' }, p)).toBe(p);
  });

  it('reports earned points with the customer and the balance after', () => {
    const [e] = eventsOfPlan('s', plan(entry('earn', 0, 50, { orderId: 'o1' })), ['points.earned']);
    expect(e).toEqual({
      type: 'points.earned',
      cid: 'i.42',
      at: now,
      data: {
        shopId: 's',
        // Ids only: the address is added at send time.
        customer: { cid: 'i.42', platformCustomerId: '42' },
        entryId: 'E1',
        balance: { available: 100, pending: 50 },
        points: 50,
        pending: true,
        source: 'order',
        orderId: 'o1',
      },
    });
  });

  it('reports redemptions and expiry, and only the subscribed types', () => {
    expect(eventsOfPlan('s', plan(entry('redeem', -30, 0, { rewardId: 'r1' })), ['*'])[0]).toMatchObject({
      type: 'points.redeemed',
      data: { points: 30, rewardId: 'r1' },
    });
    expect(eventsOfPlan('s', plan(entry('expire', -100)), ['points.expired'])[0]).toMatchObject({
      type: 'points.expired',
      data: { points: 100 },
    });
    expect(eventsOfPlan('s', plan(entry('expire', -100)), ['points.earned'])).toEqual([]);
    // A confirm moves points between buckets: nothing earned.
    expect(eventsOfPlan('s', plan(entry('confirm', 50, -50)), ['*'])).toEqual([]);
  });

  it('reports what an exclusive reward fulfils, but never a discount code', () => {
    const experience = {
      rewardId: 'r1',
      type: 'experience' as const,
      pointsCost: 30,
      valueMinor: 0,
      code: 'BMR-ABCD-EFGH',
      description: 'Tasting evening',
      startsAt: '2026-06-01T18:00:00+02:00',
    };
    const redeemed = (redemption: Parameters<typeof plan>[1]) =>
      eventsOfPlan('s', plan(entry('redeem', -30, 0, { rewardId: 'r1' }), redemption), ['*'])[0]!.data;
    expect(redeemed({ redemption: experience })).toMatchObject({
      rewardId: 'r1',
      rewardType: 'experience',
      code: 'BMR-ABCD-EFGH',
      description: 'Tasting evening',
      startsAt: '2026-06-01T18:00:00+02:00',
    });
    const discount = redeemed({ redemption: { ...experience, type: 'discount_code' } });
    expect(discount).toMatchObject({ rewardType: 'discount_code' });
    expect(discount).not.toHaveProperty('code');
  });

  it('reports tier changes with from and to', () => {
    const p = plan(entry('earn', 0, 50, { orderId: 'o1' }), {
      tierChanges: [{ cid: 'i.42', change: { kind: 'up', from: 'bronze', to: 'silver', at: now, reason: 'x' } }],
    } as Partial<Plan>);
    const events = eventsOfPlan('s', p, ['tier.changed']);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'tier.changed',
        data: expect.objectContaining({ from: 'bronze', to: 'silver' }),
      }),
    ]);
  });

  it('reports a membership change with its kind, plan and paid period', () => {
    const membership = {
      planId: 'vip',
      status: 'active' as const,
      since: now,
      paidThrough: '2026-02-01T00:00:00.000Z',
      payments: [],
    };
    const member = { ...customer, membership, updatedAt: now, version: 2 };
    const p: Plan = {
      customer: { next: member, expectedVersion: 1 },
      membershipChange: { cid: 'i.42', kind: 'joined', membership },
    };
    expect(eventsOfPlan('s', p, ['membership.changed'])).toEqual([
      {
        type: 'membership.changed',
        cid: 'i.42',
        at: now,
        data: {
          shopId: 's',
          customer: { cid: 'i.42', platformCustomerId: '42' },
          kind: 'joined',
          planId: 'vip',
          status: 'active',
          since: now,
          paidThrough: '2026-02-01T00:00:00.000Z',
        },
      },
    ]);
    expect(eventsOfPlan('s', p, ['tier.changed'])).toEqual([]);
  });

  it('reports a redaction with ids only', () => {
    const redacted = { ...customer, email: undefined, redactedAt: now, updatedAt: now, version: 3 };
    const [e] = eventsOfPlan('s', { customer: { next: redacted, expectedVersion: 2 } }, ['*']);
    expect(e).toEqual({
      type: 'customer.redacted',
      cid: 'i.42',
      at: now,
      data: { shopId: 's', customer: { cid: 'i.42', platformCustomerId: '42' } },
    });
  });

  it('reports referrals held on arrival and completed when approved, with the referrer rewarded', () => {
    const referral = {
      referralId: 'i.friend',
      friendCid: 'i.friend',
      referrerCid: 'i.42',
      code: 'ANN1',
      source: 'link',
      orderId: 'o9',
      currency: 'DKK',
      orderRevenueMinor: 50_000,
      status: 'held',
      findings: [{ reason: 'self_referral', verdict: 'held', detail: 'same address' }],
      rewardPoints: 500,
      awarded: 0,
      issued: 0,
      confirmed: false,
      createdAt: now,
      updatedAt: now,
      version: 1,
    } as unknown as NonNullable<Plan['referral']>['next'];
    const held = eventsOfPlan('s', { referral: { next: referral, expectedVersion: 0 } }, ['*']);
    expect(held).toEqual([
      expect.objectContaining({
        type: 'referral.held',
        cid: 'i.42',
        data: expect.objectContaining({ referralId: 'i.friend', status: 'held', reasons: ['self_referral'] }),
      }),
    ]);
    const later = '2026-03-02T10:00:00.000Z';
    // The decision and the reconciliation read the clock apart: the times differ by a few ms.
    const approved = {
      ...referral,
      status: 'approved' as const,
      decidedAt: later,
      updatedAt: '2026-03-02T10:00:00.004Z',
      version: 2,
    };
    const reward = entry('earn', 0, 500, { cause: 'referral:i.friend@2', orderId: 'o9' });
    const done = eventsOfPlan(
      's',
      {
        referral: { next: approved, expectedVersion: 1, previousStatus: 'held' },
        referrer: { customer: { next: { ...customer, version: 5 }, expectedVersion: 4 }, entry: reward },
      },
      ['referral.completed', 'points.earned'],
    );
    expect(done.map((e) => e.type).sort()).toEqual(['points.earned', 'referral.completed']);
    expect(done.find((e) => e.type === 'points.earned')!.data).toMatchObject({ source: 'referral', points: 500 });
    // A later change to an approved referral (its order confirmed) reports nothing new.
    const confirmed = { ...approved, confirmed: true, updatedAt: '2026-04-01T00:00:00.000Z', version: 3 };
    expect(
      eventsOfPlan('s', { referral: { next: confirmed, expectedVersion: 2, previousStatus: 'approved' } }, ['*']),
    ).toEqual([]);
  });

  it('adds addresses at send time, for customers who still have one, never to an erasure', () => {
    const data = { shopId: 's', customer: { cid: 'i.1' }, friend: { cid: 'i.2' }, points: 5 };
    expect(cidsToAddress('referral.completed', data)).toEqual(['i.1', 'i.2']);
    expect(cidsToAddress('customer.redacted', data)).toEqual([]);
    const found = new Map([
      ['i.1', { email: 'a@example.com' }],
      ['i.2', { email: 'b@example.com', redactedAt: now }],
    ]);
    expect(withAddresses(data, found)).toEqual({
      shopId: 's',
      customer: { cid: 'i.1', email: 'a@example.com' },
      friend: { cid: 'i.2' },
      points: 5,
    });
    expect(data.customer).toEqual({ cid: 'i.1' });
  });

  it('lists the types enabled endpoints listen to', () => {
    expect(
      subscribedTypes([
        { events: ['tier.changed', 'points.earned'], enabled: true },
        { events: ['*'], enabled: false },
      ]),
    ).toEqual(['points.earned', 'tier.changed']);
    expect(subscribedTypes([{ events: ['*'], enabled: true }])).toHaveLength(9);
    expect(subscribedTypes([])).toEqual([]);
  });
});

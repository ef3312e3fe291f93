import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startSesLocal, type RunningService } from '../../local/services';
import { dynamoOutboxStore } from '../../shared/adapters/outbox-store';
import { keys } from '../../shared/adapters/keys';
import { createRuntime, runtime, setRuntime } from '../../shared/wiring/runtime';
import { handler as outboxHandler } from '../../functions/outbox-sender/handler';
import { handler as sesEventsHandler } from '../../functions/ses-events/handler';
import { startWinback } from '../../shared/app/winback-service';
import { newId } from '../../shared/adapters/ids';
import { sesMailer } from '../../shared/adapters/mailer';
import { drainOutbox, outboxHeader } from '../../shared/app/outbox-sender-service';
import { senderDeps } from '../../shared/wiring/outbox-runtime';
import { runNightlyJob } from '../support/jobs';
import { customHeaders } from '../support/payloads';
import { killRunningApps, spawnApp, waitUntil } from '../support/processes';
import { randomId, startTestStack, type CreatedShop, type SesEmail, type TestStack } from '../support/stack';
import { testDb } from '../support/db';
import { testRetryDeps } from '../support/deterministic';
import { loyaltyPageSecretFrom, verifyLoyaltyPageToken } from '../../shared/domain/storefront/page-token';

/**
 * Lifecycle e-mails end to end: orders through the gateway → outbox items written with the
 * change → the sender (the same handler the stream and the sweep invoke) → SES local. This
 * file runs its own SES local so it can stop and restart it.
 */
let stack: TestStack;
let ses: RunningService;
let sesPort: number;
/** Offset added to the wall clock: lets the sender's backoff and the daily job's dates pass. */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

const useRuntime = () => setRuntime({ ...createRuntime(), clock });

beforeAll(async () => {
  stack = await startTestStack();
  ses = await startSesLocal();
  sesPort = Number(new URL(ses.endpoint).port);
  process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
  process.env.BOOMERANG_PUBLIC_BASE_URL = stack.baseUrl;
  useRuntime();
});
afterAll(async () => {
  await killRunningApps();
  await ses?.stop();
  await stack?.close();
});
afterEach(() => {
  offsetMs = 0;
});

const sweep = () =>
  outboxHandler({ job: 'outbox-sweep' }, { getRemainingTimeInMillis: () => 60_000 }) as Promise<Record<string, number>>;

const mails = async (to?: string): Promise<SesEmail[]> => {
  const res = await fetch(new URL('/store', ses.endpoint));
  const { emails } = (await res.json()) as { emails: SesEmail[] };
  return to ? emails.filter((e) => e.destination.to.some((a) => a.toLowerCase().includes(to.toLowerCase()))) : emails;
};
const header = (m: SesEmail, name: string) =>
  m.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

let seq = 0;
const orderBody = (o: {
  customer: Record<string, unknown>;
  total: string;
  id?: string;
  createdAt?: string;
  type?: string;
}) => {
  const id = o.id ?? `E-${++seq}`;
  const createdAt = o.createdAt ?? clock.now().toISOString();
  return JSON.stringify({
    id: `evt-${id}-${o.type ?? 'paid'}`,
    type: o.type ?? 'order.paid',
    createdAt,
    data: {
      id,
      currency: 'DKK',
      createdAt,
      updatedAt: createdAt,
      customer: o.customer,
      lines: [{ id: '1', sku: 'MUG', quantity: 1, price: o.total }],
      total: o.total,
    },
  });
};
const sendOrder = async (shop: CreatedShop, o: Parameters<typeof orderBody>[0]) => {
  const body = orderBody(o);
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret, clock.now()),
  });
  expect(r.status).toBe(200);
};
const read = async (shop: CreatedShop, ref: string) =>
  (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey }))
    .json;
const outbox = async (shop: CreatedShop, status = 'pending') =>
  (await stack.api('GET', `/admin/shops/${shop.shop.id}/outbox?status=${status}&limit=100`, { key: shop.apiKey })).json
    .items as Record<string, unknown>[];

describe('tier e-mails through the outbox', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({ locale: 'da-DK', name: 'Kaffe & Co' });
  });

  it('queues a tier-up e-mail with the order that crosses the tier, and sends it once', async () => {
    await sendOrder(shop, {
      customer: { id: 'mette', email: 'mette@example.dk', firstName: 'Mette', locale: 'da' },
      total: '600.00',
    });
    const c = await read(shop, 'mette');
    expect(c.tier).toMatchObject({
      id: 'silver',
      name: 'Silver',
      progress: { current: 60_000, toNext: 90_000, nextTier: 'Gold' },
    });
    const queued = await outbox(shop);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      type: 'tier_up',
      category: 'transactional',
      status: 'pending',
      attempts: 0,
      data: { tierName: 'Silver', previousTierName: 'Bronze' },
    });

    expect((await sweep()).sent).toBe(1);
    expect((await sweep()).sent).toBe(0);
    const sent = await mails('mette@example.dk');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toMatch(/Silver/);
    expect(sent[0]!.from).toContain('hello@shop.example.com');
    expect(sent[0]!.body.text).toContain('Mette');
    expect(header(sent[0]!, 'List-Unsubscribe')).toMatch(
      new RegExp(`^<${stack.baseUrl}/unsubscribe/[\\w-]+\\.[\\w-]+>$`),
    );
    expect(header(sent[0]!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // The button opens Mette's own loyalty page, signed for her at this shop (for 30 days).
    const page = new RegExp(`${stack.baseUrl}/p/${shop.shop.id}\\?token=([\\w-]+\\.[\\w-]+)`);
    const [, token] = page.exec(sent[0]!.body.text!) ?? [];
    expect(sent[0]!.body.text).toContain(`Se mit medlemskab: ${stack.baseUrl}/p/${shop.shop.id}?token=${token}`);
    expect(sent[0]!.body.html).toContain(`href="${stack.baseUrl}/p/${shop.shop.id}?token=${token}"`);
    const secret = loyaltyPageSecretFrom(stack.operatorKey);
    expect(verifyLoyaltyPageToken(secret, token!, shop.shop.id, clock.now())).toEqual({
      ok: true,
      value: { cid: 'i.mette' },
    });
    expect(verifyLoyaltyPageToken(secret, token!, 'another-shop', clock.now())).toMatchObject({
      ok: false,
      error: { reason: 'wrong_shop' },
    });
    expect(await outbox(shop)).toHaveLength(0);
    expect((await outbox(shop, 'sent'))[0]).toMatchObject({ type: 'tier_up', status: 'sent', attempts: 1 });
    // The customer's profile lists it (the console's "e-mails sent"), and it has left the send queue.
    expect((await read(shop, 'mette')).emails).toEqual([
      expect.objectContaining({ type: 'tier_up', status: 'sent', sentAt: expect.any(String) }),
    ]);

    const history = (
      await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/mette/tier-history`, { key: shop.apiKey })
    ).json;
    expect(history.history).toEqual([expect.objectContaining({ kind: 'up', from: 'bronze', to: 'silver' })]);
  });

  it('renders a preview of every type in Danish and English', async () => {
    const da = await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/points_expiring/preview?locale=da`, {
      key: shop.apiKey,
    });
    expect(da.status).toBe(200);
    expect(da.json).toMatchObject({ type: 'points_expiring', locale: 'da' });
    const en = await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/points_expiring/preview?locale=en-GB`, {
      key: shop.apiKey,
    });
    expect(en.json.locale).toBe('en');
    expect(en.json.subject).not.toBe(da.json.subject);
    // No locale: the shop's.
    expect(
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/tier_up/preview`, { key: shop.apiKey })).json.locale,
    ).toBe('da');
    const html = await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/winback_incentive/preview?format=html`, {
      key: shop.apiKey,
    });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.text).toContain('<html');
    const bad = await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/birthday/preview`, { key: shop.apiKey });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBeTruthy();
    const other = await stack.createShop();
    expect(
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/tier_up/preview`, { key: other.apiKey })).status,
    ).toBe(403);
  });

  it("sends a test of any type to the shop's own addresses only", async () => {
    const ok = await stack.api('POST', `/admin/shops/${shop.shop.id}/emails/tier_down_warning/test`, {
      key: shop.apiKey,
      body: { to: 'Marketing@Shop.Example.com', locale: 'en' },
    });
    expect(ok.status).toBe(202);
    expect(ok.json.sent).toMatchObject({ type: 'tier_down_warning', to: 'marketing@shop.example.com' });
    const [test] = await mails('marketing@shop.example.com');
    expect(test!.subject).toMatch(/^\[TEST\] /);
    const refused = await stack.api('POST', `/admin/shops/${shop.shop.id}/emails/tier_up/test`, {
      key: shop.apiKey,
      body: { to: 'stranger@example.com' },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('not_own_address');
    // Default: the sender address.
    expect(
      (await stack.api('POST', `/admin/shops/${shop.shop.id}/emails/tier_up/test`, { key: shop.apiKey })).json.sent.to,
    ).toBe('hello@shop.example.com');
  });

  it('honours one-click unsubscribe: the next e-mail to that address is skipped', async () => {
    const [mail] = await mails('mette@example.dk');
    const url = header(mail!, 'List-Unsubscribe')!.slice(1, -1);
    const path = new URL(url).pathname;
    const page = await stack.api('GET', path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post">');
    // Opening the link changes nothing.
    expect(
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/suppressions`, { key: shop.apiKey })).json.items,
    ).toHaveLength(0);

    const click = await stack.api('POST', path, {
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(click.status).toBe(200);
    const list = (await stack.api('GET', `/admin/shops/${shop.shop.id}/suppressions`, { key: shop.apiKey })).json.items;
    expect(list).toEqual([expect.objectContaining({ scope: 'all', reason: 'unsubscribe', hint: 'm•••@example.dk' })]);

    // Gold is 1,500 DKK: another 1,000 crosses it, and the tier-up e-mail is queued but not sent.
    await sendOrder(shop, { customer: { id: 'mette', email: 'mette@example.dk' }, total: '1000.00' });
    expect((await read(shop, 'mette')).tier.id).toBe('gold');
    const s = await sweep();
    expect(s.skipped).toBe(1);
    expect(await mails('mette@example.dk')).toHaveLength(1);
    expect((await outbox(shop, 'skipped'))[0]).toMatchObject({ type: 'tier_up', reason: 'suppressed' });

    const forged = await stack.api('POST', `${path.slice(0, -3)}abc`);
    expect(forged.status).toBe(400);
    expect(forged.json.error.code).toBe('invalid_unsubscribe_link');
    expect((await stack.api('GET', '/unsubscribe/not-a-token')).status).toBe(400);
  });

  it('lets the shop remove and add suppressions by address', async () => {
    const del = await stack.api(
      'DELETE',
      `/admin/shops/${shop.shop.id}/suppressions/${encodeURIComponent('mette@example.dk')}`,
      { key: shop.apiKey },
    );
    expect(del.status).toBe(204);
    expect(
      (
        await stack.api(
          'DELETE',
          `/admin/shops/${shop.shop.id}/suppressions/${encodeURIComponent('mette@example.dk')}`,
          { key: shop.apiKey },
        )
      ).status,
    ).toBe(404);
    const put = await stack.api(
      'PUT',
      `/admin/shops/${shop.shop.id}/suppressions/${encodeURIComponent('Someone@Example.com')}`,
      { key: shop.apiKey, body: { scope: 'marketing' } },
    );
    expect(put.status).toBe(200);
    expect(put.json.suppression).toMatchObject({ hint: 's•••@example.com', scope: 'marketing', reason: 'manual' });
    expect(
      (await stack.api('PUT', `/admin/shops/${shop.shop.id}/suppressions/not-an-address`, { key: shop.apiKey })).status,
    ).toBe(400);
  });

  it('counts what was sent, skipped and unsubscribed, per type', async () => {
    const stats = await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/stats`, { key: shop.apiKey });
    expect(stats.status).toBe(200);
    expect(stats.json.byType.tier_up).toMatchObject({ sent: 1, skipped: 1, failed: 0 });
    expect(stats.json.totals).toMatchObject({ sent: 1, skipped: 1 });
    expect(stats.json.unsubscribes).toEqual({ all: 1, marketing: 0 });
    const day = new Date().toISOString().slice(0, 10);
    expect(
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/stats?from=${day}&to=${day}`, { key: shop.apiKey }))
        .json.totals.sent,
    ).toBe(1);
    expect(
      (
        await stack.api('GET', `/admin/shops/${shop.shop.id}/emails/stats?from=2026-02-01&to=2026-01-01`, {
          key: shop.apiKey,
        })
      ).json.error.code,
    ).toBe('invalid_range');
  });

  it('adds permanent bounces and complaints from SES events to the suppression list', async () => {
    const snsEvent = (message: unknown) => ({
      Records: [{ Sns: { MessageId: randomId('m'), Message: JSON.stringify(message) } }],
    });
    const tags = { boomerang_shop: [shop.shop.id], boomerang_outbox: ['X'] };
    await sesEventsHandler(
      snsEvent({
        eventType: 'Bounce',
        mail: { messageId: 'm1', destination: ['b@example.com'], tags },
        bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'soft@example.com' }] },
      }) as never,
    );
    await sesEventsHandler(
      snsEvent({
        eventType: 'Bounce',
        mail: { messageId: 'm2', destination: ['hard@example.com'], tags },
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Hard@Example.com' }] },
      }) as never,
    );
    await sesEventsHandler(
      snsEvent({
        eventType: 'Complaint',
        mail: { messageId: 'm3', destination: ['angry@example.com'], tags },
        complaint: { complainedRecipients: [{ emailAddress: 'angry@example.com' }] },
      }) as never,
    );
    const list = (await stack.api('GET', `/admin/shops/${shop.shop.id}/suppressions`, { key: shop.apiKey })).json
      .items as { hint: string; reason: string }[];
    expect(list.map((i) => `${i.hint}:${i.reason}`).sort()).toEqual([
      'a•••@example.com:complaint',
      'h•••@example.com:bounce',
      's•••@example.com:manual',
    ]);
  });
});

describe('SES down, then up', () => {
  it('delays the tier e-mail while SES is down and sends exactly one when it is back', async () => {
    const shop = await stack.createShop();
    await ses.stop();
    try {
      await sendOrder(shop, { customer: { id: 'ole', email: 'ole@example.dk', firstName: 'Ole' }, total: '750.00' });
      const down = await sweep();
      expect(down).toMatchObject({ retry: 1, sent: 0 });
      const [item] = await outbox(shop);
      expect(item).toMatchObject({ type: 'tier_up', status: 'pending', attempts: 1 });
      expect(String(item!.lastError)).toBeTruthy();
      // Still down when the backoff is due: another attempt, still nothing lost.
      offsetMs += 5 * 60_000;
      expect(await sweep()).toMatchObject({ retry: 1 });
    } finally {
      ses = await startSesLocal({ port: sesPort, reuse: true });
    }
    // Back up, but the backoff has not passed: nothing yet.
    expect((await sweep()).sent).toBe(0);
    offsetMs += 10 * 60_000;
    expect((await sweep()).sent).toBe(1);
    expect((await sweep()).sent).toBe(0);
    expect(await mails('ole@example.dk')).toHaveLength(1);
    expect((await outbox(shop, 'sent'))[0]).toMatchObject({ attempts: 3 });
  });

  it('settles a send whose sender stopped before recording it, without sending again', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { customer: { id: 'kim', email: 'kim@example.dk' }, total: '800.00' });
    const store = dynamoOutboxStore(runtime().table, stack.tableName, newId);
    const [id] = await store.due(shop.shop.id, clock.now().toISOString(), 10);
    // A sender claims it, SES accepts the message, and the sender dies before settling.
    const now = clock.now();
    const claimed = await store.claim(shop.shop.id, id!, {
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
      inDoubtWaitMs: 0,
    });
    expect(claimed?.item.status).toBe('sending');
    await sesMailer().send({
      from: 'hello@shop.example.com',
      to: ['kim@example.dk'],
      subject: 'Tier up',
      html: '<p>x</p>',
      text: 'x',
      headers: [{ name: outboxHeader, value: `${shop.shop.id}/${id}` }],
    });
    expect(await mails('kim@example.dk')).toHaveLength(1);
    // Claimed and not yet run out: no one else touches it.
    expect((await sweep()).sent).toBe(0);
    offsetMs += 2 * 60_000;
    expect(await sweep()).toMatchObject({ confirmed: 1, sent: 0 });
    expect(await mails('kim@example.dk')).toHaveLength(1);
    expect((await store.get(shop.shop.id, id!))?.status).toBe('sent');
  });
});

describe('sends that end without an answer, and failures before the send', () => {
  it('checks whether SES has a message whose call timed out before sending it again', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { customer: { id: 'to1', email: 'to1@example.dk' }, total: '800.00' });
    const deps = await senderDeps(runtime());
    const real = deps.mailer;
    // SES takes the message, but the answer never arrives.
    deps.mailer = {
      send: async (m) => {
        await real.send(m);
        throw Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });
      },
    };
    expect(await drainOutbox(deps, [shop.shop.id], { deadlineMs: Date.now() + 30_000 })).toMatchObject({
      retry: 1,
      sent: 0,
    });
    expect((await outbox(shop))[0]).toMatchObject({ status: 'pending', doubt: true });
    offsetMs += 2 * 60_000;
    expect(await sweep()).toMatchObject({ confirmed: 1, sent: 0 });
    expect(await mails('to1@example.dk')).toHaveLength(1);
  });

  it('does not send again when recording the send failed', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { customer: { id: 'sf1', email: 'sf1@example.dk' }, total: '800.00' });
    const deps = await senderDeps(runtime());
    const store = deps.outbox;
    deps.outbox = {
      ...store,
      settle: async (item, outcome) => {
        if (outcome.status === 'sent') throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return store.settle(item, outcome);
      },
    };
    expect(await drainOutbox(deps, [shop.shop.id], { deadlineMs: Date.now() + 30_000 })).toMatchObject({
      error: 1,
      sent: 0,
    });
    expect(await mails('sf1@example.dk')).toHaveLength(1);
    // Still claimed: untouched until the claim runs out, then confirmed from SES, not resent.
    expect((await sweep()).sent).toBe(0);
    offsetMs += 2 * 60_000;
    expect(await sweep()).toMatchObject({ confirmed: 1, sent: 0 });
    expect(await mails('sf1@example.dk')).toHaveLength(1);
  });

  it('retries an item whose reads failed before anything was sent, instead of leaving it claimed', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { customer: { id: 'rf1', email: 'rf1@example.dk' }, total: '800.00' });
    const deps = await senderDeps(runtime());
    deps.ledger = {
      ...deps.ledger,
      getCustomer: async () => {
        throw Object.assign(new Error('Throughput exceeds the current capacity'), {
          name: 'ProvisionedThroughputExceededException',
        });
      },
    };
    expect(await drainOutbox(deps, [shop.shop.id], { deadlineMs: Date.now() + 30_000 })).toMatchObject({ retry: 1 });
    const [item] = await outbox(shop);
    expect(item).toMatchObject({ status: 'pending', attempts: 1 });
    expect(item!.doubt).toBeUndefined();
    offsetMs += 2 * 60_000;
    expect((await sweep()).sent).toBe(1);
    expect(await mails('rf1@example.dk')).toHaveLength(1);
  });
});

describe('e-mails SES refuses', () => {
  it('fails them at once to the DLQ side, lists them, and lets the shop send one again', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { customer: { id: 'rj1', email: 'rj1@example.dk' }, total: '800.00' });
    const deps = await senderDeps(runtime());
    const dead: string[] = [];
    deps.deadLetters = {
      send: async (item, reason) => {
        dead.push(`${item.outboxId}:${reason}`);
      },
    };
    deps.mailer = {
      send: async () => {
        throw Object.assign(new Error('Email address is not verified: rj1@example.dk'), {
          name: 'MessageRejected',
          $metadata: { httpStatusCode: 400 },
        });
      },
    };
    expect(await drainOutbox(deps, [shop.shop.id], { deadlineMs: Date.now() + 30_000 })).toMatchObject({ failed: 1 });
    const [failed] = await outbox(shop, 'failed');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    // The address in SES's message never reaches the outbox item or the dead letter.
    expect(String(failed!.reason)).toBe('MessageRejected: Email address is not verified: <address>');
    expect(dead).toEqual([`${failed!.outboxId}:MessageRejected`]);

    const path = `/admin/shops/${shop.shop.id}/outbox/${failed!.outboxId}/retry`;
    const again = await stack.api('POST', path, { key: shop.apiKey });
    expect(again.status).toBe(200);
    expect(again.json.item).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await stack.api('POST', path, { key: shop.apiKey })).json.error.code).toBe('not_failed');
    expect(
      (
        await stack.api('POST', `/admin/shops/${shop.shop.id}/outbox/01JZZZZZZZZZZZZZZZZZZZZZZZ/retry`, {
          key: shop.apiKey,
        })
      ).status,
    ).toBe(404);
    expect(
      (await stack.api('POST', `/admin/shops/${shop.shop.id}/outbox/nope/retry`, { key: shop.apiKey })).status,
    ).toBe(400);
    const other = await stack.createShop();
    expect(
      (await stack.api('POST', `/admin/shops/${other.shop.id}/outbox/${failed!.outboxId}/retry`, { key: other.apiKey }))
        .status,
    ).toBe(404);
    await sweep();
    expect(await mails('rj1@example.dk')).toHaveLength(1);
  });
});

describe('a sender killed mid-batch', () => {
  it('sends every e-mail exactly once after it is restarted', async () => {
    const shop = await stack.createShop({ program: { emails: { maxPerSecond: 8 } } });
    const n = 40;
    for (let i = 0; i < n; i++)
      await sendOrder(shop, { customer: { id: `k${i}`, email: `k${i}@kill.example` }, total: '600.00' });
    expect(await outbox(shop)).toHaveLength(n);

    const env = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      BOOMERANG_TABLE_NAME: stack.tableName,
      BOOMERANG_OPERATOR_KEY: stack.operatorKey,
      BOOMERANG_DATA_DIR: process.env.BOOMERANG_DATA_DIR,
      PORT: '0',
      BOOMERANG_OUTBOX_INTERVAL_SECONDS: '0.2',
      BOOMERANG_OUTBOX_LEASE_SECONDS: '3',
      BOOMERANG_OUTBOX_IN_DOUBT_WAIT_SECONDS: '2',
    };
    const ours = async () => (await mails('@kill.example')).length;
    const first = spawnApp(env);
    await first.waitForStdout(/Boomerang is running/, 60_000);
    expect(await waitUntil(async () => (await ours()) >= 8, 30_000, 100)).toBe(true);
    await first.stop('SIGKILL');
    const atKill = await ours();
    expect(atKill).toBeLessThan(n);

    const second = spawnApp(env);
    await second.waitForStdout(/Boomerang is running/, 60_000);
    expect(await waitUntil(async () => (await ours()) >= n && (await outbox(shop)).length === 0, 60_000, 200)).toBe(
      true,
    );
    await second.stop('SIGINT');

    const sent = await mails('@kill.example');
    const ids = sent.map((m) => header(m, 'X-Boomerang-Outbox-Id'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(sent).toHaveLength(n);
    expect(new Set(sent.map((m) => m.destination.to[0])).size).toBe(n);
  }, 150_000);
});

describe('win-back series', () => {
  it('reminds an at-risk customer with consent, stops when they order, and otherwise sends the incentive', async () => {
    const shop = await stack.createShop({ locale: 'en-GB' });
    await sendOrder(shop, { customer: { id: 'w1', email: 'w1@example.com', acceptsMarketing: true }, total: '100.00' });
    await sendOrder(shop, { customer: { id: 'w2', email: 'w2@example.com', acceptsMarketing: true }, total: '100.00' });
    await sendOrder(shop, {
      customer: { id: 'w3', email: 'w3@example.com', acceptsMarketing: false },
      total: '100.00',
    });
    const rt = runtime();
    const full = (await rt.shops.get(shop.shop.id))!;
    const deps = { store: rt.ledger, clock, newId, ...testRetryDeps() };
    const since = clock.now().toISOString();
    expect(await startWinback(deps, full, 'i.w1', since)).toEqual({ started: true });
    expect(await startWinback(deps, full, 'i.w2', since)).toEqual({ started: true });
    expect(await startWinback(deps, full, 'i.w3', since)).toEqual({ started: false, reason: 'no_consent' });
    expect(await startWinback(deps, full, 'i.w1', since)).toEqual({ started: false, reason: 'in_series' });
    await sweep();
    expect((await mails('w1@example.com')).length).toBe(1);
    expect((await mails('w3@example.com')).length).toBe(0);
    const reminder = (await mails('w2@example.com'))[0]!;
    // Marketing e-mail: its unsubscribe link leaves marketing only.
    const page = await stack.api('GET', new URL(header(reminder, 'List-Unsubscribe')!.slice(1, -1)).pathname);
    expect(page.text).toMatch(/offers and reminders/);

    // w1 comes back: the series stops there.
    await sendOrder(shop, { customer: { id: 'w1', email: 'w1@example.com' }, total: '50.00' });
    expect((await read(shop, 'w1')).marketing.winback.step).toBe('stopped');

    offsetMs = 15 * 86_400_000;
    const day = clock.now().toISOString().slice(0, 10);
    const daily = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
      key: shop.apiKey,
      body: { asOf: day },
    });
    expect(daily.status).toBe(200);
    await sweep();
    expect((await mails('w1@example.com')).length).toBe(1);
    const w2 = await mails('w2@example.com');
    expect(w2).toHaveLength(2);
    const code = (await read(shop, 'w2')).marketing.winback.code as string;
    expect(code).toMatch(/^BMR-/);
    expect(w2[1]!.body.text).toContain(code);
    // One series per 90 days.
    expect(await startWinback(deps, full, 'i.w2', clock.now().toISOString())).toEqual({
      started: false,
      reason: 'cooldown',
    });
  });
});

describe('the outbox item is written with its cause', () => {
  it('leaves no outbox item for a duplicate delivery', async () => {
    const shop = await stack.createShop();
    const body = orderBody({ customer: { id: 'dup', email: 'dup@example.com' }, total: '900.00' });
    for (let i = 0; i < 3; i++) {
      await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
        body,
        headers: customHeaders(body, shop.input.webhookSecret),
      });
    }
    const out = await testDb().send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.outboxQueuePartition(shop.shop.id) },
      }),
    );
    expect(out.Items).toHaveLength(1);
  });
});

describe('tier review by the daily job', () => {
  it('warns before a downgrade and downgrades after the membership period and grace', async () => {
    const shop = await stack.createShop({
      locale: 'en-GB',
      program: { tiers: { graceDays: 30, downgradeWarningDays: 14 }, expiry: { inactivityMonths: 0 } },
    });
    await sendOrder(shop, { customer: { id: 't1', email: 't1@example.com' }, total: '700.00' });
    const reached = (await read(shop, 't1')).tier;
    expect(reached).toMatchObject({ id: 'silver' });
    await sweep();
    expect(await mails('t1@example.com')).toHaveLength(1);
    const reviewAt = Date.parse(reached.reviewAt);
    const daily = async (at: number) => {
      offsetMs = at - Date.now();
      const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/ledger-daily`, {
        key: shop.apiKey,
        body: { asOf: clock.now().toISOString().slice(0, 10) },
      });
      expect(r.status).toBe(200);
      await sweep();
      return r.json;
    };
    const day = 86_400_000;
    // 20 days before the downgrade date (review + 30 days grace): nothing yet.
    await daily(reviewAt + 10 * day);
    expect((await mails('t1@example.com')).map((m) => m.subject)).toHaveLength(1); // the tier-up
    // 14 days before: one warning, however often the job runs.
    await daily(reviewAt + 17 * day);
    await daily(reviewAt + 18 * day);
    const warned = await mails('t1@example.com');
    expect(warned).toHaveLength(2);
    expect(warned[1]!.body.text).toMatch(/Silver/);
    expect((await read(shop, 't1')).tier.id).toBe('silver');
    // After the grace: down to Bronze, with its e-mail and a history line.
    await daily(reviewAt + 31 * day);
    expect((await read(shop, 't1')).tier.id).toBe('bronze');
    expect(await mails('t1@example.com')).toHaveLength(3);
    const history = (
      await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/t1/tier-history`, { key: shop.apiKey })
    ).json.history;
    expect(history.map((h: { kind: string }) => h.kind)).toEqual(['down', 'up']);
  });
});

describe('the stream trigger', () => {
  it('sends new outbox items handed over by the table stream, once even if the sweep also runs', async () => {
    const shop = await stack.createShop();
    await sendOrder(shop, { customer: { id: 's1', email: 's1@example.com' }, total: '650.00' });
    const [item] = await outbox(shop);
    const record = {
      eventID: 'e1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: '100000000000000000001',
        NewImage: { itemType: { S: 'outbox' }, shopId: { S: shop.shop.id }, outboxId: { S: String(item!.outboxId) } },
      },
    };
    const [a, b] = await Promise.all([
      outboxHandler({ Records: [record] }, { getRemainingTimeInMillis: () => 60_000 }),
      sweep(),
    ]);
    expect(a).toEqual({ batchItemFailures: [] });
    void b;
    expect(await mails('s1@example.com')).toHaveLength(1);
    // A redelivered stream batch finds the item settled and sends nothing.
    await outboxHandler({ Records: [record] }, { getRemainingTimeInMillis: () => 60_000 });
    expect(await mails('s1@example.com')).toHaveLength(1);

    // SES's later events show on the item: delivered, then a complaint (never back to delivered).
    const sesEvent = (eventType: string, extra: Record<string, unknown> = {}) =>
      sesEventsHandler({
        Records: [
          {
            Sns: {
              MessageId: randomId('m'),
              Message: JSON.stringify({
                eventType,
                mail: {
                  messageId: 'm',
                  destination: ['s1@example.com'],
                  tags: { boomerang_shop: [shop.shop.id], boomerang_outbox: [String(item!.outboxId)] },
                },
                ...extra,
              }),
            },
          },
        ],
      } as never);
    await sesEvent('Delivery');
    expect((await outbox(shop, 'sent'))[0]!.delivery).toMatchObject({ status: 'delivered' });
    await sesEvent('Complaint', { complaint: { complainedRecipients: [{ emailAddress: 's1@example.com' }] } });
    await sesEvent('Delivery');
    expect((await outbox(shop, 'sent'))[0]!.delivery).toMatchObject({ status: 'complained' });
  });
});

describe('referral e-mails', () => {
  it('thanks the referrer and welcomes the friend, naming each other only if still on record at send time', async () => {
    const shop = await stack.createShop({ locale: 'en-GB' });
    await sendOrder(shop, { customer: { id: 'anna', email: 'anna@example.com', firstName: 'Anna' }, total: '100.00' });
    const code = (await read(shop, 'anna')).referral.code as string;
    await sweep();
    const friendOrder = (id: string, name: string) => {
      const body = JSON.stringify({
        id: `evt-${id}`,
        type: 'order.paid',
        createdAt: clock.now().toISOString(),
        data: {
          id: `F-${id}`,
          currency: 'DKK',
          createdAt: clock.now().toISOString(),
          updatedAt: clock.now().toISOString(),
          customer: { id, email: `${id}@example.com`, firstName: name },
          lines: [{ id: '1', sku: 'MUG', quantity: 1, price: '100.00' }],
          total: '100.00',
          discountCodes: [code],
          shippingAddress: { address1: `${name}vej 1`, city: 'Aarhus', zip: '8000', countryCode: 'DK' },
        },
      });
      return stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
        body,
        headers: customHeaders(body, shop.input.webhookSecret, clock.now()),
      });
    };
    expect((await friendOrder('bo', 'Bo')).status).toBe(200);
    const queued = (await outbox(shop)).map((i) => i.type).sort();
    expect(queued).toEqual(['friend_welcome', 'referral_reward_earned']);
    // Stored without names: only ids, resolved when sent.
    expect(JSON.stringify(await outbox(shop))).not.toContain('"Bo"');
    await sweep();
    const toAnna = (await mails('anna@example.com')).filter((m) => /referring/.test(m.subject));
    expect(toAnna).toHaveLength(1);
    expect(toAnna[0]!.body.text).toContain('Your friend Bo just shopped');
    const toBo = await mails('bo@example.com');
    expect(toBo).toHaveLength(1);
    expect(toBo[0]!.subject).toBe(`Welcome to ${shop.shop.name} – thanks to Anna`);

    // A friend erased before the e-mail goes is not named in it.
    expect((await friendOrder('cy', 'Cy')).status).toBe(200);
    const redact = JSON.stringify({
      id: 'evt-redact-cy',
      type: 'customer.redact',
      createdAt: clock.now().toISOString(),
      data: { customerId: 'cy', email: 'cy@example.com' },
    });
    expect(
      (
        await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
          body: redact,
          headers: customHeaders(redact, shop.input.webhookSecret, clock.now()),
        })
      ).status,
    ).toBe(200);
    await sweep();
    const second = (await mails('anna@example.com')).filter((m) => /referring/.test(m.subject));
    expect(second).toHaveLength(2);
    expect(second[1]!.body.text).toContain('A friend you referred just shopped');
    expect(second[1]!.body.text).not.toContain('Cy');
    expect(await mails('cy@example.com')).toHaveLength(0);
  });
});

describe('a shop lowering its thresholds', () => {
  it('moves customers who now qualify up in the next nightly run, with their e-mail', async () => {
    const shop = await stack.createShop({ locale: 'en-GB' });
    await sendOrder(shop, { customer: { id: 'lo1', email: 'lo1@example.com' }, total: '400.00' });
    await sendOrder(shop, { customer: { id: 'lo2', email: 'lo2@example.com' }, total: '100.00' });
    expect((await read(shop, 'lo1')).tier.id).toBe('bronze');
    const patch = await stack.api('PATCH', `/admin/shops/${shop.shop.id}`, {
      key: shop.apiKey,
      body: {
        program: {
          tiers: {
            levels: [
              { id: 'bronze', name: 'Bronze', threshold: 0 },
              { id: 'silver', name: 'Silver', threshold: 300 },
              { id: 'gold', name: 'Gold', threshold: 1500 },
            ],
          },
        },
      },
    });
    expect(patch.status).toBe(200);
    const asOf = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const run = await runNightlyJob(stack.api, { shopId: shop.shop.id, key: shop.apiKey, asOf });
    expect(run.job.status).toBe('succeeded');
    expect((await read(shop, 'lo1')).tier).toMatchObject({ id: 'silver' });
    expect((await read(shop, 'lo2')).tier).toMatchObject({ id: 'bronze' });
    const history = (
      await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/lo1/tier-history`, { key: shop.apiKey })
    ).json.history;
    expect(history[0]).toMatchObject({ kind: 'up', from: 'bronze', to: 'silver' });
    expect(history[0].reason).toMatch(/tier thresholds changed/);
    await sweep();
    expect((await mails('lo1@example.com')).map((m) => m.subject)).toEqual([expect.stringMatching(/Silver/)]);
    // Another run finds nothing more to do.
    const again = await runNightlyJob(stack.api, {
      shopId: shop.shop.id,
      key: shop.apiKey,
      asOf: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(again.job.status).toBe('succeeded');
    expect(
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/lo1/tier-history`, { key: shop.apiKey })).json
        .history,
    ).toHaveLength(1);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import { downloadSecretFrom, signDownloadToken } from '../../shared/adapters/download-token';
import { keys } from '../../shared/adapters/keys';
import { runtime, setRuntime } from '../../shared/wiring/runtime';
import { csvColumnsFor } from '../../shared/domain/churn/export-rows';
import { segmentNames, segmentSeverity, type SegmentName } from '../../shared/domain/churn/segments';
import { handler as nightlyHandler } from '../../functions/nightly/handler';
import { lambdaContext } from '../../local/gateway';
import { runSteps } from '../../shared/app/ports/nightly';
import { runNightlyJob, waitForJob, type JobJson } from '../support/jobs';
import { customHeaders } from '../support/payloads';
import { randomId, sesMessages, startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { testDb } from '../support/db';

/**
 * The nightly churn segments end to end through the gateway, in the background of this process
 * (no state machine), polled as a client does:
 * a custom-platform shop with 40 customers of varied histories, refunds and cancellations, a
 * redacted customer and NPS answers → the job, its result, the export download, the customer
 * read, replays for other days, a worsening transition and the marketers' e-mail.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'boomerang-nightly-'));
let stack: TestStack;
let shop: CreatedShop;
const marketer = `${randomId('m-')}@shop.example.com`;

/** Today as the handlers see it while the data is loaded and the first run happens. */
const loadedAt = '2026-03-31T20:00:00.000Z';
const travel = (at: string) => setRuntime({ ...runtime(), clock: fixedClock(at) });

interface PlannedOrder {
  day: string;
  total: number;
  productId: string;
  fate?: 'cancelled' | 'refunded' | 'unpaid';
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const pad = (i: number) => String(i).padStart(2, '0');
/**
 * Order values vary around each customer's own level, and levels vary a lot between customers (so Gamma-Gamma
 * can be fitted).
 */
const wiggle = (k: number, i: number) => [0.7, 1.3, 0.9, 1.15, 0.8, 1.1, 1.0][(k + i) % 7]!;

/**
 * Forty customers: n01–n12 loyal (every 28 days), n13–n20 lapsed, n21–n32 one-time, n33–n36 new, n37–n40
 * nothing that counts but n39.
 */
const plan: Record<string, PlannedOrder[]> = {};
for (let i = 1; i <= 12; i++) {
  const orders: PlannedOrder[] = [];
  for (let d = addDays('2025-10-01', i); d <= '2026-03-31'; d = addDays(d, 28))
    orders.push({
      day: d,
      total: Math.round((90 + 70 * i) * wiggle(orders.length, i)),
      productId: `p${orders.length % 3}`,
    });
  plan[`n${pad(i)}`] = orders;
}
for (let i = 13; i <= 20; i++)
  plan[`n${pad(i)}`] = [0, 31, 62].map((k, n) => ({
    day: addDays('2025-05-01', i + k),
    total: Math.round((60 + 45 * (i - 12)) * wiggle(n, i)),
    productId: 'p1',
  }));
for (let i = 21; i <= 32; i++)
  plan[`n${pad(i)}`] = [{ day: addDays('2025-06-01', 20 * (i - 21)), total: 200 + i, productId: 'p2' }];
for (let i = 33; i <= 36; i++)
  plan[`n${pad(i)}`] = [{ day: addDays('2026-03-20', i - 33), total: 250, productId: 'p0' }];
plan.n37 = [{ day: '2025-11-10', total: 400, productId: 'p1', fate: 'cancelled' }];
plan.n38 = [{ day: '2025-12-10', total: 400, productId: 'p1', fate: 'refunded' }];
plan.n39 = [
  { day: '2025-09-10', total: 180, productId: 'p1' },
  { day: '2026-02-10', total: 220, productId: 'p2', fate: 'refunded' },
];
plan.n40 = [{ day: '2026-01-15', total: 99, productId: 'p0', fate: 'unpaid' }];

const counted = (cid: string, asOf: string) => plan[cid]!.filter((o) => !o.fate && o.day <= asOf);
const buyersAsOf = (asOf: string) => Object.keys(plan).filter((c) => counted(c, asOf).length > 0);
const revenueAsOf = (asOf: string) =>
  Object.keys(plan).reduce((s, c) => s + counted(c, asOf).reduce((t, o) => t + o.total * 100, 0), 0);

let seq = 0;
const event = (type: string, cid: string, o: PlannedOrder, orderId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `evt-${++seq}`,
    type,
    createdAt: `${o.day}T12:00:00Z`,
    data: {
      id: orderId,
      currency: 'DKK',
      createdAt: `${o.day}T10:00:00Z`,
      customer: { id: cid, email: `${cid}@example.com`, firstName: cid.toUpperCase() },
      lines: [{ id: '1', productId: o.productId, sku: o.productId.toUpperCase(), quantity: 1, price: `${o.total}.00` }],
      total: `${o.total}.00`,
      ...extra,
    },
  });

const send = async (body: string) => {
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret, new Date(runtime().clock.now())),
  });
  if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${r.text}`);
};

const sendCustomer = async (cid: string) => {
  for (const [k, o] of plan[cid]!.entries()) {
    const orderId = `${cid}-${k}`;
    if (o.fate === 'unpaid') {
      await send(event('order.created', cid, o, orderId));
      continue;
    }
    await send(event('order.paid', cid, o, orderId));
    const later = { ...o, day: addDays(o.day, 3) };
    if (o.fate === 'cancelled')
      await send(
        event('order.cancelled', cid, later, orderId, {
          cancelledAt: `${later.day}T09:00:00Z`,
          updatedAt: `${later.day}T09:00:00Z`,
        }),
      );
    if (o.fate === 'refunded') {
      await send(
        event('order.refunded', cid, later, orderId, {
          updatedAt: `${later.day}T09:00:00Z`,
          refunds: [{ id: `r-${orderId}`, createdAt: `${later.day}T09:00:00Z`, amount: `${o.total}.00` }],
        }),
      );
    }
  }
};

const base = () => `/admin/shops/${shop.shop.id}`;
const postNightly = (asOf: string, query = '') =>
  stack.api('POST', `${base()}/jobs/nightly${query}`, { key: shop.apiKey, body: { asOf } });
/** Starts a run (202) and polls it until it has ended: the finished job. */
const runNightly = async (asOf: string) =>
  (await runNightlyJob(stack.api, { shopId: shop.shop.id, key: shop.apiKey, asOf })).job;
const readCustomer = async (ref: string) =>
  (await stack.api('GET', `${base()}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey })).json;

beforeAll(async () => {
  process.env.BOOMERANG_DATA_DIR = dataDir;
  delete process.env.BOOMERANG_EXPORT_BUCKET;
  delete process.env.BOOMERANG_NIGHTLY_STATE_MACHINE_ARN;
  delete process.env.BOOMERANG_PUBLIC_BASE_URL;
  process.env.BOOMERANG_NIGHTLY_SEGMENTS = '3';
  stack = await startTestStack();
  const id = randomId('shop-');
  shop = await stack.createShop({
    id,
    name: 'Kaffe & Kop <Aarhus>',
    platform: 'custom',
    currency: 'DKK',
    marketerEmails: [marketer],
  });
  travel(loadedAt);
  const cids = Object.keys(plan);
  // A few customers at a time; each customer's orders in sequence (as a platform sends them).
  for (let i = 0; i < cids.length; i += 10) await Promise.all(cids.slice(i, i + 10).map(sendCustomer));
  const redact = JSON.stringify({
    id: 'evt-redact',
    type: 'customer.redact',
    createdAt: '2026-03-30T12:00:00Z',
    data: { customerId: 'n05' },
  });
  await send(redact);
  for (const [cid, score] of [
    ['n01', 10],
    ['n02', 9],
    ['n03', 9],
    ['n04', 7],
    ['n06', 5],
  ] as const) {
    const r = await stack.api('POST', `${base()}/customers/${cid}/nps`, {
      key: shop.apiKey,
      body: { score, comment: cid === 'n06' ? 'Slow delivery' : undefined },
    });
    expect(r.status).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  setRuntime(undefined);
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('NPS answers', () => {
  it('are 201 with the answer; validated; 404 for an unknown customer', async () => {
    const ok = await stack.api('POST', `${base()}/customers/n07/nps`, {
      key: shop.apiKey,
      body: { score: 0, comment: 'Meh' },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.nps).toMatchObject({ customerId: 'i.n07', score: 0, comment: 'Meh', at: loadedAt });
    const bad = await stack.api('POST', `${base()}/customers/n07/nps`, { key: shop.apiKey, body: { score: 11 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0]).toMatchObject({ path: 'score' });
    expect(
      (await stack.api('POST', `${base()}/customers/nobody/nps`, { key: shop.apiKey, body: { score: 5 } })).status,
    ).toBe(404);
  });
});

describe('nightly job', () => {
  const asOf = '2026-03-31';
  let first: JobJson;
  let started: Awaited<ReturnType<typeof postNightly>>;
  let whileRunning: JobJson[];
  let since: number;

  beforeAll(async () => {
    since = Date.now() / 1000 - 5;
    started = await postNightly(asOf);
    expect(started.status, started.text).toBe(202);
    ({ job: first, seen: whileRunning } = await waitForJob(stack.api, {
      shopId: shop.shop.id,
      jobId: started.json.jobId,
      key: shop.apiKey,
    }));
  });

  it('answers 202 with the job id at once and runs in the background, its progress readable', () => {
    expect(started.json).toEqual({ jobId: first.jobId });
    expect(started.headers.get('location')).toBe(`${base()}/jobs/${first.jobId}`);
    expect(first.jobId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // The POST answered before the run ended: the first read found it running (a run of 40
    // customers takes far longer than one read). Every read while it ran shows the step it was
    // in, the steps before it done; never backwards.
    expect(whileRunning.length).toBeGreaterThan(0);
    let done = 0;
    for (const job of whileRunning) {
      expect(Object.keys(job).sort()).toEqual(['jobId', 'progress', 'status']);
      expect(job.progress).toEqual({
        step: runSteps[job.progress.stepsDone],
        stepsDone: job.progress.stepsDone,
        stepsTotal: 4,
      });
      expect(job.progress.stepsDone).toBeGreaterThanOrEqual(done);
      done = job.progress.stepsDone;
    }
    expect(first.status).toBe('succeeded');
    expect(first.progress).toEqual({ step: 'assemble', stepsDone: 4, stepsTotal: 4 });
  });

  it('finishes with the fitted models', () => {
    expect(first.status).toBe('succeeded');
    const { model } = first.result;
    expect(first.result.asOf).toBe(asOf);
    expect(model.bgnbd.timeUnit).toBe('day');
    for (const v of [
      model.bgnbd.r,
      model.bgnbd.alpha,
      model.bgnbd.a,
      model.bgnbd.b,
      model.bgnbd.logLikelihood,
      model.gammaGamma.p,
      model.gammaGamma.q,
      model.gammaGamma.v,
    ]) {
      expect(Number.isFinite(v)).toBe(true);
    }
    expect(model.bgnbd.logLikelihood).toBeLessThan(0);
    // 37 buyers, 20 of them repeat buyers with varying order values: both models are this shop's own fit.
    expect(model.fallback).toBeUndefined();
    expect(model.customers).toBe(buyersAsOf(asOf).length);
    // The model card: what scored the risk, on which horizon, and the back-test behind the choice.
    expect(model).toMatchObject({ horizonDays: 90, card: { horizonDays: 90, model: model.selected } });
    expect(['bgnbd', 'mbgnbd', 'heuristic']).toContain(model.selected);
  });

  it('puts every customer with a counted order in exactly one segment', () => {
    const segments = first.result.segments as Record<SegmentName, number>;
    expect(Object.keys(segments).sort()).toEqual([...segmentNames].sort());
    expect(Object.values(segments).reduce((a, b) => a + b, 0)).toBe(buyersAsOf(asOf).length);
    // New customers (first order in the last 30 days, no repeat) are exactly n33–n36 and the
    // one-time buyers from March.
    expect(segments.new).toBe(
      buyersAsOf(asOf).filter((c) => counted(c, asOf).length === 1 && counted(c, asOf)[0]!.day >= addDays(asOf, -30))
        .length,
    );
  });

  it('computes the metrics exactly', () => {
    const m = first.result.metrics;
    const buyers = buyersAsOf(asOf);
    expect(buyers).toHaveLength(37);
    expect(m.customers).toBe(40);
    expect(m.buyers).toBe(37);
    // n01–n12 and n13–n20 bought more than once; n39's second order was refunded.
    expect(m.repeatBuyers).toBe(20);
    expect(m.repeatPurchaseRate).toBe(0.5405);
    expect(m.revenueMinor).toBe(revenueAsOf(asOf));
    // Promoters n01, n02, n03; passive n04; detractors n06 and n07: 100 × (3 − 2) / 6.
    expect(m.nps).toEqual({ score: 16.67, responses: 6, promoters: 3, passives: 1, detractors: 2 });
    expect(m.averagePredictedClvMinor).toBeGreaterThan(0);
    expect(m.pointsLiability.points).toBeGreaterThan(0);
  });

  it('GET …/jobs/{jobId} shows the same job', async () => {
    const r = await stack.api('GET', `${base()}/jobs/${first.jobId}`, { key: shop.apiKey });
    expect(r.status).toBe(200);
    expect(r.json).toEqual(first);
    expect((await stack.api('GET', `${base()}/jobs/01HZZZZZZZZZZZZZZZZZZZZZZZ`, { key: shop.apiKey })).status).toBe(
      404,
    );
    expect((await stack.api('GET', `${base()}/jobs/${first.jobId}`, { key: 'bk_nope' })).status).toBe(403);
  });

  it('exports a CSV, header once, one row per customer, no e-mail for the redacted one', async () => {
    const { csv } = first.result.export;
    expect(csv.key).toBe(`exports/${shop.shop.id}/${asOf}/customers.csv`);
    expect(csv.url.startsWith(`${stack.baseUrl}/exports/download?token=`)).toBe(true);
    expect(Date.parse(csv.expiresAt) - Date.parse(loadedAt)).toBe(24 * 3600_000);
    const res = await fetch(csv.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${shop.shop.id}-${asOf}-customers.csv"`);
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    const columns = csvColumnsFor(90);
    expect(lines[0]).toBe(columns.join(','));
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i]!, v])));
    expect(rows).toHaveLength(37);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(37);
    expect(rows.map((r) => r.customer_id)).toEqual([...rows.map((r) => r.customer_id)].sort());
    expect(rows.find((r) => r.customer_id === 'i.n05')!.email).toBe('');
    expect(rows.find((r) => r.customer_id === 'i.n06')!.email).toBe('n06@example.com');
    expect(rows.find((r) => r.customer_id === 'i.n37')).toBeUndefined();
    for (const r of rows) expect(segmentNames).toContain(r.segment);
  });

  it('exports JSON with the same customers', async () => {
    const res = await fetch(first.result.export.json.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const doc = (await res.json()) as {
      meta: { asOf: string; shopId: string };
      count: number;
      customers: { customerId: string; email: string; redacted: boolean }[];
    };
    expect(doc.meta).toMatchObject({ asOf, shopId: shop.shop.id, currency: 'DKK' });
    expect(doc.count).toBe(37);
    expect(doc.customers.find((c) => c.customerId === 'i.n05')).toMatchObject({ email: '', redacted: true });
  });

  it('refuses forged, expired and tampered links with 403, and unknown exports with 404', async () => {
    const url = new URL(first.result.export.csv.url);
    const token = url.searchParams.get('token')!;
    const [payload, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ key: `exports/other-shop/${asOf}/customers.csv`, exp: 4_000_000_000 })).toString('base64url')}.${signature}`;
    const get = (t: string) => stack.api('GET', `/exports/download?token=${encodeURIComponent(t)}`);
    const forgedRes = await get(forged);
    expect(forgedRes.status).toBe(403);
    expect(forgedRes.json.error).toMatchObject({ code: 'invalid_token' });
    expect((await get(`${payload}.${'A'.repeat(43)}`)).status).toBe(403);
    expect((await get('garbage')).status).toBe(403);
    expect((await stack.api('GET', '/exports/download')).status).toBe(400);

    const secret = downloadSecretFrom(stack.operatorKey);
    const expired = await get(
      signDownloadToken(secret, { key: first.result.export.csv.key, exp: Math.floor(Date.parse(loadedAt) / 1000) - 1 }),
    );
    expect(expired.status).toBe(403);
    expect(expired.json.error).toMatchObject({ code: 'link_expired' });
    const missing = await get(
      signDownloadToken(secret, { key: `exports/${shop.shop.id}/2001-01-01/customers.csv`, exp: 4_000_000_000 }),
    );
    expect(missing.status).toBe(404);
    // Only finished exports are served, never a run's scratch data or anything else.
    expect(
      (
        await get(
          signDownloadToken(secret, { key: `jobs/${shop.shop.id}/${first.jobId}/model.json`, exp: 4_000_000_000 }),
        )
      ).status,
    ).toBe(403);
    expect((await get(signDownloadToken(secret, { key: '../operator-key', exp: 4_000_000_000 }))).status).toBe(403);
  });

  it('shows the segment on the customer read', async () => {
    const c = await readCustomer('n01');
    expect(c.segment).toMatchObject({ asOf, since: asOf });
    expect(segmentNames).toContain(c.segment.name);
    expect(c.segment.churnRisk.score).toBeGreaterThanOrEqual(0);
    expect(c.segment.churnRisk.score).toBeLessThanOrEqual(100);
    expect(['low', 'medium', 'high']).toContain(c.segment.churnRisk.band);
    expect(c.segment.pAlive).toBeGreaterThan(0);
    expect(c.segment.horizonDays).toBe(90);
    expect(Math.abs(c.segment.churnRisk.score - 100 * c.segment.pNoPurchase)).toBeLessThanOrEqual(0.505);
    expect(c.segment.expectedPurchases90d).toBeGreaterThan(0);
    expect(c.segment.predictedValue12mMinor).toBeGreaterThan(0);
    expect(Object.keys(c.segment.rfm).sort()).toEqual(['f', 'm', 'r']);
    expect(Object.keys(c.segment).sort()).toEqual([
      'asOf',
      'churnRisk',
      'expectedPurchases90d',
      'horizonDays',
      'name',
      'pAlive',
      'pNoPurchase',
      'predictedValue12mMinor',
      'rfm',
      'since',
    ]);
    expect((await readCustomer('n37')).segment).toBeNull();
    expect((await readCustomer('n33')).segment.name).toBe('new');
  });

  it('e-mails the marketers a summary with the download links', async () => {
    let mails = await sesMessages({ to: marketer, since });
    for (let i = 0; i < 20 && !mails.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      mails = await sesMessages({ to: marketer, since });
    }
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.from).toBe('hello@shop.example.com');
    expect(mail.subject).toBe(`Boomerang nightly segments — Kaffe & Kop <Aarhus> — ${asOf}`);
    expect(mail.body.text).toContain(first.result.export.csv.url);
    expect(mail.body.text).toContain('Repeat purchase rate');
    expect(mail.body.html).toContain('Kaffe &amp; Kop &lt;Aarhus&gt;');
    expect(mail.body.html).toContain('<table');
  });

  it('replays an earlier day with fewer orders, leaving the stored segments alone (?wait=true: in the request)', async () => {
    const earlier = '2026-01-31';
    const r = await postNightly(earlier, '?wait=true');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('succeeded');
    expect(r.json.progress).toEqual({ step: 'assemble', stepsDone: 4, stepsTotal: 4 });
    expect(r.headers.get('location')).toBe(`${base()}/jobs/${r.json.jobId}`);
    expect(r.json.jobId).not.toBe(first.jobId);
    const { result } = r.json;
    expect(result.asOf).toBe(earlier);
    expect(result.model.customers).toBe(buyersAsOf(earlier).length);
    expect(result.model.customers).toBeLessThan(first.result.model.customers);
    expect(result.metrics.revenueMinor).toBe(revenueAsOf(earlier));
    expect(result.metrics.revenueMinor).toBeLessThan(first.result.metrics.revenueMinor);
    // NPS answers given after that day do not count.
    expect(result.metrics.nps.responses).toBe(0);
    expect(Object.values(result.segments as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      buyersAsOf(earlier).length,
    );
    expect(result.export.csv.key).toBe(`exports/${shop.shop.id}/${earlier}/customers.csv`);
    expect((await readCustomer('n01')).segment.asOf).toBe(asOf);
  });

  it('a later day that moves a customer to a worse segment writes a segment_changed event', async () => {
    const before = (await readCustomer('n01')).segment;
    const later = '2026-09-30';
    travel('2026-10-01T03:00:00.000Z');
    expect((await runNightly(later)).status).toBe('succeeded');
    const after = (await readCustomer('n01')).segment;
    expect(after).toMatchObject({ asOf: later, since: later });
    expect(segmentSeverity[after.name as SegmentName]).toBeGreaterThan(segmentSeverity[before.name as SegmentName]);

    const events = await testDb().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':p': keys.customerPartition(shop.shop.id, 'i.n01'), ':e': 'EVT#' },
      }),
    );
    const changed = (events.Items ?? []).filter((e) => e.eventType === 'segment_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      itemType: 'event',
      cid: 'i.n01',
      data: { from: before.name, to: after.name, worsened: true },
      at: '2026-10-01T03:00:00.000Z',
    });

    // The first run's links have expired by now; reading its job signs fresh ones.
    expect((await fetch(first.result.export.csv.url)).status).toBe(403);
    const reread = (await stack.api('GET', `${base()}/jobs/${first.jobId}`, { key: shop.apiKey })).json;
    expect(reread.result.export.csv).toMatchObject({
      key: first.result.export.csv.key,
      expiresAt: '2026-10-02T03:00:00.000Z',
    });
    const fresh = await fetch(reread.result.export.csv.url);
    expect(fresh.status).toBe(200);
    expect((await fresh.text()).split('\r\n').filter(Boolean)).toHaveLength(38);

    // Running the same day again changes nothing and writes no second event.
    expect((await runNightly(later)).status).toBe('succeeded');
    const again = await testDb().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':p': keys.customerPartition(shop.shop.id, 'i.n01'), ':e': 'EVT#' },
      }),
    );
    expect((again.Items ?? []).filter((e) => e.eventType === 'segment_changed')).toHaveLength(1);
    expect((await readCustomer('n01')).segment.since).toBe(later);
  });

  it('refuses a day in the future and a malformed body', async () => {
    const future = await postNightly('2026-10-02');
    expect(future.status).toBe(400);
    expect(future.json.error.code).toBe('as_of_in_future');
    const badWait = await postNightly(asOf, '?wait=yes');
    expect(badWait.status).toBe(400);
    expect(badWait.json.error.details[0]).toMatchObject({ path: 'wait' });
    expect(
      (await stack.api('POST', `${base()}/jobs/nightly`, { key: shop.apiKey, body: { asOf: '31/03/2026' } })).status,
    ).toBe(400);
    expect((await stack.api('POST', `${base()}/jobs/nightly`, { body: { asOf } })).status).toBe(401);
  });
});

describe('the hourly schedule', () => {
  it('runs a shop in its local 02:xx hour, as of its local yesterday, once', async () => {
    // 00:30 UTC on 2026-10-02 is 02:30 in Copenhagen (CEST, UTC+2).
    travel('2026-10-02T00:30:00.000Z');
    const fire = () =>
      nightlyHandler({ job: 'nightly' }, lambdaContext('nightly')) as Promise<{
        started: { shopId: string; jobId: string; asOf: string; status: string }[];
      }>;
    const out = await fire();
    const mine = out.started.filter((s) => s.shopId === shop.shop.id);
    // Started, not awaited: the schedule never waits for a shop's run.
    expect(mine).toEqual([
      { shopId: shop.shop.id, jobId: 'nightly-2026-10-01', asOf: '2026-10-01', status: 'running' },
    ]);
    expect((await fire()).started.filter((s) => s.shopId === shop.shop.id)).toEqual([]);
    const { job } = await waitForJob(stack.api, {
      shopId: shop.shop.id,
      jobId: 'nightly-2026-10-01',
      key: shop.apiKey,
    });
    expect(job).toMatchObject({ status: 'succeeded', result: { asOf: '2026-10-01' } });
    expect((await fire()).started.filter((s) => s.shopId === shop.shop.id)).toEqual([]);

    // An hour later it is 03:30 there: not due.
    travel('2026-10-02T01:30:00.000Z');
    expect((await fire()).started.filter((s) => s.shopId === shop.shop.id)).toEqual([]);
  });
});

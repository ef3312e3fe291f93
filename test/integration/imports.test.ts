import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDNOW_BGNBD_PUBLISHED } from '../../shared/domain/churn/bgnbd';
import { seededRandom, simulateCustomer } from '../../shared/domain/churn/simulate';
import { runtime } from '../../shared/wiring/runtime';
import { customOrderLine, waitForImport } from '../support/imports';
import { customHeaders, reference } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/** Imports from the incumbent (docs/import.md) through the gateway, against DynamoDB Local. */
let stack: TestStack;
beforeAll(async () => {
  // Thousands of writes and no statistics read: the stream feeds the summaries only (see TestStackOptions).
  stack = await startTestStack({ dailyStats: false });
});
afterAll(() => stack?.close());

const importFile = async (shop: CreatedShop, query: string, body: string) => {
  const res = await stack.api('POST', `/admin/shops/${shop.shop.id}/imports?${query}`, {
    key: shop.apiKey,
    body,
    headers: { 'content-type': 'text/csv' },
  });
  expect(res.status, res.text).toBe(202);
  expect(res.json.importId).toMatch(/^[0-9A-Z]{26}$/);
  return (await waitForImport(stack.api, shop.apiKey, shop.shop.id, res.json.importId)).json;
};

const customer = async (shop: CreatedShop, ref: string) =>
  (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey }))
    .json;

describe('balances', () => {
  it('imports a plain file, reports a bad row with its line, and a second run changes nothing', async () => {
    const shop = await stack.createShop();
    const file = 'email,points\nann@example.com,120\nnot-an-email,5\nBob@Example.com,0\ncarl@example.com,1.5\n';
    const first = await importFile(shop, 'kind=balances&format=plain', file);
    expect(first).toMatchObject({ status: 'completed', imported: 2, skipped: 0, failed: 2 });
    expect(first.errors.map((e: { line: number }) => e.line)).toEqual([3, 5]);
    expect(first.errors[0].message).toContain('not-an-email');
    expect(first.progress).toMatchObject({ processed: 4, total: 4, percent: 100 });

    const ann = await customer(shop, 'ann@example.com');
    expect(ann.points.balance).toBe(120);
    expect(ann.ledger).toHaveLength(1);
    expect(ann.ledger[0]).toMatchObject({
      type: 'adjust',
      reason: 'Opening balance imported from a points file',
      by: `import:${first.importId}`,
    });

    const second = await importFile(shop, 'kind=balances&format=plain', file);
    expect(second).toMatchObject({ status: 'completed', imported: 0, skipped: 2, failed: 2 });
    expect((await customer(shop, 'ann@example.com')).points.balance).toBe(120);

    const list = await stack.api('GET', `/admin/shops/${shop.shop.id}/imports`, { key: shop.apiKey });
    expect(list.json.imports.map((i: { importId: string }) => i.importId)).toEqual([second.importId, first.importId]);
  });

  it('reads Smile.io and LoyaltyLion exports (BOM, CRLF, quoted fields) onto existing customers, once per source', async () => {
    const shop = await stack.createShop({
      program: {
        tiers: {
          enabled: true,
          levels: [
            { id: 'bronze', name: 'Bronze', threshold: 0 },
            { id: 'gold', name: 'Gold', threshold: 100000 },
          ],
        },
      },
    });
    const smile =
      '\uFEFFFirst name,Last name,Email,"Points balance",VIP tier\r\n"Dana, Jr.",Doe,dana@example.com,300,Gold\r\n';
    const s = await importFile(shop, 'kind=balances&format=smile', smile);
    expect(s).toMatchObject({ status: 'completed', imported: 1, failed: 0 });
    const dana = await customer(shop, 'dana@example.com');
    expect(dana.points.balance).toBe(300);
    expect(dana.tier.id).toBe('gold');

    const lion = 'email,points_approved,points_pending,tier\ndana@example.com,50,10,Platinum\n';
    const l = await importFile(shop, 'kind=balances&format=loyaltylion', lion);
    expect(l).toMatchObject({ status: 'completed', imported: 1 });
    expect(l.warnings[0]).toMatchObject({ line: 2 });
    expect(l.warnings[0].message).toContain('Platinum');
    expect((await customer(shop, 'dana@example.com')).points.balance).toBe(350);
    // The same source again (a later export): nothing more.
    const again = await importFile(shop, 'kind=balances&format=smile', smile.replace('300', '999'));
    expect(again).toMatchObject({ imported: 0, skipped: 1 });
    expect((await customer(shop, 'dana@example.com')).points.balance).toBe(350);
  });

  it('strict mode writes nothing when a row is bad', async () => {
    const shop = await stack.createShop();
    const job = await importFile(shop, 'kind=balances&format=plain&strict=true', 'eve@example.com,10\nbad,x\n');
    expect(job).toMatchObject({ status: 'failed', imported: 0, failed: 1, error: { code: 'strict_rejected' } });
    expect(job.errors).toEqual([{ line: 2, message: expect.stringContaining('bad') }]);
    expect(
      (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/eve@example.com`, { key: shop.apiKey })).status,
    ).toBe(404);
  });

  it('refuses a bad query or an empty body with 400 and another shop’s key with 403, writing nothing', async () => {
    const shop = await stack.createShop();
    const other = await stack.createShop();
    const path = `/admin/shops/${shop.shop.id}/imports`;
    const bad = await stack.api('POST', `${path}?kind=balances&format=shopify-csv`, { key: shop.apiKey, body: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
    expect(bad.json.error.details[0].path).toBe('format');
    const empty = await stack.api('POST', `${path}?kind=balances&format=plain`, { key: shop.apiKey, body: '' });
    expect(empty.status).toBe(400);
    const foreign = await stack.api('POST', `${path}?kind=balances&format=plain`, {
      key: other.apiKey,
      body: 'a@b.co,1',
    });
    expect(foreign.status).toBe(403);
    expect((await stack.api('GET', path, { key: shop.apiKey })).json.imports).toEqual([]);
    expect((await stack.api('GET', `${path}/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { key: shop.apiKey })).status).toBe(404);
  });
});

describe('uploads', () => {
  it('imports an uploaded file by its s3Key, and removes the file once the import completed', async () => {
    const shop = await stack.createShop();
    const other = await stack.createShop();
    const base = `/admin/shops/${shop.shop.id}/imports`;
    const up = await stack.api('POST', `${base}/uploads`, { key: shop.apiKey });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({
      method: 'PUT',
      s3Key: expect.stringMatching(/^imports\/.+\/uploads\/[0-9A-Z]{26}\/file$/),
    });
    const put = await stack.api('PUT', new URL(up.json.url).pathname, {
      key: shop.apiKey,
      body: 'email,points\nzed@example.com,9\n',
    });
    expect(put.status, put.text).toBe(200);
    const query = `kind=balances&format=plain&s3Key=${encodeURIComponent(up.json.s3Key)}`;
    const foreign = await stack.api('POST', `/admin/shops/${other.shop.id}/imports?${query}`, { key: other.apiKey });
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.code).toBe('upload_not_found');
    const started = await stack.api('POST', `${base}?${query}`, { key: shop.apiKey });
    expect(started.status, started.text).toBe(202);
    const done = (await waitForImport(stack.api, shop.apiKey, shop.shop.id, started.json.importId)).json;
    expect(done).toMatchObject({ status: 'completed', imported: 1 });
    const again = await stack.api('POST', `${base}?${query}`, { key: shop.apiKey });
    expect(again.json.error.code).toBe('upload_not_found');
  });
});

describe('order history', () => {
  it('imports custom-jsonl history without points, skips orders live webhooks already wrote, and keeps tiers and lastOrderAt', async () => {
    const shop = await stack.createShop();
    const live = customOrderLine({ orderId: 'h4', customerId: 'c2', at: '2026-03-05T10:00:00Z', amount: '70.00' });
    const sent = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body: live,
      headers: customHeaders(live, shop.input.webhookSecret),
    });
    expect(sent.status, sent.text).toBe(200);
    const lines = [
      customOrderLine({ orderId: 'h4', customerId: 'c2', at: '2026-03-05T10:00:00Z', amount: '999.00' }),
      customOrderLine({
        orderId: 'h1',
        customerId: 'c1',
        email: 'c1@example.com',
        at: '2026-01-10T10:00:00Z',
        amount: '100.00',
      }),
      customOrderLine({ orderId: 'h2', customerId: 'c1', at: '2026-02-10T10:00:00Z', amount: '50.00' }),
      '{"not json',
      customOrderLine({ orderId: 'h3', customerId: 'c2', at: '2026-03-01T10:00:00Z', amount: '30.00' }),
      customOrderLine({
        orderId: 'h3',
        customerId: 'c2',
        at: '2026-03-01T10:00:00Z',
        amount: '30.00',
        type: 'order.refunded',
        refund: '30.00',
      }),
    ];
    const job = await importFile(shop, 'kind=orders&format=custom-jsonl', lines.join('\n'));
    expect(job).toMatchObject({ status: 'completed', imported: 4, skipped: 1, failed: 1 });
    expect(job.errors).toEqual([{ line: 4, message: 'not valid JSON' }]);
    // The live order stays as the webhook wrote it.
    expect((await runtime().ledger.getOrder(shop.shop.id, 'h4'))!.state!.totalMinor).toBe(7000);
    const c1 = await customer(shop, 'c1');
    expect(c1.points.balance + c1.points.pending).toBe(0);
    expect(c1.ledger).toHaveLength(0);
    // What the churn model, tiers and win-back read: orders by month, the last order, earned orders.
    const stored = (await runtime().ledger.getCustomer(shop.shop.id, 'i.c1'))!;
    expect(stored.lastOrderAt).toBe('2026-02-10T10:00:00.000Z');
    expect(stored.earnedOrders).toBe(2);
    expect(stored.tierStats).toMatchObject({ '2026-01': expect.anything(), '2026-02': expect.anything() });
    const refunded = (await runtime().ledger.getOrder(shop.shop.id, 'h3'))!;
    expect(Object.keys(refunded.refunds)).toEqual(['r-h3']);
    // c2: the live order earned; the refunded history order counts for nothing.
    expect((await runtime().ledger.getCustomer(shop.shop.id, 'i.c2'))!.earnedOrders).toBe(1);

    // Again: every order is there already.
    const again = await importFile(shop, 'kind=orders&format=custom-jsonl', lines.join('\n'));
    expect(again).toMatchObject({ status: 'completed', imported: 0, skipped: 5, failed: 1 });
  });

  it('awards points with awardPoints=true', async () => {
    const shop = await stack.createShop();
    const lines = [
      customOrderLine({ orderId: 'p1', customerId: 'c9', at: '2026-01-10T10:00:00Z', amount: '100.00' }),
      customOrderLine({ orderId: 'p2', customerId: 'c9', at: '2026-01-12T10:00:00Z', amount: '20.00' }),
    ];
    const job = await importFile(shop, 'kind=orders&format=custom-jsonl&awardPoints=true', lines.join('\n'));
    expect(job).toMatchObject({ status: 'completed', imported: 2 });
    const c9 = await customer(shop, 'c9');
    // Long past their return window: earned and confirmed at once.
    expect(c9.points).toMatchObject({ balance: 120, pending: 0 });
    expect(c9.ledger.map((e: { type: string }) => e.type).sort()).toEqual(['confirm', 'confirm', 'earn', 'earn']);
  });
});

describe('Shopify and WooCommerce exports', () => {
  it('puts a Shopify CSV order on the customer known by its e-mail, and reads WooCommerce JSONL', async () => {
    const shop = await stack.createShop();
    const live = customOrderLine({
      orderId: 'live-1',
      customerId: 'x1',
      email: 'X1@example.com',
      at: '2026-04-01T10:00:00Z',
      amount: '10.00',
    });
    const sent = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
      body: live,
      headers: customHeaders(live, shop.input.webhookSecret),
    });
    expect(sent.status).toBe(200);
    const csv = [
      'Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Id',
      '#1001,x1@example.com,paid,2025-11-02 10:00:00 +0100,DKK,200.00,0.00,0.00,200.00,2025-11-02 09:00:00 +0100,2,Mug,100.00,9001',
      '#1002,guest@example.com,paid,2025-11-03 10:00:00 +0100,DKK,50.00,0.00,0.00,50.00,2025-11-03 09:00:00 +0100,1,Tea,50.00,9002',
      '#1003,guest@example.com,paid,,DKK,oops,0.00,0.00,50.00,2025-11-04 09:00:00 +0100,1,Tea,50.00,9003',
    ].join('\r\n');
    const job = await importFile(shop, 'kind=orders&format=shopify-csv', csv);
    expect(job).toMatchObject({ status: 'completed', imported: 2, failed: 1 });
    expect(job.errors).toEqual([{ line: 4, message: expect.stringContaining('Subtotal') }]);
    expect((await runtime().ledger.getOrder(shop.shop.id, '9001'))!.cid).toBe('i.x1');
    expect((await runtime().ledger.getCustomer(shop.shop.id, 'i.x1'))!.earnedOrders).toBe(2);
    expect((await customer(shop, 'guest@example.com')).customer.id).toMatch(/^e\./);

    const woo = JSON.stringify(JSON.parse(reference('woocommerce/order.update-example.completed.wc-v3-docs.json')));
    const w = await importFile(shop, 'kind=orders&format=woocommerce-jsonl', `${woo}\n`);
    expect(w).toMatchObject({ status: 'completed', imported: 1, failed: 0 });
  });
});

describe('history and the churn model', () => {
  it(
    'a shop whose only orders are imported gets a fitted model from its first nightly run',
    { timeout: 60_000 },
    async () => {
      const shop = await stack.createShop();
      const random = seededRandom(11);
      const lines: string[] = [];
      const buyers = new Set<string>();
      const start = Date.parse('2025-06-01T00:00:00Z');
      for (let n = 0; n < 300; n++) {
        const sim = simulateCustomer(random, { purchases: CDNOW_BGNBD_PUBLISHED }, Math.floor(random() * 150), 360);
        sim.purchases.forEach((p, k) => {
          const at = new Date(start + p.day * 86_400_000 + 3_600_000).toISOString();
          lines.push(
            customOrderLine({ orderId: `m${n}-${k}`, customerId: `m${n}`, at, amount: `${20 + (n % 30)}.00` }),
          );
          buyers.add(`m${n}`);
        });
      }
      const job = await importFile(shop, 'kind=orders&format=custom-jsonl', lines.join('\n'));
      expect(job).toMatchObject({ status: 'completed', imported: lines.length, failed: 0 });
      await stack.drainStream();
      const run = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/nightly?wait=true`, {
        key: shop.apiKey,
        body: { asOf: '2026-05-27' },
      });
      expect(run.status, run.text).toBe(200);
      expect(run.json.status).toBe('succeeded');
      expect(run.json.result.model.selected).toEqual(expect.any(String));
      expect(run.json.result.metrics.buyers).toBe(buyers.size);
      const segmented = Object.values(run.json.result.segments as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(segmented).toBe(buyers.size);
    },
  );
});

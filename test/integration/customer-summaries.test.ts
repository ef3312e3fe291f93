import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../bench/support/nightly-e2e-seed';
import { keys } from '../../shared/adapters/keys';
import { dynamoCustomerSummaryStore } from '../../shared/adapters/customer-summary-store';
import { range } from '../../shared/app/nightly/files';
import { summarise, type SegmentSummary } from '../../shared/app/nightly/summarise';
import type { NightlyDeps } from '../../shared/app/ports/nightly';
import { CDNOW_BGNBD_PUBLISHED, inTimeUnit } from '../../shared/domain/churn/bgnbd';
import { dayNumber } from '../../shared/domain/churn/summary';
import { nightlyDeps } from '../../shared/wiring/nightly-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { streamPoller } from '../../local/stream-poller';
import { applySummaryRecords } from '../../shared/app/customer-summary-service';
import { summaryDeps, summaryRecords } from '../../shared/wiring/summary-runtime';
import { testDb } from '../support/db';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Customer summaries (shared/domain/churn/customer-summary.ts) kept from the table stream, and
 * the nightly summarise step reading them: its cost follows the shop, not the table.
 */
let stack: TestStack;
const asOf = '2026-03-31';
const now = new Date('2026-04-01T01:00:00Z');
const totalSegments = 4;

beforeAll(async () => {
  // Thousands of writes and no statistics read: the stream feeds the summaries only (see TestStackOptions).
  stack = await startTestStack({ dailyStats: false });
});
afterAll(() => stack?.close());

const seed = async (shopId: string, customers: number, seedNo: number) => {
  const shop = (await runtime().shops.get(shopId))!;
  return seedShop(testDb(), stack.tableName, shop, {
    customers,
    seed: seedNo,
    acquisitionDays: 365,
    asOfDay: dayNumber(asOf),
    truth: { purchases: inTimeUnit(CDNOW_BGNBD_PUBLISHED, 'days'), spend: { p: 6.25, q: 3.74, v: 1_544 } },
    cancelledShare: 0.1,
    refundedShare: 0.1,
    partlyRefundedShare: 0.1,
    concurrency: 4,
    now,
  });
};

/** Every segment of summarise for one run; the segments' outputs merged, sorted for comparison. */
const summariseAll = async (shopId: string, deps: NightlyDeps = nightlyDeps(runtime())) => {
  const jobId = `job-${Math.random().toString(36).slice(2)}`;
  const steps = await Promise.all(
    range(totalSegments).map((segment) => summarise(deps, { shopId, jobId, asOf, totalSegments, segment })),
  );
  const parts = await Promise.all(
    range(totalSegments).map(
      async (k) => JSON.parse((await deps.sink.get(`jobs/${shopId}/${jobId}/summaries/${k}.json`))!) as SegmentSummary,
    ),
  );
  const merged = {
    customers: parts.flatMap((p) => p.customers).sort((a, b) => a.cid.localeCompare(b.cid)),
    orders: parts.flatMap((p) => p.orders).sort((a, b) => a.orderId.localeCompare(b.orderId)),
    nps: parts.flatMap((p) => p.nps).sort((a, b) => a.at.localeCompare(b.at)),
  };
  return {
    steps,
    merged,
    examined: steps.reduce((n, s) => n + s.read.items, 0),
    sources: new Set(steps.map((s) => s.read.source)),
  };
};

/** The old path: the filtered scan of the whole table (the nightly store's scanShop). */
const scanned = (shopId: string) => {
  const { summaries: _none, ...deps } = nightlyDeps(runtime());
  return summariseAll(shopId, deps);
};

/** What the old path examined: ScannedCount of the whole filtered scan. */
const scanExamined = async (shopId: string) => {
  let n = 0;
  const store = dynamoCustomerSummaryStore(runtime().table, stack.tableName);
  for (const segment of range(totalSegments))
    for await (const p of store.scanShop(shopId, segment, totalSegments)) n += p.examined;
  return n;
};

describe('customer summaries and the nightly read', () => {
  let small: string;
  let big: string;
  let alone: number;

  it('reads a new shop from its summaries, exactly what the table scan finds', { timeout: 60_000 }, async () => {
    small = (await stack.createShop()).shop.id;
    const seeded = await seed(small, 20, 1);
    expect(seeded.customers).toBe(20);
    await stack.drainStream();
    const fromSummaries = await summariseAll(small);
    expect(fromSummaries.sources).toEqual(new Set(['summaries']));
    const fromScan = await scanned(small);
    expect(fromSummaries.merged).toEqual(fromScan.merged);
    expect(fromSummaries.merged.customers).toHaveLength(20);
    expect(fromSummaries.merged.orders.length).toBeGreaterThan(0);
    alone = fromSummaries.examined;
    // 20 summaries and one marker read per segment.
    expect(alone).toBe(20 + totalSegments);
    console.log(`examined, 20-customer shop alone: ${alone} (filtered table scan: ${await scanExamined(small)})`);
  });

  it('costs the small shop no more when a 3,000-customer shop shares the table', { timeout: 240_000 }, async () => {
    big = (await stack.createShop()).shop.id;
    const seeded = await seed(big, 3_000, 2);
    expect(seeded.customers).toBe(3_000);
    await stack.drainStream();
    const withBig = await summariseAll(small);
    expect(withBig.examined).toBeLessThanOrEqual(2 * alone);
    const scanCost = await scanExamined(small);
    console.log(
      `examined, 20-customer shop beside a 3,000-customer one: ${withBig.examined} (filtered table scan: ${scanCost})`,
    );
    expect(scanCost).toBeGreaterThan(10 * withBig.examined);
    const bigRun = await summariseAll(big);
    expect(bigRun.merged.customers).toHaveLength(3_000);
    expect(bigRun.examined).toBe(3_000 + totalSegments);
  });

  it('builds the summaries of a shop that has none from one scan, then reads them', { timeout: 60_000 }, async () => {
    const shopId = (await stack.createShop()).shop.id;
    await seed(shopId, 30, 3);
    // A shop from before the summaries: no marker, and its items never went through the stream.
    await testDb().send(new DeleteCommand({ TableName: stack.tableName, Key: keys.customerSummaryMarker(shopId) }));
    for (const shard of range(16)) {
      const pk = keys.customerSummaryPartition(shopId, shard);
      const store = dynamoCustomerSummaryStore(runtime().table, stack.tableName);
      for await (const page of store.readShard(shopId, shard))
        for (const s of page.items)
          await testDb().send(new DeleteCommand({ TableName: stack.tableName, Key: { pk, sk: s.cid } }));
    }
    const first = await summariseAll(shopId);
    expect(first.sources).toEqual(new Set(['scan']));
    expect(first.steps.filter((s) => s.read.built)).toHaveLength(1);
    const second = await summariseAll(shopId);
    expect(second.sources).toEqual(new Set(['summaries']));
    expect(second.merged).toEqual(first.merged);
    expect(second.examined).toBe(30 + totalSegments);
  });

  it('follows cancellations and redactions, and a replayed stream changes nothing', { timeout: 60_000 }, async () => {
    const before = await summariseAll(small);
    const order = before.merged.orders[0]!;
    const rt = runtime();
    const item = (await rt.table.get({ TableName: stack.tableName, Key: keys.order(small, order.orderId) })).Item!;
    await rt.table.put({
      TableName: stack.tableName,
      Item: { ...item, cancelledAt: now.toISOString(), version: (item.version as number) + 1 },
    });
    const customer = before.merged.customers.find((c) => c.email)!;
    await rt.table.update({
      TableName: stack.tableName,
      Key: keys.customer(small, customer.cid),
      UpdateExpression: 'SET redactedAt = :at REMOVE email',
      ExpressionAttributeValues: { ':at': now.toISOString() },
    });
    await stack.drainStream();
    const after = await summariseAll(small);
    expect(after.merged.orders.map((o) => o.orderId)).not.toContain(order.orderId);
    expect(after.merged.orders).toHaveLength(before.merged.orders.length - 1);
    const redacted = after.merged.customers.find((c) => c.cid === customer.cid)!;
    expect(redacted).toMatchObject({ redactedAt: now.toISOString() });
    expect(redacted).not.toHaveProperty('email');
    expect(after.merged).toEqual((await scanned(small)).merged);
    // The whole stream once more, from its start (a retried batch, a poller restarted).
    const replay = streamPoller({
      tableName: stack.tableName,
      onRecords: async (records) => {
        await applySummaryRecords(summaryDeps(runtime()), summaryRecords(records));
      },
    });
    expect(await replay.drain()).toBeGreaterThan(3_000);
    expect((await summariseAll(small)).merged).toEqual(after.merged);
  });
});

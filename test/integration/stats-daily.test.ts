import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customOrderBody, sendCustomOrder, type CustomOrder } from '../support/custom-orders';
import { streamPoller } from '../../local/stream-poller';
import { dynamoDailyStatsStore } from '../../shared/adapters/daily-stats-store';
import { keys } from '../../shared/adapters/keys';
import type { Table } from '../../shared/adapters/table';
import { applyDailyStatsRecords, type DailyStatsDeps } from '../../shared/app/daily-stats-service';
import { runtime } from '../../shared/wiring/runtime';
import { statsDeps, statsRecords } from '../../shared/wiring/stats-runtime';
import { testDb } from '../support/db';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * The daily statistics (docs/console.md, "Statistics"): real webhooks through the gateway, the
 * table stream applied by the local poller, exact numbers per day in the shop's time zone; and
 * the same stream records applied again, bisected and after a failure, adding nothing twice.
 */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;
/** Every raw stream record of the table, read by a second poller of our own. */
const captured: unknown[] = [];
const capture = () =>
  streamPoller({
    tableName: stack.tableName,
    onRecords: async (records) => {
      captured.push(...records);
    },
  });
let capturer: ReturnType<typeof capture>;

beforeAll(async () => {
  stack = await startTestStack();
  capturer = capture();
  shop = await stack.createShop({ timezone: 'Europe/Copenhagen', currency: 'DKK' });
  other = await stack.createShop();
});
afterAll(() => stack?.close());

const order = (o: Omit<CustomOrder, 'customer'> & { customer: { id: string; email: string } }) => customOrderBody(o);
const send = (body: string) => sendCustomOrder(stack, shop, body);
const daily = (query: string, key = shop.apiKey, shopId = shop.shop.id) =>
  stack.api('GET', `/admin/shops/${shopId}/stats/daily?${query}`, { key });

const alice = { id: 'alice', email: 'alice@example.com' };
const bob = { id: 'bob', email: 'bob@example.com' };

describe('GET /admin/shops/{shopId}/stats/daily', () => {
  it('counts real orders exactly, per day of the shop’s time zone, with every day present', async () => {
    // 1 March, 11:00 in Copenhagen: Alice's first order.
    await send(order({ id: 'A1', customer: alice, total: '100.00', createdAt: '2026-03-01T10:00:00Z' }));
    // 23:30 UTC on 1 March is 00:30 on 2 March in Copenhagen: Alice's second (a member's) order.
    await send(order({ id: 'A2', customer: alice, total: '50.00', createdAt: '2026-03-01T23:30:00Z' }));
    // The same webhook again (a platform retry): counted once.
    await send(order({ id: 'A2', customer: alice, total: '50.00', createdAt: '2026-03-01T23:30:00Z' }));
    // Bob's order on 3 March, then cancelled: it counts on no day.
    await send(order({ id: 'B1', customer: bob, total: '20.00', createdAt: '2026-03-03T09:00:00Z' }));
    await send(
      order({
        id: 'B1',
        customer: bob,
        total: '20.00',
        createdAt: '2026-03-03T09:00:00Z',
        type: 'order.cancelled',
        cancelledAt: '2026-03-03T12:00:00Z',
      }),
    );

    const r = await daily('from=2026-03-01&to=2026-03-04');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      shopId: shop.shop.id,
      currency: 'DKK',
      timezone: 'Europe/Copenhagen',
      from: '2026-03-01',
      to: '2026-03-04',
    });
    const days = r.json.days as Record<string, unknown>[];
    expect(days.map((d) => d.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    expect(days[0]).toMatchObject({
      orders: 1,
      revenue: 10000,
      memberOrders: 0,
      memberRevenue: 0,
      newCustomers: 1,
      repeatCustomers: 0,
      referredOrders: 0,
      referralOrders: 0,
    });
    expect(days[1]).toMatchObject({ orders: 1, revenue: 5000, memberOrders: 1, memberRevenue: 5000, newCustomers: 0 });
    expect(days[2]).toMatchObject({ orders: 0, revenue: 0 });
    expect(days[3]).toEqual({
      date: '2026-03-04',
      orders: 0,
      revenue: 0,
      memberOrders: 0,
      memberRevenue: 0,
      referredOrders: 0,
      referredRevenue: 0,
      newCustomers: 0,
      repeatCustomers: 0,
      pointsIssued: 0,
      pointsRedeemed: 0,
      pointsExpired: 0,
      storeCreditIssued: 0,
      storeCreditSpent: 0,
      rewardsRedeemed: {},
      referralClicks: 0,
      referralOrders: 0,
      referralRewardsConfirmed: 0,
      emailsSent: {},
    });

    // Points are issued when the ledger writes its earn entries (today, by the clock), not on the order's day.
    type Entry = { type: string; points: { available: number; pending: number } };
    const earnedBy = async (ref: string) =>
      (
        (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${ref}?limit=100`, { key: shop.apiKey })).json
          .ledger as Entry[]
      )
        .filter((e) => e.type === 'earn')
        .reduce((s, e) => s + e.points.available + e.points.pending, 0);
    const recent = (await daily('')).json.days as { pointsIssued: number }[];
    const issued = recent.reduce((s, d) => s + d.pointsIssued, 0);
    expect(issued).toBeGreaterThan(0);
    expect(issued).toBe((await earnedBy('alice@example.com')) + (await earnedBy('bob@example.com')));
  });

  it('defaults to the last 30 days, and refuses a bad query or a range over 400 days', async () => {
    const r = await daily('');
    expect(r.status).toBe(200);
    expect(r.json.days).toHaveLength(30);

    const bad = await daily('from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
    const unknown = await daily('since=2026-01-01');
    expect(unknown.status).toBe(400);
    const reversed = await daily('from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect(reversed.json.error.code).toBe('invalid_range');
    const long = await daily('from=2025-01-01&to=2026-03-01');
    expect(long.status).toBe(400);
    expect(long.json.error.code).toBe('invalid_range');
    // Ten thousand years: counted, not listed day by day, so a 400 and not a timeout.
    const huge = await daily('from=0000-01-01&to=9999-12-31');
    expect(huge.json.error.code).toBe('invalid_range');
  });

  it('refuses another shop’s API key', async () => {
    const r = await daily('from=2026-03-01&to=2026-03-02', other.apiKey);
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBeTypeOf('string');
  });
});

describe('exact under stream retries', () => {
  const db = () => testDb();
  /** The orders' days and the last 30 (where the ledger's entries fall). */
  const numbers = async () => [
    ...((await daily('from=2026-03-01&to=2026-03-04')).json.days as unknown[]),
    ...((await daily('')).json.days as unknown[]),
    // The running totals (members, outstanding points, tiers…) through the overview's KPIs.
    (await stack.api('GET', `/admin/shops/${shop.shop.id}/stats/overview?days=7`, { key: shop.apiKey })).json.kpis,
  ];

  /** Forgets every counter and marker of the shop, as if the stream had never been applied. */
  const forget = async (eventIds: string[]) => {
    const days = await db().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.dailyStatsPartition(shop.shop.id) },
      }),
    );
    for (const i of days.Items ?? [])
      await db().send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: i.pk, sk: i.sk } }));
    for (const id of eventIds)
      await db().send(new DeleteCommand({ TableName: stack.tableName, Key: keys.dailyStatsApplied(shop.shop.id, id) }));
  };

  it('applies a batch twice, bisected and after a failed transaction, and gets the same numbers', async () => {
    const before = await numbers();
    await capturer.drain();
    const records = statsRecords(captured).filter((r) => r.shopId === shop.shop.id);
    expect(records.length).toBeGreaterThan(5);
    const deps = statsDeps(runtime());

    // Everything again, as a redelivered batch: all skipped, nothing changes.
    const again = await applyDailyStatsRecords(deps, records);
    expect(again.applied).toBe(0);
    expect(again.skipped).toBe(again.counted);
    expect(await numbers()).toEqual(before);

    // From nothing: the first half (bisected), then the whole batch, then the second half.
    await forget(records.map((r) => r.eventId));
    const half = Math.floor(records.length / 2);
    await applyDailyStatsRecords(deps, records.slice(0, half));
    const whole = await applyDailyStatsRecords(deps, records);
    expect(whole.skipped).toBeGreaterThan(0);
    await applyDailyStatsRecords(deps, records.slice(half));
    expect(await numbers()).toEqual(before);

    // A write that fails part-way (the second transaction), then the retry of the whole batch.
    await forget(records.map((r) => r.eventId));
    let transactions = 0;
    const rt = runtime();
    const failing: Table = {
      ...rt.table,
      transactWrite: (input) => {
        if (++transactions === 2) return Promise.reject(new Error('throttled'));
        return rt.table.transactWrite(input);
      },
    };
    const oneAtATime: DailyStatsDeps = { ...deps, stats: dynamoDailyStatsStore(failing, rt.tableName) };
    const byOne = records.map((r) => [r]);
    await expect(
      (async () => {
        for (const batch of byOne) await applyDailyStatsRecords(oneAtATime, batch);
      })(),
    ).rejects.toThrow('throttled');
    await applyDailyStatsRecords(deps, records);
    await applyDailyStatsRecords(deps, records);
    expect(await numbers()).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import { applyDailyStatsRecords, dailyStats, type DailyStatsDeps } from '../../../shared/app/daily-stats-service';
import type { StatsStreamRecord } from '../../../shared/app/ports/daily-stats';
import type { Shop } from '../../../shared/domain/shop';
import { memoryDailyStats } from '../../support/memory-daily-stats';
import { paidOrder, testShop } from '../../support/memory-nightly';

/** The daily statistics use cases over an in-memory store (docs/console.md, "Statistics"). */
const deps = (store: ReturnType<typeof memoryDailyStats>, shops: Shop[] = [testShop()]): DailyStatsDeps => ({
  stats: store.store,
  shops: { get: async (id) => shops.find((s) => s.id === id) },
  clock: { now: () => new Date('2026-03-10T12:00:00Z') },
});

const orderRecord = (eventId: string, cid: string, orderId: string, at: string, minor: number): StatsStreamRecord => ({
  eventId,
  shopId: 'shop-1',
  after: { kind: 'order', order: paidOrder(cid, orderId, at, minor) },
});

const batch = [
  orderRecord('e1', 'c1', 'o1', '2026-03-01T10:00:00Z', 10_000),
  orderRecord('e2', 'friend', 'o2', '2026-03-01T11:00:00Z', 4_000),
  orderRecord('e3', 'c1', 'o3', '2026-03-02T10:00:00Z', 1_000),
  // Nothing counted: an item the statistics skip adds no marker.
  { eventId: 'e4', shopId: 'shop-1', after: { kind: 'referral', confirmed: false, updatedAt: '2026-03-02T10:00:00Z' } },
] satisfies StatsStreamRecord[];

const report = async (store: ReturnType<typeof memoryDailyStats>) => {
  const r = await dailyStats(deps(store), testShop(), '2026-03-01', '2026-03-02');
  if (!r.ok) throw new Error('range');
  return r.value.days;
};

describe('applyDailyStatsRecords', () => {
  it('adds each record once: a redelivered and a bisected batch change nothing', async () => {
    const store = memoryDailyStats({ referred: ['friend'] });
    const first = await applyDailyStatsRecords(deps(store), batch);
    expect(first).toMatchObject({ records: 4, counted: 3, applied: 3, skipped: 0 });
    const once = await report(store);
    expect(once[0]).toMatchObject({ orders: 2, revenue: 14_000, referredOrders: 1, referredRevenue: 4_000 });
    expect(once[1]).toMatchObject({ orders: 1, revenue: 1_000 });

    expect(await applyDailyStatsRecords(deps(store), batch)).toMatchObject({ applied: 0, skipped: 3 });
    await applyDailyStatsRecords(deps(store), batch.slice(0, 2));
    await applyDailyStatsRecords(deps(store), batch.slice(2));
    expect(await report(store)).toEqual(once);
  });

  it('throws when a write fails, and the retried batch ends where one clean apply does', async () => {
    const clean = memoryDailyStats();
    await applyDailyStatsRecords(deps(clean), batch);
    const flaky = memoryDailyStats({ failOn: 2 });
    await applyDailyStatsRecords(deps(flaky), batch.slice(0, 1));
    await expect(applyDailyStatsRecords(deps(flaky), batch)).rejects.toThrow('throttled');
    await applyDailyStatsRecords(deps(flaky), batch);
    expect(await report(flaky)).toEqual(await report(clean));
  });

  it('keeps nothing for a shop that is gone or being deleted', async () => {
    const store = memoryDailyStats();
    expect(await applyDailyStatsRecords(deps(store, []), batch)).toMatchObject({ applied: 0, counted: 0 });
    const redacting = testShop({ status: 'redacting' });
    expect(await applyDailyStatsRecords(deps(store, [redacting]), batch)).toMatchObject({ applied: 0 });
    expect(store.days.size).toBe(0);
  });
});

describe('dailyStats', () => {
  it('refuses more than 400 days and fills a range with zeros', async () => {
    const store = memoryDailyStats();
    const long = await dailyStats(deps(store), testShop(), '2025-01-01', '2026-03-01');
    expect(long).toEqual({ ok: false, error: { kind: 'range_too_long', days: 425 } });
    const r = await dailyStats(deps(store), testShop(), '2026-03-01', '2026-03-03');
    expect(r.ok && r.value.days.map((d) => [d.date, d.orders])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 0],
      ['2026-03-03', 0],
    ]);
  });
});

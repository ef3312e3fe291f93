import type { Shop } from '../domain/shop';
import { err, ok, type DomainResult } from '../domain/result';
import {
  dailyStatsOf,
  daysBetween,
  statsDeltas,
  type DailyStats,
  type StatsContext,
  type StatsSource,
} from '../domain/stats/daily';
import type { Clock } from './ports/clock';
import type { DailyStatsStore, StatsRecordDelta, StatsStreamRecord } from './ports/daily-stats';

export interface DailyStatsDeps {
  stats: DailyStatsStore;
  shops: { get(shopId: string): Promise<Shop | undefined> };
  clock: Clock;
  /** Locally only: applies every stream record still pending (local/stream-poller.ts). */
  catchUp?: () => Promise<void>;
}

export interface AppliedStats {
  records: number;
  /** Records that changed some counter. */
  counted: number;
  applied: number;
  skipped: number;
  transactions: number;
}

/** The most days one request may ask for. */
export const maxStatsDays = 400;

const cidsToCheck = (records: readonly StatsStreamRecord[]): string[] =>
  records.flatMap((r) =>
    [r.before, r.after].flatMap((s: StatsSource | undefined) =>
      s?.kind === 'order' && s.order.cid && s.order.referral === undefined ? [s.order.cid] : [],
    ),
  );

/**
 * Adds a batch of the table's stream records to the shops' daily statistics. Each record's
 * counters are added exactly once: the store writes a marker keyed by the record's stream id in
 * the same transaction, so a redelivered, bisected or partly applied batch adds nothing twice.
 * Throws if a write fails: the caller hands the batch back to be retried.
 */
export const applyDailyStatsRecords = async (
  deps: DailyStatsDeps,
  records: readonly StatsStreamRecord[],
): Promise<AppliedStats> => {
  const out: AppliedStats = { records: records.length, counted: 0, applied: 0, skipped: 0, transactions: 0 };
  const byShop = new Map<string, StatsStreamRecord[]>();
  for (const r of records) byShop.set(r.shopId, [...(byShop.get(r.shopId) ?? []), r]);
  for (const [shopId, shopRecords] of byShop) {
    const shop = await deps.shops.get(shopId);
    // A deleted shop has no statistics to keep, nor one being deleted (its items' removals would recreate them).
    if (!shop || shop.status === 'redacting') continue;
    const referred = await deps.stats.referredFriends(shopId, cidsToCheck(shopRecords));
    const rewardTypes = Object.fromEntries(shop.program.rewards.map((r) => [r.id, r.type]));
    const deltas: StatsRecordDelta[] = shopRecords
      .map((r) => {
        const ctx: StatsContext = {
          timezone: shop.timezone,
          rewardTypes,
          referredFriend: (cid) => referred.has(cid),
          ...(r.recordedAt ? { recordedAt: r.recordedAt } : {}),
        };
        return { eventId: r.eventId, days: statsDeltas(r.before, r.after, ctx) };
      })
      .filter((d) => d.days.length > 0);
    out.counted += deltas.length;
    if (!deltas.length) continue;
    const applied = await deps.stats.apply(shopId, deltas, deps.clock.now());
    out.applied += applied.applied;
    out.skipped += applied.skipped;
    out.transactions += applied.transactions;
  }
  return out;
};

/** The day an instant falls on in a time zone (re-exported for the handlers' defaults). */
export { localDay } from '../domain/calendar';

export interface DailyStatsReport {
  shopId: string;
  currency: string;
  timezone: string;
  from: string;
  to: string;
  days: DailyStats[];
}

export type DailyStatsError = { kind: 'range_too_long'; days: number };

/** Every day from `from` to `to` (the shop's calendar days), zeros where nothing happened. */
export const dailyStats = async (
  deps: DailyStatsDeps,
  shop: Shop,
  from: string,
  to: string,
): Promise<DomainResult<DailyStatsReport, DailyStatsError>> => {
  // Counted before listing: a range of ten thousand years must cost a subtraction, not a list.
  const count = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (count > maxStatsDays) return err({ kind: 'range_too_long', days: count });
  const days = daysBetween(from, to);
  await deps.catchUp?.();
  const stored = await deps.stats.days(shop.id, from, to);
  return ok({
    shopId: shop.id,
    currency: shop.currency,
    timezone: shop.timezone,
    from,
    to,
    days: days.map((d) => dailyStatsOf(d, stored.get(d))),
  });
};

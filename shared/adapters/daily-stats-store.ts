import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LedgerEntry } from '../domain/ledger/entries';
import { totalsDay, type Counters, type DayDelta, type StatsSource } from '../domain/stats/daily';
import type { AppliedDeltas, DailyStatsStore, StatsRecordDelta, StatsStreamRecord } from '../app/ports/daily-stats';
import { referralStatsItemType } from './click-store';
import { batchGetAll, isTransactionConditionFailure, strip } from './items';
import { keys } from './keys';
import { fromOrderItem } from './ledger-store';
import { sleep } from './sleep';
import { queryPages, type Table } from './table';

type Item = Record<string, unknown>;

/** `itemType` of a day's counters and of a record's marker. */
export const dailyStatsItemType = 'daily_stats';
const appliedItemType = 'daily_stats_applied';

/** The item types the daily statistics are counted from (the stream filter's too). */
export const dailyStatsSourceTypes = [
  'order',
  'entry',
  'referral',
  'outbox',
  referralStatsItemType,
  'customer',
  'nps',
  'segment',
] as const;

/** A marker outlives every redelivery: the stream keeps records 24 hours. */
const markerDays = 7;

/** Tries of a transaction that lost to a concurrent one on the same counters. */
const conflictAttempts = 4;

/** At most this many items in one TransactWriteItems. */
const maxTransactItems = 100;

/** A stored item as a statistics source; anything else undefined. */
export const statsSourceOf = (item: Item | undefined): StatsSource | undefined => {
  switch (item?.itemType) {
    case 'order': {
      const order = fromOrderItem(item);
      return order ? { kind: 'order', order } : undefined;
    }
    case 'entry':
      return { kind: 'entry', entry: strip<LedgerEntry>(item)! };
    case 'referral':
      return { kind: 'referral', confirmed: item.confirmed === true, updatedAt: String(item.updatedAt) };
    case 'outbox':
      return {
        kind: 'outbox',
        type: String(item.type),
        status: String(item.status),
        ...(typeof item.settledAt === 'string' ? { settledAt: item.settledAt } : {}),
      };
    case 'customer': {
      const points = item.points as { available?: number; pending?: number; lifetimeEarned?: number } | undefined;
      const tier = (item.tier as { id?: string } | undefined)?.id;
      return {
        kind: 'customer',
        lifetimeEarned: Number(points?.lifetimeEarned ?? 0),
        outstanding: Math.max(0, Number(points?.available ?? 0)) + Math.max(0, Number(points?.pending ?? 0)),
        earnedOrders: Number(item.earnedOrders ?? 0),
        ...(typeof item.lastOrderAt === 'string' ? { lastOrderAt: item.lastOrderAt } : {}),
        ...(tier ? { tier } : {}),
      };
    }
    case 'nps':
      return { kind: 'nps', score: Number(item.score), at: String(item.at) };
    case 'segment': {
      const risk = item.churnRisk as { score?: number } | undefined;
      return { kind: 'segment', name: String(item.name), churnScore: Number(risk?.score ?? 0) };
    }
    case referralStatsItemType:
      return { kind: 'clicks', day: String(item.sk), clicks: Number(item.clicks ?? 0) };
    default:
      return undefined;
  }
};

const shopOfPk = (pk: unknown): string | undefined =>
  typeof pk === 'string' ? /^SHOP#([^#]+)#/.exec(pk)?.[1] : undefined;

/** Epoch seconds (Lambda, GetRecords) or milliseconds as ISO. */
const isoOf = (v: unknown): string | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return new Date(n > 1e12 ? n : n * 1000).toISOString();
};

/**
 * A DynamoDB stream record (the Lambda event's or GetRecords', images as AttributeValues) as the
 * daily statistics see it; undefined for items they do not count or records without an id.
 */
export const statsStreamRecordOf = (record: {
  eventID?: string;
  dynamodb?: { NewImage?: unknown; OldImage?: unknown; ApproximateCreationDateTime?: unknown };
}): StatsStreamRecord | undefined => {
  const d = record.dynamodb;
  const typeOf = (v: unknown) => (v as { itemType?: { S?: string } } | undefined)?.itemType?.S;
  const sources: readonly (string | undefined)[] = dailyStatsSourceTypes;
  if (!record.eventID || (!sources.includes(typeOf(d?.NewImage)) && !sources.includes(typeOf(d?.OldImage))))
    return undefined;
  const image = (v: unknown): Item | undefined =>
    v && typeof v === 'object' && Object.keys(v).length ? (unmarshall(v as never) as Item) : undefined;
  const [oldItem, newItem] = [image(d?.OldImage), image(d?.NewImage)];
  const before = statsSourceOf(oldItem);
  const after = statsSourceOf(newItem);
  const shopId = shopOfPk((newItem ?? oldItem)?.pk);
  if ((!before && !after) || !shopId) return undefined;
  const recordedAt = isoOf(d?.ApproximateCreationDateTime);
  return {
    eventId: record.eventID,
    shopId,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    ...(recordedAt ? { recordedAt } : {}),
  };
};

/** The attributes a day's item keeps besides its counters. */
const bookkeeping = new Set(['pk', 'sk', 'itemType', 'shopId']);

export const dynamoDailyStatsStore = (table: Table, tableName: string): DailyStatsStore => {
  const marker = (shopId: string, eventId: string, now: Date) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.dailyStatsApplied(shopId, eventId),
        itemType: appliedItemType,
        shopId,
        expiresAt: Math.ceil(now.getTime() / 1000) + markerDays * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const addTo = (shopId: string, d: DayDelta) => {
    const entries = Object.entries(d.counters);
    return {
      Update: {
        TableName: tableName,
        Key: keys.dailyStats(shopId, d.day),
        UpdateExpression: `SET itemType = :t, shopId = :s ADD ${entries.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
        ExpressionAttributeValues: {
          ':t': dailyStatsItemType,
          ':s': shopId,
          ...Object.fromEntries(entries.map(([, v], i) => [`:n${i}`, v])),
        },
      },
    };
  };
  /** Markers of the records, then one merged ADD per day: one transaction. */
  const transaction = (shopId: string, records: readonly StatsRecordDelta[], now: Date) => {
    const byDay = new Map<string, Counters>();
    for (const r of records)
      for (const d of r.days) {
        const c = byDay.get(d.day) ?? {};
        for (const [k, v] of Object.entries(d.counters)) c[k] = (c[k] ?? 0) + v;
        byDay.set(d.day, c);
      }
    const days = [...byDay]
      .map(([day, counters]) => ({ day, counters: Object.fromEntries(Object.entries(counters).filter(([, v]) => v)) }))
      .filter((d) => Object.keys(d.counters).length);
    return table.transactWrite({
      TransactItems: [...records.map((r) => marker(shopId, r.eventId, now)), ...days.map((d) => addTo(shopId, d))],
    });
  };
  /**
   * Concurrent batches of one shop (several stream shards) ADD to the same day and totals items:
   * a transaction that lost to another is tried again a few times before the batch fails.
   */
  const conflicted = (e: unknown) =>
    e instanceof Error &&
    e.name === 'TransactionCanceledException' &&
    ((e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
      (r) => r.Code === 'TransactionConflict',
    ) &&
    !((e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
      (r) => r.Code === 'ConditionalCheckFailed',
    );
  const written = async (shopId: string, records: readonly StatsRecordDelta[], now: Date, result: AppliedDeltas) => {
    for (let attempt = 1; ; attempt++) {
      try {
        result.transactions++;
        await transaction(shopId, records, now);
        return;
      } catch (e) {
        if (!conflicted(e) || attempt >= conflictAttempts) throw e;
        await sleep(Math.round(50 * 2 ** attempt * (0.5 + Math.random() / 2)));
      }
    }
  };
  const anyMarkerExists = (e: unknown, markers: number) =>
    Array.from({ length: markers }, (_, i) => i).some((i) => isTransactionConditionFailure(e, i));

  /** Records in the order given, as many to a transaction as fit (markers plus distinct days ≤ 100). */
  const packed = (records: readonly StatsRecordDelta[]): StatsRecordDelta[][] => {
    const out: StatsRecordDelta[][] = [];
    let chunk: StatsRecordDelta[] = [];
    let days = new Set<string>();
    for (const r of records) {
      const nextDays = new Set([...days, ...r.days.map((d) => d.day)]);
      if (chunk.length && chunk.length + 1 + nextDays.size > maxTransactItems) {
        out.push(chunk);
        chunk = [];
        days = new Set(r.days.map((d) => d.day));
      } else days = nextDays;
      chunk.push(r);
    }
    if (chunk.length) out.push(chunk);
    return out;
  };

  return {
    async apply(shopId, records, now) {
      const result: AppliedDeltas = { applied: 0, skipped: 0, transactions: 0 };
      // One record twice in a batch (never from the stream, but cheap to rule out) would cancel its own transaction.
      const unique = [...new Map(records.map((r) => [r.eventId, r])).values()];
      for (const chunk of packed(unique)) {
        try {
          await written(shopId, chunk, now, result);
          result.applied += chunk.length;
          continue;
        } catch (e) {
          if (!anyMarkerExists(e, chunk.length)) throw e;
        }
        // Some of these were added before (a redelivered or bisected batch): one at a time, skipping those.
        for (const r of chunk) {
          try {
            await written(shopId, [r], now, result);
            result.applied++;
          } catch (e) {
            if (!isTransactionConditionFailure(e, 0)) throw e;
            result.skipped++;
          }
        }
      }
      return result;
    },

    async days(shopId, from, to) {
      const out = new Map<string, Counters>();
      for await (const page of queryPages(table, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.dailyStatsPartition(shopId), ':from': from, ':to': to },
      }))
        for (const item of page.Items ?? []) {
          const counters = Object.fromEntries(
            Object.entries(item).filter(([k, v]) => !bookkeeping.has(k) && typeof v === 'number'),
          ) as Counters;
          out.set(String(item.sk), counters);
        }
      return out;
    },

    async totals(shopId) {
      const out = await table.get({ TableName: tableName, Key: keys.dailyStats(shopId, totalsDay) });
      return Object.fromEntries(
        Object.entries(out.Item ?? {}).filter(([k, v]) => !bookkeeping.has(k) && typeof v === 'number'),
      ) as Counters;
    },

    async referredFriends(shopId, cids) {
      const unique = [...new Set(cids)];
      if (!unique.length) return new Set();
      const items = await batchGetAll(
        table,
        tableName,
        unique.map((cid) => keys.referral(shopId, cid)),
      );
      return new Set(items.map((i) => String(i.friendCid)));
    },
  };
};

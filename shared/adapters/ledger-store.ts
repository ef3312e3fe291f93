import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore, StoredIdempotency } from '../app/ports/ledger';
import type { ActivityRecord } from '../domain/engagement/activity';
import type { CustomerRecord } from '../domain/ledger/customer';
import { wakeAt } from '../domain/ledger/customer';
import type { LedgerEntry } from '../domain/ledger/entries';
import type { OrderRecord } from '../domain/ledger/order-record';
import type { TierChange } from '../domain/tiers/types';
import { earningSchema, type Program } from '../schemas/program';
import { decodeCursor, encodeCursor } from './cursor';
import { strip, versionGuard } from './items';
import { newId } from './ids';
import { indexes, keys } from './keys';
import { queryPages, type Table } from './table';
import { emailHash } from '../domain/customers/identity';
import { outgoingEventItem } from './outgoing-items';
import { outboxItem } from './outbox-store';

type Item = Record<string, unknown>;

/**
 * Order items are written on every delivery and billed per started KB, so lines are stored
 * as `[netMinor, productId, sku, lineId]` tuples and the fixed earning rule without its empty lists.
 */
type StoredLine = [number, string | null, string | null, string | null];

export const orderItem = (shopId: string, o: OrderRecord): Item => ({
  ...keys.order(shopId, o.orderId),
  itemType: 'order',
  ...o,
  ...(o.state
    ? {
        state: {
          ...o.state,
          lines: o.state.lines.map((l): StoredLine => [
            l.netMinor,
            l.productId ?? null,
            l.sku ?? null,
            l.lineId ?? null,
          ]),
        },
      }
    : {}),
  ...(o.earn
    ? {
        earn: {
          ...o.earn,
          rule: Object.fromEntries(
            Object.entries(o.earn.rule).filter(([, v]) => !(Array.isArray(v) && v.length === 0)),
          ),
        },
      }
    : {}),
});

/** An order item as stored back to the record (also read by the nightly scan). */
export const fromOrderItem = (item: Item | undefined): OrderRecord | undefined => {
  const o = strip<OrderRecord & { state?: { lines: StoredLine[] } }>(item);
  if (!o) return undefined;
  return {
    ...o,
    ...(o.state
      ? {
          state: {
            ...o.state,
            lines: (o.state.lines as unknown as StoredLine[]).map(([netMinor, productId, sku, lineId]) => ({
              netMinor,
              ...(productId === null ? {} : { productId }),
              ...(sku === null ? {} : { sku }),
              ...(lineId === null || lineId === undefined ? {} : { lineId }),
            })),
          },
        }
      : {}),
    ...(o.earn ? { earn: { ...o.earn, rule: earningSchema.parse(o.earn.rule) } } : {}),
  } as OrderRecord;
};

/** Ledger cursors (cursor.ts) carry only the last entry's sort key; the partition always comes from the caller. */
const ledgerCursor = (key: Item | undefined) => encodeCursor(key && [String(key.sk)]);
const ledgerStartKey = (cursor: string | undefined, pk: string): Item | undefined => {
  if (!cursor) return undefined;
  const isEntryKey = (sk: string) =>
    sk.startsWith(keys.ledgerPrefix) && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(sk.slice(keys.ledgerPrefix.length));
  const [sk] = decodeCursor(cursor, 1, ([s]) => isEntryKey(s!));
  return { pk, sk };
};

/** Activity cursors carry the last activity's sort key, which must be an activity's. */
const activityStartKey = (cursor: string | undefined, pk: string): Item | undefined => {
  if (!cursor) return undefined;
  const [sk] = decodeCursor(cursor, 1, ([s]) => s!.startsWith(keys.activityPrefix));
  return { pk, sk };
};

/** A customer as stored: with its wake-up (daily job) and e-mail index keys. */
export const customerItem = (shopId: string, c: CustomerRecord, program: Program): Item => {
  const wake = wakeAt(c, program);
  // The e-mail index key is derived from the address; the hash is not stored twice (the
  // customer item is written with every order and billed per started KB).
  const { emailHash: _legacy, ...record } = c;
  return {
    ...keys.customer(shopId, c.cid),
    ...(wake ? keys.customerWake(shopId, c.cid, wake) : {}),
    ...(c.email && !c.redactedAt ? keys.customerEmail(shopId, emailHash(c.email), c.cid) : {}),
    itemType: 'customer',
    shopId,
    ...record,
  };
};

export interface DynamoLedgerStoreOptions {
  /** Observes capacity of every call (benchmarks); enables ReturnConsumedCapacity. */
  onCapacity?: (operation: string, consumed: ConsumedCapacity[] | ConsumedCapacity | undefined) => void;
}

export const dynamoLedgerStore = (
  table: Table,
  tableName: string,
  options: DynamoLedgerStoreOptions = {},
): LedgerStore => {
  const rcc = options.onCapacity ? ({ ReturnConsumedCapacity: 'INDEXES' } as const) : {};
  const observe = (op: string, c: ConsumedCapacity[] | ConsumedCapacity | undefined) => options.onCapacity?.(op, c);

  const get = async (key: { pk: string; sk: string }, op: string, consistent = true) => {
    const out = await table.get({ TableName: tableName, Key: key, ConsistentRead: consistent, ...rcc });
    observe(op, out.ConsumedCapacity);
    return out.Item;
  };

  return {
    async getOrder(shopId, orderId) {
      return fromOrderItem(await get(keys.order(shopId, orderId), 'getOrder'));
    },
    async getCustomer(shopId, cid, options) {
      return strip<CustomerRecord>(await get(keys.customer(shopId, cid), 'getCustomer', options?.consistent ?? true));
    },
    async cidsByEmailHash(shopId, hash) {
      const out = await table.query({
        TableName: tableName,
        IndexName: indexes.alternate.name,
        KeyConditionExpression: `${indexes.alternate.pk} = :p`,
        ExpressionAttributeValues: { ':p': keys.customerEmailPartition(shopId, hash) },
        ...rcc,
      });
      observe('customerIdsByEmail', out.ConsumedCapacity);
      return (out.Items ?? []).map((i) => String(i[indexes.alternate.sk]));
    },
    async commit(shopId, plan, program, idempotency) {
      const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
      if (plan.order) {
        items.push({
          Put: {
            TableName: tableName,
            Item: orderItem(shopId, plan.order.next),
            ...versionGuard(plan.order.expectedVersion),
          },
        });
      }
      if (plan.customer) {
        items.push({
          Put: {
            TableName: tableName,
            Item: customerItem(shopId, plan.customer.next, program),
            ...versionGuard(plan.customer.expectedVersion),
          },
        });
      }
      const cid = plan.customer?.next.cid ?? plan.order?.next.cid;
      if (plan.entry && cid) {
        items.push({
          Put: {
            TableName: tableName,
            Item: { ...keys.ledgerEntry(shopId, cid, plan.entry.entryId), itemType: 'entry', shopId, ...plan.entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (plan.referral) {
        const r = plan.referral.next;
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.referral(shopId, r.friendCid),
              ...keys.referralByStatus(shopId, r.status, r.createdAt, r.friendCid),
              itemType: 'referral',
              shopId,
              ...r,
            },
            ...versionGuard(plan.referral.expectedVersion),
          },
        });
      }
      if (plan.referrer) {
        const c = plan.referrer.customer;
        items.push({
          Put: {
            TableName: tableName,
            Item: customerItem(shopId, c.next, program),
            ...versionGuard(c.expectedVersion),
          },
        });
        if (plan.referrer.entry) {
          items.push({
            Put: {
              TableName: tableName,
              Item: {
                ...keys.ledgerEntry(shopId, c.next.cid, plan.referrer.entry.entryId),
                itemType: 'entry',
                shopId,
                ...plan.referrer.entry,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          });
        }
      }
      if (plan.referredFriend) {
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.referredFriend(shopId, plan.referredFriend.hash),
              itemType: 'referred_friend',
              shopId,
              // Stored as `referralId` since the first release: the friend's cid.
              referralId: plan.referredFriend.friendCid,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (plan.activity) {
        const a = plan.activity;
        items.push({
          Put: {
            TableName: tableName,
            Item: { ...keys.activity(shopId, a.cid, a.occurredAt, a.id), itemType: 'activity', shopId, ...a },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (plan.rewardStock) {
        // Counted here, not on the customer: the limit is across customers, and the condition makes
        // a redemption racing for the last one lose its whole transaction (the use case re-reads).
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.rewardStock(shopId, plan.rewardStock.rewardId),
            UpdateExpression: 'SET itemType = :t, shopId = :shop ADD redeemed :one',
            ConditionExpression: 'attribute_not_exists(redeemed) OR redeemed < :stock',
            ExpressionAttributeValues: {
              ':t': 'reward_stock',
              ':shop': shopId,
              ':one': 1,
              ':stock': plan.rewardStock.stock,
            },
          },
        });
      }
      for (const v of plan.velocity ?? []) {
        // Hashed IPs and addresses are kept only as long as the velocity window needs them.
        const last = v.next.times.at(-1);
        const expiresAt = last
          ? Math.ceil(Date.parse(last) / 1000) + program.referrals.velocity.windowHours * 3600
          : undefined;
        items.push({
          Put: {
            TableName: tableName,
            Item: { ...keys.velocity(shopId, v.kind, v.hash), itemType: 'velocity', shopId, ...v.next, expiresAt },
            ...versionGuard(v.expectedVersion),
          },
        });
      }
      for (const email of plan.emails ?? []) {
        const outboxId = newId();
        items.push({
          Put: {
            TableName: tableName,
            Item: outboxItem(shopId, outboxId, email, email.at),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      for (const event of plan.outgoing ?? []) {
        items.push({
          Put: {
            TableName: tableName,
            Item: outgoingEventItem(shopId, newId(), event),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      for (const t of plan.tierChanges ?? []) {
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.tierChange(shopId, t.cid, newId()),
              itemType: 'tier_change',
              shopId,
              cid: t.cid,
              ...t.change,
            },
          },
        });
      }
      for (const e of plan.events ?? []) {
        const eventId = newId();
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.event(shopId, e.cid, eventId),
              itemType: 'event',
              shopId,
              eventId,
              eventType: e.type,
              cid: e.cid,
              data: e.data,
              at: e.at,
            },
          },
        });
      }
      let idempotencyIndex = -1;
      if (idempotency) {
        idempotencyIndex = items.length;
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.idempotency(shopId, idempotency.key),
              itemType: 'idempotency',
              shopId,
              ...idempotency.record,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (!items.length) return 'committed';
      try {
        const out = await table.transactWrite({ TransactItems: items, ...rcc });
        observe(`commit:${items.length}`, out.ConsumedCapacity);
        return 'committed';
      } catch (e) {
        const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if ((e as Error).name === 'TransactionCanceledException' && reasons) {
          if (idempotencyIndex >= 0 && reasons[idempotencyIndex]?.Code === 'ConditionalCheckFailed') return 'duplicate';
          return 'conflict';
        }
        if ((e as Error).name === 'TransactionConflictException') return 'conflict';
        throw e;
      }
    },
    async rewardRedeemed(shopId, rewardId) {
      const item = await get(keys.rewardStock(shopId, rewardId), 'rewardRedeemed');
      return Number(item?.redeemed ?? 0);
    },
    async getIdempotency(shopId, key) {
      return strip<StoredIdempotency>(await get(keys.idempotency(shopId, key), 'getIdempotency'));
    },
    async listEntries(shopId, cid, page) {
      const out = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': keys.customerPartition(shopId, cid), ':s': keys.ledgerPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: ledgerStartKey(page.cursor, keys.customerPartition(shopId, cid)),
        ...rcc,
      });
      observe('listEntries', out.ConsumedCapacity);
      return {
        entries: (out.Items ?? []).map((i) => strip<LedgerEntry>(i)!),
        nextCursor: ledgerCursor(out.LastEvaluatedKey),
      };
    },
    async listActivities(shopId, cid, page) {
      const pk = keys.customerPartition(shopId, cid);
      const out = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': pk, ':s': keys.activityPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: activityStartKey(page.cursor, pk),
        ...rcc,
      });
      observe('listActivities', out.ConsumedCapacity);
      return {
        activities: (out.Items ?? []).map((i) => {
          const { itemType: _t, shopId: _s, ...a } = strip<ActivityRecord & { itemType: string; shopId: string }>(i)!;
          return a;
        }),
        nextCursor: ledgerCursor(out.LastEvaluatedKey),
      };
    },
    async listTierChanges(shopId, cid, limit) {
      const out = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': keys.customerPartition(shopId, cid), ':s': keys.tierChangePrefix },
        ScanIndexForward: false,
        Limit: limit,
      });
      return (out.Items ?? []).map((i) => {
        const { kind, from, to, at, reason } = i as TierChange;
        return { kind, from, to, at, reason };
      });
    },
    async *dueCustomers(shopId, before) {
      const pages = queryPages(table, {
        TableName: tableName,
        IndexName: indexes.byTime.name,
        KeyConditionExpression: `${indexes.byTime.pk} = :p AND ${indexes.byTime.sk} < :b`,
        ExpressionAttributeValues: { ':p': keys.customerWakePartition(shopId), ':b': before },
      });
      for await (const page of pages)
        for (const item of page.Items ?? []) yield String(item[indexes.byTime.sk]).split('#').slice(1).join('#');
    },
    async putDataRequest(shopId, cid, requestId, exportDoc, at) {
      await table.put({
        TableName: tableName,
        Item: {
          ...keys.dataRequest(shopId, cid, requestId),
          itemType: 'data_request',
          shopId,
          requestId,
          at,
          export: exportDoc,
        },
      });
    },
    async erasePersonalItems(shopId, cid) {
      const out = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': keys.customerPartition(shopId, cid), ':s': keys.dataRequestPrefix },
        ProjectionExpression: 'pk, sk',
      });
      for (const k of out.Items ?? []) await table.delete({ TableName: tableName, Key: { pk: k.pk, sk: k.sk } });
      // NPS scores stay (anonymous once the profile is erased); free-text comments may name people.
      const nps = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': keys.customerPartition(shopId, cid), ':s': keys.npsPrefix },
        ProjectionExpression: 'pk, sk',
      });
      for (const k of nps.Items ?? []) {
        await table.update({
          TableName: tableName,
          Key: { pk: k.pk, sk: k.sk },
          UpdateExpression: 'REMOVE #c',
          ExpressionAttributeNames: { '#c': 'comment' },
        });
      }
    },
  };
};

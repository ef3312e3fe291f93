import type { QueuedEmail } from '../domain/emails/types';
import { emailCategory } from '../domain/emails/types';
import type { OutboxItem, OutboxStatus } from '../domain/emails/outbox';
import { dynamoEmailStats } from './email-stats-store';
import { isConditionFailure, strip, written } from './items';
import { indexes, keys } from './keys';
import { indexedPage } from './listing';
import { dynamoSuppressions } from './suppression-store';
import type { Table } from './table';
import type { OutboxStore } from '../app/ports/outbox';
import type { NewId } from '../app/ports/ids';

type Item = Record<string, unknown>;

/** The outbox item a queued e-mail becomes; written inside the transaction of its cause. */
export const outboxItem = (shopId: string, outboxId: string, email: QueuedEmail, now: string): Item => {
  // A delayed e-mail (a survey) waits on the queue, which the sender reads by due time, until then.
  const dueAt = email.dueAt && email.dueAt > now ? email.dueAt : now;
  return {
    ...keys.outbox(shopId, outboxId),
    ...keys.outboxQueue(shopId, dueAt, outboxId),
    itemType: 'outbox',
    shopId,
    outboxId,
    cid: email.cid,
    type: email.type,
    category: emailCategory(email.type),
    data: email.data,
    createdAt: now,
    dueAt,
    ...(dueAt !== now ? { delayedUntil: dueAt } : {}),
    status: 'pending',
    attempts: 0,
  };
};

const fromItem = (item: Item | undefined): OutboxItem | undefined => {
  const o = strip<OutboxItem>(item);
  return o && { ...o, shopId: String(item!.shopId) };
};

/** Settled e-mails are kept this long (TTL), listed by status through gsi2 meanwhile. */
export const outboxRetentionDays = 90;

/** Unsent e-mails, by when they are due; settled ones, by status. Attribute names from keys.ts only. */
const queue = indexes.byTime;
const settled = indexes.alternate;
const offQueue = `${queue.pk}, ${queue.sk}`;

const settledSet = `settledAt = :settledAt, ${settled.pk} = :g2pk, ${settled.sk} = :g2sk, expiresAt = :ttl`;
/**
 * A settled e-mail leaves the queue (gsi1) and joins its customer's e-mail listing on the same
 * index, in the same update: the console's "e-mails sent" without another item or index.
 */
const settledForCustomer = `${settledSet}, ${queue.pk} = :g1pk, ${queue.sk} = :g1sk`;
const customerListingValues = (item: Pick<OutboxItem, 'shopId' | 'cid' | 'outboxId'>, at: string) => {
  const listing = keys.customerMail(item.shopId, item.cid, at, item.outboxId);
  return { ':g1pk': listing[queue.pk], ':g1sk': listing[queue.sk] };
};
const settledValues = (shopId: string, status: OutboxStatus, at: string, outboxId: string) => {
  const listing = keys.outboxSettled(shopId, status, at, outboxId);
  return {
    ':settledAt': at,
    ':g2pk': listing[settled.pk],
    ':g2sk': listing[settled.sk],
    ':ttl': Math.ceil(Date.parse(at) / 1000) + outboxRetentionDays * 86_400,
  };
};

/**
 * The outbox port, from three modules by what they hold: the send queue (here), the daily
 * counters (email-stats-store.ts) and the suppression list (suppression-store.ts). `newClaim`
 * makes each claim's unique token (the wiring passes adapters/ids.ts newId).
 */
export const dynamoOutboxStore = (table: Table, tableName: string, newClaim: NewId): OutboxStore => ({
  ...dynamoEmailStats(table, tableName),
  ...dynamoSuppressions(table, tableName),

  async get(shopId, outboxId) {
    const out = await table.get({ TableName: tableName, Key: keys.outbox(shopId, outboxId), ConsistentRead: true });
    return fromItem(out.Item);
  },

  async due(shopId, now, limit) {
    const out = await table.query({
      TableName: tableName,
      IndexName: indexes.byTime.name,
      KeyConditionExpression: `${indexes.byTime.pk} = :p AND ${indexes.byTime.sk} < :now`,
      ExpressionAttributeValues: { ':p': keys.outboxQueuePartition(shopId), ':now': now },
      Limit: limit,
    });
    return (out.Items ?? []).map((i) => String(i[queue.sk]).split('#')[1]!);
  },

  async claim(shopId, outboxId, { now, leaseUntil, inDoubtWaitMs }) {
    const claim = newClaim();
    const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
    try {
      const out = await table.update({
        TableName: tableName,
        Key: keys.outbox(shopId, outboxId),
        // Pending and due, or claimed by a sender whose claim ran out (crashed or timed out).
        ConditionExpression: '(#s = :pending AND dueAt <= :now) OR (#s = :sending AND leaseUntil < :takeOver)',
        UpdateExpression:
          `SET #s = :sending, leaseUntil = :lease, claim = :claim, attempts = attempts + :one, ${queue.sk} = :queue, ` +
          'previousStatus = #s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':sending': 'sending',
          ':now': now,
          ':takeOver': shift(now, -inDoubtWaitMs),
          ':lease': leaseUntil,
          ':claim': claim,
          ':one': 1,
          // While claimed, the queue entry sorts by when the claim may be taken over.
          ':queue': keys.outboxQueue(shopId, shift(leaseUntil, inDoubtWaitMs), outboxId)[queue.sk],
        },
        ReturnValues: 'ALL_NEW',
      });
      const item = fromItem(out.Attributes)!;
      const attrs = out.Attributes as Item;
      return { item, inDoubt: attrs.previousStatus === 'sending' || attrs.doubt === true };
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw e;
    }
  },

  async settle(item, outcome) {
    const names: Record<string, string> = { '#s': 'status' };
    const values: Record<string, unknown> = { ':claim': item.claim, ':sending': 'sending' };
    let update: string;
    if (outcome.status === 'sent') {
      update =
        `SET #s = :sent, sentAt = :at, ${settledForCustomer}` +
        (outcome.messageId ? ', messageId = :mid' : '') +
        ` REMOVE leaseUntil, claim, lastError, doubt`;
      Object.assign(values, {
        ':sent': 'sent',
        ':at': outcome.at,
        ...settledValues(item.shopId, 'sent', outcome.at, item.outboxId),
        ...customerListingValues(item, outcome.at),
        ...(outcome.messageId ? { ':mid': outcome.messageId } : {}),
      });
    } else if (outcome.status === 'retry') {
      update = `SET #s = :pending, dueAt = :due, ${queue.sk} = :queue, lastError = :err REMOVE leaseUntil, claim${outcome.doubt ? '' : ', doubt'}`;
      if (outcome.doubt) update = update.replace(' REMOVE', ', doubt = :doubt REMOVE');
      Object.assign(values, {
        ':pending': 'pending',
        ':due': outcome.dueAt,
        ':queue': keys.outboxQueue(item.shopId, outcome.dueAt, item.outboxId)[queue.sk],
        ':err': outcome.error.slice(0, 500),
        ...(outcome.doubt ? { ':doubt': true } : {}),
      });
    } else {
      update = `SET #s = :final, reason = :reason, ${settledForCustomer} REMOVE leaseUntil, claim, doubt`;
      Object.assign(values, {
        ':final': outcome.status,
        ':reason': outcome.reason.slice(0, 500),
        ...settledValues(item.shopId, outcome.status, outcome.at, item.outboxId),
        ...customerListingValues(item, outcome.at),
      });
    }
    return written(
      table.update({
        TableName: tableName,
        Key: keys.outbox(item.shopId, item.outboxId),
        ConditionExpression: '#s = :sending AND claim = :claim',
        UpdateExpression: update,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  },

  async recordDelivery(shopId, outboxId, delivery) {
    try {
      await table.update({
        TableName: tableName,
        Key: keys.outbox(shopId, outboxId),
        // A complaint can follow a delivery; never the other way round.
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#dl) OR #dl.#ds = :delivered)',
        UpdateExpression: 'SET #dl = :d',
        ExpressionAttributeNames: { '#dl': 'delivery', '#ds': 'status' },
        ExpressionAttributeValues: { ':d': delivery, ':delivered': 'delivered' },
      });
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  },

  async confirmSent(shopId, outboxId, messageId, at) {
    try {
      await table.update({
        TableName: tableName,
        Key: keys.outbox(shopId, outboxId),
        ConditionExpression: 'attribute_exists(pk) AND #s <> :sent',
        UpdateExpression: `SET #s = :sent, sentAt = if_not_exists(sentAt, :at), messageId = :mid, ${settledSet} REMOVE ${offQueue}, leaseUntil, claim, doubt`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':at': at,
          ':mid': messageId,
          ...settledValues(shopId, 'sent', at, outboxId),
        },
      });
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  },

  async list(shopId, page) {
    const status = page.status ?? 'pending';
    // Unsent e-mails are on the queue (gsi1, due first), settled ones on their status listing (gsi2, newest first).
    const queued = status === 'pending' || status === 'sending';
    const { items, nextCursor } = await indexedPage(table, tableName, {
      index: queued ? indexes.byTime : indexes.alternate,
      partition: queued ? keys.outboxQueuePartition(shopId) : keys.outboxSettledPartition(shopId, status),
      pkPrefix: keys.outboxPrefix(shopId),
      sk: keys.outbox(shopId, '').sk,
      limit: page.limit,
      newestFirst: !queued,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
    return {
      items: items.map(fromItem).filter((i): i is OutboxItem => !!i && i.status === status),
      ...(nextCursor ? { nextCursor } : {}),
    };
  },

  async listForCustomer(shopId, cid, limit) {
    const { items } = await indexedPage(table, tableName, {
      index: queue,
      partition: keys.customerMailPartition(shopId, cid),
      pkPrefix: keys.outboxPrefix(shopId),
      sk: keys.outbox(shopId, '').sk,
      limit,
      newestFirst: true,
    });
    return items.map(fromItem).filter((i): i is OutboxItem => !!i);
  },

  async requeue(shopId, outboxId, now) {
    try {
      const out = await table.update({
        TableName: tableName,
        Key: keys.outbox(shopId, outboxId),
        ConditionExpression: '#s = :failed',
        UpdateExpression:
          `SET #s = :pending, dueAt = :now, requeuedAt = :now, ${queue.pk} = :qpk, ${queue.sk} = :qsk ` +
          `REMOVE ${settled.pk}, ${settled.sk}, expiresAt, settledAt, reason, doubt`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':pending': 'pending',
          ':now': now,
          ':qpk': keys.outboxQueue(shopId, now, outboxId)[queue.pk],
          ':qsk': keys.outboxQueue(shopId, now, outboxId)[queue.sk],
        },
        ReturnValues: 'ALL_NEW',
      });
      return fromItem(out.Attributes);
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw e;
    }
  },
});

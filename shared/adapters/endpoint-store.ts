import type { Delivery } from '../domain/outgoing/delivery';
import { deliveryRetentionDays } from '../domain/outgoing/delivery';
import type { Endpoint } from '../domain/outgoing/endpoint';
import type { DeliverySettlement, DueRef, EndpointStore, QueuedEvent } from '../app/ports/endpoints';
import type { NewId } from '../app/ports/ids';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure, isTransactionConditionFailure, strip, versionGuard, versionIs, written } from './items';
import { shopItem } from './shop-store';
import { indexes, keys } from './keys';
import type { Table } from './table';

type Item = Record<string, unknown>;

const queue = indexes.byTime;
const offQueue = `${queue.pk}, ${queue.sk}`;
const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const ttlOf = (at: string) => Math.ceil(Date.parse(at) / 1000) + deliveryRetentionDays * 86_400;

const endpointOf = (item: Item | undefined): Endpoint | undefined => {
  const e = strip<Endpoint>(item);
  return e && { ...e, shopId: String(item!.shopId) };
};
const deliveryOf = (item: Item | undefined): Delivery | undefined => {
  const d = strip<Delivery & { expiresAt?: number }>(item);
  if (!d) return undefined;
  const { expiresAt: _t, ...rest } = d;
  return { ...rest, shopId: String(item!.shopId) };
};

/**
 * The outgoing webhooks' items: endpoints (one partition per shop), events waiting to be fanned
 * out, and deliveries (one partition per endpoint, newest last by their ULID ids). Events and
 * unsettled deliveries share the shop's queue on gsi1, by due time. `newClaim` makes claim tokens.
 */
export const dynamoEndpointStore = (table: Table, tableName: string, newClaim: NewId): EndpointStore => ({
  async listEndpoints(shopId) {
    const out = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.endpointPartition(shopId) },
      ConsistentRead: true,
    });
    return (out.Items ?? []).map((i) => endpointOf(i)!);
  },

  async getEndpoint(shopId, endpointId) {
    const out = await table.get({ TableName: tableName, Key: keys.endpoint(shopId, endpointId), ConsistentRead: true });
    return endpointOf(out.Item);
  },

  async commitEndpoint(change, shop) {
    const endpointWrite =
      'put' in change
        ? {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.endpoint(change.put.shopId, change.put.endpointId),
                itemType: 'webhook_endpoint',
                ...change.put,
              },
              ...versionGuard(change.expectedVersion),
            },
          }
        : {
            Delete: {
              TableName: tableName,
              Key: keys.endpoint(change.delete.shopId, change.delete.endpointId),
              ...versionIs(change.delete.version),
            },
          };
    try {
      await table.transactWrite({
        TransactItems: [
          endpointWrite,
          { Put: { TableName: tableName, Item: shopItem(shop.next), ...versionIs(shop.expectedVersion) } },
        ],
      });
      return true;
    } catch (e) {
      if (isTransactionConditionFailure(e, 0) || isTransactionConditionFailure(e, 1)) return false;
      throw e;
    }
  },

  async getEvent(shopId, eventId) {
    const out = await table.get({
      TableName: tableName,
      Key: keys.outgoingEvent(shopId, eventId),
      ConsistentRead: true,
    });
    const e = strip<QueuedEvent>(out.Item);
    return e && { eventId: e.eventId, type: e.type, cid: e.cid, at: e.at, data: e.data };
  },

  async fanOut(event, endpointIds, now) {
    const { shopId, eventId } = event;
    try {
      await table.transactWrite({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: keys.outgoingEvent(shopId, eventId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          ...endpointIds.map((endpointId) => ({
            Put: {
              TableName: tableName,
              Item: {
                ...keys.delivery(shopId, endpointId, eventId),
                ...keys.deliveryQueue(shopId, now, endpointId, eventId),
                itemType: 'webhook_delivery',
                shopId,
                endpointId,
                deliveryId: eventId,
                eventType: event.type,
                eventAt: event.at,
                data: event.data,
                createdAt: now,
                status: 'pending',
                attempts: 0,
                dueAt: now,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        ],
      });
      return true;
    } catch (e) {
      if (isTransactionConditionFailure(e, 0)) return false;
      throw e;
    }
  },

  async due(shopId, now, limit) {
    const out = await table.query({
      TableName: tableName,
      IndexName: queue.name,
      KeyConditionExpression: `${queue.pk} = :p AND ${queue.sk} < :now`,
      ExpressionAttributeValues: { ':p': keys.outgoingQueuePartition(shopId), ':now': now },
      Limit: limit,
    });
    return (out.Items ?? []).map((i): DueRef => {
      const [, kind, a, b] = String(i[queue.sk]).split('#');
      return kind === 'E' ? { kind: 'event', eventId: a! } : { kind: 'delivery', endpointId: a!, deliveryId: b! };
    });
  },

  async getDelivery(shopId, endpointId, deliveryId) {
    const out = await table.get({
      TableName: tableName,
      Key: keys.delivery(shopId, endpointId, deliveryId),
      ConsistentRead: true,
    });
    return deliveryOf(out.Item);
  },

  async claimDelivery(shopId, endpointId, deliveryId, { now, leaseUntil }) {
    try {
      const out = await table.update({
        TableName: tableName,
        Key: keys.delivery(shopId, endpointId, deliveryId),
        // Pending and due, or held by a sender whose claim ran out (at-least-once: it is sent again).
        ConditionExpression: '(#s = :pending AND dueAt <= :now) OR (#s = :sending AND leaseUntil < :now)',
        UpdateExpression: `SET #s = :sending, leaseUntil = :lease, claim = :claim, attempts = attempts + :one, ${queue.sk} = :q`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':sending': 'sending',
          ':now': now,
          ':lease': leaseUntil,
          ':claim': newClaim(),
          ':one': 1,
          // While claimed, the queue entry sorts by when the claim may be taken over.
          ':q': keys.deliveryQueue(shopId, shift(leaseUntil, 1), endpointId, deliveryId)[queue.sk],
        },
        ReturnValues: 'ALL_NEW',
      });
      return deliveryOf(out.Attributes);
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw e;
    }
  },

  async settleDelivery(d, outcome: DeliverySettlement) {
    const values: Record<string, unknown> = { ':claim': d.claim, ':sending': 'sending', ':at': outcome.at };
    const sets = ['lastAttemptAt = :at'];
    const removes = ['leaseUntil', 'claim'];
    if (outcome.responseStatus !== undefined) {
      sets.push('lastResponseStatus = :rs');
      values[':rs'] = outcome.responseStatus;
    } else removes.push('lastResponseStatus');
    if (outcome.status === 'delivered') {
      sets.push('#s = :delivered', 'deliveredAt = :at', 'expiresAt = :ttl');
      removes.push(offQueue, 'dueAt', 'lastError');
      Object.assign(values, { ':delivered': 'delivered', ':ttl': ttlOf(outcome.at) });
    } else if (outcome.status === 'retry') {
      sets.push('#s = :pending', 'dueAt = :due', `${queue.sk} = :q`, 'lastError = :err');
      Object.assign(values, {
        ':pending': 'pending',
        ':due': outcome.dueAt,
        ':q': keys.deliveryQueue(d.shopId, outcome.dueAt, d.endpointId, d.deliveryId)[queue.sk],
        ':err': outcome.error.slice(0, 500),
      });
    } else {
      sets.push('#s = :failed', 'failedAt = :at', 'reason = :reason', 'expiresAt = :ttl');
      removes.push(offQueue, 'dueAt');
      if (outcome.error) {
        sets.push('lastError = :err');
        values[':err'] = outcome.error.slice(0, 500);
      }
      Object.assign(values, {
        ':failed': 'failed',
        ':reason': outcome.reason.slice(0, 500),
        ':ttl': ttlOf(outcome.at),
      });
    }
    return written(
      table.update({
        TableName: tableName,
        Key: keys.delivery(d.shopId, d.endpointId, d.deliveryId),
        ConditionExpression: '#s = :sending AND claim = :claim',
        UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  },

  async listDeliveries(shopId, endpointId, page) {
    const pk = keys.deliveryPartition(shopId, endpointId);
    const start = page.cursor ? decodeCursor(page.cursor, 1, ([sk]) => sk!.length > 0) : undefined;
    const out = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': pk },
      ScanIndexForward: false,
      Limit: page.limit,
      ...(start ? { ExclusiveStartKey: { pk, sk: start[0] } } : {}),
    });
    const last = out.LastEvaluatedKey;
    return {
      items: (out.Items ?? []).map((i) => deliveryOf(i)!),
      nextCursor: encodeCursor(last && [String(last.sk)]),
    };
  },

  async requeueDelivery(shopId, endpointId, deliveryId, now) {
    try {
      const out = await table.update({
        TableName: tableName,
        Key: keys.delivery(shopId, endpointId, deliveryId),
        ConditionExpression: '#s = :failed',
        UpdateExpression:
          `SET #s = :pending, dueAt = :now, requeuedAt = :now, attempts = :zero, ${queue.pk} = :qpk, ${queue.sk} = :qsk ` +
          'REMOVE expiresAt, failedAt, reason',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':pending': 'pending',
          ':now': now,
          ':zero': 0,
          ':qpk': keys.outgoingQueuePartition(shopId),
          ':qsk': keys.deliveryQueue(shopId, now, endpointId, deliveryId)[queue.sk],
        },
        ReturnValues: 'ALL_NEW',
      });
      return deliveryOf(out.Attributes);
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw e;
    }
  },
});

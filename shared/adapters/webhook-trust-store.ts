import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { BodyBindingStore, RedactionStore } from '../app/ports/webhook-trust';
import type { Redaction } from '../domain/privacy/redaction';
import type { BodyBinding } from '../domain/webhooks/body-binding';
import { batchGetAll, isConditionFailure, strip, written } from './items';
import { indexes, keys } from './keys';
import type { Table } from './table';

const bindingOf = (item: Record<string, unknown>): BodyBinding => {
  const { pk: _pk, sk: _sk, itemType: _t, expiresAt: _e, ...rest } = item;
  return rest as unknown as BodyBinding;
};

export const dynamoBodyBindingStore = (table: Table, tableName: string): BodyBindingStore => ({
  async bind(binding, expiresAt) {
    const key = keys.webhookBody(binding.bodySha256);
    try {
      await table.put({
        TableName: tableName,
        Item: { ...key, itemType: 'webhookBody', ...binding, expiresAt: Math.floor(expiresAt.getTime() / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
        // A refused write hands back the first binding, so a duplicate costs no extra read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { bound: true };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const old = (e as { Item?: Record<string, AttributeValue> }).Item;
      if (old && typeof old === 'object' && old.pk) return { bound: false, first: bindingOf(unmarshall(old)) };
    }
    const out = await table.get({ TableName: tableName, Key: key, ConsistentRead: true });
    // Gone between the two calls (TTL): nothing to disagree with.
    return out.Item ? { bound: false, first: bindingOf(out.Item) } : { bound: true };
  },
});

const redactionItem = (r: Redaction) => ({
  ...keys.redaction(r.shopId, r.id),
  ...(r.status === 'scheduled' && r.dueAt ? keys.redactionDue(r.dueAt, r.shopId, r.id) : {}),
  itemType: 'redaction',
  ...r,
});

/** `strip` drops `shopId` with the other bookkeeping attributes; the partition key names it. */
const fromRedactionItem = (item: Record<string, unknown>): Redaction => ({
  ...strip<Redaction>(item)!,
  shopId: String(item.pk).slice(keys.redactionPartition('').length),
});

export const dynamoRedactionStore = (table: Table, tableName: string): RedactionStore => ({
  async create(r) {
    return written(
      table.put({ TableName: tableName, Item: redactionItem(r), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  },
  async get(shopId, id) {
    const out = await table.get({ TableName: tableName, Key: keys.redaction(shopId, id), ConsistentRead: true });
    return out.Item ? fromRedactionItem(out.Item) : undefined;
  },
  async list(shopId) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.redactionPartition(shopId) },
        ExclusiveStartKey: start,
      });
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.map(fromRedactionItem).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  },
  async due(asOf) {
    const refs: { pk: unknown; sk: unknown }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await table.query({
        TableName: tableName,
        IndexName: indexes.byTime.name,
        KeyConditionExpression: `${indexes.byTime.pk} = :p AND ${indexes.byTime.sk} <= :asOf`,
        // The sort key is `<dueAt>#…`: anything due at or before asOf sorts below `<asOf>#~`.
        ExpressionAttributeValues: { ':p': keys.redactionsDuePartition, ':asOf': `${asOf.toISOString()}#~` },
        ExclusiveStartKey: start,
      });
      refs.push(...(out.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk })));
      start = out.LastEvaluatedKey;
    } while (start);
    const items = await batchGetAll(table, tableName, refs, { consistent: true });
    return items.map(fromRedactionItem).filter((r) => r.status === 'scheduled');
  },
  async settle(next) {
    return written(
      table.put({
        TableName: tableName,
        Item: redactionItem(next),
        ConditionExpression: '#s = :scheduled',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':scheduled': 'scheduled' },
      }),
    );
  },
});

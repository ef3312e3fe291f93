import type { AuditEntry, AuditStore } from '../app/ports/audit';
import { decodeCursor, encodeCursor } from './cursor';
import { batchGetAll, strip } from './items';
import { indexes, keys } from './keys';
import type { Table } from './table';

type Item = Record<string, unknown>;

/** Entries are kept about 13 months (DynamoDB's TTL on `expiresAt`), so a year can be looked back on. */
export const auditRetentionDays = 400;

const entryOf = (item: Item): AuditEntry => {
  const { expiresAt: _t, ...e } = strip<AuditEntry & { expiresAt?: number }>(item)!;
  return { ...e, shopId: String(item.shopId) };
};

const idPattern = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * The shop's audit log (keys.ts: one partition per shop, sorted by ULID, so newest first is a
 * backward Query). `action` filters through gsi1 (one partition per shop and action), so a
 * filtered page is as full as an unfiltered one. The cursor is the last entry's id in both cases.
 */
export const dynamoAuditStore = (table: Table, tableName: string): AuditStore => ({
  async append(entry) {
    await table.put({
      TableName: tableName,
      Item: {
        ...keys.auditEntry(entry.shopId, entry.id),
        ...keys.auditByAction(entry.shopId, entry.action, entry.id),
        itemType: 'audit_entry',
        ...entry,
        expiresAt: Math.ceil(Date.parse(entry.at) / 1000) + auditRetentionDays * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  },

  async list(shopId, page) {
    const after = page.cursor ? decodeCursor(page.cursor, 1, ([id]) => idPattern.test(id!))[0] : undefined;
    const pk = keys.auditPartition(shopId);
    if (page.action === undefined) {
      const out = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': pk },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(after ? { ExclusiveStartKey: keys.auditEntry(shopId, after) } : {}),
      });
      const last = out.LastEvaluatedKey;
      return { items: (out.Items ?? []).map(entryOf), nextCursor: encodeCursor(last && [String(last.sk)]) };
    }
    const index = indexes.byTime;
    const partition = keys.auditActionPartition(shopId, page.action);
    const out = await table.query({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :p`,
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: page.limit,
      ...(after
        ? {
            ExclusiveStartKey: {
              ...keys.auditEntry(shopId, after),
              ...keys.auditByAction(shopId, page.action, after),
            },
          }
        : {}),
    });
    const items = await batchGetAll(table, tableName, (out.Items ?? []) as { pk: string; sk: string }[]);
    const last = out.LastEvaluatedKey;
    return { items: items.map(entryOf), nextCursor: encodeCursor(last && [String(last.sk)]) };
  },
});

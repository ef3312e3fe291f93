import { listingCursor, listingStartKey } from './cursor';
import { batchGetAll } from './items';
import type { indexes } from './keys';
import type { Table } from './table';

type Index = (typeof indexes)[keyof typeof indexes];

/**
 * One page of the items an index partition lists (the indexes are KEYS_ONLY): a Query for the
 * keys, a BatchGet for the items (in the index's order; an item deleted meanwhile is left out).
 * `pkPrefix` and `sk` are what a cursor's item must have, so a cursor from another partition or
 * shop is refused (InvalidCursorError).
 */
export const indexedPage = async (
  table: Table,
  tableName: string,
  o: {
    index: Index;
    partition: string;
    pkPrefix: string;
    sk: string;
    limit: number;
    cursor?: string;
    newestFirst: boolean;
  },
): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> => {
  const out = await table.query({
    TableName: tableName,
    IndexName: o.index.name,
    KeyConditionExpression: `${o.index.pk} = :p`,
    ExpressionAttributeValues: { ':p': o.partition },
    ScanIndexForward: !o.newestFirst,
    Limit: o.limit,
    ExclusiveStartKey: listingStartKey(o.cursor, o.index, o.partition, o.pkPrefix, o.sk),
  });
  const items = await batchGetAll(table, tableName, (out.Items ?? []) as { pk: string; sk: string }[]);
  const nextCursor = listingCursor(out.LastEvaluatedKey, o.index);
  return { items, ...(nextCursor ? { nextCursor } : {}) };
};

import type { Suppression } from '../domain/emails/outbox';
import type { OutboxStore } from '../app/ports/outbox';
import { listingCursor, listingStartKey } from './cursor';
import { batchGetAll, isConditionFailure, strip } from './items';
import { indexes, keys } from './keys';
import type { Table } from './table';

type Item = Record<string, unknown>;

/** The suppression list every send honours: the outbox port's suppression methods. */
export const dynamoSuppressions = (
  table: Table,
  tableName: string,
): Pick<OutboxStore, 'getSuppression' | 'suppress' | 'unsuppress' | 'listSuppressions'> => ({
  async getSuppression(shopId, emailHash) {
    const out = await table.get({
      TableName: tableName,
      Key: keys.suppression(shopId, emailHash),
      ConsistentRead: true,
    });
    const s = strip<Suppression>(out.Item);
    return s && { scope: s.scope, reason: s.reason, at: s.at };
  },

  async suppress(shopId, emailHash, s) {
    try {
      await table.put({
        TableName: tableName,
        Item: {
          ...keys.suppression(shopId, emailHash),
          ...keys.suppressionListing(shopId, s.at, emailHash),
          itemType: 'suppression',
          shopId,
          emailHash,
          ...s,
        },
        // Never narrow: an existing `all` stays `all` whatever arrives later.
        ...(s.scope === 'marketing'
          ? {
              ConditionExpression: 'attribute_not_exists(pk) OR #scope = :marketing',
              ExpressionAttributeNames: { '#scope': 'scope' },
              ExpressionAttributeValues: { ':marketing': 'marketing' },
            }
          : {}),
      });
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  },

  async unsuppress(shopId, emailHash) {
    const out = await table.delete({
      TableName: tableName,
      Key: keys.suppression(shopId, emailHash),
      ReturnValues: 'ALL_OLD',
    });
    return !!out.Attributes;
  },

  async listSuppressions(shopId, page) {
    const out = await table.query({
      TableName: tableName,
      IndexName: indexes.byTime.name,
      KeyConditionExpression: `${indexes.byTime.pk} = :p`,
      ExpressionAttributeValues: { ':p': keys.suppressionListPartition(shopId) },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: listingStartKey(
        page.cursor,
        indexes.byTime,
        keys.suppressionListPartition(shopId),
        keys.suppressionPrefix(shopId),
        keys.suppression(shopId, '').sk,
      ),
    });
    const items = await batchGetAll(table, tableName, (out.Items ?? []) as { pk: string; sk: string }[]);
    return {
      items: items
        .filter((i): i is Item => !!i)
        .map((i) => ({
          emailHash: String(i.emailHash),
          hint: String(i.hint),
          scope: i.scope as Suppression['scope'],
          reason: i.reason as Suppression['reason'],
          at: String(i.at),
        })),
      nextCursor: listingCursor(out.LastEvaluatedKey, indexes.byTime),
    };
  },
});

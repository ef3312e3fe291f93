import type { ShopStore } from '../app/ports/shops';
import type { Shop } from '../domain/shop';
import { listingCursor, listingStartKey } from './cursor';
import {
  batchGetAll,
  isConditionFailure,
  isTransactionConditionFailure,
  strip,
  versionBump,
  versionIs,
  written,
} from './items';
import { customerSummaryMarkerItem } from './customer-summary-store';
import { indexes, keys } from './keys';
import { queryPages, scanPages, type Table } from './table';

/** A shop's item as stored (also written by the endpoint store's transactions). */
export const shopItem = (shop: Shop) => ({
  ...keys.shop(shop.id),
  ...keys.shopListing(shop.id),
  itemType: 'shop',
  ...shop,
});

const fromItem = (item: Record<string, unknown>): Shop => strip<Shop>(item)!;

export const dynamoShopStore = (table: Table, tableName: string): ShopStore => ({
  async get(shopId) {
    const out = await table.get({ TableName: tableName, Key: keys.shop(shopId), ConsistentRead: true });
    return out.Item ? fromItem(out.Item) : undefined;
  },
  async create(shop) {
    try {
      await table.transactWrite({
        TransactItems: [
          { Put: { TableName: tableName, Item: shopItem(shop), ConditionExpression: 'attribute_not_exists(pk)' } },
          // A new shop has no customers yet, so its customer summaries are complete from the
          // start: the nightly reads them and never needs the backfill scan (docs/nightly.md).
          { Put: { TableName: tableName, Item: customerSummaryMarkerItem(shop.id, shop.createdAt) } },
        ],
      });
      return true;
    } catch (e) {
      if (isTransactionConditionFailure(e, 0)) return false;
      throw e;
    }
  },
  async delete(shopId) {
    await table.delete({ TableName: tableName, Key: keys.shop(shopId) });
  },
  async learnShopifyIdentity(shopId, identity) {
    const fields = Object.entries({ shopifyShopId: identity.shopId, shopifyDomain: identity.domain }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    );
    if (!fields.length) return;
    try {
      await table.update({
        TableName: tableName,
        Key: keys.shop(shopId),
        // Only what is still unknown, and only on a shop that exists; the version moves so that
        // a PATCH working from an older read cannot drop what was learned.
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}, ${versionBump.set}`,
        ConditionExpression: `attribute_exists(pk) AND ${fields.map((_, i) => `attribute_not_exists(#f${i})`).join(' AND ')}`,
        ExpressionAttributeNames: {
          ...versionBump.names,
          ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
        },
        ExpressionAttributeValues: {
          ...versionBump.values,
          ...Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v])),
        },
      });
    } catch (e) {
      // Someone learned or set it first: theirs stands.
      if (!isConditionFailure(e)) throw e;
    }
  },
  async replace(shop, expectedVersion) {
    return written(table.put({ TableName: tableName, Item: shopItem(shop), ...versionIs(expectedVersion) }));
  },
  async *listShopIds() {
    const pages = queryPages(table, {
      TableName: tableName,
      IndexName: indexes.byTime.name,
      KeyConditionExpression: `${indexes.byTime.pk} = :p`,
      ExpressionAttributeValues: { ':p': keys.shopListPartition },
    });
    for await (const page of pages) for (const item of page.Items ?? []) yield String(item[indexes.byTime.sk]);
  },
  async listShops(page) {
    const out = await table.query({
      TableName: tableName,
      IndexName: indexes.byTime.name,
      KeyConditionExpression: `${indexes.byTime.pk} = :p`,
      ExpressionAttributeValues: { ':p': keys.shopListPartition },
      Limit: page.limit,
      ExclusiveStartKey: listingStartKey(
        page.cursor,
        indexes.byTime,
        keys.shopListPartition,
        'SHOP#',
        keys.shop('').sk,
      ),
    });
    const ids = (out.Items ?? []).map((i) => String(i[indexes.byTime.sk]));
    const items = await batchGetAll(
      table,
      tableName,
      ids.map((id) => keys.shop(id)),
      { consistent: true },
    );
    return { items: items.map(fromItem), nextCursor: listingCursor(out.LastEvaluatedKey, indexes.byTime) };
  },
  async deleteShopData(shopId) {
    const prefix = keys.shopPartitionPrefix(shopId);
    let deleted = 0;
    // A shop's data spans many partitions; shop/redact is rare, so a filtered scan is the
    // honest cost rather than an index every write would pay for.
    const pages = scanPages(table, {
      TableName: tableName,
      // Global code items (`CODE#…`) carry the shop id instead of a shop-prefixed key.
      FilterExpression: 'begins_with(pk, :p) OR (begins_with(pk, :code) AND shopId = :s)',
      ExpressionAttributeValues: { ':p': prefix, ':code': keys.globalReferralCodePrefix, ':s': shopId },
      ProjectionExpression: 'pk, sk',
    });
    for await (const page of pages) {
      const batch = page.Items ?? [];
      for (let i = 0; i < batch.length; i += 25) {
        let requests = batch.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { pk: k.pk, sk: k.sk } } }));
        while (requests.length) {
          const out = await table.batchWrite({ RequestItems: { [tableName]: requests } });
          const left = out.UnprocessedItems?.[tableName] ?? [];
          deleted += requests.length - left.length;
          requests = left as typeof requests;
        }
      }
    }
    return deleted;
  },
});

import type { ShopRepository } from '../app/ports/shops';
import type { Shop } from '../domain/shop';
import { isConditionFailure, strip, versionBump, versionIs } from './items';
import { keys } from './keys';
import type { Table } from './table';

const toItem = (shop: Shop) => ({ ...keys.shop(shop.id), ...keys.shopListing(shop.id), itemType: 'shop', ...shop });

const fromItem = (item: Record<string, unknown>): Shop => strip<Shop>(item)!;

export const dynamoShopRepository = (table: Table, tableName: string): ShopRepository => ({
  async get(shopId) {
    const out = await table.get({ TableName: tableName, Key: keys.shop(shopId), ConsistentRead: true });
    return out.Item ? fromItem(out.Item) : undefined;
  },
  async create(shop) {
    try {
      await table.put({
        TableName: tableName,
        Item: toItem(shop),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  },
  async delete(shopId) {
    await table.delete({ TableName: tableName, Key: keys.shop(shopId) });
  },
  async learnShopifyIdentity(shopId, identity) {
    const fields = Object.entries({ shopifyShopId: identity.shopId, shopifyDomain: identity.domain })
      .filter((e): e is [string, string] => e[1] !== undefined);
    if (!fields.length) return;
    try {
      await table.update({
        TableName: tableName,
        Key: keys.shop(shopId),
        // Only what is still unknown, and only on a shop that exists; the version moves so that
        // a PATCH working from an older read cannot drop what was learned.
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}, ${versionBump.set}`,
        ConditionExpression: `attribute_exists(pk) AND ${fields.map((_, i) => `attribute_not_exists(#f${i})`).join(' AND ')}`,
        ExpressionAttributeNames: { ...versionBump.names, ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])) },
        ExpressionAttributeValues: { ...versionBump.values, ...Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v])) },
      });
    } catch (e) {
      // Someone learned or set it first: theirs stands.
      if (!isConditionFailure(e)) throw e;
    }
  },
  async replace(shop, expectedVersion) {
    try {
      await table.put({
        TableName: tableName,
        Item: toItem(shop),
        ...versionIs(expectedVersion),
      });
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  },
});

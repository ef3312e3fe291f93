import type { Shop } from '../domain/shop';
import { strip } from './items';
import { keys } from './keys';
import type { ShopStore } from '../app/ports/shops';
import type { Table } from './table';

/** Reading a shop through the Table port: the same read as shop-store.ts `get`, for lean functions. */
export const tableShopReader = (table: Table, tableName: string): Pick<ShopStore, 'get'> => ({
  async get(shopId) {
    const out = await table.get({ TableName: tableName, Key: keys.shop(shopId), ConsistentRead: true });
    return out.Item ? strip<Shop>(out.Item) : undefined;
  },
});

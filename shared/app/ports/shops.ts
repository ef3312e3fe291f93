import type { Shop } from '../../domain/shop';
import type { ShopIdentityStore } from './webhook-trust';

/** Shops (DynamoDB: shared/adapters/shop-store.ts; the lean read: shop-reader.ts). */
export interface ShopStore extends ShopIdentityStore {
  get(shopId: string): Promise<Shop | undefined>;
  /** Returns false when a shop with that id already exists. */
  create(shop: Shop): Promise<boolean>;
  /** Optimistic: returns false when someone else changed the shop since `expectedVersion`. */
  replace(shop: Shop, expectedVersion: number): Promise<boolean>;
  delete(shopId: string): Promise<void>;
  /** Every shop's id (the shop listing index). */
  listShopIds(): AsyncIterable<string>;
  /** One page of shops in id order (the shop listing index); `nextCursor` while more follow. */
  listShops(page: { limit: number; cursor?: string }): Promise<{ items: Shop[]; nextCursor?: string }>;
  /** Everything under the shop's partitions (not the shop item). Returns items deleted. */
  deleteShopData(shopId: string): Promise<number>;
}

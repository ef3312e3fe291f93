import type { Shop } from '../domain/shop';
import { TtlCache } from './ttl-cache';

/** Reads shops for a use case that runs on every request, where most reads can be reused. */
export interface ShopLoader {
  /** The shop, possibly as read a few seconds ago; `fresh` reads it now (and keeps that copy). */
  get(shopId: string, fresh?: boolean): Promise<Shop | undefined>;
  /** Drops the kept copy, after a change made here, so the next read is fresh. */
  forget(shopId: string): void;
}

/**
 * One container's shop cache: each shop is reused for `ttlMs` of `nowMs` (its absence for
 * `missTtlMs`, by default as long), the cache's own time, not the business clock that tests
 * move about; at most `max` shops are kept. Every request passes its own `load`, the runtime's store.
 */
export const shopCache = (options: { ttlMs: number; missTtlMs?: number; max: number; nowMs: () => number }) => {
  const cache = new TtlCache<Shop | undefined>(options.max);
  const ttl = (shop: Shop | undefined) => (shop ? options.ttlMs : (options.missTtlMs ?? options.ttlMs));
  return {
    loader: (load: (shopId: string) => Promise<Shop | undefined>): ShopLoader => ({
      get(shopId, fresh = false) {
        if (fresh) cache.forget(shopId);
        return cache.load(shopId, options.nowMs(), ttl, () => load(shopId));
      },
      forget: (shopId) => cache.forget(shopId),
    }),
  };
};

import { subscribedTypes } from '../domain/outgoing/events';
import type { Shop } from '../domain/shop';
import { bumped } from '../domain/versioned';
import type { EndpointStore } from './ports/endpoints';
import type { ShopStore } from './ports/shops';
import { conflict, retryOnConflict, type RetryDeps } from './retry';

export interface SubscriptionDeps extends RetryDeps {
  store: Pick<EndpointStore, 'listEndpoints'>;
  shops: Pick<ShopStore, 'get' | 'replace'>;
}

/**
 * Writes the event types the shop's enabled endpoints listen to onto the shop record (where
 * plans read them), recomputed from all the endpoints after every change, so it converges
 * whatever order changes land in. Hot paths see it when their shop cache next reads the shop.
 */
export const syncSubscriptions = (deps: SubscriptionDeps, shopId: string): Promise<string[] | undefined> =>
  retryOnConflict(deps, async () => {
    const [shop, endpoints] = await Promise.all([deps.shops.get(shopId), deps.store.listEndpoints(shopId)]);
    if (!shop) return undefined;
    const types = subscribedTypes(endpoints);
    const before = shop.outgoingEvents ?? [];
    if (before.length === types.length && before.every((t, i) => t === types[i])) return types;
    const { outgoingEvents: _o, ...rest } = shop;
    const write = bumped<Shop>(rest, types.length ? { outgoingEvents: types } : {});
    return (await deps.shops.replace(write.next, write.expectedVersion)) ? types : conflict;
  });

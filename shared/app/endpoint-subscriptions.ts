import type { Endpoint } from '../domain/outgoing/endpoint';
import { subscribedTypes } from '../domain/outgoing/events';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { bumped } from '../domain/versioned';
import type { EndpointChange, EndpointStore } from './ports/endpoints';
import type { ShopStore } from './ports/shops';
import { conflict, retryOnConflict, type RetryDeps } from './retry';

export interface SubscriptionDeps extends RetryDeps {
  store: Pick<EndpointStore, 'listEndpoints' | 'commitEndpoint'>;
  shops: Pick<ShopStore, 'get'>;
}

const afterChange = (endpoints: readonly Endpoint[], change: EndpointChange): Endpoint[] => {
  const id = 'put' in change ? change.put.endpointId : change.delete.endpointId;
  const others = endpoints.filter((e) => e.endpointId !== id);
  return 'put' in change ? [...others, change.put] : others;
};

/**
 * Makes one endpoint change (`decide`, given the shop's endpoints as read) and writes the event
 * types the shop's enabled endpoints then listen to onto the shop record (where plans read them),
 * in one transaction: a crash cannot leave an endpoint whose events are never queued. The shop
 * is rewritten (version bumped) on every change even when its types stay the same, so two
 * changes racing conflict on the shop's version and the loser recomputes from the winner's
 * endpoints — a change that merely checked the version could commit types computed from an
 * endpoint the other change just replaced.
 */
export const commitEndpointChange = <E>(
  deps: SubscriptionDeps,
  shopId: string,
  decide: (endpoints: Endpoint[]) => DomainResult<EndpointChange, E>,
): Promise<DomainResult<EndpointChange, E | { kind: 'not_found' }>> =>
  retryOnConflict(deps, async () => {
    const [shop, endpoints] = await Promise.all([deps.shops.get(shopId), deps.store.listEndpoints(shopId)]);
    if (!shop) return err({ kind: 'not_found' as const });
    const decided = decide(endpoints);
    if (!decided.ok) return decided;
    const types = subscribedTypes(afterChange(endpoints, decided.value));
    const { outgoingEvents: _o, ...rest } = shop;
    const write = bumped<Shop>(rest, types.length ? { outgoingEvents: types } : {});
    return (await deps.store.commitEndpoint(decided.value, write)) ? ok(decided.value) : conflict;
  });

import type { Delivery } from '../domain/outgoing/delivery';
import {
  maxEndpointsPerShop,
  newEndpoint,
  patchedEndpoint,
  publicEndpoint,
  rotatedEndpoint,
  type Endpoint,
} from '../domain/outgoing/endpoint';
import { checkTargetUrl, type TargetError, type TargetPolicy } from '../domain/outgoing/ssrf';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { bumped } from '../domain/versioned';
import type { CreateEndpointInput, PatchEndpointInput } from '../schemas/endpoints';
import { commitEndpointChange, type SubscriptionDeps } from './endpoint-subscriptions';
import type { NewId } from './ports/ids';
import type { EndpointStore } from './ports/endpoints';

/**
 * A shop's outgoing webhook endpoints (`/admin/shops/{shopId}/endpoints…`): registration with its
 * SSRF check, changes, secret rotation, the delivery log and its retry. Every change rewrites the
 * shop's subscribed event types in the same transaction (endpoint-subscriptions.ts).
 */
export interface EndpointAdminDeps extends Omit<SubscriptionDeps, 'store'> {
  store: EndpointStore;
  newId: NewId;
  /** A new `whsec_…` secret (domain/outgoing/signature.ts endpointSecret over random bytes). */
  newSecret: () => string;
  policy: TargetPolicy;
  /** How long a rotated secret keeps signing beside the new one. */
  secretGraceMs: number;
}

export type EndpointError =
  | { kind: 'not_found' }
  | { kind: 'too_many_endpoints'; max: number }
  | ({ kind: 'url_not_allowed' } & { reason: TargetError['kind']; message: string });

const urlAllowed = (deps: EndpointAdminDeps, url: string): DomainResult<string, EndpointError> => {
  const checked = checkTargetUrl(url, deps.policy);
  return checked.ok
    ? ok(url)
    : err({ kind: 'url_not_allowed', reason: checked.error.kind, message: checked.error.message });
};

export type PublicEndpoint = ReturnType<typeof publicEndpoint>;

/** Registers an endpoint; its secret is returned here and never again. */
export const createEndpoint = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  input: CreateEndpointInput,
): Promise<DomainResult<{ endpoint: PublicEndpoint; secret: string }, EndpointError>> => {
  const allowed = urlAllowed(deps, input.url);
  if (!allowed.ok) return allowed;
  // The id and the secret are made once, outside the retries: a retry after a lost race on the
  // shop's version writes the same endpoint, never a second one.
  const endpoint = newEndpoint(shop.id, `ep_${deps.newId()}`, input, deps.newSecret(), deps.clock.now().toISOString());
  const r = await commitEndpointChange(deps, shop.id, (existing) =>
    existing.length >= maxEndpointsPerShop
      ? err({ kind: 'too_many_endpoints' as const, max: maxEndpointsPerShop })
      : ok({ put: endpoint, expectedVersion: 0 }),
  );
  return r.ok ? ok({ endpoint: publicEndpoint(endpoint), secret: endpoint.secret }) : r;
};

export const listEndpoints = async (deps: Pick<EndpointAdminDeps, 'store'>, shop: Shop) => ({
  items: (await deps.store.listEndpoints(shop.id)).map(publicEndpoint),
});

export const getEndpoint = async (
  deps: Pick<EndpointAdminDeps, 'store'>,
  shop: Shop,
  endpointId: string,
): Promise<DomainResult<PublicEndpoint, EndpointError>> => {
  const e = await deps.store.getEndpoint(shop.id, endpointId);
  return e ? ok(publicEndpoint(e)) : err({ kind: 'not_found' });
};

/** Changes an endpoint under its version, with the shop's subscribed types, re-reading on a lost race. */
const changeEndpoint = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  endpointId: string,
  change: (e: Endpoint) => Endpoint,
): Promise<DomainResult<Endpoint, EndpointError>> => {
  const r = await commitEndpointChange(deps, shop.id, (endpoints) => {
    const e = endpoints.find((x) => x.endpointId === endpointId);
    if (!e) return err({ kind: 'not_found' as const });
    const write = bumped(change(e));
    return ok({ put: write.next, expectedVersion: write.expectedVersion });
  });
  return r.ok && 'put' in r.value ? ok(r.value.put) : r.ok ? err({ kind: 'not_found' }) : r;
};

export const patchEndpoint = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  endpointId: string,
  patch: PatchEndpointInput,
): Promise<DomainResult<PublicEndpoint, EndpointError>> => {
  if (patch.url !== undefined) {
    const allowed = urlAllowed(deps, patch.url);
    if (!allowed.ok) return allowed;
  }
  const now = deps.clock.now().toISOString();
  const r = await changeEndpoint(deps, shop, endpointId, (e) => patchedEndpoint(e, patch, now));
  return r.ok ? ok(publicEndpoint(r.value)) : r;
};

/** A new secret, shown once; the old one keeps signing (a second signature) for the grace period. */
export const rotateEndpointSecret = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  endpointId: string,
): Promise<DomainResult<{ endpoint: PublicEndpoint; secret: string }, EndpointError>> => {
  const secret = deps.newSecret();
  const r = await changeEndpoint(deps, shop, endpointId, (e) =>
    rotatedEndpoint(e, secret, deps.clock.now(), deps.secretGraceMs),
  );
  return r.ok ? ok({ endpoint: publicEndpoint(r.value), secret }) : r;
};

/** Deletes an endpoint; its pending deliveries fail (`endpoint_deleted`) when next tried, and its log expires. */
export const deleteEndpoint = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  endpointId: string,
): Promise<DomainResult<true, EndpointError>> => {
  const r = await commitEndpointChange(deps, shop.id, (endpoints) => {
    const e = endpoints.find((x) => x.endpointId === endpointId);
    return e ? ok({ delete: e }) : err({ kind: 'not_found' as const });
  });
  return r.ok ? ok(true) : r;
};

/** A delivery as the API shows it: without the sender's claim, the payload under `event`. */
export const shownDelivery = (d: Delivery) => ({
  id: d.deliveryId,
  endpointId: d.endpointId,
  event: { type: d.eventType, timestamp: d.eventAt, data: d.data },
  status: d.status,
  attempts: d.attempts,
  createdAt: d.createdAt,
  nextAttemptAt: d.status === 'pending' ? (d.dueAt ?? null) : null,
  lastAttemptAt: d.lastAttemptAt ?? null,
  lastResponseStatus: d.lastResponseStatus ?? null,
  lastError: d.lastError ?? null,
  ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
  ...(d.failedAt ? { failedAt: d.failedAt, reason: d.reason } : {}),
  ...(d.requeuedAt ? { requeuedAt: d.requeuedAt } : {}),
});

/** One page of an endpoint's delivery log, newest first. */
export const listDeliveries = async (
  deps: Pick<EndpointAdminDeps, 'store'>,
  shop: Shop,
  endpointId: string,
  page: { limit: number; cursor?: string },
): Promise<DomainResult<{ items: ReturnType<typeof shownDelivery>[]; nextCursor: string | null }, EndpointError>> => {
  if (!(await deps.store.getEndpoint(shop.id, endpointId))) return err({ kind: 'not_found' });
  const found = await deps.store.listDeliveries(shop.id, endpointId, page);
  return ok({ items: found.items.map(shownDelivery), nextCursor: found.nextCursor ?? null });
};

export type RetryDeliveryError = EndpointError | { kind: 'delivery_not_found' } | { kind: 'not_failed' };

/** A failed delivery is tried again now, with a fresh retry schedule. */
export const retryDelivery = async (
  deps: Pick<EndpointAdminDeps, 'store' | 'clock'>,
  shop: Shop,
  endpointId: string,
  deliveryId: string,
): Promise<DomainResult<ReturnType<typeof shownDelivery>, RetryDeliveryError>> => {
  if (!(await deps.store.getEndpoint(shop.id, endpointId))) return err({ kind: 'not_found' });
  const d = await deps.store.requeueDelivery(shop.id, endpointId, deliveryId, deps.clock.now().toISOString());
  if (d) return ok(shownDelivery(d));
  return err(
    (await deps.store.getDelivery(shop.id, endpointId, deliveryId))
      ? { kind: 'not_failed' as const }
      : { kind: 'delivery_not_found' as const },
  );
};

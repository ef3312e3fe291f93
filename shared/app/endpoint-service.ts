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
import { syncSubscriptions, type SubscriptionDeps } from './endpoint-subscriptions';
import type { NewId } from './ports/ids';
import type { EndpointStore } from './ports/endpoints';
import { conflict, retryOnConflict } from './retry';

/**
 * A shop's outgoing webhook endpoints (`/admin/shops/{shopId}/endpoints…`): registration with its
 * SSRF check, changes, secret rotation, the delivery log and its retry. Every change rewrites the
 * shop's subscribed event types (endpoint-subscriptions.ts).
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

const sync = (deps: EndpointAdminDeps, shopId: string) => syncSubscriptions(deps, shopId);

export type PublicEndpoint = ReturnType<typeof publicEndpoint>;

/** Registers an endpoint; its secret is returned here and never again. */
export const createEndpoint = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  input: CreateEndpointInput,
): Promise<DomainResult<{ endpoint: PublicEndpoint; secret: string }, EndpointError>> => {
  const allowed = urlAllowed(deps, input.url);
  if (!allowed.ok) return allowed;
  const existing = await deps.store.listEndpoints(shop.id);
  if (existing.length >= maxEndpointsPerShop) return err({ kind: 'too_many_endpoints', max: maxEndpointsPerShop });
  const endpoint = newEndpoint(shop.id, `ep_${deps.newId()}`, input, deps.newSecret(), deps.clock.now().toISOString());
  await deps.store.putEndpoint(endpoint, 0);
  await sync(deps, shop.id);
  return ok({ endpoint: publicEndpoint(endpoint), secret: endpoint.secret });
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

/** Reads, changes and writes an endpoint under its version, re-reading on a lost race. */
const changeEndpoint = async (
  deps: EndpointAdminDeps,
  shop: Shop,
  endpointId: string,
  change: (e: Endpoint) => Endpoint,
): Promise<DomainResult<Endpoint, EndpointError>> => {
  const result = await retryOnConflict(deps, async () => {
    const e = await deps.store.getEndpoint(shop.id, endpointId);
    if (!e) return err({ kind: 'not_found' as const });
    const write = bumped(change(e));
    return (await deps.store.putEndpoint(write.next, write.expectedVersion)) ? ok(write.next) : conflict;
  });
  if (result.ok) await sync(deps, shop.id);
  return result;
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
  if (!(await deps.store.deleteEndpoint(shop.id, endpointId))) return err({ kind: 'not_found' });
  await sync(deps, shop.id);
  return ok(true);
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

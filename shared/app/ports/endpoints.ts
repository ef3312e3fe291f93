import type { Delivery } from '../../domain/outgoing/delivery';
import type { Endpoint } from '../../domain/outgoing/endpoint';
import type { OutgoingEvent } from '../../domain/outgoing/event';
import type { Shop } from '../../domain/shop';
import type { GuardedWrite } from '../../domain/versioned';

/** An event waiting to be fanned out to the shop's endpoints. */
export interface QueuedEvent extends OutgoingEvent {
  eventId: string;
}

/**
 * One endpoint write: a create (`expectedVersion` 0) or replacement, or a delete guarded by the
 * version it was read at.
 */
export type EndpointChange = { put: Endpoint; expectedVersion: number } | { delete: Endpoint };

/** What the sweep finds due on a shop's outgoing queue. */
export type DueRef = { kind: 'event'; eventId: string } | { kind: 'delivery'; endpointId: string; deliveryId: string };

export type DeliverySettlement =
  | { status: 'delivered'; at: string; responseStatus: number }
  | { status: 'retry'; at: string; dueAt: string; responseStatus?: number; error: string }
  | { status: 'failed'; at: string; reason: string; responseStatus?: number; error?: string };

/** Outgoing webhook endpoints, events and deliveries (DynamoDB: shared/adapters/endpoint-store.ts). */
export interface EndpointStore {
  listEndpoints(shopId: string): Promise<Endpoint[]>;
  getEndpoint(shopId: string, endpointId: string): Promise<Endpoint | undefined>;
  /**
   * Writes an endpoint change and the shop record (its subscribed event types) in one transaction,
   * each guarded by its version; false, writing nothing, if either changed meanwhile.
   */
  commitEndpoint(change: EndpointChange, shop: GuardedWrite<Shop>): Promise<boolean>;

  getEvent(shopId: string, eventId: string): Promise<QueuedEvent | undefined>;
  /**
   * Turns an event into one pending delivery per endpoint, due now, and deletes the event, in one
   * transaction; false when the event was already fanned out (by the stream or the sweep).
   */
  fanOut(event: QueuedEvent & { shopId: string }, endpointIds: readonly string[], now: string): Promise<boolean>;
  /** Due work on a shop's queue, oldest first. */
  due(shopId: string, now: string, limit: number): Promise<DueRef[]>;

  getDelivery(shopId: string, endpointId: string, deliveryId: string): Promise<Delivery | undefined>;
  /** Takes a due delivery for one attempt (one sender at a time, until `leaseUntil`). */
  claimDelivery(
    shopId: string,
    endpointId: string,
    deliveryId: string,
    input: { now: string; leaseUntil: string },
  ): Promise<Delivery | undefined>;
  /** Settles a claimed delivery; false if the claim was lost. */
  settleDelivery(claimed: Delivery, outcome: DeliverySettlement): Promise<boolean>;
  /** An endpoint's deliveries, newest first. */
  listDeliveries(
    shopId: string,
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: Delivery[]; nextCursor?: string }>;
  /** A failed delivery pending again, due now, with its retry schedule started afresh. */
  requeueDelivery(shopId: string, endpointId: string, deliveryId: string, now: string): Promise<Delivery | undefined>;
}

/** Name resolution for the send-time SSRF check (DNS in production; tests map names to chosen addresses). */
export interface Resolver {
  lookup(hostname: string): Promise<{ address: string; family: 4 | 6 }[]>;
}

/**
 * Posts one delivery to `url`, connecting to `address` (already checked) rather than resolving the
 * name again; follows no redirects. Resolves with the status of any answer (and its Retry-After
 * header, if any); throws on no answer
 * (timeout, connection refused or reset).
 */
export interface WebhookPoster {
  post(request: {
    url: URL;
    address: string;
    family: 4 | 6;
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
  }): Promise<{ status: number; retryAfter?: string }>;
}

/**
 * Outgoing webhook events (docs/webhooks-outgoing.md). The names are a public contract: add,
 * never rename. Kept apart from events.ts (which reads plans) so plans.ts can name the type.
 */
export const outgoingEventTypes = [
  'points.earned',
  'points.redeemed',
  'points.expired',
  'tier.changed',
  'referral.completed',
  'referral.held',
  'segment.changed',
  'customer.redacted',
  'membership.changed',
] as const;
export type OutgoingEventType = (typeof outgoingEventTypes)[number];

/** What an endpoint may subscribe to: the types, or `*` for every type (including ones added later). */
export const allEvents = '*';

/**
 * An event queued for the shop's endpoints, written in the transaction of the fact it reports.
 * `data` always holds `shopId` and, except for `customer.redacted`, the customer as the shop
 * knows them (cid, platform id, e-mail).
 */
export interface OutgoingEvent {
  type: OutgoingEventType;
  cid: string;
  at: string;
  data: Record<string, unknown>;
}

import type { OutgoingEvent } from '../domain/outgoing/event';
import { keys } from './keys';

/** `itemType` of an outgoing event: the webhook sender's stream filter selects these INSERTs. */
export const outgoingEventItemType = 'webhook_event';

/**
 * The item an outgoing event becomes, written inside the transaction of the fact it reports
 * (ledger-store.ts commit, nightly segment writes). Kept apart from endpoint-store.ts so the order
 * path bundles only this.
 */
export const outgoingEventItem = (shopId: string, eventId: string, e: OutgoingEvent): Record<string, unknown> => ({
  ...keys.outgoingEvent(shopId, eventId),
  ...keys.outgoingEventQueue(shopId, e.at, eventId),
  itemType: outgoingEventItemType,
  shopId,
  eventId,
  type: e.type,
  cid: e.cid,
  at: e.at,
  data: e.data,
});

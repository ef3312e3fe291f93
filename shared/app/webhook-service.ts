import type { Shop } from '../domain/shop';
import type { OrderEvent } from '../schemas/order';
import { applyOrderEvent, type LedgerDeps } from './ledger-service';
import { recordDataRequest, redactCustomer } from './privacy-service';

export type WebhookOutcome =
  | { status: 'processed' | 'duplicate'; orderId?: string }
  | { status: 'ignored'; reason: string }
  | { status: 'redacted'; customers: number }
  | { status: 'data_request_recorded'; customers: number }
  | { status: 'shop_redacted'; items: number };

export interface WebhookDeps extends LedgerDeps {
  /** Marks the shop as being redacted, so no new data is taken and a retry resumes. */
  markRedacting: (shop: Shop) => Promise<void>;
  /** Deletes every item of the shop, the shop item last. Returns how many. */
  deleteShop: (shopId: string) => Promise<number>;
}

/** Routes one verified, parsed delivery to the use case it asks for. */
export const handleOrderEvent = async (deps: WebhookDeps, shop: Shop, event: OrderEvent): Promise<WebhookOutcome> => {
  if (shop.status === 'redacting' && event.kind !== 'shop_redact') return { status: 'ignored', reason: 'shop is being redacted' };
  switch (event.kind) {
    case 'order':
    case 'refund':
    case 'order_deleted': {
      const r = await applyOrderEvent(deps, shop, event);
      const orderId = event.kind === 'order' ? event.order.orderId : event.orderId;
      return { status: r === 'applied' ? 'processed' : 'duplicate', orderId };
    }
    case 'customer_redact':
      return { status: 'redacted', customers: await redactCustomer(deps, shop, { customerId: event.customerId, email: event.email }) };
    case 'customer_data_request':
      return {
        status: 'data_request_recorded',
        customers: await recordDataRequest(deps, shop, { requestId: event.requestId, customerId: event.customerId, email: event.email }),
      };
    case 'shop_redact':
      if (shop.status !== 'redacting') await deps.markRedacting(shop);
      return { status: 'shop_redacted', items: await deps.deleteShop(shop.id) };
    case 'ignored':
      return { status: 'ignored', reason: event.reason };
  }
};

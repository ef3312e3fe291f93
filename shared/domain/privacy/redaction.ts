import type { Platform } from '../../schemas/shop';

/**
 * The audit record of one erasure request. It is kept outside the shop's own data, so it
 * outlives the shop it erased: what was asked, when, by which delivery, and what happened.
 *
 * A customer redaction is carried out at once (it erases personal data and keeps anonymous
 * totals). A shop redaction deletes everything, so it is two-step: the shop is marked and
 * stops taking data, and the deletion runs once `dueAt` has passed, unless an operator
 * cancels it first.
 */
export interface Redaction {
  /** Derived from the request's signed body, so a redelivery names the same redaction. */
  id: string;
  shopId: string;
  scope: 'shop' | 'customer';
  status: 'scheduled' | 'done' | 'cancelled';
  source: {
    platform: Platform;
    topic: string;
    /** The platform's delivery id (X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-Id, the custom event id). */
    deliveryId?: string;
    bodySha256: string;
  };
  /** The platform customer id a customer redaction named (never the e-mail address). */
  customerId?: string;
  requestedAt: string;
  /** Shop redactions: when the deletion may run. */
  dueAt?: string;
  doneAt?: string;
  cancelledAt?: string;
  cancelledBy?: string;
  /** Customers redacted, or items deleted for a shop. */
  erased?: number;
}

/** A redaction's id: the first 32 hex digits of its body's SHA-256. */
export const redactionIdFor = (bodySha256: string): string => `rd_${bodySha256.slice(0, 32)}`;

export const isDue = (r: Redaction, asOf: Date): boolean =>
  r.status === 'scheduled' && r.scope === 'shop' && r.dueAt !== undefined && r.dueAt <= asOf.toISOString();

/** What the API shows: the record as is (it holds no personal data). */
export type RedactionView = Redaction;

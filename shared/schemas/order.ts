import * as z from 'zod';
import { currencyCode } from './primitives';
import { platformSchema } from './shop';

/**
 * The canonical order: what Shopify, WooCommerce and the custom format all parse into, and
 * the only order shape the earning rules see. Money is integer minor units in `currency`
 * (never a float); identifiers are strings exactly as the platform sent them.
 */
const nonNegativeMinor = z.int().min(0);

export const orderLineSchema = z.object({
  lineId: z.string().min(1),
  productId: z.string().optional(),
  variantId: z.string().optional(),
  sku: z.string().optional(),
  title: z.string().optional(),
  quantity: z.int().min(0),
  /** Unit price × quantity, before any discount. */
  grossMinor: nonNegativeMinor,
  /** All discounts allocated to this line (line-level and order-level). */
  discountMinor: nonNegativeMinor,
  /** grossMinor − discountMinor: what this line contributes to the earning basis. */
  netMinor: nonNegativeMinor,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const addressSchema = z.object({
  name: z.string().optional(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  city: z.string().optional(),
  zip: z.string().optional(),
  province: z.string().optional(),
  countryCode: z.string().optional(),
  phone: z.string().optional(),
});
export type Address = z.infer<typeof addressSchema>;

export const orderCustomerSchema = z.object({
  /** The platform's customer id; absent for guest checkouts. */
  id: z.string().optional(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  phone: z.string().optional(),
  /** Marketing consent where the platform reports it. */
  acceptsMarketing: z.boolean().optional(),
  locale: z.string().optional(),
});
export type OrderCustomer = z.infer<typeof orderCustomerSchema>;

export const refundSchema = z.object({
  refundId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  /** Money returned to the customer, all components (items, shipping, tax). */
  amountMinor: nonNegativeMinor,
  /** Item value refunded after discounts, excluding shipping and tax, when the platform says. */
  itemsNetMinor: nonNegativeMinor.optional(),
  lines: z
    .array(z.object({ lineId: z.string().min(1), quantity: z.int().min(0), netMinor: nonNegativeMinor }))
    .default([]),
});
export type Refund = z.infer<typeof refundSchema>;

export const financialStatusSchema = z.enum([
  'pending',
  'authorized',
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
  'unknown',
]);
export type FinancialStatus = z.infer<typeof financialStatusSchema>;

/** Where the shop-currency amounts of an order placed in another currency came from. */
export const conversionSources = ['shopify', 'custom', 'boomerang_meta', 'woopayments', 'aelia'] as const;

/**
 * An order the buyer placed in another currency than the shop's, held in the shop's currency:
 * what it was converted from and how. Either the platform sent shop-currency amounts itself
 * (Shopify's `shop_money`: no rate) or Boomerang converted every amount at the rate below,
 * rounding each down to the minor unit of `currency`.
 */
export const conversionSchema = z.object({
  /** The currency the buyer was charged in (Shopify's presentment currency, the order currency elsewhere). */
  fromCurrency: currencyCode,
  source: z.enum(conversionSources),
  /** Units of `currency` per unit of `fromCurrency`, as written by the source: amounts were multiplied by it. */
  rate: z.string().optional(),
  /**
   * Units of `fromCurrency` per unit of `currency` (WooPayments writes its rate this way): amounts were
   * divided by it.
   */
  inverseRate: z.string().optional(),
});
export type Conversion = z.infer<typeof conversionSchema>;

export const canonicalOrderSchema = z.object({
  platform: platformSchema,
  orderId: z.string().min(1),
  /** What the shop shows people, e.g. "#1001". */
  orderNumber: z.string().optional(),
  /**
   * The currency every amount below is in: the shop's, unless the platform sent the order in another one
   * without a conversion.
   */
  currency: currencyCode,
  /** Set when the order was placed in another currency and its amounts were converted into `currency`. */
  conversion: conversionSchema.optional(),
  createdAt: z.iso.datetime({ offset: true }),
  /** The platform's last-modified time; orders out of order resolve on it. */
  updatedAt: z.iso.datetime({ offset: true }),
  financialStatus: financialStatusSchema,
  /** When it became paid, if the platform says (Woo: date_paid; Shopify: processed/paid transitions). */
  paidAt: z.iso.datetime({ offset: true }).optional(),
  cancelledAt: z.iso.datetime({ offset: true }).optional(),
  test: z.boolean().default(false),
  customer: orderCustomerSchema,
  lines: z.array(orderLineSchema),
  /** Σ lines.netMinor: items after all discounts, no shipping, no tax. */
  subtotalAfterDiscountsMinor: nonNegativeMinor,
  shippingMinor: nonNegativeMinor,
  taxMinor: nonNegativeMinor,
  totalMinor: nonNegativeMinor,
  discountCodes: z.array(z.string()).default([]),
  /** Shopify note_attributes, WooCommerce meta_data (string values only), custom attributes. */
  attributes: z.record(z.string(), z.string()).default({}),
  landingSite: z.string().optional(),
  referringSite: z.string().optional(),
  /** The buyer's IP as the platform saw it. */
  clientIp: z.string().optional(),
  shippingAddress: addressSchema.optional(),
  billingAddress: addressSchema.optional(),
  /** A stable fingerprint of the payment method when the platform gives one. */
  paymentFingerprint: z.string().optional(),
  refunds: z.array(refundSchema).default([]),
});
export type CanonicalOrder = z.infer<typeof canonicalOrderSchema>;

/** What the ledger applies: the order as it is now, a refund of it, or its deletion. */
export type OrderEvent =
  | { kind: 'order'; topic: string; order: CanonicalOrder }
  /** A refund delivered on its own (Shopify refunds/create); the order may not be known yet. */
  | { kind: 'refund'; topic: string; orderId: string; currency?: string; refund: Refund }
  /** The order was deleted on the platform (WooCommerce order.deleted): treated as cancelled. */
  | { kind: 'order_deleted'; topic: string; orderId: string; at: string };

/** A privacy request about a customer or the shop: the redaction and privacy use cases handle it, not the ledger. */
export type PrivacyEvent =
  | { kind: 'customer_redact'; topic: string; platformCustomerId?: string; email?: string; orderIds: string[] }
  | {
      kind: 'customer_data_request';
      topic: string;
      requestId: string;
      platformCustomerId?: string;
      email?: string;
      orderIds: string[];
    }
  | { kind: 'shop_redact'; topic: string };

/** The custom format's signed `ping`: proves the endpoint and secret work, and asks for nothing. */
export type PingEvent = { kind: 'ping'; topic: string };

/**
 * What one verified webhook delivery means, whatever the platform. Parsers return one of
 * these (or an error value); the ledger never sees platform payloads.
 */
export type WebhookEvent = OrderEvent | PrivacyEvent | PingEvent;

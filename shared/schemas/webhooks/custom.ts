import * as z from 'zod';
import { financialStatusSchema } from '../order';
import { currencyCode } from '../primitives';

/**
 * Boomerang's own order webhook format, for shops on a custom platform (docs/custom-webhook.md).
 * Objects are strict so that a misspelt field ("referral_code") is an error rather than
 * silently ignored; `attributes` is the free-form place for anything else.
 */

const id = z.union([
  z.string().trim().min(1, { message: 'must not be empty' }).max(256),
  z.int({ message: 'must be a string (or an integer)' }),
]);

/** Decimal amount in the order currency: "19.99" (a JSON number is accepted, a string is exact). */
const amount = z.union([z.string(), z.number()], { message: 'must be a decimal string like "19.99"' });

const dateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time with a zone, e.g. "2026-03-01T12:00:00Z"',
});

const shortText = z.string().max(1000);

export const customEventTypes = [
  'order.created',
  'order.updated',
  'order.paid',
  'order.cancelled',
  'order.refunded',
  'customer.redact',
  'customer.data_request',
  'shop.redact',
  'ping',
] as const;
export type CustomEventType = (typeof customEventTypes)[number];

export const customEnvelopeSchema = z
  .object({
    /** Unique per event; a redelivery carries the same id (used for de-duplication). */
    id: z.string().trim().min(1).max(256),
    type: z.enum(customEventTypes, { message: `must be one of ${customEventTypes.join(', ')}` }),
    createdAt: dateTime,
    data: z.unknown().optional(),
  })
  .strict();
export type CustomEnvelope = z.infer<typeof customEnvelopeSchema>;

const customAddressSchema = z
  .object({
    name: shortText.optional(),
    address1: shortText.optional(),
    address2: shortText.optional(),
    city: shortText.optional(),
    zip: shortText.optional(),
    province: shortText.optional(),
    countryCode: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code, e.g. "DK"' })
      .optional(),
    phone: shortText.optional(),
  })
  .strict();

export const customLineSchema = z
  .object({
    id,
    productId: id.optional(),
    variantId: id.optional(),
    sku: shortText.optional(),
    title: shortText.optional(),
    quantity: z.int().min(0),
    /** Unit price before discounts. */
    price: amount,
    /** Total discount on this line (all units, line- and order-level). Default "0". */
    discount: amount.optional(),
  })
  .strict();

export const customRefundSchema = z
  .object({
    id,
    createdAt: dateTime,
    /** Money returned to the customer, all components. */
    amount,
    /** Item value refunded after discounts, excluding shipping and tax, if you know it. */
    itemsNet: amount.optional(),
    lines: z.array(z.object({ lineId: id, quantity: z.int().min(0), amount }).strict()).optional(),
  })
  .strict();

/**
 * For an order placed in another currency than the shop's: the shop's currency and the
 * exchange rate used, in units of the shop currency per one unit of the order's currency
 * (a decimal string, e.g. "0.0065" for JPY → USD). Every amount of the order is converted at it
 * and rounded down. Without it, such an order is recorded but earns nothing.
 */
export const customShopMoneySchema = z
  .object({
    currency: currencyCode,
    exchangeRate: z.union([z.string().max(40), z.number()], { message: 'must be a decimal string like "0.0065"' }),
  })
  .strict();

export const customOrderSchema = z
  .object({
    id,
    number: z.union([z.string(), z.number()]).optional(),
    currency: currencyCode,
    shopMoney: customShopMoneySchema.optional(),
    createdAt: dateTime.optional(),
    updatedAt: dateTime.optional(),
    financialStatus: financialStatusSchema.optional(),
    paidAt: dateTime.optional(),
    cancelledAt: dateTime.optional(),
    test: z.boolean().optional(),
    customer: z
      .object({
        id: id.optional(),
        email: z.email().optional(),
        firstName: shortText.optional(),
        lastName: shortText.optional(),
        phone: shortText.optional(),
        acceptsMarketing: z.boolean().optional(),
        locale: shortText.optional(),
      })
      .strict()
      .optional(),
    // Bounded so an order always fits one DynamoDB item (400 KB) with room to spare.
    lines: z.array(customLineSchema).max(1000),
    /** Optional check value: Σ (price × quantity − discount) over the lines. */
    subtotal: amount.optional(),
    shipping: amount.optional(),
    tax: amount.optional(),
    total: amount,
    discountCodes: z.array(z.string().trim().min(1)).optional(),
    /** The referral code the buyer came with; stored as attributes.referral_code. */
    referralCode: z.string().trim().min(1).max(200).optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    landingSite: z.string().max(4000).optional(),
    referringSite: z.string().max(4000).optional(),
    clientIp: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }).optional(),
    shippingAddress: customAddressSchema.optional(),
    billingAddress: customAddressSchema.optional(),
    paymentFingerprint: z.string().min(1).max(512).optional(),
    refunds: z.array(customRefundSchema).optional(),
  })
  .strict();
export type CustomOrder = z.infer<typeof customOrderSchema>;

const identity = {
  customerId: id.optional(),
  email: z.email().optional(),
  orderIds: z.array(id).optional(),
};

export const customCustomerRedactSchema = z
  .object(identity)
  .strict()
  .refine((d) => d.customerId !== undefined || d.email !== undefined, { message: 'customerId or email is required' });

export const customDataRequestSchema = z
  .object({ requestId: id.optional(), ...identity })
  .strict()
  .refine((d) => d.customerId !== undefined || d.email !== undefined, { message: 'customerId or email is required' });

export const customShopRedactSchema = z.object({}).strict();

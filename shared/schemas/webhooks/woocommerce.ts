import * as z from 'zod';
import { looseArray, nullableText, rawId, rawMoney } from './common';

/**
 * WooCommerce webhook payloads (REST API v3 order resource): only the fields Boomerang reads.
 * Amounts are decimal strings in the order's currency; `*_gmt` dates are UTC without a zone.
 */

const wooAddressSchema = z
  .looseObject({
    first_name: nullableText,
    last_name: nullableText,
    company: nullableText,
    address_1: nullableText,
    address_2: nullableText,
    city: nullableText,
    state: nullableText,
    postcode: nullableText,
    country: nullableText,
    email: nullableText,
    phone: nullableText,
  })
  .nullish();
export type WooAddress = z.infer<typeof wooAddressSchema>;

export const wooMetaSchema = z.looseObject({ key: z.string(), value: z.unknown() });

export const wooOrderSchema = z.looseObject({
  id: rawId,
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  currency: nullableText,
  date_created_gmt: z.string(),
  date_modified_gmt: nullableText,
  date_paid_gmt: nullableText,
  discount_total: rawMoney.nullish(),
  shipping_total: rawMoney.nullish(),
  total_tax: rawMoney.nullish(),
  total: rawMoney,
  customer_id: rawId.nullish(),
  customer_ip_address: nullableText,
  billing: wooAddressSchema,
  shipping: wooAddressSchema,
  meta_data: looseArray(wooMetaSchema),
  line_items: z.array(
    z.looseObject({
      id: rawId,
      name: nullableText,
      product_id: rawId.nullish(),
      variation_id: rawId.nullish(),
      quantity: z.int().min(0),
      /** Line value before discounts (excl. tax). */
      subtotal: rawMoney,
      /** Line value after discounts (excl. tax). */
      total: rawMoney,
      sku: nullableText,
    }),
  ),
  coupon_lines: looseArray(z.looseObject({ code: z.string() })),
  /** Refunds as listed on the order: `total` is negative, e.g. "-10.00". */
  refunds: looseArray(z.looseObject({ id: rawId, reason: nullableText, total: rawMoney })),
});
export type WooOrder = z.infer<typeof wooOrderSchema>;

/**
 * order.deleted sends only the id. Strict: a signed order body replayed with a forged
 * `X-WC-Webhook-Topic: order.deleted` must not pass as a deletion.
 */
export const wooOrderDeletedSchema = z.strictObject({ id: rawId });

import * as z from 'zod';
import { looseArray, nullableText, rawId, rawMoney } from './common';

/**
 * Shopify webhook payloads (REST resource shape, API 2026-07): only the fields Boomerang reads.
 * Amounts without a `_set` are in the shop currency; `*_set.shop_money` is preferred when present.
 */

export const shopifyMoneySetSchema = z
  .looseObject({
    shop_money: z.looseObject({ amount: rawMoney, currency_code: nullableText }).nullish(),
  })
  .nullish();

const discountAllocationSchema = z.looseObject({
  amount: rawMoney.nullish(),
  amount_set: shopifyMoneySetSchema,
});

export const shopifyLineItemSchema = z.looseObject({
  id: rawId,
  admin_graphql_api_id: nullableText,
  product_id: rawId.nullish(),
  variant_id: rawId.nullish(),
  sku: nullableText,
  title: nullableText,
  name: nullableText,
  quantity: z.int().min(0),
  price: rawMoney.nullish(),
  price_set: shopifyMoneySetSchema,
  total_discount: rawMoney.nullish(),
  total_discount_set: shopifyMoneySetSchema,
  discount_allocations: z.array(discountAllocationSchema).nullish(),
});

const shopifyAddressSchema = z
  .looseObject({
    name: nullableText,
    first_name: nullableText,
    last_name: nullableText,
    address1: nullableText,
    address2: nullableText,
    city: nullableText,
    zip: nullableText,
    province: nullableText,
    province_code: nullableText,
    country_code: nullableText,
    phone: nullableText,
  })
  .nullish();

const shopifyCustomerSchema = z
  .looseObject({
    id: rawId.nullish(),
    admin_graphql_api_id: nullableText,
    email: nullableText,
    first_name: nullableText,
    last_name: nullableText,
    phone: nullableText,
    /** Deprecated in favour of email_marketing_consent, still sent by older API versions. */
    accepts_marketing: z.boolean().nullish(),
    email_marketing_consent: z.looseObject({ state: nullableText }).nullish(),
    locale: nullableText,
  })
  .nullish();

export const shopifyTransactionSchema = z.looseObject({
  id: rawId.nullish(),
  kind: nullableText,
  status: nullableText,
  amount: rawMoney.nullish(),
  currency: nullableText,
});

export const shopifyRefundSchema = z.looseObject({
  id: rawId,
  admin_graphql_api_id: nullableText,
  order_id: rawId.nullish(),
  created_at: nullableText,
  processed_at: nullableText,
  refund_line_items: looseArray(
    z.looseObject({
      id: rawId.nullish(),
      line_item_id: rawId,
      quantity: z.int().min(0),
      subtotal: rawMoney.nullish(),
      subtotal_set: shopifyMoneySetSchema,
      total_tax: rawMoney.nullish(),
      total_tax_set: shopifyMoneySetSchema,
      line_item: z.looseObject({ admin_graphql_api_id: nullableText }).nullish(),
    }),
  ),
  refund_shipping_lines: looseArray(
    z.looseObject({
      subtotal_amount_set: shopifyMoneySetSchema,
      tax_amount_set: shopifyMoneySetSchema,
    }),
  ),
  transactions: looseArray(shopifyTransactionSchema),
});
export type ShopifyRefund = z.infer<typeof shopifyRefundSchema>;

export const shopifyOrderSchema = z.looseObject({
  id: rawId,
  admin_graphql_api_id: nullableText,
  name: nullableText,
  order_number: z.union([z.number(), z.string()]).nullish(),
  currency: nullableText,
  created_at: z.string(),
  updated_at: nullableText,
  processed_at: nullableText,
  cancelled_at: nullableText,
  financial_status: nullableText,
  test: z.boolean().nullish(),
  email: nullableText,
  contact_email: nullableText,
  phone: nullableText,
  customer_locale: nullableText,
  buyer_accepts_marketing: z.boolean().nullish(),
  customer: shopifyCustomerSchema,
  line_items: z.array(shopifyLineItemSchema),
  shipping_lines: looseArray(z.looseObject({ price: rawMoney.nullish(), price_set: shopifyMoneySetSchema })),
  total_shipping_price_set: shopifyMoneySetSchema,
  total_tax: rawMoney.nullish(),
  total_tax_set: shopifyMoneySetSchema,
  total_price: rawMoney.nullish(),
  total_price_set: shopifyMoneySetSchema,
  discount_codes: looseArray(z.looseObject({ code: z.string() })),
  note_attributes: looseArray(z.looseObject({ name: z.string(), value: z.unknown() })),
  landing_site: nullableText,
  referring_site: nullableText,
  browser_ip: nullableText,
  client_details: z.looseObject({ browser_ip: nullableText }).nullish(),
  shipping_address: shopifyAddressSchema,
  billing_address: shopifyAddressSchema,
  /** Deprecated REST field; present on older API versions and some gateways. */
  payment_details: z
    .looseObject({
      credit_card_bin: nullableText,
      credit_card_number: nullableText,
      credit_card_company: nullableText,
    })
    .nullish(),
  refunds: looseArray(shopifyRefundSchema),
});
export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;

/**
 * orders/delete sends only the id. Strict, like the compliance payloads below: each topic's
 * body must have that topic's documented shape and nothing else, so a signed body of one topic
 * (an order) never passes as another (a deletion or a redaction) under a forged topic header.
 */
export const shopifyOrderDeletedSchema = z.strictObject({ id: rawId });

const privacyCustomer = z.strictObject({ id: rawId.nullish(), email: nullableText, phone: nullableText });

/** Every compliance payload names the shop; both must match the shop's own Shopify identity. */
const shopIdentity = { shop_id: rawId, shop_domain: z.string().min(1) };

export const shopifyCustomersDataRequestSchema = z.strictObject({
  ...shopIdentity,
  customer: privacyCustomer,
  orders_requested: z.array(rawId),
  data_request: z.strictObject({ id: rawId }),
});

export const shopifyCustomersRedactSchema = z.strictObject({
  ...shopIdentity,
  customer: privacyCustomer,
  orders_to_redact: z.array(rawId),
});

export const shopifyShopRedactSchema = z.strictObject(shopIdentity);

import type {
  Address,
  CanonicalOrder,
  FinancialStatus,
  OrderCustomer,
  OrderLine,
  Refund,
  WebhookEvent,
} from '../../schemas/order';
import {
  shopifyCustomersDataRequestSchema,
  shopifyCustomersRedactSchema,
  shopifyOrderDeletedSchema,
  shopifyOrderSchema,
  shopifyRefundSchema,
  shopifyShopRedactSchema,
  type ShopifyOrder,
  type ShopifyRefund,
} from '../../schemas/webhooks/shopify';
import { isCurrencyCode } from '../money/currencies';
import { multiplyMinor } from '../money/decimal';
import type { DomainResult } from '../result';
import { ok } from '../result';
import {
  attributeValue,
  compact,
  compactOrUndefined,
  finishOrder,
  finishRefund,
  invalidPayload,
  Issues,
  lineMoney,
  readId,
  readMoney,
  readOptionalId,
  readTimestamp,
  setAttribute,
  sha256Hex,
  text,
  validate,
  type ParseError,
  sumOrIssue,
} from './common';
import type { ShopifyTopicName } from './topics';

/**
 * Shopify webhooks → WebhookEvent. Pure: no I/O, no clock except the optional `receivedAt`.
 *
 * Decode the body with `parseWebhookJson` (not JSON.parse) so ids above 2^53 stay exact; when
 * a plain JSON.parse was used anyway, order/line/customer ids are recovered from their
 * `admin_graphql_api_id`, and any other rounded id is reported as invalid.
 *
 * All amounts are read in shop money (`*_set.shop_money` first, the bare field otherwise): the
 * shop's currency, never the buyer's `presentment_money`. The order's currency is the one its
 * shop money is in (`shop_money.currency_code`, else `currency`, which Shopify documents as the
 * shop currency); `presentment_currency` only says what the buyer paid in.
 */

type Path = (string | number)[];

/** Shopify money: the `_set.shop_money.amount` when present, else the bare field. */
type MoneySet = { shop_money?: { amount: string | number } | null } | null | undefined;
const shopAmount = (set: MoneySet, bare: string | number | null | undefined): string | number | null | undefined =>
  set?.shop_money?.amount ?? bare;

/** Every `shop_money.currency_code` in a payload: one currency, or the amounts cannot be added up. */
const shopMoneyCurrencies = (value: unknown, out = new Set<string>(), depth = 0): Set<string> => {
  if (typeof value !== 'object' || value === null || depth > 12) return out;
  if (Array.isArray(value)) {
    for (const v of value) shopMoneyCurrencies(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'shop_money' && typeof v === 'object' && v !== null) {
      const code = text((v as Record<string, unknown>).currency_code);
      if (code) out.add(code.toUpperCase());
    } else {
      shopMoneyCurrencies(v, out, depth + 1);
    }
  }
  return out;
};

const financialStatuses: ReadonlyMap<string, FinancialStatus> = new Map<string, FinancialStatus>([
  ['pending', 'pending'],
  ['authorized', 'authorized'],
  ['partially_paid', 'partially_paid'],
  ['paid', 'paid'],
  ['partially_refunded', 'partially_refunded'],
  ['refunded', 'refunded'],
  ['voided', 'voided'],
  // An authorization that lapsed uncaptured: no money moved, like a void.
  ['expired', 'voided'],
]);

const paidStatuses = new Set(['paid', 'partially_refunded', 'refunded']);

export interface ShopifyParseOptions {
  /** When the delivery arrived; only used as the time of orders/delete (its payload has none). */
  receivedAt: Date;
}

const address = (a: ShopifyOrder['shipping_address']): Address | undefined => {
  if (!a) return undefined;
  const name = text(a.name) ?? text([a.first_name, a.last_name].filter(Boolean).join(' '));
  return compactOrUndefined({
    name,
    address1: text(a.address1),
    address2: text(a.address2),
    city: text(a.city),
    zip: text(a.zip),
    province: text(a.province) ?? text(a.province_code),
    countryCode: text(a.country_code),
    phone: text(a.phone),
  });
};

/**
 * A stable card fingerprint from the (deprecated) `payment_details`: SHA-256 of
 * "company|BIN|last four". Only equality matters (the same card on two orders), so the card
 * data itself is not kept. Absent unless both the BIN and the last four digits are known.
 */
const paymentFingerprint = (pd: ShopifyOrder['payment_details']): string | undefined => {
  const bin = text(pd?.credit_card_bin);
  const last4 = /(\d{4})\s*$/.exec(pd?.credit_card_number ?? '')?.[1];
  if (!bin || !last4) return undefined;
  const company = (text(pd?.credit_card_company) ?? '').toLowerCase();
  return `card:${sha256Hex(`${company}|${bin}|${last4}`)}`;
};

/**
 * A refund in shop money.
 * - `itemsNetMinor` = Σ refund_line_items subtotal (items after discounts, before tax).
 * - `amountMinor` = Σ successful refund transactions, when they are in the shop currency (a
 *   transaction's `currency` is the presentment currency; null is taken as the order's
 *   `presentment_currency` when known, else as the shop's). If there are none, or they are in
 *   another currency, it falls back to what the refund lists in shop money: items subtotal +
 *   item tax + refunded shipping + its tax.
 */
const mapRefund = (issues: Issues, r: ShopifyRefund, currency: string, path: Path, presentment?: string): Refund => {
  const refundId = readId(issues, r.id, [...path, 'id'], r.admin_graphql_api_id);
  const when = r.created_at ?? r.processed_at;
  if (!when) issues.add([...path, 'created_at'], 'refund has no created_at');
  const createdAt = readTimestamp(issues, when, [...path, 'created_at']);

  const lines = r.refund_line_items.map((li, i) => {
    const p = [...path, 'refund_line_items', i];
    return {
      lineId: readId(issues, li.line_item_id, [...p, 'line_item_id'], li.line_item?.admin_graphql_api_id),
      quantity: li.quantity,
      netMinor: readMoney(issues, shopAmount(li.subtotal_set, li.subtotal), [...p, 'subtotal'], currency),
      taxMinor: readMoney(issues, shopAmount(li.total_tax_set, li.total_tax), [...p, 'total_tax'], currency),
    };
  });
  const itemsNetMinor = sumOrIssue(
    issues,
    lines.map((l) => l.netMinor),
    [...path, 'refund_line_items'],
  );
  const shipping = r.refund_shipping_lines.flatMap((s, i) => [
    readMoney(
      issues,
      s.subtotal_amount_set?.shop_money?.amount,
      [...path, 'refund_shipping_lines', i, 'subtotal_amount_set'],
      currency,
    ),
    readMoney(
      issues,
      s.tax_amount_set?.shop_money?.amount,
      [...path, 'refund_shipping_lines', i, 'tax_amount_set'],
      currency,
    ),
  ]);

  const refunds = r.transactions
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.kind === 'refund' && t.status === 'success');
  const inShopMoney =
    refunds.length > 0 &&
    refunds.every(({ t }) => (text(t.currency)?.toUpperCase() ?? presentment ?? currency) === currency);
  const amountMinor = inShopMoney
    ? sumOrIssue(
        issues,
        refunds.map(({ t, i }) => readMoney(issues, t.amount, [...path, 'transactions', i, 'amount'], currency)),
        [...path, 'transactions'],
      )
    : sumOrIssue(issues, [...lines.flatMap((l) => [l.netMinor, l.taxMinor]), ...shipping], path);

  return {
    refundId,
    createdAt: createdAt ?? '',
    amountMinor: Math.abs(amountMinor),
    itemsNetMinor: Math.abs(itemsNetMinor),
    lines: lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, netMinor: Math.abs(l.netMinor) })),
  };
};

/**
 * The currency every amount is read in: the one the shop money is in. Amounts in more than one
 * shop currency cannot be added up; `presentment_currency` only says what the buyer paid in.
 */
const orderCurrency = (issues: Issues, o: ShopifyOrder, shopCurrency: string) => {
  const shopMoney = [...shopMoneyCurrencies(o)].sort();
  if (shopMoney.length > 1)
    issues.add(
      ['total_price_set', 'shop_money', 'currency_code'],
      `shop_money amounts are in more than one currency (${shopMoney.join(', ')})`,
    );
  const currency = shopMoney[0] ?? text(o.currency)?.toUpperCase() ?? shopCurrency;
  const presentment = text(o.presentment_currency)?.toUpperCase();
  // Shopify converted it: the amounts are its shop money, so there is no rate to keep.
  const conversion =
    presentment && presentment !== currency && isCurrencyCode(presentment)
      ? { fromCurrency: presentment, source: 'shopify' as const }
      : undefined;
  return { currency, presentment, conversion };
};

type ShopifyLine = ShopifyOrder['line_items'][number];

/** A line's discount: its allocations (line and order level) when listed, else its `total_discount`. */
const lineDiscount = (issues: Issues, li: ShopifyLine, p: Path, currency: string): number => {
  const allocations = li.discount_allocations;
  if (!allocations)
    return readMoney(issues, shopAmount(li.total_discount_set, li.total_discount), [...p, 'total_discount'], currency);
  return sumOrIssue(
    issues,
    allocations.map((a, j) =>
      readMoney(issues, shopAmount(a.amount_set, a.amount), [...p, 'discount_allocations', j, 'amount'], currency),
    ),
    [...p, 'discount_allocations'],
  );
};

const mapLines = (issues: Issues, o: ShopifyOrder, currency: string): OrderLine[] =>
  o.line_items.map((li, i) => {
    const p = ['line_items', i];
    const unit = readMoney(issues, shopAmount(li.price_set, li.price), [...p, 'price'], currency);
    const gross = multiplyMinor(unit, li.quantity);
    if (gross === undefined) issues.add([...p, 'price'], 'price × quantity is too large to hold exactly');
    const discount = lineDiscount(issues, li, p, currency);
    return compact({
      lineId: readId(issues, li.id, [...p, 'id'], li.admin_graphql_api_id),
      productId: readOptionalId(issues, li.product_id, [...p, 'product_id']),
      variantId: readOptionalId(issues, li.variant_id, [...p, 'variant_id']),
      sku: text(li.sku),
      title: text(li.title) ?? text(li.name),
      quantity: li.quantity,
      ...lineMoney(gross ?? 0, discount),
    });
  });

/** The order's shipping total when Shopify gives one in shop money, else the sum of its shipping lines. */
const shippingMinor = (issues: Issues, o: ShopifyOrder, currency: string): number =>
  o.total_shipping_price_set?.shop_money
    ? readMoney(
        issues,
        o.total_shipping_price_set.shop_money.amount,
        ['total_shipping_price_set', 'shop_money', 'amount'],
        currency,
      )
    : sumOrIssue(
        issues,
        o.shipping_lines.map((s, i) =>
          readMoney(issues, shopAmount(s.price_set, s.price), ['shipping_lines', i, 'price'], currency),
        ),
        ['shipping_lines'],
      );

/** Financial status and when it was created, changed and (for a paid status) paid. */
const paymentState = (issues: Issues, o: ShopifyOrder) => {
  const financialStatus = (o.financial_status && financialStatuses.get(o.financial_status)) || 'unknown';
  const createdAt = readTimestamp(issues, o.created_at, ['created_at']);
  const updatedAt = readTimestamp(issues, o.updated_at, ['updated_at']) ?? createdAt;
  const processedAt = readTimestamp(issues, o.processed_at, ['processed_at']);
  const paidAt = o.financial_status && paidStatuses.has(o.financial_status) ? (processedAt ?? updatedAt) : undefined;
  return { financialStatus, createdAt, updatedAt, paidAt };
};

/** The buyer: the customer record where it has the field, the order's contact and billing details otherwise. */
const mapCustomer = (issues: Issues, o: ShopifyOrder): OrderCustomer => {
  const c = o.customer;
  const consent = text(c?.email_marketing_consent?.state);
  const billing = o.billing_address;
  return compact({
    id: readOptionalId(issues, c?.id, ['customer', 'id'], c?.admin_graphql_api_id),
    email: text(o.email) ?? text(o.contact_email) ?? text(c?.email),
    firstName: text(c?.first_name) ?? text(billing?.first_name),
    lastName: text(c?.last_name) ?? text(billing?.last_name),
    phone: text(c?.phone) ?? text(o.phone),
    acceptsMarketing:
      consent !== undefined
        ? consent === 'subscribed'
        : (c?.accepts_marketing ?? o.buyer_accepts_marketing ?? undefined),
    locale: text(o.customer_locale) ?? text(c?.locale),
  });
};

const noteAttributes = (o: ShopifyOrder): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (const a of o.note_attributes) setAttribute(attributes, a.name, attributeValue(a.value));
  return attributes;
};

const mapOrder = (o: ShopifyOrder, shopCurrency: string): DomainResult<CanonicalOrder, ParseError> => {
  const issues = new Issues();
  const { currency, presentment, conversion } = orderCurrency(issues, o, shopCurrency);
  const lines = mapLines(issues, o, currency);
  const shipping = shippingMinor(issues, o, currency);
  const total = shopAmount(o.total_price_set, o.total_price);
  if (total === null || total === undefined) issues.add(['total_price'], 'total_price is required');
  const payment = paymentState(issues, o);

  const order = compact({
    platform: 'shopify' as const,
    orderId: readId(issues, o.id, ['id'], o.admin_graphql_api_id),
    orderNumber:
      text(o.name) ?? (o.order_number !== null && o.order_number !== undefined ? String(o.order_number) : undefined),
    currency,
    conversion,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    financialStatus: payment.financialStatus,
    paidAt: payment.paidAt,
    cancelledAt: readTimestamp(issues, o.cancelled_at, ['cancelled_at']),
    test: o.test ?? false,
    customer: mapCustomer(issues, o),
    lines,
    subtotalAfterDiscountsMinor: sumOrIssue(
      issues,
      lines.map((l) => l.netMinor),
      ['line_items'],
    ),
    shippingMinor: shipping,
    taxMinor: readMoney(issues, shopAmount(o.total_tax_set, o.total_tax), ['total_tax'], currency),
    totalMinor: readMoney(issues, total, ['total_price'], currency),
    discountCodes: o.discount_codes.map((d) => d.code.trim()).filter((code) => code !== ''),
    attributes: noteAttributes(o),
    landingSite: text(o.landing_site),
    referringSite: text(o.referring_site),
    clientIp: text(o.browser_ip) ?? text(o.client_details?.browser_ip),
    shippingAddress: address(o.shipping_address),
    billingAddress: address(o.billing_address),
    paymentFingerprint: paymentFingerprint(o.payment_details),
    refunds: o.refunds.map((r, i) => mapRefund(issues, r, currency, ['refunds', i], presentment)),
  });
  return finishOrder(issues, order);
};

const ids = (issues: Issues, values: (string | number)[], path: Path): string[] =>
  values.map((v, i) => readId(issues, v, [...path, i]));

/**
 * Maps one verified Shopify delivery. `topic` is the `X-Shopify-Topic` header, already checked
 * by `shopifyTopic`; `json` the body decoded with `parseWebhookJson`; `shopCurrency` the shop's
 * currency (used where the payload does not name one). Never throws: bad input is an
 * `invalid_payload` error value.
 */
export const parseShopifyWebhook = (
  topic: ShopifyTopicName,
  json: unknown,
  shopCurrency: string,
  options: ShopifyParseOptions,
): DomainResult<WebhookEvent, ParseError> => {
  switch (topic) {
    case 'orders/create':
    case 'orders/updated':
    case 'orders/paid':
    case 'orders/cancelled': {
      const parsed = validate(shopifyOrderSchema, json);
      if (!parsed.ok) return parsed;
      const order = mapOrder(parsed.value, shopCurrency);
      return order.ok ? ok({ kind: 'order', topic, order: order.value }) : order;
    }
    case 'refunds/create': {
      const parsed = validate(shopifyRefundSchema, json);
      if (!parsed.ok) return parsed;
      const r = parsed.value;
      const issues = new Issues();
      if (r.order_id === null || r.order_id === undefined) issues.add(['order_id'], 'refund has no order_id');
      const orderId = readOptionalId(issues, r.order_id, ['order_id']);
      const currency = text(r.refund_line_items[0]?.subtotal_set?.shop_money?.currency_code) ?? shopCurrency;
      const refund = finishRefund(issues, mapRefund(issues, r, currency, []));
      if (!refund.ok) return refund;
      return ok({ kind: 'refund', topic, orderId: orderId ?? '', currency, refund: refund.value });
    }
    case 'orders/delete': {
      const parsed = validate(shopifyOrderDeletedSchema, json);
      if (!parsed.ok) return parsed;
      const issues = new Issues();
      const orderId = readId(issues, parsed.value.id, ['id']);
      if (issues.any) return invalidPayload(issues.list);
      return ok({ kind: 'order_deleted', topic, orderId, at: options.receivedAt.toISOString() });
    }
    case 'customers/data_request': {
      const parsed = validate(shopifyCustomersDataRequestSchema, json);
      if (!parsed.ok) return parsed;
      const p = parsed.value;
      const issues = new Issues();
      const event = compact({
        kind: 'customer_data_request' as const,
        topic,
        requestId: readId(issues, p.data_request.id, ['data_request', 'id']),
        platformCustomerId: readOptionalId(issues, p.customer?.id, ['customer', 'id']),
        email: text(p.customer?.email),
        orderIds: ids(issues, p.orders_requested, ['orders_requested']),
      });
      return issues.any ? invalidPayload(issues.list) : ok(event);
    }
    case 'customers/redact': {
      const parsed = validate(shopifyCustomersRedactSchema, json);
      if (!parsed.ok) return parsed;
      const p = parsed.value;
      const issues = new Issues();
      const event = compact({
        kind: 'customer_redact' as const,
        topic,
        platformCustomerId: readOptionalId(issues, p.customer?.id, ['customer', 'id']),
        email: text(p.customer?.email),
        orderIds: ids(issues, p.orders_to_redact, ['orders_to_redact']),
      });
      return issues.any ? invalidPayload(issues.list) : ok(event);
    }
    case 'shop/redact': {
      const parsed = validate(shopifyShopRedactSchema, json);
      if (!parsed.ok) return parsed;
      return ok({ kind: 'shop_redact', topic });
    }
  }
};

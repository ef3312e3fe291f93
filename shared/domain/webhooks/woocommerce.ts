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
  wooOrderDeletedSchema,
  wooOrderSchema,
  type WooAddress,
  type WooOrder,
} from '../../schemas/webhooks/woocommerce';
import { invertRate, parseExchangeRate, type ExchangeRate } from '../money/exchange';
import type { DomainResult } from '../result';
import { ok } from '../result';
import { convertOrder } from './conversion';
import {
  compact,
  compactOrUndefined,
  finishOrder,
  invalidPayload,
  Issues,
  lineMoney,
  readId,
  readMoney,
  readTimestamp,
  setAttribute,
  text,
  validate,
  type ParseError,
  sumOrIssue,
} from './common';
import type { WooCommerceTopicName } from './topics';

/**
 * WooCommerce webhooks → WebhookEvent. Pure: no I/O, no clock except the optional `receivedAt`.
 *
 * Amounts are rounded half-even to the currency's minor unit: a WooCommerce shop may be set to
 * show more price decimals than its currency has, and then its API sends e.g. "10.125" EUR.
 */

type Path = (string | number)[];

const money = { rounding: 'half_even' as const, emptyIsZero: true };

/**
 * Order status → financial status. `cancelled` and `trash` mean no money is kept: voided, with
 * `cancelledAt`. `failed` is a declined payment the buyer may still retry, so it stays pending.
 * Custom statuses are `unknown`.
 */
const statuses: ReadonlyMap<string, FinancialStatus> = new Map<string, FinancialStatus>([
  ['pending', 'pending'],
  ['checkout-draft', 'pending'],
  ['on-hold', 'pending'],
  ['processing', 'paid'],
  ['completed', 'paid'],
  ['refunded', 'refunded'],
  ['cancelled', 'voided'],
  ['failed', 'pending'],
  ['trash', 'voided'],
]);

const cancelledStatuses = new Set(['cancelled', 'trash']);

/** WooCommerce's own order-attribution meta (WooCommerce 8.5+). */
const landingMeta = '_wc_order_attribution_session_entry';
const referrerMeta = '_wc_order_attribution_referrer';

const namedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  times: '\u00d7',
};

/** Product names arrive HTML-escaped ("Ship Your Idea &ndash; Color: Black"). */
export const decodeEntities = (value: string): string =>
  value.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return Object.hasOwn(namedEntities, body) ? (namedEntities[body] ?? whole) : whole;
  });

const address = (a: WooAddress): Address | undefined => {
  if (!a) return undefined;
  return compactOrUndefined({
    name: text([text(a.first_name), text(a.last_name)].filter(Boolean).join(' ')),
    address1: text(a.address_1),
    address2: text(a.address_2),
    city: text(a.city),
    zip: text(a.postcode),
    province: text(a.state),
    countryCode: text(a.country),
    phone: text(a.phone),
  });
};

/**
 * Order meta that says how an order in another currency converts into the shop's. Read in this
 * order; the first that is complete and valid applies:
 * - Boomerang's own (a shop adds them with a small snippet, see docs/currencies.md):
 *   `_boomerang_shop_currency` (the currency converted into) and `_boomerang_exchange_rate`
 *   (units of it per unit of the order currency);
 * - WooPayments multi-currency: `_wcpay_multi_currency_order_default_currency` (the store
 *   currency) and `_wcpay_multi_currency_order_exchange_rate`, which is the other way round:
 *   order-currency units per store-currency unit (WooPayments' own analytics divide by it);
 * - Aelia Currency Switcher: `_base_currency_exchange_rate`, base (store) currency units per
 *   order-currency unit (its `_order_total_base_currency` is the total times it). Aelia does not
 *   name the base currency: it is the WooCommerce store currency, which must be the shop's.
 * Without one, the order stays in its own currency and the ledger records it without earning.
 */
const wooMeta = {
  boomerangCurrency: '_boomerang_shop_currency',
  boomerangRate: '_boomerang_exchange_rate',
  wcpayCurrency: '_wcpay_multi_currency_order_default_currency',
  wcpayRate: '_wcpay_multi_currency_order_exchange_rate',
  aeliaRate: '_base_currency_exchange_rate',
} as const;

type WooConversion = { to: string; rate: ExchangeRate; how: Parameters<typeof convertOrder>[3] };

const wooConversion = (
  meta: WooOrder['meta_data'],
  currency: string,
  shopCurrency: string,
): WooConversion | undefined => {
  if (currency === shopCurrency) return undefined;
  const value = (key: string): unknown => meta.findLast((m) => m.key === key)?.value;
  const code = (key: string): string | undefined => {
    const v = text(value(key))?.toUpperCase();
    return v && /^[A-Z]{3}$/.test(v) ? v : undefined;
  };
  const rate = (key: string): ExchangeRate | undefined => {
    const r = value(key) === undefined ? undefined : parseExchangeRate(value(key));
    return r?.ok ? r.value : undefined;
  };
  const own = rate(wooMeta.boomerangRate);
  const ownTo = code(wooMeta.boomerangCurrency);
  if (own && ownTo) return { to: ownTo, rate: own, how: { source: 'boomerang_meta', rate: own.text } };
  const wcpay = rate(wooMeta.wcpayRate);
  const wcpayTo = code(wooMeta.wcpayCurrency);
  if (wcpay && wcpayTo)
    return { to: wcpayTo, rate: invertRate(wcpay), how: { source: 'woopayments', inverseRate: wcpay.text } };
  const aelia = rate(wooMeta.aeliaRate);
  if (aelia) return { to: shopCurrency, rate: aelia, how: { source: 'aelia', rate: aelia.text } };
  return undefined;
};

/** Woo's "0" means none (guest customer, simple product without variation). */
const positiveId = (issues: Issues, value: string | number | null | undefined, path: Path): string | undefined => {
  if (value === null || value === undefined || value === '' || value === 0 || value === '0') return undefined;
  return readId(issues, value, path);
};

const mapLines = (issues: Issues, o: WooOrder, currency: string): OrderLine[] =>
  o.line_items.map((li, i) => {
    const p = ['line_items', i];
    const gross = readMoney(issues, li.subtotal, [...p, 'subtotal'], currency, money);
    const net = readMoney(issues, li.total, [...p, 'total'], currency, money);
    return compact({
      lineId: readId(issues, li.id, [...p, 'id']),
      productId: positiveId(issues, li.product_id, [...p, 'product_id']),
      variantId: positiveId(issues, li.variation_id, [...p, 'variation_id']),
      sku: text(li.sku),
      title: li.name ? text(decodeEntities(li.name)) : undefined,
      quantity: li.quantity,
      ...lineMoney(gross, gross - net),
    });
  });

/** Financial status and when the order was created, changed, paid and (for a cancelled status) cancelled. */
const paymentState = (issues: Issues, o: WooOrder) => {
  const createdAt = readTimestamp(issues, o.date_created_gmt, ['date_created_gmt'], { assumeUtc: true });
  const updatedAt = readTimestamp(issues, o.date_modified_gmt, ['date_modified_gmt'], { assumeUtc: true }) ?? createdAt;
  const paidAt = readTimestamp(issues, o.date_paid_gmt, ['date_paid_gmt'], { assumeUtc: true });
  const status = o.status.trim().toLowerCase();
  let financialStatus = statuses.get(status) ?? 'unknown';
  // WooCommerce keeps a partly refunded order "processing"/"completed" and lists the refunds.
  if (financialStatus === 'paid' && o.refunds.length > 0) financialStatus = 'partially_refunded';
  const cancelledAt = cancelledStatuses.has(status) ? updatedAt : undefined;
  return { createdAt, updatedAt, paidAt, financialStatus, cancelledAt };
};

const metaAttributes = (o: WooOrder): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (const m of o.meta_data) if (typeof m.value === 'string') setAttribute(attributes, m.key, m.value);
  return attributes;
};

/** The refunds the order lists: amounts only, no lines, and no dates of their own. */
const mapRefunds = (issues: Issues, o: WooOrder, currency: string, updatedAt: string | undefined): Refund[] =>
  o.refunds.map((r, i) => ({
    refundId: readId(issues, r.id, ['refunds', i, 'id']),
    // The order lists refunds without dates: the order's last change is the closest we know.
    createdAt: updatedAt ?? '',
    amountMinor: Math.abs(readMoney(issues, r.total, ['refunds', i, 'total'], currency, money)),
    lines: [],
  }));

/** The buyer, from the billing details (the shipping name when billing has none). */
const mapCustomer = (issues: Issues, o: WooOrder): OrderCustomer =>
  compact({
    id: positiveId(issues, o.customer_id, ['customer_id']),
    email: text(o.billing?.email),
    firstName: text(o.billing?.first_name) ?? text(o.shipping?.first_name),
    lastName: text(o.billing?.last_name) ?? text(o.shipping?.last_name),
    phone: text(o.billing?.phone),
  });

/**
 * The order in the shop's currency when its meta says how to convert it (`wooConversion`).
 * A rate that makes an amount too large is a broken plugin value, not a broken order: the
 * order is kept in its own currency (and earns nothing) rather than refused, which would make
 * WooCommerce retry and eventually disable the webhook.
 */
const inShopCurrency = (order: CanonicalOrder, o: WooOrder, currency: string, shopCurrency: string): CanonicalOrder => {
  const conversion = wooConversion(o.meta_data, currency, shopCurrency);
  if (!conversion) return order;
  const converted = convertOrder(order, conversion.to, conversion.rate, conversion.how);
  return converted.ok ? converted.value : order;
};

const mapOrder = (o: WooOrder, shopCurrency: string): DomainResult<CanonicalOrder, ParseError> => {
  const issues = new Issues();
  const currency = text(o.currency) ?? shopCurrency;
  const lines = mapLines(issues, o, currency);
  const payment = paymentState(issues, o);
  const attributes = metaAttributes(o);
  const refunds = mapRefunds(issues, o, currency, payment.updatedAt);

  const order = compact({
    platform: 'woocommerce' as const,
    orderId: readId(issues, o.id, ['id']),
    orderNumber: o.number !== null && o.number !== undefined && String(o.number) !== '' ? String(o.number) : undefined,
    currency,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    financialStatus: payment.financialStatus,
    paidAt: payment.paidAt,
    cancelledAt: payment.cancelledAt,
    test: false,
    customer: mapCustomer(issues, o),
    lines,
    subtotalAfterDiscountsMinor: sumOrIssue(
      issues,
      lines.map((l) => l.netMinor),
      ['line_items'],
    ),
    shippingMinor: readMoney(issues, o.shipping_total, ['shipping_total'], currency, money),
    taxMinor: readMoney(issues, o.total_tax, ['total_tax'], currency, money),
    totalMinor: readMoney(issues, o.total, ['total'], currency, money),
    discountCodes: o.coupon_lines.map((c) => c.code.trim()).filter((code) => code !== ''),
    attributes,
    landingSite: text(attributes[landingMeta]),
    referringSite: text(attributes[referrerMeta]),
    clientIp: text(o.customer_ip_address),
    shippingAddress: address(o.shipping),
    billingAddress: address(o.billing),
    refunds,
  });
  const finished = finishOrder(issues, order);
  return finished.ok ? ok(inShopCurrency(finished.value, o, currency, shopCurrency)) : finished;
};

/** The deprecated Legacy REST API wraps the order: `{"order": {...}}`. */
const isLegacyPayload = (json: unknown): boolean =>
  typeof json === 'object' && json !== null && !Array.isArray(json) && !('id' in json) && 'order' in json;

export interface WooParseOptions {
  /** When the delivery arrived; the time of order.deleted (its payload is just `{id}`). */
  receivedAt: Date;
}

/**
 * Maps one verified WooCommerce delivery. `topic` is the `X-WC-Webhook-Topic` header, already
 * checked by `wooCommerceTopic` (its unsigned ping never gets here: see webhook-delivery); `json`
 * the body decoded with `parseWebhookJson`; `shopCurrency` is used when the order names none,
 * and an order in another currency is converted into it when its meta says how (`wooMeta`).
 * Never throws: bad input is an `invalid_payload` error value.
 */
export const parseWooCommerceWebhook = (
  topic: WooCommerceTopicName,
  json: unknown,
  shopCurrency: string,
  options: WooParseOptions,
): DomainResult<WebhookEvent, ParseError> => {
  switch (topic) {
    case 'order.created':
    case 'order.updated':
    case 'order.restored': {
      if (isLegacyPayload(json)) {
        return invalidPayload([
          {
            path: 'order',
            message:
              'this is a Legacy REST API payload; set the webhook\'s API version to "WP REST API Integration v3"',
          },
        ]);
      }
      const parsed = validate(wooOrderSchema, json);
      if (!parsed.ok) return parsed;
      const order = mapOrder(parsed.value, shopCurrency);
      return order.ok ? ok({ kind: 'order', topic, order: order.value }) : order;
    }
    case 'order.deleted': {
      const parsed = validate(wooOrderDeletedSchema, json);
      if (!parsed.ok) return parsed;
      const issues = new Issues();
      const orderId = readId(issues, parsed.value.id, ['id']);
      if (issues.any) return invalidPayload(issues.list);
      return ok({ kind: 'order_deleted', topic, orderId, at: options.receivedAt.toISOString() });
    }
  }
};

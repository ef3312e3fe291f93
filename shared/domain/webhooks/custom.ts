import type { CanonicalOrder, FinancialStatus, WebhookEvent } from '../../schemas/order';
import {
  customCustomerRedactSchema,
  customDataRequestSchema,
  customEnvelopeSchema,
  customOrderSchema,
  customShopRedactSchema,
  type CustomEnvelope,
  type CustomOrder,
} from '../../schemas/webhooks/custom';
import { formatMinor, multiplyMinor } from '../money/decimal';
import { parseExchangeRate, type ExchangeRate } from '../money/exchange';
import { convertOrder } from './conversion';
import type { DomainResult } from '../result';
import { ok } from '../result';
import {
  compact,
  finishOrder,
  invalidPayload,
  Issues,
  lineMoney,
  readMoney,
  setAttribute,
  toUtcIso,
  zodIssues,
  type ParseError,
  sumOrIssue,
} from './common';

/**
 * Boomerang's custom webhook format (docs/custom-webhook.md) → WebhookEvent. Pure; never throws.
 * Amounts are decimal strings in the order currency and must fit its minor unit exactly.
 */

type Path = (string | number)[];

const idText = (v: string | number): string => (typeof v === 'string' ? v.trim() : String(v));

/** The event id of a custom delivery, for de-duplication, if the envelope has one. */
export const customEventId = (json: unknown): string | undefined => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const id = (json as Record<string, unknown>).id;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
};

/**
 * The rate of `shopMoney`, when the order is in another currency than the one it names. A
 * `shopMoney` in the order's own currency must say 1 (nothing to convert).
 */
const shopMoneyRate = (issues: Issues, o: CustomOrder): { currency: string; rate: ExchangeRate } | undefined => {
  if (!o.shopMoney) return undefined;
  const path = ['data', 'shopMoney', 'exchangeRate'];
  const rate = parseExchangeRate(o.shopMoney.exchangeRate);
  if (!rate.ok) {
    issues.add(path, rate.error);
    return undefined;
  }
  if (o.shopMoney.currency !== o.currency) return { currency: o.shopMoney.currency, rate: rate.value };
  if (rate.value.num !== rate.value.den)
    issues.add(path, `must be 1: shopMoney.currency is the order's own currency (${o.currency})`);
  return undefined;
};

const mapOrder = (env: CustomEnvelope, o: CustomOrder): DomainResult<CanonicalOrder, ParseError> => {
  const issues = new Issues();
  const currency = o.currency;
  const utcAt =
    (path: Path) =>
    (iso: string | undefined): string | undefined => {
      if (iso === undefined) return undefined;
      const value = toUtcIso(iso);
      if (value === undefined) issues.add(path, `"${iso}" is not a valid date-time`);
      return value;
    };
  const utc = (iso: string | undefined, ...path: Path) => utcAt(['data', ...path])(iso);
  const at = utcAt(['createdAt'])(env.createdAt);

  const seen = new Set<string>();
  o.lines.forEach((l, i) => {
    const lineId = idText(l.id);
    if (seen.has(lineId))
      issues.add(
        ['data', 'lines', i, 'id'],
        `line id "${lineId}" appears twice; line ids must be unique within the order`,
      );
    seen.add(lineId);
  });

  const lines = o.lines.map((l, i) => {
    const p = ['data', 'lines', i];
    const unit = readMoney(issues, l.price, [...p, 'price'], currency);
    const discount = readMoney(issues, l.discount, [...p, 'discount'], currency);
    const gross = multiplyMinor(unit, l.quantity);
    if (unit < 0) issues.add([...p, 'price'], 'must not be negative');
    if (discount < 0) issues.add([...p, 'discount'], 'must not be negative');
    if (gross === undefined) issues.add([...p, 'price'], 'price × quantity is too large');
    else if (discount > gross)
      issues.add([...p, 'discount'], `is more than price × quantity (${formatMinor(gross, currency)})`);
    return compact({
      lineId: idText(l.id),
      productId: l.productId === undefined ? undefined : idText(l.productId),
      variantId: l.variantId === undefined ? undefined : idText(l.variantId),
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      ...lineMoney(gross ?? 0, discount),
    });
  });
  const subtotal = sumOrIssue(
    issues,
    lines.map((l) => l.netMinor),
    ['data', 'lines'],
  );
  if (o.subtotal !== undefined) {
    const stated = readMoney(issues, o.subtotal, ['data', 'subtotal'], currency);
    if (!issues.any && stated !== subtotal) {
      issues.add(
        ['data', 'subtotal'],
        `is ${formatMinor(stated, currency)} but the lines add up to ${formatMinor(subtotal, currency)} (Σ price × quantity − discount)`,
      );
    }
  }

  const refunds = (o.refunds ?? []).map((r, i) => {
    const p = ['data', 'refunds', i];
    const amountMinor = readMoney(issues, r.amount, [...p, 'amount'], currency);
    if (amountMinor < 0)
      issues.add([...p, 'amount'], 'must not be negative (a refund amount is what went back to the customer)');
    return compact({
      refundId: idText(r.id),
      createdAt: utc(r.createdAt, 'refunds', i, 'createdAt'),
      amountMinor,
      itemsNetMinor: r.itemsNet === undefined ? undefined : readMoney(issues, r.itemsNet, [...p, 'itemsNet'], currency),
      lines: (r.lines ?? []).map((rl, j) => ({
        lineId: idText(rl.lineId),
        quantity: rl.quantity,
        netMinor: readMoney(issues, rl.amount, [...p, 'lines', j, 'amount'], currency),
      })),
    });
  });
  const totalMinor = readMoney(issues, o.total, ['data', 'total'], currency);
  const refundedMinor = sumOrIssue(
    issues,
    refunds.map((r) => r.amountMinor),
    ['data', 'refunds'],
  );

  if (env.type === 'order.refunded' && refunds.length === 0)
    issues.add(['data', 'refunds'], 'order.refunded needs at least one refund');

  const defaults: Record<string, FinancialStatus> = {
    'order.created': 'pending',
    'order.updated': 'pending',
    'order.paid': 'paid',
    'order.cancelled': 'voided',
    'order.refunded': refundedMinor >= totalMinor ? 'refunded' : 'partially_refunded',
  };
  const financialStatus = o.financialStatus ?? defaults[env.type] ?? 'unknown';

  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.attributes ?? {})) setAttribute(attributes, k, v);
  if (o.referralCode !== undefined) attributes.referral_code = o.referralCode;

  const order = compact({
    platform: 'custom' as const,
    orderId: idText(o.id),
    orderNumber: o.number === undefined ? undefined : String(o.number),
    currency,
    createdAt: utc(o.createdAt, 'createdAt') ?? at,
    updatedAt: utc(o.updatedAt, 'updatedAt') ?? at,
    financialStatus,
    paidAt: utc(o.paidAt, 'paidAt') ?? (env.type === 'order.paid' ? at : undefined),
    cancelledAt: utc(o.cancelledAt, 'cancelledAt') ?? (env.type === 'order.cancelled' ? at : undefined),
    test: o.test ?? false,
    customer: compact({
      id: o.customer?.id === undefined ? undefined : idText(o.customer.id),
      email: o.customer?.email,
      firstName: o.customer?.firstName,
      lastName: o.customer?.lastName,
      phone: o.customer?.phone,
      acceptsMarketing: o.customer?.acceptsMarketing,
      locale: o.customer?.locale,
    }),
    lines,
    subtotalAfterDiscountsMinor: subtotal,
    shippingMinor: readMoney(issues, o.shipping, ['data', 'shipping'], currency),
    taxMinor: readMoney(issues, o.tax, ['data', 'tax'], currency),
    totalMinor,
    discountCodes: o.discountCodes ?? [],
    attributes,
    landingSite: o.landingSite,
    referringSite: o.referringSite,
    clientIp: o.clientIp,
    shippingAddress: o.shippingAddress
      ? compact({ ...o.shippingAddress, countryCode: o.shippingAddress.countryCode?.toUpperCase() })
      : undefined,
    billingAddress: o.billingAddress
      ? compact({ ...o.billingAddress, countryCode: o.billingAddress.countryCode?.toUpperCase() })
      : undefined,
    paymentFingerprint: o.paymentFingerprint,
    refunds,
  });
  const shopMoney = shopMoneyRate(issues, o);
  const finished = finishOrder(issues, order);
  if (!finished.ok || !shopMoney) return finished;
  // Amounts were checked in the order's own currency; the earning rules see the shop's.
  const converted = convertOrder(finished.value, shopMoney.currency, shopMoney.rate, {
    source: 'custom',
    rate: shopMoney.rate.text,
  });
  return converted.ok
    ? ok(converted.value)
    : invalidPayload(converted.issues.map((i) => ({ ...i, path: 'data.shopMoney.exchangeRate' })));
};

const dataOf = <T>(
  parsed: { success: true; data: T } | { success: false; error: Parameters<typeof zodIssues>[0] },
): DomainResult<T, ParseError> =>
  parsed.success ? ok(parsed.data) : invalidPayload(zodIssues(parsed.error, ['data']));

/**
 * Maps one verified delivery in Boomerang's custom format. `json` is the body decoded with
 * `parseWebhookJson`. Bad input is an `invalid_payload` error value listing every problem.
 */
export const parseCustomWebhook = (json: unknown): DomainResult<WebhookEvent, ParseError> => {
  const env = customEnvelopeSchema.safeParse(json);
  if (!env.success) return invalidPayload(zodIssues(env.error));
  const e = env.data;
  const topic = e.type;
  switch (e.type) {
    case 'order.created':
    case 'order.updated':
    case 'order.paid':
    case 'order.cancelled':
    case 'order.refunded': {
      const data = dataOf(customOrderSchema.safeParse(e.data));
      if (!data.ok) return data;
      const order = mapOrder(e, data.value);
      return order.ok ? ok({ kind: 'order', topic, order: order.value }) : order;
    }
    case 'customer.redact': {
      const data = dataOf(customCustomerRedactSchema.safeParse(e.data));
      if (!data.ok) return data;
      const d = data.value;
      return ok(
        compact({
          kind: 'customer_redact' as const,
          topic,
          platformCustomerId: d.customerId === undefined ? undefined : idText(d.customerId),
          email: d.email,
          orderIds: (d.orderIds ?? []).map(idText),
        }),
      );
    }
    case 'customer.data_request': {
      const data = dataOf(customDataRequestSchema.safeParse(e.data));
      if (!data.ok) return data;
      const d = data.value;
      return ok(
        compact({
          kind: 'customer_data_request' as const,
          topic,
          requestId: d.requestId === undefined ? e.id : idText(d.requestId),
          platformCustomerId: d.customerId === undefined ? undefined : idText(d.customerId),
          email: d.email,
          orderIds: (d.orderIds ?? []).map(idText),
        }),
      );
    }
    case 'shop.redact': {
      const data = dataOf(customShopRedactSchema.safeParse(e.data ?? {}));
      if (!data.ok) return data;
      return ok({ kind: 'shop_redact', topic });
    }
    case 'ping':
      return ok({ kind: 'ping', topic });
  }
};

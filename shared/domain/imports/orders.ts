import type { OrderFormat } from '../../schemas/imports';
import type { CanonicalOrder, FinancialStatus, OrderEvent } from '../../schemas/order';
import { financialStatusSchema } from '../../schemas/order';
import { toMinorUnits } from '../money/decimal';
import { finishOrder, Issues, lineMoney, toUtcIso, type ParseError } from '../webhooks/common';
import { parseCustomWebhook } from '../webhooks/custom';
import { parseWooCommerceWebhook } from '../webhooks/woocommerce';
import type { RowError } from './job';
import { columnOf, csvRecords, jsonLines, type CsvRecord } from './records';

/** One historical order of an import file, with the lines it spans. */
export interface OrderRow {
  line: number;
  lastLine: number;
  event: Extract<OrderEvent, { kind: 'order' }>;
}

const issuesText = (e: ParseError): string =>
  e.issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ') + (e.issues.length > 5 ? ` (and ${e.issues.length - 5} more)` : '');

const jsonOf = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** Parses an order history file into orders (in file order) and an error per record that is not one. */
export const parseOrders = (
  text: string,
  format: OrderFormat,
  ctx: { shopCurrency: string; receivedAt: Date },
): { rows: OrderRow[]; errors: RowError[] } =>
  format === 'shopify-csv' ? parseShopifyCsv(text, ctx.shopCurrency) : parseJsonl(text, format, ctx);

const parseJsonl = (
  text: string,
  format: Exclude<OrderFormat, 'shopify-csv'>,
  ctx: { shopCurrency: string; receivedAt: Date },
): { rows: OrderRow[]; errors: RowError[] } => {
  const rows: OrderRow[] = [];
  const errors: RowError[] = [];
  for (const { line, text: t } of jsonLines(text)) {
    const json = jsonOf(t);
    if (!json.ok) {
      errors.push({ line, message: 'not valid JSON' });
      continue;
    }
    const parsed =
      format === 'custom-jsonl'
        ? parseCustomWebhook(json.value)
        : parseWooCommerceWebhook('order.updated', json.value, ctx.shopCurrency, { receivedAt: ctx.receivedAt });
    if (!parsed.ok) errors.push({ line, message: issuesText(parsed.error) });
    else if (parsed.value.kind !== 'order')
      errors.push({ line, message: `a ${parsed.value.topic} event is not an order (only order events import)` });
    else rows.push({ line, lastLine: line, event: parsed.value });
  }
  return { rows, errors };
};

/**
 * Shopify's orders export ("Export orders", CSV): one row per line item, the order's own columns
 * filled on its first row only, rows of one order together, keyed by `Name` (#1001). Columns
 * read: Id, Name, Email, Financial Status, Paid at, Accepts Marketing, Currency, Subtotal,
 * Shipping, Taxes, Total, Discount Code, Created at, Cancelled at, Refunded Amount,
 * Lineitem quantity/name/price/sku/discount, Billing Name, Phone. Times are
 * `2024-01-15 10:23:45 +0100`.
 */
const shopifyColumns = {
  id: ['id'],
  name: ['name'],
  email: ['email'],
  financialStatus: ['financial_status'],
  paidAt: ['paid_at'],
  acceptsMarketing: ['accepts_marketing'],
  currency: ['currency'],
  subtotal: ['subtotal'],
  shipping: ['shipping'],
  taxes: ['taxes'],
  total: ['total'],
  discountCode: ['discount_code'],
  createdAt: ['created_at'],
  cancelledAt: ['cancelled_at'],
  refunded: ['refunded_amount'],
  qty: ['lineitem_quantity'],
  title: ['lineitem_name'],
  price: ['lineitem_price'],
  sku: ['lineitem_sku'],
  lineDiscount: ['lineitem_discount'],
  billingName: ['billing_name'],
  phone: ['phone', 'billing_phone'],
} as const;
type ShopifyColumn = keyof typeof shopifyColumns;

const shopifyTime = (v: string): string | undefined =>
  v === '' ? undefined : toUtcIso(v.replace(/^(\S+) (\S+) ([+-]\d{2}):?(\d{2})$/, '$1T$2$3:$4'));

const parseShopifyCsv = (text: string, shopCurrency: string): { rows: OrderRow[]; errors: RowError[] } => {
  const { records, problems } = csvRecords(text);
  const errors: RowError[] = problems.map((p) => ({ line: p.line, message: p.message }));
  const rows: OrderRow[] = [];
  if (!records.length) return { rows, errors: [...errors, { line: 1, message: 'the file has no rows' }] };
  const header = records[0]!.fields;
  const at = Object.fromEntries(
    Object.entries(shopifyColumns).map(([k, aliases]) => [k, columnOf(header, aliases)]),
  ) as Record<ShopifyColumn, number>;
  const required: ShopifyColumn[] = ['name', 'createdAt', 'total', 'qty', 'price'];
  const missing = required.filter((k) => at[k] < 0);
  if (missing.length) {
    errors.push({
      line: records[0]!.line,
      message: `not a Shopify orders export: no ${missing.map((k) => shopifyColumns[k][0]).join(', ')} column`,
    });
    return { rows, errors };
  }
  // Rows of one order are adjacent in the export; a name seen again later is a new group all the same.
  const groups: CsvRecord[][] = [];
  for (const r of records.slice(1)) {
    const name = (r.fields[at.name] ?? '').trim();
    const last = groups.at(-1);
    if (last && (last[0]!.fields[at.name] ?? '').trim() === name) last.push(r);
    else groups.push([r]);
  }
  for (const g of groups) {
    const order = shopifyOrder(g, at, shopCurrency);
    if (order.ok) rows.push({ line: g[0]!.line, lastLine: g.at(-1)!.lastLine, event: order.value });
    else errors.push({ line: g[0]!.line, message: order.message });
  }
  return { rows, errors };
};

const shopifyOrder = (
  group: CsvRecord[],
  at: Record<ShopifyColumn, number>,
  shopCurrency: string,
): { ok: true; value: OrderRow['event'] } | { ok: false; message: string } => {
  const cell = (r: CsvRecord, k: ShopifyColumn) => (at[k] >= 0 ? (r.fields[at[k]] ?? '').trim() : '');
  // The order's own columns are filled on its first row; later rows only carry line items.
  const first = (k: ShopifyColumn) => group.map((r) => cell(r, k)).find((v) => v !== '') ?? '';
  const problems: string[] = [];
  const name = first('name');
  if (!name) return { ok: false, message: 'Name is empty' };
  const currency = (first('currency') || shopCurrency).toUpperCase();
  const money = (v: string, what: string): number => {
    if (v === '') return 0;
    const m = toMinorUnits(v, currency);
    if (!m.ok) {
      problems.push(`${what}: ${m.error.message}`);
      return 0;
    }
    return m.value;
  };
  const time = (k: ShopifyColumn, what: string) => {
    const v = first(k);
    const iso = shopifyTime(v);
    if (v !== '' && !iso) problems.push(`${what} "${v}" is not a date-time like 2024-01-15 10:23:45 +0100`);
    return iso;
  };
  const createdAt = time('createdAt', 'Created at');
  if (!createdAt) problems.push('Created at is empty');
  const lines = group.map((r, i) => {
    const qtyText = cell(r, 'qty');
    const quantity = /^\d+$/.test(qtyText) ? Number(qtyText) : NaN;
    if (Number.isNaN(quantity)) problems.push(`line ${r.line}: Lineitem quantity "${qtyText}" is not a whole number`);
    const unit = money(cell(r, 'price'), `line ${r.line}: Lineitem price`);
    const discount = money(cell(r, 'lineDiscount'), `line ${r.line}: Lineitem discount`);
    const sku = cell(r, 'sku');
    const title = cell(r, 'title');
    return {
      lineId: `${name}:${i + 1}`,
      ...(sku ? { sku } : {}),
      ...(title ? { title } : {}),
      quantity: Number.isNaN(quantity) ? 0 : quantity,
      ...lineMoney(unit * (Number.isNaN(quantity) ? 0 : quantity), discount),
    };
  });
  const subtotal = money(first('subtotal'), 'Subtotal');
  // Order-level discounts are in Subtotal but not on the lines: spread them over the lines so
  // the lines add up to it (the earning basis is Σ line net).
  const linesNet = lines.reduce((s, l) => s + l.netMinor, 0);
  if (first('subtotal') !== '' && subtotal < linesNet && linesNet > 0) {
    let left = linesNet - subtotal;
    lines.forEach((l, i) => {
      const share = i === lines.length - 1 ? left : Math.floor(((linesNet - subtotal) * l.netMinor) / linesNet);
      const off = Math.min(share, l.netMinor, left);
      left -= off;
      Object.assign(l, lineMoney(l.grossMinor, l.discountMinor + off));
    });
  }
  const total = money(first('total'), 'Total');
  const refunded = money(first('refunded'), 'Refunded Amount');
  const status = financialStatusSchema.safeParse(first('financialStatus').toLowerCase().replace(/\s+/g, '_'));
  const financialStatus: FinancialStatus = status.success ? status.data : 'unknown';
  const paidAt = time('paidAt', 'Paid at');
  const cancelledAt = time('cancelledAt', 'Cancelled at');
  if (problems.length) return { ok: false, message: problems.slice(0, 5).join('; ') };
  const email = first('email');
  const [firstName, ...rest] = first('billingName').split(/\s+/).filter(Boolean);
  const discountCode = first('discountCode');
  const order: Partial<CanonicalOrder> = {
    platform: 'shopify',
    orderId: first('id') || name,
    orderNumber: name,
    currency,
    createdAt: createdAt!,
    updatedAt: cancelledAt ?? paidAt ?? createdAt!,
    financialStatus,
    ...(paidAt ? { paidAt } : {}),
    ...(cancelledAt ? { cancelledAt } : {}),
    test: false,
    customer: {
      ...(email ? { email } : {}),
      ...(firstName ? { firstName } : {}),
      ...(rest.length ? { lastName: rest.join(' ') } : {}),
      ...(first('phone') ? { phone: first('phone') } : {}),
      ...(first('acceptsMarketing') ? { acceptsMarketing: first('acceptsMarketing').toLowerCase() === 'yes' } : {}),
    },
    lines,
    subtotalAfterDiscountsMinor: lines.reduce((s, l) => s + l.netMinor, 0),
    shippingMinor: money(first('shipping'), 'Shipping'),
    taxMinor: money(first('taxes'), 'Taxes'),
    totalMinor: total,
    discountCodes: discountCode ? [discountCode] : [],
    refunds:
      refunded > 0
        ? [
            {
              refundId: `${name}:refund`,
              createdAt: cancelledAt ?? paidAt ?? createdAt!,
              amountMinor: refunded,
              lines: [],
            },
          ]
        : [],
  };
  const finished = finishOrder(new Issues(), order);
  if (!finished.ok) return { ok: false, message: issuesText(finished.error) };
  return { ok: true, value: { kind: 'order', topic: 'import', order: finished.value } };
};

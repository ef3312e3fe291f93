import type { CanonicalOrder, Conversion } from '../../schemas/order';
import { convertMinor, type ExchangeRate } from '../money/exchange';
import { compact, type ParseIssue } from './common';

/**
 * Converts a parsed order from the currency the buyer paid in into the shop's currency at an
 * exact rate: every amount on its own, rounded down to the shop currency's minor unit (a
 * line's discount is what remains between its converted gross and net, so it never goes
 * negative). The order then carries `conversion`, saying what it was converted from and how.
 *
 * Parsers read the amounts in the order's own currency first (its minor unit is checked
 * there), then call this; the earning rules only ever see the converted order.
 */
export const convertOrder = (
  order: CanonicalOrder,
  to: string,
  rate: ExchangeRate,
  /** What to record: the source, and the rate as it wrote it (`rate` or `inverseRate`). */
  how: Omit<Conversion, 'fromCurrency'>,
): { ok: true; value: CanonicalOrder } | { ok: false; issues: ParseIssue[] } => {
  const from = order.currency;
  let overflow = false;
  const conv = (minor: number): number => {
    const v = convertMinor(minor, from, to, rate);
    if (v === undefined) overflow = true;
    return v ?? 0;
  };
  const lines = order.lines.map((l) => {
    const grossMinor = conv(l.grossMinor);
    const netMinor = conv(l.netMinor);
    return { ...l, grossMinor, discountMinor: grossMinor - netMinor, netMinor };
  });
  const value: CanonicalOrder = {
    ...order,
    currency: to,
    conversion: compact({ fromCurrency: from, ...how }),
    lines,
    subtotalAfterDiscountsMinor: lines.reduce((s, l) => s + l.netMinor, 0),
    shippingMinor: conv(order.shippingMinor),
    taxMinor: conv(order.taxMinor),
    totalMinor: conv(order.totalMinor),
    refunds: order.refunds.map((r) =>
      compact({
        ...r,
        amountMinor: conv(r.amountMinor),
        itemsNetMinor: r.itemsNetMinor === undefined ? undefined : conv(r.itemsNetMinor),
        lines: r.lines.map((rl) => ({ ...rl, netMinor: conv(rl.netMinor) })),
      }),
    ),
  };
  if (overflow || !Number.isSafeInteger(value.subtotalAfterDiscountsMinor)) {
    return {
      ok: false,
      issues: [{ path: '', message: `converted into ${to} at ${rate.text}, an amount is too large to hold exactly` }],
    };
  }
  return { ok: true, value };
};

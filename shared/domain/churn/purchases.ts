/**
 * Which stored orders are purchases for the churn models, as of a day, and what each was worth.
 *
 * An order counts when all of these hold:
 * - it belongs to a customer and is not a test order;
 * - it qualified for the loyalty program (`earn` is set: paid, or created when the shop earns
 *   on creation) — an unpaid order is not a purchase;
 * - it was created (the platform's `createdAt`) no later than the end of `asOf` (UTC);
 * - it is not cancelled, voided or refunded in full;
 * - its amounts are in the shop's currency: an order that earns nothing for its currency
 *   (`earnBlocked`) has no value at the shop's scale, so it is not a purchase either (and an
 *   order stored before that check, in another currency than `shopCurrency`, neither).
 *
 * Cancellation and refunds are read from the order record's current state, not replayed as of
 * the day: a run for a past day sees today's cancellations and refunds, also those that
 * happened after that day (the record keeps when facts arrived, but the models gain nothing
 * from counting an order that was later taken back).
 *
 * Value = the items after discounts (no shipping, no tax) less the item value refunded, in
 * minor units; refunds that name no item value count in proportion to the order total.
 */
import { proportion } from '../ledger/earning';
import type { OrderRecord } from '../ledger/order-record';

export interface CountedOrder {
  cid: string;
  orderId: string;
  /** The order's creation time (ISO, UTC). */
  at: string;
  revenueMinor: number;
  productIds: string[];
  /** The order made a referral (its buyer was referred by another customer). */
  referred: boolean;
}

/** First instant after the calendar day `asOf` (UTC), as epoch milliseconds. */
export const endOfDayMs = (asOf: string): number => {
  const ms = Date.parse(`${asOf}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(ms)) throw new RangeError(`Not an ISO date: ${asOf}`);
  return ms + 86_400_000;
};

const refundedItemsMinor = (o: OrderRecord, itemsMinor: number): number => {
  let refunded = 0;
  for (const r of Object.values(o.refunds)) {
    if (r.itemsNetMinor !== undefined) refunded += r.itemsNetMinor;
    else if (r.lines?.length) refunded += r.lines.reduce((s, l) => s + l.netMinor, 0);
    else refunded += proportion(itemsMinor, r.amountMinor, o.state?.totalMinor ?? 0);
  }
  return refunded;
};

/** The order as a purchase as of `asOf`, or null when it does not count (see above). */
export const countedOrder = (o: OrderRecord, asOf: string, shopCurrency?: string): CountedOrder | null => {
  const s = o.state;
  if (!o.cid || !s || s.test || !o.earn || o.earnBlocked || o.cancelledAt) return null;
  if (shopCurrency !== undefined && s.currency !== shopCurrency) return null;
  if (s.financialStatus === 'refunded' || s.financialStatus === 'voided') return null;
  const created = Date.parse(s.createdAt);
  if (!(created < endOfDayMs(asOf))) return null;
  const itemsMinor = s.lines.reduce((sum, l) => sum + l.netMinor, 0);
  const revenueMinor = Math.max(0, itemsMinor - refundedItemsMinor(o, itemsMinor));
  // Refunds that add up to everything bought are a full refund, whatever the status says.
  if (revenueMinor === 0 && itemsMinor > 0) return null;
  return {
    cid: o.cid,
    orderId: o.orderId,
    at: new Date(created).toISOString(),
    revenueMinor,
    productIds: [...new Set(s.lines.map((l) => l.productId).filter((p): p is string => p !== undefined))],
    referred: o.referral !== undefined,
  };
};

import type { SummaryOrder } from './customer-summary';

const dayMs = 86_400_000;

export interface PurchaseRhythm {
  /** Orders that stand (not cancelled or fully refunded), as the churn model counts them. */
  orders: number;
  lastOrderAt: string | null;
  daysSinceLastOrder: number | null;
  /** Mean days between consecutive orders; null below two orders. */
  usualIntervalDays: number | null;
}

/**
 * Why a churn risk is what it is, in the numbers a support agent can weigh: how long since the
 * last order against how often this customer usually orders.
 */
export const purchaseRhythm = (orders: readonly Pick<SummaryOrder, 'at'>[], now: string): PurchaseRhythm => {
  const times = orders.map((o) => Date.parse(o.at)).sort((a, b) => a - b);
  const first = times[0];
  const last = times.at(-1);
  if (first === undefined || last === undefined) {
    return { orders: 0, lastOrderAt: null, daysSinceLastOrder: null, usualIntervalDays: null };
  }
  return {
    orders: times.length,
    lastOrderAt: new Date(last).toISOString(),
    daysSinceLastOrder: Math.max(0, Math.floor((Date.parse(now) - last) / dayMs)),
    usualIntervalDays: times.length > 1 ? Math.round((last - first) / dayMs / (times.length - 1)) : null,
  };
};

import type { TiersConfig } from '../../schemas/program';
import { toMs } from '../calendar';
import type { TierStats } from './types';

/**
 * What tiers qualify on, kept per UTC month on the customer item: [spend in minor units,
 * points earned, orders]. Months rather than orders keep the item small and bounded however
 * much a customer buys, at the price of month-granular windows (see `windowTotals`).
 */
export type TierDelta = [spendMinor: number, points: number, orders: number];

export interface TierTotals {
  spendMinor: number;
  points: number;
  orders: number;
}

/**
 * Months kept behind the newest one: more than any window needs (the longest rolling window,
 * 36 months, looks 35 back; a calendar-year program at most 23).
 */
export const keptMonths = 37;

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC month "yyyy-mm" of an instant. */
export const monthOf = (iso: string): string => {
  const d = new Date(toMs(iso));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** Months since year 0, so that month distances are plain subtraction. */
export const monthIndex = (month: string): number => {
  const m = monthPattern.exec(month);
  if (!m) throw new RangeError(`"${month}" is not a month (yyyy-mm)`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
};

/** Adds a delta to one month and prunes months older than 37 months before the newest month. */
export const addTierStats = (stats: TierStats | undefined, month: string, delta: TierDelta): TierStats | undefined => {
  monthIndex(month); // validates before anything is stored under the key
  const next: TierStats = { ...stats };
  const [s, p, o] = next[month] ?? [0, 0, 0];
  const sum: TierDelta = [s + delta[0], p + delta[1], o + delta[2]];
  // An order fully refunded in its own month leaves nothing worth storing.
  if (sum.every((x) => x === 0)) delete next[month];
  else next[month] = sum;
  const months = Object.keys(next);
  if (months.length === 0) return undefined;
  const newest = Math.max(...months.map(monthIndex));
  for (const m of months) if (newest - monthIndex(m) > keptMonths) delete next[m];
  return Object.keys(next).length ? next : undefined;
};

/** Sums months with index in [first, last], each total clamped at 0. */
export const totalsBetween = (stats: TierStats | undefined, first: number, last: number): TierTotals => {
  let spendMinor = 0;
  let points = 0;
  let orders = 0;
  for (const [month, [s, p, o]] of Object.entries(stats ?? {})) {
    const i = monthIndex(month);
    if (i < first || i > last) continue;
    spendMinor += s;
    points += p;
    orders += o;
  }
  // A refund booked in a later month than its order can outlive the order in the window.
  return { spendMinor: Math.max(0, spendMinor), points: Math.max(0, points), orders: Math.max(0, orders) };
};

/**
 * Totals over the window as of `now`. Rolling over N months means N calendar months: the
 * current one and the N − 1 before it (an order counts for between N − 1 and N months,
 * depending on the day it was placed). Counting N + 1 months instead would let one order
 * renew the tier it bought at its review, N months later, and so hold it for two periods.
 * calendar_year means the months of now's UTC year.
 */
export const windowTotals = (stats: TierStats | undefined, tiers: TiersConfig, now: string): TierTotals => {
  const current = monthIndex(monthOf(now));
  if (tiers.window === 'rolling') return totalsBetween(stats, current - tiers.windowMonths + 1, current);
  const january = current - (current % 12);
  return totalsBetween(stats, january, january + 11);
};

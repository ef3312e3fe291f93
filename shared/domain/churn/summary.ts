/**
 * A customer's purchase history reduced to what the churn models read: frequency, recency and
 * age (x, t_x, T of the BG/NBD model) and the average repeat-purchase value (the Gamma-Gamma
 * model's input), as of a given day.
 *
 * Conventions (the ones of Fader, Hardie & Lee and of the CDNOW benchmark data, so that the
 * summary of CDNOW_sample.txt reproduces cdnow_customers_summary.csv exactly — see the test):
 * - Time is counted in whole calendar days. Purchases on the same day are one purchase: the
 *   models count purchase occasions, and several orders in a day are one visit (split
 *   shipments, a forgotten item). Which calendar (shop time zone) defines a day is the
 *   caller's choice; `dayNumber` reads an ISO date.
 * - Purchases after `asOfDay` are ignored; a purchase on `asOfDay` counts.
 * - frequency x = number of distinct purchase days − 1 (repeat purchases; the first is not one).
 * - recency t_x = last purchase day − first purchase day; age T = asOfDay − first purchase day.
 *   Both in `timeUnit` (weeks = days / 7, not rounded).
 * - Values are integer minor units (cents). A day's value is the sum of its purchases. The
 *   average repeat value excludes the first purchase day, as the Gamma-Gamma model requires
 *   (the first purchase is often atypical: promotions, starter kits).
 */

export type TimeUnit = 'days' | 'weeks';

/** Days per model time unit. */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7 };

export interface Purchase {
  /** Calendar day as days since 1970-01-01 (see `dayNumber`). */
  day: number;
  /** Order value in integer minor units, ≥ 0 (refunds are netted upstream). */
  amountMinor: number;
}

export interface PurchaseSummary {
  /** x: repeat purchase days. */
  frequency: number;
  /** t_x: time from the first to the last purchase day, in `timeUnit`. */
  recency: number;
  /** T: time from the first purchase day to `asOfDay`, in `timeUnit`. */
  age: number;
  timeUnit: TimeUnit;
  firstPurchaseDay: number;
  lastPurchaseDay: number;
  /** Whole days from the last purchase day to `asOfDay` (RFM recency). */
  daysSinceLastPurchase: number;
  /** Distinct purchase days, x + 1. */
  purchaseDays: number;
  /** Value of all purchase days up to `asOfDay`, minor units. */
  totalValueMinor: number;
  /** Value of the repeat purchase days (all but the first), minor units. */
  repeatValueMinor: number;
  /** repeatValueMinor / frequency, unrounded (a model input); null without repeat purchases. */
  averageRepeatValueMinor: number | null;
  /** totalValueMinor / purchaseDays, unrounded (RFM monetary). */
  averageValueMinor: number;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO calendar date `YYYY-MM-DD` (proleptic Gregorian, no time zone). */
export const dayNumber = (isoDate: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${isoDate}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${isoDate}`);
  }
  return ms / MS_PER_DAY;
};

const checkPurchase = (p: Purchase): void => {
  if (!Number.isSafeInteger(p.day)) throw new RangeError(`Purchase day must be an integer day number, got ${p.day}`);
  if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor < 0) {
    throw new RangeError(`Purchase amount must be a non-negative integer of minor units, got ${p.amountMinor}`);
  }
};

/**
 * The summary of one customer's purchases as of `asOfDay`, or null if none was made on or before
 * that day (not yet a customer). The input may be in any order and is not modified.
 */
export const summarizePurchases = (
  purchases: readonly Purchase[],
  asOfDay: number,
  timeUnit: TimeUnit = 'days',
): PurchaseSummary | null => {
  if (!Number.isSafeInteger(asOfDay)) throw new RangeError(`asOfDay must be an integer day number, got ${asOfDay}`);
  // Same-day purchases merged; a Map keeps this linear for the usual short histories.
  const byDay = new Map<number, number>();
  for (const p of purchases) {
    checkPurchase(p);
    if (p.day > asOfDay) continue;
    byDay.set(p.day, (byDay.get(p.day) ?? 0) + p.amountMinor);
  }
  if (byDay.size === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  let total = 0;
  for (const [day, value] of byDay) {
    first = Math.min(first, day);
    last = Math.max(last, day);
    total += value;
  }
  const frequency = byDay.size - 1;
  const repeatValueMinor = total - byDay.get(first)!;
  const perUnit = DAYS_PER_UNIT[timeUnit];
  return {
    frequency,
    recency: (last - first) / perUnit,
    age: (asOfDay - first) / perUnit,
    timeUnit,
    firstPurchaseDay: first,
    lastPurchaseDay: last,
    daysSinceLastPurchase: asOfDay - last,
    purchaseDays: byDay.size,
    totalValueMinor: total,
    repeatValueMinor,
    averageRepeatValueMinor: frequency > 0 ? repeatValueMinor / frequency : null,
    averageValueMinor: total / byDay.size,
  };
};

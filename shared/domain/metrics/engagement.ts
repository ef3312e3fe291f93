/**
 * Engagement: non-purchase activity (reviews, follows, newsletter sign-ups, survey answers,
 * custom actions), from a customer's `engagedDays` (days in the shop's time zone with an
 * activity, newest last, written by the ways to earn). Pure; days are `YYYY-MM-DD`.
 *
 * The window is the `ENGAGEMENT_WINDOW_DAYS` days up to and including the as-of day. Days after
 * the as-of day are ignored, so a replay of an earlier night sees what that night saw.
 *
 * Engagement score, 0–100, from the window's n distinct activity days and r, the days from the
 * newest of them to the as-of day (0–89):
 *
 *   score = round( 50 × (90 − r) / 90  +  50 × min(n, 10) / 10 )  =  round( (5 × (90 − r) + 45 × min(n, 10)) / 9 )
 *
 * half recency, half frequency: an activity today gives 50 + 5 = 55, ten activity days with the
 * newest today 100, one activity 89 days ago 6 (5.56 rounded half up). No activity in the window
 * gives 0. Frequency saturates at 10 days: the customer record keeps at most 30, and ten active
 * days in a quarter is already a very engaged customer.
 */
import { dayNumber } from '../churn/summary';

export const ENGAGEMENT_WINDOW_DAYS = 90;
/** Activity days in the window from which the frequency half is full. */
export const ENGAGEMENT_FULL_DAYS = 10;

export interface EngagementInWindow {
  /** Distinct activity days in the window. */
  days: number;
  /** Days from the newest activity in the window to the as-of day; undefined without one. */
  daysSinceActivity?: number;
}

/** A malformed stored day counts as no activity rather than failing a whole night. */
const dayOrUndefined = (d: string): number | undefined => {
  try {
    return dayNumber(d);
  } catch {
    return undefined;
  }
};

/** The activity days of `engagedDays` that fall in the window ending on `asOf`. */
export const engagementInWindow = (engagedDays: readonly string[] | undefined, asOf: string): EngagementInWindow => {
  const end = dayNumber(asOf);
  const seen = new Set<number>();
  for (const d of engagedDays ?? []) {
    const n = dayOrUndefined(d);
    if (n === undefined) continue;
    if (n <= end && end - n < ENGAGEMENT_WINDOW_DAYS) seen.add(n);
  }
  if (seen.size === 0) return { days: 0 };
  return { days: seen.size, daysSinceActivity: end - Math.max(...seen) };
};

/** The customer's engagement score as of the day, 0–100 (definition above). */
export const engagementScore = (engagedDays: readonly string[] | undefined, asOf: string): number => {
  const { days, daysSinceActivity } = engagementInWindow(engagedDays, asOf);
  if (daysSinceActivity === undefined) return 0;
  const num = 5 * (ENGAGEMENT_WINDOW_DAYS - daysSinceActivity) + 45 * Math.min(days, ENGAGEMENT_FULL_DAYS);
  // Half up in integers: ⌊(2·num + 9) / 18⌋.
  return Math.floor((2 * num + 9) / 18);
};

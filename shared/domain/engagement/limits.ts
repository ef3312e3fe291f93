import type { ActivityLimit } from '../../schemas/program';
import { localDay } from '../calendar';

/**
 * A way to earn awards at most once per limit period. A period is named by a key that sorts in
 * time order (`once`, `2026`, `2026-12`, `2026-12-05`), counted in the shop's time zone from when
 * the activity happened, not when it was reported, so a late or retried delivery lands in its
 * own period. `unlimited` has no period.
 */
export const periodKey = (limit: ActivityLimit, occurredAt: string, timeZone: string): string | undefined => {
  if (limit === 'unlimited') return undefined;
  if (limit === 'once') return 'once';
  const day = localDay(occurredAt, timeZone);
  return limit === 'day' ? day : limit === 'month' ? day.slice(0, 7) : day.slice(0, 4);
};

/** Awarded periods kept per type: enough for a late delivery of the recent past. */
export const keptPeriods = 24;

export type LimitDecision = { award: true; awarded: string[] | undefined } | { award: false };

/**
 * Whether an activity in period `key` may still award, and the periods kept afterwards. A period
 * older than every kept one may have been awarded and forgotten, so it is refused: the limit
 * errs towards never paying twice.
 */
export const decideLimit = (awarded: readonly string[] | undefined, key: string | undefined): LimitDecision => {
  if (key === undefined) return { award: true, awarded: awarded && [...awarded] };
  const kept = awarded ?? [];
  if (kept.includes(key)) return { award: false };
  if (kept.length >= keptPeriods && key < kept[0]!) return { award: false };
  return { award: true, awarded: [...kept, key].sort().slice(-keptPeriods) };
};

/** Engagement days kept on the customer (the nightly engagement score looks 90 days back). */
export const keptEngagedDays = 30;

/** The customer's engaged days with `day` added: sorted, unique, the newest `keptEngagedDays`. */
export const withEngagedDay = (days: readonly string[] | undefined, day: string): string[] =>
  [...new Set([...(days ?? []), day])].sort().slice(-keptEngagedDays);

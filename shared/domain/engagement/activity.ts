/**
 * An activity: something a customer did besides buying (a review, a follow, a survey answer,
 * their birthday), as recorded once per caller-given `id`. Whether it earned points is decided
 * by the program's `waysToEarn` and their limits (limits.ts); one that did not is kept too,
 * with the reason, so a shop can see why. `scheduled`: a birthday date was stored, and its points
 * come on the day (birthday.ts).
 */
export const notAwardedReasons = ['limit_reached', 'not_configured', 'disabled', 'redacted', 'scheduled'] as const;
export type NotAwardedReason = (typeof notAwardedReasons)[number];

export type ActivitySource = 'api' | 'storefront' | 'survey' | 'system';

export interface ActivityRecord {
  /** Unique per shop: the caller's id (`POST …/activities`) or a derived one (`survey:<id>`). */
  id: string;
  cid: string;
  type: string;
  /** When it happened (the caller's `occurredAt`); limit periods count from it. */
  occurredAt: string;
  recordedAt: string;
  source: ActivitySource;
  status: 'awarded' | 'not_awarded';
  /** Points awarded (0 when not awarded). */
  points: number;
  reason?: NotAwardedReason;
  properties?: Record<string, string | number | boolean>;
  /** The ledger entry of the award. */
  entryId?: string;
}

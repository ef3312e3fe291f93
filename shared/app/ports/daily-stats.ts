/**
 * A shop's statistics per day (shared/domain/stats/daily.ts), kept from the table's stream:
 * each stream record's counters are added once, whatever the stream redelivers.
 */
import type { Counters, DayDelta, StatsSource } from '../../domain/stats/daily';

/** A stream record as the statistics see it. */
export interface StatsStreamRecord {
  /** The stream record's id: the same on every delivery of the record. */
  eventId: string;
  shopId: string;
  before?: StatsSource;
  after?: StatsSource;
  /** When DynamoDB wrote the change (ApproximateCreationDateTime), ISO; absent if not given. */
  recordedAt?: string;
}

/** One record's counters, by day, to add once. */
export interface StatsRecordDelta {
  eventId: string;
  days: DayDelta[];
}

export interface AppliedDeltas {
  /** Records whose counters were added by this call. */
  applied: number;
  /** Records found already added (a redelivery): skipped. */
  skipped: number;
  /** Transactions written. */
  transactions: number;
}

export interface DailyStatsStore {
  /**
   * Adds each record's counters exactly once: a record whose marker exists is skipped. Records
   * are packed several to a transaction; throws when a write fails for any other reason.
   */
  apply(shopId: string, records: readonly StatsRecordDelta[], now: Date): Promise<AppliedDeltas>;
  /** The stored counters of the days from `from` to `to` (days with nothing stored are absent). */
  days(shopId: string, from: string, to: string): Promise<Map<string, Counters>>;
  /** The shop's running totals (members, outstanding points, tiers, churn buckets); empty before any. */
  totals(shopId: string): Promise<Counters>;
  /** Which of these customers are referred friends (a referral item names them). */
  referredFriends(shopId: string, cids: readonly string[]): Promise<Set<string>>;
}

import type { DayMetrics } from '../../domain/metrics/day-metrics';
import type { NpsAnswer } from './nightly';

/** The loyalty metrics kept over time: one record per shop and as-of day (docs/metrics.md). */
export interface MetricsStore {
  /** Writes the day's metrics, replacing what a run for the same as-of day wrote. */
  putDay(shopId: string, day: DayMetrics): Promise<void>;
  /** The days from `from` to `to` (inclusive) that have metrics, oldest first. */
  listDays(shopId: string, from: string, to: string): Promise<DayMetrics[]>;
  /** The newest day with metrics. */
  latestDay(shopId: string): Promise<DayMetrics | undefined>;
  /**
   * The shop's NPS answers given at or after `at` (an ISO instant), from the shop-wide listing:
   * answers stored before the listing existed are not in it.
   */
  answersSince(shopId: string, at: string): Promise<NpsAnswer[]>;
}

import { dynamoDailyStatsStore, statsStreamRecordOf } from '../adapters/daily-stats-store';
import type { DailyStatsDeps } from '../app/daily-stats-service';
import type { StatsStreamRecord } from '../app/ports/daily-stats';
import type { Runtime } from './runtime';
import { dynamoMetricsStore } from '../adapters/metrics-store';
import type { MetricsHistoryDeps } from '../app/metrics-history-service';
import { streamCatchUp } from './summary-runtime';

/**
 * The daily statistics' adapters (shared/domain/stats/daily.ts), for the stream consumer
 * (functions/customer-summaries, which reads the stream for both read models) and the stats routes.
 */
export const statsDeps = (rt: Runtime): DailyStatsDeps => {
  const catchUp = streamCatchUp();
  return {
    stats: dynamoDailyStatsStore(rt.table, rt.tableName),
    shops: rt.shops,
    clock: rt.clock,
    ...(catchUp ? { catchUp } : {}),
  };
};

/** The loyalty metrics history's adapters (GET …/metrics). */
export const metricsHistoryDeps = (rt: Runtime): MetricsHistoryDeps => ({
  metrics: dynamoMetricsStore(rt.table, rt.tableName),
  clock: rt.clock,
});

/** Stream records (Lambda's event records or GetRecords') as the use case takes them; others dropped. */
export const statsRecords = (records: readonly unknown[]): StatsStreamRecord[] =>
  records
    .map((r) => statsStreamRecordOf(r as Parameters<typeof statsStreamRecordOf>[0]))
    .filter((r): r is StatsStreamRecord => r !== undefined);

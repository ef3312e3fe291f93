import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { applySummaryRecords } from '../../shared/app/customer-summary-service';
import { applyDailyStatsRecords } from '../../shared/app/daily-stats-service';
import { runtime } from '../../shared/wiring/runtime';
import { statsDeps, statsRecords } from '../../shared/wiring/stats-runtime';
import { summaryDeps, summaryRecords } from '../../shared/wiring/summary-runtime';

/**
 * Keeps two read models from the table's stream (one reader of the stream for both: AWS advises
 * at most two per shard, and the outbox sender is the other):
 * - the customers' purchase summaries (docs/nightly.md, "Customer summaries"): customer, order and
 *   NPS items; applying a batch again ends in the same summaries;
 * - the shops' daily statistics (docs/console.md, "Statistics"): order, ledger entry, referral,
 *   outbox and referral click counter items; each record's counters are added once, guarded by a
 *   marker keyed by its stream id, so a retried or bisected batch adds nothing twice.
 * A failed write fails the batch, which Lambda bisects and retries.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const rt = runtime();
  const raw = event.Records ?? [];
  try {
    const applied = await applySummaryRecords(summaryDeps(rt), summaryRecords(raw));
    const stats = await applyDailyStatsRecords(statsDeps(rt), statsRecords(raw));
    rt.logger.info('customer summaries', { ...applied, streamRecords: raw.length });
    rt.logger.info('daily stats', { ...stats, streamRecords: raw.length });
    return { batchItemFailures: [] };
  } catch (e) {
    // Later records of an item must not overtake earlier ones: the whole batch from the first
    // record is handed back (Lambda retries from the lowest sequence number it is given).
    rt.logger.error('customer summaries batch failed', { error: e });
    const first = event.Records?.[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
};

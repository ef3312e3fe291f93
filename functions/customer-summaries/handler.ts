import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { applySummaryRecords } from '../../shared/app/customer-summary-service';
import { runtime } from '../../shared/wiring/runtime';
import { summaryDeps, summaryRecords } from '../../shared/wiring/summary-runtime';

/**
 * Keeps the customers' purchase summaries (docs/nightly.md, "Cost and limits") from the table's
 * stream: customer, order and NPS items only (filtered in CDK). A failed write fails the batch,
 * which Lambda bisects and retries; applying a batch again ends in the same summaries.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const rt = runtime();
  const records = summaryRecords(event.Records ?? []);
  try {
    const applied = await applySummaryRecords(summaryDeps(rt), records);
    rt.logger.info('customer summaries', { ...applied, streamRecords: event.Records?.length ?? 0 });
    return { batchItemFailures: [] };
  } catch (e) {
    // Later records of an item must not overtake earlier ones: the whole batch from the first
    // record is handed back (Lambda retries from the lowest sequence number it is given).
    rt.logger.error('customer summaries batch failed', { error: e });
    const first = event.Records?.[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
};

import { dynamoCustomerSummaryStore, summaryStreamRecordOf } from '../adapters/customer-summary-store';
import type { CustomerSummaryDeps } from '../app/customer-summary-service';
import type { CustomerSummaryStore, SummaryReader, SummaryStreamRecord } from '../app/ports/customer-summary';
import type { Runtime } from './runtime';

/**
 * The customer summaries' adapters (shared/domain/churn/customer-summary.ts), for the stream
 * consumer (functions/customer-summaries) and the nightly run.
 */
let catchUp: (() => Promise<void>) | undefined;

/**
 * Locally there is no Lambda on the table's stream: `npm start` and the integration tests feed
 * it to the summaries themselves (local/stream-poller.ts) and register here how to catch up, so
 * a nightly run first applies every record still pending. Never set in AWS.
 */
export const setSummaryCatchUp = (f: (() => Promise<void>) | undefined): void => {
  catchUp = f;
};

/** The registered catch-up (locally), for other read models fed by the same poller (the daily statistics). */
export const streamCatchUp = (): (() => Promise<void>) | undefined => catchUp;

export const summaryStore = (rt: Runtime): CustomerSummaryStore => dynamoCustomerSummaryStore(rt.table, rt.tableName);

export const summaryDeps = (rt: Runtime): CustomerSummaryDeps => ({ summaries: summaryStore(rt) });

/** What the nightly run reads the summaries through. */
export const summaryReader = (rt: Runtime): SummaryReader => ({
  store: summaryStore(rt),
  ...(catchUp ? { catchUp } : {}),
});

/** Stream records (Lambda's event records or GetRecords') as the use case takes them; others dropped. */
export const summaryRecords = (records: readonly unknown[]): SummaryStreamRecord[] =>
  records
    .map((r) => summaryStreamRecordOf(r as Parameters<typeof summaryStreamRecordOf>[0]))
    .filter((r): r is SummaryStreamRecord => r !== undefined);

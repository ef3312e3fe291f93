/**
 * The customers' purchase summaries (shared/domain/churn/customer-summary.ts): written from the
 * table's stream, read by the nightly run one shard at a time, built once from a scan for shops
 * whose data predates them.
 */
import type { CustomerSummary, SummaryChange, SummarySource } from '../../domain/churn/customer-summary';

/** A page of a read, with what DynamoDB examined for it (ScannedCount). */
export interface ReadPage<T> {
  items: T[];
  examined: number;
}

/** A stream record as the use case sees it: the item before and after, either absent. */
export interface SummaryStreamRecord {
  shopId: string;
  before?: SummarySource;
  after?: SummarySource;
}

export interface CustomerSummaryStore {
  /**
   * Writes changes of one customer's summary, in order, as one update (each change sets or
   * removes one attribute, so a replay converges). Removals alone never create a summary.
   */
  apply(shopId: string, cid: string, changes: readonly SummaryChange[]): Promise<void>;
  /** Backfill: sets the attributes only where they are absent, so a newer write from the stream wins. */
  fill(shopId: string, cid: string, changes: readonly SummaryChange[]): Promise<void>;
  /** One customer's summary (eventually consistent), for the console's customer profile. */
  get(shopId: string, cid: string): Promise<CustomerSummary | undefined>;
  /** Pages of one summary shard of the shop (Query, eventually consistent). */
  readShard(shopId: string, shard: number): AsyncIterable<ReadPage<CustomerSummary>>;
  /** When the shop's summaries became complete; undefined until then. */
  builtAt(shopId: string): Promise<string | undefined>;
  /** One segment of the filtered parallel scan of the whole table: the backfill's source. */
  scanShop(shopId: string, segment: number, totalSegments: number): AsyncIterable<ReadPage<SummarySource>>;
  /**
   * Records that a backfill segment of the run `runId` is done; true for the call that completes
   * all `totalSegments` of them (which then marks the summaries built).
   */
  backfillSegmentDone(
    shopId: string,
    o: { runId: string; segment: number; totalSegments: number; at: string },
  ): Promise<boolean>;
}

/** What the nightly run needs of the summaries. */
export interface SummaryReader {
  store: CustomerSummaryStore;
  /**
   * Locally (no Lambda on the stream) feeds the stream's pending records to the summaries first,
   * so a run sees every write made before it; absent in AWS.
   */
  catchUp?: () => Promise<void>;
}

/**
 * What the nightly churn-segments pipeline needs from the outside world, as interfaces. The
 * DynamoDB, S3/filesystem and SES implementations live in shared/adapters; tests pass
 * in-memory ones. Nothing in shared/app/nightly imports an AWS SDK.
 */
import type { ModelCard } from '../../domain/churn/backtest';
import type { PurchaseModelKind } from '../../domain/churn/purchase-models';
import type { LoyaltyMetrics } from '../../domain/churn/metrics';
import type { RiskBand } from '../../domain/churn/risk';
import type { SegmentName } from '../../domain/churn/segments';
import type { OutgoingEvent } from '../../domain/outgoing/event';
import type { CustomerRecord } from '../../domain/ledger/customer';
import type { OrderRecord } from '../../domain/ledger/order-record';
import type { Shop } from '../../domain/shop';
import type { Clock } from './clock';
import type { NewId } from './ids';
import type { Logger } from './logger';
import type { Mailer } from './mailer';
import type { SummaryReader } from './customer-summary';
import type { DayMetrics } from '../../domain/metrics/day-metrics';

/**
 * One NPS answer as stored: from `POST …/customers/{customerRef}/nps` (`source: api`, or absent
 * on answers stored before surveys) or a post-purchase survey (`source: survey`), which also
 * asks the two Customer Loyalty Index questions (each 0–10).
 */
export interface NpsAnswer {
  cid: string;
  answerId: string;
  /** "How likely are you to recommend us to friends and family?" 0–10. */
  score: number;
  comment?: string;
  at: string;
  source?: 'api' | 'survey';
  /** Likelihood to buy again, 0–10 (surveys). */
  buyAgain?: number;
  /** Likelihood to try other products, 0–10 (surveys). */
  tryOther?: number;
  surveyId?: string;
  /** The order the survey asked about. */
  orderId?: string;
}

/** What one parallel-scan segment of the table yields for a shop. */
export type ScannedItem =
  | { kind: 'customer'; customer: CustomerRecord }
  | { kind: 'order'; order: OrderRecord }
  | { kind: 'nps'; answer: NpsAnswer };

export interface SegmentHistoryEntry {
  name: SegmentName;
  /** The as-of day from which the customer was in this segment. */
  since: string;
}

/** A customer's current churn segment (`SHOP#<shop>#C#<cid>` / `SEGMENT`). */
export interface SegmentRecord {
  cid: string;
  name: SegmentName;
  /** As-of day the customer entered `name`. */
  since: string;
  /** As-of day of the run that wrote this. */
  asOf: string;
  jobId: string;
  churnRisk: { score: number; band: RiskBand };
  /** P(no purchase in the next `horizonDays`); churnRisk.score is 100 × this, rounded. Absent on items before it. */
  pNoPurchase?: number;
  horizonDays?: number;
  pAlive: number;
  expectedPurchases90d: number;
  predictedValue12mMinor: number;
  rfm: { r: number; f: number; m: number };
  /** The last changes, oldest first, at most `segmentHistoryLimit`; the last one is `name`. */
  history: SegmentHistoryEntry[];
  updatedAt: string;
}

export const segmentHistoryLimit = 12;

export interface SegmentChangedEvent {
  eventType: 'segment_changed';
  data: { from: SegmentName; to: SegmentName; worsened: boolean };
  at: string;
}

/** A segment item to write; with an event, both are written in one transaction. */
export interface SegmentWrite {
  record: SegmentRecord;
  event?: SegmentChangedEvent;
  /** The outgoing webhook `segment.changed`, when an endpoint listens: written in the same transaction. */
  outgoing?: OutgoingEvent;
}

export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface JobError {
  code: string;
  message: string;
}

/** The steps of a run in order, as `progress` counts them (`fail` is not one). */
export const runSteps = ['summarise', 'fit', 'score', 'assemble'] as const;
export type RunStep = (typeof runSteps)[number];

/**
 * How far a run has got: `step` is the step it is in (the last one it reached once it has
 * ended), `stepsDone` of `stepsTotal` steps have finished (4 when it succeeded).
 */
export interface JobProgress {
  step: RunStep;
  stepsDone: number;
  stepsTotal: number;
}

export interface NightlyJob {
  shopId: string;
  jobId: string;
  asOf: string;
  totalSegments: number;
  trigger: 'api' | 'schedule';
  status: JobStatus;
  createdAt: string;
  updatedAt: string;
  /** Absent on jobs recorded before progress was. */
  progress?: JobProgress;
  result?: NightlyResult;
  error?: JobError;
}

/** The purchase model a shop's nightly run last chose, and as of which day. */
export interface ModelChoice {
  model: PurchaseModelKind;
  asOf: string;
}

export interface NightlyStore {
  /** Pages of the shop's customers, orders and NPS answers in one segment of a parallel scan. */
  scanShop(shopId: string, segment: number, totalSegments: number): AsyncIterable<ScannedItem[]>;
  getSegment(shopId: string, cid: string): Promise<SegmentRecord | undefined>;
  getSegments(shopId: string, cids: readonly string[]): Promise<Map<string, SegmentRecord>>;
  getModelChoice(shopId: string): Promise<ModelChoice | undefined>;
  /** Records the choice unless one as of a later day is stored (replays never move it back). */
  putModelChoice(shopId: string, choice: ModelChoice): Promise<void>;
  /**
   * Writes segment items: plain ones in batches, ones with an event together with it in one
   * transaction guarded so that an item written by a later as-of day is never overwritten.
   */
  writeSegments(shopId: string, writes: readonly SegmentWrite[]): Promise<void>;
  /**
   * Stores an answer once: false when one with its id exists (a survey answered before). A
   * detractor or commented answer is also listed for its feedback alert (domain/surveys/alerts.ts).
   */
  putNpsAnswer(shopId: string, answer: NpsAnswer): Promise<boolean>;
  /** Creates the job record; false if one with that id exists and has not failed. */
  createJob(job: NightlyJob): Promise<boolean>;
  getJob(shopId: string, jobId: string): Promise<NightlyJob | undefined>;
  /** The shop's jobs, newest first (a page at a time; jobs expire 90 days after they start). */
  listJobs(
    shopId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: NightlyJob[]; nextCursor?: string }>;
  /** Marks the job succeeded with its result. */
  completeJob(shopId: string, jobId: string, result: NightlyResult, at: string): Promise<void>;
  /** Marks the job failed unless it already succeeded; false when it had. */
  failJob(shopId: string, jobId: string, error: JobError, at: string): Promise<boolean>;
  /** Records how far a running job has got; false (and nothing written) when it is not running. */
  setJobProgress(shopId: string, jobId: string, progress: JobProgress, at: string): Promise<boolean>;
}

export interface DownloadLink {
  key: string;
  url: string;
  expiresAt: string;
}

/**
 * Where job data and exports go: S3 in AWS, the filesystem locally. Keys are S3-style paths
 * (`jobs/<shop>/<job>/…`, `exports/<shop>/<asOf>/…`).
 */
export interface ExportSink {
  put(key: string, body: string, contentType: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Removes every object under `prefix` (which ends with `/`). */
  deletePrefix(prefix: string): Promise<void>;
  /** A URL that downloads `key` without credentials until it expires. */
  downloadUrl(key: string, expiresInSeconds: number): Promise<DownloadLink>;
}

/**
 * Starts a run without waiting for it: the Step Functions state machine in AWS, or (without
 * one) a run in the background of this process.
 */
export interface NightlyLauncher {
  /** Resolves once the run is started, never when it ends. */
  start(input: NightlyRunInput): Promise<void>;
  /** True when the run happens in this process (no state machine): `wait` may then run it in the request. */
  readonly inProcess?: boolean;
}

export interface NightlyDeps {
  store: NightlyStore;
  sink: ExportSink;
  mailer: Mailer;
  shops: { get(shopId: string): Promise<Shop | undefined> };
  clock: Clock;
  logger: Logger;
  newId: NewId;
  /** Enters an at-risk customer into the shop's win-back series (none: no win-back). */
  winback?: { start(shop: Shop, cid: string, riskSince: string): Promise<{ started: boolean }> };
  /** Moves a customer who now qualifies for a higher tier up (none: no nightly tier check). */
  tiers?: { recheck(shop: Shop, cid: string): Promise<boolean> };
  /**
   * The customers' purchase summaries summarise reads (none: it scans through `store.scanShop`,
   * as the in-memory tests do).
   */
  summaries?: SummaryReader;
  /** Where the day's loyalty metrics are kept over time (none: not kept, as in the in-memory tests). */
  metrics?: { putDay(shopId: string, day: DayMetrics): Promise<void> };
}

/** What starts a run: the state machine's input. */
export interface NightlyRunInput {
  shopId: string;
  jobId: string;
  asOf: string;
  totalSegments: number;
}

export interface PurchaseModelResult {
  r: number;
  alpha: number;
  a: number;
  b: number;
  timeUnit: 'day' | 'week';
  logLikelihood: number;
}

export interface NightlyResult {
  asOf: string;
  model: {
    bgnbd: PurchaseModelResult;
    /** Present when the back-test chose MBG/NBD: its parameters on the whole history. */
    mbgnbd?: PurchaseModelResult;
    gammaGamma: { p: number; q: number; v: number };
    /** Customers the models were fitted on: those with at least one counted order. */
    customers: number;
    /** The model whose P(no purchase) is tonight's churn risk (`card` says why). */
    selected: ModelCard['model'];
    /** Days ahead the churn risk looks. */
    horizonDays: number;
    /** The back-test on the shop's own history and the choice it made (domain/churn/backtest.ts). */
    card: ModelCard;
    /** Present when a model could not be fitted and fell back to default parameters: why. */
    fallback?: { bgnbd: string | null; mbgnbd?: string | null; gammaGamma: string | null };
  };
  segments: Record<SegmentName, number>;
  metrics: LoyaltyMetrics;
  /** The day's metrics kept over time (docs/metrics.md). Absent on older jobs. */
  loyalty?: DayMetrics;
  export: { csv: DownloadLink; json: DownloadLink };
  /**
   * What the run read from DynamoDB: items examined by its Scans and Queries (ScannedCount) and
   * read by key, summed over the summarise segments; `source` is `scan` on the night a shop's
   * summaries were built from the filtered table scan. Absent on older jobs.
   */
  read?: { items: number; source: 'summaries' | 'scan' };
}

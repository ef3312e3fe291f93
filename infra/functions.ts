/**
 * What each deployed function is allowed to touch. The stack grants exactly this and nothing
 * more; typed against `functionNames`, so a function added to infra/routes.ts does not compile
 * until someone decides its permissions here.
 */
import type { FunctionName } from './routes';

export type TableAccess = 'readWrite' | 'read' | 'none';
export type BucketAccess = 'readWrite' | 'read' | 'none';

export interface FunctionNeeds {
  table: TableAccess;
  /** Reads the operator key secret (every route that calls requireOperator/requireShopAccess). */
  operatorKey: boolean;
  /**
   * Sends outgoing webhooks: the webhook-sweep schedule's retries. New events come through the
   * outbox sender's stream mapping (one stream reader fewer), not to this function.
   */
  webhookSender?: boolean;
  /** Sends email through SES with the stack's configuration set. */
  ses: boolean;
  /** Builds absolute links, so it gets BOOMERANG_PUBLIC_BASE_URL. */
  publicBaseUrl: boolean;
  /**
   * Its links lead people into the console (sign-in links, invitations), so its
   * BOOMERANG_PUBLIC_BASE_URL is the console's CloudFront origin, where the session cookie lives,
   * instead of the API's own endpoint.
   */
  consoleLinks?: boolean;
  /** The export bucket (nightly job data and exports), as BOOMERANG_EXPORT_BUCKET. */
  exports: BucketAccess;
  /**
   * Starts nightly runs, so it gets BOOMERANG_NIGHTLY_STATE_MACHINE_ARN and StartExecution on
   * that state machine. Never the worker: the state machine already depends on it.
   */
  startsNightly: boolean;
  /**
   * Drains the e-mail outbox: invoked by the table's stream (new outbox items, and new outgoing
   * webhook events, which it fans out and tries at once) and by the outbox-sweep schedule; gets
   * the outbox DLQ (BOOMERANG_OUTBOX_DLQ_URL) to send to.
   */
  outboxSender?: boolean;
  /** Subscribed to the SNS topic SES publishes bounce, complaint and send events to. */
  sesEvents?: boolean;
  /**
   * Keeps the customer summaries: invoked by the table's stream for customer, order and NPS
   * changes (infra/constructs/customer-summary-stream.ts).
   */
  summaryStream?: boolean;
  /** Serves the storefront widget: the stack builds web/widget/ and ships widget.js beside its bundle. */
  widget?: boolean;
  /** Serves the console: the stack builds web/console/ and ships console.json beside its bundle. */
  console?: boolean;
  /**
   * Starts import runs: gets BOOMERANG_IMPORT_WORKER_FUNCTION and lambda:InvokeFunction on the
   * import worker (asynchronous invocations). Never the worker itself.
   */
  startsImports?: boolean;
  timeoutSeconds: number;
  /** @default 512 */
  memoryMb?: number;
}

/** HTTP functions answer within API Gateway's 30 s limit; 10 s leaves a clear margin. */
const http = { timeoutSeconds: 10 } as const;
/** What most functions do not touch. */
const none = { ses: false, exports: 'none', startsNightly: false } as const;

export const functionNeeds: Record<FunctionName, FunctionNeeds> = {
  health: { ...http, ...none, table: 'none', operatorKey: false, publicBaseUrl: false },
  shops: { ...http, ...none, table: 'readWrite', operatorKey: true, publicBaseUrl: false },
  // Webhooks authenticate by platform signature, not by operator or shop key. shop/redact only
  // schedules the deletion (the redactions function carries it out), so no export bucket here.
  webhooks: { ...http, ...none, table: 'readWrite', operatorKey: false, publicBaseUrl: false },
  customers: { ...http, ...none, table: 'readWrite', operatorKey: true, publicBaseUrl: true },
  // Public storefront API: customers prove themselves with tokens signed by the shop's own
  // storefront secret; writes are redemptions (and a referral code published on first sight).
  // The operator key verifies the page tokens in our e-mails' links to the hosted page.
  storefront: { ...http, ...none, table: 'readWrite', operatorKey: true, publicBaseUrl: true },
  // The public survey page (its links are signed with a key derived from the operator key; an
  // answer awards the `survey` way to earn), and the feedback alerts, which e-mail the shop's
  // marketers through SES. 29 s: the job route may send a few e-mails within API Gateway's limit.
  surveys: { ...none, timeoutSeconds: 29, ses: true, table: 'readWrite', operatorKey: true, publicBaseUrl: false },
  jobs: { ...none, timeoutSeconds: 29, table: 'readWrite', operatorKey: true, publicBaseUrl: false },
  'ledger-daily': { ...none, timeoutSeconds: 900, table: 'readWrite', operatorKey: false, publicBaseUrl: false },
  // Shop-key admin routes; builds the referral link from the public base URL.
  referrals: { ...http, ...none, table: 'readWrite', operatorKey: true, publicBaseUrl: true },
  // Public and unauthenticated: one read on a cache miss and at most three small writes, so a
  // short timeout; a stuck call fails fast instead of holding the visitor.
  'referral-redirect': { ...none, timeoutSeconds: 5, table: 'readWrite', operatorKey: false, publicBaseUrl: false },
  // Nightly routes and the hourly schedule: creates job records and starts runs, reports job
  // status with presigned export links, and serves signed download links (the operator key
  // signs those). 29 s: POST …/jobs/nightly may start several runs within API Gateway's limit.
  nightly: {
    timeoutSeconds: 29,
    table: 'readWrite',
    operatorKey: true,
    ses: false,
    publicBaseUrl: true,
    exports: 'readWrite',
    startsNightly: true,
  },
  // Every step of a run (state machine tasks, never routed). fit is CPU-bound model fitting:
  // 1769 MB is one full vCPU; 15 minutes is Lambda's maximum, for the largest shops. It e-mails
  // the marketer when the export is ready.
  'nightly-worker': {
    timeoutSeconds: 900,
    memoryMb: 1769,
    table: 'readWrite',
    operatorKey: false,
    ses: true,
    publicBaseUrl: false,
    exports: 'readWrite',
    startsNightly: false,
  },
  // Previews and test sends (to the shop's own addresses only), suppressions, the outbox view
  // (shop key) and the public unsubscribe pages, whose links the operator key signs. Builds
  // unsubscribe links from the public base URL.
  emails: { ...http, ...none, ses: true, table: 'readWrite', operatorKey: true, publicBaseUrl: true },
  // Sends through SES; signs unsubscribe links (operator key); POSTs the stream's new webhook
  // events (15 s timeout each). 60 s: a batch stops claiming new items well before the timeout,
  // so no send is cut off midway.
  'outbox-sender': {
    ...none,
    timeoutSeconds: 60,
    table: 'readWrite',
    operatorKey: true,
    ses: true,
    publicBaseUrl: true,
    outboxSender: true,
  },
  'ses-events': {
    ...none,
    timeoutSeconds: 30,
    table: 'readWrite',
    operatorKey: false,
    publicBaseUrl: false,
    sesEvents: true,
  },
  // Deletes every item and export file of a shop whose redaction is due: a scan, so 15 minutes.
  redactions: {
    ...none,
    timeoutSeconds: 900,
    table: 'readWrite',
    operatorKey: false,
    publicBaseUrl: false,
    exports: 'readWrite',
  },
  // The table stream's customer, order and NPS changes into the customer summaries (one small
  // update per customer of a batch), and the counted items' changes into the daily statistics
  // (a few transactions per batch; docs/console.md, "Statistics"): a short timeout.
  'customer-summaries': {
    ...none,
    timeoutSeconds: 60,
    table: 'readWrite',
    operatorKey: false,
    publicBaseUrl: false,
    summaryStream: true,
  },
  // Shop-key admin routes for outgoing webhook endpoints and their delivery log.
  // The console's statistics: reads the daily counters, the nightly results and the run history.
  // readWrite like every admin route: a console session's idle expiry moves on each request.
  stats: { ...http, ...none, table: 'readWrite', operatorKey: true, publicBaseUrl: false },
  endpoints: { ...http, ...none, table: 'readWrite', operatorKey: true, publicBaseUrl: false },
  // Console users and the audit log: mails the invitation (SES) with a link to the console.
  users: {
    ...http,
    ...none,
    ses: true,
    table: 'readWrite',
    operatorKey: true,
    publicBaseUrl: true,
    consoleLinks: true,
  },
  // POSTs to the shops' endpoints (15 s timeout each); a batch stops claiming 15 s before its 60 s end.
  'webhook-sender': {
    ...none,
    timeoutSeconds: 60,
    table: 'readWrite',
    operatorKey: false,
    publicBaseUrl: false,
    webhookSender: true,
  },
  // Public and static: reads widget.js from its own deployment package, touches nothing else.
  'storefront-assets': {
    ...none,
    timeoutSeconds: 5,
    table: 'none',
    operatorKey: false,
    publicBaseUrl: false,
    widget: true,
  },
  // The import routes: store the file in the export bucket (or hand out a presigned upload) and
  // start a run; 29 s for a body of a few MB.
  imports: {
    ...none,
    timeoutSeconds: 29,
    table: 'readWrite',
    operatorKey: true,
    publicBaseUrl: true,
    exports: 'readWrite',
    startsImports: true,
  },
  // One import run: reads the file from the export bucket and writes the ledger in bulk. 15
  // minutes is Lambda's maximum; a longer file goes on in a resumed run from its checkpoint.
  // Public and static: reads the console's files from its own deployment package, touches nothing else.
  'console-assets': {
    ...none,
    timeoutSeconds: 5,
    table: 'none',
    operatorKey: false,
    publicBaseUrl: false,
    console: true,
  },
  'import-worker': {
    ...none,
    timeoutSeconds: 900,
    memoryMb: 1769,
    table: 'readWrite',
    operatorKey: false,
    publicBaseUrl: false,
    exports: 'readWrite',
  },
  // Console sign-in: mails magic links through SES and keeps sessions in the table.
  'console-auth': {
    ...http,
    ...none,
    ses: true,
    table: 'readWrite',
    operatorKey: false,
    publicBaseUrl: true,
    consoleLinks: true,
  },
};

/** Serves API Gateway's `$default` route, so unknown paths get the standard 404 body. */
export const fallbackFunction: FunctionName = 'health';

/** Runs every step of the nightly state machine. */
export const nightlyWorkerFunction: FunctionName = 'nightly-worker';

/** Runs imports, invoked asynchronously by the functions that start them. */
export const importWorkerFunction: FunctionName = 'import-worker';

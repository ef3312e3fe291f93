/**
 * Every HTTP route and the handler module that serves it. The CDK stack creates one Lambda
 * per handler and one API Gateway HTTP API route per entry; the local gateway matches the
 * same list and invokes the same modules. Paths use API Gateway's `{param}` syntax.
 */
export const functionNames = [
  'health',
  'shops',
  'webhooks',
  'customers',
  'jobs',
  'ledger-daily',
  'referrals',
  'referral-redirect',
  // Nightly churn segments: `nightly` serves its routes and the hourly schedule and starts runs;
  // `nightly-worker` has no route: the state machine calls it once per step (docs/nightly.md).
  'nightly',
  'nightly-worker',
  // Lifecycle e-mails: `emails` serves previews, suppressions, the outbox view and the public
  // unsubscribe links; `outbox-sender` drains the outbox (table stream + a sweep schedule) and
  // takes new outgoing webhook events off the same stream;
  // `ses-events` takes SES bounces, complaints and sends from SNS (docs/emails.md).
  'emails',
  'outbox-sender',
  'ses-events',
  // Deletes shops whose scheduled redaction is due (hourly schedule; no route).
  'redactions',
  // Keeps the customers' purchase summaries the nightly run reads, from the table stream (no route).
  'customer-summaries',
  // The storefront widget's script (GET /widget.js); public, no table (docs/storefront.md).
  'storefront-assets',
  // The storefront API: customer sessions, the program, the signed-in customer's points and
  // redemptions (docs/storefront.md). Public, CORS for each shop's own origins.
  'storefront',
  // Outgoing webhooks: `endpoints` serves the shop's endpoints and delivery log; `webhook-sender`
  // runs the webhook sweep (retries; new events come through `outbox-sender`'s stream mapping,
  // docs/webhooks-outgoing.md).
  'endpoints',
  'webhook-sender',
  // Imports from the incumbent (docs/import.md): `imports` serves the routes and starts runs;
  // `import-worker` has no route: `imports` invokes it asynchronously, one run per import.
  'imports',
  'import-worker',
  // Console sign-in: magic links, sessions, who am I, sign-out (docs/console.md).
  'console-auth',
  // The console's users of a shop and its audit log (docs/console.md).
  'users',
  // The console's statistics (docs/console.md, "Statistics"): daily counters kept from the table
  // stream by `customer-summaries`, and the overview's KPIs.
  'stats',
  // The console (docs/console.md): its HTML shell and hashed script and stylesheet; public and
  // static (the app signs in through /console/auth/…).
  'console-assets',
  // Post-purchase surveys (docs/surveys.md): the hosted survey page behind the e-mail's signed
  // link, and the feedback alerts to the shop's marketers (hourly schedule and a job route).
  'surveys',
] as const;
export type FunctionName = (typeof functionNames)[number];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  fn: FunctionName;
}

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', fn: 'health' },
  { method: 'POST', path: '/admin/shops', fn: 'shops' },
  // Operator only: every shop, a page at a time.
  { method: 'GET', path: '/admin/shops', fn: 'shops' },
  { method: 'GET', path: '/admin/shops/{shopId}', fn: 'shops' },
  { method: 'PATCH', path: '/admin/shops/{shopId}', fn: 'shops' },
  // The audit trail of erasure requests; an operator may cancel a scheduled shop deletion.
  { method: 'GET', path: '/admin/shops/{shopId}/redactions', fn: 'shops' },
  { method: 'POST', path: '/admin/shops/{shopId}/redactions/{redactionId}/cancel', fn: 'shops' },
  { method: 'POST', path: '/admin/shops/{shopId}/storefront-secret', fn: 'shops' },
  // New secrets, shown once: the API key (old one dies at once), the webhook secret (old one has a grace).
  { method: 'POST', path: '/admin/shops/{shopId}/api-key', fn: 'shops' },
  { method: 'POST', path: '/admin/shops/{shopId}/webhook-secret', fn: 'shops' },
  { method: 'POST', path: '/webhooks/shopify/{shopId}', fn: 'webhooks' },
  { method: 'POST', path: '/webhooks/woocommerce/{shopId}', fn: 'webhooks' },
  { method: 'POST', path: '/webhooks/custom/{shopId}', fn: 'webhooks' },
  { method: 'GET', path: '/admin/shops/{shopId}/customers/{customerRef}', fn: 'customers' },
  { method: 'GET', path: '/admin/shops/{shopId}/customers/{customerRef}/export', fn: 'customers' },
  { method: 'POST', path: '/admin/shops/{shopId}/customers/{customerRef}/redemptions', fn: 'customers' },
  { method: 'POST', path: '/admin/shops/{shopId}/customers/{customerRef}/adjustments', fn: 'customers' },
  { method: 'POST', path: '/admin/shops/{shopId}/customers/{customerRef}/nps', fn: 'customers' },
  // The reward catalogue with how many of each stock-limited reward were redeemed and are left.
  { method: 'GET', path: '/admin/shops/{shopId}/rewards', fn: 'customers' },
  { method: 'POST', path: '/admin/shops/{shopId}/customers/{customerRef}/activities', fn: 'customers' },
  { method: 'GET', path: '/admin/shops/{shopId}/customers/{customerRef}/activities', fn: 'customers' },
  { method: 'POST', path: '/admin/shops/{shopId}/jobs/ledger-daily', fn: 'jobs' },
  { method: 'POST', path: '/admin/shops/{shopId}/jobs/nightly', fn: 'nightly' },
  { method: 'GET', path: '/admin/shops/{shopId}/jobs/{jobId}', fn: 'nightly' },
  // The run history, newest first (docs/console.md, "Statistics").
  { method: 'GET', path: '/admin/shops/{shopId}/jobs', fn: 'nightly' },
  // Local export downloads (signed token; in AWS exports are presigned S3 links instead).
  { method: 'GET', path: '/exports/download', fn: 'nightly' },
  { method: 'POST', path: '/admin/shops/{shopId}/customers/{customerRef}/referral-code', fn: 'referrals' },
  { method: 'GET', path: '/admin/shops/{shopId}/referrals/stats', fn: 'referrals' },
  // The review queue (held by default), newest first (docs/console.md, "Statistics").
  { method: 'GET', path: '/admin/shops/{shopId}/referrals', fn: 'referrals' },
  { method: 'POST', path: '/admin/shops/{shopId}/referrals/{referralId}/approve', fn: 'referrals' },
  { method: 'POST', path: '/admin/shops/{shopId}/referrals/{referralId}/reject', fn: 'referrals' },
  // Public: the link a referrer shares ({publicBaseUrl}/r/{code}); codes are globally unique.
  { method: 'GET', path: '/r/{code}', fn: 'referral-redirect' },
  { method: 'GET', path: '/admin/shops/{shopId}/emails/{type}/preview', fn: 'emails' },
  { method: 'POST', path: '/admin/shops/{shopId}/emails/{type}/test', fn: 'emails' },
  { method: 'GET', path: '/admin/shops/{shopId}/emails/stats', fn: 'emails' },
  { method: 'GET', path: '/admin/shops/{shopId}/outbox', fn: 'emails' },
  { method: 'POST', path: '/admin/shops/{shopId}/outbox/{outboxId}/retry', fn: 'emails' },
  { method: 'GET', path: '/admin/shops/{shopId}/suppressions', fn: 'emails' },
  { method: 'PUT', path: '/admin/shops/{shopId}/suppressions/{email}', fn: 'emails' },
  { method: 'DELETE', path: '/admin/shops/{shopId}/suppressions/{email}', fn: 'emails' },
  { method: 'GET', path: '/admin/shops/{shopId}/customers/{customerRef}/tier-history', fn: 'customers' },
  // Public: the signed link in every e-mail (GET shows a confirmation page, POST unsubscribes;
  // POST is also RFC 8058 one-click from List-Unsubscribe-Post).
  { method: 'GET', path: '/unsubscribe/{token}', fn: 'emails' },
  { method: 'POST', path: '/unsubscribe/{token}', fn: 'emails' },
  // Public, called from shop pages: a preflight (OPTIONS) for each, answered per shop's origins.
  { method: 'OPTIONS', path: '/storefront/{shopId}/session', fn: 'storefront' },
  { method: 'OPTIONS', path: '/storefront/{shopId}/program', fn: 'storefront' },
  { method: 'OPTIONS', path: '/storefront/{shopId}/me', fn: 'storefront' },
  { method: 'OPTIONS', path: '/storefront/{shopId}/me/history', fn: 'storefront' },
  { method: 'OPTIONS', path: '/storefront/{shopId}/me/redemptions', fn: 'storefront' },
  { method: 'OPTIONS', path: '/storefront/{shopId}/me/activities', fn: 'storefront' },
  { method: 'POST', path: '/storefront/{shopId}/session', fn: 'storefront' },
  // The hosted loyalty page (server-rendered, no script): for shops that cannot edit their theme
  // and for the "see your points" links in our e-mails.
  { method: 'GET', path: '/p/{shopId}', fn: 'storefront' },
  { method: 'GET', path: '/storefront/{shopId}/program', fn: 'storefront' },
  { method: 'GET', path: '/storefront/{shopId}/me', fn: 'storefront' },
  { method: 'GET', path: '/storefront/{shopId}/me/history', fn: 'storefront' },
  { method: 'POST', path: '/storefront/{shopId}/me/redemptions', fn: 'storefront' },
  { method: 'POST', path: '/storefront/{shopId}/me/activities', fn: 'storefront' },
  // Public: the storefront widget shops embed (short-cached, ETag) and its immutable versions
  // (`/widget/{hash}.js`; API Gateway takes no partial-segment parameter, so {file} is "<hash>.js").
  { method: 'GET', path: '/widget.js', fn: 'storefront-assets' },
  { method: 'GET', path: '/widget/{file}', fn: 'storefront-assets' },
  // Outgoing webhooks (docs/webhooks-outgoing.md): the secret is shown at creation and rotation only.
  { method: 'POST', path: '/admin/shops/{shopId}/endpoints', fn: 'endpoints' },
  { method: 'GET', path: '/admin/shops/{shopId}/endpoints', fn: 'endpoints' },
  { method: 'GET', path: '/admin/shops/{shopId}/endpoints/{endpointId}', fn: 'endpoints' },
  { method: 'PATCH', path: '/admin/shops/{shopId}/endpoints/{endpointId}', fn: 'endpoints' },
  { method: 'DELETE', path: '/admin/shops/{shopId}/endpoints/{endpointId}', fn: 'endpoints' },
  { method: 'POST', path: '/admin/shops/{shopId}/endpoints/{endpointId}/secret', fn: 'endpoints' },
  { method: 'GET', path: '/admin/shops/{shopId}/endpoints/{endpointId}/deliveries', fn: 'endpoints' },
  {
    method: 'POST',
    path: '/admin/shops/{shopId}/endpoints/{endpointId}/deliveries/{deliveryId}/retry',
    fn: 'endpoints',
  },
  // Imports: balances and order history from another loyalty app or platform (docs/import.md).
  { method: 'POST', path: '/admin/shops/{shopId}/imports', fn: 'imports' },
  { method: 'GET', path: '/admin/shops/{shopId}/imports', fn: 'imports' },
  { method: 'POST', path: '/admin/shops/{shopId}/imports/uploads', fn: 'imports' },
  // Local only (no export bucket): where the upload URL points; in AWS uploads are presigned S3 PUTs.
  { method: 'PUT', path: '/admin/shops/{shopId}/imports/uploads/{uploadId}', fn: 'imports' },
  { method: 'GET', path: '/admin/shops/{shopId}/imports/{importId}', fn: 'imports' },
  { method: 'POST', path: '/admin/shops/{shopId}/imports/{importId}/resume', fn: 'imports' },
  // Console sign-in (docs/console.md): the console then calls /admin/shops/{shopId}/… with its cookie.
  { method: 'POST', path: '/console/auth/request', fn: 'console-auth' },
  { method: 'GET', path: '/console/auth/verify', fn: 'console-auth' },
  { method: 'GET', path: '/console/auth/me', fn: 'console-auth' },
  { method: 'POST', path: '/console/auth/logout', fn: 'console-auth' },
  { method: 'POST', path: '/console/auth/logout-all', fn: 'console-auth' },
  // Console users (an invitation e-mail on creation) and the audit log (docs/console.md).
  { method: 'POST', path: '/admin/shops/{shopId}/users', fn: 'users' },
  { method: 'GET', path: '/admin/shops/{shopId}/users', fn: 'users' },
  { method: 'GET', path: '/admin/shops/{shopId}/users/{userId}', fn: 'users' },
  { method: 'PATCH', path: '/admin/shops/{shopId}/users/{userId}', fn: 'users' },
  { method: 'DELETE', path: '/admin/shops/{shopId}/users/{userId}', fn: 'users' },
  { method: 'GET', path: '/admin/shops/{shopId}/audit', fn: 'users' },
  // The console's charts (docs/console.md, "Statistics").
  { method: 'GET', path: '/admin/shops/{shopId}/stats/daily', fn: 'stats' },
  { method: 'GET', path: '/admin/shops/{shopId}/stats/overview', fn: 'stats' },
  // The loyalty metrics the nightly run keeps per day (docs/metrics.md).
  { method: 'GET', path: '/admin/shops/{shopId}/metrics', fn: 'stats' },
  // The console app: one HTML document (no-cache, strict CSP; the app routes by hash) and its
  // immutable hashed files.
  { method: 'GET', path: '/console', fn: 'console-assets' },
  { method: 'GET', path: '/console/assets/{file}', fn: 'console-assets' },
  // Public: the survey page of a survey e-mail's signed, single-use link (GET shows it, the form posts back).
  { method: 'GET', path: '/survey/{shopId}', fn: 'surveys' },
  { method: 'POST', path: '/survey/{shopId}', fn: 'surveys' },
  // The shop's pending feedback alerts now (the hourly schedule sends them otherwise).
  { method: 'POST', path: '/admin/shops/{shopId}/jobs/feedback-alerts', fn: 'surveys' },
];

/** Module path (relative to the repo root) of a function's handler; exports `handler`. */
export const handlerEntry = (fn: string): string => `functions/${fn}/handler.ts`;

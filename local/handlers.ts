import type { FunctionName } from '../infra/routes';

/**
 * How the local gateway and scheduler load each deployed handler module. Typed against
 * `functionNames`, so a function added to infra/routes.ts cannot be forgotten here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LambdaHandler = (event: any, context: any) => Promise<unknown>;

export const handlerLoaders: Record<FunctionName, () => Promise<{ handler: LambdaHandler }>> = {
  health: () => import('../functions/health/handler'),
  shops: () => import('../functions/shops/handler'),
  webhooks: () => import('../functions/webhooks/handler'),
  customers: () => import('../functions/customers/handler'),
  storefront: () => import('../functions/storefront/handler'),
  jobs: () => import('../functions/jobs/handler'),
  'ledger-daily': () => import('../functions/ledger-daily/handler'),
  referrals: () => import('../functions/referrals/handler'),
  'referral-redirect': () => import('../functions/referral-redirect/handler'),
  nightly: () => import('../functions/nightly/handler'),
  'nightly-worker': () => import('../functions/nightly-worker/handler'),
  emails: () => import('../functions/emails/handler'),
  'outbox-sender': () => import('../functions/outbox-sender/handler'),
  'ses-events': () => import('../functions/ses-events/handler'),
  redactions: () => import('../functions/redactions/handler'),
  'customer-summaries': () => import('../functions/customer-summaries/handler'),
  endpoints: () => import('../functions/endpoints/handler'),
  users: () => import('../functions/users/handler'),
  'webhook-sender': () => import('../functions/webhook-sender/handler'),
  // No bundle to read widget.js from locally: this one builds it from web/widget/.
  'storefront-assets': () => import('./widget-assets'),
  imports: () => import('../functions/imports/handler'),
  'console-auth': () => import('../functions/console-auth/handler'),
  'import-worker': () => import('../functions/import-worker/handler'),
  stats: () => import('../functions/stats/handler'),
  surveys: () => import('../functions/surveys/handler'),
  // Likewise the console, built from web/console/.
  'console-assets': () => import('./console-assets'),
};

import { z } from 'zod';

/**
 * Environment every function reads at cold start. Invalid configuration fails fast with the
 * offending variable named, instead of surfacing later as a confusing runtime error.
 */
export const envSchema = z.object({
  BOOMERANG_TABLE_NAME: z.string().min(3).default('boomerang'),
  /** Operator key itself (local, tests) … */
  BOOMERANG_OPERATOR_KEY: z.string().min(16).optional(),
  /** … or the Secrets Manager secret that holds it (AWS). */
  BOOMERANG_OPERATOR_KEY_SECRET_ARN: z.string().min(1).optional(),
  /** Base URL customers and shops see, e.g. for referral links. */
  BOOMERANG_PUBLIC_BASE_URL: z.url().optional(),
  /** How long a rotated webhook secret still verifies deliveries. */
  BOOMERANG_WEBHOOK_SECRET_GRACE_HOURS: z.coerce.number().int().min(0).max(24 * 30).default(24),
  /** How long a shop redaction (Shopify shop/redact, custom shop.redact) waits before deleting; an operator can cancel meanwhile. */
  BOOMERANG_SHOP_REDACTION_DELAY_HOURS: z.coerce.number().min(0).max(24 * 90).default(48),
  /** Referral link clicks per client IP per minute and container (burst: twice that). */
  BOOMERANG_CLICK_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(30),
  /** Local data: DynamoDB Local files, the operator key and (without an export bucket) the nightly exports. */
  BOOMERANG_DATA_DIR: z.string().min(1).default('.data'),
  /** S3 bucket for nightly job data and exports (AWS); without it they go to `${BOOMERANG_DATA_DIR}/exports`. */
  BOOMERANG_EXPORT_BUCKET: z.string().min(3).optional(),
  /** Step Functions state machine of the nightly run (AWS); without it the run happens in-process. */
  BOOMERANG_NIGHTLY_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Parallel scan segments (and score shards) of a nightly run. */
  BOOMERANG_NIGHTLY_SEGMENTS: z.coerce.number().int().min(1).max(1000).default(4),
  /** SES configuration set the stack creates, for functions that send e-mail. */
  BOOMERANG_SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** SQS queue for outbox e-mails given up on (AWS); without it they stay `failed` in the outbox. */
  BOOMERANG_OUTBOX_DLQ_URL: z.url().optional(),
  /** The SES account's sending rate; the sender stays under it. */
  BOOMERANG_SES_MAX_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(14),
  /**
   * How long a sender's claim on an outbox e-mail holds: longer than one SES call can take
   * (the client gives up after 13 s), so no claim runs out under a send still in progress.
   */
  BOOMERANG_OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(900).default(60),
  /**
   * After a claim runs out, how long to wait for SES's own send event before sending again.
   * Default: 600 in AWS; 5 against SES local, whose store is asked directly (once a request
   * that was still on its way has had time to land).
   */
  BOOMERANG_OUTBOX_IN_DOUBT_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
  /** How often `npm start` drains the outbox (the stream does it at once in AWS). */
  BOOMERANG_OUTBOX_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(2),
  /** SES local's endpoint (the SDK's own variable): enables asking its store about in-doubt sends. */
  AWS_ENDPOINT_URL_SESV2: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});
export type Env = z.infer<typeof envSchema>;

export const parseEnv = (source: Record<string, string | undefined>): Env => {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${detail}`);
  }
  return parsed.data;
};

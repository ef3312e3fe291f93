import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini, not zod: every function parses this at cold start, including the lean ones
// (referral redirect, storefront reads) whose bundles must not carry classic zod (~90 KB, ~20 ms
// to import). Mini has no messages of its own; English ones name what is wrong.
z.config(en());

/** The few shapes the environment uses, in zod/mini's spelling. */
const text = (minLength: number) => z.string().check(z.minLength(minLength));
const wholeNumber = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
const number = (min: number, max: number) => z.coerce.number().check(z.minimum(min), z.maximum(max));
// (Plain functions, not `const { optional } = z`: destructuring the namespace would bundle all of zod.)
const optional: typeof z.optional = (schema) => z.optional(schema);
const withDefault: typeof z._default = (schema, value) => z._default(schema, value);

/**
 * Environment every function reads at cold start. Invalid configuration fails fast with the
 * offending variable named, instead of surfacing later as a confusing runtime error.
 */
export const envSchema = z.object({
  BOOMERANG_TABLE_NAME: withDefault(text(3), 'boomerang'),
  /** Operator key itself (local, tests) … */
  BOOMERANG_OPERATOR_KEY: optional(text(16)),
  /** … or the Secrets Manager secret that holds it (AWS). */
  BOOMERANG_OPERATOR_KEY_SECRET_ARN: optional(text(1)),
  /** Base URL customers and shops see, e.g. for referral links. */
  BOOMERANG_PUBLIC_BASE_URL: optional(z.url()),
  /** How long a rotated webhook secret still verifies deliveries. */
  BOOMERANG_WEBHOOK_SECRET_GRACE_HOURS: withDefault(wholeNumber(0, 24 * 30), 24),
  /** How long a shop redaction (Shopify shop/redact, custom shop.redact) waits before deleting; an operator can cancel meanwhile. */
  BOOMERANG_SHOP_REDACTION_DELAY_HOURS: withDefault(number(0, 24 * 90), 48),
  /** Referral link clicks per client IP per minute and container (burst: twice that). */
  BOOMERANG_CLICK_RATE_PER_MINUTE: withDefault(wholeNumber(1, 10_000_000), 30),
  /** Local data: DynamoDB Local files, the operator key and (without an export bucket) the nightly exports. */
  BOOMERANG_DATA_DIR: withDefault(text(1), '.data'),
  /** S3 bucket for nightly job data and exports (AWS); without it they go to `${BOOMERANG_DATA_DIR}/exports`. */
  BOOMERANG_EXPORT_BUCKET: optional(text(3)),
  /** Step Functions state machine of the nightly run (AWS); without it the run happens in-process. */
  BOOMERANG_NIGHTLY_STATE_MACHINE_ARN: optional(text(1)),
  /** Parallel scan segments (and score shards) of a nightly run. */
  BOOMERANG_NIGHTLY_SEGMENTS: withDefault(wholeNumber(1, 1000), 4),
  /** SES configuration set the stack creates, for functions that send e-mail. */
  BOOMERANG_SES_CONFIGURATION_SET: optional(text(1)),
  /** SQS queue for outbox e-mails given up on (AWS); without it they stay `failed` in the outbox. */
  BOOMERANG_OUTBOX_DLQ_URL: optional(z.url()),
  /** The SES account's sending rate; the sender stays under it. */
  BOOMERANG_SES_MAX_PER_SECOND: withDefault(wholeNumber(1, 10_000), 14),
  /**
   * How long a sender's claim on an outbox e-mail holds: longer than one SES call can take
   * (the client gives up after 13 s), so no claim runs out under a send still in progress.
   */
  BOOMERANG_OUTBOX_LEASE_SECONDS: withDefault(wholeNumber(1, 900), 60),
  /**
   * After a claim runs out, how long to wait for SES's own send event before sending again.
   * Default: 600 in AWS; 5 against SES local, whose store is asked directly (once a request
   * that was still on its way has had time to land).
   */
  BOOMERANG_OUTBOX_IN_DOUBT_WAIT_SECONDS: optional(wholeNumber(0, 86_400)),
  /** How often `npm start` drains the outbox (the stream does it at once in AWS). */
  BOOMERANG_OUTBOX_INTERVAL_SECONDS: withDefault(number(0.1, 3600), 2),
  /** SES local's endpoint (the SDK's own variable): enables asking its store about in-doubt sends. */
  AWS_ENDPOINT_URL_SESV2: optional(z.url()),
  LOG_LEVEL: withDefault(z.enum(['debug', 'info', 'warn', 'error', 'silent']), 'info'),
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

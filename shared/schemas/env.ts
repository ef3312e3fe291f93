/*
 * Not zod: every function parses this at cold start, the lean ones too (referral redirect,
 * storefront reads), and zod — even zod/mini — adds 7–17 ms to their import on these machines.
 * The environment is a flat map of strings, so a few rules with zod's messages do the same job.
 */

/** One variable's rule: its value, or what is wrong with it. */
type Rule<T> = (raw: string | undefined) => { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T) => ({ ok: true as const, value });
const wrong = (message: string) => ({ ok: false as const, message });

const text =
  (minLength: number): Rule<string> =>
  (raw) =>
    raw === undefined
      ? wrong('Invalid input: expected string, received undefined')
      : raw.length < minLength
        ? wrong(`Too small: expected string to have >=${minLength} characters`)
        : ok(raw);
/** A number in [min, max], from its string (as zod's coerce reads it: `Number(raw)`). */
const number =
  (min: number, max: number, integer = false): Rule<number> =>
  (raw) => {
    const n = Number(raw);
    if (Number.isNaN(n)) return wrong('Invalid input: expected number, received NaN');
    if (integer && !Number.isSafeInteger(n)) return wrong('Invalid input: expected int, received number');
    if (n < min) return wrong(`Too small: expected number to be >=${min}`);
    if (n > max) return wrong(`Too big: expected number to be <=${max}`);
    return ok(n);
  };
const wholeNumber = (min: number, max: number): Rule<number> => number(min, max, true);
const url = (): Rule<string> => (raw) => (raw !== undefined && URL.canParse(raw) ? ok(raw) : wrong('Invalid URL'));
const oneOf =
  <const T extends string>(values: readonly T[]): Rule<T> =>
  (raw) =>
    values.includes(raw as T)
      ? ok(raw as T)
      : wrong(`Invalid option: expected one of ${values.map((v) => `"${v}"`).join('|')}`);
const optional =
  <T>(rule: Rule<T>): Rule<T | undefined> =>
  (raw) =>
    raw === undefined ? ok(undefined) : rule(raw);
const withDefault =
  <T>(rule: Rule<T>, value: T): Rule<T> =>
  (raw) =>
    raw === undefined ? ok(value) : rule(raw);

/**
 * Environment every function reads at cold start. Invalid configuration fails fast with the
 * offending variable named, instead of surfacing later as a confusing runtime error.
 */
export const envSchema = {
  BOOMERANG_TABLE_NAME: withDefault(text(3), 'boomerang'),
  /** Operator key itself (local, tests) … */
  BOOMERANG_OPERATOR_KEY: optional(text(16)),
  /** … or the Secrets Manager secret that holds it (AWS). */
  BOOMERANG_OPERATOR_KEY_SECRET_ARN: optional(text(1)),
  /** Base URL customers and shops see, e.g. for referral links. */
  BOOMERANG_PUBLIC_BASE_URL: optional(url()),
  /** How long a rotated webhook secret still verifies deliveries. */
  BOOMERANG_WEBHOOK_SECRET_GRACE_HOURS: withDefault(wholeNumber(0, 24 * 30), 24),
  /** How long a rotated storefront secret still verifies customer tokens and sessions. */
  BOOMERANG_STOREFRONT_SECRET_GRACE_HOURS: withDefault(wholeNumber(0, 24 * 30), 1),
  /** Storefront API requests per client IP per minute and container (burst: twice that). */
  BOOMERANG_STOREFRONT_RATE_PER_MINUTE: withDefault(wholeNumber(1, 10_000_000), 120),
  /**
   * From address of console sign-in e-mails (an SES-verified identity, e.g. `"Loyalty" <login@example.com>`);
   * unset: the sender of the shop the address became a user of first.
   */
  BOOMERANG_CONSOLE_SENDER: optional(text(3)),
  /** Console sign-in requests per client address per minute and container (burst: twice that). */
  BOOMERANG_CONSOLE_SIGNIN_RATE_PER_MINUTE: withDefault(wholeNumber(1, 1_000_000), 10),
  /** Storefront API requests per signed-in customer per minute and container (burst: twice that). */
  BOOMERANG_STOREFRONT_CUSTOMER_RATE_PER_MINUTE: withDefault(wholeNumber(1, 10_000_000), 60),
  /**
   * How long a shop redaction (Shopify shop/redact, custom shop.redact) waits before deleting; an operator
   * can cancel meanwhile.
   */
  BOOMERANG_SHOP_REDACTION_DELAY_HOURS: withDefault(number(0, 24 * 90), 48),
  /** Referral link clicks per client IP per minute and container (burst: twice that). */
  BOOMERANG_CLICK_RATE_PER_MINUTE: withDefault(wholeNumber(1, 10_000_000), 30),
  /** Local data: DynamoDB Local files, the operator key and (without an export bucket) the nightly exports. */
  BOOMERANG_DATA_DIR: withDefault(text(1), '.data'),
  /** S3 bucket for nightly job data and exports (AWS); without it they go to `${BOOMERANG_DATA_DIR}/exports`. */
  BOOMERANG_EXPORT_BUCKET: optional(text(3)),
  /** Step Functions state machine of the nightly run (AWS); without it the run happens in-process. */
  BOOMERANG_NIGHTLY_STATE_MACHINE_ARN: optional(text(1)),
  /** The import worker function (AWS), invoked asynchronously per import; without it imports run in-process. */
  BOOMERANG_IMPORT_WORKER_FUNCTION: optional(text(1)),
  /** Parallel scan segments (and score shards) of a nightly run. */
  BOOMERANG_NIGHTLY_SEGMENTS: withDefault(wholeNumber(1, 1000), 4),
  /** SES configuration set the stack creates, for functions that send e-mail. */
  BOOMERANG_SES_CONFIGURATION_SET: optional(text(1)),
  /** SQS queue for outbox e-mails given up on (AWS); without it they stay `failed` in the outbox. */
  BOOMERANG_OUTBOX_DLQ_URL: optional(url()),
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
  /**
   * Outgoing webhooks may go to loopback addresses (127/8, ::1, localhost) and over plain http:
   * set by `npm start` and the tests so a receiver on this machine works; never set in AWS.
   * Private, link-local, unique-local and metadata addresses stay refused either way.
   */
  BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK: withDefault(oneOf(['true', 'false']), 'false'),
  /** How long one outgoing webhook POST may take before it counts as failed and is retried (spec: 15–30 s). */
  BOOMERANG_WEBHOOKS_TIMEOUT_SECONDS: withDefault(number(1, 30), 15),
  /** SES local's endpoint (the SDK's own variable): enables asking its store about in-doubt sends. */
  AWS_ENDPOINT_URL_SESV2: optional(url()),
  LOG_LEVEL: withDefault(oneOf(['debug', 'info', 'warn', 'error', 'silent']), 'info'),
} satisfies Record<string, Rule<unknown>>;

export type Env = { [K in keyof typeof envSchema]: (typeof envSchema)[K] extends Rule<infer T> ? T : never };

/** Every variable of envSchema (others are ignored); throws naming each one that is wrong. */
export const parseEnv = (source: Record<string, string | undefined>): Env => {
  const env: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(envSchema) as [string, Rule<unknown>][]) {
    const result = rule(source[name]);
    if (!result.ok) problems.push(`${name}: ${result.message}`);
    else if (result.value !== undefined) env[name] = result.value;
  }
  if (problems.length) throw new Error(`Invalid environment: ${problems.join('; ')}`);
  return env as Env;
};

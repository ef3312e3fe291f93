import * as z from 'zod';

/** The steps of a nightly run; the worker's `step` (the state machine calls it once per task). */
export const nightlySteps = ['summarise', 'fit', 'score', 'assemble', 'fail'] as const;
export type NightlyStep = (typeof nightlySteps)[number];

/** Body of `POST …/customers/{customerRef}/nps`. */
export const npsRequestSchema = z
  .object({
    score: z.int().min(0).max(10),
    comment: z.string().trim().min(1).max(2000).optional(),
    /** The Customer Loyalty Index's intent questions (0–10), as a survey of the shop's own asks them. */
    buyAgain: z.int().min(0).max(10).optional(),
    tryOther: z.int().min(0).max(10).optional(),
  })
  .strict();

/**
 * Query of `POST …/jobs/nightly`: `wait=true` runs the job in the request and answers with the
 * finished job, where no state machine is configured (tests, scripts); otherwise ignored.
 */
export const nightlyRunQuerySchema = z.object({
  wait: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/** Job ids: the ULIDs the API issues, or `nightly-<asOf>` for scheduled runs. */
export const jobIdSchema = z.string().regex(/^[\w.-]{1,64}$/, { message: 'must be 1–64 letters, digits, or . _ -' });

/** The worker's input, one step of a run (the state machine's task payload). */
export const nightlyStepSchema = z.object({
  step: z.enum(nightlySteps),
  shopId: z.string().min(1).max(63),
  jobId: jobIdSchema,
  asOf: z.iso.date(),
  segment: z.int().min(0).max(999).optional(),
  totalSegments: z.int().min(1).max(1000).optional(),
  error: z.unknown().optional(),
});

/** EventBridge Scheduler input: `{ "job": "nightly", "asOf"?: "YYYY-MM-DD", "shopId"?: "…" }`. */
export const scheduledNightlySchema = z.object({
  job: z.string().optional(),
  asOf: z.iso.date().optional(),
  shopId: z.string().optional(),
});

/** Query of `GET /exports/download`. */
export const downloadQuerySchema = z.object({ token: z.string().min(1).max(8192) });

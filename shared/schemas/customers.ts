import * as z from 'zod';

/** Body of `POST …/customers/{customerRef}/redemptions`. */
export const redemptionRequestSchema = z.object({ rewardId: z.string().min(1) }).strict();

/** Body of `POST …/customers/{customerRef}/adjustments`. */
export const adjustmentRequestSchema = z
  .object({
    points: z
      .int()
      .refine((n) => n !== 0, { message: 'must not be zero' })
      .refine((n) => Math.abs(n) <= 10_000_000, { message: 'is implausibly large' }),
    reason: z.string().trim().min(3).max(500),
    /** Who at the shop made it (e.g. a staff e-mail); recorded with the API key's identity. */
    actor: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\w.:-]{1,128}$/, { message: 'must be 1–128 letters, digits, or . _ : -' });

export const ledgerPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2000).optional(),
});

/** Body of the on-demand daily ledger job. */
export const asOfRequestSchema = z.object({ asOf: z.iso.date() }).strict();

/** Body of `POST …/customers/{customerRef}/referral-code`. */
export const referralCodeRequestSchema = z.object({ vanity: z.string().trim().min(1).max(40).optional() }).strict();

/** Query of `GET …/referrals/stats`: a UTC date range, default the last 30 days. */
export const statsQuerySchema = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).strict();

/** Query of `GET …/customers/{customerRef}/tier-history`: newest first. */
export const tierHistoryQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(25) }).strict();

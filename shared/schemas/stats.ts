import * as z from 'zod';

/** `GET …/stats/overview`: the period in days ending today (the shop's today). */
export const overviewQuerySchema = z.object({ days: z.coerce.number().int().min(7).max(365).default(30) }).strict();
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

/** `GET …/jobs`: the nightly run history, newest first. */
export const jobsQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().min(1).optional() })
  .strict();
export type JobsQuery = z.infer<typeof jobsQuerySchema>;

/** `GET …/referrals`: referrals of one status, newest first (the held queue by default). */
export const referralsQuerySchema = z
  .object({
    status: z.enum(['held', 'approved', 'rejected']).default('held'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).optional(),
  })
  .strict();
export type ReferralsQuery = z.infer<typeof referralsQuerySchema>;

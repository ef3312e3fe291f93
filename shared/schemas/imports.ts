import * as z from 'zod';

/** What an import brings in, and the file formats of each (docs/import.md). */
export const importFormats = {
  balances: ['smile', 'loyaltylion', 'plain'],
  orders: ['shopify-csv', 'woocommerce-jsonl', 'custom-jsonl'],
} as const;
export const importKinds = ['balances', 'orders'] as const;
export type ImportKind = (typeof importKinds)[number];
export type BalanceFormat = (typeof importFormats.balances)[number];
export type OrderFormat = (typeof importFormats.orders)[number];
export type ImportFormat = BalanceFormat | OrderFormat;

const flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

/** The upload keys the API hands out (`POST …/imports/uploads`): `imports/<shop>/uploads/<ulid>/file`. */
export const uploadKeySchema = z.string().regex(/^imports\/[\w.-]{1,63}\/uploads\/[0-9A-HJKMNP-TV-Z]{26}\/file$/, {
  message: 'must be a key returned by POST …/imports/uploads',
});

/**
 * Query of `POST /admin/shops/{shopId}/imports`. The file is the body, or `s3Key` names one
 * uploaded before (files larger than a request may carry).
 */
export const importQuerySchema = z
  .object({
    kind: z.enum(importKinds),
    format: z.enum([...importFormats.balances, ...importFormats.orders]),
    awardPoints: flag,
    strict: flag,
    s3Key: uploadKeySchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (!(importFormats[q.kind] as readonly string[]).includes(q.format))
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: `a ${q.kind} import takes format ${importFormats[q.kind].join('|')}`,
      });
    if (q.awardPoints && q.kind !== 'orders')
      ctx.addIssue({ code: 'custom', path: ['awardPoints'], message: 'only an orders import awards points' });
  });
export type ImportQuery = z.infer<typeof importQuerySchema>;

/** Import ids: the ULIDs the API issues. */
export const importIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'must be an import id' });

/** Query of `GET …/imports`. */
export const importListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** The import worker's input (an async invocation in AWS, a background call locally). */
export const importRunSchema = z.object({ shopId: z.string().min(1).max(63), importId: importIdSchema });

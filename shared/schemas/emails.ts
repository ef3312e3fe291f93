import * as z from 'zod';
import { emailTypeSchema } from './program';

/** `GET /admin/shops/{shopId}/emails/{type}/preview?locale=&format=` */
export const previewQuerySchema = z
  .object({
    /** Any BCP 47 tag; the preview uses the supported language it resolves to (default: the shop's). */
    locale: z.string().trim().min(2).max(35).optional(),
    /** `json` (default): subject, html and text; `html` or `text`: that part alone, to open in a browser. */
    format: z.enum(['json', 'html', 'text']).default('json'),
  })
  .strict();

export const previewPathSchema = z.object({ type: emailTypeSchema });

/** Body of `POST /admin/shops/{shopId}/emails/{type}/test`: to one of the shop's own addresses. */
export const testSendSchema = z
  .object({
    /** The shop's sender or one of its marketer addresses (default: the sender address). */
    to: z.email().optional(),
    locale: z.string().trim().min(2).max(35).optional(),
  })
  .strict();

/** `GET /admin/shops/{shopId}/outbox?status=&limit=&cursor=` */
export const outboxQuerySchema = z
  .object({
    status: z.enum(['pending', 'sending', 'sent', 'skipped', 'failed']).default('pending'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

export const suppressionsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

/** Body of `PUT /admin/shops/{shopId}/suppressions/{email}` (optional). */
export const suppressionRequestSchema = z.object({ scope: z.enum(['all', 'marketing']).default('all') }).strict();

export const suppressionEmailSchema = z.email();

/** Outbox ids are ULIDs. */
export const outboxIdSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'must be an outbox id (a ULID)' });

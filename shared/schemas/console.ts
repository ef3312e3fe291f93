import * as z from 'zod';
import { roles } from '../domain/console/roles';
import { email } from './primitives';

const role = z.enum(roles);
const name = z.string().trim().min(1).max(200);

/** Body of `POST /admin/shops/{shopId}/users` (docs/console.md). */
export const createUserSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(email),
    role,
    name: name.optional(),
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** Body of `PATCH /admin/shops/{shopId}/users/{userId}`: at least one of the fields. */
export const patchUserSchema = z
  .object({ role: role.optional(), name: name.optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.name !== undefined, { message: 'send `role` or `name`' });
export type PatchUserInput = z.infer<typeof patchUserSchema>;

/** Query of `GET /admin/shops/{shopId}/audit`. */
export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2000).optional(),
    action: z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/)
      .optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** `POST /console/auth/request`. */
export const signInRequestSchema = z.object({ email }).strict();

/** `GET /console/auth/verify?token=`: 32 random bytes in base64url. */
export const verifyQuerySchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/** `GET /console/auth/me?shopId=`. */
export const meQuerySchema = z.object({ shopId: z.string().min(1).max(64).optional() });

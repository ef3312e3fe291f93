import * as z from 'zod';
import { email } from './primitives';

/** `POST /console/auth/request`. */
export const signInRequestSchema = z.object({ email }).strict();

/** `GET /console/auth/verify?token=`: 32 random bytes in base64url. */
export const verifyQuerySchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/** `GET /console/auth/me?shopId=`. */
export const meQuerySchema = z.object({ shopId: z.string().min(1).max(64).optional() });

import * as z from 'zod';
import type { DomainResult } from '../result';
import { err, ok } from '../result';
import { secretFor, signClaims, verifyClaims } from '../signed-token';

/**
 * The token in the "see your points" links of our e-mails: `GET /p/{shopId}?token=…` shows that
 * customer's loyalty page. A customer token from the shop lasts 15 minutes and a session 30, but
 * an e-mail is read days later, so this is a token of our own: signed with a key derived from the
 * operator key for this purpose only (so an unsubscribe or download token never passes), naming
 * the shop and the customer, and valid for 30 days from sending. Rotating the operator key
 * invalidates every one.
 */

export const LOYALTY_PAGE_PURPOSE = 'loyalty-page';
export const LOYALTY_PAGE_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export const loyaltyPageSecretFrom = (operatorKey: string): Buffer => secretFor(operatorKey, LOYALTY_PAGE_PURPOSE);

const claimsSchema = z.object({
  s: z.string().min(1).max(63),
  c: z.string().min(1).max(512),
  exp: z.number().int().nonnegative(),
});

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** `now` is when the e-mail is sent; the token expires 30 days later. */
export const loyaltyPageToken = (secret: Buffer, subject: { shopId: string; cid: string }, now: Date): string =>
  signClaims(secret, { s: subject.shopId, c: subject.cid, exp: epochSeconds(now) + LOYALTY_PAGE_TOKEN_TTL_SECONDS });

export type LoyaltyPageTokenReason = 'malformed' | 'bad_signature' | 'expired' | 'wrong_shop';
export type LoyaltyPageTokenError = { kind: 'invalid_page_token'; reason: LoyaltyPageTokenReason };

const fail = (reason: LoyaltyPageTokenReason): { ok: false; error: LoyaltyPageTokenError } =>
  err({ kind: 'invalid_page_token', reason });

/**
 * The customer a page link names, if it is ours, unexpired and for `shopId` (the shop in the
 * page's path). Never throws; the signature is checked before any claim is read.
 */
export const verifyLoyaltyPageToken = (
  secret: Buffer,
  token: string,
  shopId: string,
  now: Date,
): DomainResult<{ cid: string }, LoyaltyPageTokenError> => {
  const checked = verifyClaims(secret, token);
  if (!checked.ok) return fail(checked.reason);
  const parsed = claimsSchema.safeParse(checked.claims);
  if (!parsed.success) return fail('malformed');
  const { s, c, exp } = parsed.data;
  if (s !== shopId) return fail('wrong_shop');
  if (epochSeconds(now) >= exp) return fail('expired');
  return ok({ cid: c });
};

import type { DomainResult } from '../result';
import { err, ok } from '../result';
import type { JwtFailure } from './jwt';
import { epochSeconds, verifyHs256 } from './jwt';

/**
 * The customer token: a JWT the shop's own backend mints after its customer logs in, to prove to
 * us who the visitor is (contract in docs/storefront.md, "Proving who the customer is").
 *
 * HS256 with the UTF-8 bytes of the storefront secret as the key, because that is what every JWT
 * library does with a string secret, so shops need no key-handling code. It is a bearer credential
 * that lives in a browser, hence the short life.
 */

/** How far ahead of now (and of its own `iat`) a token may expire. */
export const CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS = 15 * 60;
/** Skew allowed between the shop's clock and ours, for `exp`, `nbf` and `iat` alike. */
export const CUSTOMER_TOKEN_CLOCK_TOLERANCE_SECONDS = 60;

export type CustomerTokenReason = JwtFailure | 'lifetime_too_long';
export type CustomerTokenError = { kind: 'invalid_token'; reason: CustomerTokenReason };
export type CustomerIdentity = { platformCustomerId: string; email?: string };

// Platform customer ids are short (Shopify: digits, WooCommerce: digits); the cap keeps junk out of keys.
const MAX_SUBJECT_LENGTH = 255;
const MAX_EMAIL_LENGTH = 320;

const fail = (reason: CustomerTokenReason): { ok: false; error: CustomerTokenError } =>
  err({ kind: 'invalid_token', reason });

/**
 * `secrets` is the current storefront secret first, then the previous one while its rotation
 * grace lasts; once the caller stops passing it, tokens it signed stop verifying. Never throws.
 */
export const verifyCustomerToken = async (
  token: string,
  secrets: readonly string[],
  now: Date,
): Promise<DomainResult<CustomerIdentity, CustomerTokenError>> => {
  const tolerance = CUSTOMER_TOKEN_CLOCK_TOLERANCE_SECONDS;
  const keys = secrets.filter((s) => typeof s === 'string' && s.length > 0).map((s) => new TextEncoder().encode(s));
  const verified = await verifyHs256(token, keys, {
    currentDate: now,
    clockTolerance: tolerance,
    requiredClaims: ['sub', 'iat', 'exp'],
  });
  if (!verified.ok) return fail(verified.error);
  const { payload, protectedHeader } = verified.value;

  // Explicit typing (RFC 8725 §3.11): a token minted for some other purpose, such as our own
  // sessions, is not a customer token even if it happens to be signed with the right key.
  if (protectedHeader.typ !== undefined && protectedHeader.typ.toLowerCase() !== 'jwt') return fail('wrong_type');

  const { sub, iat, exp, email } = payload;
  if (sub === '') return fail('missing_claim');
  if (typeof sub !== 'string' || sub.length > MAX_SUBJECT_LENGTH) return fail('invalid_claim');
  // jose has checked both are numbers and that exp has not passed.
  const issuedAt = iat!;
  const expiresAt = exp!;
  const nowSeconds = epochSeconds(now);
  if (issuedAt > nowSeconds + tolerance) return fail('not_yet_valid');
  // Both limits: `exp - now` catches a long-lived token now, `exp - iat` catches one minted long-lived
  // even when it is presented near its end. The second needs no tolerance: one clock wrote both.
  if (expiresAt - nowSeconds > CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS + tolerance) return fail('lifetime_too_long');
  if (expiresAt - issuedAt > CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS) return fail('lifetime_too_long');

  if (email === undefined || email === null || email === '') return ok({ platformCustomerId: sub });
  if (typeof email !== 'string' || email.length > MAX_EMAIL_LENGTH) return fail('invalid_claim');
  return ok({ platformCustomerId: sub, email });
};

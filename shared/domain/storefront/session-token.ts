import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DomainResult } from '../result';
import { err, ok } from '../result';
import type { JwtFailure } from './jwt';
import { ALGORITHM, epochSeconds, verifyHs256 } from './jwt';

/**
 * Our own storefront session: what `POST /storefront/{shopId}/session` hands out in exchange for a
 * verified customer token, sent back as `Authorization: Bearer …` (no cookie, so no CSRF surface).
 *
 * Three things keep it from being confused with anything else: its own `typ` header (a customer
 * token has none, or `JWT`), `iss`, and an audience naming the shop, so a session of one shop is
 * refused at another. It is signed with a key derived from the storefront secret, not the secret
 * itself, so a customer token (signed with the secret) cannot even pass the signature check.
 */

export const SESSION_TOKEN_TYPE = 'bmr-session+jwt';
export const SESSION_ISSUER = 'boomerang';
export const DEFAULT_SESSION_TTL_SECONDS = 30 * 60;
/** Longest session `issueSessionToken` will mint: beyond a day it is no longer "short-lived". */
export const MAX_SESSION_TTL_SECONDS = 24 * 60 * 60;
/** Both ends are our own functions on synchronised clocks: a few seconds between instances at most. */
export const SESSION_CLOCK_TOLERANCE_SECONDS = 5;

const SESSION_KEY_LABEL = 'boomerang storefront session v1';

export const sessionAudience = (shopId: string): string => `storefront:${shopId}`;

/**
 * The session signing key, derived from the storefront secret: rotating the secret ends every
 * session once the previous secret's grace is over, with nothing else to store or rotate.
 */
export const sessionKey = (storefrontSecret: string): Uint8Array =>
  new Uint8Array(createHmac('sha256', storefrontSecret).update(SESSION_KEY_LABEL).digest());

export type SessionSubject = { shopId: string; cid: string; platformCustomerId: string };
export type IssuedSession = { sessionToken: string; expiresAt: string };

/** `expiresAt` is ISO 8601, whole seconds, exactly the token's `exp`. */
export const issueSessionToken = async (
  subject: SessionSubject,
  key: Uint8Array,
  now: Date,
  ttlSeconds: number = DEFAULT_SESSION_TTL_SECONDS,
): Promise<IssuedSession> => {
  // A caller's bug, not a visitor's input: fail loudly rather than mint an odd token.
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_SESSION_TTL_SECONDS)
    throw new RangeError(`session ttl must be an integer in 1..${MAX_SESSION_TTL_SECONDS} seconds`);
  const iat = epochSeconds(now);
  const exp = iat + ttlSeconds;
  const sessionToken = await new SignJWT({ pcid: subject.platformCustomerId })
    .setProtectedHeader({ alg: ALGORITHM, typ: SESSION_TOKEN_TYPE })
    .setIssuer(SESSION_ISSUER)
    .setAudience(sessionAudience(subject.shopId))
    .setSubject(subject.cid)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { sessionToken, expiresAt: new Date(exp * 1000).toISOString() };
};

export type SessionTokenReason = JwtFailure;
export type SessionTokenError = { kind: 'invalid_session'; reason: SessionTokenReason };
export type SessionIdentity = { cid: string; platformCustomerId: string };

const fail = (reason: SessionTokenReason): { ok: false; error: SessionTokenError } =>
  err({ kind: 'invalid_session', reason });

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** `keys`: `sessionKey` of the current storefront secret, then of the previous one during its grace. Never throws. */
export const verifySessionToken = async (
  token: string,
  shopId: string,
  keys: readonly Uint8Array[],
  now: Date,
): Promise<DomainResult<SessionIdentity, SessionTokenError>> => {
  const verified = await verifyHs256(token, keys, {
    currentDate: now,
    clockTolerance: SESSION_CLOCK_TOLERANCE_SECONDS,
    typ: SESSION_TOKEN_TYPE,
    issuer: SESSION_ISSUER,
    audience: sessionAudience(shopId),
    requiredClaims: ['sub', 'pcid', 'iat', 'exp'],
  });
  if (!verified.ok) return fail(verified.error);
  const { sub, pcid, iat } = verified.value.payload;
  if (!nonEmpty(sub) || !nonEmpty(pcid)) return fail('invalid_claim');
  if (iat! > epochSeconds(now) + SESSION_CLOCK_TOLERANCE_SECONDS) return fail('not_yet_valid');
  return ok({ cid: sub, platformCustomerId: pcid });
};

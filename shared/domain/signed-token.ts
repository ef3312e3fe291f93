import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens that are their own credential: base64url(JSON claims) "." base64url(HMAC-SHA256).
 * Secrets are derived from the operator key per purpose, so they need no configuration of
 * their own, a token for one purpose never verifies for another, and rotating the operator
 * key invalidates them all.
 */
export const secretFor = (operatorKey: string, purpose: string): Buffer =>
  createHmac('sha256', operatorKey).update(`boomerang/${purpose}`).digest();

const mac = (secret: Buffer, payload: string): Buffer => createHmac('sha256', secret).update(payload).digest();

export const signClaims = (secret: Buffer, claims: Record<string, unknown>): string => {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
};

export type ClaimsCheck =
  { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'malformed' | 'bad_signature' };

/** Checks the signature in constant time before looking at the claims at all. */
export const verifyClaims = (secret: Buffer, token: string): ClaimsCheck => {
  const m = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(secret, m[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  try {
    const claims: unknown = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
      return { ok: false, reason: 'malformed' };
    return { ok: true, claims: claims as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
};

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed download links for exports served by `GET /exports/download` (locally, where there is
 * no S3 to presign). token = base64url(JSON { key, exp }) "." base64url(HMAC-SHA256(secret, payload)),
 * `exp` in epoch seconds. The secret is derived from the operator key, so it needs no
 * configuration of its own and changes when that key is rotated (old links then stop working).
 */
export const downloadSecretFrom = (operatorKey: string): Buffer =>
  createHmac('sha256', operatorKey).update('boomerang/export-download/v1').digest();

const sign = (secret: Buffer, payload: string): Buffer => createHmac('sha256', secret).update(payload).digest();

export const signDownloadToken = (secret: Buffer, claims: { key: string; exp: number }): string => {
  const payload = Buffer.from(JSON.stringify({ key: claims.key, exp: claims.exp })).toString('base64url');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
};

export type TokenCheck = { ok: true; key: string; exp: number } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export const verifyDownloadToken = (secret: Buffer, token: string, nowSeconds: number): TokenCheck => {
  const m = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = sign(secret, m[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { key, exp } = (claims ?? {}) as { key?: unknown; exp?: unknown };
  if (typeof key !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'malformed' };
  if (nowSeconds >= exp) return { ok: false, reason: 'expired' };
  return { ok: true, key, exp };
};

import { secretFor, signClaims, verifyClaims } from '../domain/signed-token';

/**
 * Signed download links for exports served by `GET /exports/download` (locally, where there is
 * no S3 to presign). Claims `{ key, exp }`, `exp` in epoch seconds (see signed-token.ts).
 */
export const downloadSecretFrom = (operatorKey: string): Buffer => secretFor(operatorKey, 'export-download/v1');

export const signDownloadToken = (secret: Buffer, claims: { key: string; exp: number }): string =>
  signClaims(secret, { key: claims.key, exp: claims.exp });

export type TokenCheck =
  { ok: true; key: string; exp: number } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export const verifyDownloadToken = (secret: Buffer, token: string, nowSeconds: number): TokenCheck => {
  const checked = verifyClaims(secret, token);
  if (!checked.ok) return checked;
  const { key, exp } = checked.claims;
  if (typeof key !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'malformed' };
  if (nowSeconds >= exp) return { ok: false, reason: 'expired' };
  return { ok: true, key, exp };
};

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API keys carry 256 bits of randomness, so a plain SHA-256 is a sufficient stored form. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time comparison of two strings of possibly different length. */
export const safeEqual = (a: string, b: string): boolean => {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
};

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export interface IssuedApiKey {
  apiKey: string;
  apiKeyHash: string;
  /** Enough of the key for a person to recognise it; never enough to use it. */
  apiKeyHint: string;
}

export const issueShopApiKey = (shopId: string): IssuedApiKey => {
  const apiKey = `bk_${shopId}_${randomToken(32)}`;
  return { apiKey, apiKeyHash: hashSecret(apiKey), apiKeyHint: `bk_${shopId}_…${apiKey.slice(-4)}` };
};

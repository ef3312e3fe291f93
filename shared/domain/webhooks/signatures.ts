import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DomainResult } from '../result';
import { err, ok } from '../result';

/**
 * Webhook signature checks. All take the raw body bytes exactly as received (never re-encoded
 * JSON) and a list of secrets, so a rotated-out secret keeps verifying during its grace period.
 * Comparisons are constant time on equal-length buffers.
 */

const usableSecrets = (secrets: readonly string[]): string[] =>
  secrets.filter((s) => typeof s === 'string' && s.length > 0);

const hmac = (secret: string, ...parts: (Buffer | string)[]): Buffer => {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest();
};

/** Constant-time equality of two ASCII strings; unequal lengths are simply unequal. */
const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/** base64 HMAC-SHA256 of the raw body, as Shopify and WooCommerce send it. */
const verifyBase64Hmac = (raw: Buffer, header: string | undefined, secrets: readonly string[]): boolean => {
  if (typeof header !== 'string') return false;
  const given = header.trim();
  if (given.length === 0) return false;
  let matched = false;
  // No early exit: every secret is tried, so timing does not say which one matched.
  for (const secret of usableSecrets(secrets)) {
    if (safeEqual(hmac(secret, raw).toString('base64'), given)) matched = true;
  }
  return matched;
};

/** `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body with the app's client secret. */
export const verifyShopifyHmac = (raw: Buffer, header: string | undefined, secrets: readonly string[]): boolean =>
  verifyBase64Hmac(raw, header, secrets);

/** `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body with the webhook's secret. */
export const verifyWooSignature = (raw: Buffer, header: string | undefined, secrets: readonly string[]): boolean =>
  verifyBase64Hmac(raw, header, secrets);

/** Signature of Shopify/WooCommerce style, for tests and local tooling. */
export const signBase64Hmac = (raw: Buffer | string, secret: string): string => hmac(secret, raw).toString('base64');

export type CustomSignatureFailure = 'missing' | 'malformed' | 'timestamp_out_of_tolerance' | 'mismatch';

export const customSignatureHeader = 'Boomerang-Signature';

/**
 * Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. Unknown keys are ignored (room for future
 * schemes); a header without exactly one `t` or without any well-formed `v1` is malformed.
 */
const parseCustomHeader = (header: string): { t: number; v1: string[] } | undefined => {
  let t: number | undefined;
  let tCount = 0;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      tCount += 1;
      if (!/^\d{1,12}$/.test(value)) return undefined;
      t = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return undefined;
      v1.push(value.toLowerCase());
    }
  }
  if (tCount !== 1 || t === undefined || v1.length === 0) return undefined;
  return { t, v1 };
};

/**
 * Verifies `Boomerang-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The signature is checked before the timestamp, so `timestamp_out_of_tolerance` only ever
 * describes an authentic but stale (possibly replayed) delivery.
 */
export const verifyCustomSignature = (
  raw: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  now: Date,
  toleranceSeconds = 300,
): DomainResult<{ timestamp: number }, { reason: CustomSignatureFailure }> => {
  if (typeof header !== 'string' || header.trim() === '') return err({ reason: 'missing' });
  const parsed = parseCustomHeader(header);
  if (!parsed) return err({ reason: 'malformed' });
  let matched = false;
  for (const secret of usableSecrets(secrets)) {
    const expected = hmac(secret, `${parsed.t}.`, raw).toString('hex');
    for (const candidate of parsed.v1) if (safeEqual(expected, candidate)) matched = true;
  }
  if (!matched) return err({ reason: 'mismatch' });
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (!Number.isFinite(nowSeconds) || Math.abs(nowSeconds - parsed.t) > toleranceSeconds) {
    return err({ reason: 'timestamp_out_of_tolerance' });
  }
  return ok({ timestamp: parsed.t });
};

/** The `Boomerang-Signature` header value for a body, signed at `t` (unix seconds or a Date). */
export const signCustom = (raw: Buffer | string, secret: string, t: number | Date): string => {
  const seconds = typeof t === 'number' ? Math.floor(t) : Math.floor(t.getTime() / 1000);
  return `t=${seconds},v1=${hmac(secret, `${seconds}.`, raw).toString('hex')}`;
};

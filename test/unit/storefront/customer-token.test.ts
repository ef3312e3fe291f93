import { createHmac } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_TOKEN_CLOCK_TOLERANCE_SECONDS,
  CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS,
  verifyCustomerToken,
} from '../../../shared/domain/storefront/customer-token';

const now = new Date('2026-03-01T12:00:00.000Z');
const t = Math.floor(now.getTime() / 1000);
const secret = 'sf_current_4f0c1d9a7b2e48c3a1d6e5f7';
const previous = 'sf_previous_93b1e2c4d5a6f7089a1b2c3d';
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** As a shop's backend would: HS256, key = the secret's UTF-8 bytes. */
const mint = (claims: JWTPayload, key: string | Uint8Array = secret, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(typeof key === 'string' ? utf8(key) : key);

const claims = (over: JWTPayload = {}): JWTPayload => ({ sub: '7084532318456', iat: t, exp: t + 300, ...over });

const reasonOf = async (token: string, secrets: readonly string[] = [secret], at: Date = now) => {
  const result = await verifyCustomerToken(token, secrets, at);
  expect(result.ok).toBe(false);
  return result.ok ? undefined : result.error;
};

describe('verifyCustomerToken', () => {
  it('accepts a valid token and returns the subject and e-mail', async () => {
    const token = await mint(claims({ email: 'ada@example.com' }));
    expect(await verifyCustomerToken(token, [secret], now)).toEqual({
      ok: true,
      value: { platformCustomerId: '7084532318456', email: 'ada@example.com' },
    });
  });

  it('leaves email out when the token has none (or an empty one), and accepts typ JWT', async () => {
    expect(await verifyCustomerToken(await mint(claims()), [secret], now)).toEqual({
      ok: true,
      value: { platformCustomerId: '7084532318456' },
    });
    const typed = await mint(claims({ email: '' }), secret, { typ: 'JWT' });
    expect(await verifyCustomerToken(typed, [secret], now)).toEqual({
      ok: true,
      value: { platformCustomerId: '7084532318456' },
    });
  });

  it('accepts exactly the documented limits: exp 15 min after iat, tolerance 60 s', async () => {
    expect(CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS).toBe(900);
    expect(CUSTOMER_TOKEN_CLOCK_TOLERANCE_SECONDS).toBe(60);
    const full = await mint(claims({ exp: t + 900 }));
    expect((await verifyCustomerToken(full, [secret], now)).ok).toBe(true);
  });

  it('refuses a forged signature', async () => {
    const token = await mint(claims());
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    expect(await reasonOf(flipped)).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
    // A payload swapped for another customer's under the original signature.
    const swapped = `${h}.${b64url(claims({ sub: '1' }))}.${s}`;
    expect(await reasonOf(swapped)).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
  });

  it('refuses a token signed with another secret, and any token when no secret is given', async () => {
    const token = await mint(claims(), 'someone-elses-secret');
    expect(await reasonOf(token)).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
    expect(await reasonOf(await mint(claims()), [])).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
    expect(await reasonOf(await mint(claims()), [''])).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
  });

  it('refuses an expired token, beyond the tolerance only', async () => {
    const token = await mint(claims({ iat: t - 600, exp: t - 61 }));
    expect(await reasonOf(token)).toEqual({ kind: 'invalid_token', reason: 'expired' });
    const justInside = await mint(claims({ iat: t - 600, exp: t - 59 }));
    expect((await verifyCustomerToken(justInside, [secret], now)).ok).toBe(true);
  });

  it('refuses exp more than 15 minutes ahead (plus tolerance), or more than 15 minutes after iat', async () => {
    const farAhead = await mint(claims({ iat: t, exp: t + 3600 }));
    expect(await reasonOf(farAhead)).toEqual({ kind: 'invalid_token', reason: 'lifetime_too_long' });
    const oneSecondTooLong = await mint(claims({ iat: t, exp: t + 901 }));
    expect(await reasonOf(oneSecondTooLong)).toEqual({ kind: 'invalid_token', reason: 'lifetime_too_long' });
    // Minted with a day's life a day ago: only 60 s left now, yet still refused.
    const longLivedNearEnd = await mint(claims({ iat: t - 86_340, exp: t + 60 }));
    expect(await reasonOf(longLivedNearEnd)).toEqual({ kind: 'invalid_token', reason: 'lifetime_too_long' });
  });

  it('refuses iat (or nbf) more than the tolerance in the future', async () => {
    const iatAhead = await mint(claims({ iat: t + 120, exp: t + 600 }));
    expect(await reasonOf(iatAhead)).toEqual({ kind: 'invalid_token', reason: 'not_yet_valid' });
    const nbfAhead = await mint(claims({ nbf: t + 120 }));
    expect(await reasonOf(nbfAhead)).toEqual({ kind: 'invalid_token', reason: 'not_yet_valid' });
  });

  it('accepts a shop clock up to 60 s ahead of ours', async () => {
    // The shop's clock runs 55 s fast: iat is "in the future" and exp is 15 min + 55 s away.
    const skewed = await mint(claims({ iat: t + 55, exp: t + 55 + 900 }));
    expect((await verifyCustomerToken(skewed, [secret], now)).ok).toBe(true);
    const tooSkewed = await mint(claims({ iat: t + 65, exp: t + 65 + 900 }));
    expect(await reasonOf(tooSkewed)).toEqual({ kind: 'invalid_token', reason: 'not_yet_valid' });
  });

  it('requires sub, iat and exp, and a non-empty string sub', async () => {
    for (const missing of ['sub', 'iat', 'exp'] as const) {
      const c = claims();
      delete c[missing];
      expect(await reasonOf(await mint(c)), missing).toEqual({ kind: 'invalid_token', reason: 'missing_claim' });
    }
    expect(await reasonOf(await mint(claims({ sub: '' })))).toEqual({ kind: 'invalid_token', reason: 'missing_claim' });
    const numericSub = await mint({ ...claims(), sub: 42 } as unknown as JWTPayload);
    expect(await reasonOf(numericSub)).toEqual({ kind: 'invalid_token', reason: 'invalid_claim' });
    const stringIat = await mint({ ...claims(), iat: String(t) } as unknown as JWTPayload);
    expect(await reasonOf(stringIat)).toEqual({ kind: 'invalid_token', reason: 'invalid_claim' });
    expect(await reasonOf(await mint(claims({ email: 7 })))).toEqual({
      kind: 'invalid_token',
      reason: 'invalid_claim',
    });
  });

  it('refuses alg none, even with claims that would otherwise pass', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`;
    expect(await reasonOf(unsigned)).toEqual({ kind: 'invalid_token', reason: 'wrong_algorithm' });
    const noneCased = `${b64url({ alg: 'None' })}.${b64url(claims())}.`;
    expect(await reasonOf(noneCased)).toEqual({ kind: 'invalid_token', reason: 'wrong_algorithm' });
  });

  it('refuses HS384 and HS512 tokens made with the right secret', async () => {
    for (const alg of ['HS384', 'HS512']) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg }).sign(utf8(secret));
      expect(await reasonOf(token), alg).toEqual({ kind: 'invalid_token', reason: 'wrong_algorithm' });
    }
  });

  it('refuses an RS256 token, and an HS256 token keyed with an RSA public key PEM (RS/HS confusion)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const rs = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(await reasonOf(rs)).toEqual({ kind: 'invalid_token', reason: 'wrong_algorithm' });
    // The classic confusion: sign HS256 with the public key's PEM text as the HMAC secret, hoping the
    // verifier uses "its key" (the public key) as the secret. We only ever key HMAC with the storefront secret.
    const pem = await exportSPKI(publicKey);
    const confused = await mint(claims(), pem);
    expect(await reasonOf(confused)).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
  });

  it('refuses a token typed as something else (e.g. one of our sessions)', async () => {
    const token = await mint(claims(), secret, { typ: 'bmr-session+jwt' });
    expect(await reasonOf(token)).toEqual({ kind: 'invalid_token', reason: 'wrong_type' });
  });

  it('accepts the previous secret while it is given, and refuses its tokens once it is dropped', async () => {
    const oldToken = await mint(claims(), previous);
    expect(await verifyCustomerToken(oldToken, [secret, previous], now)).toEqual({
      ok: true,
      value: { platformCustomerId: '7084532318456' },
    });
    const newToken = await mint(claims(), secret);
    expect((await verifyCustomerToken(newToken, [secret, previous], now)).ok).toBe(true);
    // Grace over: the same token replayed after rotation.
    expect(await reasonOf(oldToken, [secret])).toEqual({ kind: 'invalid_token', reason: 'bad_signature' });
  });

  it('calls malformed input malformed and never throws', async () => {
    const valid = await mint(claims());
    const [h, p] = valid.split('.') as [string, string, string];
    const inputs: unknown[] = [
      '',
      'abc',
      'a.b',
      'a.b.c.d',
      `${h}.${p}`,
      `${valid} `,
      `Bearer ${valid}`,
      `${b64url('not an object')}.${p}.`,
      `!!!.${p}.sig`,
      `${h}.${p}.${'A'.repeat(5000)}`,
      `${Buffer.from('{"alg":"HS256"').toString('base64url')}.${p}.x`,
      undefined,
      null,
      42,
    ];
    for (const input of inputs) {
      expect(await reasonOf(input as string), String(input)).toEqual({ kind: 'invalid_token', reason: 'malformed' });
    }
    // Valid header, a payload that is not JSON, signed correctly: still malformed, not a crash.
    const notJson = `${h}.${Buffer.from('not json').toString('base64url')}`;
    const sig = createHmac('sha256', secret).update(notJson).digest('base64url');
    expect(await reasonOf(`${notJson}.${sig}`)).toEqual({ kind: 'invalid_token', reason: 'malformed' });
  });
});

import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { issueSessionToken, sessionKey, verifySessionToken } from '../../../shared/domain/storefront/session-token';

const now = new Date('2026-03-01T12:00:00.000Z');
const t = Math.floor(now.getTime() / 1000);
const secret = 'sf_current_4f0c1d9a7b2e48c3a1d6e5f7';
const previous = 'sf_previous_93b1e2c4d5a6f7089a1b2c3d';
const key = sessionKey(secret);
const subject = { shopId: 'shop-a', cid: 'C01JQ7ZK3M', platformCustomerId: '7084532318456' };
const identity = { cid: 'C01JQ7ZK3M', platformCustomerId: '7084532318456' };
const later = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);
const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

const reasonOf = async (token: string, shopId = 'shop-a', keys: readonly Uint8Array[] = [key], at = now) => {
  const result = await verifySessionToken(token, shopId, keys, at);
  expect(result.ok).toBe(false);
  return result.ok ? undefined : result.error.reason;
};

describe('sessionKey', () => {
  it('is HMAC-SHA256(secret, "boomerang storefront session v1"), not the secret itself', () => {
    const expected = createHmac('sha256', secret).update('boomerang storefront session v1').digest();
    expect(Buffer.from(key).equals(expected)).toBe(true);
    expect(key).toHaveLength(32);
    expect(Buffer.from(sessionKey(previous)).equals(expected)).toBe(false);
  });
});

describe('issueSessionToken / verifySessionToken', () => {
  it('round-trips, with the documented header and claims and expiresAt = exp', async () => {
    const { sessionToken, expiresAt } = await issueSessionToken(subject, key, now);
    expect(expiresAt).toBe('2026-03-01T12:30:00.000Z');
    const [h, p] = sessionToken.split('.') as [string, string];
    expect(decode(h)).toEqual({ alg: 'HS256', typ: 'bmr-session+jwt' });
    expect(decode(p)).toEqual({
      iss: 'boomerang',
      aud: 'storefront:shop-a',
      sub: 'C01JQ7ZK3M',
      pcid: '7084532318456',
      iat: t,
      exp: t + 1800,
    });
    expect(await verifySessionToken(sessionToken, 'shop-a', [key], later(1799))).toEqual({
      ok: true,
      value: identity,
    });
  });

  it('expires after its ttl (5 s tolerance)', async () => {
    const { sessionToken, expiresAt } = await issueSessionToken(subject, key, now, 60);
    expect(expiresAt).toBe('2026-03-01T12:01:00.000Z');
    expect((await verifySessionToken(sessionToken, 'shop-a', [key], later(64))).ok).toBe(true);
    expect(await reasonOf(sessionToken, 'shop-a', [key], later(66))).toBe('expired');
  });

  it('refuses a session issued in the future beyond the tolerance', async () => {
    const { sessionToken } = await issueSessionToken(subject, key, later(30));
    expect(await reasonOf(sessionToken)).toBe('not_yet_valid');
  });

  it('refuses a bad ttl at issue time', async () => {
    for (const ttl of [0, -1, 1.5, 86_401, Number.NaN]) {
      await expect(issueSessionToken(subject, key, now, ttl)).rejects.toThrow(RangeError);
    }
  });

  it('refuses a session of shop A at shop B', async () => {
    const { sessionToken } = await issueSessionToken(subject, key, now);
    expect(await reasonOf(sessionToken, 'shop-b')).toBe('wrong_audience');
    // With shop B's own key it does not even verify.
    expect(await reasonOf(sessionToken, 'shop-b', [sessionKey('shop-b-secret')])).toBe('bad_signature');
  });

  it('refuses a customer token presented as a session', async () => {
    const customerToken = await new SignJWT({ sub: '7084532318456', iat: t, exp: t + 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    // Signed with the secret, not the derived key.
    expect(await reasonOf(customerToken)).toBe('bad_signature');
    // Had it been signed with the session key itself, the missing typ still gives it away.
    const sameKey = await new SignJWT({ sub: 'C01JQ7ZK3M', pcid: '1', iat: t, exp: t + 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('boomerang')
      .setAudience('storefront:shop-a')
      .sign(key);
    expect(await reasonOf(sameKey)).toBe('wrong_type');
    const typedNoIss = await new SignJWT({ sub: 'C01JQ7ZK3M', pcid: '1', iat: t, exp: t + 300 })
      .setProtectedHeader({ alg: 'HS256', typ: 'bmr-session+jwt' })
      .setAudience('storefront:shop-a')
      .sign(key);
    expect(await reasonOf(typedNoIss)).toBe('missing_claim');
  });

  it('refuses a forged or re-signed session', async () => {
    const { sessionToken } = await issueSessionToken(subject, key, now);
    const [h, , s] = sessionToken.split('.') as [string, string, string];
    const other = Buffer.from(JSON.stringify({ ...(decode(sessionToken.split('.')[1]!) as object), sub: 'X' }));
    expect(await reasonOf(`${h}.${other.toString('base64url')}.${s}`)).toBe('bad_signature');
    const noneHeader = Buffer.from('{"alg":"none","typ":"bmr-session+jwt"}').toString('base64url');
    expect(await reasonOf(`${noneHeader}.${sessionToken.split('.')[1]}.`)).toBe('wrong_algorithm');
  });

  it('keeps sessions of the previous secret during the grace and ends them after rotation', async () => {
    const { sessionToken } = await issueSessionToken(subject, sessionKey(previous), now);
    expect(await verifySessionToken(sessionToken, 'shop-a', [key, sessionKey(previous)], now)).toEqual({
      ok: true,
      value: identity,
    });
    expect(await reasonOf(sessionToken, 'shop-a', [key])).toBe('bad_signature');
  });

  it('calls malformed input malformed and never throws', async () => {
    for (const input of ['', 'x', 'a.b', 'a.b.c', undefined, 7]) {
      expect(await reasonOf(input as string), String(input)).toBe('malformed');
    }
  });
});

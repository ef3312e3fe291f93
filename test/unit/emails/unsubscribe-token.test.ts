import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { downloadSecretFrom, signDownloadToken, verifyDownloadToken } from '../../../shared/adapters/download-token';
import { signClaims } from '../../../shared/domain/signed-token';
import {
  signUnsubscribeToken,
  unsubscribeSecretFrom,
  verifyUnsubscribeToken,
  type UnsubscribeClaims,
} from '../../../shared/domain/emails/unsubscribe-token';
import { emailHash } from '../../../shared/domain/customers/identity';

const operatorKey = 'operator-key-for-tests';
const secret = unsubscribeSecretFrom(operatorKey);
const hash = emailHash('Ann@Example.com');
const claims: UnsubscribeClaims = { shopId: 'shop-1', emailHash: hash, scope: 'marketing', locale: 'da' };

/** Flips one character of a base64url string to another valid one. */
const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;

describe('unsubscribe tokens', () => {
  it('round-trip their claims, with and without a locale', () => {
    const token = signUnsubscribeToken(secret, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(secret, token)).toEqual({ ok: true, claims });

    const { locale: _locale, ...noLocale } = claims;
    const all = { ...noLocale, scope: 'all' as const };
    const checked = verifyUnsubscribeToken(secret, signUnsubscribeToken(secret, all));
    expect(checked).toEqual({ ok: true, claims: all });
    expect(checked.ok && 'locale' in checked.claims).toBe(false);
  });

  it('carry the hash, never the address', () => {
    const token = signUnsubscribeToken(secret, claims);
    const payload = Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');
    expect(payload).not.toMatch(/example\.com/i);
    expect(JSON.parse(payload)).toEqual({ s: 'shop-1', h: hash, c: 'marketing', l: 'da' });
  });

  it('are deterministic for the same secret and claims', () => {
    expect(signUnsubscribeToken(secret, claims)).toBe(signUnsubscribeToken(unsubscribeSecretFrom(operatorKey), claims));
  });

  it('reject a tampered payload or signature', () => {
    const token = signUnsubscribeToken(secret, claims);
    const [payload, sig] = token.split('.') as [string, string];
    // Another scope, re-encoded but with the old signature.
    const widened = Buffer.from(JSON.stringify({ s: 'shop-1', h: hash, c: 'all', l: 'da' })).toString('base64url');
    expect(verifyUnsubscribeToken(secret, `${widened}.${sig}`)).toEqual({ ok: false, reason: 'bad_signature' });
    // Another shop.
    const otherShop = Buffer.from(JSON.stringify({ s: 'shop-2', h: hash, c: 'marketing', l: 'da' })).toString(
      'base64url',
    );
    expect(verifyUnsubscribeToken(secret, `${otherShop}.${sig}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyUnsubscribeToken(secret, `${flip(payload, 3)}.${sig}`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyUnsubscribeToken(secret, `${payload}.${flip(sig, 0)}`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // A signature from a different payload.
    const otherSig = signUnsubscribeToken(secret, { ...claims, scope: 'all' }).split('.')[1]!;
    expect(verifyUnsubscribeToken(secret, `${payload}.${otherSig}`)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('reject a token signed with another operator key', () => {
    const foreign = signUnsubscribeToken(unsubscribeSecretFrom('another-operator-key'), claims);
    expect(verifyUnsubscribeToken(secret, foreign)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('do not verify as download tokens, and download tokens do not verify as them (same operator key)', () => {
    const downloadSecret = downloadSecretFrom(operatorKey);
    expect(downloadSecret.equals(secret)).toBe(false);

    const download = signDownloadToken(downloadSecret, { key: 'exports/shop-1/x.csv', exp: 2_000_000_000 });
    expect(verifyDownloadToken(downloadSecret, download, 1_000_000_000)).toMatchObject({ ok: true });
    expect(verifyUnsubscribeToken(secret, download)).toEqual({ ok: false, reason: 'bad_signature' });

    const unsubscribe = signUnsubscribeToken(secret, claims);
    expect(verifyDownloadToken(downloadSecret, unsubscribe, 1_000_000_000)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['empty payload', `.${'A'.repeat(43)}`],
    ['short signature', 'eyJ9.abc'],
    ['long signature', `eyJ9.${'A'.repeat(44)}`],
    ['characters outside base64url', `ey+J9.${'A'.repeat(43)}`],
    ['padding', `eyJ9=.${'A'.repeat(43)}`],
    ['three parts', `a.b.${'A'.repeat(43)}`],
    ['whitespace', ` ${signUnsubscribeToken(secret, claims)}`],
    ['an oversized payload', `${'A'.repeat(4097)}.${'A'.repeat(43)}`],
  ])('call a string of the wrong shape malformed: %s', (_name, token) => {
    expect(verifyUnsubscribeToken(secret, token)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('call a correctly signed payload that is not a JSON object malformed', () => {
    // Signed the way signed-token.ts signs: HMAC-SHA256 over the base64url payload.
    const signedRaw = (raw: string) => {
      const payload = Buffer.from(raw).toString('base64url');
      return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
    };
    expect(verifyUnsubscribeToken(secret, signedRaw(JSON.stringify({ s: 'shop-1', h: hash, c: 'all' })))).toMatchObject(
      { ok: true },
    );
    for (const raw of ['not json', '{"s":', '[1,2]', 'null', '"text"', '42', 'true']) {
      expect(verifyUnsubscribeToken(secret, signedRaw(raw)), raw).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('call signed claims that fail the schema malformed', () => {
    const bad: Record<string, unknown>[] = [
      { s: 'shop-1', h: 'not-hex'.padEnd(64, 'z'), c: 'all' },
      { s: 'shop-1', h: hash.toUpperCase(), c: 'all' },
      { s: 'shop-1', h: hash.slice(1), c: 'all' },
      { s: 'shop-1', h: hash, c: 'everything' },
      { s: '', h: hash, c: 'all' },
      { s: 'x'.repeat(64), h: hash, c: 'all' },
      { h: hash, c: 'all' },
      { s: 'shop-1', h: hash },
      { s: 'shop-1', h: hash, c: 'all', l: 'much-too-long' },
      { s: 1, h: hash, c: 'all' },
      {},
    ];
    for (const c of bad)
      expect(verifyUnsubscribeToken(secret, signClaims(secret, c)), JSON.stringify(c)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    // The schema itself is not too strict: a 63-character shop id is fine.
    expect(verifyUnsubscribeToken(secret, signClaims(secret, { s: 'x'.repeat(63), h: hash, c: 'all' }))).toMatchObject({
      ok: true,
    });
  });
});

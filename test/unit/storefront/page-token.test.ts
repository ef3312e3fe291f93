import { describe, expect, it } from 'vitest';
import { secretFor, signClaims } from '../../../shared/domain/signed-token';
import { signUnsubscribeToken, unsubscribeSecretFrom } from '../../../shared/domain/emails/unsubscribe-token';
import {
  LOYALTY_PAGE_TOKEN_TTL_SECONDS,
  loyaltyPageSecretFrom,
  loyaltyPageToken,
  verifyLoyaltyPageToken,
} from '../../../shared/domain/storefront/page-token';
import { emailHash } from '../../../shared/domain/customers/identity';

const operatorKey = 'operator-key-for-tests';
const secret = loyaltyPageSecretFrom(operatorKey);
const sentAt = new Date('2025-03-01T10:00:00.000Z');
const days = (n: number) => new Date(sentAt.getTime() + n * 86_400_000);
const subject = { shopId: 'shop-1', cid: 'i.4711' };

/** Flips one character of a base64url string to another valid one. */
const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
const invalid = (reason: string) => ({ ok: false, error: { kind: 'invalid_page_token', reason } });

describe('loyalty page tokens', () => {
  it('name the customer for their shop, for 30 days from sending', () => {
    const token = loyaltyPageToken(secret, subject, sentAt);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyLoyaltyPageToken(secret, token, 'shop-1', sentAt)).toEqual({ ok: true, value: { cid: 'i.4711' } });
    expect(verifyLoyaltyPageToken(secret, token, 'shop-1', days(29))).toEqual({ ok: true, value: { cid: 'i.4711' } });
    expect(LOYALTY_PAGE_TOKEN_TTL_SECONDS).toBe(30 * 86_400);
    // A guest's cid (an e-mail hash) works as well as a platform id.
    const guest = { shopId: 'shop-1', cid: `e.${emailHash('guest@example.com')}` };
    expect(verifyLoyaltyPageToken(secret, loyaltyPageToken(secret, guest, sentAt), 'shop-1', days(1))).toEqual({
      ok: true,
      value: { cid: guest.cid },
    });
  });

  it('expire 30 days after sending', () => {
    const token = loyaltyPageToken(secret, subject, sentAt);
    const lastSecond = new Date(days(30).getTime() - 1000);
    expect(verifyLoyaltyPageToken(secret, token, 'shop-1', lastSecond).ok).toBe(true);
    expect(verifyLoyaltyPageToken(secret, token, 'shop-1', days(30))).toEqual(invalid('expired'));
    expect(verifyLoyaltyPageToken(secret, token, 'shop-1', days(365))).toEqual(invalid('expired'));
  });

  it("are refused at another shop's page", () => {
    const token = loyaltyPageToken(secret, subject, sentAt);
    expect(verifyLoyaltyPageToken(secret, token, 'shop-2', sentAt)).toEqual(invalid('wrong_shop'));
    expect(verifyLoyaltyPageToken(secret, token, 'shop-1 ', sentAt)).toEqual(invalid('wrong_shop'));
  });

  it('are refused when tampered with, or signed with another key', () => {
    const token = loyaltyPageToken(secret, subject, sentAt);
    const [payload, sig] = token.split('.') as [string, string];
    expect(verifyLoyaltyPageToken(secret, `${flip(payload, 3)}.${sig}`, 'shop-1', sentAt)).toEqual(
      invalid('bad_signature'),
    );
    expect(verifyLoyaltyPageToken(secret, `${payload}.${flip(sig, 5)}`, 'shop-1', sentAt)).toEqual(
      invalid('bad_signature'),
    );
    // Someone else's customer or a later expiry, re-encoded without the key.
    const forged = Buffer.from(JSON.stringify({ s: 'shop-1', c: 'i.other', exp: 4_000_000_000 })).toString('base64url');
    expect(verifyLoyaltyPageToken(secret, `${forged}.${sig}`, 'shop-1', sentAt)).toEqual(invalid('bad_signature'));
    const otherOperator = loyaltyPageToken(loyaltyPageSecretFrom('another-operator-key'), subject, sentAt);
    expect(verifyLoyaltyPageToken(secret, otherOperator, 'shop-1', sentAt)).toEqual(invalid('bad_signature'));
  });

  it("refuse another purpose's token, even one with the same claims", () => {
    const unsubscribe = signUnsubscribeToken(unsubscribeSecretFrom(operatorKey), {
      shopId: 'shop-1',
      emailHash: emailHash('ann@example.com'),
      scope: 'all',
    });
    expect(verifyLoyaltyPageToken(secret, unsubscribe, 'shop-1', sentAt)).toEqual(invalid('bad_signature'));
    const lookalike = signClaims(secretFor(operatorKey, 'unsubscribe/v1'), {
      s: 'shop-1',
      c: 'i.4711',
      exp: 4_000_000_000,
    });
    expect(verifyLoyaltyPageToken(secret, lookalike, 'shop-1', sentAt)).toEqual(invalid('bad_signature'));
  });

  it('answer malformed for garbage and for signed claims of the wrong shape', () => {
    for (const garbage of ['', 'not-a-token', 'a.b', `${'x'.repeat(5000)}.${'y'.repeat(43)}`, 'a.b.c'])
      expect(verifyLoyaltyPageToken(secret, garbage, 'shop-1', sentAt)).toEqual(invalid('malformed'));
    for (const claims of [
      { s: 'shop-1', c: 'i.4711' },
      { s: 'shop-1', c: 'i.4711', exp: '4000000000' },
      { s: 'shop-1', c: '', exp: 4_000_000_000 },
      { c: 'i.4711', exp: 4_000_000_000 },
    ])
      expect(verifyLoyaltyPageToken(secret, signClaims(secret, claims), 'shop-1', sentAt)).toEqual(
        invalid('malformed'),
      );
  });
});

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appProxyMessage, verifyAppProxy } from '../../../shared/domain/storefront/app-proxy';

/** Shopify's own example (shopify.dev, "Authenticate app proxies"): shared secret "hush". */
const doc = {
  secret: 'hush',
  query:
    'extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews' +
    '&timestamp=1317327555&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb',
  at: new Date(1317327555 * 1000),
};

const secret = 'shpss_0123456789abcdef0123456789abcdef';
const now = new Date('2026-03-01T12:00:00.000Z');
const t = Math.floor(now.getTime() / 1000);
const hex = (message: string, key = secret): string => createHmac('sha256', key).update(message).digest('hex');

/** Builds a query as Shopify would forward it, signed over `message`. */
const signed = (pairs: [string, string][], key = secret): string => {
  const q = new URLSearchParams(pairs);
  q.append('signature', hex(appProxyMessage(pairs), key));
  return q.toString();
};

describe('verifyAppProxy', () => {
  it("matches Shopify's documented example: repeated keys joined with ',', sorted, no separator", () => {
    expect(
      appProxyMessage([
        ['extra', '1'],
        ['extra', '2'],
        ['shop', 'shop-name.myshopify.com'],
        ['logged_in_customer_id', '1'],
        ['path_prefix', '/apps/awesome_reviews'],
        ['timestamp', '1317327555'],
      ]),
    ).toBe(
      'extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviews' +
        'shop=shop-name.myshopify.comtimestamp=1317327555',
    );
    expect(verifyAppProxy(doc.query, [doc.secret], doc.at)).toEqual({
      ok: true,
      value: { shop: 'shop-name.myshopify.com', loggedInCustomerId: '1', pathPrefix: '/apps/awesome_reviews' },
    });
    expect(verifyAppProxy(`?${doc.query}`, [doc.secret], doc.at).ok).toBe(true);
  });

  it('sorts the formatted key=value strings, not the keys', () => {
    // "a-b=" sorts before "a=" ('-' < '='), although the key "a" sorts before "a-b".
    const message = appProxyMessage([
      ['a', '2'],
      ['a-b', '1'],
      ['shop', 's.myshopify.com'],
    ]);
    expect(message).toBe('a-b=1a=2shop=s.myshopify.com');
    const signature = hex(`a-b=1a=2shop=s.myshopify.comtimestamp=${t}`);
    const query = `a=2&a-b=1&shop=s.myshopify.com&timestamp=${t}&signature=${signature}`;
    expect(verifyAppProxy(query, [secret], now).ok).toBe(true);
  });

  it('refuses a tampered parameter, an added one, or a reordered repeated value', () => {
    const tampered = doc.query.replace('logged_in_customer_id=1', 'logged_in_customer_id=2');
    expect(verifyAppProxy(tampered, [doc.secret], doc.at)).toEqual({ ok: false, error: { kind: 'invalid_signature' } });
    expect(verifyAppProxy(`${doc.query}&admin=1`, [doc.secret], doc.at)).toEqual({
      ok: false,
      error: { kind: 'invalid_signature' },
    });
    const reordered = doc.query.replace('extra=1&extra=2', 'extra=2&extra=1');
    expect(verifyAppProxy(reordered, [doc.secret], doc.at)).toEqual({
      ok: false,
      error: { kind: 'invalid_signature' },
    });
  });

  it('refuses a wrong secret, a missing, uppercase, short or doubled signature', () => {
    expect(verifyAppProxy(doc.query, ['not-hush'], doc.at)).toEqual({
      ok: false,
      error: { kind: 'invalid_signature' },
    });
    expect(verifyAppProxy(doc.query, [], doc.at)).toEqual({ ok: false, error: { kind: 'invalid_signature' } });
    const unsigned = doc.query.replace(/&signature=.*$/, '');
    expect(verifyAppProxy(unsigned, [doc.secret], doc.at)).toEqual({ ok: false, error: { kind: 'invalid_signature' } });
    expect(verifyAppProxy(doc.query.toUpperCase(), [doc.secret], doc.at).ok).toBe(false);
    const upperSig = doc.query.replace(/signature=(.*)$/, (_m, s: string) => `signature=${s.toUpperCase()}`);
    expect(verifyAppProxy(upperSig, [doc.secret], doc.at)).toEqual({ ok: false, error: { kind: 'invalid_signature' } });
    expect(verifyAppProxy(doc.query.slice(0, -2), [doc.secret], doc.at)).toEqual({
      ok: false,
      error: { kind: 'invalid_signature' },
    });
    expect(verifyAppProxy(`${doc.query}&signature=${'0'.repeat(64)}`, [doc.secret], doc.at)).toEqual({
      ok: false,
      error: { kind: 'malformed' },
    });
  });

  it('accepts any of the secrets (rotation)', () => {
    expect(verifyAppProxy(doc.query, ['new-secret', doc.secret], doc.at).ok).toBe(true);
  });

  it('refuses a timestamp more than 5 minutes away, either way', () => {
    expect(verifyAppProxy(doc.query, [doc.secret], new Date((1317327555 + 300) * 1000)).ok).toBe(true);
    expect(verifyAppProxy(doc.query, [doc.secret], new Date((1317327555 - 300) * 1000)).ok).toBe(true);
    expect(verifyAppProxy(doc.query, [doc.secret], new Date((1317327555 + 301) * 1000))).toEqual({
      ok: false,
      error: { kind: 'stale' },
    });
    expect(verifyAppProxy(doc.query, [doc.secret], new Date((1317327555 - 301) * 1000))).toEqual({
      ok: false,
      error: { kind: 'stale' },
    });
    expect(verifyAppProxy(doc.query, [doc.secret], now)).toEqual({ ok: false, error: { kind: 'stale' } });
  });

  it('treats an empty logged_in_customer_id as anonymous', () => {
    const query = signed([
      ['shop', 'my-shop.myshopify.com'],
      ['logged_in_customer_id', ''],
      ['path_prefix', '/apps/loyalty'],
      ['timestamp', String(t)],
    ]);
    expect(query).toContain('logged_in_customer_id=&');
    expect(verifyAppProxy(query, [secret], now)).toEqual({
      ok: true,
      value: { shop: 'my-shop.myshopify.com', pathPrefix: '/apps/loyalty' },
    });
  });

  it('refuses signed requests that lack what we need (shop, timestamp) or carry junk ids', () => {
    const cases: [string, string][][] = [
      [['timestamp', String(t)]],
      [
        ['shop', 'evil.example.com'],
        ['timestamp', String(t)],
      ],
      [['shop', 'my-shop.myshopify.com']],
      [
        ['shop', 'my-shop.myshopify.com'],
        ['timestamp', 'soon'],
      ],
      [
        ['shop', 'my-shop.myshopify.com'],
        ['timestamp', String(t)],
        ['logged_in_customer_id', 'abc'],
      ],
      [
        ['shop', 'my-shop.myshopify.com'],
        ['shop', 'other.myshopify.com'],
        ['timestamp', String(t)],
      ],
    ];
    for (const pairs of cases) {
      expect(verifyAppProxy(signed(pairs), [secret], now), JSON.stringify(pairs)).toEqual({
        ok: false,
        error: { kind: 'malformed' },
      });
    }
  });

  it('never throws on junk', () => {
    for (const junk of ['', '?', '&&&', '%', 'signature=%zz', 'a=%E0%A4%A', 'x'.repeat(10_000), undefined]) {
      expect(verifyAppProxy(junk as string, [secret], now).ok).toBe(false);
    }
  });
});

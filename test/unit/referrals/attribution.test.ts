import fc from 'fast-check';
import { decodeTime, ulid } from 'ulidx';
import { describe, expect, it } from 'vitest';
import {
  clickTime,
  findCodeCandidates,
  parseClickId,
  parseLandingSite,
} from '../../../shared/domain/referrals/attribution';
import type { CanonicalOrder } from '../../../shared/schemas/order';
import { canonicalOrder } from '../../support/orders';

const CLICK = '01KDVDNA00P15AXXJ3DDSNFPZN'; // 2026-01-01T00:00:00.000Z
const CLICK_MS = Date.UTC(2026, 0, 1);

describe('findCodeCandidates', () => {
  it('finds nothing on a plain order', () => {
    expect(findCodeCandidates(canonicalOrder())).toEqual([]);
  });

  it('lists discount codes, then attributes, then the landing site', () => {
    const order = canonicalOrder({
      platform: 'shopify',
      discountCodes: ['anna7k2q'],
      attributes: { ref: 'BOB42', gift_note: 'hi' },
      landingSite: `/products/mug?ref=CARL9&utm_source=boomerang&bmr_click=${CLICK}`,
    });
    expect(findCodeCandidates(order)).toEqual([
      { code: 'ANNA7K2Q', source: 'discount_code' },
      { code: 'BOB42', source: 'attribute' },
      { code: 'CARL9', source: 'landing_site', clickId: CLICK },
    ]);
  });

  it('keeps every discount code, normalised, skipping ones that cannot be codes', () => {
    const order = canonicalOrder({ discountCodes: [' summer10 ', '10% OFF', 'x', 'anna-tea'] });
    expect(findCodeCandidates(order)).toEqual([
      { code: 'SUMMER10', source: 'discount_code' },
      { code: 'ANNA-TEA', source: 'discount_code' },
    ]);
  });

  it('reads attribute keys case-insensitively, our own key names first', () => {
    const order = canonicalOrder({
      platform: 'woocommerce',
      attributes: {
        Ref: 'GENERIC1',
        referral: 'REFERRAL1',
        BMR_REF: 'OURS2',
        ' boomerang_ref ': 'OURS1',
        referral_code: 'CODE1',
        utm_ref: 'NOPE1',
      },
    });
    expect(findCodeCandidates(order).map((c) => c.code)).toEqual(['OURS1', 'OURS2', 'CODE1', 'REFERRAL1', 'GENERIC1']);
    expect(findCodeCandidates(order).every((c) => c.source === 'attribute')).toBe(true);
  });

  it('reports referral_code as custom_field on custom-platform orders only', () => {
    expect(
      findCodeCandidates(
        canonicalOrder({ platform: 'custom', attributes: { referral_code: 'anna7k2q', ref: 'BOB42' } }),
      ),
    ).toEqual([
      { code: 'ANNA7K2Q', source: 'custom_field' },
      { code: 'BOB42', source: 'attribute' },
    ]);
    expect(
      findCodeCandidates(canonicalOrder({ platform: 'custom', attributes: { Referral_Code: 'ANNA7K2Q' } })),
    ).toEqual([{ code: 'ANNA7K2Q', source: 'custom_field' }]);
    expect(
      findCodeCandidates(canonicalOrder({ platform: 'shopify', attributes: { referral_code: 'ANNA7K2Q' } })),
    ).toEqual([{ code: 'ANNA7K2Q', source: 'attribute' }]);
  });

  it('removes duplicates keeping the first sighting, but keeps the click id of a later one', () => {
    const order = canonicalOrder({
      platform: 'shopify',
      discountCodes: ['ANNA7K2Q', 'anna7k2q'],
      attributes: { ref: 'Anna7k2q' },
      landingSite: `https://shop.example/?ref=ANNA7K2Q&bmr_click=${CLICK.toLowerCase()}`,
    });
    expect(findCodeCandidates(order)).toEqual([{ code: 'ANNA7K2Q', source: 'discount_code', clickId: CLICK }]);
  });

  it('does not attach a landing-site click to a different code', () => {
    const order = canonicalOrder({ discountCodes: ['BOB42'], landingSite: `/?ref=ANNA7K2Q&bmr_click=${CLICK}` });
    expect(findCodeCandidates(order)).toEqual([
      { code: 'BOB42', source: 'discount_code' },
      { code: 'ANNA7K2Q', source: 'landing_site', clickId: CLICK },
    ]);
  });

  it('never throws on malformed input', () => {
    const broken = {
      ...canonicalOrder(),
      discountCodes: [null, 42, 'OK1'],
      attributes: { ref: 7, referral: null },
      landingSite: 'http://[::1/%E0%A4%A?ref=%ZZ&ref=%41BC',
    } as unknown as CanonicalOrder;
    expect(findCodeCandidates(broken)).toEqual([
      { code: 'OK1', source: 'discount_code' },
      { code: 'ABC', source: 'landing_site' },
    ]);
    const missing = {
      ...canonicalOrder(),
      discountCodes: undefined,
      attributes: null,
      landingSite: 12,
    } as unknown as CanonicalOrder;
    expect(findCodeCandidates(missing)).toEqual([]);
  });

  it('never throws, whatever the strings (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string()),
        fc.dictionary(fc.string(), fc.string()),
        fc.option(fc.string({ unit: 'binary' })),
        fc.constantFrom('shopify', 'woocommerce', 'custom') as fc.Arbitrary<CanonicalOrder['platform']>,
        (discountCodes, attributes, landing, platform) => {
          const candidates = findCodeCandidates(
            canonicalOrder({ platform, discountCodes, attributes, landingSite: landing ?? undefined }),
          );
          const codes = candidates.map((c) => c.code);
          expect(new Set(codes).size).toBe(codes.length);
          for (const c of candidates) expect(c.code).toMatch(/^[A-Z0-9-]{3,24}$/);
        },
      ),
    );
  });
});

describe('parseLandingSite', () => {
  it('reads paths and full URLs', () => {
    expect(parseLandingSite('/products/x?ref=ANNA7K2Q&utm_source=boomerang&utm_medium=referral')).toEqual({
      codes: ['ANNA7K2Q'],
    });
    expect(parseLandingSite('https://shop.example.com/collections/all?utm_source=x&ref=anna7k2q')).toEqual({
      codes: ['ANNA7K2Q'],
    });
    expect(parseLandingSite('?ref=ANNA7K2Q')).toEqual({ codes: ['ANNA7K2Q'] });
  });

  it('reads every ref parameter name, case-insensitively, and HTML-escaped ampersands', () => {
    expect(parseLandingSite('/?REF=GEN1&bmr_ref=OURS1').codes).toEqual(['OURS1', 'GEN1']);
    expect(parseLandingSite('/?utm_source=x&amp;ref=ANNA7K2Q').codes).toEqual(['ANNA7K2Q']);
    expect(parseLandingSite('/?ref=ANNA%2D7K2Q').codes).toEqual(['ANNA-7K2Q']);
  });

  it('takes the click id when it is a ULID, ignoring the fragment', () => {
    expect(parseLandingSite(`/?bmr_click=${CLICK}`)).toEqual({ codes: [], clickId: CLICK });
    expect(parseLandingSite(`/?bmr_click=not-a-ulid&bmr_click=${CLICK}`)).toEqual({ codes: [], clickId: CLICK });
    expect(parseLandingSite('/?bmr_click=81KDVDNA00P15AXXJ3DDSNFPZN')).toEqual({ codes: [] });
    expect(parseLandingSite('/?bmr_click=01KDVDNA00P15AXXJ3DDSNFPZI')).toEqual({ codes: [] });
    expect(parseLandingSite('/page#?ref=ANNA7K2Q')).toEqual({ codes: [] });
    expect(parseLandingSite('/page?x=1#ref=ANNA7K2Q')).toEqual({ codes: [] });
  });

  it('returns nothing for no query, empty or odd input', () => {
    for (const site of [undefined, '', '/', 'not a url', '?', '?ref=', '?ref', '?ref=a b', '%%%?ref=%']) {
      expect(parseLandingSite(site)).toEqual({ codes: [] });
    }
  });
});

describe('clickTime / parseClickId', () => {
  it('decodes the time of a ULID', () => {
    expect(clickTime(CLICK)).toBe(CLICK_MS);
    expect(clickTime(CLICK.toLowerCase())).toBe(CLICK_MS);
    expect(clickTime('00000000000000000000000000')).toBe(0);
    expect(clickTime('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(2 ** 48 - 1);
  });

  it('agrees with ulidx (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = ulid(ms);
        return clickTime(id) === ms && decodeTime(id) === ms && parseClickId(id) === id;
      }),
    );
  });

  it('is undefined for anything that is not a ULID', () => {
    for (const bad of [
      '',
      'abc',
      `${CLICK}0`,
      CLICK.slice(1),
      '8ZZZZZZZZZZZZZZZZZZZZZZZZZ',
      '01KDVDNA00P15AXXJ3DDSNFPZU',
      '01KDVDNA00P15AXXJ3DDSNFPZL',
      '01KDVDNA00P15AXXJ3DDSNF-ZN',
    ]) {
      expect(clickTime(bad), bad).toBeUndefined();
    }
    expect(parseClickId(42)).toBeUndefined();
  });
});

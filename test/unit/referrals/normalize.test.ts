import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressHash,
  canonicalEmail,
  identityFrom,
  ipHash,
  normalizeIp,
} from '../../../shared/domain/referrals/normalize';
import type { Address } from '../../../shared/schemas/order';
import { canonicalOrder } from '../../support/orders';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('canonicalEmail', () => {
  it('trims, drops stray whitespace and lower-cases', () => {
    expect(canonicalEmail('  Anna@Example.COM \n')).toBe('anna@example.com');
    expect(canonicalEmail('anna @ example.com')).toBe('anna@example.com');
  });

  it('strips a +tag for every domain, keeping dots outside Gmail', () => {
    expect(canonicalEmail('anna+shop1@example.com')).toBe('anna@example.com');
    expect(canonicalEmail('anna+a+b@outlook.com')).toBe('anna@outlook.com');
    expect(canonicalEmail('anna.berg+x@outlook.com')).toBe('anna.berg@outlook.com');
    expect(canonicalEmail('anna.berg@outlook.com')).not.toBe(canonicalEmail('annaberg@outlook.com'));
  });

  it('removes dots in Gmail local parts and maps googlemail.com to gmail.com', () => {
    expect(canonicalEmail('A.n.N.a@Gmail.com')).toBe('anna@gmail.com');
    expect(canonicalEmail('a.nna+promo@googlemail.com')).toBe('anna@gmail.com');
    expect(canonicalEmail('ANNA@GOOGLEMAIL.COM')).toBe('anna@gmail.com');
    expect(canonicalEmail('anna@gmail.com.evil.test')).toBe('anna@gmail.com.evil.test');
    expect(canonicalEmail('a.nna@mail.gmail.com')).toBe('a.nna@mail.gmail.com');
  });

  it('leaves Yahoo-style -aliases alone', () => {
    expect(canonicalEmail('anna-shop@yahoo.com')).toBe('anna-shop@yahoo.com');
  });

  it('does not strip a local part down to nothing', () => {
    expect(canonicalEmail('+tag@example.com')).toBe('+tag@example.com');
    expect(canonicalEmail('...@gmail.com')).toBe('...@gmail.com');
    expect(canonicalEmail('.+x@googlemail.com')).toBe('.+x@googlemail.com');
  });

  it('splits at the last @ and tolerates non-addresses', () => {
    expect(canonicalEmail('"a@b"+x@Example.com')).toBe('"a@b"@example.com');
    expect(canonicalEmail('Not An Email')).toBe('notanemail');
    expect(canonicalEmail('')).toBe('');
  });

  it('is idempotent (property)', () => {
    const local = fc.string({ unit: fc.constantFrom('a', 'B', '.', '+', '-', 'ä', ' ', '@', 'İ', 'ß') });
    const domain = fc.constantFrom('gmail.com', 'GoogleMail.com', 'example.com', 'Outlook.COM', '', 'x');
    const emails = fc.oneof(
      fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(emails, (e) => canonicalEmail(canonicalEmail(e)) === canonicalEmail(e)),
      { numRuns: 2000 },
    );
  });

  it('gives the same value for the usual disguises of one Gmail address (property)', () => {
    const name = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
      minLength: 1,
      maxLength: 12,
    });
    const disguise = fc.tuple(
      name,
      fc.array(fc.nat(), { maxLength: 3 }),
      fc.option(fc.string({ unit: fc.constantFrom('x', 'y', '1'), maxLength: 5 })),
      fc.boolean(),
      fc.boolean(),
    );
    fc.assert(
      fc.property(disguise, ([n, dots, tag, googlemail, upper]) => {
        let local = n;
        for (const d of dots) {
          const at = d % (local.length + 1);
          local = `${local.slice(0, at)}.${local.slice(at)}`;
        }
        if (tag !== null) local = `${local}+${tag}`;
        const address = `${local}@${googlemail ? 'googlemail.com' : 'gmail.com'}`;
        return canonicalEmail(upper ? address.toUpperCase() : address) === `${n}@gmail.com`;
      }),
    );
  });
});

describe('addressHash', () => {
  const base: Address = {
    name: 'Anna Berg',
    address1: '12 Main Street',
    address2: 'Apartment 4B',
    zip: '2100',
    countryCode: 'dk',
    city: 'København Ø',
    phone: '+45 1234',
  };

  it('returns a sha-256 hex digest', () => {
    expect(addressHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores name, phone, city and province', () => {
    expect(addressHash({ ...base, name: 'Someone Else', phone: undefined, city: 'Copenhagen', province: 'H' })).toBe(
      addressHash(base),
    );
  });

  it('folds case, whitespace, punctuation and common abbreviations', () => {
    const variants: Address[] = [
      { address1: '12 main st.', address2: 'apt 4b', zip: '2100', countryCode: 'DK' },
      { address1: '  12,  MAIN   ST ', address2: 'Apt. 4-B', zip: ' 2100 ', countryCode: ' dk ' },
      { address1: '12 Main Street Apartment 4B', zip: '2100', countryCode: 'DK' },
      { address1: '12 Main St', address2: '#4B', zip: '2100', countryCode: 'DK' },
    ];
    for (const v of variants.slice(0, 3)) expect(addressHash(v)).toBe(addressHash(base));
    // "#4B" becomes "4b": without the apt it is a different string (we do not guess).
    expect(addressHash(variants[3])).not.toBe(addressHash(base));
    expect(addressHash({ address1: '5 Ocean Avenue', zip: '1', countryCode: 'US' })).toBe(
      addressHash({ address1: '5 ocean ave', zip: '1', countryCode: 'us' }),
    );
    expect(addressHash({ address1: '5 Long Road', zip: '1' })).toBe(addressHash({ address1: '5 long rd', zip: '1' }));
  });

  it('keeps ordinals as written', () => {
    expect(addressHash({ address1: '100 5th Avenue', zip: '10011', countryCode: 'US' })).toBe(
      addressHash({ address1: '100 5TH AVE', zip: '10011', countryCode: 'US' }),
    );
    expect(addressHash({ address1: '100 5th Avenue', zip: '10011', countryCode: 'US' })).not.toBe(
      addressHash({ address1: '100 Fifth Avenue', zip: '10011', countryCode: 'US' }),
    );
  });

  it('folds diacritics and letters NFKD leaves alone', () => {
    expect(addressHash({ address1: 'Rue de l’Église 3', zip: '75001', countryCode: 'FR' })).toBe(
      addressHash({ address1: 'rue de l eglise 3', zip: '75001', countryCode: 'FR' }),
    );
    expect(addressHash({ address1: 'Hauptstraße 5', zip: '10115', countryCode: 'DE' })).toBe(
      addressHash({ address1: 'HAUPTSTRASSE 5', zip: '10115', countryCode: 'DE' }),
    );
    expect(addressHash({ address1: 'Søndergade 1', zip: '8000', countryCode: 'DK' })).toBe(
      addressHash({ address1: 'Sondergade 1', zip: '8000', countryCode: 'DK' }),
    );
    expect(addressHash({ address1: 'Ærøgade 1', zip: '8000', countryCode: 'DK' })).toBe(
      addressHash({ address1: 'AEROGADE 1', zip: '8000', countryCode: 'DK' }),
    );
    // full-width digits and letters (NFKD compatibility forms)
    expect(addressHash({ address1: '１２ Ｍａｉｎ St', zip: '２１００' })).toBe(
      addressHash({ address1: '12 main st', zip: '2100' }),
    );
  });

  it('compacts postcodes and cuts US ZIP+4 to five digits', () => {
    expect(addressHash({ address1: '1 A St', zip: 'SW1A 1AA', countryCode: 'GB' })).toBe(
      addressHash({ address1: '1 A St', zip: 'sw1a1aa', countryCode: 'gb' }),
    );
    expect(addressHash({ address1: '1 A St', zip: '94105-1234', countryCode: 'US' })).toBe(
      addressHash({ address1: '1 A St', zip: '94105', countryCode: 'US' }),
    );
    expect(addressHash({ address1: '1 A St', zip: '1234-567', countryCode: 'PT' })).not.toBe(
      addressHash({ address1: '1 A St', zip: '1234', countryCode: 'PT' }),
    );
  });

  it('distinguishes different addresses', () => {
    expect(addressHash({ ...base, zip: '2200' })).not.toBe(addressHash(base));
    expect(addressHash({ ...base, countryCode: 'SE' })).not.toBe(addressHash(base));
    expect(addressHash({ ...base, address1: '14 Main Street' })).not.toBe(addressHash(base));
    expect(addressHash({ ...base, address2: 'Apartment 5B' })).not.toBe(addressHash(base));
  });

  it('is undefined without a street line or a postcode', () => {
    expect(addressHash(undefined)).toBeUndefined();
    expect(addressHash({})).toBeUndefined();
    expect(addressHash({ address1: '12 Main St', countryCode: 'DK' })).toBeUndefined();
    expect(addressHash({ address1: '12 Main St', zip: ' - ' })).toBeUndefined();
    expect(addressHash({ address2: 'Apt 4', zip: '2100' })).toBeUndefined();
    expect(addressHash({ address1: '  ,. ', zip: '2100' })).toBeUndefined();
  });

  it('folds spacing inside unit numbers and case across any script (ß/SS, final sigma, iota subscript)', () => {
    const at = (address1: string) => addressHash({ address1, zip: '2100', countryCode: 'DK' });
    expect(at('12 Main St Apt 4-B')).toBe(at('12 main st apt4b'));
    expect(at('STRASSE 1')).toBe(at('straße 1'));
    expect(at('ΟΔΟΣ 1')).toBe(at('οδος 1'));
    expect(at('ᾀ 1')).toBe(at('ᾀ 1'.toUpperCase()));
  });

  it('is unchanged when any text is upper-cased and padded (property, full Unicode)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.string({ unit: 'binary', minLength: 1 }),
        (a, z) =>
          addressHash({ address1: a, zip: z }) ===
          addressHash({ address1: ` ${a.toUpperCase()} `, zip: `\t${z.toUpperCase()}` }),
      ),
      { numRuns: 2000 },
    );
  });

  it('is stable under whitespace and case changes (property)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'abcxyzäöüøæßé0123456789 .,-#/'.split('')), maxLength: 30 });
    const messUp = (s: string, upper: boolean, pad: number) => {
      const spaced = s.replace(/ /g, ' '.repeat(pad + 1)).replace(/,/g, ' , ');
      return `${' '.repeat(pad)}${upper ? spaced.toUpperCase() : spaced}\t`;
    };
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.constantFrom('dk', 'US', 'de'),
        fc.boolean(),
        fc.nat(3),
        (a1, a2, zip, cc, upper, pad) => {
          const clean: Address = { address1: a1, address2: a2, zip, countryCode: cc };
          const messy: Address = {
            address1: messUp(a1, upper, pad),
            address2: messUp(a2, !upper, pad),
            zip: messUp(zip, upper, pad),
            countryCode: messUp(cc, !upper, pad),
          };
          return addressHash(clean) === addressHash(messy);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('ipHash / normalizeIp', () => {
  it('hashes the normalised address with sha-256', () => {
    expect(ipHash('203.0.113.7')).toBe(sha('203.0.113.7'));
  });

  it('maps IPv4-mapped IPv6 to plain IPv4, in every spelling', () => {
    for (const ip of [
      '::ffff:203.0.113.7',
      '::FFFF:203.0.113.7',
      '0:0:0:0:0:ffff:203.0.113.7',
      '::ffff:cb00:7107',
      '[::ffff:203.0.113.7]',
      ' 203.0.113.7 ',
    ]) {
      expect(normalizeIp(ip)).toBe('203.0.113.7');
      expect(ipHash(ip)).toBe(ipHash('203.0.113.7'));
    }
  });

  it('writes IPv6 in one form: lower-case, zeros compressed, no zone', () => {
    expect(normalizeIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normalizeIp('2001:0db8::0001')).toBe('2001:db8::1');
    expect(normalizeIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normalizeIp('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('::')).toBe('::');
    expect(normalizeIp('::1')).toBe('::1');
    expect(ipHash('2001:DB8::1')).toBe(ipHash('2001:db8:0000::1'));
    expect(ipHash('2001:db8::1')).not.toBe(ipHash('2001:db8::2'));
  });

  it('drops leading zeros in IPv4 octets', () => {
    expect(normalizeIp('010.001.000.001')).toBe('10.1.0.1');
  });

  it('is undefined for things that are not IP addresses', () => {
    for (const ip of [
      undefined,
      '',
      ' ',
      'unknown',
      '256.1.1.1',
      '1.2.3',
      '1:2:3',
      '1::2::3',
      ':::',
      '1.2.3.4::',
      'gggg::1',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
    ]) {
      expect(ipHash(ip)).toBeUndefined();
    }
  });
});

describe('identityFrom', () => {
  it('builds every field from the order', () => {
    const order = canonicalOrder({
      customer: { id: 'c9', email: 'A.nna+x@GoogleMail.com' },
      shippingAddress: { address1: '12 Main St', zip: '2100', countryCode: 'DK' },
      paymentFingerprint: 'fp_123',
      clientIp: '::ffff:198.51.100.4',
    });
    expect(identityFrom(order, 'i.c9')).toEqual({
      cid: 'i.c9',
      canonicalEmail: 'anna@gmail.com',
      addressHash: addressHash({ address1: '12 main street', zip: '2100', countryCode: 'dk' }),
      paymentFingerprint: 'fp_123',
      ipHash: sha('198.51.100.4'),
    });
  });

  it('leaves out what the order does not have, and falls back to the billing address', () => {
    const bare = canonicalOrder({ customer: {} });
    expect(identityFrom(bare, undefined)).toEqual({});
    const digital = canonicalOrder({
      customer: { email: 'no-at-sign' },
      billingAddress: { address1: '1 A St', zip: '1' },
      clientIp: 'unknown',
      paymentFingerprint: '',
    });
    expect(identityFrom(digital, '')).toEqual({ addressHash: addressHash({ address1: '1 A St', zip: '1' }) });
  });
});

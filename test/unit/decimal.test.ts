import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor, multiplyMinor, sumMinor, toMinorUnits } from '../../shared/domain/money/decimal';

const minor = (amount: string | number, currency: string, rounding?: 'reject' | 'half_even') => {
  const r = toMinorUnits(amount, currency, { rounding });
  return r.ok ? r.value : r.error.reason;
};

/** A currency of each exponent (ISO 4217): JPY 0, EUR 2, KWD 3, CLF 4. */
const byExponent = { 0: 'JPY', 2: 'EUR', 3: 'KWD', 4: 'CLF' } as const;

describe('toMinorUnits', () => {
  it.each([
    ['199.00', 'EUR', 19900],
    ['-5.00', 'EUR', -500],
    ['0.1', 'EUR', 10],
    ['0', 'EUR', 0],
    ['-0.00', 'EUR', 0],
    ['007.50', 'EUR', 750],
    ['12', 'EUR', 1200],
    ['10.000', 'EUR', 1000],
    [' 19.99 ', 'EUR', 1999],
    ['1234', 'JPY', 1234],
    ['1234.0', 'JPY', 1234],
    ['1.234', 'KWD', 1234],
    ['1.2', 'KWD', 1200],
    ['0.0001', 'CLF', 1],
    ['90071992547409.91', 'EUR', 9007199254740991],
  ])('%s %s → %s', (input, currency, expected) => {
    expect(minor(input, currency)).toBe(expected);
  });

  it.each([
    ['1e2', 'not_a_decimal'],
    ['1E2', 'not_a_decimal'],
    ['1,234.50', 'not_a_decimal'],
    ['1 234.50', 'not_a_decimal'],
    ['12,50', 'not_a_decimal'],
    ['', 'not_a_decimal'],
    ['.5', 'not_a_decimal'],
    ['5.', 'not_a_decimal'],
    ['+5', 'not_a_decimal'],
    ['--5', 'not_a_decimal'],
    ['0x10', 'not_a_decimal'],
    ['NaN', 'not_a_decimal'],
    ['Infinity', 'not_a_decimal'],
    ['１２', 'not_a_decimal'],
    ['10.005', 'too_many_decimals'],
    ['0.001', 'too_many_decimals'],
    ['90071992547409.92', 'out_of_range'],
    ['99999999999999999999', 'out_of_range'],
  ])('rejects %s for EUR (%s)', (input, reason) => {
    expect(minor(input, 'EUR')).toBe(reason);
  });

  it('rejects decimals on a zero-exponent currency unless they are zeros', () => {
    expect(minor('100.5', 'JPY')).toBe('too_many_decimals');
    expect(minor('100.00', 'JPY')).toBe(100);
  });

  it('rejects unknown currencies', () => {
    expect(minor('1.00', 'XYZ')).toBe('unknown_currency');
    expect(minor('1.00', 'eur')).toBe('unknown_currency');
  });

  it('reads JSON numbers through their shortest string form', () => {
    expect(minor(89.99, 'USD')).toBe(8999);
    expect(minor(0.1 + 0.2, 'USD')).toBe('too_many_decimals'); // 0.30000000000000004: not silently 30
    expect(minor(3, 'USD')).toBe(300);
    expect(minor(-0, 'USD')).toBe(0);
    expect(minor(1e21, 'USD')).toBe('not_a_decimal');
    expect(minor(Number.NaN, 'USD')).toBe('not_a_decimal');
    expect(minor(Number.POSITIVE_INFINITY, 'USD')).toBe('not_a_decimal');
  });

  it('rounds half to even only when asked', () => {
    expect(minor('10.125', 'EUR', 'half_even')).toBe(1012);
    expect(minor('10.135', 'EUR', 'half_even')).toBe(1014);
    expect(minor('10.1251', 'EUR', 'half_even')).toBe(1013);
    expect(minor('10.1249', 'EUR', 'half_even')).toBe(1012);
    expect(minor('-10.125', 'EUR', 'half_even')).toBe(-1012);
    expect(minor('-10.135', 'EUR', 'half_even')).toBe(-1014);
    expect(minor('0.5', 'JPY', 'half_even')).toBe(0);
    expect(minor('1.5', 'JPY', 'half_even')).toBe(2);
    expect(minor('-0.004', 'EUR', 'half_even')).toBe(0);
    expect(minor('10.125', 'EUR')).toBe('too_many_decimals');
  });

  it('half-even agrees with exact rational rounding (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 1, max: 6 }),
        (scaled, extraDigits) => {
          // scaled / 10^(2 + extraDigits) EUR, rounded to cents.
          const denom = 10n ** BigInt(extraDigits);
          const neg = scaled < 0n;
          const mag = neg ? -scaled : scaled;
          const digits = mag.toString().padStart(2 + extraDigits + 1, '0');
          const text = `${neg ? '-' : ''}${digits.slice(0, digits.length - 2 - extraDigits)}.${digits.slice(-2 - extraDigits)}`;
          let q = mag / denom;
          const r = mag % denom;
          if (r * 2n > denom || (r * 2n === denom && q % 2n === 1n)) q += 1n;
          const expected = Number(neg ? -q : q);
          expect(minor(text, 'EUR', 'half_even')).toBe(expected === 0 ? 0 : expected);
        },
      ),
    );
  });
});

describe('formatMinor', () => {
  it.each([
    [19900, 'EUR', '199.00'],
    [-500, 'EUR', '-5.00'],
    [5, 'EUR', '0.05'],
    [-5, 'EUR', '-0.05'],
    [0, 'EUR', '0.00'],
    [1234, 'JPY', '1234'],
    [1234, 'KWD', '1.234'],
    [1, 'CLF', '0.0001'],
    [Number.MAX_SAFE_INTEGER, 'EUR', '90071992547409.91'],
  ])('%s %s → %s', (value, currency, expected) => {
    expect(formatMinor(value, currency)).toBe(expected);
  });

  it('refuses non-integers', () => {
    expect(() => formatMinor(1.5, 'EUR')).toThrow(RangeError);
  });
});

describe('format ∘ parse round trips (property)', () => {
  for (const [exponent, currency] of Object.entries(byExponent)) {
    it(`parse(format(m)) = m for exponent ${exponent} (${currency})`, () => {
      fc.assert(
        fc.property(fc.maxSafeInteger(), (m) => {
          expect(toMinorUnits(formatMinor(m, currency), currency)).toEqual({ ok: true, value: m === 0 ? 0 : m });
        }),
      );
    });

    it(`format(parse(s)) is s in canonical form for exponent ${exponent} (${currency})`, () => {
      const e = Number(exponent);
      const decimalText = fc
        .tuple(
          fc.boolean(),
          fc.stringMatching(/^[0-9]{1,10}$/),
          fc.stringMatching(new RegExp(`^[0-9]{0,${e}}$`)),
          fc.nat({ max: 3 }),
        )
        .map(([neg, whole, frac, zeros]) => ({
          text: `${neg ? '-' : ''}${whole}${frac || zeros ? `.${frac}${'0'.repeat(zeros)}` : ''}`.replace(/\.$/, ''),
          neg,
          whole,
          frac,
        }));
      fc.assert(
        fc.property(decimalText, ({ text, neg, whole, frac }) => {
          const r = toMinorUnits(text, currency);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const wholeCanon = whole.replace(/^0+(?=\d)/, '');
          const fracCanon = frac.padEnd(e, '0');
          const isZero = /^0+$/.test(whole) && /^0*$/.test(frac);
          const expected = `${neg && !isZero ? '-' : ''}${wholeCanon}${e > 0 ? `.${fracCanon}` : ''}`;
          expect(formatMinor(r.value, currency)).toBe(expected);
        }),
      );
    });

    it(`JSON numbers with at most ${exponent} decimals parse exactly (${currency})`, () => {
      fc.assert(
        fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), (m) => {
          // The double closest to m / 10^e prints (shortest form) as the decimal m / 10^e.
          const asNumber = Number(formatMinor(m, currency));
          expect(toMinorUnits(asNumber, currency)).toEqual({ ok: true, value: m === 0 ? 0 : m });
        }),
      );
    });
  }
});

describe('exact integer helpers', () => {
  it('multiplies and sums exactly or says it cannot', () => {
    expect(multiplyMinor(1999, 3)).toBe(5997);
    expect(multiplyMinor(Number.MAX_SAFE_INTEGER, 2)).toBeUndefined();
    expect(sumMinor([1, 2, 3])).toBe(6);
    expect(sumMinor([Number.MAX_SAFE_INTEGER, 1])).toBeUndefined();
    expect(sumMinor([0.5])).toBeUndefined();
  });
});

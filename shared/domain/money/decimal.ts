import type { DomainResult } from '../result';
import { err, ok } from '../result';
import { currencyExponent, isCurrencyCode } from './currencies';

/**
 * Decimal amounts as platforms send them ("199.00", "-5.00", a few JSON numbers) to integer
 * minor units and back, exactly: digits are handled as text and BigInt, never as a float.
 *
 * Too many decimals (more than the currency's exponent) are REJECTED by default unless the
 * extra digits are all zero ("10.000" EUR is 1000). Shopify and our custom format always send
 * amounts in the currency's minor unit, so a non-zero extra digit means the payload is not
 * what we think it is (wrong currency, an unrounded computed value): silently rounding would
 * hide that and make Σ lines disagree with the total by a minor unit. Callers that know the
 * platform legitimately sends more precision (WooCommerce shops can configure more price
 * decimals than the currency has) ask for `rounding: 'half_even'` explicitly: banker's
 * rounding, so rounding many amounts has no systematic upward bias.
 */
export type InvalidAmountReason = 'not_a_decimal' | 'too_many_decimals' | 'unknown_currency' | 'out_of_range';

export interface InvalidAmount {
  kind: 'invalid_amount';
  reason: InvalidAmountReason;
  input: string;
  currency: string;
  message: string;
}

export interface ToMinorOptions {
  /** What to do with non-zero digits beyond the currency's exponent. Default `'reject'`. */
  rounding?: 'reject' | 'half_even';
}

/** Plain decimal notation only: optional minus, digits, optional fraction. No exponent, no separators. */
const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

const invalid = (reason: InvalidAmountReason, input: string, currency: string, message: string) =>
  err<InvalidAmount>({ kind: 'invalid_amount', reason, input, currency, message });

/**
 * Converts a decimal amount to integer minor units of `currency` (JPY 0, EUR 2, KWD 3 decimals).
 * Numbers go through their shortest round-trip string (`String(n)`), then the string path.
 */
export const toMinorUnits = (
  amount: string | number,
  currency: string,
  options: ToMinorOptions = {},
): DomainResult<number, InvalidAmount> => {
  const input =
    typeof amount === 'number' ? String(amount) : typeof amount === 'string' ? amount.trim() : String(amount);
  if (!isCurrencyCode(currency))
    return invalid('unknown_currency', input, currency, `"${currency}" is not an ISO 4217 currency code`);
  if (typeof amount === 'number' && !Number.isFinite(amount)) {
    return invalid('not_a_decimal', input, currency, `${input} is not a finite amount`);
  }
  const match = decimalPattern.exec(input);
  if (!match) {
    return invalid(
      'not_a_decimal',
      input,
      currency,
      `"${input}" is not a plain decimal amount (e.g. "19.99"; no exponent, no thousands separators)`,
    );
  }
  const negative = match[1] === '-';
  const whole = match[2] ?? '0';
  const fraction = match[3] ?? '';
  const exponent = currencyExponent(currency);

  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const extra = fraction.slice(exponent);
  let magnitude = BigInt(whole + kept);
  if (/[^0]/.test(extra)) {
    if ((options.rounding ?? 'reject') === 'reject') {
      return invalid(
        'too_many_decimals',
        input,
        currency,
        `"${input}" has more than ${exponent} decimal place(s), the minor unit of ${currency}`,
      );
    }
    // Half-even on the magnitude (symmetric for negatives): compare the dropped digits with one half.
    const half = '5'.padEnd(extra.length, '0');
    const cmp = extra === half ? 0 : extra > half ? 1 : -1;
    if (cmp > 0 || (cmp === 0 && magnitude % 2n === 1n)) magnitude += 1n;
  }
  if (magnitude > maxSafe) {
    return invalid(
      'out_of_range',
      input,
      currency,
      `"${input}" ${currency} is too large to hold exactly in minor units`,
    );
  }
  return ok(negative && magnitude !== 0n ? -Number(magnitude) : Number(magnitude));
};

/** Integer minor units back to a plain decimal string with exactly the currency's decimals. */
export const formatMinor = (minor: number | bigint, currency: string): string => {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor))
    throw new RangeError(`${minor} is not a safe integer amount`);
  const exponent = currencyExponent(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
};

/** a × b for minor amounts, exact or `undefined` when the product is not a safe integer. */
export const multiplyMinor = (a: number, b: number): number | undefined => {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return undefined;
  const product = BigInt(a) * BigInt(b);
  return product > maxSafe || product < -maxSafe ? undefined : Number(product);
};

/** Σ of minor amounts, exact or `undefined` when the sum leaves the safe-integer range. */
export const sumMinor = (values: readonly number[]): number | undefined => {
  let total = 0n;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) return undefined;
    total += BigInt(v);
  }
  return total > maxSafe || total < -maxSafe ? undefined : Number(total);
};

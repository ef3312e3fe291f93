import type { DomainResult } from '../result';
import { err, ok } from '../result';
import { currencyExponent } from './currencies';

/**
 * Exchange rates as exact fractions, and conversion of minor units between currencies with
 * them: integers and BigInt only, never a float. Conversions round towards zero (down for the
 * amounts orders carry), so a converted order is never worth more than the rate says.
 */

/** Units of the target currency per one unit of the source currency, as `num / den` (both > 0). */
export interface ExchangeRate {
  num: bigint;
  den: bigint;
  /** The rate as it was written, kept for the record. */
  text: string;
}

/** Plain decimal, optionally with an exponent: PHP writes small floats as "6.25E-5". */
const ratePattern = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * Parses a rate written as a decimal ("0.0065", "150", "7.692308"), a decimal with an exponent
 * ("6.25E-5") or a JSON number. Zero, negatives and anything else are refused.
 */
export const parseExchangeRate = (value: unknown): DomainResult<ExchangeRate, string> => {
  const text =
    typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : undefined;
  if (text === undefined || text.length > 40) return err('must be a positive decimal number, e.g. "0.0065"');
  const m = ratePattern.exec(text);
  if (!m) return err(`"${text}" is not a positive decimal number (e.g. "0.0065"; no sign, no thousands separators)`);
  const fraction = m[2] ?? '';
  const shift = Number(m[3] ?? '0') - fraction.length;
  let num = BigInt(`${m[1]}${fraction}`);
  let den = 1n;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den = 10n ** BigInt(-shift);
  if (num === 0n) return err(`"${text}" is zero; an exchange rate must be positive`);
  return ok({ num, den, text });
};

/** The same rate the other way round: 1 / rate. */
export const invertRate = (rate: ExchangeRate): ExchangeRate => ({
  num: rate.den,
  den: rate.num,
  text: `1/${rate.text}`,
});

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `minor` units of `from` converted at `rate` into minor units of `to`, rounded towards zero;
 * `undefined` when the result is not a safe integer.
 */
export const convertMinor = (minor: number, from: string, to: string, rate: ExchangeRate): number | undefined => {
  if (!Number.isSafeInteger(minor)) return undefined;
  const magnitude = BigInt(Math.abs(minor));
  const scaled = magnitude * rate.num * 10n ** BigInt(currencyExponent(to));
  const converted = scaled / (rate.den * 10n ** BigInt(currencyExponent(from)));
  if (converted > maxSafe) return undefined;
  return minor < 0 && converted > 0n ? -Number(converted) : Number(converted);
};

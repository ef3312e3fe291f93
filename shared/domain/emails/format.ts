import { currencyExponent } from '../money/currencies';
import { formatMinor } from '../money/decimal';
import type { EmailLocale } from './locales';
import { intlLocale } from './locales';

/** Numbers, money and dates written the way the e-mail's reader expects, in the shop's time zone. */
export interface Formatter {
  /** A whole number with the locale's grouping: 1,500 / 1.500. */
  integer(n: number): string;
  /** A value that already is a percentage (150 → "150%" / "150 %"), so nothing is divided. */
  percent(n: number): string;
  /** Integer minor units as currency: 50000 DKK → "500,00 kr." / "DKK 500.00". */
  money(minor: number, currency: string): string;
  /** An ISO instant as a long date on the shop's calendar: "1. april 2025". */
  date(iso: string): string;
}

export const makeFormatter = (locale: EmailLocale, timeZone: string): Formatter => {
  const tag = intlLocale[locale];
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(tag, { style: 'unit', unit: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone });
  return {
    integer: (n) => integer.format(n),
    percent: (n) => percent.format(n),
    money: (minor, currency) => {
      // The decimal string goes to Intl as text, so the amount never passes through a float.
      // Digits are pinned to the ISO exponent because CLDR rounds some currencies for display.
      const digits = currencyExponent(currency);
      const decimal = formatMinor(minor, currency) as `${number}`;
      return new Intl.NumberFormat(tag, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(decimal);
    },
    date: (iso) => {
      const at = new Date(iso);
      // An unreadable date is a bug upstream: failing beats telling a customer "Invalid Date".
      if (Number.isNaN(at.getTime())) throw new RangeError(`"${iso}" is not a date`);
      return date.format(at);
    },
  };
};

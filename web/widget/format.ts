import { currencyExponent } from '../../shared/domain/money/exponents';
import { fill, strings, type Locale, type StringKey } from './strings';

/**
 * Words, numbers, money and dates in the widget's locale, without Intl: the first
 * `Intl.NumberFormat` or `toLocaleDateString` of a page loads ICU data, measured at 30–45 ms of
 * main thread on a mid-range phone (4× throttled Chromium), more than the rest of the widget.
 * Two locales need only their separators and month names.
 */
export interface Format {
  t(key: StringKey, values?: Record<string, string | number>): string;
  /** Whole numbers; negatives with a real minus sign (U+2212). */
  num(n: number): string;
  /** A change: `+40`, `−500`. */
  signed(n: number): string;
  money(minor: number, currency: string): string;
  date(iso: string): string;
}

interface Conventions {
  group: string;
  decimal: string;
  months: string[];
  /** How a currency is named after an amount: Danish writes kroner as "kr.", as the API's texts do. */
  unit(currency: string): string;
  date(day: number, month: string, year: number): string;
}

const conventions: Record<Locale, Conventions> = {
  en: {
    group: ',',
    decimal: '.',
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    unit: (currency) => currency,
    date: (d, m, y) => `${d} ${m} ${y}`,
  },
  da: {
    group: '.',
    decimal: ',',
    months: ['jan.', 'feb.', 'mar.', 'apr.', 'maj', 'jun.', 'jul.', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'],
    unit: (currency) => (currency === 'DKK' ? 'kr.' : currency),
    date: (d, m, y) => `${d}. ${m} ${y}`,
  },
};

export const formatFor = (locale: Locale): Format => {
  const c = conventions[locale];
  const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, c.group);
  const minus = (n: number) => (n < 0 ? '\u2212' : '');
  const num = (n: number) => minus(n) + group(String(Math.trunc(Math.abs(n))));
  return {
    t: (key, values) => (values ? fill(strings[locale][key], values) : strings[locale][key]),
    num,
    signed: (n) => (n > 0 ? '+' : '') + num(n),
    money: (minor, currency) => {
      const digits = currencyExponent(currency);
      const abs = Math.abs(Math.round(minor));
      const whole = group(String(Math.floor(abs / 10 ** digits)));
      const fraction = digits ? c.decimal + String(abs % 10 ** digits).padStart(digits, '0') : '';
      return `${minus(minor)}${whole}${fraction} ${c.unit(currency)}`;
    },
    date: (iso) => {
      const d = new Date(iso);
      if (isNaN(d.getTime())) return iso;
      return c.date(d.getDate(), c.months[d.getMonth()]!, d.getFullYear());
    },
  };
};

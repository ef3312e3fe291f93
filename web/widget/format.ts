import { fill, strings, type Locale, type StringKey } from './strings';

/** Words, numbers, money and dates in the widget's locale. */
export interface Format {
  t(key: StringKey, values?: Record<string, string | number>): string;
  num(n: number): string;
  money(minor: number, currency: string): string;
  date(iso: string): string;
}

const tags: Record<Locale, string> = { en: 'en-GB', da: 'da-DK' };

export const formatFor = (locale: Locale): Format => {
  const tag = tags[locale];
  const numbers = new Intl.NumberFormat(tag);
  return {
    t: (key, values) => fill(strings[locale][key], values ?? {}),
    num: (n) => numbers.format(n),
    money: (minor, currency) => {
      try {
        const f = new Intl.NumberFormat(tag, { style: 'currency', currency });
        return f.format(minor / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
      } catch {
        return `${(minor / 100).toFixed(2)} ${currency}`;
      }
    },
    date: (iso) => {
      const d = new Date(iso);
      return isNaN(d.getTime()) ? iso : d.toLocaleDateString(tag, { day: 'numeric', month: 'short', year: 'numeric' });
    },
  };
};

import { currencyExponent } from '../../shared/domain/money/exponents';
import { locale } from './i18n';

/** Money is integer minor units plus an ISO 4217 code; the exponent is ISO's, not CLDR's display digits. */
export const money = (minor: number, currency: string): string => {
  const exponent = currencyExponent(currency);
  try {
    return new Intl.NumberFormat(locale(), {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(minor / 10 ** exponent);
  } catch {
    return `${(minor / 10 ** exponent).toFixed(exponent)} ${currency}`;
  }
};

/** Money rounded to whole units (KPI cards) or in compact notation (chart axes: "DKK 22K"). */
export const moneyWhole = (minor: number, currency: string, compact = false): string => {
  const major = minor / 10 ** currencyExponent(currency);
  try {
    return new Intl.NumberFormat(locale(), {
      style: 'currency',
      currency,
      maximumFractionDigits: compact ? 1 : 0,
      minimumFractionDigits: 0,
      ...(compact ? { notation: 'compact' as const } : {}),
    }).format(major);
  } catch {
    return `${Math.round(major)} ${currency}`;
  }
};

/** Major units (what a person types, e.g. "199.95") to minor units, or undefined. */
export const toMinor = (major: string, currency: string): number | undefined => {
  const m = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(major);
  if (!m) return undefined;
  const exponent = currencyExponent(currency);
  const fraction = (m[2] ?? '').padEnd(exponent, '0');
  if (fraction.length > exponent) return undefined;
  return Number(m[1]) * 10 ** exponent + Number(fraction || '0');
};

export const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : new Intl.NumberFormat(locale()).format(n);

/** For axes: 358,762 as "359K" ("359 t." in Danish), so labels fit beside a chart. */
export const numCompact = (n: number): string =>
  new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(n);

/** A ratio 0–1 as a percentage. */
export const pct = (ratio: number | null | undefined, digits = 1): string =>
  ratio === null || ratio === undefined
    ? '–'
    : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(ratio);

export const date = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso)) : '–';

export const dateTime = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '–';

/** Relative change from `previous` to `value`, e.g. "+12.5 %"; undefined without a previous value. */
export const change = (value: number | null, previous: number | null): string | undefined => {
  if (value === null || previous === null || previous === 0) return undefined;
  const r = (value - previous) / Math.abs(previous);
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(r);
};

import * as z from 'zod';
import { isCurrencyCode } from '../domain/money/currencies';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isLocale = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

export const currencyCode = z
  .string()
  .refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code, e.g. "DKK"' });
/** Stored in IANA's canonical spelling ("europe/copenhagen" becomes "Europe/Copenhagen"). */
export const timeZone = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. "Europe/Copenhagen"' })
  .transform((tz) => new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone);
export const locale = z.string().refine(isLocale, { message: 'must be a BCP 47 language tag, e.g. "da-DK"' });
export const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
export const email = z.email();
/** Calendar date as used by every scheduled job's "as of". */
export const isoDate = z.iso.date();

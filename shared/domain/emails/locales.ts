/**
 * The languages Boomerang writes e-mails in. A customer's locale is reduced to its language
 * because the copy differs by language, not region; the region-specific conventions (date
 * order, separators) come from the Intl locale each language is written in.
 */
export const emailLocales = ['en', 'da'] as const;
export type EmailLocale = (typeof emailLocales)[number];

export const isEmailLocale = (value: string): value is EmailLocale =>
  (emailLocales as readonly string[]).includes(value);

/**
 * The Intl locale behind each language. English is en-GB: a shop in Europe writing to a customer
 * whose region is unknown is better served by "1 April 2025" than by the US month-first order.
 */
export const intlLocale: Readonly<Record<EmailLocale, string>> = { en: 'en-GB', da: 'da-DK' };

const language = (tag: string | undefined): EmailLocale | undefined => {
  const lang = tag?.trim().split(/[-_]/, 1)[0]?.toLowerCase() ?? '';
  return isEmailLocale(lang) ? lang : undefined;
};

/** Customer's locale if supported (by language: 'da-DK' → 'da', 'en-US' → 'en'), else the shop's, else 'en'. */
export const resolveLocale = (customerLocale: string | undefined, shopLocale: string | undefined): EmailLocale =>
  language(customerLocale) ?? language(shopLocale) ?? 'en';

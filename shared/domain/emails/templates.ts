import type { EmailSettings } from '../../schemas/program';
import type { LocaleCopy, TypeCopy } from './copy';
import { copyDa } from './copy-da';
import { copyEn } from './copy-en';
import { makeFormatter } from './format';
import type { EmailContent } from './layout';
import { renderHtml, renderText } from './layout';
import type { EmailLocale } from './locales';
import { fillPlaceholders, placeholderValues } from './placeholders';
import type { EmailData, EmailType } from './types';
import { linksToLoyaltyPage } from './types';

/**
 * Renders Boomerang's e-mails: built-in copy per language, a shop's overrides on top, one
 * layout as HTML and text. Pure: the caller resolves the locale and signs the unsubscribe and
 * loyalty page URLs.
 */

export { emailLocales, resolveLocale } from './locales';
export type { EmailLocale } from './locales';
export { placeholdersFor } from './placeholders';
export { sampleEmailData } from './samples';

export interface RenderContext {
  shop: { name: string; storefrontUrl: string; currency: string; timezone: string };
  settings: EmailSettings;
  customer: { firstName?: string };
  /** Signed unsubscribe page URL; shown in the footer of every e-mail (html and text). */
  unsubscribeUrl: string;
  /**
   * The customer's hosted loyalty page with its signed token (`…/p/{shopId}?token=…`): the button
   * of the e-mails about their points and tier, and `{{loyaltyPageUrl}}`. Absent where there is no
   * real customer (previews, test sends): the storefront takes its place.
   */
  loyaltyPageUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  locale: EmailLocale;
}

const copies: Readonly<Record<EmailLocale, LocaleCopy>> = { en: copyEn, da: copyDa };

/** Overridden paragraphs: blank lines separate them, single line breaks stay inside one. */
const paragraphsOf = (body: string): string[] =>
  body
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** A subject is one header line whatever the shop typed; Intl's no-break spaces stay. */
const oneLine = (value: string): string => value.replace(/[^\S\u00a0\u202f]+/g, ' ').trim();

/** Only a web link may become the button (a referral URL is data, not a trusted setting). */
const isWebUrl = (url: string): boolean => /^https?:\/\/[^\s]+$/i.test(url);

export const renderEmail = <T extends EmailType>(
  type: T,
  locale: EmailLocale,
  data: EmailData<T>,
  ctx: RenderContext,
): RenderedEmail => {
  const words = copies[locale];
  const f = makeFormatter(locale, ctx.shop.timezone);
  const firstName = ctx.customer.firstName?.trim() ?? '';
  const shopName = ctx.shop.name.trim();
  const loyaltyPageUrl = ctx.loyaltyPageUrl ?? ctx.shop.storefrontUrl;
  const values = placeholderValues(type, data, { firstName, shopName, loyaltyPageUrl }, f, words);
  const builtIn: TypeCopy = words.types[type](values, data, f);
  const override = ctx.settings.overrides[type]?.[locale];
  const fill = (template: string) => fillPlaceholders(template, values);

  const subject = oneLine(override?.subject ? fill(override.subject) : builtIn.subject);
  const defaultUrl = linksToLoyaltyPage(type) ? loyaltyPageUrl : ctx.shop.storefrontUrl;
  const ctaUrl = builtIn.ctaUrl && isWebUrl(builtIn.ctaUrl) ? builtIn.ctaUrl : defaultUrl;
  const content: EmailContent = {
    lang: locale,
    subject,
    heading: override?.heading ? fill(override.heading) : builtIn.heading,
    // An overridden body replaces the greeting too, so a shop can greet in its own way.
    paragraphs: override?.body ? paragraphsOf(fill(override.body)) : [words.greeting(firstName), ...builtIn.paragraphs],
    ...(builtIn.perks && builtIn.perks.text.trim() !== ''
      ? { perks: { ...builtIn.perks, text: builtIn.perks.text.trim() } }
      : {}),
    ...(builtIn.code ? { code: builtIn.code } : {}),
    cta: { label: override?.cta ? fill(override.cta) : builtIn.cta, url: ctaUrl },
    branding: {
      primaryColor: ctx.settings.branding.primaryColor,
      ...(ctx.settings.branding.logoUrl ? { logoUrl: ctx.settings.branding.logoUrl } : {}),
    },
    footer: {
      shopName,
      note: ctx.settings.branding.footer.trim(),
      reason: words.reason(shopName),
      unsubscribeLabel: words.unsubscribe,
      unsubscribeUrl: ctx.unsubscribeUrl,
    },
  };
  return { subject, html: renderHtml(content), text: renderText(content), locale };
};

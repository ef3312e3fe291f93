import type { Formatter } from './format';
import type { EmailData, EmailDataByType, EmailType } from './types';

/**
 * What a language has to provide: the built-in wording of every e-mail type plus the shared
 * bits (greeting, footer lines, unit words). Copy is plain text; escaping is the layout's job,
 * so no copy function can forget it.
 */

/** Placeholders every type has: the recipient's name, the shop's, and the link to the customer's loyalty page. */
export type CommonPlaceholders = { firstName: string; shopName: string; loyaltyPageUrl: string };

/** Every placeholder of a type, formatted for the e-mail's locale; a missing optional value is ''. */
export type Placeholders<T extends EmailType> = CommonPlaceholders & {
  [K in keyof EmailDataByType[T]]-?: string;
};

/** The wording of one e-mail, before overrides. */
export interface TypeCopy {
  subject: string;
  heading: string;
  /** Paragraphs after the greeting. */
  paragraphs: string[];
  /** Button label. */
  cta: string;
  /**
   * Where the button goes when it is not the default (e.g. a referral link). The default is the
   * customer's loyalty page for the types in `loyaltyPageEmailTypes`, else the storefront.
   */
  ctaUrl?: string;
  /** A tier's perks, shown as their own block. */
  perks?: { label: string; text: string };
  /** A discount code, shown large so it is easy to find and copy. */
  code?: { label: string; code: string; caption?: string };
}

export type TypeCopyFn<T extends EmailType> = (p: Placeholders<T>, data: EmailData<T>, f: Formatter) => TypeCopy;

export interface LocaleCopy {
  /** "Hi Anna," or, without a name, a neutral "Hi,". */
  greeting(firstName: string): string;
  /** Why the customer gets the e-mail; one line in every footer. */
  reason(shopName: string): string;
  unsubscribe: string;
  /** "1,500 points" from an already formatted count and the number (for the word form). */
  points(count: string, n: number): string;
  orders(count: string, n: number): string;
  /** What a tier qualifies on, as a word for the `qualifyOn` placeholder. */
  qualifyOn: Readonly<Record<EmailData<'tier_down_warning'>['qualifyOn'], string>>;
  types: { [T in EmailType]: TypeCopyFn<T> };
}

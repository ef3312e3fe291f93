import type { Locale } from './strings';

/** What the embedding page tells the widget through its script tag and the page itself. */
export interface WidgetConfig {
  shopId: string;
  /** The storefront API's origin, no trailing slash. */
  api: string;
  locale: Locale;
  /** A referral code the visitor arrived with in the `ref` parameter (the cookie: referralCookie). */
  referralCode: string | null;
}

const localeOf = (tag: string | null | undefined): Locale => (/^da\b/i.test(tag ?? '') ? 'da' : 'en');

const validRef = (ref: string | null): string | null => (ref && /^[\w-]{1,64}$/.test(ref) ? ref : null);

/** The `bmr_ref` cookie, read only when needed: `document.cookie` is a synchronous browser call. */
export const referralCookie = (): string | null => {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'bmr_ref') return validRef(decodeURIComponent(v.join('=')));
  }
  return null;
};

/**
 * The script tag that loaded us. `document.currentScript` is set while a classic script (async
 * included) runs; the attribute lookup covers a page that loads us some other way.
 */
const ownScript = (): HTMLScriptElement | null =>
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-shop][src*="widget"]');

export const readConfig = (): WidgetConfig | null => {
  const script = ownScript();
  const shopId = script?.dataset.shop;
  if (!script || !shopId) return null;
  const api = (script.dataset.api || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  return {
    shopId,
    api,
    locale: localeOf(script.dataset.locale || document.documentElement.lang),
    referralCode: validRef(new URLSearchParams(location.search).get('ref')),
  };
};

import type { Locale } from './strings';

/** What the embedding page tells the widget through its script tag and the page itself. */
export interface WidgetConfig {
  shopId: string;
  /** The storefront API's origin, no trailing slash. */
  api: string;
  locale: Locale;
  /** A referral code the visitor arrived with (`ref` parameter or the `bmr_ref` cookie). */
  referralCode: string | null;
}

const localeOf = (tag: string | null | undefined): Locale => (/^da\b/i.test(tag ?? '') ? 'da' : 'en');

const cookie = (name: string): string | null => {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
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
  const ref = new URLSearchParams(location.search).get('ref') || cookie('bmr_ref');
  return {
    shopId,
    api,
    locale: localeOf(script.dataset.locale || document.documentElement.lang),
    referralCode: ref && /^[\w-]{1,64}$/.test(ref) ? ref : null,
  };
};

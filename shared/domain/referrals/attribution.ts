import type { CanonicalOrder } from '../../schemas/order';
import { normalizeCode } from './codes';
import type { CodeCandidate } from './types';

/**
 * Where an order may carry a referral code, most reliable first. The caller looks the
 * candidates up in order and credits the first one that is a known, active code.
 *
 * 1. Discount codes (`discount_code`). The friend typed or applied the code at checkout, and
 *    the shop registers each referral code as a discount, so this is the strongest signal.
 * 2. Order attributes (`attribute`): Shopify note/cart attributes, WooCommerce meta data,
 *    custom attributes, under the keys in `REF_KEYS` (case-insensitive). Our own key names
 *    come before the generic ones, because other apps use `ref` too. The custom format's
 *    `referralCode` arrives as the attribute `referral_code`; on a custom-platform order that
 *    key is reported as `custom_field`.
 * 3. The landing site (`landing_site`): the first page of the visit, a path
 *    ("/products/x?ref=ANNA7K2Q&utm_source=…") or a full URL, read for the same parameter
 *    names; a `bmr_click` parameter (the ULID of the click Boomerang recorded on redirect)
 *    becomes the `clickId` of the codes found in that URL.
 *
 * Values are normalised with `normalizeCode`; anything that cannot be a code is skipped.
 * A code found twice is listed once, where it was first found; if a later sighting knows
 * the click (the friend came through the link and also typed the code), its clickId is kept.
 * Malformed input never throws: a bad value is simply not a candidate.
 */

/** Parameter / attribute names that carry a referral code, in priority order. */
export const REF_KEYS = ['boomerang_ref', 'bmr_ref', 'referral_code', 'referral', 'ref'] as const;
/** Landing-site parameter carrying the click's ULID. */
export const CLICK_PARAM = 'bmr_click';

/** A ULID: 26 Crockford base32 characters; the first is at most 7 (the time is 48 bits). */
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The ULID upper-cased, or undefined when it is not one. */
export const parseClickId = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const id = value.trim().toUpperCase();
  return ULID.test(id) ? id : undefined;
};

/** When the click happened: epoch milliseconds from the ULID's first 10 characters; undefined if not a ULID. */
export const clickTime = (clickId: string): number | undefined => {
  const id = parseClickId(clickId);
  if (id === undefined) return undefined;
  let ms = 0;
  for (const c of id.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(c);
  return ms;
};

const keyName = (key: string): string => key.trim().toLowerCase();
/** A query parameter name; `amp;` left over from an HTML-escaped `&amp;` is dropped. */
const paramName = (key: string): string => keyName(key).replace(/^amp;/, '');

/** The query parameters of a path or URL; the fragment is ignored. Never throws. */
const queryOf = (landingSite: string): [string, string][] => {
  const withoutFragment = landingSite.split('#', 1)[0] ?? '';
  const q = withoutFragment.indexOf('?');
  if (q < 0) return [];
  // Lenient: bad percent-escapes decode to U+FFFD and then fail normalizeCode.
  return [...new URLSearchParams(withoutFragment.slice(q + 1))].map(([k, v]) => [paramName(k), v]);
};

/** The codes (in REF_KEYS order) and the click id a landing page URL carries. */
export const parseLandingSite = (landingSite: string | undefined): { codes: string[]; clickId?: string } => {
  if (typeof landingSite !== 'string') return { codes: [] };
  const params = queryOf(landingSite);
  const codes: string[] = [];
  for (const key of REF_KEYS) {
    for (const [k, v] of params) {
      const code = k === key ? normalizeCode(v) : undefined;
      if (code !== undefined) codes.push(code);
    }
  }
  const clickId = params
    .map(([k, v]) => (k === CLICK_PARAM ? parseClickId(v) : undefined))
    .find((id) => id !== undefined);
  return clickId === undefined ? { codes } : { codes, clickId };
};

const dedupe = (candidates: CodeCandidate[]): CodeCandidate[] => {
  const byCode = new Map<string, CodeCandidate>();
  for (const c of candidates) {
    const first = byCode.get(c.code);
    if (!first) byCode.set(c.code, c);
    else if (first.clickId === undefined && c.clickId !== undefined) first.clickId = c.clickId;
  }
  return [...byCode.values()];
};

/** Every referral code candidate on the order, in priority order, without duplicates. */
export const findCodeCandidates = (order: CanonicalOrder): CodeCandidate[] => {
  const found: CodeCandidate[] = [];

  const discountCodes: unknown = order.discountCodes;
  if (Array.isArray(discountCodes)) {
    for (const raw of discountCodes) {
      const code = typeof raw === 'string' ? normalizeCode(raw) : undefined;
      if (code !== undefined) found.push({ code, source: 'discount_code' });
    }
  }

  const attributes: unknown = order.attributes;
  if (attributes !== null && typeof attributes === 'object') {
    const entries = Object.entries(attributes as Record<string, unknown>);
    for (const key of REF_KEYS) {
      for (const [k, v] of entries) {
        if (keyName(k) !== key || typeof v !== 'string') continue;
        const code = normalizeCode(v);
        if (code === undefined) continue;
        const source = order.platform === 'custom' && key === 'referral_code' ? 'custom_field' : 'attribute';
        found.push({ code, source });
      }
    }
  }

  const landing = parseLandingSite(order.landingSite);
  for (const code of landing.codes) {
    found.push(
      landing.clickId === undefined
        ? { code, source: 'landing_site' }
        : { code, source: 'landing_site', clickId: landing.clickId },
    );
  }

  return dedupe(found);
};

import type { DomainResult } from '../result';
import { err, ok } from '../result';

/**
 * Which Shopify shop a signed body belongs to.
 *
 * One Shopify app signs every shop's webhooks with the same client secret, so a signature
 * proves the body came from Shopify, not that it is about the shop in the request path. The
 * body says which shop it is about: compliance payloads carry `shop_id` and `shop_domain`; an
 * order carries `order_status_url` (`https://<domain>/<shop id>/orders/<token>/…`). Boomerang
 * keeps the shop's identity (set by the owner, or learned from the first verified delivery) and
 * refuses a body that names another shop.
 */
export interface ShopifyIdentity {
  /** Shopify's numeric shop id, as digits. */
  shopId?: string;
  /** The permanent `<name>.myshopify.com` domain, lower-case. */
  domain?: string;
}

export const myshopifyDomain = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const normaliseDomain = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const d = value.trim().toLowerCase();
  return myshopifyDomain.test(d) ? d : undefined;
};

const normaliseId = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) return value.trim();
  return undefined;
};

/** The shop an order's `order_status_url` points at; a custom storefront domain gives only the id. */
const fromOrderStatusUrl = (value: unknown): ShopifyIdentity => {
  if (typeof value !== 'string') return {};
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {};
  }
  const shopId = normaliseId(/^\/(\d+)\/orders\//.exec(url.pathname)?.[1]);
  const domain = normaliseDomain(url.hostname);
  return { ...(shopId ? { shopId } : {}), ...(domain ? { domain } : {}) };
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The identity a decoded Shopify body claims: from `shop_id`/`shop_domain` (compliance topics)
 * or `order_status_url` (orders). Empty when the body names no shop (refunds, deletions).
 */
export const claimedShopifyIdentity = (json: unknown): ShopifyIdentity => {
  if (!isObject(json)) return {};
  if ('shop_id' in json || 'shop_domain' in json) {
    const shopId = normaliseId(json.shop_id);
    const domain = normaliseDomain(json.shop_domain);
    return { ...(shopId ? { shopId } : {}), ...(domain ? { domain } : {}) };
  }
  return fromOrderStatusUrl(json.order_status_url);
};

export type IdentityMismatch = {
  kind: 'shop_mismatch';
  field: 'shop_id' | 'shop_domain';
  expected: string;
  claimed: string;
};

/**
 * Compares what a body claims with what the shop is known to be. A field either side lacks is
 * not compared. Returns the identity to remember: the known one completed by the claim.
 */
export const matchShopifyIdentity = (
  known: ShopifyIdentity,
  claimed: ShopifyIdentity,
): DomainResult<ShopifyIdentity, IdentityMismatch> => {
  if (known.shopId && claimed.shopId && known.shopId !== claimed.shopId) {
    return err({ kind: 'shop_mismatch', field: 'shop_id', expected: known.shopId, claimed: claimed.shopId });
  }
  if (known.domain && claimed.domain && known.domain !== claimed.domain) {
    return err({ kind: 'shop_mismatch', field: 'shop_domain', expected: known.domain, claimed: claimed.domain });
  }
  return ok({ shopId: known.shopId ?? claimed.shopId, domain: known.domain ?? claimed.domain });
};

/** The `X-Shopify-Shop-Domain` header, when it is a well-formed shop domain. */
export const shopDomainHeader = (value: string | undefined): string | undefined => normaliseDomain(value);

import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DomainResult } from '../result';
import { err, ok } from '../result';

/**
 * Shopify App Proxy requests: Shopify forwards `https://{shop}/apps/…` to us and appends `shop`,
 * `logged_in_customer_id` (empty when nobody is logged in), `path_prefix`, `timestamp` and
 * `signature` to the query. The signature is Shopify's documented one
 * (shopify.dev, "Authenticate app proxies"): every parameter but `signature`, repeated keys' values
 * joined with ",", each written `key=value`, the strings sorted and concatenated with no
 * separator, then HMAC-SHA256 hex with the app's shared secret (the Shopify app's client secret).
 */

/**
 * How far `timestamp` may be from our clock, either way. The signature has no nonce, so this
 * window is what bounds a replayed URL; Shopify stamps each request as it forwards it.
 */
export const APP_PROXY_MAX_SKEW_SECONDS = 5 * 60;

export type AppProxyError = { kind: 'malformed' | 'invalid_signature' | 'stale' };
export type AppProxyIdentity = { shop: string; loggedInCustomerId?: string; pathPrefix?: string };

// A query string from Shopify is well under this; it bounds the work for a stranger's request.
const MAX_QUERY_LENGTH = 8192;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const DIGITS = /^[0-9]{1,12}$/;
// Shopify customer ids are 13 digits today; room to grow.
const CUSTOMER_ID = /^[0-9]{1,20}$/;

/** The exact string Shopify signs, from the decoded parameters in arrival order. */
export const appProxyMessage = (params: readonly (readonly [string, string])[]): string => {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of params) {
    if (k === 'signature') continue;
    const values = byKey.get(k);
    if (values) values.push(v);
    else byKey.set(k, [v]);
  }
  return [...byKey]
    .map(([k, values]) => `${k}=${values.join(',')}`)
    .sort()
    .join('');
};

export const signAppProxy = (params: readonly (readonly [string, string])[], secret: string): string =>
  createHmac('sha256', secret).update(appProxyMessage(params), 'utf8').digest('hex');

const malformed = err({ kind: 'malformed' } as const);

/** `query` is the raw query string as received (a leading "?" is fine). Never throws. */
export const verifyAppProxy = (
  query: string,
  secrets: readonly string[],
  now: Date,
): DomainResult<AppProxyIdentity, AppProxyError> => {
  if (typeof query !== 'string' || query.length > MAX_QUERY_LENGTH) return malformed;
  // URLSearchParams decodes as browsers and Shopify encode (percent-escapes, "+" for space).
  const params = [...new URLSearchParams(query)];
  const signatures = params.filter(([k]) => k === 'signature').map(([, v]) => v);
  if (signatures.length > 1) return malformed;
  const given = signatures[0];
  if (given === undefined || !HEX_SHA256.test(given)) return err({ kind: 'invalid_signature' });

  const givenBytes = Buffer.from(given, 'hex');
  let matched = false;
  // No early exit: every secret is tried, so timing does not say which one matched.
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    const expected = Buffer.from(signAppProxy(params, secret), 'hex');
    if (timingSafeEqual(expected, givenBytes)) matched = true;
  }
  if (!matched) return err({ kind: 'invalid_signature' });

  // Signed by Shopify from here on; what remains is checking it says what we need.
  const single = (key: string): string | undefined | null => {
    const values = params.filter(([k]) => k === key).map(([, v]) => v);
    return values.length > 1 ? null : values[0];
  };
  const shop = single('shop');
  const timestamp = single('timestamp');
  const customer = single('logged_in_customer_id');
  const pathPrefix = single('path_prefix');
  if (typeof shop !== 'string' || !SHOP_DOMAIN.test(shop)) return malformed;
  if (typeof timestamp !== 'string' || !DIGITS.test(timestamp)) return malformed;
  if (customer === null || pathPrefix === null) return malformed;
  if (customer !== undefined && customer !== '' && !CUSTOMER_ID.test(customer)) return malformed;

  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  // Written so that an invalid `now` (NaN) counts as stale rather than fresh.
  if (!(skew <= APP_PROXY_MAX_SKEW_SECONDS)) return err({ kind: 'stale' });

  return ok({
    shop,
    // Empty means the visitor is not logged in: anonymous, not an error.
    ...(customer ? { loggedInCustomerId: customer } : {}),
    ...(pathPrefix !== undefined ? { pathPrefix } : {}),
  });
};

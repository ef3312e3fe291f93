import { cidFor } from '../domain/customers/identity';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import { activeStorefrontSecrets, activeWebhookSecrets, type Shop } from '../domain/shop';
import { verifyAppProxy } from '../domain/storefront/app-proxy';
import { verifyCustomerToken } from '../domain/storefront/customer-token';
import { issueSessionToken, sessionKey, verifySessionToken } from '../domain/storefront/session-token';
import { historyItems, meView, programView } from '../domain/storefront/views';
import { redeemedCounts } from './reward-service';
import type { HistoryPage, MeView, ProgramView, SessionResponse, StorefrontLocale } from '../schemas/storefront';
import {
  redeemReward,
  referralView,
  type ChangeRefusal,
  type ChangeResponse,
  type CustomerChangeDeps,
  type CustomerReadDeps,
} from './customer-admin-service';
import type { RedemptionError } from '../domain/ledger/plans';
import { welcomeAccount } from './activity-service';

/**
 * What a shop's customers do on the storefront (the widget, the hosted page): prove who they
 * are, read their points and spend them. Every use case takes the shop already read and the
 * customer already proven (`StorefrontCustomer`), so nothing here trusts the browser.
 */

/** Who a verified session or App Proxy request says the visitor is. */
export interface StorefrontCustomer {
  cid: string;
  /** Sessions always have it; a page token from an e-mail names the cid only (guests have no platform id). */
  platformCustomerId?: string;
}

export type IdentityRefusal =
  /** The shop has no storefront secret yet (made before the storefront; the owner must create one). */
  | { kind: 'storefront_not_configured' }
  | { kind: 'invalid_customer_token'; reason: string }
  | { kind: 'invalid_session'; reason: string }
  | { kind: 'invalid_app_proxy'; reason: string };

/** How the visitor proves who they are when starting a session. */
export type Proof = { customerToken: string } | { appProxyQuery: string };

/**
 * Shopify App Proxy requests are signed with the app's secret, which is the Shopify shop's
 * webhook secret here. One public app signs every shop's requests with one secret, so the signed
 * `shop` must be this shop's domain, and a shop whose domain is still unknown is refused.
 */
const fromAppProxy = (shop: Shop, query: string, now: Date): DomainResult<string, IdentityRefusal> => {
  if (shop.platform !== 'shopify') return err({ kind: 'invalid_app_proxy', reason: 'not_a_shopify_shop' });
  const r = verifyAppProxy(query, activeWebhookSecrets(shop, now), now);
  if (!r.ok) return err({ kind: 'invalid_app_proxy', reason: r.error.kind });
  if (!shop.shopifyDomain) return err({ kind: 'invalid_app_proxy', reason: 'shop_domain_unknown' });
  if (r.value.shop.toLowerCase() !== shop.shopifyDomain)
    return err({ kind: 'invalid_app_proxy', reason: 'wrong_shop' });
  if (!r.value.loggedInCustomerId) return err({ kind: 'invalid_app_proxy', reason: 'not_signed_in' });
  return ok(r.value.loggedInCustomerId);
};

/** The platform customer id a customer token or a signed App Proxy request proves. */
const provenCustomer = async (
  shop: Shop,
  secrets: readonly string[],
  proof: Proof,
  now: Date,
): Promise<DomainResult<Required<StorefrontCustomer>, IdentityRefusal>> => {
  let platformCustomerId: string;
  if ('customerToken' in proof) {
    const r = await verifyCustomerToken(proof.customerToken, secrets, now);
    if (!r.ok) return err({ kind: 'invalid_customer_token', reason: r.error.reason });
    platformCustomerId = r.value.platformCustomerId;
  } else {
    const r = fromAppProxy(shop, proof.appProxyQuery, now);
    if (!r.ok) return r;
    platformCustomerId = r.value;
  }
  return ok({ cid: cidFor({ id: platformCustomerId })!, platformCustomerId });
};

/**
 * Who is looking at the hosted page: a customer token or App Proxy request as for a session,
 * or a page token from one of our e-mails (`pageToken` verifies it and gives the cid).
 */
export const pageVisitor = async (
  deps: Pick<CustomerReadDeps, 'clock'>,
  shop: Shop,
  proof: Proof | { pageCid: string },
): Promise<DomainResult<StorefrontCustomer, IdentityRefusal>> => {
  if ('pageCid' in proof) return ok({ cid: proof.pageCid });
  const now = deps.clock.now();
  const secrets = activeStorefrontSecrets(shop, now);
  if (!secrets.length && 'customerToken' in proof) return err({ kind: 'storefront_not_configured' });
  return provenCustomer(shop, secrets, proof, now);
};

/** How long a session may last: 30 minutes, or until the grace of the secret that proved it ends. */
export const sessionTtlSeconds = 1800;
const sessionSeconds = async (shop: Shop, secrets: readonly string[], proof: Proof, now: Date): Promise<number> => {
  const until = shop.previousStorefrontSecretValidUntil;
  if (secrets.length < 2 || !until || !('customerToken' in proof)) return sessionTtlSeconds;
  if ((await verifyCustomerToken(proof.customerToken, secrets.slice(0, 1), now)).ok) return sessionTtlSeconds;
  return Math.min(sessionTtlSeconds, Math.floor((Date.parse(until) - now.getTime()) / 1000));
};

/**
 * Exchanges a customer token (or a signed App Proxy request) for a short-lived session. The first
 * session of a customer is proof of an account: it pays `account_created` if the shop offers it.
 */
export const startSession = async (
  deps: Pick<CustomerReadDeps, 'store' | 'clock' | 'newId' | 'random' | 'sleep'>,
  shop: Shop,
  proof: Proof,
): Promise<DomainResult<SessionResponse, IdentityRefusal>> => {
  const now = deps.clock.now();
  const secrets = activeStorefrontSecrets(shop, now);
  if (!secrets.length) return err({ kind: 'storefront_not_configured' });
  const proven = await provenCustomer(shop, secrets, proof, now);
  if (!proven.ok) return proven;
  const { cid, platformCustomerId } = proven.value;
  // Only for the greeting's first name: a moment-old read (half a unit) will do.
  const customer = await deps.store.getCustomer(shop.id, cid, { consistent: false });
  // Keyed by the current secret; a token only the previous secret verifies must not buy a session
  // that outlives that secret's grace.
  const ttl = await sessionSeconds(shop, secrets, proof, now);
  if (ttl < 1) return err({ kind: 'invalid_customer_token', reason: 'bad_signature' });
  const session = await issueSessionToken(
    { shopId: shop.id, cid, platformCustomerId },
    sessionKey(secrets[0]!),
    now,
    ttl,
  );
  await welcomeAccount(deps, shop, { cid, platformCustomerId }, customer);
  return ok({ ...session, customer: { id: cid, firstName: customer?.firstName ?? null } });
};

/** The customer a `Bearer` session token names, if it is ours, for this shop, and current. */
export const authenticate = async (
  deps: Pick<CustomerReadDeps, 'clock'>,
  shop: Shop,
  sessionToken: string,
): Promise<DomainResult<Required<StorefrontCustomer>, IdentityRefusal>> => {
  const now = deps.clock.now();
  const secrets = activeStorefrontSecrets(shop, now);
  if (!secrets.length) return err({ kind: 'storefront_not_configured' });
  const r = await verifySessionToken(sessionToken, shop.id, secrets.map(sessionKey), now);
  if (!r.ok) return err({ kind: 'invalid_session', reason: r.error.reason });
  return ok(r.value);
};

/** How many ledger movements `me` shows; `history` pages through the rest. */
export const recentHistory = 20;

/** `GET /storefront/{shopId}/me`: balances, tier, rewards in reach, referral link, recent history. */
export const customerSelf = async (
  deps: CustomerReadDeps,
  shop: Shop,
  who: StorefrontCustomer,
  locale: StorefrontLocale,
  linkFor: (code: string) => string,
): Promise<MeView> => {
  // Shown, not planned on: an eventually consistent read (half a unit) is enough. The widget
  // takes the balance after a redemption from the redemption's own answer.
  const customer = await deps.store.getCustomer(shop.id, who.cid, { consistent: false });
  const [page, referral, redeemed] = await Promise.all([
    customer
      ? deps.store.listEntries(shop.id, who.cid, { limit: recentHistory })
      : { entries: [], nextCursor: undefined },
    customer ? referralView(deps, shop, customer, linkFor) : null,
    redeemedCounts(deps.store, shop),
  ]);
  return {
    ...meView(shop, customer, who.cid, locale, deps.clock.now().toISOString(), redeemed),
    referral,
    history: historyItems(page.entries, shop, locale),
    nextCursor: page.nextCursor ?? null,
  };
};

/** `GET /storefront/{shopId}/program`: the program with what is left of stock-limited rewards. */
export const storefrontProgram = async (
  deps: Pick<CustomerReadDeps, 'store'>,
  shop: Shop,
  locale: StorefrontLocale,
): Promise<ProgramView> => programView(shop, locale, await redeemedCounts(deps.store, shop));

/** `GET /storefront/{shopId}/me/history?cursor=`: older movements, newest first. */
export const customerHistory = async (
  deps: Pick<CustomerReadDeps, 'store'>,
  shop: Shop,
  who: StorefrontCustomer,
  locale: StorefrontLocale,
  cursor: string | undefined,
): Promise<HistoryPage> => {
  const page = await deps.store.listEntries(shop.id, who.cid, {
    limit: recentHistory,
    ...(cursor ? { cursor } : {}),
  });
  return { history: historyItems(page.entries, shop, locale), nextCursor: page.nextCursor ?? null };
};

/**
 * The customer spends points on a reward: the admin API's exactly-once redemption. The key is
 * the browser's, so it is scoped to the customer: another visitor reusing it gets their own.
 */
export const redeemForCustomer = (
  deps: CustomerChangeDeps,
  shop: Shop,
  who: Required<StorefrontCustomer>,
  request: { key: string; requestHash: string; rewardId: string },
): Promise<DomainResult<ChangeResponse, ChangeRefusal | RedemptionError>> =>
  redeemReward(deps, shop, {
    customerRef: who.platformCustomerId,
    // The session proved this cid: look it up as it is, never by resolving the id as a reference.
    cid: who.cid,
    key: `storefront:${who.cid}:${request.key}`,
    requestHash: request.requestHash,
    rewardId: request.rewardId,
  });

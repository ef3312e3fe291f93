import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import {
  newShop,
  patchShop,
  rotateApiKey,
  rotateStorefrontSecret,
  rotateWebhookSecret,
  type NewShopKeys,
  type PatchShopError,
  type Shop,
} from '../domain/shop';
import type { CreateShopInput, ListShopsQuery, PatchShopInput } from '../schemas/shop';
import type { Clock } from './ports/clock';
import type { ShopStore } from './ports/shops';

/** Shops as the admin API creates and changes them. */
export interface ShopsDeps {
  shops: Pick<ShopStore, 'create' | 'replace'>;
  clock: Clock;
}

/** A shop's API key: shown once, stored only as its hash (adapters/secrets.ts issueShopApiKey). */
export type IssueApiKey = (shopId: string) => Omit<NewShopKeys, 'storefrontSecret'> & { apiKey: string };

/** A new storefront secret (adapters/secrets.ts randomToken): shown once, kept to verify tokens. */
export type NewSecret = () => string;

/** Creates a shop with a fresh API key and storefront secret; `shop_exists` when the id is taken. */
export const createShop = async (
  deps: ShopsDeps & { issueApiKey: IssueApiKey; newSecret: NewSecret },
  input: CreateShopInput,
): Promise<
  DomainResult<{ shop: Shop; apiKey: string; storefrontSecret: string }, { kind: 'shop_exists'; id: string }>
> => {
  const key = deps.issueApiKey(input.id);
  const storefrontSecret = deps.newSecret();
  const shop = newShop(input, { ...key, storefrontSecret }, deps.clock.now());
  if (!(await deps.shops.create(shop))) return err({ kind: 'shop_exists', id: input.id });
  return ok({ shop, apiKey: key.apiKey, storefrontSecret });
};

/**
 * Gives the shop a new storefront secret (its first, for shops made before the storefront);
 * the previous one keeps verifying for `graceMs`. Lost races are the caller's to retry.
 */
export const rotateShopStorefrontSecret = async (
  deps: ShopsDeps & { newSecret: NewSecret },
  shop: Shop,
  graceMs: number,
): Promise<DomainResult<{ shop: Shop; storefrontSecret: string }, { kind: 'concurrent_update' }>> => {
  const storefrontSecret = deps.newSecret();
  const next = rotateStorefrontSecret(shop, storefrontSecret, deps.clock.now(), graceMs);
  if (!(await deps.shops.replace(next, shop.version))) return err({ kind: 'concurrent_update' });
  return ok({ shop: next, storefrontSecret });
};

/**
 * Changes a shop's fields (the program deep-merged and validated whole); a new webhook secret
 * keeps the previous one valid for `graceMs`. `concurrent_update` when the shop changed since
 * it was read.
 */
export const updateShop = async (
  deps: ShopsDeps,
  shop: Shop,
  patch: PatchShopInput,
  graceMs: number,
): Promise<DomainResult<Shop, PatchShopError | { kind: 'concurrent_update' }>> => {
  const patched = patchShop(shop, patch, deps.clock.now(), graceMs);
  if (!patched.ok) return patched;
  if (!(await deps.shops.replace(patched.value, shop.version))) return err({ kind: 'concurrent_update' });
  return patched;
};

/** One page of shops in id order, for the operator. */
export const listShops = (
  deps: { shops: Pick<ShopStore, 'listShops'> },
  query: ListShopsQuery,
): Promise<{ items: Shop[]; nextCursor?: string }> =>
  deps.shops.listShops({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });

/** Gives the shop a new API key, shown once; the old key stops working at once. */
export const rotateShopApiKey = async (
  deps: ShopsDeps & { issueApiKey: IssueApiKey },
  shop: Shop,
): Promise<DomainResult<{ shop: Shop; apiKey: string }, { kind: 'concurrent_update' }>> => {
  const { apiKey, apiKeyHash, apiKeyHint } = deps.issueApiKey(shop.id);
  const next = rotateApiKey(shop, { apiKeyHash, apiKeyHint }, deps.clock.now());
  if (!(await deps.shops.replace(next, shop.version))) return err({ kind: 'concurrent_update' });
  return ok({ shop: next, apiKey });
};

/**
 * Gives the shop a new webhook secret made here (as a PATCH with `webhookSecret` would): the
 * previous one keeps verifying deliveries for `graceMs` while the platform switches over.
 */
export const rotateShopWebhookSecret = async (
  deps: ShopsDeps & { newWebhookSecret: NewSecret },
  shop: Shop,
  graceMs: number,
): Promise<DomainResult<{ shop: Shop; webhookSecret: string }, { kind: 'concurrent_update' }>> => {
  const webhookSecret = deps.newWebhookSecret();
  const next = rotateWebhookSecret(shop, webhookSecret, deps.clock.now(), graceMs);
  if (!(await deps.shops.replace(next, shop.version))) return err({ kind: 'concurrent_update' });
  return ok({ shop: next, webhookSecret });
};

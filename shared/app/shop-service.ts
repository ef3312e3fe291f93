import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import {
  newShop,
  patchShop,
  rotateStorefrontSecret,
  type NewShopKeys,
  type PatchShopError,
  type Shop,
} from '../domain/shop';
import type { CreateShopInput, PatchShopInput } from '../schemas/shop';
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

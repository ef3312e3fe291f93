import { programSchema, type Program } from '../schemas/program';
import type { CreateShopInput, PatchShopInput, Platform } from '../schemas/shop';
import type { StorefrontSettings } from '../schemas/storefront';
import type { DomainResult } from './result';
import { err, ok } from './result';
import { bumped } from './versioned';

/** A shop as stored. Secrets are held here and nowhere else; `publicShop` strips them. */
export interface Shop {
  id: string;
  name: string;
  platform: Platform;
  storefrontUrl: string;
  currency: string;
  timezone: string;
  locale: string;
  senderEmail: string;
  marketerEmails: string[];
  program: Program;
  /**
   * `redacting` once a shop redaction is scheduled: it takes no new data, and is deleted when
   * the redaction falls due unless an operator cancels it (shared/app/redaction-service.ts).
   */
  status: 'active' | 'redacting';
  /** The scheduled shop redaction while `redacting`. */
  redaction?: { id: string; requestedAt: string; dueAt: string };
  /** Shopify's numeric shop id: compliance payloads and order links must name it. */
  shopifyShopId?: string;
  /** The shop's `<name>.myshopify.com` domain: compliance payloads must name it. */
  shopifyDomain?: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change; conditional writes use it to refuse lost updates. */
  version: number;
  apiKeyHash: string;
  apiKeyHint: string;
  webhookSecret: string;
  webhookSecretSetAt: string;
  previousWebhookSecret?: string;
  previousWebhookSecretValidUntil?: string;
  /** What the storefront widget and page show, and which origins may call the storefront API. */
  storefront?: StorefrontSettings;
  /**
   * Signs customer tokens (the shop's backend) and keys session tokens (ours). Shops created before
   * the storefront have none until `POST /admin/shops/{shopId}/storefront-secret` makes one.
   */
  storefrontSecret?: string;
  storefrontSecretSetAt?: string;
  previousStorefrontSecret?: string;
  previousStorefrontSecretValidUntil?: string;
  /**
   * The outgoing webhook event types at least one enabled endpoint listens to, kept from the
   * endpoints by shared/app/endpoint-service.ts. Plans queue only these, so a shop without
   * endpoints pays nothing on its order path (the hot path already reads the shop).
   */
  outgoingEvents?: string[];
}

type SecretField =
  'apiKeyHash' | 'webhookSecret' | 'previousWebhookSecret' | 'storefrontSecret' | 'previousStorefrontSecret';
export type PublicShop = Omit<Shop, SecretField | 'version'>;

export const publicShop = (shop: Shop): PublicShop => {
  const {
    apiKeyHash: _h,
    webhookSecret: _w,
    previousWebhookSecret: _p,
    storefrontSecret: _s,
    previousStorefrontSecret: _ps,
    version: _v,
    ...rest
  } = shop;
  return rest;
};

export interface NewShopKeys {
  apiKeyHash: string;
  apiKeyHint: string;
  /** Left out, the shop starts without one, as shops made before the storefront did. */
  storefrontSecret?: string;
}

export const newShop = (input: CreateShopInput, keys: NewShopKeys, now: Date): Shop => {
  const at = now.toISOString();
  return {
    ...input,
    status: 'active',
    createdAt: at,
    updatedAt: at,
    version: 1,
    apiKeyHash: keys.apiKeyHash,
    apiKeyHint: keys.apiKeyHint,
    webhookSecretSetAt: at,
    ...(keys.storefrontSecret ? { storefrontSecret: keys.storefrontSecret, storefrontSecretSetAt: at } : {}),
  };
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars in the patch replace what was there. */
const deepMerge = (base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const current = out[k];
    out[k] = isPlainObject(current) && isPlainObject(v) ? deepMerge(current, v) : v;
  }
  return out;
};

export type PatchShopError = { kind: 'invalid_program'; issues: { path: string; message: string }[] };

/**
 * Applies a PATCH. A new webhook secret keeps the old one valid for `graceMs`, so deliveries
 * already signed (and retried) with it are still accepted while the platform switches over.
 */
export const patchShop = (
  shop: Shop,
  patch: PatchShopInput,
  now: Date,
  graceMs: number,
): DomainResult<Shop, PatchShopError> => {
  const { program: programPatch, webhookSecret, ...fields } = patch;
  let program = shop.program;
  if (programPatch) {
    const merged = programSchema.safeParse(deepMerge(shop.program as unknown as Record<string, unknown>, programPatch));
    if (!merged.success) {
      return err({
        kind: 'invalid_program',
        issues: merged.error.issues.map((i) => ({ path: ['program', ...i.path].join('.'), message: i.message })),
      });
    }
    program = merged.data;
  }
  const { next } = bumped(shop, { ...fields, program, updatedAt: now.toISOString() });
  return ok(
    webhookSecret !== undefined && webhookSecret !== shop.webhookSecret
      ? withWebhookSecret(next, webhookSecret, now, graceMs)
      : next,
  );
};

/** `shop` with a new webhook secret; the one it had keeps verifying for `graceMs`. */
const withWebhookSecret = (shop: Shop, secret: string, now: Date, graceMs: number): Shop => ({
  ...shop,
  previousWebhookSecret: shop.webhookSecret,
  previousWebhookSecretValidUntil: new Date(now.getTime() + graceMs).toISOString(),
  webhookSecret: secret,
  webhookSecretSetAt: now.toISOString(),
});

/** A new webhook secret, as a PATCH with `webhookSecret` gives one (the old one keeps its grace). */
export const rotateWebhookSecret = (shop: Shop, secret: string, now: Date, graceMs: number): Shop =>
  withWebhookSecret(bumped(shop, { updatedAt: now.toISOString() }).next, secret, now, graceMs);

/** A secret and the one it replaced, which stays valid until its grace ends: current first. */
const activeSecrets = (
  current: string | undefined,
  previous: string | undefined,
  until: string | undefined,
  now: Date,
) =>
  [current, previous && until && now.toISOString() < until ? previous : undefined].filter(
    (s): s is string => s !== undefined,
  );

/** The webhook secrets that verify a delivery received at `now`: current first. */
export const activeWebhookSecrets = (shop: Shop, now: Date): string[] =>
  activeSecrets(shop.webhookSecret, shop.previousWebhookSecret, shop.previousWebhookSecretValidUntil, now);

/** The storefront secrets that verify a customer token or key a session at `now`: current first. */
export const activeStorefrontSecrets = (shop: Shop, now: Date): string[] =>
  activeSecrets(shop.storefrontSecret, shop.previousStorefrontSecret, shop.previousStorefrontSecretValidUntil, now);

/**
 * A new storefront secret. The previous one keeps verifying tokens for `graceMs`, so tokens
 * and sessions minted just before the rotation do not fail mid-visit; a shop without one (made
 * before the storefront existed) simply gets its first.
 */
export const rotateStorefrontSecret = (shop: Shop, secret: string, now: Date, graceMs: number): Shop => {
  const at = now.toISOString();
  const { next } = bumped(shop, { storefrontSecret: secret, storefrontSecretSetAt: at, updatedAt: at });
  delete next.previousStorefrontSecret;
  delete next.previousStorefrontSecretValidUntil;
  if (shop.storefrontSecret && graceMs > 0) {
    next.previousStorefrontSecret = shop.storefrontSecret;
    next.previousStorefrontSecretValidUntil = new Date(now.getTime() + graceMs).toISOString();
  }
  return next;
};

/**
 * A new API key (its hash and hint). The old key stops working at once: unlike a webhook
 * secret, nothing already in flight was signed with it, and a leaked key must die now.
 */
export const rotateApiKey = (shop: Shop, key: { apiKeyHash: string; apiKeyHint: string }, now: Date): Shop =>
  bumped(shop, { apiKeyHash: key.apiKeyHash, apiKeyHint: key.apiKeyHint, updatedAt: now.toISOString() }).next;

import type { Redaction } from '../../domain/privacy/redaction';
import type { BodyBinding } from '../../domain/webhooks/body-binding';
import type { ShopifyIdentity } from '../../domain/webhooks/shop-identity';

/** Signed bodies as first accepted (webhook-trust-service.ts). */
export interface BodyBindingStore {
  /** Records the binding unless the bytes are already bound; then returns the first binding. */
  bind(binding: BodyBinding, expiresAt: Date): Promise<{ bound: true } | { bound: false; first: BodyBinding }>;
}

/** Erasure requests and their audit trail (redaction-service.ts). */
export interface RedactionStore {
  /** Writes a new record; false when one with that id exists already. */
  create(r: Redaction): Promise<boolean>;
  get(shopId: string, id: string): Promise<Redaction | undefined>;
  /** Newest first. */
  list(shopId: string): Promise<Redaction[]>;
  /** Scheduled shop redactions due at or before `asOf`, oldest first. */
  due(asOf: Date): Promise<Redaction[]>;
  /** Replaces a record that is still `scheduled`; false when it no longer is. */
  settle(next: Redaction): Promise<boolean>;
}

/** The Shopify identity learned from a verified delivery, kept on the shop (shop-store.ts). */
export interface ShopIdentityStore {
  /** Sets whichever fields the shop does not have yet; never overwrites. */
  learnShopifyIdentity(shopId: string, identity: ShopifyIdentity): Promise<void>;
}

import type { DeleteShopEverything, RedactionDeps } from '../app/redaction-service';
import type { WebhookDeps } from '../app/webhook-service';
import { exportSinkFor } from './nightly-runtime';
import { ledgerDeps, type Runtime } from './runtime';
import { random } from '../adapters/random';
import { sleep } from '../adapters/sleep';
import { dynamoBodyBindingStore, dynamoRedactionStore } from '../adapters/webhook-trust-store';

/**
 * The webhook and redaction use cases' adapters, built from the process runtime (kept out of
 * runtime.ts so only the functions that need them bundle them).
 */
export const redactionDeps = (rt: Runtime): RedactionDeps => ({
  redactions: dynamoRedactionStore(rt.table, rt.tableName),
  shops: rt.shops,
  clock: rt.clock,
  sleep,
  random,
});

export const webhookDeps = (rt: Runtime): WebhookDeps => ({
  ...ledgerDeps(rt),
  bindings: dynamoBodyBindingStore(rt.table, rt.tableName),
  identities: rt.shops,
  redaction: redactionDeps(rt),
  shopRedactionDelayMs: rt.env.BOOMERANG_SHOP_REDACTION_DELAY_HOURS * 3600_000,
});

/** Exports and job files first (they are only reachable while the shop exists), then items, the shop item last. */
export const deleteShopEverything =
  (rt: Runtime): DeleteShopEverything =>
  async (shopId) => {
    const sink = exportSinkFor(rt);
    await Promise.all(
      [`exports/${shopId}/`, `jobs/${shopId}/`, `imports/${shopId}/`].map((prefix) => sink.deletePrefix(prefix)),
    );
    const items = await rt.shops.deleteShopData(shopId);
    await rt.shops.delete(shopId);
    return items + 1;
  };

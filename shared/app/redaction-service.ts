import type { Clock } from './ports/clock';
import type { Random } from './ports/random';
import type { Sleep } from './ports/sleep';
import { conflict, conflictPolicy, retryOnConflict, type Conflict } from './retry';
import type { Shop } from '../domain/shop';
import { replacing } from '../domain/versioned';
import { isDue, redactionIdFor, type Redaction } from '../domain/privacy/redaction';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { LedgerDeps } from './ledger-service';
import { redactCustomer } from './privacy-service';
import type { RedactionStore } from './ports/webhook-trust';

/**
 * Erasure requests: a customer's is carried out at once, a shop's is two-step (marked now,
 * deleted once due, cancellable by an operator until then). Each leaves an audit record that
 * outlives what it erased (shared/domain/privacy/redaction.ts).
 */

export interface RedactionDeps {
  redactions: RedactionStore;
  shops: {
    get(shopId: string): Promise<Shop | undefined>;
    replace(shop: Shop, expectedVersion: number): Promise<boolean>;
  };
  clock: Clock;
  /** The pause and jitter between retries of a shop update that lost a race (retry.ts). */
  sleep: Sleep;
  random: Random;
}

/** Deletes every item and file a shop owns, the shop item last; returns how many items. */
export type DeleteShopEverything = (shopId: string) => Promise<number>;

export type RedactionSource = Redaction['source'];

/** Applies `change` to the freshest copy of the shop, under its version guard; a lost race is retried (retry.ts). */
const updateShop = (
  deps: RedactionDeps,
  shopId: string,
  change: (s: Shop) => Shop | undefined,
): Promise<Shop | undefined> =>
  retryOnConflict(
    deps,
    async (): Promise<Shop | undefined | Conflict> => {
      const shop = await deps.shops.get(shopId);
      if (!shop) return undefined;
      const next = change(shop);
      if (!next) return shop;
      const write = replacing(shop, next);
      return (await deps.shops.replace(write.next, write.expectedVersion)) ? next : conflict;
    },
    conflictPolicy,
    () => {
      throw new Error(`shop ${shopId} kept changing while its redaction state was updated`);
    },
  );

const markRedacting =
  (r: Redaction) =>
  (s: Shop): Shop | undefined =>
    s.status === 'redacting'
      ? undefined
      : {
          ...s,
          status: 'redacting',
          redaction: { id: r.id, requestedAt: r.requestedAt, dueAt: r.dueAt! },
          updatedAt: r.requestedAt,
        };

/**
 * `shop/redact`: records the request and marks the shop, which from then on takes no data.
 * A redelivery of the same request names the same record and changes nothing; one that was
 * cancelled stays cancelled.
 */
export const scheduleShopRedaction = async (
  deps: RedactionDeps,
  shop: Shop,
  source: RedactionSource,
  delayMs: number,
): Promise<Redaction> => {
  const id = redactionIdFor(source.bodySha256);
  const now = deps.clock.now();
  const fresh: Redaction = {
    id,
    shopId: shop.id,
    scope: 'shop',
    status: 'scheduled',
    source,
    requestedAt: now.toISOString(),
    dueAt: new Date(now.getTime() + delayMs).toISOString(),
  };
  const record = (await deps.redactions.create(fresh)) ? fresh : ((await deps.redactions.get(shop.id, id)) ?? fresh);
  // Also on a redelivery: the first attempt may have stopped between the two writes.
  if (record.status === 'scheduled') await updateShop(deps, shop.id, markRedacting(record));
  return record;
};

/** `customers/redact`: erases the customer now and leaves the audit record. */
export const redactCustomerNow = async (
  deps: RedactionDeps & { ledger: LedgerDeps },
  shop: Shop,
  source: RedactionSource,
  who: { platformCustomerId?: string; email?: string },
): Promise<{ redaction: Redaction; customers: number }> => {
  const customers = await redactCustomer(deps.ledger, shop, who);
  const at = deps.clock.now().toISOString();
  const redaction: Redaction = {
    id: redactionIdFor(source.bodySha256),
    shopId: shop.id,
    scope: 'customer',
    status: 'done',
    source,
    ...(who.platformCustomerId ? { customerId: who.platformCustomerId } : {}),
    requestedAt: at,
    doneAt: at,
    erased: customers,
  };
  // A redelivery redacts again (harmless) but keeps the first record.
  await deps.redactions.create(redaction);
  return { redaction, customers };
};

/**
 * The scheduled job: deletes every shop whose redaction is due as of `asOf`. A shop that is
 * already gone (another request deleted it) settles the record with nothing erased.
 */
export const runDueRedactions = async (
  deps: RedactionDeps & { deleteEverything: DeleteShopEverything },
  asOf: Date,
): Promise<Redaction[]> => {
  const done: Redaction[] = [];
  for (const r of await deps.redactions.due(asOf)) {
    if (!isDue(r, asOf)) continue;
    const shop = await deps.shops.get(r.shopId);
    const erased = shop && shop.status === 'redacting' ? await deps.deleteEverything(r.shopId) : 0;
    const settled: Redaction = { ...r, status: 'done', doneAt: deps.clock.now().toISOString(), erased };
    if (await deps.redactions.settle(settled)) done.push(settled);
  }
  return done;
};

/**
 * The schedule's run: as of `requested` (an ISO date-time) when that is in the past, else now.
 * A date in the future would delete early: "as of" never looks past now.
 */
export const runScheduledRedactions = async (
  deps: RedactionDeps & { deleteEverything: DeleteShopEverything },
  requested?: string,
): Promise<{ asOf: Date; done: Redaction[] }> => {
  const now = deps.clock.now();
  const asOf = requested && Date.parse(requested) < now.getTime() ? new Date(requested) : now;
  return { asOf, done: await runDueRedactions(deps, asOf) };
};

export type CancelError = { kind: 'not_found' } | { kind: 'not_scheduled'; status: Redaction['status'] };

/** An operator stops a scheduled shop deletion; the shop takes data again. */
export const cancelRedaction = async (
  deps: RedactionDeps,
  shopId: string,
  id: string,
  actor: string,
): Promise<DomainResult<Redaction, CancelError>> => {
  const r = await deps.redactions.get(shopId, id);
  if (!r) return err({ kind: 'not_found' });
  if (r.status !== 'scheduled') return err({ kind: 'not_scheduled', status: r.status });
  const cancelled: Redaction = {
    ...r,
    status: 'cancelled',
    cancelledAt: deps.clock.now().toISOString(),
    cancelledBy: actor,
  };
  if (!(await deps.redactions.settle(cancelled))) {
    const now = await deps.redactions.get(shopId, id);
    return err({ kind: 'not_scheduled', status: now?.status ?? 'done' });
  }
  await updateShop(deps, shopId, (s) => {
    if (s.status !== 'redacting' || s.redaction?.id !== id) return undefined;
    const { redaction: _r, ...rest } = s;
    return { ...rest, status: 'active', updatedAt: cancelled.cancelledAt! };
  });
  return ok(cancelled);
};

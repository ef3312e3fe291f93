import type { LedgerStore } from './ports/ledger';
import { membershipView } from '../domain/membership/view';
import { cidFor, emailHash, isEmailRef } from '../domain/customers/identity';
import { expiresAt, type CustomerRecord } from '../domain/ledger/customer';
import type { LedgerEntry } from '../domain/ledger/entries';
import type { OrderRecord } from '../domain/ledger/order-record';
import type { Shop } from '../domain/shop';
import { tierView } from '../domain/tiers/progress';

/**
 * Finds the customers a reference names: a platform customer id, or an e-mail address (which
 * may belong to a registered customer and to guest checkouts made with it).
 */
export const resolveCids = async (
  store: LedgerStore,
  shopId: string,
  who: { id?: string; email?: string },
): Promise<string[]> => {
  const ids = new Set<string>();
  if (who.id) ids.add(cidFor({ id: who.id })!);
  if (who.email) {
    const guest = cidFor({ email: who.email });
    if (guest) ids.add(guest);
    for (const cid of await store.cidsByEmailHash(shopId, emailHash(who.email))) ids.add(cid);
  }
  return [...ids];
};

/** The one customer an admin `customerRef` names, preferring the registered account. */
export const findCustomer = async (
  store: LedgerStore,
  shopId: string,
  ref: string,
): Promise<CustomerRecord | undefined> => {
  const cids = await resolveCids(store, shopId, isEmailRef(ref) ? { email: ref } : { id: ref });
  const found = (await Promise.all(cids.map((cid) => store.getCustomer(shopId, cid))))
    // A redacted customer can no longer be found by the e-mail address that was erased.
    .filter((c): c is CustomerRecord => !!c && !(c.redactedAt && isEmailRef(ref)));
  return found.find((c) => c.cid.startsWith('i.')) ?? found[0];
};

/** The customer as the admin API shows it. */
export const customerView = (c: CustomerRecord, shop: Shop, now: string) => ({
  customer: {
    id: c.cid,
    platformCustomerId: c.platformCustomerId ?? null,
    email: c.email ?? null,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    acceptsMarketing: c.acceptsMarketing ?? null,
    locale: c.locale ?? null,
    ordersEarned: c.earnedOrders,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastActivityAt: c.lastActivityAt ?? null,
    redacted: !!c.redactedAt,
  },
  points: {
    balance: c.points.available,
    pending: c.points.pending,
    lifetimeEarned: c.points.lifetimeEarned,
    expiresAt: expiresAt(c, shop.program) ?? null,
  },
  storeCredit: { balanceMinor: c.credit.available, pendingMinor: c.credit.pending, currency: shop.currency },
  /** Null when the shop has tiers switched off. */
  tier: tierView(c, shop.program.tiers, shop.currency, now),
  /** Paid membership, current or last; null when the shop has none or the customer never held one. */
  membership: membershipView(c, shop.program, now),
  /**
   * Orders recorded without earning, and why (`currency_mismatch`: not in the shop's currency, and no
   * conversion came with it).
   */
  heldOrders: Object.entries(c.heldOrders ?? {}).map(([orderId, reason]) => ({ orderId, reason })),
  marketing: {
    winback: c.winback
      ? {
          startedAt: c.winback.startedAt,
          step: c.winback.step,
          nextAt: c.winback.nextAt ?? null,
          code: c.winback.code ?? null,
        }
      : null,
  },
});

const allEntries = async (store: LedgerStore, shopId: string, cid: string): Promise<LedgerEntry[]> => {
  const out: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listEntries(shopId, cid, { limit: 500, cursor });
    out.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
};

/** Everything held on a customer, for `customers/data_request` and the export endpoint. */
export const customerExport = async (store: LedgerStore, shop: Shop, c: CustomerRecord, at: string) => {
  const entries = await allEntries(store, shop.id, c.cid);
  const orderIds = [
    ...new Set(
      [...entries.map((e) => e.orderId), ...Object.keys(c.pendingOrders), ...Object.keys(c.heldOrders ?? {})].filter(
        (x): x is string => !!x,
      ),
    ),
  ];
  const orders = (await Promise.all(orderIds.map((id) => store.getOrder(shop.id, id)))).filter(
    (o): o is OrderRecord => !!o,
  );
  return {
    generatedAt: at,
    shopId: shop.id,
    profile: c,
    ...customerView(c, shop, at),
    tierHistory: await store.listTierChanges(shop.id, c.cid, 1000),
    ledger: entries,
    orders,
  };
};

import type { CommitOutcome, LedgerStore, StoredIdempotency } from '../../shared/app/ports/ledger';
import { wakeAt, type CustomerRecord } from '../../shared/domain/ledger/customer';
import type { LedgerEntry } from '../../shared/domain/ledger/entries';
import type { OrderRecord } from '../../shared/domain/ledger/order-record';
import type { TierChange } from '../../shared/domain/tiers/types';
import type { ActivityRecord } from '../../shared/domain/engagement/activity';
import { emailHash } from '../../shared/domain/customers/identity';

/**
 * A LedgerStore in memory for fast property and unit tests. Of the DynamoDB store's guards it
 * models those on the order and the customer (`version` equal to the expected one, or absent when
 * 0 is expected), on the customer's ledger entry (its id not yet written) and on the idempotency
 * record (a used key gives 'duplicate'); it checks version conflicts before the idempotency key,
 * where DynamoDB answers 'duplicate' whenever the key is used. It neither guards nor stores the
 * referral, the referrer's customer and entry, the referred friend, velocity windows or outbox
 * items (emails and events are only recorded as `{ type, cid }`).
 * It also guards activities (one per id) and reward stock (redeemed < stock).
 * It records every entry so tests can assert none was written twice.
 */
export const memoryLedgerStore = () => {
  const orders = new Map<string, OrderRecord>();
  const customers = new Map<string, CustomerRecord>();
  const entries = new Map<string, LedgerEntry[]>();
  const idem = new Map<string, StoredIdempotency>();
  const events: { type: string; cid: string }[] = [];
  const emails: { type: string; cid: string }[] = [];
  const tierChanges = new Map<string, TierChange[]>();
  const activities = new Map<string, ActivityRecord[]>();
  const rewardRedeemed = new Map<string, number>();
  const k = (shopId: string, id: string) => `${shopId}|${id}`;
  const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
  let programForWake: Parameters<typeof wakeAt>[1] | undefined;

  const store: LedgerStore = {
    async getOrder(shopId, orderId) {
      return clone(orders.get(k(shopId, orderId)));
    },
    async getCustomer(shopId, cid) {
      return clone(customers.get(k(shopId, cid)));
    },
    async cidsByEmailHash(shopId, hash) {
      return [...customers.entries()]
        .filter(([key, c]) => key.startsWith(`${shopId}|`) && !!c.email && emailHash(c.email) === hash && !c.redactedAt)
        .map(([, c]) => c.cid);
    },
    async commit(shopId, plan, program, idempotency): Promise<CommitOutcome> {
      programForWake = program;
      const ok = (current: { version: number } | undefined, expected: number) =>
        expected === 0 ? current === undefined : current?.version === expected;
      if (plan.order && !ok(orders.get(k(shopId, plan.order.next.orderId)), plan.order.expectedVersion))
        return 'conflict';
      if (plan.customer && !ok(customers.get(k(shopId, plan.customer.next.cid)), plan.customer.expectedVersion))
        return 'conflict';
      if (idempotency && idem.has(k(shopId, idempotency.key))) return 'duplicate';
      const cid = plan.customer?.next.cid ?? plan.order?.next.cid;
      if (plan.entry && cid && (entries.get(k(shopId, cid)) ?? []).some((e) => e.entryId === plan.entry!.entryId))
        return 'conflict';
      if (plan.activity && (activities.get(k(shopId, plan.activity.cid)) ?? []).some((a) => a.id === plan.activity!.id))
        return 'conflict';
      const stockKey = plan.rewardStock && k(shopId, plan.rewardStock.rewardId);
      if (plan.rewardStock && (rewardRedeemed.get(stockKey!) ?? 0) >= plan.rewardStock.stock) return 'conflict';
      if (stockKey) rewardRedeemed.set(stockKey, (rewardRedeemed.get(stockKey) ?? 0) + 1);
      if (plan.activity) {
        const key = k(shopId, plan.activity.cid);
        activities.set(key, [...(activities.get(key) ?? []), clone(plan.activity)]);
      }
      if (plan.order) orders.set(k(shopId, plan.order.next.orderId), clone(plan.order.next));
      if (plan.customer) customers.set(k(shopId, plan.customer.next.cid), clone(plan.customer.next));
      if (plan.entry && cid) entries.set(k(shopId, cid), [...(entries.get(k(shopId, cid)) ?? []), clone(plan.entry)]);
      for (const e of plan.events ?? []) events.push({ type: e.type, cid: e.cid });
      for (const e of plan.emails ?? []) emails.push({ type: e.type, cid: e.cid });
      for (const t of plan.tierChanges ?? [])
        tierChanges.set(k(shopId, t.cid), [...(tierChanges.get(k(shopId, t.cid)) ?? []), clone(t.change)]);
      if (idempotency) idem.set(k(shopId, idempotency.key), clone(idempotency.record));
      return 'committed';
    },
    async rewardRedeemed(shopId, rewardId) {
      return rewardRedeemed.get(k(shopId, rewardId)) ?? 0;
    },
    async getIdempotency(shopId, key) {
      return clone(idem.get(k(shopId, key)));
    },
    async listEntries(shopId, cid, page) {
      const all = [...(entries.get(k(shopId, cid)) ?? [])].reverse();
      const start = page.cursor ? Number(page.cursor) : 0;
      const slice = all.slice(start, start + page.limit);
      return {
        entries: clone(slice),
        nextCursor: start + page.limit < all.length ? String(start + page.limit) : undefined,
      };
    },
    async listActivities(shopId, cid, page) {
      const all = [...(activities.get(k(shopId, cid)) ?? [])].sort((a, b) =>
        `${b.occurredAt}#${b.id}`.localeCompare(`${a.occurredAt}#${a.id}`),
      );
      const start = page.cursor ? Number(page.cursor) : 0;
      return {
        activities: clone(all.slice(start, start + page.limit)),
        nextCursor: start + page.limit < all.length ? String(start + page.limit) : undefined,
      };
    },
    async listTierChanges(shopId, cid, limit) {
      return clone([...(tierChanges.get(k(shopId, cid)) ?? [])].reverse().slice(0, limit));
    },
    async *dueCustomers(shopId, before) {
      for (const [key, c] of customers) {
        if (!key.startsWith(`${shopId}|`) || !programForWake) continue;
        const w = wakeAt(c, programForWake);
        if (w && w < before) yield c.cid;
      }
    },
    async putDataRequest() {
      /* not needed by these tests */
    },
    async erasePersonalItems() {
      /* not needed by these tests */
    },
  };
  return { store, orders, customers, entries, events, emails, tierChanges, activities, rewardRedeemed };
};

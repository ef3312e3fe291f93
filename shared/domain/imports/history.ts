import type { OrderEvent } from '../../schemas/order';
import type { Program } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import type { LedgerEntry } from '../ledger/entries';
import { worth, type OrderRecord } from '../ledger/order-record';
import { planConfirm, planOrderEvent } from '../ledger/plans';
import type { TierChange } from '../tiers/types';
import type { GuardedWrite } from '../versioned';

/** DynamoDB's limit on the items of one transaction. */
export const maxTransactionItems = 100;

/**
 * What one transaction of a customer's history writes: the customer as it is after these orders
 * (guarded by the version it was read or last written at), the new orders (each only if not yet
 * stored), their ledger entries (only when points are awarded) and tier history lines. Every
 * batch is a consistent step on its own, so a run that dies between two batches leaves a
 * customer whose counters match exactly the orders that were written.
 */
export interface HistoryBatch {
  customer: CustomerRecord;
  expectedVersion: number;
  /** New orders expect version 0 (not stored); an order of this import seen again expects its stored version. */
  orders: GuardedWrite<OrderRecord>[];
  entries: LedgerEntry[];
  tierChanges: TierChange[];
  /** How many of the events folded in changed something (the import's `imported` count). */
  events: number;
}

/** The program an import without `awardPoints` folds with: the same rules, earning nothing. */
/** The items a batch writes in its transaction. */
export const batchItems = (b: HistoryBatch): number => 1 + b.orders.length + b.entries.length + b.tierChanges.length;

/**
 * Packs customers' single batches into transactions of at most 100 items (first fit, in the
 * order given): DynamoDB Local, and DynamoDB's per-request overhead, make one transaction of a
 * few dozen small customers far cheaper than a few dozen transactions.
 */
export const packBatches = <T extends { batch: HistoryBatch }>(batches: readonly T[]): T[][] => {
  const groups: { items: number; members: T[] }[] = [];
  for (const b of batches) {
    const n = batchItems(b.batch);
    const group = groups.find((g) => g.items + n <= maxTransactionItems);
    if (group) {
      group.items += n;
      group.members.push(b);
    } else groups.push({ items: n, members: [b] });
  }
  return groups.map((g) => g.members);
};

export const noPointsProgram = (program: Program): Program => ({
  ...program,
  earning: {
    ...program.earning,
    rate: { ...program.earning.rate, points: 0 },
    firstOrderBonusPoints: 0,
    cashbackBasisPoints: 0,
  },
});

export interface HistoryContext {
  cid: string;
  program: Program;
  shopCurrency: string;
  /** The shop's time zone (default UTC), for paid membership months. */
  timeZone?: string;
  now: string;
  awardPoints: boolean;
  newId: () => string;
}

/**
 * Folds one customer's historical order events (oldest first) through the ledger's own order
 * plan, in memory, and cuts the result into transactions of at most 100 items. `stored` holds
 * the orders this same import already wrote (a resumed run re-reads records behind its
 * checkpoint): an event they already hold plans nothing and counts as `unchanged`. History
 * queues no e-mails and makes no referrals. Without `awardPoints` orders earn nothing, but each
 * order that would have counted still counts as an earned order, so a long-standing customer
 * does not get the first-order bonus on their next order. With points, an order whose return
 * window is over by now is confirmed in the same write (its points available at once).
 */
export const historyBatches = (
  read: CustomerRecord | undefined,
  events: readonly Extract<OrderEvent, { kind: 'order' }>[],
  ctx: HistoryContext & { importId: string; stored?: ReadonlyMap<string, OrderRecord> },
): { batches: HistoryBatch[]; unchanged: number } => {
  const program = ctx.awardPoints ? ctx.program : noPointsProgram(ctx.program);
  const batches: HistoryBatch[] = [];
  const baseVersion = read?.version ?? 0;
  let customer = read;
  let open: HistoryBatch | undefined;
  let unchanged = 0;
  const written = new Map<string, OrderRecord>(ctx.stored);
  /** The version each order's stored item has, as of the batches flushed so far. */
  const flushedVersion = new Map<string, number>([...(ctx.stored ?? [])].map(([id, o]) => [id, o.version]));
  const flush = () => {
    if (open && customer) {
      batches.push({ ...open, customer: { ...customer, version: open.expectedVersion + 1 } });
      for (const o of open.orders) flushedVersion.set(o.next.orderId, o.next.version);
      customer = { ...customer, version: open.expectedVersion + 1 };
    }
    open = undefined;
  };
  for (const event of events) {
    const before = written.get(event.order.orderId);
    const plan = planOrderEvent({
      event,
      order: before,
      customer,
      program,
      now: ctx.now,
      entryId: ctx.newId(),
      currency: ctx.shopCurrency,
      timeZone: ctx.timeZone,
    });
    let next = plan?.customer?.next ?? customer;
    if (!plan?.order || plan.order.next.cid !== ctx.cid || !next) {
      unchanged++;
      continue;
    }
    const counted = (o: OrderRecord | undefined) => (o && worth(o).basisMinor > 0 ? 1 : 0);
    if (!ctx.awardPoints)
      next = { ...next, earnedOrders: next.earnedOrders + counted(plan.order.next) - counted(before) };
    let orderNext = plan.order.next;
    const entries = plan.entry ? [plan.entry] : [];
    // History whose return window is over by now is confirmed at once, as the daily job would.
    if (orderNext.earn && !orderNext.confirmed && orderNext.earn.confirmDueAt <= ctx.now) {
      const confirmed = planConfirm(orderNext, next, ctx.now, ctx.newId());
      if (confirmed?.order && confirmed.customer) {
        orderNext = confirmed.order.next;
        next = confirmed.customer.next;
        if (confirmed.entry) entries.push(confirmed.entry);
      }
    }
    const items = 1 + entries.length + (plan.tierChanges?.length ?? 0);
    // One item of every transaction is the customer; an order already in the open batch is replaced in it.
    const inOpen = open?.orders.some((o) => o.next.orderId === orderNext.orderId) ?? false;
    if (
      open &&
      !inOpen &&
      1 + open.orders.length + open.entries.length + open.tierChanges.length + items > maxTransactionItems
    )
      flush();
    open ??= {
      customer: next,
      expectedVersion: batches.length ? batches.at(-1)!.customer.version : baseVersion,
      orders: [],
      entries: [],
      tierChanges: [],
      events: 0,
    };
    open.events++;
    const order: OrderRecord = { ...orderNext, importId: ctx.importId };
    written.set(order.orderId, order);
    const expectedVersion = flushedVersion.get(order.orderId) ?? 0;
    open.orders = [
      ...open.orders.filter((o) => o.next.orderId !== order.orderId),
      { next: { ...order, version: expectedVersion + 1 }, expectedVersion },
    ];
    open.entries.push(...entries);
    for (const t of plan.tierChanges ?? []) open.tierChanges.push(t.change);
    customer = next;
  }
  flush();
  return { batches, unchanged };
};

import type { CanonicalOrder, OrderEvent, Refund } from '../../schemas/order';
import type { Program } from '../../schemas/program';
import { cidFor } from '../customers/identity';
import { stableJson } from '../stable-json';
import { computeEarning, proportion, type EarnableOrder, type EarningRule } from './earning';
import { addDays } from '../calendar';

/**
 * What Boomerang remembers of an order: the platform's latest view of it plus the facts that
 * only ever accumulate (paid, cancelled, refunds). Merging is idempotent and order-independent
 * for those facts, so duplicates, retries and out-of-order deliveries converge on one record.
 */
export interface OrderRecord {
  orderId: string;
  cid?: string;
  /** The platform's latest view, chosen by its `updatedAt`. */
  state?: EarnableOrder & Pick<CanonicalOrder, 'updatedAt' | 'createdAt' | 'financialStatus' | 'test' | 'conversion'>;
  paidAt?: string;
  cancelledAt?: string;
  refunds: Record<
    string,
    Pick<Refund, 'amountMinor' | 'itemsNetMinor' | 'createdAt'> & {
      lines?: { lineId: string; netMinor: number }[];
      /** Only on a refund delivered on its own in another currency than the shop's. */
      currency?: string;
    }
  >;
  /**
   * Why the order earns nothing whatever it is worth, recomputed from every delivery:
   * `currency_mismatch` — its amounts are in another currency than the shop's and came without
   * a conversion into it, so they cannot be counted at the shop's scale. Such an order never
   * qualifies (no points, credit, tier spend or referral; not a purchase for the churn models)
   * until a delivery brings it in the shop's currency.
   */
  earnBlocked?: EarnBlock;
  /** Fixed when the order first qualifies: the rule that applied then applies for good. */
  earn?: {
    rule: EarningRule;
    firstOrder: boolean;
    earnedAt: string;
    confirmDueAt: string;
    /**
     * The customer's tier multiplier when the order qualified. Absent on orders that qualified
     * before tiers existed: those earn at 100 % and never count towards tiers (they were never
     * added, so their refunds must not be taken off either).
     */
    tierPercent?: number;
    /**
     * Set when `tierPercent` includes a paid membership this same order bought: the order's lines
     * that bought it and the percent with and without it. The order earns `without` (the tier's
     * alone) once those lines no longer pay for it (refunded in full, or the order cancelled).
     */
    ownMembership?: { lineIds: string[]; withPercent: number; withoutPercent: number };
  };
  /** Net points and credit the ledger holds for this order (pending until confirmed). */
  awarded: { points: number; credit: number };
  confirmed: boolean;
  /** Set when this order made a referral: the friend's customer id, which keys the referral. */
  referral?: string;
  /**
   * Set on an order a history import wrote: which import. A resumed run of that import may apply
   * its events again (they change nothing); any other import leaves the order alone.
   */
  importId?: string;
  version: number;
}

export type EarnBlock = 'currency_mismatch';

export const emptyOrderRecord = (orderId: string): OrderRecord => ({
  orderId,
  refunds: {},
  awarded: { points: 0, credit: 0 },
  confirmed: false,
  version: 0,
});

const paidStatuses = new Set(['paid', 'partially_refunded', 'refunded']);

/** Only what the earning rule reads: order items are billed per started KB. */
const compactState = (o: CanonicalOrder): NonNullable<OrderRecord['state']> => ({
  currency: o.currency,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
  financialStatus: o.financialStatus,
  test: o.test,
  lines: o.lines.map((l) => ({ lineId: l.lineId, productId: l.productId, sku: l.sku, netMinor: l.netMinor })),
  shippingMinor: o.shippingMinor,
  totalMinor: o.totalMinor,
  ...(o.conversion ? { conversion: o.conversion } : {}),
});

const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

const withRefunds = (record: OrderRecord, refunds: Refund[], foreignCurrency?: string): OrderRecord => {
  if (!refunds.length) return record;
  const merged = { ...record.refunds };
  for (const r of refunds) {
    merged[r.refundId] ??= {
      amountMinor: r.amountMinor,
      itemsNetMinor: r.itemsNetMinor,
      createdAt: r.createdAt,
      ...(r.lines.length ? { lines: r.lines.map((l) => ({ lineId: l.lineId, netMinor: l.netMinor })) } : {}),
      ...(foreignCurrency ? { currency: foreignCurrency } : {}),
    };
  }
  return { ...record, refunds: merged };
};

/** `currency_mismatch` when the record holds amounts in another currency than the shop's. */
const earnBlockOf = (record: OrderRecord, shopCurrency: string): EarnBlock | undefined =>
  (record.state && record.state.currency !== shopCurrency) ||
  Object.values(record.refunds).some((r) => r.currency !== undefined && r.currency !== shopCurrency)
    ? 'currency_mismatch'
    : undefined;

const withEarnBlock = (record: OrderRecord, shopCurrency: string | undefined): OrderRecord => {
  if (shopCurrency === undefined) return record;
  const block = earnBlockOf(record, shopCurrency);
  if (block === record.earnBlocked) return record;
  const { earnBlocked: _was, ...rest } = record;
  return block ? { ...rest, earnBlocked: block } : rest;
};

/** Folds one delivery into the record. Returns the same facts whatever order events arrive in. */
export const mergeOrderEvent = (before: OrderRecord, event: OrderEvent): OrderRecord =>
  mergeShopOrderEvent(before, event, undefined);

/**
 * `mergeOrderEvent` for a shop whose currency is known: it also says whether the order may earn
 * (`earnBlocked`). Without the currency the order's own is taken as the shop's.
 */
export const mergeShopOrderEvent = (
  before: OrderRecord,
  event: OrderEvent,
  shopCurrency: string | undefined,
): OrderRecord => {
  switch (event.kind) {
    case 'order': {
      const o = event.order;
      let next: OrderRecord = { ...before, cid: before.cid ?? cidFor(o.customer) };
      if (!next.state || o.updatedAt > next.state.updatedAt) next.state = compactState(o);
      if (paidStatuses.has(o.financialStatus) || o.paidAt) next.paidAt = earlier(next.paidAt, o.paidAt ?? o.updatedAt);
      // Only an explicit cancellation is final; a voided or failed payment can still be retried.
      if (o.cancelledAt) next.cancelledAt = earlier(next.cancelledAt, o.cancelledAt);
      next = withRefunds(next, o.refunds);
      return withEarnBlock(next, shopCurrency);
    }
    case 'refund': {
      const foreign =
        shopCurrency !== undefined && event.currency !== undefined && event.currency !== shopCurrency
          ? event.currency
          : undefined;
      return withEarnBlock(withRefunds(before, [event.refund], foreign), shopCurrency);
    }
    case 'order_deleted':
      return { ...before, cancelledAt: earlier(before.cancelledAt, event.at) };
    default:
      return before;
  }
};

/**
 * Fixes the earning rule once the order qualifies (paid, or created when the shop earns on
 * creation) and has a customer. Test orders, orders cancelled first and orders whose amounts
 * are not in the shop's currency (`earnBlocked`) never qualify.
 */
export const qualify = (record: OrderRecord, program: Program, firstOrder: boolean, tierPercent = 100): OrderRecord => {
  if (record.earn || record.earnBlocked || !record.state || !record.cid || record.state.test || record.cancelledAt)
    return record;
  const at = program.earning.earnOn === 'created' ? record.state.createdAt : record.paidAt;
  if (!at) return record;
  const earnedAt = new Date(at).toISOString();
  return {
    ...record,
    earn: {
      rule: program.earning,
      firstOrder,
      earnedAt,
      confirmDueAt: addDays(earnedAt, program.returnWindowDays),
      tierPercent,
    },
  };
};

/**
 * Splits refunds into what can be charged to known lines (refunded net per line id) and the
 * item value of refunds that name no lines (or lines we do not know), which counts in
 * proportion — by its items net if given, else by its share of the order total.
 */
const refundedParts = (
  record: OrderRecord,
  fullBasis: number,
): { byLine: Map<string, number>; unattributed: number } => {
  const known = new Set(record.state?.lines.map((l) => l.lineId));
  const byLine = new Map<string, number>();
  let unattributed = 0;
  for (const r of Object.values(record.refunds)) {
    if (r.lines?.length && r.lines.every((l) => known.has(l.lineId))) {
      for (const l of r.lines) byLine.set(l.lineId, (byLine.get(l.lineId) ?? 0) + l.netMinor);
    } else {
      unattributed += r.itemsNetMinor ?? proportion(fullBasis, r.amountMinor, record.state?.totalMinor ?? 0);
    }
  }
  return { byLine, unattributed };
};

/**
 * What the order is worth now: the fixed rule applied to its latest state less what was
 * refunded — refunded lines come off the lines they belong to (so exclusions and multipliers
 * hold), other refunds reduce the rest in proportion. Nothing if cancelled, voided or refunded in full.
 */
export const entitlement = (record: OrderRecord): { points: number; credit: number } => {
  const { points, credit } = worth(record);
  return { points, credit };
};

/** What the order counts for now: its entitlement and the spend left on its earning basis after refunds. */
export const worth = (record: OrderRecord): { points: number; credit: number; basisMinor: number } => {
  const status = record.state?.financialStatus;
  if (
    !record.earn ||
    record.earnBlocked ||
    !record.state ||
    record.cancelledAt ||
    status === 'refunded' ||
    status === 'voided'
  )
    return { points: 0, credit: 0, basisMinor: 0 };
  const rule = record.earn.rule;
  const opts = { firstOrder: record.earn.firstOrder, extraMultiplierPercent: record.earn.tierPercent ?? 100 };
  const full = computeEarning(record.state, rule, opts);
  const { byLine, unattributed } = refundedParts(record, full.basisMinor);
  let lineRefunded = 0;
  const lines = record.state.lines.map((l) => {
    const off = Math.min(l.netMinor, l.lineId === undefined ? 0 : (byLine.get(l.lineId) ?? 0));
    lineRefunded += off;
    return { ...l, netMinor: l.netMinor - off };
  });
  const e = computeEarning(
    { ...record.state, lines, totalMinor: Math.max(0, record.state.totalMinor - lineRefunded) },
    rule,
    opts,
  );
  const remaining = Math.max(0, e.basisMinor - unattributed);
  if (remaining === 0) return { points: 0, credit: 0, basisMinor: 0 };
  return {
    points: proportion(e.points, remaining, e.basisMinor) + e.bonusPoints,
    credit: proportion(e.creditMinor, remaining, e.basisMinor),
    basisMinor: remaining,
  };
};

/** True when two records hold the same facts (a duplicate delivery changes nothing). */
export const sameRecord = (a: OrderRecord, b: OrderRecord): boolean =>
  stableJson({ ...a, version: 0 }) === stableJson({ ...b, version: 0 });

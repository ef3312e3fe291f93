/**
 * A customer's purchase summary: what the nightly run reads about one customer, kept up to date
 * from the table's stream so a night reads the shop's summaries instead of scanning the table
 * (docs/nightly.md, "Cost and limits").
 *
 * One summary per customer, stored as separate attributes so that every stream record is one
 * idempotent write of one attribute:
 * - `profile`: the customer fields the export, the metrics and the nightly tier check read;
 * - one entry per order that counts as a purchase on some day (`countedOrder` as of the end of
 *   time, without the currency check), with the order's currency: the night filters by as-of day
 *   and shop currency when it reads, so a replay for a past day sees what it saw before;
 * - one entry per NPS answer, `{ score, at }`.
 *
 * Pure: the adapters turn stream records and stored items into `SummarySource`s and changes
 * into writes.
 */
import { createHash } from 'node:crypto';
import type { CustomerRecord } from '../ledger/customer';
import type { OrderRecord } from '../ledger/order-record';
import { countedOrder } from './purchases';

/** Summary partitions per shop: a shop's summaries are read by this many Queries a night. */
export const summaryShards = 16;

/** The partition of a customer's summary: a stable hash of the cid (sha-256, first 32 bits). */
export const summaryShardOf = (cid: string): number =>
  createHash('sha256').update(cid).digest().readUInt32BE(0) % summaryShards;

/** The shards a nightly segment reads: `k % totalSegments === segment`. */
export const shardsOfSegment = (segment: number, totalSegments: number): number[] =>
  Array.from({ length: summaryShards }, (_, k) => k).filter((k) => k % totalSegments === segment);

/** The customer as the nightly reads it (export row, metrics, `upgradeDue`). */
export interface SummaryProfile {
  platformCustomerId?: string;
  email?: string;
  redactedAt?: string;
  points: { available: number; pending: number };
  tier?: CustomerRecord['tier'];
  tierStats?: CustomerRecord['tierStats'];
  /** Days with a non-purchase activity (the engagement metrics). */
  engagedDays?: string[];
  /** The paid membership (members' spend in the metrics). */
  membership?: CustomerRecord['membership'];
}

/** An order that counts on every day from its creation, whatever the shop's currency. */
export interface SummaryOrder {
  at: string;
  revenueMinor: number;
  currency: string;
  productIds: string[];
  referred: boolean;
}

export interface SummaryNps {
  score: number;
  at: string;
  /** The Customer Loyalty Index's two intent answers, when the answer has them (surveys). */
  buyAgain?: number;
  tryOther?: number;
}

export interface CustomerSummary {
  cid: string;
  /** Absent when only orders or answers of the customer have been seen (or the customer item is gone). */
  profile?: SummaryProfile;
  orders: Record<string, SummaryOrder>;
  nps: Record<string, SummaryNps>;
}

/** A stored item the summaries are built from (the nightly scan's items have the same shape). */
export type SummarySource =
  | { kind: 'customer'; customer: CustomerRecord }
  | { kind: 'order'; order: OrderRecord }
  | { kind: 'nps'; answer: { cid: string; answerId: string; score: number; at: string } & LoyaltyIntent };

/** The two intent answers of a survey, absent on plain NPS answers. */
export interface LoyaltyIntent {
  buyAgain?: number;
  tryOther?: number;
}

/** An answer's summary entry: the intent answers only when present. */
export const summaryNpsOf = (a: { score: number; at: string } & LoyaltyIntent): SummaryNps => ({
  score: a.score,
  at: a.at,
  ...(a.buyAgain !== undefined ? { buyAgain: a.buyAgain } : {}),
  ...(a.tryOther !== undefined ? { tryOther: a.tryOther } : {}),
});

/** Which attribute of a summary a change writes. */
export type SummaryPart = { kind: 'profile' } | { kind: 'order'; orderId: string } | { kind: 'nps'; answerId: string };

/** One attribute of one customer's summary: set to `value`, or removed (`value` null). */
export type SummaryChange =
  | { cid: string; part: { kind: 'profile' }; value: SummaryProfile | null }
  | { cid: string; part: { kind: 'order'; orderId: string }; value: SummaryOrder | null }
  | { cid: string; part: { kind: 'nps'; answerId: string }; value: SummaryNps | null };

export const profileOf = (c: CustomerRecord): SummaryProfile => ({
  ...(c.platformCustomerId !== undefined ? { platformCustomerId: c.platformCustomerId } : {}),
  // A redacted customer keeps no personal data (what exportCustomerOf shows anyway).
  ...(c.redactedAt ? { redactedAt: c.redactedAt } : c.email !== undefined ? { email: c.email } : {}),
  points: { available: c.points.available, pending: c.points.pending },
  ...(c.tier ? { tier: c.tier } : {}),
  ...(c.tierStats ? { tierStats: c.tierStats } : {}),
  ...(c.engagedDays?.length ? { engagedDays: c.engagedDays } : {}),
  ...(c.membership ? { membership: c.membership } : {}),
});

/** The order's summary entry, or null when it counts on no day (cancelled, refunded, test, unpaid…). */
export const summaryOrderOf = (o: OrderRecord): SummaryOrder | null => {
  const counted = countedOrder(o, '9999-12-31');
  if (!counted || !o.state) return null;
  return {
    at: counted.at,
    revenueMinor: counted.revenueMinor,
    currency: o.state.currency,
    productIds: counted.productIds,
    referred: counted.referred,
  };
};

const changeOf = (s: SummarySource): SummaryChange | undefined => {
  switch (s.kind) {
    case 'customer':
      return { cid: s.customer.cid, part: { kind: 'profile' }, value: profileOf(s.customer) };
    case 'order':
      return s.order.cid
        ? { cid: s.order.cid, part: { kind: 'order', orderId: s.order.orderId }, value: summaryOrderOf(s.order) }
        : undefined;
    case 'nps':
      return {
        cid: s.answer.cid,
        part: { kind: 'nps', answerId: s.answer.answerId },
        value: summaryNpsOf(s.answer),
      };
  }
};

/** The attribute a part lives in, also a stable key for comparing changes. */
export const partKey = (p: SummaryPart): string =>
  p.kind === 'profile' ? 'profile' : p.kind === 'order' ? `o#${p.orderId}` : `n#${p.answerId}`;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What one change of a stored item (a stream record: the old and the new image, either absent)
 * does to the summaries: nothing when both project to the same thing; else the new projection,
 * and a removal from the customer the item no longer belongs to (an order that changed hands).
 * An item that is gone removes its part (a deleted customer item removes the profile).
 */
export const summaryChanges = (
  before: SummarySource | undefined,
  after: SummarySource | undefined,
): SummaryChange[] => {
  const old = before && changeOf(before);
  const next = after && changeOf(after);
  const out: SummaryChange[] = [];
  const sameSlot = old && next && old.cid === next.cid && partKey(old.part) === partKey(next.part);
  if (old && !sameSlot && old.value !== null) out.push({ ...old, value: null } as SummaryChange);
  // An item that never counted (an unpaid order) has nothing to remove.
  const nothingToRemove = next?.value === null && !old;
  if (next && !nothingToRemove && !(sameSlot && same(old.value, next.value))) out.push(next);
  return out;
};

/** What a stored item contributes to its customer's summary (for building summaries from a scan). */
export const summaryChangeOf = (s: SummarySource): SummaryChange | undefined => {
  const c = changeOf(s);
  return c && c.value !== null ? c : undefined;
};

/**
 * Ledger entries are append-only. Each moves points (and store credit, in minor units)
 * between nothing, `pending` and `available`; a customer's balances are the sums of these
 * deltas and nothing else.
 */
export const entryTypes = ['earn', 'confirm', 'reverse', 'redeem', 'expire', 'adjust'] as const;
export type EntryType = (typeof entryTypes)[number];

export interface Buckets {
  available: number;
  pending: number;
}

export interface LedgerEntry {
  entryId: string;
  type: EntryType;
  at: string;
  points: Buckets;
  credit: Buckets;
  /** What caused it, unique per cause: `order:<id>@<version>`, `redemption:<key>`, … */
  cause: string;
  orderId?: string;
  reason?: string;
  by?: string;
  rewardId?: string;
  /** For points awarded by a way to earn (domain/engagement): the activity's id and type. */
  activity?: { id: string; type: string };
}

export const zero: Buckets = { available: 0, pending: 0 };

export const addBuckets = (a: Buckets, b: Buckets): Buckets => ({
  available: a.available + b.available,
  pending: a.pending + b.pending,
});

export const isZero = (b: Buckets): boolean => b.available === 0 && b.pending === 0;

/**
 * Tier state kept on the customer item. The customer item is written with every order and
 * billed per started KB, so this stays small: tier history lives in separate items.
 */
export interface TierState {
  /** Level id from the shop's `program.tiers.levels`. */
  id: string;
  /** When the customer reached (or was moved to) this tier. */
  since: string;
  /** When the membership period ends and the tier is reviewed (renewed, or downgraded after grace). */
  reviewAt: string;
  /** The tier before this one, so an upgrade undone by a return can be reverted. */
  from?: string;
  /**
   * On an upgrade from a reviewed tier: that tier's `reviewAt`, so a reversal restores its
   * membership period instead of granting a fresh one.
   */
  fromReviewAt?: string;
  /** The downgrade date a warning was already sent for. */
  warnedFor?: string;
}

/** Per UTC month "yyyy-mm": [spend in minor units, points earned, orders], what tiers qualify on. */
export type TierStats = Record<string, [number, number, number]>;

export type TierChangeKind = 'up' | 'down' | 'reversed' | 'renewed';

/** One line of tier history (also the cause of a tier e-mail). */
export interface TierChange {
  kind: TierChangeKind;
  from: string;
  to: string;
  at: string;
  /** Why, for people: "qualified on spend 5,200.00 DKK", "membership ended", "order 1234 refunded". */
  reason: string;
}

/**
 * The tier fields of a customer (ledger/customer.ts CustomerRecord has them): what the tier
 * rules read, declared here so that tiers need not import the ledger, which imports tiers.
 */
export interface TierHolder {
  /** Current tier; absent means the lowest tier. */
  tier?: TierState;
  /** What tiers qualify on, per month (pruned to the longest window). */
  tierStats?: TierStats;
}

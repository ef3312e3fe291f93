import type { ActivityRecord } from '../../domain/engagement/activity';
import type { CustomerRecord } from '../../domain/ledger/customer';
import type { LedgerEntry } from '../../domain/ledger/entries';
import type { OrderRecord } from '../../domain/ledger/order-record';
import type { Plan } from '../../domain/ledger/plans';
import type { TierChange } from '../../domain/tiers/types';
import type { Program } from '../../schemas/program';
import type { Clock } from './clock';
import type { NewId } from './ids';
import type { Logger } from './logger';
import type { Random, RandomInt } from './random';
import type { Sleep } from './sleep';
import type { ReferralStore } from './referrals';

export type CommitOutcome = 'committed' | 'conflict' | 'duplicate';

export interface StoredIdempotency {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * Where ledger state lives. The DynamoDB implementation is shared/adapters/ledger-store.ts; tests may supply
 * others.
 */
export interface LedgerStore {
  getOrder(shopId: string, orderId: string): Promise<OrderRecord | undefined>;
  /**
   * Strongly consistent unless `consistent: false`: what plans a write must see every change;
   * a read only shown to the customer may be a moment old at half the cost.
   */
  getCustomer(shopId: string, cid: string, options?: { consistent?: boolean }): Promise<CustomerRecord | undefined>;
  cidsByEmailHash(shopId: string, emailHash: string): Promise<string[]>;
  /** Writes a plan atomically, or nothing if any item changed since it was read. */
  commit(
    shopId: string,
    plan: Plan,
    program: Program,
    idempotency?: { key: string; record: StoredIdempotency },
  ): Promise<CommitOutcome>;
  getIdempotency(shopId: string, key: string): Promise<StoredIdempotency | undefined>;
  /** How many of a stock-limited reward were redeemed so far (strongly consistent). */
  rewardRedeemed(shopId: string, rewardId: string): Promise<number>;
  listEntries(
    shopId: string,
    cid: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ entries: LedgerEntry[]; nextCursor?: string }>;
  /** The customer's activities (ways to earn), newest `occurredAt` first. */
  listActivities(
    shopId: string,
    cid: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ activities: ActivityRecord[]; nextCursor?: string }>;
  /** The customer's tier history, newest first. */
  listTierChanges(shopId: string, cid: string, limit: number): Promise<TierChange[]>;
  /** Customers the daily job must look at: wake time before `before`. */
  dueCustomers(shopId: string, before: string): AsyncIterable<string>;
  putDataRequest(shopId: string, cid: string, requestId: string, exportDoc: unknown, at: string): Promise<void>;
  /** On redaction: deletes stored data-request exports and erases NPS comments. */
  erasePersonalItems(shopId: string, cid: string): Promise<void>;
}

/** What the ledger's use cases (ledger-service.ts, referral-service.ts) are given. */
export interface LedgerDeps {
  store: LedgerStore;
  clock: Clock;
  newId: NewId;
  /** Jitter for the conflict retries (retry.ts). */
  random: Random;
  /** Codes: referral codes, winback discount codes. */
  randomInt: RandomInt;
  /** The pause between conflict retries. */
  sleep: Sleep;
  /** The referral program's store; without it orders are processed without referrals. */
  referrals?: ReferralStore;
  /** Where an order that earns nothing for a reason of its own (`earnBlocked`) is reported. */
  logger?: Pick<Logger, 'warn'>;
}

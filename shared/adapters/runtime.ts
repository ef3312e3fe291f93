import { parseEnv, type Env } from '../schemas/env';
import { systemClock, type Clock } from './clock';
import { adoptRuntime, currentRuntime } from './current-runtime';
import { createLogger, type Logger } from './logger';
import { dynamoLedgerStore, type LedgerStore } from './ledger-store';
import { dynamoNightlyStore } from './nightly-store';
import { dynamoReferralStore, type ReferralStore } from './referral-store';
import type { NightlyStore } from '../app/nightly/ports';
import type { LedgerDeps } from '../app/ledger-service';
import { newId } from './ids';
import { dynamoShopRepository, type ShopRepository } from './shop-repository';
import type { Table } from './table';
import { httpTable } from './table-http';

/**
 * The composition root: every DynamoDB adapter a handler needs, built on first use, once per
 * process (Lambda container or local gateway), from the environment. Tests build their own with
 * fakes. Stores reach DynamoDB through the Table port, by default the small signed-HTTP client
 * (table-http.ts), never the SDK's client. Adapters of other services live beside it
 * (operator-key.ts, nightly-runtime.ts, outbox-runtime.ts), so only the functions that use them
 * bundle them; functions that must stay smallest (referral redirect, storefront reads) use
 * lean-runtime.ts instead of this.
 */
export interface Runtime {
  env: Env;
  clock: Clock;
  logger: Logger;
  tableName: string;
  /** The table every store below uses. */
  table: Table;
  shops: ShopRepository;
  ledger: LedgerStore;
  referrals: ReferralStore;
  /** Churn segments, NPS answers and nightly job records (S3, SES and Step Functions: nightly-runtime.ts). */
  nightly: NightlyStore;
}

/** `table`: another implementation of the port (benches pass the SDK's, whose calls they watch). */
export const createRuntime = (source: Record<string, string | undefined> = process.env, parts: { table?: Table } = {}): Runtime => {
  const env = parseEnv(source);
  const tableName = env.BOOMERANG_TABLE_NAME;
  const once = <T>(make: () => T): (() => T) => {
    let made: { value: T } | undefined;
    return () => (made ??= { value: make() }).value;
  };
  const table = once(() => parts.table ?? httpTable({ env: source }));
  const shops = once(() => dynamoShopRepository(table(), tableName));
  const ledger = once(() => dynamoLedgerStore(table(), tableName));
  const referrals = once(() => dynamoReferralStore(table(), tableName));
  const nightly = once(() => dynamoNightlyStore(table(), tableName));
  // Getters: a function builds (and connects) only what it touches. A spread copy
  // (`{ ...runtime(), clock }`) reads them all, which is what a test wants.
  return {
    env,
    clock: systemClock,
    logger: createLogger(env.LOG_LEVEL),
    tableName,
    get table() { return table(); },
    get shops() { return shops(); },
    get ledger() { return ledger(); },
    get referrals() { return referrals(); },
    get nightly() { return nightly(); },
  };
};

/** What the ledger's use cases need, from the process runtime: one place, so every caller gets the same. */
export const ledgerDeps = (rt: Runtime): LedgerDeps => ({ store: rt.ledger, referrals: rt.referrals, clock: rt.clock, newId, logger: rt.logger });

/** The process-wide runtime, created on first use (i.e. at cold start). */
export const runtime = (): Runtime => currentRuntime() ?? adoptRuntime(createRuntime());

/** For tests and the local gateway: replace the process-wide runtime. */
export { setRuntime } from './current-runtime';

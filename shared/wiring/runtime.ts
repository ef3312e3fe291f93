import { parseEnv } from '../schemas/env';
import type { LedgerDeps } from '../app/ports/ledger';
import { systemClock } from '../adapters/clock';
import { createLogger } from '../adapters/logger';
import { dynamoLedgerStore } from '../adapters/ledger-store';
import { dynamoNightlyStore } from '../adapters/nightly-store';
import { dynamoReferralStore } from '../adapters/referral-store';
import { newId } from '../adapters/ids';
import { random, randomInt } from '../adapters/random';
import { sleep } from '../adapters/sleep';
import { dynamoShopStore } from '../adapters/shop-store';
import type { Table } from '../adapters/table';
import { httpTable } from '../adapters/table-http';
import { adoptRuntime, currentRuntime, type Runtime } from './current-runtime';

/**
 * The composition root: every DynamoDB adapter a handler needs, built on first use, once per
 * process (Lambda container or local gateway), from the environment. Tests build their own with
 * fakes. Stores reach DynamoDB through the Table port, by default the small signed-HTTP client
 * (adapters/table-http.ts), never the SDK's client. Adapters of other services are wired beside
 * it (nightly-runtime.ts, outbox-runtime.ts, webhook-runtime.ts; the operator key:
 * adapters/operator-key.ts), so only the functions that use them bundle them; functions that
 * must stay smallest (referral redirect, storefront reads) use lean-runtime.ts instead of this.
 * The Runtime interface itself is in current-runtime.ts (which this imports), so the two do not
 * import each other.
 */
export type { Runtime } from './current-runtime';

/** `table`: another implementation of the port (benches pass the SDK's, whose calls they watch). */
export const createRuntime = (
  source: Record<string, string | undefined> = process.env,
  parts: { table?: Table } = {},
): Runtime => {
  const env = parseEnv(source);
  const tableName = env.BOOMERANG_TABLE_NAME;
  const once = <T>(make: () => T): (() => T) => {
    let made: { value: T } | undefined;
    return () => (made ??= { value: make() }).value;
  };
  const table = once(() => parts.table ?? httpTable({ env: source, random }));
  const shops = once(() => dynamoShopStore(table(), tableName));
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
    get table() {
      return table();
    },
    get shops() {
      return shops();
    },
    get ledger() {
      return ledger();
    },
    get referrals() {
      return referrals();
    },
    get nightly() {
      return nightly();
    },
  };
};

/** What the ledger's use cases need, from the process runtime: one place, so every caller gets the same. */
export const ledgerDeps = (rt: Runtime): LedgerDeps => ({
  store: rt.ledger,
  referrals: rt.referrals,
  clock: rt.clock,
  newId,
  random,
  randomInt,
  sleep,
  logger: rt.logger,
});

/** The process-wide runtime, created on first use (i.e. at cold start). */
export const runtime = (): Runtime => currentRuntime() ?? adoptRuntime(createRuntime());

/** For tests and the local gateway: replace the process-wide runtime. */
export { setRuntime } from './current-runtime';

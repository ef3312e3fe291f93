import { parseEnv, type Env } from '../schemas/env';
import type { Clock } from '../app/ports/clock';
import type { Logger } from '../app/ports/logger';
import type { ShopStore } from '../app/ports/shops';
import { systemClock } from '../adapters/clock';
import { injectedRuntime, runtimeGeneration } from './current-runtime';
import { createLogger } from '../adapters/logger';
import { random } from '../adapters/random';
import { tableShopReader } from '../adapters/shop-reader';
import type { Table } from '../adapters/table';
import { httpTable } from '../adapters/table-http';

/**
 * What the small public functions (the referral redirect; storefront reads) run on: the
 * environment, clock, logger and the table through the lean DynamoDB client — no AWS SDK
 * client, none of runtime.ts's admin adapters — so their bundles stay small and import fast.
 * A lean function imports this and the Table-port stores it uses (click-store.ts,
 * shop-reader.ts), nothing from runtime.ts.
 *
 * A full runtime set with setRuntime() (tests, benches) is used as it is: it has every part.
 */
export interface LeanRuntime {
  env: Env;
  clock: Clock;
  logger: Logger;
  tableName: string;
  table: Table;
  shops: Pick<ShopStore, 'get'>;
}

export const createLeanRuntime = (source: Record<string, string | undefined> = process.env): LeanRuntime => {
  const env = parseEnv(source);
  // Public and short (5 s): a stuck call fails fast rather than hold the visitor.
  const table = httpTable({ env: source, requestTimeoutMs: 1500, random });
  return {
    env,
    clock: systemClock,
    logger: createLogger(env.LOG_LEVEL),
    tableName: env.BOOMERANG_TABLE_NAME,
    table,
    shops: tableShopReader(table, env.BOOMERANG_TABLE_NAME),
  };
};

let lean: { generation: number; rt: LeanRuntime } | undefined;

/** The injected runtime, else this process's lean one (created at first use; afresh after setRuntime). */
export const leanRuntime = (): LeanRuntime => {
  const injected = injectedRuntime();
  if (injected) return injected;
  if (lean?.generation !== runtimeGeneration()) lean = { generation: runtimeGeneration(), rt: createLeanRuntime() };
  return lean.rt;
};

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseEnv, type Env } from '../schemas/env';
import { systemClock, type Clock } from './clock';
import { createDocumentClient } from './dynamo';
import { createLogger, type Logger } from './logger';
import { loadOperatorKey } from './operator-key';
import { dynamoLedgerStore, type LedgerStore } from './ledger-store';
import { dynamoNightlyStore } from './nightly-store';
import { dynamoReferralStore, type ReferralStore } from './referral-store';
import type { NightlyStore } from '../app/nightly/ports';
import type { LedgerDeps } from '../app/ledger-service';
import { newId } from './ids';
import { dynamoShopRepository, type ShopRepository } from './shop-repository';

/**
 * The composition root: every adapter a handler needs, built once per process (Lambda
 * container or local gateway) from the environment. Tests build their own with fakes.
 */
export interface Runtime {
  env: Env;
  clock: Clock;
  logger: Logger;
  db: DynamoDBDocumentClient;
  tableName: string;
  shops: ShopRepository;
  ledger: LedgerStore;
  referrals: ReferralStore;
  /** Churn segments, NPS answers and nightly job records (S3, SES and Step Functions: nightly-runtime.ts). */
  nightly: NightlyStore;
  operatorKey: () => Promise<string | undefined>;
}

export const createRuntime = (source: Record<string, string | undefined> = process.env): Runtime => {
  const env = parseEnv(source);
  const db = createDocumentClient();
  const tableName = env.BOOMERANG_TABLE_NAME;
  let operatorKey: Promise<string | undefined> | undefined;
  return {
    env,
    clock: systemClock,
    logger: createLogger(env.LOG_LEVEL),
    db,
    tableName,
    shops: dynamoShopRepository(db, tableName),
    ledger: dynamoLedgerStore(db, tableName),
    referrals: dynamoReferralStore(db, tableName),
    nightly: dynamoNightlyStore(db, tableName),
    operatorKey: () => (operatorKey ??= loadOperatorKey(env)),
  };
};

/** What the ledger's use cases need, from the process runtime: one place, so every caller gets the same. */
export const ledgerDeps = (rt: Runtime): LedgerDeps => ({ store: rt.ledger, referrals: rt.referrals, clock: rt.clock, newId });

let current: Runtime | undefined;

/** The process-wide runtime, created on first use (i.e. at cold start). */
export const runtime = (): Runtime => (current ??= createRuntime());

/** For tests and the local gateway: replace the process-wide runtime. */
export const setRuntime = (next: Runtime | undefined): void => {
  current = next;
};

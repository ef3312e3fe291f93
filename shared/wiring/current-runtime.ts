import type { Env } from '../schemas/env';
import type { Clock } from '../app/ports/clock';
import type { LedgerStore } from '../app/ports/ledger';
import type { Logger } from '../app/ports/logger';
import type { NightlyStore } from '../app/ports/nightly';
import type { ReferralStore } from '../app/ports/referrals';
import type { ShopStore } from '../app/ports/shops';
import type { Resolver } from '../app/ports/endpoints';
import { createLogger, isLogLevel } from '../adapters/logger';
import type { Table } from '../adapters/table';

/** What runtime.ts builds (its createRuntime() and runtime()). */
export interface Runtime {
  env: Env;
  clock: Clock;
  logger: Logger;
  tableName: string;
  /** The table every store below uses. */
  table: Table;
  shops: ShopStore;
  ledger: LedgerStore;
  referrals: ReferralStore;
  /** Churn segments, NPS answers and nightly job records (S3, SES and Step Functions: nightly-runtime.ts). */
  nightly: NightlyStore;
  /** Name resolution of the outgoing webhooks' SSRF check; absent: DNS (tests map names to chosen addresses). */
  resolver?: Resolver;
}

/**
 * Where links in e-mails, exports and uploads point: the caller's own base URL (a request's), else
 * BOOMERANG_PUBLIC_BASE_URL, else the local gateway of `npm start`. One default for every link.
 */
export const publicBaseUrl = (rt: Pick<Runtime, 'env'>, override?: string): string =>
  override ?? rt.env.BOOMERANG_PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000';

/**
 * The process-wide runtime slot, kept apart from runtime.ts so that code which must stay small
 * (the error middleware, the public functions) can look at it without bundling the adapters
 * that createRuntime() builds.
 */
let current: Runtime | undefined;
let injected = false;
let generation = 0;

/** The runtime of this process if one exists (set by a test or created by runtime()). */
export const currentRuntime = (): Runtime | undefined => current;

/** The runtime a test, bench or the local gateway set with setRuntime(), if any. */
export const injectedRuntime = (): Runtime | undefined => (injected ? current : undefined);

/** Changes whenever the runtime is replaced: per-container state keyed by it starts afresh. */
export const runtimeGeneration = (): number => generation;

/** For tests and the local gateway: replace the process-wide runtime (undefined: a fresh "container"). */
export const setRuntime = (next: Runtime | undefined): void => {
  current = next;
  injected = next !== undefined;
  generation++;
};

/** runtime() keeps the one it created here; that is not an injection. */
export const adoptRuntime = (created: Runtime): Runtime => {
  current = created;
  injected = false;
  return created;
};

let fallback: { level: string | undefined; logger: Logger } | undefined;

/**
 * The runtime's logger when there is a runtime (so tests capture what the error middleware
 * logs), else one at LOG_LEVEL, built without the runtime.
 */
export const processLogger = (): Logger => {
  if (current) return current.logger;
  const level = process.env.LOG_LEVEL;
  if (fallback && fallback.level === level) return fallback.logger;
  const logger = createLogger(isLogLevel(level) ? level : 'info');
  fallback = { level, logger };
  return logger;
};

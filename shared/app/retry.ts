import { ContentionError } from '../domain/errors';
import type { Clock } from './ports/clock';
import type { Random } from './ports/random';
import type { Sleep } from './ports/sleep';

/**
 * The one retry-on-conflict policy of the use cases (ledger commits, redemptions and
 * adjustments, referral code publishing, shop state updates): a writer that loses a race
 * re-reads, re-plans and tries again, after a jittered exponential backoff, until it wins,
 * runs out of attempts, or runs out of time. Time is measured on the injected clock, so with a
 * fixed clock (tests) only the attempt cap ends the loop.
 */
export interface RetryPolicy {
  /** At most this many attempts. */
  attempts: number;
  /** No new attempt starts once this much time (on the clock) has passed since the first. */
  budgetMs: number;
  /** Backoff after attempt n (from 0): random × min(maxDelayMs, baseDelayMs × 2^n). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Past the budget the caller gets a 503 and retries later: Shopify waits 5 s for an answer. */
export const conflictPolicy: RetryPolicy = { attempts: 50, budgetMs: 3_000, baseDelayMs: 10, maxDelayMs: 250 };

export interface RetryDeps {
  clock: Clock;
  sleep: Sleep;
  random: Random;
}

/** What an attempt returns when it lost a race and should be tried again. */
export const conflict: unique symbol = Symbol('conflict');
export type Conflict = typeof conflict;

/** The pause after attempt `n` (from 0), given a random number in [0, 1). */
export const backoffMs = (policy: RetryPolicy, n: number, random: number): number =>
  random * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);

const contention = (): never => {
  throw new ContentionError();
};

/**
 * Runs `attempt(n)` until it returns something other than `conflict`. Giving up calls
 * `giveUp` (by default: throw ContentionError, which the HTTP layer answers with 503).
 */
export const retryOnConflict = async <T>(
  deps: RetryDeps,
  attempt: (n: number) => Promise<T | Conflict>,
  policy: RetryPolicy = conflictPolicy,
  giveUp: () => T = contention,
): Promise<T> => {
  const deadline = deps.clock.now().getTime() + policy.budgetMs;
  for (let n = 0; n < policy.attempts && (n === 0 || deps.clock.now().getTime() < deadline); n++) {
    const result = await attempt(n);
    if (result !== conflict) return result as T;
    await deps.sleep(backoffMs(policy, n, deps.random()));
  }
  return giveUp();
};

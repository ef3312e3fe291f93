/**
 * Cold-start budgets per function bundle (issue 10). Sizes are checked by test/infra (they are
 * deterministic); import times only by `npm run bench:cold-start`, which prints them.
 *
 * A function on the public, latency-sensitive path (a health check, a referral click, a
 * storefront read) is `lean`: add new storefront reads here when they are created.
 */
import type { FunctionName } from './routes';

export const leanFunctions: readonly FunctionName[] = [
  'health',
  'referral-redirect',
  'storefront-assets',
  'console-assets',
];

export interface Budget {
  /** The bundle itself (the .mjs Lambda imports), source map excluded. */
  bytes: number;
  /** Median time to import the bundle in a fresh Node process (bench only, never asserted). */
  importMs: number;
}

export const budgets = {
  lean: { bytes: 150_000, importMs: 40 },
  any: { bytes: 500_000, importMs: 100 },
} as const satisfies Record<string, Budget>;

export const budgetFor = (name: string): Budget =>
  (leanFunctions as readonly string[]).includes(name) ? budgets.lean : budgets.any;

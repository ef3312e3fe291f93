/**
 * What each deployed function is allowed to touch. The stack grants exactly this and nothing
 * more; typed against `functionNames`, so a function added to infra/routes.ts does not compile
 * until someone decides its permissions here.
 */
import type { FunctionName } from './routes';

export type TableAccess = 'readWrite' | 'read' | 'none';

export interface FunctionNeeds {
  table: TableAccess;
  /** Reads the operator key secret (every route that calls requireOperator/requireShopAccess). */
  operatorKey: boolean;
  /** Sends email through SES with the stack's configuration set. */
  ses: boolean;
  /** Builds absolute links, so it gets BOOMERANG_PUBLIC_BASE_URL. */
  publicBaseUrl: boolean;
  timeoutSeconds: number;
}

/** HTTP functions answer within API Gateway's 30 s limit; 10 s leaves a clear margin. */
const http = { timeoutSeconds: 10 } as const;

export const functionNeeds: Record<FunctionName, FunctionNeeds> = {
  health: { ...http, table: 'none', operatorKey: false, ses: false, publicBaseUrl: false },
  shops: { ...http, table: 'readWrite', operatorKey: true, ses: false, publicBaseUrl: false },
  // Webhooks authenticate by platform signature, not by operator or shop key.
  webhooks: { ...http, table: 'readWrite', operatorKey: false, ses: false, publicBaseUrl: false },
  customers: { ...http, table: 'readWrite', operatorKey: true, ses: false, publicBaseUrl: true },
  jobs: { timeoutSeconds: 29, table: 'readWrite', operatorKey: true, ses: false, publicBaseUrl: false },
  'ledger-daily': { timeoutSeconds: 900, table: 'readWrite', operatorKey: false, ses: false, publicBaseUrl: false },
  // Shop-key admin routes; builds the referral link from the public base URL.
  referrals: { ...http, table: 'readWrite', operatorKey: true, ses: false, publicBaseUrl: true },
  // Public and unauthenticated: one read on a cache miss and at most three small writes, so a
  // short timeout; a stuck call fails fast instead of holding the visitor.
  'referral-redirect': { timeoutSeconds: 5, table: 'readWrite', operatorKey: false, ses: false, publicBaseUrl: false },
};

/** Serves API Gateway's `$default` route, so unknown paths get the standard 404 body. */
export const fallbackFunction: FunctionName = 'health';

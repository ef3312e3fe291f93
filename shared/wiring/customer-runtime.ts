import type { CustomerChangeDeps } from '../app/customer-admin-service';
import { humanCode } from '../domain/human-code';
import type { CustomerReadDeps } from '../app/customer-admin-service';
import { dynamoOutboxStore } from '../adapters/outbox-store';
import { newId } from '../adapters/ids';
import { ledgerDeps, type Runtime } from './runtime';
import { summaryStore } from './summary-runtime';

/** Deps of the changes to a customer's points (redemptions, adjustments) from the admin API and the storefront. */
export const customerChangeDeps = (rt: Runtime): CustomerChangeDeps => {
  const deps = ledgerDeps(rt);
  return { ...deps, humanCode: (prefix) => humanCode(deps.randomInt, prefix) };
};

/** Deps of the admin's customer read: the ledger, referral, segment, purchase summary and e-mails sent. */
export const customerReadDeps = (rt: Runtime): CustomerReadDeps => ({
  ...ledgerDeps(rt),
  referrals: rt.referrals,
  nightly: rt.nightly,
  summaries: summaryStore(rt),
  emails: dynamoOutboxStore(rt.table, rt.tableName, newId),
});

import type { CustomerChangeDeps } from '../app/customer-admin-service';
import { humanCode } from '../domain/human-code';
import { ledgerDeps, type Runtime } from './runtime';

/** Deps of the changes to a customer's points (redemptions, adjustments) from the admin API and the storefront. */
export const customerChangeDeps = (rt: Runtime): CustomerChangeDeps => {
  const deps = ledgerDeps(rt);
  return { ...deps, humanCode: (prefix) => humanCode(deps.randomInt, prefix) };
};

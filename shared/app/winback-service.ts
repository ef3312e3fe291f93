import type { Shop } from '../domain/shop';
import { planWinbackStart, type WinbackSkip } from '../domain/winback/series';
import { commitWithRetry, type LedgerDeps } from './ledger-service';
import { customerPlan } from '../domain/ledger/plans';

/**
 * Enters a customer the nightly run found at risk into the win-back series: the customer's
 * series state and the reminder's outbox item in one transaction, or nothing.
 */
export const startWinback = async (
  deps: LedgerDeps,
  shop: Shop,
  cid: string,
  riskSince: string,
): Promise<{ started: true } | { started: false; reason: WinbackSkip | 'no_customer' }> => {
  let outcome: { started: true } | { started: false; reason: WinbackSkip | 'no_customer' } = {
    started: false,
    reason: 'no_customer',
  };
  await commitWithRetry(deps, shop, async () => {
    const c = await deps.store.getCustomer(shop.id, cid);
    if (!c) return ((outcome = { started: false, reason: 'no_customer' }), undefined);
    const now = deps.clock.now().toISOString();
    const planned = planWinbackStart(c, shop.program, now, riskSince);
    if (!planned.ok) return ((outcome = { started: false, reason: planned.reason }), undefined);
    outcome = { started: true };
    return customerPlan(c, planned.customer, now, { emails: planned.emails });
  });
  return outcome;
};

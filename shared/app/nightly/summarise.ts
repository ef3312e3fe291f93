import { countedOrder, endOfDayMs, type CountedOrder } from '../../domain/churn/purchases';
import type { ExportCustomer } from '../../domain/churn/export-rows';
import type { CustomerRecord } from '../../domain/ledger/customer';
import { jobFiles, writeJson } from './files';
import type { NightlyDeps } from '../ports/nightly';
import { upgradeDue } from '../../domain/ledger/tier-effects';
import { forEachLimited } from '../../domain/for-each-limited';

export interface StepInput {
  shopId: string;
  jobId: string;
  asOf: string;
  totalSegments: number;
}

/** What one scan segment found: written by summarise, grouped by customer in fit. */
export interface SegmentSummary {
  customers: ExportCustomer[];
  orders: CountedOrder[];
  nps: { cid: string; score: number; at: string }[];
}

/** The customer as the export and metrics read it; a redacted customer keeps no personal data. */
export const exportCustomerOf = (c: CustomerRecord): ExportCustomer => ({
  cid: c.cid,
  ...(c.platformCustomerId !== undefined ? { platformCustomerId: c.platformCustomerId } : {}),
  ...(c.redactedAt ? { redactedAt: c.redactedAt } : c.email !== undefined ? { email: c.email } : {}),
  points: { available: c.points.available, pending: c.points.pending },
  ...(c.tier ? { tier: c.tier.id } : {}),
});

/**
 * Step 1, once per scan segment: the shop's customers, the orders that count as of the day
 * (shared/domain/churn/purchases.ts) and the NPS answers given by then. A customer's orders may
 * sit in other segments than the customer item, so nothing is grouped here.
 */
export const summarise = async (deps: NightlyDeps, input: StepInput & { segment: number }) => {
  const { shopId, jobId, asOf, segment, totalSegments } = input;
  if (!(Number.isInteger(segment) && segment >= 0 && segment < totalSegments)) {
    throw new RangeError(`Segment ${segment} is not one of 0…${totalSegments - 1}`);
  }
  const end = endOfDayMs(asOf);
  const out: SegmentSummary = { customers: [], orders: [], nps: [] };
  // The scan sees every customer once a night: the moment to move up anyone who qualifies for
  // more than they hold (only a shop lowering its thresholds does that without an order).
  // The shop is read anyway for its currency: only orders in it count as purchases.
  const shop = await deps.shops.get(shopId);
  const tierShop = deps.tiers ? shop : undefined;
  const now = deps.clock.now().toISOString();
  const upgrades: string[] = [];
  for await (const page of deps.store.scanShop(shopId, segment, totalSegments)) {
    for (const item of page) {
      if (item.kind === 'customer') {
        out.customers.push(exportCustomerOf(item.customer));
        if (tierShop && upgradeDue(item.customer, tierShop.program, { currency: tierShop.currency, now }))
          upgrades.push(item.customer.cid);
      } else if (item.kind === 'order') {
        const counted = countedOrder(item.order, asOf, shop?.currency);
        if (counted) out.orders.push(counted);
      } else if (Date.parse(item.answer.at) < end) {
        out.nps.push({ cid: item.answer.cid, score: item.answer.score, at: item.answer.at });
      }
    }
  }
  await writeJson(deps.sink, jobFiles(shopId, jobId).summary(segment), out);
  // The churn run must not fail over one busy customer: a move that cannot be made tonight is
  // found again tomorrow. (The export shows tiers as scanned, before these moves.)
  let tierUpgrades = 0;
  if (tierShop) {
    await forEachLimited(upgrades, 8, async (cid) => {
      try {
        if (await deps.tiers!.recheck(tierShop, cid)) tierUpgrades++;
      } catch (e) {
        deps.logger.warn('tier check failed; tried again next night', { shopId, cid, error: (e as Error)?.name });
      }
    });
  }
  return {
    step: 'summarise' as const,
    segment,
    customers: out.customers.length,
    orders: out.orders.length,
    npsAnswers: out.nps.length,
    tierUpgrades,
  };
};

/**
 * A synthetic shop for the nightly churn bench: customers drawn from the BG/NBD and Gamma-Gamma
 * models (shared/domain/churn/simulate.ts) with a seeded PRNG, reduced to the per-customer
 * summaries the nightly job will compute from the ledger.
 */
import type { BgNbdParameters } from '../../shared/domain/churn/bgnbd';
import type { GammaGammaParameters } from '../../shared/domain/churn/gamma-gamma';
import { seededRandom, simulateCustomer } from '../../shared/domain/churn/simulate';
import { summarizePurchases, type PurchaseSummary } from '../../shared/domain/churn/summary';

export interface SyntheticShop {
  summaries: PurchaseSummary[];
  /** Purchases simulated (continuous time) and how many fell on a day the customer had already bought on. */
  purchases: number;
  sameDayPurchases: number;
  asOfDay: number;
}

export const simulateShop = (
  customers: number,
  truth: { purchases: BgNbdParameters; spend: GammaGammaParameters },
  options: { seed: number; acquisitionDays: number; asOfDay: number },
): SyntheticShop => {
  const random = seededRandom(options.seed);
  const summaries: PurchaseSummary[] = new Array(customers);
  let purchases = 0;
  let sameDayPurchases = 0;
  for (let i = 0; i < customers; i++) {
    // First purchases spread evenly over the acquisition window before the as-of day.
    const firstDay = options.asOfDay - Math.floor(random() * options.acquisitionDays);
    const c = simulateCustomer(random, truth, firstDay, options.asOfDay);
    purchases += c.purchases.length;
    sameDayPurchases += c.purchases.length - new Set(c.purchases.map((p) => p.day)).size;
    summaries[i] = summarizePurchases(c.purchases, options.asOfDay, 'days')!;
  }
  return { summaries, purchases, sameDayPurchases, asOfDay: options.asOfDay };
};

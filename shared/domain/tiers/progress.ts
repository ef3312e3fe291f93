import type { TiersConfig } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import { currentLevel, metricOf, requiredFor } from './evaluate';
import { windowTotals } from './stats';

export interface TierView {
  id: string;
  name: string;
  since: string;
  /** When the membership is reviewed; null for the lowest level, which never is. */
  reviewAt: string | null;
  multiplierPercent: number;
  perks: string;
  qualifyOn: TiersConfig['qualifyOn'];
  progress: {
    /** The metric in the current window (this year for calendar years): minor units for spend. */
    current: number;
    /** Still needed for the next level, in the same unit; null at the top. */
    toNext: number | null;
    /** The next level's display name; null at the top. */
    nextTier: string | null;
  };
}

/** The customer's tier as the public customer read shows it; null when tiers are disabled. */
export const tierView = (
  customer: Pick<CustomerRecord, 'tier' | 'tierStats' | 'createdAt'>,
  tiers: TiersConfig,
  currency: string,
  now: string,
): TierView | null => {
  if (!tiers.enabled) return null;
  const { index, level } = currentLevel(customer, tiers, { tierStats: customer.tierStats, currency, now });
  const current = metricOf(windowTotals(customer.tierStats, tiers, now), tiers.qualifyOn);
  const next = tiers.levels[index + 1];
  return {
    id: level.id,
    name: level.name,
    since: customer.tier?.since ?? customer.createdAt,
    reviewAt: index > 0 && customer.tier ? customer.tier.reviewAt : null,
    multiplierPercent: level.multiplierPercent,
    perks: level.perks,
    qualifyOn: tiers.qualifyOn,
    progress: {
      current,
      // Already enough (the upgrade has not been evaluated yet) reads as 0, never negative.
      toNext: next ? Math.max(0, requiredFor(tiers, index + 1, currency) - current) : null,
      nextTier: next ? next.name : null,
    },
  };
};

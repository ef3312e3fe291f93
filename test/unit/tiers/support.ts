import type { TierState, TierStats } from '../../../shared/domain/tiers/types';
import { type TiersConfig, tiersSchema } from '../../../shared/schemas/program';

/** Bronze 0, Silver 500, Gold 1500 (DKK by default); rolling 12 months, grace 30, warning 14. */
export const ladder = (overrides: Partial<TiersConfig> = {}): TiersConfig =>
  tiersSchema.parse({
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: 0, multiplierPercent: 100, perks: '' },
      { id: 'silver', name: 'Silver', threshold: 500, multiplierPercent: 125, perks: 'Free shipping' },
      { id: 'gold', name: 'Gold', threshold: 1500, multiplierPercent: 200, perks: 'Free shipping, early access' },
    ],
    ...overrides,
  });

/** One month's spend in minor units (one order, points = whole units). */
export const spent = (month: string, minor: number): TierStats => ({
  [month]: [minor, Math.trunc(minor / 100), minor > 0 ? 1 : -1],
});

export const state = (id: string, since: string, reviewAt: string, extra: Partial<TierState> = {}): TierState => ({
  id,
  since,
  reviewAt,
  ...extra,
});

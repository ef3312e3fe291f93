import type { Program, Reward } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import { activeMembershipPlan } from '../membership/state';

/**
 * Who may redeem an exclusive reward, and how many are left: the rules the redemption plan
 * enforces and the storefront shows, in one place so the two never disagree.
 */

/** The requirements of `reward.requires` the customer does not meet now; absent when none. */
export interface RewardLock {
  /** The tier id required (the customer is below it). */
  tier?: string;
  /** The plan id required, or `any` (the customer holds no such active membership). */
  membership?: string;
}

/** Index of a tier id on the ladder; -1 when the ladder lacks it. */
const tierIndex = (program: Pick<Program, 'tiers'>, id: string | undefined): number =>
  id === undefined ? -1 : program.tiers.levels.findIndex((l) => l.id === id);

/**
 * The requirements the customer misses. A tier requirement is met at that level or above; with
 * tiers switched off nobody holds a tier, so only the lowest level is met (the shop's gate stays
 * shut rather than opening to everyone). A customer without a record (never ordered) holds nothing.
 */
export const rewardLock = (
  reward: Reward,
  customer: Pick<CustomerRecord, 'tier' | 'membership'> | undefined,
  program: Pick<Program, 'tiers' | 'membership'>,
  now: string,
): RewardLock | undefined => {
  const needs = reward.requires;
  if (!needs) return undefined;
  const lock: RewardLock = {};
  if (needs.tier !== undefined) {
    const required = tierIndex(program, needs.tier);
    const held = program.tiers.enabled ? Math.max(0, tierIndex(program, customer?.tier?.id)) : 0;
    // An id the ladder no longer has (validation refuses it, but a ladder can change) locks.
    if (required < 0 || held < required) lock.tier = needs.tier;
  }
  if (needs.membership !== undefined) {
    const plan = activeMembershipPlan(customer, program, now);
    if (!plan || (needs.membership !== 'any' && plan.id !== needs.membership)) lock.membership = needs.membership;
  }
  return lock.tier !== undefined || lock.membership !== undefined ? lock : undefined;
};

/** How many of the reward the customer redeemed so far. */
export const redeemedByCustomer = (c: Pick<CustomerRecord, 'rewardRedemptions'> | undefined, rewardId: string) =>
  c?.rewardRedemptions?.[rewardId] ?? 0;

/** What the customer may still redeem of a reward with a per-customer limit; null when unlimited. */
export const remainingForCustomer = (
  reward: Reward,
  c: Pick<CustomerRecord, 'rewardRedemptions'> | undefined,
): number | null =>
  reward.perCustomerLimit === undefined
    ? null
    : Math.max(0, reward.perCustomerLimit - redeemedByCustomer(c, reward.id));

/** Left in stock given how many were redeemed; null when the stock is unlimited. */
export const remainingStock = (reward: Pick<Reward, 'stock'>, redeemed: number): number | null =>
  reward.stock === undefined ? null : Math.max(0, reward.stock - redeemed);

/** The rewards whose redeemed count matters (they have a stock). */
export const stockLimited = (program: Pick<Program, 'rewards'>): Reward[] =>
  program.rewards.filter((r) => r.stock !== undefined);

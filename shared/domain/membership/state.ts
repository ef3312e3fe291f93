import type { MembershipConfig, MembershipPlan, Program } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import { tierMultiplierPercent } from '../tiers/evaluate';
import { addDays } from '../calendar';

/**
 * The paid-membership plan a customer holds at `now`, if any: active, and `now` before the end
 * of the paid period plus the grace days (a renewal payment that comes a little late keeps it).
 * A plan the shop has since removed from the program gives nothing.
 */
export const activeMembershipPlan = (
  c: Pick<CustomerRecord, 'membership'> | undefined,
  program: Pick<Program, 'membership'>,
  now: string,
): MembershipPlan | undefined => {
  const m = c?.membership;
  if (!m || m.status !== 'active' || !program.membership.enabled) return undefined;
  if (now >= addDays(m.paidThrough, program.membership.graceDays)) return undefined;
  return program.membership.plans.find((p) => p.id === m.planId);
};

/** Tier and membership multipliers (percent) combined as the shop's `stacking` says. */
export const stackedPercent = (tierPercent: number, memberPercent: number, stacking: MembershipConfig['stacking']) =>
  stacking === 'highest'
    ? Math.max(tierPercent, memberPercent)
    : stacking === 'add'
      ? tierPercent + memberPercent - 100
      : // Integer percent: rounded down, so a multiplier never gives a point the shop did not promise.
        Math.floor((tierPercent * memberPercent) / 100);

/** The earning multiplier (percent) for a customer at `now`: their tier's, stacked with their membership's. */
export const earningMultiplierPercent = (
  c: Pick<CustomerRecord, 'tier' | 'membership'> | undefined,
  program: Pick<Program, 'tiers' | 'membership'>,
  now: string,
): number => {
  const tier = tierMultiplierPercent(c, program.tiers);
  const plan = activeMembershipPlan(c, program, now);
  return plan ? stackedPercent(tier, plan.multiplierPercent, program.membership.stacking) : tier;
};

import type { MembershipConfig, MembershipPlan, Program } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import { tierMultiplierPercent } from '../tiers/evaluate';
import { addDays, toMs } from '../calendar';

/**
 * The paid-membership plan a customer holds at `now`, if any: active, `now` at or after its
 * `since` and before the end of the paid period plus the grace days (a renewal payment that
 * comes a little late keeps it). A plan the shop has since removed from the program gives nothing.
 */
export const activeMembershipPlan = (
  c: Pick<CustomerRecord, 'membership'> | undefined,
  program: Pick<Program, 'membership'>,
  now: string,
): MembershipPlan | undefined => (c?.membership?.status === 'active' ? membershipPlanAt(c, program, now) : undefined);

/**
 * The plan the customer's current membership covered at the instant `at` (which may be in the
 * past): `since` ≤ `at` < `paidThrough` + grace days. A membership that has `lapsed` since still
 * covered its paid period; a `cancelled` one (every payment taken back) never counted. Only the
 * current unbroken membership is known: a stretch before an earlier gap counts for nothing.
 */
export const membershipPlanAt = (
  c: Pick<CustomerRecord, 'membership'> | undefined,
  program: Pick<Program, 'membership'>,
  at: string,
): MembershipPlan | undefined => {
  const m = c?.membership;
  if (!m || m.status === 'cancelled' || !program.membership.enabled) return undefined;
  const t = toMs(at);
  if (t < toMs(m.since) || t >= toMs(addDays(m.paidThrough, program.membership.graceDays))) return undefined;
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

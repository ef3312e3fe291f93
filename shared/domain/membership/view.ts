import type { Program } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import { activeMembershipPlan, earningMultiplierPercent } from './state';

/**
 * A customer's paid membership as the admin and storefront reads show it; null when the shop has
 * no membership or the customer never held one. `status` is as of `now`: a membership whose
 * grace days ran out reads `lapsed` even before the daily job has recorded it.
 */
export const membershipView = (
  c: Pick<CustomerRecord, 'membership' | 'tier'>,
  program: Pick<Program, 'membership' | 'tiers'>,
  now: string,
) => {
  const m = c.membership;
  if (!m || !program.membership.enabled) return null;
  const plan = program.membership.plans.find((p) => p.id === m.planId);
  const active = activeMembershipPlan(c, program, now) !== undefined;
  return {
    planId: m.planId,
    name: plan?.name ?? m.planId,
    status: active ? ('active' as const) : m.status === 'active' ? ('lapsed' as const) : m.status,
    since: m.since,
    paidThrough: m.paidThrough,
    endedAt: active ? null : (m.endedAt ?? m.paidThrough),
    /** The plan's own multiplier, and what the customer earns with now (stacked with the tier's). */
    multiplierPercent: plan?.multiplierPercent ?? 100,
    earningMultiplierPercent: earningMultiplierPercent(c, program, now),
    perks: active ? (plan?.perks ?? '') : '',
  };
};

/** The plans a visitor can buy, for the storefront program read; null without membership. */
export const membershipPlansView = (program: Pick<Program, 'membership'>) =>
  program.membership.enabled && program.membership.plans.length
    ? {
        stacking: program.membership.stacking,
        plans: program.membership.plans.map((p) => ({
          id: p.id,
          name: p.name,
          periodMonths: p.periodMonths,
          multiplierPercent: p.multiplierPercent,
          perks: p.perks,
        })),
      }
    : null;

import type { OrderEvent } from '../../schemas/order';
import type { Program } from '../../schemas/program';
import { toMs } from '../calendar';
import type { QueuedEmail } from '../emails/types';
import type { CustomerRecord } from '../ledger/customer';
import type { OrderRecord } from '../ledger/order-record';
import { mayQueue } from '../ledger/tier-effects';
import { foldMembership, monthsBought, planLine, planOfLines, stillPays, withPayment } from './payments';
import { lapsesAt, renewalDueAt } from './schedule';
import { activeMembershipPlan } from './state';

/** What a membership change adds to a plan: the customer as changed and the e-mails it causes. */
export interface MembershipEffects {
  customer: CustomerRecord;
  emails: QueuedEmail[];
}

const earlierOf = (a: string, b: string) => (toMs(a) < toMs(b) ? a : b);

/**
 * One order delivery's effect on the customer's paid membership: the order's payment is
 * recorded, replaced or taken back, and the membership folded again from all payments. A
 * membership that begins with it (none active before, or another plan) sends the join e-mail —
 * returned unchecked, because the order's profile (the address to send to) is applied after this:
 * the order plan checks `mayQueue` on the customer it writes. Shops without membership, and orders
 * that never bought a plan, change nothing.
 */
export const membershipAfterOrder = (
  c: CustomerRecord,
  program: Program,
  ctx: { event: OrderEvent; next: OrderRecord; now: string; timeZone?: string },
): MembershipEffects => {
  const { event, next, now } = ctx;
  const config = program.membership;
  const unchanged = { customer: c, emails: [] };
  if (!config.enabled || !config.plans.length || !next.state) return unchanged;
  const held = c.membership?.payments.find((p) => p.orderId === next.orderId);
  // A payment already recorded keeps its plan and lines, whatever SKUs the plan has now.
  const heldPlanId = held && (held.planId ?? c.membership?.planId);
  const plan = held ? config.plans.find((p) => p.id === heldPlanId) : planOfLines(next.state.lines, config);
  if (!plan) return unchanged;
  const isPlanLine = planLine(plan, held ? held.lineIds : undefined);
  // Quantities come only with the order itself; a refund keeps the months the order bought.
  const months =
    (event.kind === 'order' ? monthsBought(event.order.lines, plan, isPlanLine) : 0) || (held?.months ?? 0);
  const pays = months > 0 && stillPays(next, isPlanLine);
  if (!pays && !held) return unchanged;
  const lineIds =
    held?.lineIds ?? next.state.lines.flatMap((l) => (isPlanLine(l) && l.lineId !== undefined ? [l.lineId] : []));
  const payment = pays
    ? {
        orderId: next.orderId,
        at: earlierOf(next.paidAt!, now),
        months,
        planId: plan.id,
        ...(lineIds.length ? { lineIds } : {}),
      }
    : undefined;
  const payments = withPayment(c.membership?.payments ?? [], next.orderId, payment);
  const membership = foldMembership(c.membership, payments, config, now, ctx.timeZone);
  const customer: CustomerRecord = membership ? { ...c, membership } : c;
  const before = activeMembershipPlan(c, program, now);
  const after = activeMembershipPlan(customer, program, now);
  const joined = after !== undefined && after.id !== before?.id;
  return {
    customer,
    emails: joined
      ? [
          {
            type: 'membership_joined',
            cid: c.cid,
            at: now,
            data: {
              planName: after.name,
              perks: after.perks,
              multiplierPercent: after.multiplierPercent,
              paidThrough: membership!.paidThrough,
            },
          },
        ]
      : [],
  };
};

/**
 * The daily look at a membership as of `cutoff` (exclusive): lapse it once its grace days have
 * passed without a renewal, or else leave the renewal-due e-mail, once per paid period.
 */
export const membershipLifecycle = (
  c: CustomerRecord,
  program: Program,
  ctx: { cutoff: string; now: string },
): MembershipEffects => {
  const m = c.membership;
  const unchanged = { customer: c, emails: [] };
  if (!program.membership.enabled || m?.status !== 'active') return unchanged;
  const plan = program.membership.plans.find((p) => p.id === m.planId);
  const planName = plan?.name ?? m.planId;
  const lapse = lapsesAt(m, program);
  if (toMs(lapse) < toMs(ctx.cutoff)) {
    const { renewalWarnedFor: _w, ...rest } = m;
    return {
      customer: { ...c, membership: { ...rest, status: 'lapsed', endedAt: lapse } },
      emails: mayQueue(c, program, 'membership_lapsed')
        ? [{ type: 'membership_lapsed', cid: c.cid, at: ctx.now, data: { planName, paidThrough: m.paidThrough } }]
        : [],
    };
  }
  const due = renewalDueAt(m, program);
  if (!due || toMs(due) >= toMs(ctx.cutoff)) return unchanged;
  return {
    customer: { ...c, membership: { ...m, renewalWarnedFor: m.paidThrough } },
    emails: mayQueue(c, program, 'membership_renewal_due')
      ? [
          {
            type: 'membership_renewal_due',
            cid: c.cid,
            at: ctx.now,
            data: { planName, paidThrough: m.paidThrough, perks: plan?.perks ?? '' },
          },
        ]
      : [],
  };
};

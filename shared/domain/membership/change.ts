import type { MembershipState } from './types';
import { toMs } from '../calendar';

/** What happened to a membership in one change, for the `membership.changed` outgoing event. */
export interface MembershipChange {
  cid: string;
  /** `joined`: a membership began (first, again, or another plan); `renewed`/`shortened`: its paid period moved. */
  kind: 'joined' | 'renewed' | 'shortened' | 'cancelled' | 'lapsed';
  membership: MembershipState;
}

/**
 * The change between a membership as read and as written, judged by the transition (not by a
 * clock), so a re-planned write reports the same change; `undefined` when nothing a receiver
 * cares about moved (a renewal reminder left, a duplicate delivery).
 */
export const membershipChangeOf = (
  cid: string,
  before: MembershipState | undefined,
  after: MembershipState | undefined,
): MembershipChange | undefined => {
  if (!after) return undefined;
  const kind = kindOf(before, after);
  return kind && { cid, kind, membership: after };
};

const kindOf = (before: MembershipState | undefined, after: MembershipState): MembershipChange['kind'] | undefined => {
  if (after.status !== 'active') return before?.status === after.status ? undefined : after.status;
  if (!before || before.status !== 'active' || before.planId !== after.planId) return 'joined';
  const moved = toMs(after.paidThrough) - toMs(before.paidThrough);
  if (before.since !== after.since) {
    // Its first payment(s) taken back: the same membership, now starting at a payment it already
    // had, paid for less. A start at a payment not seen before is a new membership after a gap.
    const startsAtKnownPayment = before.payments.some((p) => toMs(p.at) === toMs(after.since));
    return toMs(after.since) > toMs(before.since) && startsAtKnownPayment ? 'shortened' : 'joined';
  }
  return moved > 0 ? 'renewed' : moved < 0 ? 'shortened' : undefined;
};

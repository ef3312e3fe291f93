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
  if (!before || before.status !== 'active' || before.planId !== after.planId || before.since !== after.since)
    return 'joined';
  const moved = toMs(after.paidThrough) - toMs(before.paidThrough);
  return moved > 0 ? 'renewed' : moved < 0 ? 'shortened' : undefined;
};

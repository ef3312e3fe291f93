import type { Program } from '../../schemas/program';
import { addDays, toMs } from '../calendar';
import type { MembershipState } from './types';

/** When an active membership lapses unless renewed: the end of its paid period plus the grace days. */
export const lapsesAt = (m: MembershipState, program: Pick<Program, 'membership'>): string =>
  addDays(m.paidThrough, program.membership.graceDays);

/** When the renewal-due e-mail is due for the current paid period, if it still is. */
export const renewalDueAt = (m: MembershipState, program: Pick<Program, 'membership'>): string | undefined => {
  const days = program.membership.renewalReminderDays;
  if (days === 0 || m.renewalWarnedFor === m.paidThrough) return undefined;
  return addDays(m.paidThrough, -days);
};

/** The next instant the daily job has something to do for a membership: the renewal-due e-mail or the lapse. */
export const membershipWakeAt = (m: MembershipState, program: Pick<Program, 'membership'>): string | undefined => {
  if (!program.membership.enabled || m.status !== 'active') return undefined;
  const due = renewalDueAt(m, program);
  const lapse = lapsesAt(m, program);
  return due && toMs(due) < toMs(lapse) ? due : lapse;
};

import type { Program } from '../../schemas/program';
import { addDays, toMs } from '../calendar';
import type { MembershipState } from './types';

/** When an active membership lapses unless renewed: the end of its paid period plus the grace days. */
export const lapsesAt = (m: MembershipState, program: Pick<Program, 'membership'>): string =>
  addDays(m.paidThrough, program.membership.graceDays);

/**
 * When the renewal-due e-mail is due for the current paid period, if it still is:
 * `renewalReminderDays` before its end, but never before half the time from the latest payment
 * to that end has passed, so a customer who just joined or renewed (a monthly plan with a 30-day
 * reminder, say) is not asked to renew at once.
 */
export const renewalDueAt = (m: MembershipState, program: Pick<Program, 'membership'>): string | undefined => {
  const days = program.membership.renewalReminderDays;
  if (days === 0 || m.renewalWarnedFor === m.paidThrough) return undefined;
  const end = toMs(m.paidThrough);
  const paidAt = toMs(m.payments.at(-1)?.at ?? m.since);
  const halfway = paidAt + Math.max(0, Math.floor((end - paidAt) / 2));
  return new Date(Math.max(toMs(addDays(m.paidThrough, -days)), halfway)).toISOString();
};

/** The next instant the daily job has something to do for a membership: the renewal-due e-mail or the lapse. */
export const membershipWakeAt = (m: MembershipState, program: Pick<Program, 'membership'>): string | undefined => {
  if (!program.membership.enabled || m.status !== 'active') return undefined;
  const due = renewalDueAt(m, program);
  const lapse = lapsesAt(m, program);
  return due && toMs(due) < toMs(lapse) ? due : lapse;
};

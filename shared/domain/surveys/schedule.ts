import { createHash } from 'node:crypto';
import type { Program } from '../../schemas/program';
import { addDays, later, toMs } from '../calendar';
import type { QueuedEmail } from '../emails/types';
import type { CustomerRecord } from '../ledger/customer';
import type { OrderRecord } from '../ledger/order-record';
import { mayQueue } from '../ledger/tier-effects';
import { marketingSlotAt } from '../winback/series';

/**
 * When a post-purchase survey is queued (docs/surveys.md): once per order, when it first becomes
 * paid and earns, for a customer we can e-mail, at most once per `cooldownDays`, due
 * `delayDays` after payment. It is queued in the order's own ledger transaction, so a retried
 * webhook never queues a second one; the sender re-checks consent, suppression and the order
 * (refunded in full by then: dropped) when it falls due.
 */

/** The survey's id, derived from the order so that it is the same on every re-plan of that order. */
export const surveyIdFor = (orderId: string): string =>
  createHash('sha256').update(`survey:${orderId}`).digest('base64url').slice(0, 22);

export type SurveySkip = 'disabled' | 'no_address' | 'cooldown' | 'cap' | 'stale';

/**
 * A survey whose due time passed more than this many days before the order reached us (an
 * imported history, a backfill, a webhook replayed long after) is not sent: asking about an
 * order from months ago reads as spam and its answer says little about the shop today.
 */
export const staleAfterDays = 7;

export type SurveyDecision =
  | { queue: true; customer: CustomerRecord; email: QueuedEmail<'survey_request'> }
  | { queue: false; reason: SurveySkip };

/**
 * `paidAt` is when the order was paid; `now` the planning time. A survey due while the weekly
 * marketing cap is full is moved to the cap's next free slot rather than dropped.
 */
export const decideSurvey = (
  c: CustomerRecord,
  program: Program,
  order: { orderId: string; paidAt: string },
  now: string,
): SurveyDecision => {
  if (!program.surveys.enabled || !program.emails.enabled) return { queue: false, reason: 'disabled' };
  if (!mayQueue(c, program, 'survey_request')) return { queue: false, reason: 'no_address' };
  if (c.surveyQueuedAt && toMs(c.surveyQueuedAt) > toMs(addDays(now, -program.surveys.cooldownDays)))
    return { queue: false, reason: 'cooldown' };
  const due = addDays(order.paidAt, program.surveys.delayDays);
  if (toMs(due) < toMs(addDays(now, -staleAfterDays))) return { queue: false, reason: 'stale' };
  const wanted = later(due, now);
  const dueAt = marketingSlotAt(c, program, wanted);
  if (dueAt === undefined) return { queue: false, reason: 'cap' };
  const since = addDays(now, -7);
  return {
    queue: true,
    customer: {
      ...c,
      surveyQueuedAt: now,
      // Counted against the cap from when it goes, like the win-back e-mails from when they are queued.
      marketingQueuedAt: [...(c.marketingQueuedAt ?? []).filter((t) => t > since), dueAt].sort(),
    },
    email: {
      type: 'survey_request',
      cid: c.cid,
      at: now,
      dueAt,
      data: { surveyId: surveyIdFor(order.orderId), orderId: order.orderId, orderedAt: order.paidAt },
    },
  };
};

/**
 * What an order delivery adds to the customer's side of the plan: a survey when this delivery
 * is the one that makes the order paid while it earns something (not a test order).
 */
export const withSurvey = <T extends { customer: CustomerRecord; emails: QueuedEmail[] }>(
  step: { before: OrderRecord; next: OrderRecord; program: Program; now: string },
  effects: T,
): T => {
  const { before, next } = step;
  const earns = next.awarded.points > 0 || next.awarded.credit > 0;
  if (before.paidAt || !next.paidAt || !earns || next.state?.test || next.cancelledAt) return effects;
  const decided = decideSurvey(
    effects.customer,
    step.program,
    { orderId: next.orderId, paidAt: next.paidAt },
    step.now,
  );
  return decided.queue
    ? { ...effects, customer: decided.customer, emails: [...effects.emails, decided.email] }
    : effects;
};

/** Whether the order a queued survey asks about still stands: not cancelled, voided or refunded in full. */
export const surveyStillAsks = (order: OrderRecord): boolean =>
  !order.cancelledAt && (order.awarded.points > 0 || order.awarded.credit > 0);

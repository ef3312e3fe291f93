import type { Program } from '../../schemas/program';
import { addDays } from '../calendar';
import { mayMarket } from '../emails/outbox';
import type { QueuedEmail } from '../emails/types';
import type { CustomerRecord } from '../ledger/customer';

/**
 * The win-back series: a reminder when a customer's churn risk crosses the shop's threshold,
 * then — unless they order first — a one-time incentive `incentiveAfterDays` later. Marketing
 * e-mail, so it needs consent, and every marketing e-mail counts against a weekly cap.
 */

/**
 * Marketing e-mails queued for the customer less than 7 days before or after `at`: the ones a new
 * e-mail at `at` would share a week with, including those queued to go later (a survey).
 */
const marketingNear = (c: CustomerRecord, at: string): string[] => {
  const from = addDays(at, -7);
  const to = addDays(at, 7);
  return (c.marketingQueuedAt ?? []).filter((t) => t > from && t < to);
};

/**
 * The first instant from `at` on when a marketing e-mail keeps within the weekly cap, or
 * undefined at cap 0. Each e-mail is placed where fewer than `cap` others lie within 7 days of it
 * on either side, so no 7 days ever hold more than `cap`. The candidates are `at` and the moment
 * each queued e-mail's week is over; the last of them always has room.
 */
export const marketingSlotAt = (c: CustomerRecord, program: Program, at: string): string | undefined => {
  const cap = program.emails.marketingCapPerWeek;
  if (cap === 0) return undefined;
  const weekOver = (t: string) => new Date(Date.parse(addDays(t, 7)) + 1).toISOString();
  const candidates = [
    at,
    ...(c.marketingQueuedAt ?? [])
      .map(weekOver)
      .filter((t) => t > at)
      .sort(),
  ];
  return candidates.find((t) => marketingNear(c, t).length < cap) ?? candidates[candidates.length - 1];
};

/** Keeps e-mails queued to go later (a survey), which count from when they go. */
const withMarketingQueued = (c: CustomerRecord, now: string): CustomerRecord => {
  const since = addDays(now, -7);
  return { ...c, marketingQueuedAt: [...(c.marketingQueuedAt ?? []).filter((t) => t > since), now].sort() };
};

export type WinbackSkip =
  'disabled' | 'no_address' | 'no_consent' | 'in_series' | 'cooldown' | 'cap' | 'ordered_recently';

export type WinbackPlan =
  { ok: true; customer: CustomerRecord; emails: QueuedEmail[] } | { ok: false; reason: WinbackSkip };

const reachable = (c: CustomerRecord, program: Program): WinbackSkip | undefined => {
  if (!program.winback.enabled || !program.emails.enabled) return 'disabled';
  if (c.redactedAt || !c.email) return 'no_address';
  if (!mayMarket(c, program)) return 'no_consent';
  return undefined;
};

/**
 * Enters a customer into a series, as of `now` (the nightly run that found them at risk).
 * `riskSince` is when the risk was measured: an order after it means they came back already.
 */
export const planWinbackStart = (c: CustomerRecord, program: Program, now: string, riskSince: string): WinbackPlan => {
  const unreachable = reachable(c, program);
  if (unreachable) return { ok: false, reason: unreachable };
  if (c.lastOrderAt && c.lastOrderAt > riskSince) return { ok: false, reason: 'ordered_recently' };
  if (c.winback?.step === 'reminder') return { ok: false, reason: 'in_series' };
  if (c.winback && c.winback.startedAt > addDays(now, -program.winback.cooldownDays))
    return { ok: false, reason: 'cooldown' };
  if (marketingSlotAt(c, program, now) !== now) return { ok: false, reason: 'cap' };
  const incentive = program.winback.incentiveRewardId !== null;
  const customer: CustomerRecord = {
    ...withMarketingQueued(c, now),
    winback: incentive
      ? { startedAt: now, step: 'reminder', nextAt: addDays(now, program.winback.incentiveAfterDays) }
      : { startedAt: now, step: 'done' },
  };
  return {
    ok: true,
    customer,
    emails: [
      {
        type: 'winback_reminder',
        cid: c.cid,
        at: now,
        data: { pointsBalance: c.points.available, ...(c.lastOrderAt ? { lastOrderAt: c.lastOrderAt } : {}) },
      },
    ],
  };
};

/**
 * The series' next step when it is due (the daily job): the incentive, unless the customer
 * ordered since the reminder (the series stopped then) or can no longer be e-mailed. A full
 * weekly cap postpones it rather than dropping it.
 */
export const planWinbackStep = (
  c: CustomerRecord,
  program: Program,
  ctx: { now: string; currency: string; newCode: () => string },
): { customer: CustomerRecord; emails: QueuedEmail[] } | undefined => {
  const w = c.winback;
  if (w?.step !== 'reminder' || !w.nextAt || w.nextAt > ctx.now) return undefined;
  if (c.lastOrderAt && c.lastOrderAt > w.startedAt)
    return { customer: { ...c, winback: { startedAt: w.startedAt, step: 'stopped' } }, emails: [] };
  const reward = program.rewards.find((r) => r.id === program.winback.incentiveRewardId && r.type === 'discount_code');
  if (reachable(c, program) || !reward)
    return { customer: { ...c, winback: { startedAt: w.startedAt, step: 'done' } }, emails: [] };
  const slot = marketingSlotAt(c, program, ctx.now);
  if (slot === undefined) return { customer: { ...c, winback: { startedAt: w.startedAt, step: 'done' } }, emails: [] };
  if (slot !== ctx.now) return { customer: { ...c, winback: { ...w, nextAt: slot } }, emails: [] };
  const code = program.winback.incentiveCode ?? ctx.newCode();
  return {
    customer: { ...withMarketingQueued(c, ctx.now), winback: { startedAt: w.startedAt, step: 'done', code } },
    emails: [
      {
        type: 'winback_incentive',
        cid: c.cid,
        at: ctx.now,
        data: {
          code,
          rewardName: reward.name,
          valueMinor: reward.valueMinor,
          currency: ctx.currency,
          pointsBalance: c.points.available,
        },
      },
    ],
  };
};

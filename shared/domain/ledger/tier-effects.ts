import type { Program } from '../../schemas/program';
import type { EmailType, QueuedEmail } from '../emails/types';
import { typeEnabled } from '../emails/outbox';
import { currentLevel, evaluateAfterChange, qualifiedLevel, reviewTier, type TierOutcome } from '../tiers/evaluate';
import { addTierStats } from '../tiers/stats';
import type { TierChange } from '../tiers/types';
import type { CustomerRecord } from './customer';

/** What a tier evaluation adds to a plan: the customer as changed, history lines and e-mails. */
export interface TierEffects {
  customer: CustomerRecord;
  changes: TierChange[];
  emails: QueuedEmail[];
}

const levelName = (program: Program, id: string | undefined) =>
  program.tiers.levels.find((l) => l.id === id)?.name ?? program.tiers.levels[0]!.name;
const level = (program: Program, id: string) => program.tiers.levels.find((l) => l.id === id);

/** Only queue what can be sent: the type is on and there is someone to send it to. */
export const mayQueue = (c: CustomerRecord, program: Program, type: EmailType): boolean =>
  !c.redactedAt && !!c.email && typeEnabled(program, type);

const effectsOf = (
  c: CustomerRecord,
  program: Program,
  outcome: TierOutcome,
  now: string,
  currency: string,
): TierEffects => {
  const customer: CustomerRecord = outcome.tier === c.tier ? c : { ...c, tier: outcome.tier };
  const changes = outcome.change ? [outcome.change] : [];
  const emails: QueuedEmail[] = [];
  const change = outcome.change;
  if (change?.kind === 'up' && mayQueue(c, program, 'tier_up')) {
    const to = level(program, change.to);
    emails.push({
      type: 'tier_up',
      cid: c.cid,
      at: now,
      data: {
        tierName: levelName(program, change.to),
        previousTierName: levelName(program, change.from),
        perks: to?.perks ?? '',
        multiplierPercent: to?.multiplierPercent ?? 100,
      },
    });
  }
  if (change?.kind === 'down' && mayQueue(c, program, 'tier_down')) {
    emails.push({
      type: 'tier_down',
      cid: c.cid,
      at: now,
      data: {
        tierName: levelName(program, change.to),
        previousTierName: levelName(program, change.from),
        perks: level(program, change.to)?.perks ?? '',
      },
    });
  }
  if (outcome.warning && mayQueue(c, program, 'tier_down_warning')) {
    const w = outcome.warning;
    emails.push({
      type: 'tier_down_warning',
      cid: c.cid,
      at: now,
      data: {
        tierName: levelName(program, w.tierId),
        nextTierName: levelName(program, w.nextTierId),
        downgradeAt: w.downgradeAt,
        qualifyOn: program.tiers.qualifyOn,
        toKeep: w.toKeep,
        currency,
      },
    });
  }
  return { customer, changes, emails };
};

/**
 * A ledger change that counts towards tiers (an order's spend, points or count moving, a
 * referral reward, a positive adjustment): records it in the month it belongs to and lets the
 * tier rules react — an upgrade at once, a return that undoes a recent upgrade reverted.
 */
export const withTierChange = (
  c: CustomerRecord,
  program: Program,
  ctx: { currency: string; now: string; month: string; delta: [number, number, number]; reason: string },
): TierEffects => {
  const [spend, points, orders] = ctx.delta;
  if (spend === 0 && points === 0 && orders === 0) return { customer: c, changes: [], emails: [] };
  const stats = addTierStats(c.tierStats, ctx.month, ctx.delta);
  const counted: CustomerRecord = { ...c };
  if (stats && Object.keys(stats).length) counted.tierStats = stats;
  else delete counted.tierStats;
  if (!program.tiers.enabled) return { customer: counted, changes: [], emails: [] };
  const cause = spend < 0 || points < 0 || orders < 0 ? 'refund' : 'earn';
  const outcome = evaluateAfterChange(counted, program.tiers, {
    currency: ctx.currency,
    now: ctx.now,
    cause,
    returnWindowDays: program.returnWindowDays,
    reason: ctx.reason,
  });
  return effectsOf(counted, program, outcome, ctx.now, ctx.currency);
};

/** The daily review of a customer's tier: renewals, downgrade warnings and downgrades. */
export const reviewTierEffects = (
  c: CustomerRecord,
  program: Program,
  ctx: { currency: string; now: string },
): TierEffects => {
  if (!program.tiers.enabled) return { customer: c, changes: [], emails: [] };
  return effectsOf(c, program, reviewTier(c, program.tiers, ctx), ctx.now, ctx.currency);
};

/**
 * A look at the tier without a ledger change: after a shop lowers its thresholds, customers
 * who now qualify higher move up (with their e-mail) the next night. Never moves anyone down.
 */
export const recheckTierEffects = (
  c: CustomerRecord,
  program: Program,
  ctx: { currency: string; now: string },
): TierEffects => {
  if (!program.tiers.enabled || c.redactedAt) return { customer: c, changes: [], emails: [] };
  const outcome = evaluateAfterChange(c, program.tiers, {
    currency: ctx.currency,
    now: ctx.now,
    cause: 'earn',
    returnWindowDays: program.returnWindowDays,
    reason: 'tier thresholds changed',
  });
  return effectsOf(c, program, outcome, ctx.now, ctx.currency);
};

/** True when the customer qualifies for a higher tier than they hold (cheap; for the nightly scan). */
export const upgradeDue = (
  c: Pick<CustomerRecord, 'redactedAt' | 'tier' | 'tierStats'>,
  program: Program,
  ctx: { currency: string; now: string },
): boolean =>
  program.tiers.enabled &&
  !c.redactedAt &&
  qualifiedLevel(c, program.tiers, ctx.currency, ctx.now).index > currentLevel(c, program.tiers).index;

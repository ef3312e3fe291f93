import type { TierLevel, TiersConfig } from '../../schemas/program';
import { currencyExponent } from '../money/currencies';
import { formatMinor } from '../money/decimal';
import { totalsBetween, windowTotals, type TierTotals } from './stats';
import { addDays, addMonths, isBefore, later, startOfYear, toMs, utcYear } from '../calendar';
import type { TierChange, TierHolder, TierState, TierStats } from './types';

/**
 * Tier rules. Everything here is a function of the stored tier state, the monthly stats and
 * `now`, so the ledger (after each change) and the daily job (reviews) agree by construction.
 *
 * - Upgrades are immediate and go straight to the highest level qualified for.
 * - Nothing but a review lowers a tier, with one exception: a refund that undoes a recent
 *   upgrade (within the return window) reverts it, so buying Gold and returning the goods
 *   does not buy a year of Gold.
 * - A review at the end of the membership period renews the tier if the customer still
 *   qualifies; otherwise the tier is kept `graceDays` more, with a warning
 *   `downgradeWarningDays` before the downgrade, and then drops to what they qualify for.
 *
 * Calendar-year programs: a level earned in a year is kept through the next, so a customer
 * "qualifies now" for what either this year or last year earned them. Without last year a
 * review on 1 January would see an empty year and downgrade everyone.
 */

export interface TierLevelView {
  index: number;
  level: TierLevel;
}

export interface TierWarning {
  tierId: string;
  /** The level the customer drops to if nothing changes. */
  nextTierId: string;
  downgradeAt: string;
  /** Still needed before `downgradeAt` to keep the tier: minor units for spend, else points or orders. */
  toKeep: number;
}

export type TierOutcome = { tier: TierState | undefined; change?: TierChange; warning?: TierWarning };

/** What the tier rules need to know about qualification at one instant. */
export interface TierQualification {
  tierStats: TierStats | undefined;
  currency: string;
  now: string;
}

const viewOf = (tiers: TiersConfig, index: number): TierLevelView => ({ index, level: tiers.levels[index]! });

const indexOfId = (tiers: TiersConfig, id: string | undefined): number =>
  id === undefined ? -1 : tiers.levels.findIndex((l) => l.id === id);

/** A level's threshold in the qualifying unit: whole currency units become minor units for spend. */
export const requiredFor = (tiers: TiersConfig, index: number, currency: string): number => {
  const threshold = tiers.levels[index]!.threshold;
  return tiers.qualifyOn === 'spend' ? threshold * 10 ** currencyExponent(currency) : threshold;
};

export const metricOf = (totals: TierTotals, qualifyOn: TiersConfig['qualifyOn']): number =>
  qualifyOn === 'spend' ? totals.spendMinor : qualifyOn === 'points' ? totals.points : totals.orders;

const levelFor = (tiers: TiersConfig, currency: string, metric: number): number => {
  let index = 0;
  for (let i = 1; i < tiers.levels.length && metric >= requiredFor(tiers, i, currency); i++) index = i;
  return index;
};

interface Standing {
  /** Highest level qualified for. */
  index: number;
  /** The metric that qualifies for it, and over what ("in 12 months", "in 2026"). */
  metric: number;
  period: string;
  /** When a membership in that level, starting at the instant asked about, is reviewed. */
  keptUntil: string;
}

const yearMetric = (stats: TierStats | undefined, tiers: TiersConfig, year: number) =>
  metricOf(totalsBetween(stats, year * 12, year * 12 + 11), tiers.qualifyOn);

/** Qualification at instant `at`, from the stats as they are now (later months count as empty). */
const standingAt = (stats: TierStats | undefined, tiers: TiersConfig, currency: string, at: string): Standing => {
  if (tiers.window === 'rolling') {
    const metric = metricOf(windowTotals(stats, tiers, at), tiers.qualifyOn);
    return {
      index: levelFor(tiers, currency, metric),
      metric,
      period: `in ${tiers.windowMonths} months`,
      keptUntil: addMonths(at, tiers.membershipMonths),
    };
  }
  const year = utcYear(at);
  const thisYear = yearMetric(stats, tiers, year);
  const lastYear = yearMetric(stats, tiers, year - 1);
  const byThisYear = levelFor(tiers, currency, thisYear);
  const byLastYear = levelFor(tiers, currency, lastYear);
  // Earned this year: kept through next year. Earned only last year: kept through this one.
  return byThisYear >= byLastYear
    ? { index: byThisYear, metric: thisYear, period: `in ${year}`, keptUntil: startOfYear(year + 2) }
    : { index: byLastYear, metric: lastYear, period: `in ${year - 1}`, keptUntil: startOfYear(year + 1) };
};

const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const describeMetric = (tiers: TiersConfig, currency: string, metric: number): string => {
  if (tiers.qualifyOn === 'spend') {
    const [whole, fraction] = formatMinor(metric, currency).split('.');
    return `spend ${grouped(whole!)}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
  }
  const unit = tiers.qualifyOn === 'points' ? 'point' : 'order';
  return `${grouped(String(metric))} ${unit}${metric === 1 ? '' : 's'}`;
};

const describeStanding = (tiers: TiersConfig, currency: string, s: Standing) =>
  `${describeMetric(tiers, currency, s.metric)} ${s.period}`;

const withCause = (text: string, cause: string) => (cause ? `${text} (${cause})` : text);

interface Current {
  index: number;
  /** The stored state, or a copy with the level id repaired when the shop's ladder no longer has it. */
  state: TierState | undefined;
}

/**
 * The customer's current level. A stored id the ladder no longer has (the shop edited its
 * levels) counts as the highest level the customer qualifies for, quietly: nobody earned or
 * lost anything, so there is no change to announce.
 */
const resolveCurrent = (tier: TierState | undefined, tiers: TiersConfig, standing: Standing): Current => {
  if (!tier) return { index: 0, state: undefined };
  const index = indexOfId(tiers, tier.id);
  if (index >= 0) return { index, state: tier };
  return { index: standing.index, state: { ...tier, id: tiers.levels[standing.index]!.id } };
};

/**
 * The customer's current level. Without `stats`, a stored id missing from the ladder counts
 * as the lowest level (the safe choice for an earning multiplier); with them, as the highest
 * level qualified for at `stats.now`.
 */
export const currentLevel = (
  customer: Pick<TierHolder, 'tier'>,
  tiers: TiersConfig,
  stats?: TierQualification,
): TierLevelView => {
  const index = indexOfId(tiers, customer.tier?.id);
  if (index >= 0) return viewOf(tiers, index);
  if (!customer.tier || !stats) return viewOf(tiers, 0);
  return viewOf(tiers, standingAt(stats.tierStats, tiers, stats.currency, stats.now).index);
};

/** The highest level the stats qualify for at `now` (calendar years: this year's or last year's). */
export const qualifiedLevel = (
  customer: Pick<TierHolder, 'tierStats'>,
  tiers: TiersConfig,
  currency: string,
  now: string,
): TierLevelView => viewOf(tiers, standingAt(customer.tierStats, tiers, currency, now).index);

/** Earning multiplier (percent) of the customer's current tier; 100 when tiers are off. */
export const tierMultiplierPercent = (customer: Pick<TierHolder, 'tier'> | undefined, tiers: TiersConfig): number =>
  tiers.enabled ? currentLevel(customer ?? {}, tiers).level.multiplierPercent : 100;

/** When the tier drops if the customer does not requalify: the end of the membership plus grace. */
export const downgradeAt = (state: TierState, tiers: TiersConfig): string => addDays(state.reviewAt, tiers.graceDays);

const moveTo = (
  tiers: TiersConfig,
  current: Current,
  target: number,
  kind: TierChange['kind'],
  state: TierState,
  now: string,
  reason: string,
): TierOutcome => {
  const from = tiers.levels[current.index]!.id;
  const to = tiers.levels[target]!.id;
  return { tier: state, change: { kind, from, to, at: now, reason } };
};

const upgrade = (
  tiers: TiersConfig,
  current: Current,
  standing: Standing,
  currency: string,
  now: string,
  cause: string,
): TierOutcome => {
  const state: TierState = {
    id: tiers.levels[standing.index]!.id,
    since: now,
    reviewAt: standing.keptUntil,
    from: tiers.levels[current.index]!.id,
    // The lowest level has no membership period to restore.
    ...(current.state && current.index > 0 ? { fromReviewAt: current.state.reviewAt } : {}),
  };
  return moveTo(
    tiers,
    current,
    standing.index,
    'up',
    state,
    now,
    withCause(`qualified: ${describeStanding(tiers, currency, standing)}`, cause),
  );
};

/** After a ledger change (order paid/refunded/cancelled, referral reward, adjustment). */
export const evaluateAfterChange = (
  customer: Pick<TierHolder, 'tier' | 'tierStats'>,
  tiers: TiersConfig,
  ctx: { currency: string; now: string; cause: 'earn' | 'refund'; returnWindowDays: number; reason: string },
): TierOutcome => {
  if (!tiers.enabled) return { tier: customer.tier };
  const standing = standingAt(customer.tierStats, tiers, ctx.currency, ctx.now);
  const current = resolveCurrent(customer.tier, tiers, standing);
  if (standing.index > current.index) return upgrade(tiers, current, standing, ctx.currency, ctx.now, ctx.reason);

  const state = current.state;
  if (ctx.cause !== 'refund' || !state || standing.index >= current.index) return { tier: state };
  // Only a tier reached by an upgrade can be undone: `from` names a lower level. After a
  // downgrade or a reversal `from` is higher, so a second refund cannot "revert" upwards.
  const fromIndex = indexOfId(tiers, state.from);
  const byUpgrade = state.from !== undefined && fromIndex < current.index;
  const recent = toMs(ctx.now) - toMs(state.since) < ctx.returnWindowDays * 86_400_000;
  if (!byUpgrade || !recent) return { tier: state };

  // A `from` level the shop has since removed counts as nothing to fall back on.
  const target = Math.max(standing.index, fromIndex);
  const restoresFrom = target > standing.index;
  const reverted: TierState = {
    id: tiers.levels[target]!.id,
    since: ctx.now,
    // Back to the old tier's own period when the customer only keeps it by the reversal;
    // a record without it is reviewed at once (grace and warning still apply).
    reviewAt: restoresFrom ? (state.fromReviewAt ?? ctx.now) : standing.keptUntil,
    from: state.id,
  };
  return moveTo(
    tiers,
    current,
    target,
    'reversed',
    reverted,
    ctx.now,
    withCause('refund undid the upgrade', ctx.reason),
  );
};

/** The daily review: renewals, downgrade warnings, downgrades (and upgrades if the metric allows). */
export const reviewTier = (
  customer: Pick<TierHolder, 'tier' | 'tierStats'>,
  tiers: TiersConfig,
  ctx: { currency: string; now: string },
): TierOutcome => {
  if (!tiers.enabled) return { tier: customer.tier };
  const { currency, now } = ctx;
  const standing = standingAt(customer.tierStats, tiers, currency, now);
  const current = resolveCurrent(customer.tier, tiers, standing);
  if (standing.index > current.index) return upgrade(tiers, current, standing, currency, now, '');
  const state = current.state;
  // The lowest level is where everyone starts: nothing to review.
  if (!state || current.index === 0) return { tier: state };

  const dropAt = downgradeAt(state, tiers);
  if (!isBefore(now, state.reviewAt)) {
    if (standing.index >= current.index) {
      // Whole periods from the old date keep the anniversary (and calendar years on 1 January).
      const period = tiers.window === 'calendar_year' ? 12 : tiers.membershipMonths;
      let k = 1;
      while (!isBefore(now, addMonths(state.reviewAt, k * period))) k++;
      const { warnedFor: _warnedFor, ...kept } = state;
      const renewed: TierState = { ...kept, reviewAt: addMonths(state.reviewAt, k * period) };
      return moveTo(
        tiers,
        current,
        current.index,
        'renewed',
        renewed,
        now,
        `still qualified: ${describeStanding(tiers, currency, standing)}`,
      );
    }
    if (!isBefore(now, dropAt)) {
      const lowered: TierState = {
        id: tiers.levels[standing.index]!.id,
        since: now,
        reviewAt: standing.keptUntil,
        from: state.id,
      };
      return moveTo(
        tiers,
        current,
        standing.index,
        'down',
        lowered,
        now,
        `membership ended: ${describeStanding(tiers, currency, standing)}`,
      );
    }
  }

  const warning = dueWarning(customer.tierStats, tiers, currency, now, current, state, dropAt);
  return warning ? { tier: { ...state, warnedFor: dropAt }, warning } : { tier: state };
};

const warningAt = (state: TierState, tiers: TiersConfig, dropAt: string): string | undefined =>
  tiers.downgradeWarningDays > 0 && state.warnedFor !== dropAt
    ? addDays(dropAt, -tiers.downgradeWarningDays)
    : undefined;

/**
 * A warning is due from `downgradeWarningDays` before the downgrade, once per downgrade date,
 * if the customer would not keep the tier: judged at the review date when that is still
 * ahead (qualifying then renews the tier), else now. `toKeep` is what still has to happen by
 * the downgrade date, where months that will have left the window no longer count.
 */
const dueWarning = (
  stats: TierStats | undefined,
  tiers: TiersConfig,
  currency: string,
  now: string,
  current: Current,
  state: TierState,
  dropAt: string,
): TierWarning | undefined => {
  const from = warningAt(state, tiers, dropAt);
  if (!from || isBefore(now, from) || !isBefore(now, dropAt)) return undefined;
  if (standingAt(stats, tiers, currency, later(now, state.reviewAt)).index >= current.index) return undefined;
  const atDrop = standingAt(stats, tiers, currency, dropAt);
  // Calendar years: only the current year can still change (it counts at the downgrade date
  // either as that year or as the year before it).
  const counting = tiers.window === 'rolling' ? atDrop.metric : yearMetric(stats, tiers, utcYear(now));
  return {
    tierId: state.id,
    nextTierId: tiers.levels[atDrop.index]!.id,
    downgradeAt: dropAt,
    toKeep: Math.max(0, requiredFor(tiers, current.index, currency) - counting),
  };
};

/**
 * The next instant the daily job must review this customer's tier (undefined for the lowest
 * tier or tiers off): the earliest of a pending warning, the review and the downgrade. Once
 * passed it stays due, so the job looks daily through the warning and grace periods; that is
 * what renews a customer who requalifies during grace.
 */
export const tierWakeAt = (customer: Pick<TierHolder, 'tier'>, tiers: TiersConfig): string | undefined => {
  const state = customer.tier;
  if (!tiers.enabled || !state) return undefined;
  const index = indexOfId(tiers, state.id);
  if (index === 0) return undefined;
  // A level the ladder no longer has: due at once, the review repairs it.
  if (index < 0) return state.since;
  const dropAt = downgradeAt(state, tiers);
  const candidates = [state.reviewAt, dropAt, warningAt(state, tiers, dropAt)].filter(
    (x): x is string => x !== undefined,
  );
  return candidates.reduce((a, b) => (isBefore(b, a) ? b : a));
};

import { describe, expect, it } from 'vitest';
import { evaluateAfterChange, reviewTier, tierWakeAt } from '../../../shared/domain/tiers/evaluate';
import type { TierChange, TierState } from '../../../shared/domain/tiers/types';
import type { TierStats } from '../../../shared/domain/tiers/types';
import { tiersSchema } from '../../../shared/schemas/program';
import { ladder, spent, state } from './support';

/** The levels `programSchema.parse({})` ships with. */
const tiersSchemaDefaults = () => tiersSchema.parse({}).levels;

const dkk = (now: string) => ({ currency: 'DKK', now });

// Gold reached 10 June 2025; reviewed 10 June 2026; with 30 days' grace it drops on 10 July,
// and the warning (14 days) is due on 26 June.
const gold = state('gold', '2025-06-10T12:00:00.000Z', '2026-06-10T12:00:00.000Z', { from: 'silver' });
const goldSpend: TierStats = { ...spent('2025-09', 100_000), ...spent('2026-02', 60_000) }; // 1,600 DKK
const silverSpend: TierStats = spent('2026-02', 80_000); // 800 DKK

describe('reviewTier: renewal', () => {
  it('leaves a tier alone before its review date', () => {
    const out = reviewTier({ tier: gold, tierStats: undefined }, ladder(), dkk('2026-06-10T11:59:59.999Z'));
    expect(out).toEqual({ tier: gold });
    expect(out.tier).toBe(gold);
  });

  it('renews at the review date when the customer still qualifies', () => {
    const out = reviewTier(
      { tier: { ...gold, warnedFor: '2026-07-10T12:00:00.000Z' }, tierStats: goldSpend },
      ladder(),
      dkk('2026-06-10T12:00:00Z'),
    );
    expect(out.tier).toEqual({
      id: 'gold',
      since: '2025-06-10T12:00:00.000Z',
      reviewAt: '2027-06-10T12:00:00.000Z',
      from: 'silver',
    });
    expect(out.change).toEqual({
      kind: 'renewed',
      from: 'gold',
      to: 'gold',
      at: '2026-06-10T12:00:00Z',
      reason: 'still qualified: spend 1,600.00 DKK in 12 months',
    });
  });

  it('moves the review date by whole periods until it is after now', () => {
    const stats = spent('2028-06', 150_000);
    const out = reviewTier({ tier: gold, tierStats: stats }, ladder(), dkk('2028-07-01T00:00:00Z'));
    expect(out.tier?.reviewAt).toBe('2029-06-10T12:00:00.000Z');
    const quarterly = reviewTier(
      { tier: gold, tierStats: goldSpend },
      ladder({ membershipMonths: 3 }),
      dkk('2026-09-10T12:00:00Z'),
    );
    expect(quarterly.tier?.reviewAt).toBe('2026-12-10T12:00:00.000Z');
  });

  it('upgrades at a review when the metric allows more', () => {
    const silver = state('silver', '2025-06-10T12:00:00.000Z', '2026-06-10T12:00:00.000Z');
    const out = reviewTier({ tier: silver, tierStats: goldSpend }, ladder(), dkk('2026-03-01T00:00:00Z'));
    expect(out.change).toMatchObject({
      kind: 'up',
      from: 'silver',
      to: 'gold',
      reason: 'qualified: spend 1,600.00 DKK in 12 months',
    });
    expect(out.tier).toEqual({
      id: 'gold',
      since: '2026-03-01T00:00:00Z',
      reviewAt: '2027-03-01T00:00:00.000Z',
      from: 'silver',
      fromReviewAt: '2026-06-10T12:00:00.000Z',
    });
  });

  it('never reviews the lowest level', () => {
    const bronze = state('bronze', '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', { from: 'silver' });
    expect(reviewTier({ tier: bronze, tierStats: undefined }, ladder(), dkk('2026-06-10T12:00:00Z')).tier).toBe(bronze);
    expect(reviewTier({ tierStats: undefined }, ladder(), dkk('2026-06-10T12:00:00Z'))).toEqual({ tier: undefined });
  });

  it('does nothing when tiers are disabled', () => {
    expect(
      reviewTier({ tier: gold, tierStats: undefined }, ladder({ enabled: false }), dkk('2027-01-01T00:00:00Z')),
    ).toEqual({ tier: gold });
    expect(reviewTier({ tierStats: goldSpend }, ladder({ enabled: false }), dkk('2026-03-01T00:00:00Z'))).toEqual({
      tier: undefined,
    });
  });
});

describe('reviewTier: warnings', () => {
  it('warns exactly downgradeWarningDays before the downgrade, once', () => {
    const before = reviewTier({ tier: gold, tierStats: silverSpend }, ladder(), dkk('2026-06-26T11:59:59Z'));
    expect(before.tier).toBe(gold);
    expect(before.warning).toBeUndefined();

    const due = reviewTier({ tier: gold, tierStats: silverSpend }, ladder(), dkk('2026-06-26T12:00:00Z'));
    expect(due.warning).toEqual({
      tierId: 'gold',
      nextTierId: 'silver',
      downgradeAt: '2026-07-10T12:00:00.000Z',
      toKeep: 70_000,
    });
    expect(due.tier).toEqual({ ...gold, warnedFor: '2026-07-10T12:00:00.000Z' });
    expect(due.change).toBeUndefined();

    const again = reviewTier({ tier: due.tier, tierStats: silverSpend }, ladder(), dkk('2026-06-27T12:00:00Z'));
    expect(again.warning).toBeUndefined();
    expect(again.tier).toBe(due.tier);
  });

  it('does not warn a customer who qualifies again', () => {
    const out = reviewTier(
      { tier: gold, tierStats: { ...silverSpend, ...spent('2026-06', 80_000) } },
      ladder(),
      dkk('2026-06-27T12:00:00Z'),
    );
    // Qualifying after the review date renews at once rather than warning.
    expect(out.warning).toBeUndefined();
    expect(out.change?.kind).toBe('renewed');
  });

  it('warns before the review date when grace is shorter than the notice, judging the window at the review date', () => {
    // Grace 0: the downgrade is due at the review date, 5 July 2026; the warning on 21 June.
    const tiers = ladder({ graceDays: 0 });
    const tier = state('gold', '2025-07-05T00:00:00.000Z', '2026-07-05T00:00:00.000Z');
    // 1,600 DKK today, but June 2025 leaves the window before the review: 600 DKK then.
    const stats = { ...spent('2025-06', 100_000), ...spent('2026-03', 60_000) };
    expect(reviewTier({ tier, tierStats: stats }, tiers, dkk('2026-06-20T23:59:59Z')).warning).toBeUndefined();
    const out = reviewTier({ tier, tierStats: stats }, tiers, dkk('2026-06-21T00:00:00Z'));
    expect(out.warning).toEqual({
      tierId: 'gold',
      nextTierId: 'silver',
      downgradeAt: '2026-07-05T00:00:00.000Z',
      toKeep: 90_000,
    });
    // Enough spend by the review date: no warning.
    expect(
      reviewTier({ tier, tierStats: { ...stats, ...spent('2026-06', 90_000) } }, tiers, dkk('2026-06-21T00:00:00Z'))
        .warning,
    ).toBeUndefined();
  });

  it('sends no warning when the notice is zero days', () => {
    const out = reviewTier(
      { tier: gold, tierStats: silverSpend },
      ladder({ downgradeWarningDays: 0 }),
      dkk('2026-07-09T12:00:00Z'),
    );
    expect(out).toEqual({ tier: gold });
  });
});

describe('reviewTier: downgrades', () => {
  it('waits for the grace period to end', () => {
    const out = reviewTier(
      { tier: { ...gold, warnedFor: '2026-07-10T12:00:00.000Z' }, tierStats: silverSpend },
      ladder(),
      dkk('2026-07-10T11:59:59.999Z'),
    );
    expect(out.change).toBeUndefined();
    expect(out.warning).toBeUndefined();
  });

  it('then drops to the level qualified for now', () => {
    const now = '2026-07-10T12:00:00Z';
    const out = reviewTier({ tier: gold, tierStats: silverSpend }, ladder(), dkk(now));
    expect(out.tier).toEqual({ id: 'silver', since: now, reviewAt: '2027-07-10T12:00:00.000Z', from: 'gold' });
    expect(out.change).toEqual({
      kind: 'down',
      from: 'gold',
      to: 'silver',
      at: now,
      reason: 'membership ended: spend 800.00 DKK in 12 months',
    });
    const toBronze = reviewTier({ tier: gold, tierStats: undefined }, ladder(), dkk(now));
    expect(toBronze.tier).toMatchObject({ id: 'bronze', since: now, from: 'gold' });
    expect(toBronze.change).toMatchObject({
      kind: 'down',
      to: 'bronze',
      reason: 'membership ended: spend 0.00 DKK in 12 months',
    });
  });

  it('renews instead when the customer qualifies again during grace', () => {
    const out = reviewTier(
      { tier: gold, tierStats: { ...silverSpend, ...spent('2026-07', 70_000) } },
      ladder(),
      dkk('2026-07-10T12:00:00Z'),
    );
    expect(out.change?.kind).toBe('renewed');
    expect(out.tier?.reviewAt).toBe('2027-06-10T12:00:00.000Z');
  });
});

describe('reviewTier: calendar years', () => {
  const tiers = ladder({ window: 'calendar_year' });
  // Earned in 2026, kept through 2027.
  const calGold = state('gold', '2026-05-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z', { from: 'bronze' });

  it('renews on 1 January on what the year just ended earned', () => {
    const out = reviewTier({ tier: calGold, tierStats: spent('2027-04', 150_000) }, tiers, dkk('2028-01-01T00:00:00Z'));
    expect(out.change).toMatchObject({ kind: 'renewed', reason: 'still qualified: spend 1,500.00 DKK in 2027' });
    expect(out.tier?.reviewAt).toBe('2029-01-01T00:00:00.000Z');
  });

  it('warns in December with what this year still needs, and drops after grace to what last year earned', () => {
    const stats = { ...spent('2026-05', 150_000), ...spent('2027-04', 80_000) };
    const warn = reviewTier(
      { tier: calGold, tierStats: stats },
      ladder({ window: 'calendar_year', graceDays: 0 }),
      dkk('2027-12-18T00:00:00Z'),
    );
    expect(warn.warning).toEqual({
      tierId: 'gold',
      nextTierId: 'silver',
      downgradeAt: '2028-01-01T00:00:00.000Z',
      toKeep: 70_000,
    });

    const down = reviewTier({ tier: calGold, tierStats: stats }, tiers, dkk('2028-01-31T00:00:00Z'));
    // Silver earned in 2027 is kept through 2028.
    expect(down.tier).toEqual({
      id: 'silver',
      since: '2028-01-31T00:00:00Z',
      reviewAt: '2029-01-01T00:00:00.000Z',
      from: 'gold',
    });
    expect(down.change?.reason).toBe('membership ended: spend 800.00 DKK in 2027');
  });
});

describe('tierWakeAt', () => {
  it('is the review date when the warning comes after it', () => {
    expect(tierWakeAt({ tier: gold }, ladder())).toBe('2026-06-10T12:00:00.000Z');
  });

  it('is the warning when it comes before the review date', () => {
    expect(tierWakeAt({ tier: gold }, ladder({ graceDays: 5 }))).toBe('2026-06-01T12:00:00.000Z');
    // Warned already: the review (and downgrade) date.
    expect(tierWakeAt({ tier: { ...gold, warnedFor: '2026-06-15T12:00:00.000Z' } }, ladder({ graceDays: 5 }))).toBe(
      '2026-06-10T12:00:00.000Z',
    );
    // A warning for an older downgrade date does not count.
    expect(tierWakeAt({ tier: { ...gold, warnedFor: '2025-06-15T12:00:00.000Z' } }, ladder({ graceDays: 5 }))).toBe(
      '2026-06-01T12:00:00.000Z',
    );
    expect(tierWakeAt({ tier: gold }, ladder({ graceDays: 5, downgradeWarningDays: 0 }))).toBe(
      '2026-06-10T12:00:00.000Z',
    );
  });

  it('is undefined for the lowest level, no tier, or tiers off', () => {
    expect(
      tierWakeAt({ tier: state('bronze', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z') }, ladder()),
    ).toBeUndefined();
    expect(tierWakeAt({}, ladder())).toBeUndefined();
    expect(tierWakeAt({ tier: gold }, ladder({ enabled: false }))).toBeUndefined();
  });

  it('is due at once for a level the ladder no longer has', () => {
    expect(tierWakeAt({ tier: { ...gold, id: 'platinum' } }, ladder())).toBe(gold.since);
  });
});

describe('reviewTier: one order does not buy two periods', () => {
  // The default ladder: Bronze 0, Silver 500, Gold 1,500 DKK; rolling 12 months, membership 12,
  // grace 30 days, warning 14 days before the downgrade.
  const tiers = ladder({ levels: tiersSchemaDefaults() });
  const dayMs = 86_400_000;

  /** The daily job from `from` to `to` (inclusive), once a day at `from`'s time of day. */
  const runDaily = (tier: TierState | undefined, tierStats: TierStats, from: string, to: string) => {
    const warnings: { at: string; downgradeAt: string; nextTierId: string; toKeep: number }[] = [];
    const changes: TierChange[] = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += dayMs) {
      const now = new Date(t).toISOString();
      const out = reviewTier({ tier, tierStats }, tiers, dkk(now));
      if (out.warning) warnings.push({ at: now, ...out.warning });
      if (out.change) changes.push(out.change);
      tier = out.tier;
    }
    return { tier, warnings, changes };
  };

  it.each([
    ['on the first day of a month', '2025-06-01T09:00:00.000Z', '2025-06'],
    ['mid-month', '2025-06-10T12:00:00.000Z', '2025-06'],
    ['on the last day of a month', '2025-06-30T23:00:00.000Z', '2025-06'],
  ])(
    'a customer who reached Silver with one order placed %s and never ordered again is warned, then downgraded',
    (_when, at, month) => {
      const tierStats = spent(month, 60_000); // one order of 600 DKK
      const reached = evaluateAfterChange({ tierStats }, tiers, {
        currency: 'DKK',
        now: at,
        cause: 'earn',
        returnWindowDays: 14,
        reason: 'order 1001',
      });
      expect(reached.change).toMatchObject({ kind: 'up', from: 'bronze', to: 'silver' });
      const reviewAt = at.replace('2025-', '2026-'); // twelve months later, same day and time
      expect(reached.tier).toEqual({ id: 'silver', since: at, reviewAt, from: 'bronze' });

      const dropAt = new Date(Date.parse(reviewAt) + 30 * dayMs).toISOString();
      const warnAt = new Date(Date.parse(dropAt) - 14 * dayMs).toISOString();

      // At the review the order has left the window: not renewed, and nothing happens yet.
      const atReview = reviewTier({ tier: reached.tier, tierStats }, tiers, dkk(reviewAt));
      expect(atReview.change).toBeUndefined();
      expect(atReview.warning).toBeUndefined();
      expect(atReview.tier).toBe(reached.tier);

      // Every day from the order to past the downgrade: exactly one warning, then exactly one change.
      const run = runDaily(reached.tier, tierStats, at, new Date(Date.parse(dropAt) + 10 * dayMs).toISOString());
      expect(run.warnings).toEqual([
        { at: warnAt, tierId: 'silver', nextTierId: 'bronze', downgradeAt: dropAt, toKeep: 50_000 },
      ]);
      expect(run.changes).toEqual([
        {
          kind: 'down',
          from: 'silver',
          to: 'bronze',
          at: dropAt,
          reason: 'membership ended: spend 0.00 DKK in 12 months',
        },
      ]);
      expect(run.tier).toMatchObject({ id: 'bronze', since: dropAt, from: 'silver' });
      // Bronze is never reviewed again.
      expect(tierWakeAt({ tier: run.tier }, tiers)).toBeUndefined();
    },
  );

  it('the warning is due 14 days before reviewAt + 30 days, not a moment earlier', () => {
    const tierStats = spent('2025-06', 60_000);
    const silver = state('silver', '2025-06-10T12:00:00.000Z', '2026-06-10T12:00:00.000Z', { from: 'bronze' });
    expect(tierWakeAt({ tier: silver }, tiers)).toBe('2026-06-10T12:00:00.000Z');
    expect(reviewTier({ tier: silver, tierStats }, tiers, dkk('2026-06-26T11:59:59.999Z'))).toEqual({ tier: silver });
    const warned = reviewTier({ tier: silver, tierStats }, tiers, dkk('2026-06-26T12:00:00.000Z'));
    expect(warned.warning).toEqual({
      tierId: 'silver',
      nextTierId: 'bronze',
      downgradeAt: '2026-07-10T12:00:00.000Z',
      toKeep: 50_000,
    });
    expect(warned.tier).toEqual({ ...silver, warnedFor: '2026-07-10T12:00:00.000Z' });
    expect(tierWakeAt({ tier: warned.tier }, tiers)).toBe('2026-06-10T12:00:00.000Z');
    expect(reviewTier({ tier: warned.tier, tierStats }, tiers, dkk('2026-07-10T11:59:59.999Z'))).toEqual({
      tier: warned.tier,
    });
    const down = reviewTier({ tier: warned.tier, tierStats }, tiers, dkk('2026-07-10T12:00:00.000Z'));
    expect(down.change).toMatchObject({ kind: 'down', from: 'silver', to: 'bronze' });
    expect(down.tier).toEqual({
      id: 'bronze',
      since: '2026-07-10T12:00:00.000Z',
      reviewAt: '2027-07-10T12:00:00.000Z',
      from: 'silver',
    });
  });

  it('a second order in the window before the review renews it', () => {
    const tierStats = { ...spent('2025-06', 60_000), ...spent('2026-05', 50_000) };
    const silver = state('silver', '2025-06-10T12:00:00.000Z', '2026-06-10T12:00:00.000Z', { from: 'bronze' });
    const out = reviewTier({ tier: silver, tierStats }, tiers, dkk('2026-06-10T12:00:00.000Z'));
    expect(out.change).toMatchObject({ kind: 'renewed', reason: 'still qualified: spend 500.00 DKK in 12 months' });
    expect(out.tier?.reviewAt).toBe('2027-06-10T12:00:00.000Z');
  });
});

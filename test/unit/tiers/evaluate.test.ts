import { describe, expect, it } from 'vitest';
import {
  currentLevel,
  evaluateAfterChange,
  qualifiedLevel,
  tierMultiplierPercent,
} from '../../../shared/domain/tiers/evaluate';
import type { TierState } from '../../../shared/domain/tiers/types';
import { ladder, spent, state } from './support';

const now = '2026-11-15T10:00:00.000Z';
const earn = { currency: 'DKK', now, cause: 'earn' as const, returnWindowDays: 14, reason: 'order 1001 paid' };
const refund = { ...earn, cause: 'refund' as const, reason: 'order 1001 refunded' };

describe('qualifiedLevel', () => {
  it('compares DKK spend in minor units against whole-unit thresholds', () => {
    const tiers = ladder();
    expect(qualifiedLevel({ tierStats: spent('2026-11', 49_999) }, tiers, 'DKK', now).level.id).toBe('bronze');
    expect(qualifiedLevel({ tierStats: spent('2026-11', 50_000) }, tiers, 'DKK', now).level.id).toBe('silver');
    expect(qualifiedLevel({ tierStats: spent('2026-11', 149_999) }, tiers, 'DKK', now).index).toBe(1);
    expect(qualifiedLevel({ tierStats: spent('2026-11', 150_000) }, tiers, 'DKK', now)).toMatchObject({
      index: 2,
      level: { id: 'gold' },
    });
  });

  it('uses the currency exponent: JPY has no minor unit', () => {
    const tiers = ladder();
    expect(qualifiedLevel({ tierStats: spent('2026-11', 499) }, tiers, 'JPY', now).level.id).toBe('bronze');
    expect(qualifiedLevel({ tierStats: spent('2026-11', 500) }, tiers, 'JPY', now).level.id).toBe('silver');
    expect(qualifiedLevel({ tierStats: spent('2026-11', 1500) }, tiers, 'JPY', now).level.id).toBe('gold');
    // The same minor amount in KWD (3 decimals) is a thousandth of that.
    expect(qualifiedLevel({ tierStats: spent('2026-11', 1_500_000) }, tiers, 'KWD', now).level.id).toBe('gold');
    expect(qualifiedLevel({ tierStats: spent('2026-11', 1_499_999) }, tiers, 'KWD', now).level.id).toBe('silver');
  });

  it('qualifies on points or orders when configured', () => {
    expect(
      qualifiedLevel({ tierStats: { '2026-10': [0, 1600, 3] } }, ladder({ qualifyOn: 'points' }), 'DKK', now).level.id,
    ).toBe('gold');
    const orders = ladder({ qualifyOn: 'orders' });
    expect(qualifiedLevel({ tierStats: { '2026-10': [0, 1600, 3] } }, orders, 'DKK', now).level.id).toBe('bronze');
    expect(qualifiedLevel({ tierStats: { '2026-10': [0, 0, 500] } }, orders, 'DKK', now).level.id).toBe('silver');
  });

  it('calendar years: what last year earned still counts this year', () => {
    const tiers = ladder({ window: 'calendar_year' });
    expect(qualifiedLevel({ tierStats: spent('2025-06', 160_000) }, tiers, 'DKK', now).level.id).toBe('gold');
    expect(qualifiedLevel({ tierStats: spent('2024-12', 160_000) }, tiers, 'DKK', now).level.id).toBe('bronze');
  });
});

describe('currentLevel and tierMultiplierPercent', () => {
  const gold = state('gold', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');

  it('reads the stored tier; no tier is the lowest level', () => {
    expect(currentLevel({ tier: gold }, ladder()).level.id).toBe('gold');
    expect(currentLevel({}, ladder())).toMatchObject({ index: 0, level: { id: 'bronze' } });
  });

  it('treats a level the ladder no longer has as the highest level qualified for, given the stats', () => {
    const gone = { tier: { ...gold, id: 'platinum' } };
    expect(currentLevel(gone, ladder()).level.id).toBe('bronze');
    expect(currentLevel(gone, ladder(), { tierStats: spent('2026-10', 60_000), currency: 'DKK', now }).level.id).toBe(
      'silver',
    );
  });

  it('is the tier multiplier, or 100 when tiers are off', () => {
    expect(tierMultiplierPercent({ tier: gold }, ladder())).toBe(200);
    expect(
      tierMultiplierPercent(
        {},
        ladder({ levels: [{ id: 'base', name: 'Base', threshold: 0, multiplierPercent: 110, perks: '' }] }),
      ),
    ).toBe(110);
    expect(tierMultiplierPercent(undefined, ladder())).toBe(100);
    expect(tierMultiplierPercent({ tier: gold }, ladder({ enabled: false }))).toBe(100);
  });
});

describe('evaluateAfterChange: upgrades', () => {
  it('goes straight to the highest level qualified for', () => {
    const out = evaluateAfterChange({ tierStats: spent('2026-11', 152_000) }, ladder(), earn);
    expect(out.tier).toEqual({ id: 'gold', since: now, reviewAt: '2027-11-15T10:00:00.000Z', from: 'bronze' });
    expect(out.change).toEqual({
      kind: 'up',
      from: 'bronze',
      to: 'gold',
      at: now,
      reason: 'qualified: spend 1,520.00 DKK in 12 months (order 1001 paid)',
    });
    expect(out.warning).toBeUndefined();
  });

  it('remembers the review date of the tier it upgrades from', () => {
    const silver = state('silver', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    const out = evaluateAfterChange({ tier: silver, tierStats: spent('2026-11', 150_000) }, ladder(), earn);
    expect(out.tier).toEqual({
      id: 'gold',
      since: now,
      reviewAt: '2027-11-15T10:00:00.000Z',
      from: 'silver',
      fromReviewAt: '2027-03-01T00:00:00.000Z',
    });
    expect(out.change?.kind).toBe('up');
  });

  it('ends a rolling membership on the same day of the month, clamped to the month end', () => {
    const out = evaluateAfterChange({ tierStats: spent('2026-01', 60_000) }, ladder({ membershipMonths: 1 }), {
      ...earn,
      now: '2026-01-31T09:00:00Z',
    });
    expect(out.tier?.reviewAt).toBe('2026-02-28T09:00:00.000Z');
  });

  it('keeps a calendar-year tier through the next year', () => {
    const out = evaluateAfterChange({ tierStats: spent('2026-11', 60_000) }, ladder({ window: 'calendar_year' }), earn);
    expect(out.tier).toMatchObject({ id: 'silver', reviewAt: '2028-01-01T00:00:00.000Z' });
    expect(out.change?.reason).toBe('qualified: spend 600.00 DKK in 2026 (order 1001 paid)');
  });

  it('describes points, orders and JPY in their own units', () => {
    expect(
      evaluateAfterChange({ tierStats: { '2026-11': [0, 1520, 1] } }, ladder({ qualifyOn: 'points' }), earn).change
        ?.reason,
    ).toBe('qualified: 1,520 points in 12 months (order 1001 paid)');
    expect(
      evaluateAfterChange({ tierStats: { '2026-11': [0, 0, 500] } }, ladder({ qualifyOn: 'orders' }), {
        ...earn,
        reason: '',
      }).change?.reason,
    ).toBe('qualified: 500 orders in 12 months');
    expect(
      evaluateAfterChange({ tierStats: spent('2026-11', 1_520_000) }, ladder(), { ...earn, currency: 'JPY' }).change
        ?.reason,
    ).toBe('qualified: spend 1,520,000 JPY in 12 months (order 1001 paid)');
  });

  it('returns the same state object when nothing changes', () => {
    const silver = state('silver', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    const out = evaluateAfterChange({ tier: silver, tierStats: spent('2026-11', 140_000) }, ladder(), earn);
    expect(out.tier).toBe(silver);
    expect(out.change).toBeUndefined();
    expect(evaluateAfterChange({ tierStats: spent('2026-11', 40_000) }, ladder(), earn)).toEqual({ tier: undefined });
  });

  it('does nothing when tiers are disabled', () => {
    const silver = state('silver', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    const out = evaluateAfterChange(
      { tier: silver, tierStats: spent('2026-11', 900_000) },
      ladder({ enabled: false }),
      earn,
    );
    expect(out).toEqual({ tier: silver });
    expect(out.tier).toBe(silver);
  });

  it('repairs a level id the ladder no longer has, quietly', () => {
    const gone = state('platinum', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z', { from: 'gold' });
    const out = evaluateAfterChange({ tier: gone, tierStats: spent('2026-11', 60_000) }, ladder(), earn);
    expect(out.tier).toEqual({ ...gone, id: 'silver' });
    expect(out.change).toBeUndefined();
  });
});

describe('evaluateAfterChange: refunds', () => {
  const longAgo = state('gold', '2026-01-10T00:00:00.000Z', '2027-01-10T00:00:00.000Z', { from: 'silver' });

  it('does not downgrade on a ledger change, whatever the metric', () => {
    for (const ctx of [earn, refund]) {
      const out = evaluateAfterChange({ tier: longAgo, tierStats: undefined }, ladder(), ctx);
      expect(out.tier).toBe(longAgo);
      expect(out.change).toBeUndefined();
    }
  });

  const upgradedAt = '2026-11-05T10:00:00.000Z';
  const fresh = state('gold', upgradedAt, '2027-11-05T10:00:00.000Z', {
    from: 'silver',
    fromReviewAt: '2027-03-01T00:00:00.000Z',
  });

  it('reverts an upgrade a refund undoes within the return window, to the old tier and its period', () => {
    const out = evaluateAfterChange({ tier: fresh, tierStats: spent('2026-11', 20_000) }, ladder(), refund);
    expect(out.tier).toEqual({ id: 'silver', since: now, reviewAt: '2027-03-01T00:00:00.000Z', from: 'gold' });
    expect(out.change).toEqual({
      kind: 'reversed',
      from: 'gold',
      to: 'silver',
      at: now,
      reason: 'refund undid the upgrade (order 1001 refunded)',
    });
  });

  it('reverts to the level still qualified for when that is above the old tier', () => {
    const fromBronze = state('gold', upgradedAt, '2027-11-05T10:00:00.000Z', { from: 'bronze' });
    const out = evaluateAfterChange({ tier: fromBronze, tierStats: spent('2026-11', 70_000) }, ladder(), refund);
    expect(out.tier).toEqual({ id: 'silver', since: now, reviewAt: '2027-11-15T10:00:00.000Z', from: 'gold' });
    expect(out.change?.kind).toBe('reversed');
  });

  it('does not revert once the return window has passed, nor while the tier is still qualified for', () => {
    const tiers = ladder();
    const at14Days = { ...refund, now: '2026-11-19T10:00:00.000Z' };
    expect(evaluateAfterChange({ tier: fresh, tierStats: spent('2026-11', 20_000) }, tiers, at14Days).tier).toBe(fresh);
    const justInside = { ...refund, now: '2026-11-19T09:59:59.999Z' };
    expect(
      evaluateAfterChange({ tier: fresh, tierStats: spent('2026-11', 20_000) }, tiers, justInside).change?.kind,
    ).toBe('reversed');
    expect(evaluateAfterChange({ tier: fresh, tierStats: spent('2026-11', 150_000) }, tiers, refund).tier).toBe(fresh);
  });

  it('reverts only on refunds', () => {
    expect(evaluateAfterChange({ tier: fresh, tierStats: undefined }, ladder(), earn).tier).toBe(fresh);
  });

  it('never "reverts" upwards after a downgrade or a reversal', () => {
    const reversed = state('silver', upgradedAt, '2027-03-01T00:00:00.000Z', { from: 'gold' });
    expect(evaluateAfterChange({ tier: reversed, tierStats: undefined }, ladder(), refund).tier).toBe(reversed);
    const noFrom = state('silver', upgradedAt, '2027-03-01T00:00:00.000Z');
    expect(evaluateAfterChange({ tier: noFrom, tierStats: undefined }, ladder(), refund).tier).toBe(noFrom);
  });

  it('falls back to the level qualified for when the old tier was removed from the ladder', () => {
    const fromRemoved: TierState = { ...fresh, from: 'platinum-lite' };
    const out = evaluateAfterChange({ tier: fromRemoved, tierStats: spent('2026-11', 60_000) }, ladder(), refund);
    expect(out.tier).toMatchObject({ id: 'silver', reviewAt: '2027-11-15T10:00:00.000Z' });
  });
});

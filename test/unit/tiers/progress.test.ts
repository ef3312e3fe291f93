import { describe, expect, it } from 'vitest';
import { tierView } from '../../../shared/domain/tiers/progress';
import { ladder, spent, state } from './support';

const now = '2026-11-15T10:00:00.000Z';
const createdAt = '2025-02-01T08:00:00.000Z';

describe('tierView', () => {
  it('shows a customer without a tier in the lowest level since they joined, with what the next one needs', () => {
    expect(tierView({ createdAt, tierStats: spent('2026-10', 20_000) }, ladder(), 'DKK', now)).toEqual({
      id: 'bronze',
      name: 'Bronze',
      since: createdAt,
      reviewAt: null,
      multiplierPercent: 100,
      perks: '',
      qualifyOn: 'spend',
      progress: { current: 20_000, toNext: 30_000, nextTier: 'Silver' },
    });
  });

  it('counts towards the next level in whole units for JPY and in points or orders when configured', () => {
    expect(tierView({ createdAt, tierStats: spent('2026-10', 200) }, ladder(), 'JPY', now)?.progress).toEqual({
      current: 200,
      toNext: 300,
      nextTier: 'Silver',
    });
    expect(
      tierView({ createdAt, tierStats: { '2026-10': [0, 120, 1] } }, ladder({ qualifyOn: 'points' }), 'DKK', now)
        ?.progress,
    ).toEqual({ current: 120, toNext: 380, nextTier: 'Silver' });
  });

  it('shows a reviewed tier with its review date and perks', () => {
    const silver = state('silver', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    expect(
      tierView({ createdAt, tier: silver, tierStats: spent('2026-10', 60_000) }, ladder(), 'DKK', now),
    ).toMatchObject({
      id: 'silver',
      name: 'Silver',
      since: '2026-03-01T00:00:00.000Z',
      reviewAt: '2027-03-01T00:00:00.000Z',
      multiplierPercent: 125,
      perks: 'Free shipping',
      progress: { current: 60_000, toNext: 90_000, nextTier: 'Gold' },
    });
  });

  it('has nothing further at the top', () => {
    const gold = state('gold', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    expect(tierView({ createdAt, tier: gold, tierStats: undefined }, ladder(), 'DKK', now)?.progress).toEqual({
      current: 0,
      toNext: null,
      nextTier: null,
    });
  });

  it('never shows a negative distance when an upgrade is still to be evaluated', () => {
    const silver = state('silver', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    expect(
      tierView({ createdAt, tier: silver, tierStats: spent('2026-10', 200_000) }, ladder(), 'DKK', now)?.progress
        .toNext,
    ).toBe(0);
  });

  it('shows a level the ladder no longer has as the one qualified for', () => {
    const gone = state('platinum', '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z');
    expect(
      tierView({ createdAt, tier: gone, tierStats: spent('2026-10', 60_000) }, ladder(), 'DKK', now),
    ).toMatchObject({ id: 'silver', since: gone.since });
  });

  it('is null when tiers are disabled', () => {
    expect(tierView({ createdAt, tierStats: undefined }, ladder({ enabled: false }), 'DKK', now)).toBeNull();
  });
});

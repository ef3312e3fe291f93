import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateAfterChange,
  metricOf,
  qualifiedLevel,
  requiredFor,
  reviewTier,
} from '../../../shared/domain/tiers/evaluate';
import { windowTotals } from '../../../shared/domain/tiers/stats';
import type { TierState, TierStats } from '../../../shared/domain/tiers/types';
import type { TiersConfig } from '../../../shared/schemas/program';
import { ladder } from './support';

const from = Date.UTC(2024, 0, 1);
const to = Date.UTC(2028, 11, 31);
const instant = fc.integer({ min: from, max: to }).map((ms) => new Date(ms).toISOString());
const month = fc
  .integer({ min: 2024 * 12, max: 2028 * 12 + 11 })
  .map((i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
const stats: fc.Arbitrary<TierStats> = fc.dictionary(
  month,
  fc.tuple(
    fc.integer({ min: -100_000, max: 300_000 }),
    fc.integer({ min: -1000, max: 3000 }),
    fc.integer({ min: -1, max: 3 }),
  ),
  { maxKeys: 12 },
);
const config: fc.Arbitrary<TiersConfig> = fc
  .record({
    qualifyOn: fc.constantFrom('spend' as const, 'points' as const, 'orders' as const),
    window: fc.constantFrom('rolling' as const, 'calendar_year' as const),
    windowMonths: fc.integer({ min: 1, max: 36 }),
    membershipMonths: fc.integer({ min: 1, max: 36 }),
    graceDays: fc.integer({ min: 0, max: 60 }),
    downgradeWarningDays: fc.integer({ min: 0, max: 30 }),
  })
  .map((c) => ladder(c));
const tierState = (tiers: TiersConfig): fc.Arbitrary<TierState | undefined> =>
  fc.option(
    fc
      .record({
        id: fc.constantFrom(...tiers.levels.map((l) => l.id), 'gone'),
        since: instant,
        reviewAt: instant,
        from: fc.option(fc.constantFrom(...tiers.levels.map((l) => l.id)), { nil: undefined }),
        warnedFor: fc.option(instant, { nil: undefined }),
      })
      .map(({ from: f, warnedFor, ...rest }) => ({
        ...rest,
        ...(f ? { from: f } : {}),
        ...(warnedFor ? { warnedFor } : {}),
      })),
    { nil: undefined },
  );
const currency = fc.constantFrom('DKK', 'JPY', 'KWD');

const scenario = config.chain((tiers) =>
  fc.record({ tiers: fc.constant(tiers), tier: tierState(tiers), tierStats: stats, now: instant, currency }),
);

const levelIndex = (tiers: TiersConfig, id: string | undefined) => tiers.levels.findIndex((l) => l.id === id);

describe('tier properties', () => {
  it("an upgrade never happens without the metric reaching the new level's threshold", () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom('earn' as const, 'refund' as const),
        ({ tiers, tier, tierStats, now, currency: cur }, cause) => {
          const ctx = { currency: cur, now, cause, returnWindowDays: 14, reason: '' };
          for (const out of [
            evaluateAfterChange({ tier, tierStats }, tiers, ctx),
            reviewTier({ tier, tierStats }, tiers, { currency: cur, now }),
          ]) {
            if (out.change?.kind !== 'up') continue;
            const to = levelIndex(tiers, out.change.to);
            expect(to).toBeGreaterThan(0);
            expect(out.tier?.id).toBe(out.change.to);
            // The threshold is met on this window, or (calendar years) on last year's.
            const lastYear = new Date(Date.UTC(new Date(now).getUTCFullYear() - 1, 5, 15)).toISOString();
            const met = [now, ...(tiers.window === 'calendar_year' ? [lastYear] : [])].some(
              (at) => metricOf(windowTotals(tierStats, tiers, at), tiers.qualifyOn) >= requiredFor(tiers, to, cur),
            );
            expect(met).toBe(true);
          }
        },
      ),
    );
  });

  it('review never moves a customer below the level they qualify for, and lowers only at or after the downgrade date', () => {
    fc.assert(
      fc.property(scenario, ({ tiers, tier, tierStats, now, currency: cur }) => {
        const qualified = qualifiedLevel({ tierStats }, tiers, cur, now).index;
        const out = reviewTier({ tier, tierStats }, tiers, { currency: cur, now });
        expect(levelIndex(tiers, out.tier?.id ?? tiers.levels[0]!.id)).toBeGreaterThanOrEqual(qualified);
        if (out.change?.kind === 'down') {
          expect(levelIndex(tiers, out.change.to)).toBe(qualified);
          expect(Date.parse(now)).toBeGreaterThanOrEqual(Date.parse(tier!.reviewAt) + tiers.graceDays * 86_400_000);
        }
        if (!out.change && !out.warning && tier && levelIndex(tiers, tier.id) >= 0) expect(out.tier).toBe(tier);
      }),
    );
  });

  it('a ledger change never lowers a tier except to undo a recent upgrade, and never below the level qualified for', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom('earn' as const, 'refund' as const),
        fc.integer({ min: 0, max: 60 }),
        ({ tiers, tier, tierStats, now, currency: cur }, cause, returnWindowDays) => {
          const out = evaluateAfterChange({ tier, tierStats }, tiers, {
            currency: cur,
            now,
            cause,
            returnWindowDays,
            reason: 'x',
          });
          const before = levelIndex(tiers, tier?.id ?? tiers.levels[0]!.id);
          const after = levelIndex(tiers, out.tier?.id ?? tiers.levels[0]!.id);
          if (out.change === undefined) {
            if (before >= 0) expect(out.tier).toBe(tier);
            return;
          }
          if (after < before) {
            expect(out.change.kind).toBe('reversed');
            expect(cause).toBe('refund');
            expect(Date.parse(now) - Date.parse(tier!.since)).toBeLessThan(returnWindowDays * 86_400_000);
            expect(after).toBeGreaterThanOrEqual(qualifiedLevel({ tierStats }, tiers, cur, now).index);
          } else {
            expect(out.change.kind).toBe('up');
          }
        },
      ),
    );
  });
});

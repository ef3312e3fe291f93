/**
 * Segments of hand-made small shops, built the way the nightly job builds them: purchase
 * histories → summarizePurchases → rfmScores over the shop → segmentOf. Risk bands are given
 * explicitly (the churn-risk score is defined in risk.ts; segments only read its band), and
 * P(alive) is 1 for one-time buyers (as BG/NBD gives them) unless a history says otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfmScores } from '../../../shared/domain/churn/rfm';
import { riskBands, type RiskBand } from '../../../shared/domain/churn/risk';
import { segmentOf, segmentSeverity, type SegmentName } from '../../../shared/domain/churn/segments';
import { dayNumber, summarizePurchases } from '../../../shared/domain/churn/summary';

const AS_OF = dayNumber('2026-06-30');

interface History {
  /** Purchases as [days before the as-of day, value in minor units]. */
  purchases: readonly (readonly [daysAgo: number, amountMinor: number])[];
  band: RiskBand;
  pAlive?: number;
}

/** A P(alive) that goes with the band, for repeat buyers whose history gives none. */
const pAliveFor: Record<RiskBand, number> = { low: 0.95, medium: 0.6, high: 0.35 };

interface Scored {
  segment: SegmentName;
  rfm: string;
}

const segmentsOf = <K extends string>(shop: Record<K, History>): Record<K, Scored> => {
  const names = Object.keys(shop) as K[];
  const summaries = names.map((name) => {
    const purchases = shop[name].purchases.map(([ago, amountMinor]) => ({ day: AS_OF - ago, amountMinor }));
    return summarizePurchases(purchases, AS_OF)!;
  });
  // The same inputs as the nightly fit step (shared/app/nightly/fit.ts).
  const rfm = rfmScores(
    summaries.map((s) => ({
      timeSinceLastPurchase: s.daysSinceLastPurchase,
      frequency: s.purchaseDays,
      monetary: s.averageValueMinor,
    })),
  );
  const scored = names.map((name, i): [K, Scored] => {
    const s = summaries[i]!;
    const { band, pAlive } = shop[name];
    const [r, f, m] = [rfm.recency[i]!, rfm.frequency[i]!, rfm.monetary[i]!];
    const segment = segmentOf({
      rfm: { r, f, m },
      frequency: s.frequency,
      ageDays: s.age,
      pAlive: pAlive ?? (s.frequency === 0 ? 1 : pAliveFor[band]),
      riskBand: band,
    });
    return [name, { segment, rfm: `${r}${f}${m}` }];
  });
  return Object.fromEntries(scored) as Record<K, Scored>;
};

const segmentOfOnly = (history: History): Scored => segmentsOf({ only: history }).only;

describe('a shop with one customer', () => {
  it('the only customer, three orders in the last three days, band low, is Loyal (not Lost)', () => {
    const result = segmentOfOnly({
      purchases: [
        [2, 4_500],
        [1, 2_000],
        [0, 3_000],
      ],
      band: 'low',
    });
    expect(result).toEqual({ segment: 'loyal', rfm: '333' });
    const recentTriple = (band: RiskBand): History => ({
      purchases: [
        [2, 4_500],
        [1, 2_000],
        [0, 3_000],
      ],
      band,
    });
    expect(segmentOfOnly(recentTriple('medium')).segment).toBe('loyal');
    expect(segmentOfOnly(recentTriple('high')).segment).toBe('at_risk'); // the band alone says slipping
  });

  it('with nothing to compare against, the band and the history decide', () => {
    const twice = (band: RiskBand, pAlive?: number): History => ({
      purchases: [
        [200, 3_000],
        [120, 3_000],
      ],
      band,
      ...(pAlive !== undefined ? { pAlive } : {}),
    });
    // 3-3-3 here: one return is a Potential loyalist while the band is low or medium, slipping when it is high.
    expect(segmentOfOnly(twice('low')).segment).toBe('potential_loyalist');
    expect(segmentOfOnly(twice('medium')).segment).toBe('potential_loyalist');
    expect(segmentOfOnly(twice('high')).segment).toBe('at_risk');
    expect(segmentOfOnly(twice('high', 0.1)).segment).toBe('lost');
  });

  it('a single purchase: New within 30 days; over a year ago Lost (band high) or Hibernating (medium)', () => {
    expect(segmentOfOnly({ purchases: [[10, 2_000]], band: 'low' }).segment).toBe('new');
    expect(segmentOfOnly({ purchases: [[10, 2_000]], band: 'high' }).segment).toBe('new');
    expect(segmentOfOnly({ purchases: [[90, 2_000]], band: 'low' }).segment).toBe('potential_loyalist');
    expect(segmentOfOnly({ purchases: [[90, 2_000]], band: 'high' }).segment).toBe('at_risk');
    expect(segmentOfOnly({ purchases: [[400, 2_000]], band: 'high' }).segment).toBe('lost');
    expect(segmentOfOnly({ purchases: [[400, 2_000]], band: 'medium' }).segment).toBe('hibernating');
  });
});

describe('a shop with five customers', () => {
  const shop = {
    // Bought once, 400 days ago; the model gives them little chance.
    onceLongAgo: { purchases: [[400, 5_000]], band: 'high' },
    // Four purchases over five months, the last five days ago, the biggest baskets.
    recentRegular: {
      purchases: [
        [150, 8_000],
        [90, 8_000],
        [40, 8_000],
        [5, 8_000],
      ],
      band: 'low',
    },
    // First purchase 20 days ago.
    newcomer: { purchases: [[20, 3_000]], band: 'low' },
    // Two purchases, the last 60 days ago.
    secondTimer: {
      purchases: [
        [200, 4_000],
        [60, 4_000],
      ],
      band: 'low',
    },
    // Bought three times in a steady rhythm, silent for five months now.
    lapsingRegular: {
      purchases: [
        [330, 6_000],
        [250, 6_000],
        [150, 6_000],
      ],
      band: 'medium',
    },
  } satisfies Record<string, History>;

  it('gives each the segment a person would', () => {
    expect(segmentsOf(shop)).toEqual({
      onceLongAgo: { segment: 'lost', rfm: '123' }, // one-timers tie on frequency: f 2, not 1
      recentRegular: { segment: 'champions', rfm: '555' },
      newcomer: { segment: 'new', rfm: '421' },
      secondTimer: { segment: 'potential_loyalist', rfm: '332' }, // came back once: not yet a rhythm
      lapsingRegular: { segment: 'cant_lose_them', rfm: '244' },
    });
  });

  it('the one-timer from 400 days ago is Hibernating with band medium, and never Lost with band low', () => {
    expect(segmentsOf({ ...shop, onceLongAgo: { ...shop.onceLongAgo, band: 'medium' } }).onceLongAgo.segment).toBe(
      'hibernating',
    );
    expect(segmentsOf({ ...shop, onceLongAgo: { ...shop.onceLongAgo, band: 'low' } }).onceLongAgo.segment).toBe(
      'potential_loyalist',
    );
  });

  it('the recent repeat buyer is never Lost or Hibernating while the band is low, nor healthy when it is high', () => {
    const variants = [
      { ...shop.recentRegular, purchases: shop.recentRegular.purchases.map(([ago]) => [ago, 1_000] as const) },
      { ...shop.recentRegular, purchases: shop.recentRegular.purchases.slice(1) },
      shop.recentRegular,
    ];
    for (const recentRegular of variants) {
      expect(['champions', 'loyal']).toContain(segmentsOf({ ...shop, recentRegular }).recentRegular.segment);
      const doubted = segmentsOf({ ...shop, recentRegular: { ...recentRegular, band: 'high' } }).recentRegular;
      expect(['at_risk', 'cant_lose_them']).toContain(doubted.segment);
    }
  });
});

/** `count` purchases `every` days apart, the last `lastAgo` days ago, each worth `amountMinor`. */
const rhythm = (count: number, every: number, lastAgo: number, amountMinor: number): History['purchases'] =>
  Array.from({ length: count }, (_, k) => [lastAgo + k * every, amountMinor] as const);

describe('a shop with thirty customers', () => {
  const shop: Record<string, History> = {
    // Monthly buyers of big baskets, the last within a week.
    champion1: { purchases: rhythm(10, 30, 3, 12_000), band: 'low' },
    champion2: { purchases: rhythm(9, 32, 6, 10_000), band: 'low' },
    champion3: { purchases: rhythm(8, 28, 8, 9_500), band: 'low' },
    // Every two months or so, middling baskets, on rhythm.
    regular1: { purchases: rhythm(5, 60, 15, 5_000), band: 'low' },
    regular2: { purchases: rhythm(4, 55, 20, 4_500), band: 'low' },
    regular3: { purchases: rhythm(5, 65, 25, 6_000), band: 'low' },
    regular4: { purchases: rhythm(4, 70, 30, 4_000), band: 'low' },
    regular5: { purchases: rhythm(5, 50, 35, 5_500), band: 'low' },
    regular6: { purchases: rhythm(4, 60, 40, 4_200), band: 'low' },
    // Were regulars (every six weeks), silent for five to seven months.
    slipping1: { purchases: rhythm(5, 45, 150, 9_000), band: 'medium' },
    slipping2: { purchases: rhythm(5, 45, 170, 5_000), band: 'medium' },
    slipping3: { purchases: rhythm(5, 45, 190, 7_000), band: 'high' },
    slipping4: { purchases: rhythm(5, 45, 210, 3_000), band: 'high' },
    // Bought once, long ago; the model gives them little chance.
    gone1: { purchases: [[600, 3_000]], band: 'high' },
    gone2: { purchases: [[520, 2_500]], band: 'high' },
    gone3: { purchases: [[450, 4_000]], band: 'high' },
    gone4: { purchases: [[380, 2_000]], band: 'high' },
    gone5: { purchases: [[300, 3_500]], band: 'high' },
    gone6: { purchases: [[240, 2_200]], band: 'high' },
    // Bought once, eight to ten months ago; the model is unsure.
    quiet1: { purchases: [[250, 2_800]], band: 'medium' },
    quiet2: { purchases: [[300, 3_200]], band: 'medium' },
    // First purchase this month.
    newcomer1: { purchases: [[3, 3_000]], band: 'low' },
    newcomer2: { purchases: [[10, 2_000]], band: 'low' },
    newcomer3: { purchases: [[18, 6_000]], band: 'low' },
    newcomer4: { purchases: [[25, 2_500]], band: 'low' },
    // Came back once, recently.
    secondTimer1: { purchases: rhythm(2, 40, 10, 3_000), band: 'low' },
    secondTimer2: { purchases: rhythm(2, 60, 15, 4_000), band: 'low' },
    secondTimer3: { purchases: rhythm(2, 30, 22, 2_500), band: 'low' },
    secondTimer4: { purchases: rhythm(2, 90, 28, 3_500), band: 'low' },
    secondTimer5: { purchases: rhythm(2, 50, 35, 5_000), band: 'medium' },
  };

  const expected: Record<SegmentName, string[]> = {
    champions: ['champion1', 'champion2', 'champion3', 'regular1', 'regular2', 'regular3'],
    loyal: ['regular4', 'regular5', 'regular6'],
    potential_loyalist: ['secondTimer1', 'secondTimer2', 'secondTimer3', 'secondTimer4', 'secondTimer5'],
    new: ['newcomer1', 'newcomer2', 'newcomer3', 'newcomer4'],
    at_risk: ['gone6'],
    cant_lose_them: ['slipping1', 'slipping2', 'slipping3', 'slipping4'],
    hibernating: ['quiet1', 'quiet2'],
    lost: ['gone1', 'gone2', 'gone3', 'gone4', 'gone5'],
    // Nobody here has a non-purchase activity on record.
    engaged_not_buying: [],
  };

  it('gives each the segment a person would', () => {
    const result = segmentsOf(shop);
    const bySegment = Object.fromEntries(
      Object.keys(expected).map((segment) => [
        segment,
        Object.keys(result).filter((name) => result[name]!.segment === segment),
      ]),
    );
    expect(bySegment).toEqual(expected);
  });

  it('reads the details a person would', () => {
    const result = segmentsOf(shop);
    // The steadiest regulars score 4+ on all three against this shop: Champions with a low band.
    expect(result.regular1).toEqual({ segment: 'champions', rfm: '444' });
    // Twelve of thirty bought once: they share frequency 2, and a single return scores 3.
    expect(result.gone1!.rfm[1]).toBe('2');
    expect(result.secondTimer4).toEqual({ segment: 'potential_loyalist', rfm: '333' });
    // Once, 240 days ago, band high, but not in the oldest recency fifth: At risk, not yet Lost.
    expect(result.gone6).toEqual({ segment: 'at_risk', rfm: '221' });
    // Once over a year ago (380 days) with band high is Lost even in recency quintile 1 or 2.
    expect(result.gone4!.segment).toBe('lost');
  });

  it('keeps every low band out of Lost and Hibernating, and every high band out of the healthy segments', () => {
    for (const band of riskBands) {
      const allBand = Object.fromEntries(Object.entries(shop).map(([name, h]) => [name, { ...h, band }]));
      for (const { segment } of Object.values(segmentsOf(allBand))) {
        if (band === 'low') expect(['lost', 'hibernating']).not.toContain(segment);
        if (band === 'high') expect(segment === 'new' || segmentSeverity[segment] > 0).toBe(true);
      }
    }
  });
});

describe('random small shops', () => {
  const history: fc.Arbitrary<History> = fc.record({
    purchases: fc.array(fc.tuple(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 50_000 })), {
      minLength: 1,
      maxLength: 12,
    }),
    band: fc.constantFrom(...riskBands),
    pAlive: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  const shop = fc
    .array(history, { minLength: 1, maxLength: 40 })
    .map((hs) => Object.fromEntries(hs.map((h, i) => [`c${i}`, h])));

  it('never puts a customer with a low band in Lost or Hibernating', () => {
    fc.assert(
      fc.property(shop, (s) => {
        const result = segmentsOf(s);
        return Object.keys(s).every(
          (name) => s[name]!.band !== 'low' || !['lost', 'hibernating'].includes(result[name]!.segment),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('gives a shop of identical customers one segment, from scores 3-3-3', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 30 }), (h, n) => {
        const result = Object.values(segmentsOf(Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, h]))));
        return result.every((r) => r.rfm === '333' && r.segment === result[0]!.segment);
      }),
      { numRuns: 200 },
    );
  });
});

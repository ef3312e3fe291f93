import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { riskBands, type RiskBand } from '../../../shared/domain/churn/risk';
import {
  segmentLabel,
  segmentLabels,
  segmentNames,
  segmentOf,
  type SegmentInput,
  type SegmentName,
  segmentSeverity,
  segmentTransition,
  winBackSegments,
} from '../../../shared/domain/churn/segments';

const customer = (rfm: string, o: Partial<Omit<SegmentInput, 'rfm'>> = {}): SegmentInput => {
  const [r, f, m] = [...rfm].map(Number) as [number, number, number];
  return { rfm: { r, f, m }, frequency: 3, ageDays: 400, pAlive: 0.9, riskBand: 'low', ...o };
};

describe('segmentOf: one hand-made customer per segment', () => {
  it.each<[string, SegmentInput, SegmentName]>([
    ['first order 10 days ago', customer('511', { frequency: 0, ageDays: 10, pAlive: 1 }), 'new'],
    ['recent, frequent, valuable, safe', customer('555', { frequency: 12 }), 'champions'],
    ['regular buyer, middling', customer('333', { frequency: 4 }), 'loyal'],
    ['recent second purchase', customer('523', { frequency: 1, ageDays: 80 }), 'potential_loyalist'],
    [
      'one-timer from 3 months ago, still recent-ish',
      customer('312', { frequency: 0, ageDays: 90, pAlive: 1 }),
      'potential_loyalist',
    ],
    ['bought a few times, lapsing', customer('223', { frequency: 2, riskBand: 'medium', pAlive: 0.6 }), 'at_risk'],
    [
      'were a top customer, slipping',
      customer('255', { frequency: 10, riskBand: 'medium', pAlive: 0.55 }),
      'cant_lose_them',
    ],
    [
      'a champion the model now doubts',
      customer('555', { frequency: 10, riskBand: 'high', pAlive: 0.35 }),
      'cant_lose_them',
    ],
    ['quiet, little history, model unsure', customer('212', { frequency: 1, riskBand: 'medium' }), 'hibernating'],
    ['model thinks gone', customer('443', { frequency: 5, pAlive: 0.1, riskBand: 'high' }), 'lost'],
    [
      'oldest recency, lowest frequency, band high',
      customer('115', { frequency: 0, ageDays: 700, pAlive: 1, riskBand: 'high' }),
      'lost',
    ],
  ])('%s → %s', (_name, input, expected) => {
    expect(segmentOf(input)).toBe(expected);
  });
});

describe('segmentOf: engaged but not buying', () => {
  const engaged = (daysSinceActivity: number, daysSinceLastPurchase: number) => ({
    engagement: { daysSinceActivity, daysSinceLastPurchase, horizonDays: 90 },
  });
  it('takes a customer with a recent activity and no purchase within the horizon, unless the band is low', () => {
    // Would be Lost (band high, P(alive) < 0.2) without the activity 5 days ago.
    const lost = customer('443', { frequency: 5, pAlive: 0.1, riskBand: 'high' });
    expect(segmentOf(lost)).toBe('lost');
    expect(segmentOf({ ...lost, ...engaged(5, 200) })).toBe('engaged_not_buying');
    // Hibernating without it.
    const quiet = customer('212', { frequency: 1, riskBand: 'medium' });
    expect(segmentOf({ ...quiet, ...engaged(89, 91) })).toBe('engaged_not_buying');
    // The boundaries: activity 90 days ago is outside the window; a purchase exactly at the horizon is within it.
    expect(segmentOf({ ...quiet, ...engaged(90, 200) })).toBe('hibernating');
    expect(segmentOf({ ...quiet, ...engaged(5, 90) })).toBe('hibernating');
    // A slow but steady buyer (band low) is not a concern, engaged or not.
    expect(segmentOf({ ...customer('233', { frequency: 4 }), ...engaged(1, 200) })).toBe('loyal');
    // New still comes first.
    expect(segmentOf(customer('511', { frequency: 0, ageDays: 10, riskBand: 'high', ...engaged(0, 10) }))).toBe('new');
  });

  it('is slipping: a move into it from a healthy segment is a worsening that feeds win-back', () => {
    expect(segmentSeverity.engaged_not_buying).toBe(1);
    expect(winBackSegments).toContain('engaged_not_buying');
    expect(segmentTransition('loyal', 'engaged_not_buying').worsened).toBe(true);
    expect(segmentTransition('lost', 'engaged_not_buying').worsened).toBe(false);
    expect(segmentLabel('engaged_not_buying', 'da')).toBe('Engagerede uden køb');
  });

  it('rejects a malformed engagement', () => {
    expect(() => segmentOf({ ...customer('333'), ...engaged(-1, 5) })).toThrow(RangeError);
    expect(() => segmentOf({ ...customer('333'), ...engaged(1.5, 5) })).toThrow(RangeError);
  });
});

describe('segmentOf: boundaries and precedence', () => {
  it('New is x = 0 and T ≤ 30 days, before anything else', () => {
    expect(segmentOf(customer('111', { frequency: 0, ageDays: 30, pAlive: 1, riskBand: 'high' }))).toBe('new');
    expect(segmentOf(customer('111', { frequency: 0, ageDays: 31, pAlive: 1, riskBand: 'high' }))).toBe('lost');
    expect(segmentOf(customer('555', { frequency: 2, ageDays: 5, pAlive: 1 }))).toBe('champions'); // repeats are not new
    expect(segmentOf(customer('511', { frequency: 0, ageDays: 0, pAlive: 1, riskBand: 'high' }))).toBe('new');
  });

  it('Lost needs band high, and P(alive) < 0.2 (0.2 itself is not) or r = 1 with f = 1 or x = 0', () => {
    expect(segmentOf(customer('555', { pAlive: 0.1999, riskBand: 'high' }))).toBe('lost');
    expect(segmentOf(customer('555', { pAlive: 0.2, riskBand: 'high' }))).toBe('cant_lose_them');
    expect(segmentOf(customer('112', { pAlive: 0.9, riskBand: 'high' }))).toBe('lost');
    expect(segmentOf(customer('121', { frequency: 1, pAlive: 0.9, riskBand: 'high' }))).toBe('at_risk'); // r = 1 alone
    expect(segmentOf(customer('211', { frequency: 1, pAlive: 0.5, riskBand: 'high' }))).toBe('at_risk'); // f = 1 alone
    // One-time buyers share a frequency score of 2 or 3 when they are most of the shop: x = 0 counts as lowest.
    expect(segmentOf(customer('122', { frequency: 0, ageDays: 400, pAlive: 1, riskBand: 'high' }))).toBe('lost');
    expect(segmentOf(customer('132', { frequency: 0, ageDays: 200, pAlive: 1, riskBand: 'high' }))).toBe('lost');
    expect(segmentOf(customer('122', { frequency: 1, ageDays: 400, pAlive: 0.5, riskBand: 'high' }))).toBe('at_risk');
  });

  it('a single purchase over a year ago (x = 0, T > 365) is old whatever the quintiles (one customer: 3-3-3)', () => {
    expect(segmentOf(customer('333', { frequency: 0, ageDays: 366, pAlive: 1, riskBand: 'high' }))).toBe('lost');
    expect(segmentOf(customer('333', { frequency: 0, ageDays: 365, pAlive: 1, riskBand: 'high' }))).toBe('at_risk');
    expect(segmentOf(customer('333', { frequency: 0, ageDays: 400, pAlive: 1, riskBand: 'medium' }))).toBe(
      'hibernating',
    );
    expect(segmentOf(customer('335', { frequency: 0, ageDays: 400, pAlive: 1, riskBand: 'medium' }))).toBe(
      'cant_lose_them',
    );
  });

  it('a low band is never Lost or Hibernating, whatever the quintiles and P(alive)', () => {
    expect(segmentOf(customer('111', { frequency: 0, ageDays: 31, pAlive: 1 }))).toBe('potential_loyalist');
    expect(segmentOf(customer('112', { pAlive: 0.9 }))).toBe('potential_loyalist');
    expect(segmentOf(customer('555', { pAlive: 0.1 }))).toBe('champions');
    expect(segmentOf(customer('221', { frequency: 1 }))).toBe('potential_loyalist');
    expect(segmentOf(customer('223', { riskBand: 'low' }))).toBe('potential_loyalist');
    expect(segmentOf(customer('211', { frequency: 0, pAlive: 1 }))).toBe('potential_loyalist');
  });

  it('Champions need 4+ on all three, a low band and x ≥ 2', () => {
    expect(segmentOf(customer('444'))).toBe('champions');
    expect(segmentOf(customer('555', { frequency: 1 }))).toBe('potential_loyalist'); // one return: not yet a rhythm
    expect(segmentOf(customer('344'))).toBe('loyal');
    expect(segmentOf(customer('434'))).toBe('loyal');
    expect(segmentOf(customer('443'))).toBe('loyal');
    expect(segmentOf(customer('555', { riskBand: 'medium' }))).toBe('loyal');
    expect(segmentOf(customer('555', { riskBand: 'high' }))).toBe('cant_lose_them');
  });

  it("Can't lose them: f ≥ 4 or m ≥ 4, and high band or old recency with medium band", () => {
    expect(segmentOf(customer('241', { riskBand: 'medium' }))).toBe('cant_lose_them');
    expect(segmentOf(customer('214', { frequency: 1, riskBand: 'medium' }))).toBe('cant_lose_them');
    expect(segmentOf(customer('233', { riskBand: 'medium' }))).toBe('at_risk'); // not valuable enough
    expect(segmentOf(customer('341', { riskBand: 'medium' }))).toBe('loyal'); // recent: medium band alone is not slipping
    expect(segmentOf(customer('245', { riskBand: 'low' }))).toBe('loyal'); // slow, steady, safe
    expect(segmentOf(customer('514', { riskBand: 'high', frequency: 0, ageDays: 60 }))).toBe('cant_lose_them');
  });

  it('At risk: high band, or r ≤ 2, f ≥ 2 and a repeat purchase with medium band', () => {
    expect(segmentOf(customer('323', { riskBand: 'high' }))).toBe('at_risk');
    expect(segmentOf(customer('513', { riskBand: 'high', frequency: 1 }))).toBe('at_risk');
    expect(segmentOf(customer('123', { riskBand: 'medium' }))).toBe('at_risk');
    expect(segmentOf(customer('213', { riskBand: 'medium', frequency: 0 }))).toBe('hibernating'); // f = 1
    expect(segmentOf(customer('223', { riskBand: 'medium', frequency: 0 }))).toBe('hibernating'); // x = 0
  });

  it('Loyal vs potential loyalist vs hibernating on f, x, r and band', () => {
    expect(segmentOf(customer('331'))).toBe('loyal');
    expect(segmentOf(customer('331', { frequency: 2 }))).toBe('loyal');
    expect(segmentOf(customer('341', { frequency: 1 }))).toBe('potential_loyalist'); // came back once: f 4 in a shop of one-timers
    expect(segmentOf(customer('131'))).toBe('loyal'); // r = 1 but f = 3 and low band
    expect(segmentOf(customer('321', { frequency: 1 }))).toBe('potential_loyalist');
    expect(segmentOf(customer('321', { frequency: 1, riskBand: 'medium' }))).toBe('potential_loyalist');
    expect(segmentOf(customer('211', { frequency: 1, riskBand: 'medium' }))).toBe('hibernating');
    // f = 3 from a tie of one-time buyers (≥ 80 % of the shop) is not a rhythm: no repeat, not loyal.
    expect(segmentOf(customer('333', { frequency: 0, ageDays: 90, pAlive: 1 }))).toBe('potential_loyalist');
    expect(segmentOf(customer('233', { frequency: 0, ageDays: 90, pAlive: 1, riskBand: 'medium' }))).toBe(
      'hibernating',
    );
  });

  it.each<Partial<SegmentInput>>([
    { rfm: { r: 0, f: 3, m: 3 } },
    { rfm: { r: 3, f: 6, m: 3 } },
    { rfm: { r: 3, f: 3, m: 2.5 } },
    { frequency: -1 },
    { frequency: 1.5 },
    { ageDays: -1 },
    { pAlive: 1.5 },
    { pAlive: Number.NaN },
    { riskBand: 'severe' as RiskBand },
  ])('rejects %j', (bad) => {
    expect(() => segmentOf({ ...customer('333'), ...bad })).toThrow(RangeError);
  });
});

/**
 * The table of the README as independent, order-free conditions: for every valid input exactly
 * one of them must hold, and it must be the one segmentOf returns.
 */
const conditions: Record<SegmentName, (i: SegmentInput) => boolean> = (() => {
  const repeat = (i: SegmentInput) => i.frequency >= 1;
  const onceLongAgo = (i: SegmentInput) => !repeat(i) && i.ageDays > 365;
  const old = (i: SegmentInput) => i.rfm.r <= 2 || onceLongAgo(i);
  const isNew = (i: SegmentInput) => !repeat(i) && i.ageDays <= 30;
  const isLost = (i: SegmentInput) =>
    i.riskBand === 'high' && (i.pAlive < 0.2 || (i.rfm.r === 1 && (i.rfm.f === 1 || !repeat(i))) || onceLongAgo(i));
  const isEngagedNotBuying = (i: SegmentInput) =>
    i.engagement !== undefined &&
    i.engagement.daysSinceActivity <= 89 &&
    i.engagement.daysSinceLastPurchase > i.engagement.horizonDays &&
    i.riskBand !== 'low';
  const rest = (i: SegmentInput) => !isNew(i) && !isEngagedNotBuying(i) && !isLost(i);
  const valuable = (i: SegmentInput) => i.rfm.f >= 4 || i.rfm.m >= 4;
  const champion = (i: SegmentInput) =>
    i.frequency >= 2 && i.rfm.r >= 4 && i.rfm.f >= 4 && i.rfm.m >= 4 && i.riskBand === 'low';
  const regular = (i: SegmentInput) => i.frequency >= 2 && i.rfm.f >= 3;
  const healthy = (i: SegmentInput) => i.riskBand === 'low' || (i.riskBand === 'medium' && !old(i));
  return {
    new: isNew,
    engaged_not_buying: (i) => !isNew(i) && isEngagedNotBuying(i),
    lost: (i) => !isNew(i) && !isEngagedNotBuying(i) && isLost(i),
    champions: (i) => rest(i) && champion(i),
    cant_lose_them: (i) => rest(i) && valuable(i) && (i.riskBand === 'high' || (old(i) && i.riskBand === 'medium')),
    at_risk: (i) =>
      rest(i) &&
      !valuable(i) &&
      (i.riskBand === 'high' || (old(i) && repeat(i) && i.rfm.f >= 2 && i.riskBand === 'medium')),
    loyal: (i) => rest(i) && regular(i) && healthy(i) && !champion(i),
    potential_loyalist: (i) => rest(i) && !regular(i) && healthy(i) && !champion(i),
    hibernating: (i) =>
      rest(i) && i.riskBand === 'medium' && old(i) && (i.rfm.f === 1 || !repeat(i)) && i.rfm.f <= 3 && i.rfm.m <= 3,
  };
})();

const quintile = fc.integer({ min: 1, max: 5 });
const anyInput: fc.Arbitrary<SegmentInput> = fc.record({
  rfm: fc.record({ r: quintile, f: quintile, m: quintile }),
  frequency: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })),
  ageDays: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 3_000, noNaN: true })),
  pAlive: fc.oneof(fc.constantFrom(0, 0.2, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  riskBand: fc.constantFrom(...riskBands),
  engagement: fc.option(
    fc.record({
      daysSinceActivity: fc.integer({ min: 0, max: 200 }),
      daysSinceLastPurchase: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.double({ min: 0, max: 3_000, noNaN: true })),
      horizonDays: fc.constantFrom(30, 90, 180),
    }),
    { nil: undefined },
  ),
});

describe('segmentOf: exhaustive and non-overlapping', () => {
  it('every valid input satisfies exactly one documented rule, the one returned', () => {
    fc.assert(
      fc.property(anyInput, (i) => {
        const holding = segmentNames.filter((s) => conditions[s](i));
        return holding.length === 1 && holding[0] === segmentOf(i);
      }),
      { numRuns: 5_000 },
    );
  });

  it('never puts a low band in Lost or Hibernating, nor a high band in the healthy segments but New', () => {
    fc.assert(
      fc.property(anyInput, (i) => {
        const s = segmentOf(i);
        if (i.riskBand === 'low') return s !== 'lost' && s !== 'hibernating';
        if (i.riskBand === 'high') return s === 'new' || segmentSeverity[s] > 0;
        return true;
      }),
      { numRuns: 5_000 },
    );
  });

  it('covers the whole grid of r, f, m × band × new/not × lost/not × engaged/not', () => {
    const seen = new Set<SegmentName>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++)
          for (const riskBand of riskBands)
            for (const [frequency, ageDays] of [
              [0, 10],
              [0, 100],
              [0, 400],
              [1, 100],
              [3, 100],
            ] as const)
              for (const pAlive of [0.1, 0.2, 0.9, 1])
                for (const engagement of [
                  undefined,
                  { daysSinceActivity: 3, daysSinceLastPurchase: 120, horizonDays: 90 },
                  { daysSinceActivity: 90, daysSinceLastPurchase: 120, horizonDays: 90 },
                ]) {
                  const i: SegmentInput = {
                    rfm: { r, f, m },
                    frequency,
                    ageDays,
                    pAlive,
                    riskBand,
                    ...(engagement ? { engagement } : {}),
                  };
                  const holding = segmentNames.filter((s) => conditions[s](i));
                  expect(holding, JSON.stringify(i)).toEqual([segmentOf(i)]);
                  seen.add(segmentOf(i));
                }
    expect([...seen].sort()).toEqual([...segmentNames].sort());
  });
});

describe('segment labels', () => {
  it('has English and Danish labels for every segment', () => {
    for (const s of segmentNames) {
      expect(segmentLabels[s].en.length).toBeGreaterThan(0);
      expect(segmentLabels[s].da.length).toBeGreaterThan(0);
    }
    expect(segmentLabel('cant_lose_them')).toBe("Can't lose them");
    expect(segmentLabel('cant_lose_them', 'da-DK')).toBe('Må ikke mistes');
    expect(segmentLabel('hibernating', 'da')).toBe('I dvale');
    expect(segmentLabel('lost', 'en-GB')).toBe('Lost');
    expect(segmentLabel('lost', 'dan')).toBe('Lost');
  });
});

describe('segmentTransition', () => {
  it('enters without worsening, stays unchanged', () => {
    expect(segmentTransition(undefined, 'lost')).toEqual({ kind: 'entered', to: 'lost', worsened: false });
    expect(segmentTransition('at_risk', 'at_risk')).toEqual({
      kind: 'unchanged',
      from: 'at_risk',
      to: 'at_risk',
      worsened: false,
    });
  });

  it.each<[SegmentName, SegmentName, boolean]>([
    ['loyal', 'at_risk', true],
    ['champions', 'cant_lose_them', true],
    ['new', 'hibernating', true],
    ['at_risk', 'hibernating', true],
    ['at_risk', 'lost', true],
    ['hibernating', 'lost', true],
    ['potential_loyalist', 'lost', true],
    ['champions', 'loyal', false],
    ['new', 'potential_loyalist', false],
    ['at_risk', 'cant_lose_them', false],
    ['cant_lose_them', 'at_risk', false],
    ['lost', 'hibernating', false],
    ['at_risk', 'loyal', false],
    ['lost', 'champions', false],
  ])('%s → %s worsened: %s', (from, to, worsened) => {
    expect(segmentTransition(from, to)).toEqual({ kind: 'moved', from, to, worsened });
  });

  it('worsens exactly when moving to a more severe rank, and only into win-back segments', () => {
    expect([...winBackSegments].sort()).toEqual([
      'at_risk',
      'cant_lose_them',
      'engaged_not_buying',
      'hibernating',
      'lost',
    ]);
    for (const from of segmentNames)
      for (const to of segmentNames) {
        const t = segmentTransition(from, to);
        expect(t.worsened).toBe(segmentSeverity[to] > segmentSeverity[from]);
        if (t.worsened) expect(winBackSegments).toContain(to);
      }
  });
});

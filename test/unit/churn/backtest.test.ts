import { describe, expect, it } from 'vitest';
import { aucOf, calibrationBins, chooseModel, SWITCH_MARGIN } from '../../../shared/domain/churn/backtest';
import type { BgNbdParameters } from '../../../shared/domain/churn/bgnbd';
import { heuristicNoPurchase } from '../../../shared/domain/churn/purchase-models';
import { seededRandom, simulateCustomer } from '../../../shared/domain/churn/simulate';
import type { Purchase } from '../../../shared/domain/churn/summary';

/** Customers acquired over the first `acquireDays`, observed up to `asOfDay`. */
const simulatedShop = (o: {
  seed: number;
  customers: number;
  purchases: BgNbdParameters;
  dropoutAfterFirst: boolean;
  acquireDays: number;
  asOfDay: number;
}): Purchase[][] => {
  const random = seededRandom(o.seed);
  return Array.from({ length: o.customers }, () => {
    const first = Math.floor(random() * o.acquireDays);
    return simulateCustomer(
      random,
      { purchases: o.purchases, dropoutAfterFirst: o.dropoutAfterFirst },
      first,
      o.asOfDay,
    ).purchases;
  });
};

// A shop where two in three customers never come back after the first order (a = 2, b = 1:
// E[p] = 2/3), and the rest buy about every 40 days and stay a long while.
const oneAndDone: BgNbdParameters = { r: 2, alpha: 80, a: 2, b: 1, timeUnit: 'days' };

describe('aucOf and calibrationBins', () => {
  it('scores a perfect, a reversed and an uninformative ranking', () => {
    const none = [true, true, false, false];
    expect(aucOf([0.9, 0.8, 0.2, 0.1], none)).toBe(1);
    expect(aucOf([0.1, 0.2, 0.8, 0.9], none)).toBe(0);
    expect(aucOf([0.5, 0.5, 0.5, 0.5], none)).toBe(0.5);
    expect(aucOf([0.5, 0.5], [true, true])).toBeNaN();
  });

  it('cuts by predicted probability into near-equal bins', () => {
    const bins = calibrationBins([0.1, 0.9, 0.2, 0.8, 0.5], [false, true, false, true, true], 2);
    expect(bins).toEqual([
      { customers: 2, predictedNoPurchase: (0.1 + 0.2) / 2, actualNoPurchase: 0 },
      { customers: 3, predictedNoPurchase: (0.5 + 0.8 + 0.9) / 3, actualNoPurchase: 1 },
    ]);
  });
});

describe('chooseModel (the nightly back-test)', () => {
  it('tells the model that fits the process from the one that cannot: MBG/NBD for one-and-done customers', () => {
    const customers = simulatedShop({
      seed: 7,
      customers: 3_000,
      purchases: oneAndDone,
      dropoutAfterFirst: true,
      acquireDays: 360,
      asOfDay: 720,
    });
    const card = chooseModel({ customers, asOfDay: 720, horizonDays: 90 });
    expect(card).toMatchObject({ model: 'mbgnbd', reason: 'best_log_loss', horizonDays: 90 });
    const bt = card.backtest!;
    expect(bt).toMatchObject({ cutoff: '1971-09-23', windowDays: 90, shortened: false, customers: expect.any(Number) });
    expect(bt.customers).toBeGreaterThan(2_000);
    const [bg, mbg] = bt.candidates;
    expect(bg!.model).toBe('bgnbd');
    expect(mbg!.logLoss).toBeLessThan(bg!.logLoss);
    // The right model's forecast is close on both counts; the wrong one misses the share with no purchase.
    expect(Math.abs(mbg!.predictedNoPurchaseShare - mbg!.actualNoPurchaseShare)).toBeLessThan(0.02);
    expect(Math.abs(mbg!.predictedPurchases / mbg!.actualPurchases - 1)).toBeLessThan(0.1);
    expect(Math.abs(bg!.predictedNoPurchaseShare - bg!.actualNoPurchaseShare)).toBeGreaterThan(
      Math.abs(mbg!.predictedNoPurchaseShare - mbg!.actualNoPurchaseShare),
    );
    // Its ranking beats counting days, and its deciles follow what happened.
    expect(mbg!.auc).toBeGreaterThan(bt.recencyAuc);
    expect(bt.calibration).toHaveLength(10);
    expect(bt.calibration.reduce((n, b) => n + b.customers, 0)).toBe(bt.customers);
    for (const b of bt.calibration) expect(Math.abs(b.predictedNoPurchase - b.actualNoPurchase)).toBeLessThan(0.1);
  });

  it('keeps BG/NBD when the process is BG/NBD (nobody leaves before a repeat purchase)', () => {
    const customers = simulatedShop({
      seed: 11,
      customers: 3_000,
      purchases: { r: 0.8, alpha: 60, a: 0.8, b: 4, timeUnit: 'days' },
      dropoutAfterFirst: false,
      acquireDays: 360,
      asOfDay: 720,
    });
    const card = chooseModel({ customers, asOfDay: 720, horizonDays: 90 });
    expect(card.model).toBe('bgnbd');
    const [bg] = card.backtest!.candidates;
    expect(Math.abs(bg!.predictedNoPurchaseShare - bg!.actualNoPurchaseShare)).toBeLessThan(0.02);
  });

  it('shortens the window to half the history when the history is shorter than two horizons, and says so', () => {
    const customers = simulatedShop({
      seed: 3,
      customers: 800,
      purchases: oneAndDone,
      dropoutAfterFirst: true,
      acquireDays: 60,
      asOfDay: 120,
    });
    const card = chooseModel({ customers, asOfDay: 120, horizonDays: 90 });
    expect(card.backtest).toMatchObject({ windowDays: 60, shortened: true });
  });

  it('falls back to the heuristic, and says why, when the history is too short to judge', () => {
    const young = simulatedShop({
      seed: 5,
      customers: 200,
      purchases: oneAndDone,
      dropoutAfterFirst: true,
      acquireDays: 30,
      asOfDay: 40,
    });
    expect(chooseModel({ customers: young, asOfDay: 40, horizonDays: 90 })).toEqual({
      model: 'heuristic',
      horizonDays: 90,
      reason: 'history_too_short',
      note: expect.stringMatching(/days of history; a back-test needs at least 56/),
      backtest: null,
    });
    const tiny = [
      [{ day: 0, amountMinor: 100 }],
      [
        { day: 10, amountMinor: 100 },
        { day: 200, amountMinor: 100 },
      ],
    ];
    expect(chooseModel({ customers: tiny, asOfDay: 400, horizonDays: 90 })).toMatchObject({
      model: 'heuristic',
      note: expect.stringMatching(/^2 customers before the back-test's cutoff/),
    });
    expect(chooseModel({ customers: [], asOfDay: 400, horizonDays: 90 }).note).toBe('no purchases yet');
  });
});

describe("chooseModel keeps last night's model on a close call", () => {
  const customers = simulatedShop({
    seed: 7,
    customers: 3_000,
    purchases: oneAndDone,
    dropoutAfterFirst: true,
    acquireDays: 360,
    asOfDay: 720,
  });
  const fresh = chooseModel({ customers, asOfDay: 720, horizonDays: 90 });
  const [bg, mbg] = fresh.backtest!.candidates;

  it('switches when the other model is clearly better', () => {
    // MBG/NBD wins this shop by more than the margin (see above): BG/NBD as incumbent is replaced.
    expect(mbg!.logLoss).toBeLessThan(bg!.logLoss * (1 - SWITCH_MARGIN));
    expect(chooseModel({ customers, asOfDay: 720, horizonDays: 90, incumbent: 'bgnbd' })).toMatchObject({
      model: 'mbgnbd',
      reason: 'best_log_loss',
    });
  });

  it('keeps the incumbent within the margin, and says so', () => {
    // A shop where the two are close: BG/NBD's own process, where MBG/NBD can nearly mimic it.
    const close = simulatedShop({
      seed: 11,
      customers: 3_000,
      purchases: { r: 0.8, alpha: 60, a: 0.8, b: 4, timeUnit: 'days' },
      dropoutAfterFirst: false,
      acquireDays: 360,
      asOfDay: 720,
    });
    const free = chooseModel({ customers: close, asOfDay: 720, horizonDays: 90 });
    const [b, m] = free.backtest!.candidates;
    expect(Math.abs(b!.logLoss - m!.logLoss)).toBeLessThan(SWITCH_MARGIN * b!.logLoss);
    const loser = free.model === 'bgnbd' ? 'mbgnbd' : 'bgnbd';
    const kept = chooseModel({ customers: close, asOfDay: 720, horizonDays: 90, incumbent: loser });
    expect(kept).toMatchObject({ model: loser, reason: 'kept_incumbent', backtest: { best: loser } });
    expect(kept.note).toMatch(/^kept last night's model/);
  });
});

describe('chooseModel, the edges', () => {
  it('judges a short horizon over at least 28 days', () => {
    const customers = simulatedShop({
      seed: 13,
      customers: 1_500,
      purchases: oneAndDone,
      dropoutAfterFirst: true,
      acquireDays: 360,
      asOfDay: 720,
    });
    const card = chooseModel({ customers, asOfDay: 720, horizonDays: 14 });
    expect(card).toMatchObject({ reason: 'best_log_loss', horizonDays: 14, backtest: { windowDays: 28 } });
  });

  it('does not choose between published defaults: when no candidate can be fitted, the heuristic scores', () => {
    // 60 customers, two of whom ever came back: too few repeat buyers for either model.
    const customers = Array.from({ length: 60 }, (_, i) => [
      { day: i, amountMinor: 100 },
      ...(i < 2 ? [{ day: 200 + i, amountMinor: 100 }] : []),
      ...(i >= 50 ? [{ day: 330 + i, amountMinor: 100 }] : []),
    ]);
    const card = chooseModel({ customers, asOfDay: 400, horizonDays: 90 });
    expect(card).toMatchObject({ model: 'heuristic', reason: 'history_too_short' });
    expect(card.note).toMatch(
      /^no model could be fitted .*bgnbd: too_few_repeat_buyers, mbgnbd: too_few_repeat_buyers/,
    );
    expect(card.backtest!.candidates.map((c) => c.fallback)).toEqual([
      'too_few_repeat_buyers',
      'too_few_repeat_buyers',
    ]);
  });
});

describe('the heuristic', () => {
  it('ranks exactly as days since the last purchase, rising with the silence, falling with the horizon', () => {
    expect(heuristicNoPurchase(0, 30, 90)).toBeCloseTo(0.25, 12);
    expect(heuristicNoPurchase(60, 30, 90)).toBeCloseTo(0.5, 12);
    // A longer horizon leaves more time to buy: a smaller chance of no purchase.
    expect(heuristicNoPurchase(60, 30, 180)).toBeLessThan(heuristicNoPurchase(60, 30, 90));
    expect(heuristicNoPurchase(10, undefined, 90)).toBeCloseTo(100 / 190, 12);
    // With one interval for the whole shop it ranks exactly as the days since the last purchase.
    const days = [100, 50, 10];
    const p = days.map((d) => heuristicNoPurchase(d, 50, 90));
    expect(aucOf(p, [true, false, false])).toBe(aucOf(days, [true, false, false]));
    expect(p[0]).toBeGreaterThan(p[1]!);
    expect(p[1]).toBeGreaterThan(p[2]!);
  });
});

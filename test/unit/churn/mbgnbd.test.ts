import { describe, expect, it } from 'vitest';
import { CDNOW_BGNBD_PUBLISHED, probabilityAlive, purchasesIfAlive } from '../../../shared/domain/churn/bgnbd';
import {
  CDNOW_MBGNBD_PUBLISHED,
  fitMbgNbd,
  mbgNbdLogLikelihood,
  mbgProbabilityAlive,
  mbgPurchasesIfAlive,
} from '../../../shared/domain/churn/mbgnbd';
import { probabilityNoPurchase, type PurchaseModel } from '../../../shared/domain/churn/purchase-models';
import { seededRandom, simulateCustomer } from '../../../shared/domain/churn/simulate';
import { lgamma } from '../../../shared/domain/churn/special';
import { loadCdnowSummary } from './fixtures/cdnow';

const published = CDNOW_MBGNBD_PUBLISHED;
const relErr = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('MBG/NBD', () => {
  it('reproduces the published CDNOW estimates (BTYDplus: r 0.525, α 6.183, a 0.891, b 1.614, weeks)', () => {
    const data = loadCdnowSummary().map((c) => ({ frequency: c.frequency, recency: c.recency, age: c.age }));
    const fit = fitMbgNbd(data, { timeUnit: 'weeks' });
    expect(fit.fallback).toBe(false);
    expect(fit.r).toBeCloseTo(published.r, 2);
    expect(fit.alpha).toBeCloseTo(published.alpha, 1);
    expect(fit.a).toBeCloseTo(published.a, 2);
    expect(fit.b).toBeCloseTo(published.b, 2);
    expect(relErr(fit.r, published.r)).toBeLessThan(0.005);
    expect(relErr(fit.alpha, published.alpha)).toBeLessThan(0.005);
  });

  it('has the likelihood of the paper, term by term', () => {
    const { r, alpha, a, b } = published;
    const [x, tx, T] = [3, 20, 35];
    const direct = Math.log(
      Math.exp(lgamma(r + x) - lgamma(r)) *
        alpha ** r *
        Math.exp(lgamma(a + b) + lgamma(b + x + 1) - lgamma(b) - lgamma(a + b + x + 1)) *
        ((alpha + T) ** -(r + x) + (a / (b + x)) * (alpha + tx) ** -(r + x)),
    );
    expect(mbgNbdLogLikelihood(published, { frequency: x, recency: tx, age: T })).toBeCloseTo(direct, 10);
  });

  it('lets a one-time buyer drop out: P(alive) < 1 and falling with the silence, unlike BG/NBD', () => {
    const one = [1, 10, 30].map((T) => mbgProbabilityAlive(published, 0, 0, T));
    expect(one[0]).toBeLessThan(1);
    expect(one[1]).toBeLessThan(one[0]!);
    expect(one[2]).toBeLessThan(one[1]!);
    expect(probabilityAlive(CDNOW_BGNBD_PUBLISHED, { frequency: 0, recency: 0, age: 30 })).toBe(1);
    // A just-acquired customer is alive with probability E[1 − p] = b / (a + b).
    expect(mbgProbabilityAlive(published, 0, 0, 0)).toBeCloseTo(published.b / (published.a + published.b), 12);
  });

  it("is BG/NBD's E[X | alive] with b + 1", () => {
    for (const [x, T, t] of [
      [0, 10, 39],
      [4, 30, 52],
      [20, 38, 10],
    ] as const) {
      expect(mbgPurchasesIfAlive(published, x, T, t)).toBe(
        purchasesIfAlive({ ...published, b: published.b + 1 }, x, T, t),
      );
    }
  });

  it('predicts the share of new customers with no purchase ahead as a simulation of the process finds it', () => {
    // Days, CDNOW-like: after the first purchase nobody is observed yet (x = 0, T = 0).
    const params = { ...published, alpha: published.alpha * 7, timeUnit: 'days' as const };
    const model: PurchaseModel = { kind: 'mbgnbd', parameters: params };
    const random = seededRandom(16);
    const n = 40_000;
    const horizon = 90;
    let none = 0;
    for (let i = 0; i < n; i++) {
      const c = simulateCustomer(random, { purchases: params, dropoutAfterFirst: true }, 0, horizon);
      if (c.purchases.length === 1) none++;
    }
    // The simulation's first purchase is at a random time of day 0, so a horizon of 90 days
    // covers 90 − U(0, 1) days after it: compare with the model at 89.5 days.
    const predicted = probabilityNoPurchase(model, 0, 0, 0, horizon - 0.5);
    const share = none / n;
    const standardError = Math.sqrt((share * (1 - share)) / n);
    expect(Math.abs(share - predicted)).toBeLessThan(4 * standardError);
  });
});

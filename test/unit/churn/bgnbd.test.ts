import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bgNbdLogLikelihood,
  bgNbdTotalLogLikelihood,
  CDNOW_BGNBD_PUBLISHED,
  CDNOW_BGNBD_PUBLISHED_LOG_LIKELIHOOD,
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  groupBgNbdObservations,
  inTimeUnit,
  probabilityAlive,
  purchasesIfAlive,
  type BgNbdParameters,
} from '../../../shared/domain/churn/bgnbd';
import { sampleBeta, sampleGamma, seededRandom } from '../../../shared/domain/churn/simulate';
import { logBeta } from '../../../shared/domain/churn/special';
import { summarizePurchases } from '../../../shared/domain/churn/summary';
import { CDNOW_CALIBRATION_END, loadCdnowPurchases, loadCdnowSummary } from './fixtures/cdnow';

const published = CDNOW_BGNBD_PUBLISHED;
/**
 * lifetimes' own MLE on the same CSV, to six decimals (docs/Quickstart.md, `bgf.summary`):
 * r 0.242593, α 4.413532, a 0.792886, b 2.425752. Its documented predictions were computed at
 * these, so they are the parameters to check our formulas against.
 */
const lifetimesFit: BgNbdParameters = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752, timeUnit: 'weeks' };

const relErr = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/**
 * E_p[(1 − (1 + p·t/(α+T))^−(r+x)) / p] for p ~ Beta(a, b+x), by the midpoint rule on [0, ½]
 * and [½, 1] with substitutions that remove the endpoint singularities of the Beta density
 * (p = ½u^(1/a) and 1 − p = ½v^(1/β)). The expectation of the BG/NBD process given alive at T,
 * integrated directly — independent of the 2F1 route the implementation takes.
 */
const purchasesIfAliveByQuadrature = (p: BgNbdParameters, x: number, T: number, t: number, nodes = 200_000): number => {
  const { r, alpha, a } = p;
  const beta = p.b + x;
  const s = t / (alpha + T);
  const g = (q: number) => -Math.expm1(-(r + x) * Math.log1p(q * s)) / q;
  let left = 0;
  let right = 0;
  for (let i = 0; i < nodes; i++) {
    const u = (i + 0.5) / nodes;
    const pl = 0.5 * u ** (1 / a);
    left += g(pl) * (1 - pl) ** (beta - 1);
    const oneMinusPr = 0.5 * u ** (1 / beta);
    right += g(1 - oneMinusPr) * (1 - oneMinusPr) ** (a - 1);
  }
  left *= 0.5 ** a / a / nodes;
  right *= 0.5 ** beta / beta / nodes;
  return (left + right) / Math.exp(logBeta(a, beta));
};

describe('BG/NBD fit on the CDNOW benchmark', () => {
  const rows = loadCdnowSummary();
  const fit = fitBgNbd(rows, { timeUnit: 'weeks' });

  it('reproduces the published r, α, a, b within 1 % and LL = −9582.4 within 0.1 (FHL 2005)', () => {
    expect(fit.fallback).toBe(false);
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(relErr(fit[k], published[k])).toBeLessThan(0.01);
    expect(Math.abs(fit.logLikelihood - CDNOW_BGNBD_PUBLISHED_LOG_LIKELIHOOD)).toBeLessThan(0.1);
  });

  it('agrees with lifetimes’ MLE to its six printed decimals, and beats the rounded published values', () => {
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(Math.abs(fit[k] - lifetimesFit[k])).toBeLessThan(2e-6 * Math.max(1, fit[k]));
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdTotalLogLikelihood(published, rows));
  });

  it('works on 1,016 distinct (x, t_x, T) rather than 2,357 customers', () => {
    expect([fit.customers, fit.repeatBuyers, fit.groups]).toEqual([2_357, 946, 1_016]);
  });

  it('gives the same model from the raw transactions, in days or in weeks', () => {
    const purchases = [...loadCdnowPurchases().values()];
    const inDays = fitBgNbd(
      purchases.map((ps) => summarizePurchases(ps, CDNOW_CALIBRATION_END, 'days')!),
      { timeUnit: 'days' },
    );
    const inWeeks = fitBgNbd(
      purchases.map((ps) => summarizePurchases(ps, CDNOW_CALIBRATION_END, 'weeks')!),
      { timeUnit: 'weeks' },
    );
    const asWeeks = inTimeUnit(inDays, 'weeks');
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(relErr(asWeeks[k], inWeeks[k])).toBeLessThan(1e-5);
      expect(relErr(inWeeks[k], published[k])).toBeLessThan(0.01); // unrounded t_x, T: still the published model
    }
    // Rescaling time by 7 shifts ln L by Σx·ln 7 (the densities of the purchase times).
    const totalX = rows.reduce((t, r) => t + r.frequency, 0);
    expect(Math.abs(inDays.logLikelihood + totalX * Math.log(7) - inWeeks.logLikelihood)).toBeLessThan(1e-6);
  });
});

describe('BG/NBD predictions at fixed parameters', () => {
  it('E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 at the published parameters (FHL 2005, Hardie’s spreadsheet)', () => {
    const e = conditionalExpectedPurchases(published, { frequency: 2, recency: 30.43, age: 38.86 }, 39);
    expect(Math.abs(e - 1.226)).toBeLessThan(5e-4);
  });

  // Hardie's spreadsheet values of E[X(t)], as checked by lifetimes' test suite
  // (tests/test_estimation.py, test_expectation_returns_same_value_Hardie_excel_sheet).
  it.each([
    [0.1429, 0.0078],
    [1, 0.0532],
    [3, 0.1506],
    [31.8571, 1.0405],
    [32, 1.0437],
    [78, 1.8576],
  ])('E[X(%s)] = %s (four decimals)', (t, expected) => {
    expect(Math.abs(expectedPurchases(lifetimesFit, t) - expected)).toBeLessThan(5e-4);
  });

  // lifetimes docs/Quickstart.md, "Ranking customers": conditional_expected_number_of_purchases_up_to_time(1, …).
  it.each([
    [18, 35.14, 35.86, 0.424877],
    [19, 34.0, 34.14, 0.474738],
    [17, 28.43, 28.86, 0.486526],
    [29, 37.71, 38.0, 0.662396],
    [26, 30.86, 31.0, 0.710623],
  ])('E[X(1) | x=%s, t_x=%s, T=%s] = %s (lifetimes documentation)', (x, tx, T, expected) => {
    expect(
      Math.abs(conditionalExpectedPurchases(lifetimesFit, { frequency: x, recency: tx, age: T }, 1) - expected),
    ).toBeLessThan(1e-6);
  });

  // lifetimes docs/Quickstart.md, customer_lifetime_value(bgf, …, time=12, discount_rate=0.01): 12 steps of
  // 30 time units (weeks here), each step's purchases × the Gamma-Gamma expected profit / 1.01^k.
  // Long horizons (up to 360 weeks, z up to 0.89) put the hypergeometric function to work.
  it.each([
    [2, 30.43, 38.86, 24.658619, 140.096211],
    [1, 1.71, 38.86, 18.911489, 18.943467],
    [0, 0, 38.86, 35.170981, 38.180574],
    [7, 29.43, 38.86, 71.462843, 1003.868107],
    [1, 5.0, 38.86, 18.911489, 28.109683],
    [2, 35.71, 38.86, 27.282408, 167.418216],
  ])('discounted value of (x=%s, t_x=%s, T=%s) matches lifetimes’ documented CLV', (x, tx, T, profit, clv) => {
    const o = { frequency: x, recency: tx, age: T };
    let value = 0;
    for (let k = 1; k <= 12; k++) {
      const step =
        conditionalExpectedPurchases(lifetimesFit, o, 30 * k) -
        conditionalExpectedPurchases(lifetimesFit, o, 30 * (k - 1));
      value += (profit * step) / 1.01 ** k;
    }
    expect(relErr(value, clv)).toBeLessThan(1e-6);
  });

  it.each([
    ['CDNOW (a < 1)', published, 0, 0, 52],
    ['CDNOW, heavy buyer', published, 25, 30, 39],
    ['CDNOW, z → 1 (t ≫ α + T)', published, 1, 0.5, 5_000],
    ['a > 1', { ...published, a: 2.7, b: 4.1 }, 3, 20, 100],
    ['a = 1 exactly (removable singularity)', { ...published, a: 1 }, 2, 10, 60],
    ['a + b + x − 1 = 0 (removable singularity)', { ...published, a: 0.6, b: 0.4 }, 0, 10, 60],
    ['small r, large α (days)', { r: 0.05, alpha: 400, a: 0.3, b: 1.2, timeUnit: 'days' as const }, 4, 300, 365],
  ])('E[purchases | alive] equals direct numerical integration over p: %s', (_, p, x, T, t) => {
    expect(relErr(purchasesIfAlive(p, x, T, t), purchasesIfAliveByQuadrature(p, x, T, t))).toBeLessThan(2e-6);
  });

  // E[X(t) | x, t_x, T] from the paper's formula (eq. 10) in mpmath 1.3 at 80 digits; at the
  // removable singularities a = 1 and a+b+x−1 = 0 as the mean of a ± 1e-30 (and, for a = 1,
  // confirmed by mpmath.quad of the Beta integral to 50 digits).
  it.each([
    [0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86, 39, 1.2260281747671444],
    [0.243, 4.414, 0.793, 2.426, 0, 0, 0, 78, 1.8605190579427686],
    [0.243, 4.414, 0.793, 2.426, 1, 0.5, 0.5, 5000, 26.95700799610279],
    [0.243, 30.898, 0.793, 2.426, 150, 700, 720, 365, 47.711878584894734],
    [0.02, 0.1, 0.02, 0.02, 77, 0, 0, 0.64496, 483.62543041455297],
    [0.243, 4.414, 1.0, 2.426, 2, 10, 12, 60, 3.2032966817562496],
    [0.243, 4.414, 0.6, 0.4, 0, 0, 10, 60, 0.5041734492436791],
    [2.5, 120.0, 2.7, 4.1, 3, 20, 100, 90, 0.2596699351596396],
    [0.05, 400.0, 0.3, 1.2, 4, 100, 300, 365, 1.5520860768150853],
  ])(
    'E[X(t)] at r=%s α=%s a=%s b=%s, x=%s t_x=%s T=%s, t=%s is %s (mpmath)',
    (r, alpha, a, b, x, tx, T, t, expected) => {
      const p: BgNbdParameters = { r, alpha, a, b, timeUnit: 'days' };
      const tol = a === 1 || a + b + x - 1 === 0 ? 1e-10 : 1e-12;
      expect(relErr(conditionalExpectedPurchases(p, { frequency: x, recency: tx, age: T }, t), expected)).toBeLessThan(
        tol,
      );
    },
  );

  it('is smooth across the removable singularity at a = 1', () => {
    const at = (a: number) => purchasesIfAlive({ ...published, a }, 2, 10, 60);
    // Cubic interpolation through four points well outside the extrapolation gap (plain
    // formula) must agree with the values inside it.
    const nodes = [1 - 2e-3, 1 - 1e-3, 1 + 1e-3, 1 + 2e-3];
    const values = nodes.map(at);
    const cubic = (a: number) =>
      nodes.reduce(
        (sum, xi, i) => sum + values[i]! * nodes.reduce((w, xj, j) => (j === i ? w : (w * (a - xj)) / (xi - xj)), 1),
        0,
      );
    for (const a of [1 - 9e-5, 1 - 5e-6, 1, 1 + 3e-5, 1 + 9.9e-5]) expect(relErr(at(a), cubic(a))).toBeLessThan(1e-9);
  });

  it('gives P(alive) = 1 without repeat purchases and the paper’s formula otherwise', () => {
    expect(probabilityAlive(published, { frequency: 0, recency: 0, age: 30 })).toBe(1);
    const { r, alpha, a, b } = published;
    const [x, tx, T] = [2, 30.43, 38.86];
    const formula = 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
    expect(relErr(probabilityAlive(published, { frequency: x, recency: tx, age: T }), formula)).toBeLessThan(1e-14);
  });
});

describe('BG/NBD likelihood', () => {
  it('equals the paper’s closed form evaluated directly (small inputs, no log space)', () => {
    const { r, alpha, a, b } = published;
    for (const [x, tx, T] of [
      [0, 0, 10],
      [1, 3, 10],
      [4, 9.5, 12],
    ] as const) {
      // Γ(r+x)/Γ(r) = r(r+1)…(r+x−1); B(a, b+x)/B(a, b) = Π_{j<x} (b+j)/(a+b+j)
      let rising = 1;
      let betaRatio = 1;
      for (let j = 0; j < x; j++) {
        rising *= r + j;
        betaRatio *= (b + j) / (a + b + j);
      }
      const L =
        rising *
        alpha ** r *
        betaRatio *
        ((alpha + T) ** -(r + x) + (x > 0 ? (a / (b + x - 1)) * (alpha + tx) ** -(r + x) : 0));
      expect(relErr(bgNbdLogLikelihood(published, { frequency: x, recency: tx, age: T }), Math.log(L))).toBeLessThan(
        1e-13,
      );
    }
  });

  it('stays finite for heavy buyers where the terms themselves underflow', () => {
    const ll = bgNbdLogLikelihood(inTimeUnit(published, 'days'), { frequency: 400, recency: 700, age: 720 });
    expect(Number.isFinite(ll)).toBe(true);
  });

  it('sums the same over groups as over customers', () => {
    const rows = loadCdnowSummary().slice(0, 300);
    const direct = rows.reduce((t, o) => t + bgNbdLogLikelihood(published, o), 0);
    expect(relErr(bgNbdTotalLogLikelihood(published, groupBgNbdObservations(rows)), direct)).toBeLessThan(1e-12);
  });

  it.each([
    { frequency: 1.5, recency: 1, age: 2 },
    { frequency: 1, recency: 3, age: 2 },
    { frequency: 0, recency: 1, age: 2 },
    { frequency: -1, recency: 0, age: 2 },
  ])('rejects %j', (o) => {
    expect(() => bgNbdLogLikelihood(published, o)).toThrow(RangeError);
  });
});

describe('BG/NBD properties', () => {
  const params = fc.record({
    r: fc.double({ min: 0.02, max: 20, noNaN: true }),
    alpha: fc.double({ min: 0.1, max: 500, noNaN: true }),
    a: fc.double({ min: 0.02, max: 20, noNaN: true }),
    b: fc.double({ min: 0.02, max: 50, noNaN: true }),
    timeUnit: fc.constant('days' as const),
  });
  const customer = fc
    .tuple(
      fc.integer({ min: 0, max: 200 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 2_000, noNaN: true }),
    )
    .map(([x, share, T]) => ({ frequency: x, recency: x === 0 ? 0 : share * T, age: T }));

  it('keeps 0 ≤ P(alive) ≤ 1', () => {
    fc.assert(
      fc.property(params, customer, (p, o) => {
        const alive = probabilityAlive(p, o);
        return alive >= 0 && alive <= 1;
      }),
    );
  });

  it('makes E[X(t)] non-negative and non-decreasing in t', () => {
    fc.assert(
      fc.property(
        params,
        fc.double({ min: 0.01, max: 3_000, noNaN: true }),
        fc.double({ min: 0, max: 3_000, noNaN: true }),
        (p, t1, dt) => {
          const e1 = expectedPurchases(p, t1);
          const e2 = expectedPurchases(p, t1 + dt);
          return e1 >= 0 && e2 >= e1 * (1 - 1e-10);
        },
      ),
    );
  });

  it('makes E[X(t) | x, t_x, T] finite, non-negative and non-decreasing in t', () => {
    fc.assert(
      fc.property(params, customer, fc.double({ min: 0.01, max: 1_000, noNaN: true }), (p, o, t) => {
        const e1 = conditionalExpectedPurchases(p, o, t);
        const e2 = conditionalExpectedPurchases(p, o, 2 * t);
        return Number.isFinite(e2) && e1 >= 0 && e2 >= e1 * (1 - 1e-10);
      }),
    );
  });

  it('lowers P(alive) the longer a repeat buyer has been silent', () => {
    fc.assert(
      fc.property(
        params,
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        (p, x, tx, gap) => {
          const sooner = probabilityAlive(p, { frequency: x, recency: tx, age: tx + gap });
          const later = probabilityAlive(p, { frequency: x, recency: tx, age: tx + 2 * gap });
          return later <= sooner;
        },
      ),
    );
  });

  it('reduces to E[X(t)] for a customer acquired just now', () => {
    fc.assert(
      fc.property(params, fc.double({ min: 0.01, max: 1_000, noNaN: true }), (p, t) => {
        return (
          relErr(conditionalExpectedPurchases(p, { frequency: 0, recency: 0, age: 0 }, t), expectedPurchases(p, t)) <
          1e-12
        );
      }),
    );
  });
});

describe('BG/NBD against simulated customers (Monte Carlo)', () => {
  // 20,000 customers drawn from the model at CDNOW parameters (in days) in continuous time —
  // exactly the model's process, so predictions must match on average up to sampling error. Ages
  // spread over two years; each then followed for a 90-day holdout.
  const truth = inTimeUnit(published, 'days');
  const random = seededRandom(20_260_701);
  const customers = Array.from({ length: 20_000 }, () => {
    const T = random() * 730;
    const lambda = sampleGamma(random, truth.r, truth.alpha);
    const p = sampleBeta(random, truth.a, truth.b);
    let t = 0;
    let x = 0;
    let tx = 0;
    let holdout = 0;
    let alive = true;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T + 90) break;
      if (t <= T) [x, tx] = [x + 1, t];
      else holdout++;
      if (random() < p) {
        alive = t > T; // dropped out after a purchase in the holdout: still alive at T
        break;
      }
    }
    return { summary: { frequency: x, recency: tx, age: T }, holdout, alive };
  });
  const mean = (v: number[]) => v.reduce((t, x) => t + x, 0) / v.length;
  const standardError = (v: number[]) => {
    const m = mean(v);
    return Math.sqrt(v.reduce((t, x) => t + (x - m) ** 2, 0) / (v.length - 1) / v.length);
  };

  it('predicts the share of customers still alive', () => {
    const predicted = customers.map((c) => probabilityAlive(truth, c.summary));
    const actual = customers.map((c) => (c.alive ? 1 : 0));
    expect(Math.abs(mean(predicted) - mean(actual))).toBeLessThan(4 * standardError(actual));
  });

  it('predicts the purchases in the 90-day holdout, also for the repeat buyers alone', () => {
    const check = (group: typeof customers) => {
      const predicted = group.map((c) => conditionalExpectedPurchases(truth, c.summary, 90));
      const actual = group.map((c) => c.holdout);
      expect(Math.abs(mean(predicted) - mean(actual))).toBeLessThan(4 * standardError(actual));
    };
    check(customers);
    check(customers.filter((c) => c.summary.frequency >= 2));
  });

  it('recovers the parameters it was simulated with', () => {
    const fit = fitBgNbd(
      customers.map((c) => c.summary),
      { timeUnit: 'days' },
    );
    expect(fit.converged).toBe(true);
    // Sampling error at n = 20,000 (lifetimes' standard errors on CDNOW's 2,357, scaled by
    // √(2357/20000)): r ±2 %, α ±3 %, a ±8 %, b ±10 %; allow three of those.
    expect(relErr(fit.r, truth.r)).toBeLessThan(0.06);
    expect(relErr(fit.alpha, truth.alpha)).toBeLessThan(0.09);
    expect(relErr(fit.a, truth.a)).toBeLessThan(0.25);
    expect(relErr(fit.b, truth.b)).toBeLessThan(0.3);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(
      bgNbdTotalLogLikelihood(
        truth,
        customers.map((c) => c.summary),
      ),
    );
  });
});

describe('BG/NBD fallback for shops too small to fit', () => {
  const few = loadCdnowSummary().slice(0, 20);

  it('uses the CDNOW defaults (α converted to the data’s unit) below 30 customers', () => {
    const fit = fitBgNbd(few, { timeUnit: 'days' });
    expect(fit).toMatchObject({
      fallback: true,
      fallbackReason: 'too_few_customers',
      parameterSource: 'default',
      converged: false,
    });
    expect([fit.r, fit.a, fit.b]).toEqual([published.r, published.a, published.b]);
    expect(fit.alpha).toBeCloseTo(published.alpha * 7, 12);
    expect(fit.timeUnit).toBe('days');
  });

  it('prefers pooled parameters when given', () => {
    const pooled: BgNbdParameters = { r: 0.5, alpha: 10, a: 1.2, b: 3, timeUnit: 'weeks' };
    const fit = fitBgNbd(few, { timeUnit: 'weeks', pooled });
    expect(fit).toMatchObject({ ...pooled, fallback: true, parameterSource: 'pooled' });
    expect(fit.logLikelihood).toBeCloseTo(bgNbdTotalLogLikelihood(pooled, few), 9);
  });

  it('falls back with fewer than 10 repeat buyers', () => {
    const rows = loadCdnowSummary();
    const data = [
      ...rows.filter((r) => r.frequency === 0).slice(0, 100),
      ...rows.filter((r) => r.frequency > 0).slice(0, 9),
    ];
    expect(fitBgNbd(data, { timeUnit: 'weeks' })).toMatchObject({
      fallback: true,
      fallbackReason: 'too_few_repeat_buyers',
    });
  });

  it('falls back when the data cannot identify the model (nobody ever seems to drop out)', () => {
    const loyal = Array.from({ length: 100 }, (_, i) => ({ frequency: 10, recency: 50 + (i % 7), age: 50 + (i % 7) }));
    const fit = fitBgNbd(loyal, { timeUnit: 'days' });
    expect(fit.fallback).toBe(true);
    expect(['at_bound', 'not_converged']).toContain(fit.fallbackReason);
    expect(fit.estimate).not.toBeNull();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CDNOW_GAMMA_GAMMA_PUBLISHED_USD,
  expectedAverageValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaTotalLogLikelihood,
  groupSpendObservations,
  type GammaGammaParameters,
} from '../../../shared/domain/churn/gamma-gamma';
import { sampleGamma, seededRandom } from '../../../shared/domain/churn/simulate';
import { summarizePurchases } from '../../../shared/domain/churn/summary';
import { CDNOW_CALIBRATION_END, loadCdnowPurchases } from './fixtures/cdnow';

const relErr = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** The 946 CDNOW repeat customers' (x, average repeat spend in cents), calibration period, by cohort id. */
const cdnowRepeatCustomers = () => {
  const out = new Map<number, { frequency: number; averageValue: number }>();
  for (const [id, purchases] of loadCdnowPurchases()) {
    const s = summarizePurchases(purchases, CDNOW_CALIBRATION_END, 'weeks')!;
    if (s.frequency > 0) out.set(id, { frequency: s.frequency, averageValue: s.averageRepeatValueMinor! });
  }
  return out;
};

describe('Gamma-Gamma fit on the CDNOW benchmark', () => {
  const repeat = cdnowRepeatCustomers();
  const fit = fitGammaGamma([...repeat.values()]);

  it('reproduces the published p = 6.25, q = 3.74, γ = 15.44 within 1 % (FHL 2005 JMR; Fader & Hardie 2013)', () => {
    expect(repeat.size).toBe(946);
    expect(fit).toMatchObject({ fallback: false, converged: true, customers: 946 });
    const published = CDNOW_GAMMA_GAMMA_PUBLISHED_USD;
    expect(relErr(fit.p, published.p)).toBeLessThan(0.01);
    expect(relErr(fit.q, published.q)).toBeLessThan(0.01);
    expect(relErr(fit.v / 100, published.v)).toBeLessThan(0.01); // fitted on cents
  });

  it('does not depend on the value unit except through γ', () => {
    const dollars = fitGammaGamma([...repeat.values()].map((o) => ({ ...o, averageValue: o.averageValue / 100 })));
    expect(relErr(dollars.p, fit.p)).toBeLessThan(1e-6);
    expect(relErr(dollars.q, fit.q)).toBeLessThan(1e-6);
    expect(relErr(dollars.v * 100, fit.v)).toBeLessThan(1e-6);
  });

  // lifetimes docs/Quickstart.md: ggf.conditional_expected_average_profit(...) on its
  // cdnow_customers_summary_with_transactions.csv, whose averages are in dollars rounded to cents.
  it.each([
    [1, 24.658619],
    [2, 18.911489],
    [3, 35.170981],
    [6, 71.462843],
    [9, 27.282408],
  ])('reproduces lifetimes’ documented E[M | x, m̄] for customer %s ($%s)', (id, expected) => {
    const rounded = [...repeat.values()].map((o) => ({ ...o, averageValue: Math.round(o.averageValue) / 100 }));
    const model = fitGammaGamma(rounded);
    const own = repeat.get(id);
    const value = expectedAverageValue(model, own?.frequency ?? 0, own ? Math.round(own.averageValue) / 100 : null);
    expect(relErr(value, expected)).toBeLessThan(1e-5);
  });
});

describe('Gamma-Gamma model functions', () => {
  const g: GammaGammaParameters = { p: 6.25, q: 3.74, v: 15.44 };

  it('has a density of the average value that integrates to 1', () => {
    for (const x of [1, 3, 12]) {
      // ∫ f(m̄) dm̄ over (0, ∞) with m̄ = e^u, midpoint rule on u ∈ [−15, 15].
      const n = 60_000;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const u = -15 + ((i + 0.5) * 30) / n;
        total += Math.exp(gammaGammaLogLikelihood(g, { frequency: x, averageValue: Math.exp(u) }) + u);
      }
      expect(Math.abs((total * 30) / n - 1)).toBeLessThan(1e-9);
    }
  });

  it('has mean pγ/(q−1) for x = 1 (the population mean spend)', () => {
    const n = 60_000;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const u = -15 + ((i + 0.5) * 30) / n;
      mean += Math.exp(gammaGammaLogLikelihood(g, { frequency: 1, averageValue: Math.exp(u) }) + 2 * u);
    }
    expect(relErr((mean * 30) / n, (g.p * g.v) / (g.q - 1))).toBeLessThan(1e-8);
  });

  it('gives the population mean without repeat purchases and moves towards m̄ as x grows', () => {
    const population = (g.p * g.v) / (g.q - 1);
    expect(expectedAverageValue(g, 0, null)).toBeCloseTo(population, 12);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.01, max: 1e5, noNaN: true }), (x, m) => {
        const e = expectedAverageValue(g, x, m);
        const more = expectedAverageValue(g, x + 1, m);
        const w = (g.q - 1) / (g.p * x + g.q - 1);
        const between = e >= Math.min(m, population) * (1 - 1e-12) && e <= Math.max(m, population) * (1 + 1e-12);
        return (
          between &&
          Math.abs(more - m) <= Math.abs(e - m) * (1 + 1e-12) &&
          relErr(e, w * population + (1 - w) * m) < 1e-12
        );
      }),
    );
  });

  it('sums the same over groups as over customers', () => {
    const data = [...cdnowRepeatCustomers().values()].slice(0, 200);
    const direct = data.reduce(
      (t, o) => t + gammaGammaLogLikelihood(g, { ...o, averageValue: o.averageValue / 100 }),
      0,
    );
    const grouped = gammaGammaTotalLogLikelihood(
      g,
      groupSpendObservations(data.map((o) => ({ ...o, averageValue: o.averageValue / 100 }))),
    );
    expect(relErr(grouped, direct)).toBeLessThan(1e-12);
  });

  it.each([
    { frequency: 0, averageValue: 10 },
    { frequency: 2, averageValue: 0 },
    { frequency: 1.5, averageValue: 10 },
  ])('rejects %j', (o) => {
    expect(() => gammaGammaLogLikelihood(g, o)).toThrow(RangeError);
  });
});

describe('Gamma-Gamma against simulated spend', () => {
  it('recovers p, q and γ', () => {
    // 20,000 repeat customers: ν ~ Gamma(q, γ), x ~ 1 + Poisson-ish spread, x values ~ Gamma(p, ν).
    const truth: GammaGammaParameters = { p: 6.25, q: 3.74, v: 1544 };
    const random = seededRandom(7);
    const data = Array.from({ length: 20_000 }, () => {
      const nu = sampleGamma(random, truth.q, truth.v);
      const x = 1 + Math.floor(-Math.log(1 - random()) * 3);
      let total = 0;
      for (let i = 0; i < x; i++) total += sampleGamma(random, truth.p, nu);
      return { frequency: x, averageValue: total / x };
    });
    const fit = fitGammaGamma(data);
    expect(fit.converged).toBe(true);
    expect(relErr(fit.p, truth.p)).toBeLessThan(0.1);
    expect(relErr(fit.q, truth.q)).toBeLessThan(0.1);
    expect(relErr(fit.v, truth.v)).toBeLessThan(0.15);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaTotalLogLikelihood(truth, data));
  });
});

describe('Gamma-Gamma fallback', () => {
  const few = [
    { frequency: 1, averageValue: 2_000 },
    { frequency: 3, averageValue: 4_000 },
  ];

  it('uses the CDNOW shape scaled to the observed mean spend with too few repeat customers', () => {
    const fit = fitGammaGamma(few);
    expect(fit).toMatchObject({ fallback: true, fallbackReason: 'too_few_repeat_buyers', parameterSource: 'default' });
    expect([fit.p, fit.q]).toEqual([6.25, 3.74]);
    expect(expectedAverageValue(fit, 0, null)).toBeCloseTo(3_000, 9);
  });

  it('uses a given typical value, or pooled parameters', () => {
    expect(expectedAverageValue(fitGammaGamma([], { typicalValue: 5_000 }), 0, null)).toBeCloseTo(5_000, 9);
    const pooled = { p: 3, q: 5, v: 4_000 };
    expect(fitGammaGamma(few, { pooled })).toMatchObject({ ...pooled, fallback: true, parameterSource: 'pooled' });
  });

  it('falls back when the mean spend would be unbounded (q ≤ 1)', () => {
    // Very heavy-tailed spend across customers: ν ~ Gamma(0.6, ·) has no finite E[1/ν].
    const random = seededRandom(3);
    const data = Array.from({ length: 3_000 }, () => {
      const nu = sampleGamma(random, 0.6, 1);
      return { frequency: 2, averageValue: (sampleGamma(random, 4, nu) + sampleGamma(random, 4, nu)) / 2 };
    });
    const fit = fitGammaGamma(data);
    expect(fit).toMatchObject({ fallback: true, fallbackReason: 'unbounded_mean_spend' });
    expect(fit.estimate!.q).toBeLessThan(1);
  });
});

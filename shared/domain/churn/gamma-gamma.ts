/**
 * The Gamma-Gamma model of spend per transaction: Colombo & Jiang (1999), "A stochastic RFM
 * model", Journal of Interactive Marketing 13(3); as used by Fader, Hardie & Lee (2005), "RFM and
 * CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42(4), and Fader & Hardie (2013),
 * "The Gamma-Gamma Model of Monetary Value" (brucehardie.com/notes/025).
 *
 * A customer's transaction values are Gamma(p, ν) around their own mean p/ν; ν ~ Gamma(q, γ)
 * across customers. We observe, for customers with x ≥ 1 repeat purchases, the average m̄ of
 * their repeat-purchase values. The model assumes spend is independent of the purchase process
 * (check: the correlation of m̄ with x should be near 0).
 *
 * Units: p and q are unit-free; γ (called v in lifetimes) is in the unit of the values — minor
 * units when fed from summary.ts — so γ in cents = 100 × γ in dollars.
 */
import { minimizeInLogBounds } from './optimize';
import { groupRows, type Grouped } from './grouping';
import { digamma, lgamma } from './special';

export interface GammaGammaParameters {
  p: number;
  q: number;
  /** Scale γ, in the value unit of the data. */
  v: number;
}

/** One repeat customer: x ≥ 1 repeat purchases with average value m̄ > 0. */
export interface SpendObservation {
  frequency: number;
  averageValue: number;
}

/**
 * Published CDNOW estimates (946 repeat customers of the 2,357-customer cohort, average repeat
 * spend in the 39-week calibration period, US dollars): p = 6.25, q = 3.74, γ = 15.44 in
 * Fader, Hardie & Lee (2005, JMR) and Fader & Hardie (2013); the lifetimes documentation
 * (docs/Quickstart.md) reports "fitted with 946 subjects, p: 6.25, q: 3.74, v: 15.45" and its
 * test suite checks [6.25, 3.74, 15.44] to two decimals.
 */
export const CDNOW_GAMMA_GAMMA_PUBLISHED_USD: GammaGammaParameters = { p: 6.25, q: 3.74, v: 15.44 };

const checkObservation = (o: SpendObservation): void => {
  if (!(Number.isInteger(o.frequency) && o.frequency >= 1 && Number.isFinite(o.averageValue) && o.averageValue > 0)) {
    throw new RangeError(
      `Not a valid spend observation: x = ${o.frequency}, m̄ = ${o.averageValue}; need integer x ≥ 1 and m̄ > 0`,
    );
  }
};

/**
 * ln f(m̄ | p, q, γ, x), the density of a customer's average of x values (Fader & Hardie 2013):
 *   Γ(px+q) / (Γ(px) Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + m̄x)^(px+q)
 */
export const gammaGammaLogLikelihood = (g: GammaGammaParameters, o: SpendObservation): number => {
  checkObservation(o);
  const { p, q, v } = g;
  const { frequency: x, averageValue: m } = o;
  const px = p * x;
  return (
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(v) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(v + m * x)
  );
};

export interface SpendGroups extends Grouped {
  customers: number;
}

/** Repeat customers grouped by identical (x, m̄): distinct[0] = x, distinct[1] = m̄. */
export const groupSpendObservations = (observations: readonly SpendObservation[]): SpendGroups => {
  const n = observations.length;
  const x = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    checkObservation(observations[i]!);
    x[i] = observations[i]!.frequency;
    m[i] = observations[i]!.averageValue;
  }
  return { ...groupRows([x, m], n), customers: n };
};

/**
 * Σ weight × ln f and its gradient with respect to (ln p, ln q, ln γ), for values divided by
 * `valueScale`. The gamma and digamma functions depend on x alone and are computed once per
 * distinct x; each group costs one log.
 */
const makeLogLikelihood = (g: SpendGroups, valueScale: number) => {
  const [xs, ms] = g.distinct as [Float64Array, Float64Array];
  const [gx, gm] = g.index as [Int32Array, Int32Array];
  const w = g.weight;
  const weightByX = new Float64Array(xs.length);
  // Σ w (px−1) ln m̄ + px ln x needs Σ_w ln m̄ per x; both are data-only sums.
  const logMByX = new Float64Array(xs.length);
  const scaledM = ms.map((m) => m / valueScale);
  for (let i = 0; i < g.groups; i++) {
    const k = gx[i]!;
    weightByX[k] = weightByX[k]! + w[i]!;
    logMByX[k] = logMByX[k]! + w[i]! * Math.log(scaledM[gm[i]!]!);
  }
  return (p: number, q: number, v: number, grad?: Float64Array): number => {
    let ll = 0;
    let dp = 0;
    let dq = 0;
    let dv = 0;
    const lgQ = lgamma(q);
    const psiQ = grad ? digamma(q) : 0;
    const logV = Math.log(v);
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      const px = p * x;
      const wx = weightByX[k]!;
      const logX = Math.log(x);
      ll += wx * (lgamma(px + q) - lgamma(px) - lgQ + q * logV + px * logX) + (px - 1) * logMByX[k]!;
      if (grad) {
        const psiPxQ = digamma(px + q);
        dp += wx * x * (psiPxQ - digamma(px) + logX) + x * logMByX[k]!;
        dq += wx * (psiPxQ - psiQ + logV);
        dv += (wx * q) / v;
      }
    }
    for (let i = 0; i < g.groups; i++) {
      const x = xs[gx[i]!]!;
      const wi = w[i]!;
      const total = v + scaledM[gm[i]!]! * x;
      const logTotal = Math.log(total);
      const px = p * x;
      ll -= wi * (px + q) * logTotal;
      if (grad) {
        dp -= wi * x * logTotal;
        dq -= wi * logTotal;
        dv -= (wi * (px + q)) / total;
      }
    }
    if (grad) {
      grad[0] = dp * p;
      grad[1] = dq * q;
      grad[2] = dv * v;
    }
    return ll;
  };
};

export const gammaGammaTotalLogLikelihood = (
  g: GammaGammaParameters,
  data: readonly SpendObservation[] | SpendGroups,
): number => {
  const groups = Array.isArray(data) ? groupSpendObservations(data) : (data as SpendGroups);
  return makeLogLikelihood(groups, 1)(g.p, g.q, g.v);
};

export type SpendFallbackReason = 'too_few_repeat_buyers' | 'not_converged' | 'at_bound' | 'unbounded_mean_spend';

export interface GammaGammaFit extends GammaGammaParameters {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  fallback: boolean;
  fallbackReason: SpendFallbackReason | null;
  parameterSource: 'fit' | 'pooled' | 'default';
  estimate: GammaGammaParameters | null;
  customers: number;
  groups: number;
}

export interface GammaGammaFitOptions {
  /** Fewer repeat customers than this: no fit, fallback. Default 10. */
  minRepeatBuyers?: number;
  /** Parameters pooled across shops (same value unit), preferred on fallback. */
  pooled?: GammaGammaParameters;
  /**
   * A typical transaction value (same unit), for the default fallback when there is no pooled
   * fit: the CDNOW shape (p, q) with γ set so the population mean pγ/(q−1) equals it. Defaults
   * to the mean of the observed average values; without either, γ of the fallback is NaN.
   */
  typicalValue?: number;
}

const LOG_BOUNDS: readonly [number, number][] = [
  [Math.log(1e-4), Math.log(1e4)],
  [Math.log(1e-4), Math.log(1e4)],
  [Math.log(1e-8), Math.log(1e8)],
];

/**
 * Maximum-likelihood fit of the Gamma-Gamma model, like fitBgNbd: BFGS on log-parameters with
 * the analytic gradient from two starts, Nelder–Mead rescue, values rescaled to mean 1 while
 * fitting. Falls back (pooled, else CDNOW shape scaled to `typicalValue`) when there are too few
 * repeat customers, on non-convergence, at a bound, or when q ≤ 1 — the population mean spend
 * pγ/(q−1), which scores customers without repeat purchases, would then be infinite.
 */
export const fitGammaGamma = (
  data: readonly SpendObservation[] | SpendGroups,
  options: GammaGammaFitOptions = {},
): GammaGammaFit => {
  const { minRepeatBuyers = 10, pooled } = options;
  const groups = Array.isArray(data) ? groupSpendObservations(data) : (data as SpendGroups);
  const [xs, ms] = groups.distinct as [Float64Array, Float64Array];
  const [, gm] = groups.index as [Int32Array, Int32Array];
  let totalWeight = 0;
  let weightedM = 0;
  for (let i = 0; i < groups.groups; i++) {
    totalWeight += groups.weight[i]!;
    weightedM += groups.weight[i]! * ms[gm[i]!]!;
  }
  const meanValue = totalWeight > 0 ? weightedM / totalWeight : Number.NaN;
  const summary = { customers: groups.customers, groups: groups.groups };

  const fallbackTo = (
    reason: SpendFallbackReason,
    iterations: number,
    estimate: GammaGammaParameters | null,
  ): GammaGammaFit => {
    const typical = options.typicalValue ?? meanValue;
    const { p, q } = CDNOW_GAMMA_GAMMA_PUBLISHED_USD;
    const g = pooled ?? { p, q, v: (typical * (q - 1)) / p };
    const logLikelihood = groups.customers > 0 && Number.isFinite(g.v) ? gammaGammaTotalLogLikelihood(g, groups) : 0;
    return {
      ...g,
      logLikelihood,
      converged: false,
      iterations,
      fallback: true,
      fallbackReason: reason,
      parameterSource: pooled ? 'pooled' : 'default',
      estimate,
      ...summary,
    };
  };
  if (groups.customers < minRepeatBuyers || xs.length === 0) return fallbackTo('too_few_repeat_buyers', 0, null);

  const logLikelihood = makeLogLikelihood(groups, meanValue);
  const objective = (t: Float64Array, grad: Float64Array): number => {
    const ll = logLikelihood(Math.exp(t[0]!), Math.exp(t[1]!), Math.exp(t[2]!), grad);
    for (let i = 0; i < 3; i++) grad[i] = -grad[i]! / totalWeight;
    return -ll / totalWeight;
  };
  // Starts with population mean pγ/(q−1) = 1, the scaled mean of m̄.
  const start = (p: number, q: number) => [Math.log(p), Math.log(q), Math.log((q - 1) / p)];
  const {
    x: t,
    iterations,
    atBound,
    converged,
  } = minimizeInLogBounds(objective, LOG_BOUNDS, [start(1, 2), start(5, 4), start(20, 10)]);
  const estimate: GammaGammaParameters = { p: Math.exp(t[0]!), q: Math.exp(t[1]!), v: Math.exp(t[2]!) * meanValue };
  // A bound first: running into one usually also stalls the optimiser, and "at a bound" says why.
  if (atBound) return fallbackTo('at_bound', iterations, estimate);
  if (!converged) return fallbackTo('not_converged', iterations, estimate);
  if (!(estimate.q > 1)) return fallbackTo('unbounded_mean_spend', iterations, estimate);
  return {
    ...estimate,
    logLikelihood: gammaGammaTotalLogLikelihood(estimate, groups),
    converged: true,
    iterations,
    fallback: false,
    fallbackReason: null,
    parameterSource: 'fit',
    estimate,
    ...summary,
  };
};

/**
 * E[M | x, m̄]: a customer's expected value per transaction (Fader & Hardie 2013),
 *   (γ + m̄x) p / (px + q − 1) = w · pγ/(q−1) + (1 − w) · m̄,  w = (q−1)/(px+q−1),
 * a credibility-weighted mix of the population mean and the customer's own average: the more
 * repeat purchases, the more their own average counts. With x = 0 (or no average) it is the
 * population mean pγ/(q−1) (needs q > 1, which the fit guarantees outside fallback).
 */
export const expectedAverageValue = (
  g: GammaGammaParameters,
  frequency: number,
  averageValue: number | null,
): number => {
  const { p, q, v } = g;
  if (frequency === 0 || averageValue === null) return (p * v) / (q - 1);
  return ((v + averageValue * frequency) * p) / (p * frequency + q - 1);
};

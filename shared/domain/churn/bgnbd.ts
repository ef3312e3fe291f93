/**
 * The BG/NBD purchase model: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275–284.
 *
 * While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α) across customers;
 * after each repeat purchase they drop out for good with probability p ~ Beta(a, b). Per customer
 * we observe x repeat purchases (frequency), the time t_x of the last one (recency) and the time
 * T since the first purchase (age), all measured from the first purchase (see summary.ts).
 *
 * Units: r, a, b are unit-free; α is in the time unit of the data (α in days = 7 × α in weeks).
 * Formulas are the paper's, evaluated in log space; the conditional expectation (its eq. 10)
 * through a transformed hypergeometric function that stays finite (see purchasesIfAlive).
 */
import { minimizeInLogBounds } from './optimize';
import { groupRows, type Grouped } from './grouping';
import { digamma, hyp2f1, lgamma, logAddExp } from './special';
import { DAYS_PER_UNIT, type TimeUnit } from './summary';

export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
  timeUnit: TimeUnit;
}

/** x, t_x and T of one customer, in the time unit of the parameters they are used with. */
export interface BgNbdObservation {
  frequency: number;
  recency: number;
  age: number;
}

/**
 * The published CDNOW estimates (FHL 2005, §5; 2,357 customers, 39-week calibration, weeks):
 * r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4. Also the defaults for shops too small
 * to fit when no pooled parameters are given — a documented retail benchmark, not a claim about
 * any particular shop: a mean purchase rate r/α of one repeat purchase per 18 weeks, and a 25 %
 * average chance to drop out after each repeat purchase.
 */
export const CDNOW_BGNBD_PUBLISHED: BgNbdParameters = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, timeUnit: 'weeks' };
export const CDNOW_BGNBD_PUBLISHED_LOG_LIKELIHOOD = -9582.4;

/** The same model with α expressed in another time unit (only α carries a unit). */
export const inTimeUnit = (p: BgNbdParameters, timeUnit: TimeUnit): BgNbdParameters =>
  p.timeUnit === timeUnit
    ? p
    : { ...p, alpha: (p.alpha * DAYS_PER_UNIT[p.timeUnit]) / DAYS_PER_UNIT[timeUnit], timeUnit };

const checkObservation = (o: BgNbdObservation): void => {
  const { frequency: x, recency: tx, age: T } = o;
  if (!(Number.isInteger(x) && x >= 0 && Number.isFinite(T) && T >= 0 && tx >= 0 && tx <= T) || (x === 0 && tx !== 0)) {
    throw new RangeError(
      `Not a valid (frequency, recency, age): (${x}, ${tx}, ${T}); need integer x ≥ 0, 0 ≤ t_x ≤ T, t_x = 0 when x = 0`,
    );
  }
};

// ── likelihood ──────────────────────────────────────────────────────────────────────────

/**
 * ln L(r, α, a, b | x, t_x, T) for one customer (FHL 2005, §3):
 *   L = Γ(r+x) α^r / Γ(r) · B(a, b+x) / B(a, b) · [ (α+T)^−(r+x) + δ_{x>0} a/(b+x−1) (α+t_x)^−(r+x) ]
 * The bracket is summed in log space, so neither term under- or overflows for large x or T.
 */
export const bgNbdLogLikelihood = (p: BgNbdParameters, o: BgNbdObservation): number => {
  checkObservation(o);
  const { r, alpha, a, b } = p;
  const { frequency: x, recency: tx, age: T } = o;
  const head =
    lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const alive = -(r + x) * Math.log(alpha + T);
  const droppedOut = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return head + logAddExp(alive, droppedOut);
};

/** Observations grouped by identical (x, t_x, T): distinct[0] = x, distinct[1] = T, distinct[2] = t_x. */
export interface BgNbdGroups extends Grouped {
  customers: number;
  repeatBuyers: number;
}

export const groupBgNbdObservations = (observations: readonly BgNbdObservation[]): BgNbdGroups => {
  const n = observations.length;
  const x = new Float64Array(n);
  const T = new Float64Array(n);
  const tx = new Float64Array(n);
  let repeatBuyers = 0;
  for (let i = 0; i < n; i++) {
    const o = observations[i]!;
    checkObservation(o);
    x[i] = o.frequency;
    T[i] = o.age;
    tx[i] = o.recency;
    if (o.frequency > 0) repeatBuyers++;
  }
  return { ...groupRows([x, T, tx], n), customers: n, repeatBuyers };
};

/**
 * Σ weight × ln L over the groups, and its gradient with respect to (ln r, ln α, ln a, ln b),
 * for times divided by `timeScale` (α is then in those scaled units). The terms that depend on
 * x alone (the gamma and beta functions) are computed once per distinct x; ln(α+T) and
 * ln(α+t_x) once per distinct T and t_x. Customers without repeat purchases contribute
 * −r ln(α+T) only, so they are summed per distinct T; each repeat group costs one exp and one
 * log1p.
 */
const makeLogLikelihood = (g: BgNbdGroups, timeScale: number) => {
  const [xs, Ts, txs] = g.distinct as [Float64Array, Float64Array, Float64Array];
  const [gx, gT, gtx] = g.index as [Int32Array, Int32Array, Int32Array];
  const weightByX = new Float64Array(xs.length);
  const zeroWeightByT = new Float64Array(Ts.length);
  const repeat = { x: [] as number[], T: [] as number[], tx: [] as number[], w: [] as number[] };
  for (let i = 0; i < g.groups; i++) {
    const w = g.weight[i]!;
    weightByX[gx[i]!] = weightByX[gx[i]!]! + w;
    if (xs[gx[i]!] === 0) {
      zeroWeightByT[gT[i]!] = zeroWeightByT[gT[i]!]! + w;
    } else {
      repeat.x.push(gx[i]!);
      repeat.T.push(gT[i]!);
      repeat.tx.push(gtx[i]!);
      repeat.w.push(w);
    }
  }
  const rx = Int32Array.from(repeat.x);
  const rT = Int32Array.from(repeat.T);
  const rtx = Int32Array.from(repeat.tx);
  const rw = Float64Array.from(repeat.w);
  const scaledT = Ts.map((t) => t / timeScale);
  const scaledTx = txs.map((t) => t / timeScale);
  const logT = new Float64Array(Ts.length);
  const invT = new Float64Array(Ts.length);
  const logTx = new Float64Array(txs.length);
  const invTx = new Float64Array(txs.length);
  const nX = new Float64Array(xs.length);
  const logRatioX = new Float64Array(xs.length);
  const invBx = new Float64Array(xs.length);

  /** Returns Σ w ln L; writes ∂/∂(ln r, ln α, ln a, ln b) into `grad` when given. */
  return (r: number, alpha: number, a: number, b: number, grad?: Float64Array): number => {
    let ll = 0;
    let dr = 0;
    let dalpha = 0;
    let da = 0;
    let db = 0;
    let droppedShare = 0;
    for (let i = 0; i < Ts.length; i++) {
      const lT = Math.log(alpha + scaledT[i]!);
      const iT = 1 / (alpha + scaledT[i]!);
      logT[i] = lT;
      invT[i] = iT;
      const w0 = zeroWeightByT[i]!;
      if (w0 > 0) {
        ll -= w0 * r * lT;
        dr -= w0 * lT;
        dalpha -= w0 * r * iT;
      }
    }
    for (let i = 0; i < txs.length; i++) {
      logTx[i] = Math.log(alpha + scaledTx[i]!);
      invTx[i] = 1 / (alpha + scaledTx[i]!);
    }
    const logAlpha = Math.log(alpha);
    const lgR = lgamma(r);
    const lgAB = lgamma(a + b);
    const lgB = lgamma(b);
    const psiR = grad ? digamma(r) : 0;
    const psiAB = grad ? digamma(a + b) : 0;
    const psiB = grad ? digamma(b) : 0;
    const logA = Math.log(a);
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      const wx = weightByX[k]!;
      ll += wx * (lgamma(r + x) - lgR + r * logAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x));
      if (grad) {
        dr += wx * (digamma(r + x) - psiR + logAlpha);
        dalpha += (wx * r) / alpha;
        da += wx * (psiAB - digamma(a + b + x));
        db += wx * (psiAB - psiB + digamma(b + x) - digamma(a + b + x));
      }
      nX[k] = r + x;
      logRatioX[k] = x > 0 ? logA - Math.log(b + x - 1) : 0;
      invBx[k] = x > 0 ? 1 / (b + x - 1) : 0;
    }
    const groups = rw.length;
    for (let i = 0; i < groups; i++) {
      const k = rx[i]!;
      const wi = rw[i]!;
      const n = nX[k]!;
      const lT = logT[rT[i]!]!;
      const lTx = logTx[rtx[i]!]!;
      const alive = -n * lT;
      const dropped = logRatioX[k]! - n * lTx;
      // ln(e^alive + e^dropped) = max + log1p(e^−|alive−dropped|); `shareDropped` is the weight
      // of the "dropped out right after t_x" term in that sum.
      const d = alive - dropped;
      const e = Math.exp(-Math.abs(d));
      ll += wi * ((d > 0 ? alive : dropped) + Math.log1p(e));
      if (grad) {
        const shareDropped = d > 0 ? e / (1 + e) : 1 / (1 + e);
        const shareAlive = 1 - shareDropped;
        dr -= wi * (shareAlive * lT + shareDropped * lTx);
        dalpha -= wi * n * (shareAlive * invT[rT[i]!]! + shareDropped * invTx[rtx[i]!]!);
        const wd = wi * shareDropped;
        droppedShare += wd; // ∂/∂ln a of ln(a/(b+x−1)) is 1
        db -= wd * invBx[k]!;
      }
    }
    if (grad) {
      grad[0] = dr * r;
      grad[1] = dalpha * alpha;
      grad[2] = da * a + droppedShare;
      grad[3] = db * b;
    }
    return ll;
  };
};

/** Σ ln L over all customers (grouped or not). */
export const bgNbdTotalLogLikelihood = (
  p: BgNbdParameters,
  data: readonly BgNbdObservation[] | BgNbdGroups,
): number => {
  const groups = Array.isArray(data) ? groupBgNbdObservations(data) : (data as BgNbdGroups);
  return makeLogLikelihood(groups, 1)(p.r, p.alpha, p.a, p.b);
};

// ── estimation ──────────────────────────────────────────────────────────────────────────

export type FallbackReason = 'too_few_customers' | 'too_few_repeat_buyers' | 'not_converged' | 'at_bound';

export interface BgNbdFit extends BgNbdParameters {
  /** Σ ln L of the data at the returned parameters (in the data's time unit). */
  logLikelihood: number;
  converged: boolean;
  /** Optimiser iterations, all starts together. */
  iterations: number;
  /** True when the parameters are not this data's MLE but pooled or default ones. */
  fallback: boolean;
  fallbackReason: FallbackReason | null;
  parameterSource: 'fit' | 'pooled' | 'default';
  /** The MLE even when it was not used (not converged, at a bound), for diagnostics. */
  estimate: BgNbdParameters | null;
  customers: number;
  repeatBuyers: number;
  /** Distinct (x, t_x, T) — the work per likelihood evaluation. */
  groups: number;
}

export interface BgNbdFitOptions {
  /** The unit of recency and age in the data; α is reported in it. */
  timeUnit: TimeUnit;
  /** Fewer customers than this: no fit, fallback. Default 30. */
  minCustomers?: number;
  /** Fewer repeat buyers than this: no fit (a and b are not identified), fallback. Default 10. */
  minRepeatBuyers?: number;
  /** Parameters pooled across shops, preferred over the CDNOW defaults on fallback. */
  pooled?: BgNbdParameters;
}

/**
 * Bounds on (r, α in units of the mean age, a, b). Far outside anything a customer base shows;
 * an estimate that runs into one means the data cannot tell the parameter apart from the limit
 * (e.g. nobody seems to drop out), and the fit falls back rather than report it.
 */
const LOG_BOUNDS: readonly [number, number][] = [
  [Math.log(1e-4), Math.log(1e4)],
  [Math.log(1e-6), Math.log(1e6)],
  [Math.log(1e-4), Math.log(1e4)],
  [Math.log(1e-4), Math.log(1e4)],
];

/**
 * Maximum-likelihood fit of the BG/NBD model (`fitPurchaseModel` below), falling back to
 * `pooled` or the CDNOW estimates.
 */
export const fitBgNbd = (data: readonly BgNbdObservation[] | BgNbdGroups, options: BgNbdFitOptions): BgNbdFit =>
  fitPurchaseModel(data, options, {
    logLikelihood: makeLogLikelihood,
    total: bgNbdTotalLogLikelihood,
    defaults: CDNOW_BGNBD_PUBLISHED,
    starts: [
      [1, 1, 1],
      [0.25, 0.8, 2.5],
      [2, 0.3, 5],
    ],
  });

/** What `fitPurchaseModel` needs of a model with BG/NBD's parameters (r, α, a, b). */
export interface PurchaseLikelihood {
  /**
   * Σ weight × ln L over the groups for times divided by `timeScale`, and, when `grad` is given,
   * its gradient with respect to (ln r, ln α, ln a, ln b).
   */
  logLikelihood(
    groups: BgNbdGroups,
    timeScale: number,
  ): (r: number, alpha: number, a: number, b: number, grad?: Float64Array) => number;
  /** Σ ln L at parameters in the data's unit. */
  total(p: BgNbdParameters, groups: BgNbdGroups): number;
  /** The published parameters a fit falls back to. */
  defaults: BgNbdParameters;
  /** Three starting (r, a, b); α follows from the observed repeat rate. */
  starts: readonly [
    readonly [number, number, number],
    readonly [number, number, number],
    readonly [number, number, number],
  ];
}

/**
 * The maximum-likelihood fit BG/NBD and MBG/NBD share: BFGS on log-parameters with the analytic
 * gradient, from two starting points (three if they disagree), rescued by Nelder–Mead if none
 * converges (optimize.ts `minimizeInLogBounds`). Times are rescaled to a mean age of 1 while
 * fitting, so the same starting points and tolerances suit data in days or weeks.
 *
 * Falls back to `pooled` (or the model's published defaults, α converted to `timeUnit`) with
 * `fallback: true` and a reason when there are too few customers or repeat buyers, when no
 * start converges, or when the estimate sits on a bound.
 */
export const fitPurchaseModel = (
  data: readonly BgNbdObservation[] | BgNbdGroups,
  options: BgNbdFitOptions,
  model: PurchaseLikelihood,
): BgNbdFit => {
  const { timeUnit, minCustomers = 30, minRepeatBuyers = 10, pooled } = options;
  const groups = Array.isArray(data) ? groupBgNbdObservations(data) : (data as BgNbdGroups);
  const summary = { customers: groups.customers, repeatBuyers: groups.repeatBuyers, groups: groups.groups };

  const fallbackTo = (reason: FallbackReason, iterations: number, estimate: BgNbdParameters | null): BgNbdFit => {
    const source = pooled ? 'pooled' : 'default';
    const p = inTimeUnit(pooled ?? model.defaults, timeUnit);
    const logLikelihood = groups.customers > 0 ? model.total(p, groups) : 0;
    return {
      ...p,
      logLikelihood,
      converged: false,
      iterations,
      fallback: true,
      fallbackReason: reason,
      parameterSource: source,
      estimate,
      ...summary,
    };
  };
  if (groups.customers < minCustomers) return fallbackTo('too_few_customers', 0, null);
  if (groups.repeatBuyers < minRepeatBuyers) return fallbackTo('too_few_repeat_buyers', 0, null);

  const [xs, Ts] = groups.distinct as [Float64Array, Float64Array];
  const [gx, gT] = groups.index as [Int32Array, Int32Array];
  let totalWeight = 0;
  let weightedAge = 0;
  let weightedX = 0;
  for (let i = 0; i < groups.groups; i++) {
    totalWeight += groups.weight[i]!;
    weightedAge += groups.weight[i]! * Ts[gT[i]!]!;
    weightedX += groups.weight[i]! * xs[gx[i]!]!;
  }
  const timeScale = weightedAge > 0 ? weightedAge / totalWeight : 1;
  const logLikelihood = model.logLikelihood(groups, timeScale);
  const objective = (t: Float64Array, grad: Float64Array): number => {
    const ll = logLikelihood(Math.exp(t[0]!), Math.exp(t[1]!), Math.exp(t[2]!), Math.exp(t[3]!), grad);
    for (let i = 0; i < 4; i++) grad[i] = -grad[i]! / totalWeight;
    return -ll / totalWeight;
  };

  // Starting points: the observed repeat rate (per unit of mean age) fixes r/α, the mean λ.
  const rate = Math.max(weightedX / totalWeight, 1e-3);
  const start = ([r, a, b]: readonly [number, number, number]) => [
    Math.log(r),
    Math.log(r / rate),
    Math.log(a),
    Math.log(b),
  ];
  const {
    x: t,
    iterations,
    atBound,
    converged,
  } = minimizeInLogBounds(objective, LOG_BOUNDS, [
    start(model.starts[0]),
    start(model.starts[1]),
    start(model.starts[2]),
  ]);
  const estimate: BgNbdParameters = {
    r: Math.exp(t[0]!),
    alpha: Math.exp(t[1]!) * timeScale,
    a: Math.exp(t[2]!),
    b: Math.exp(t[3]!),
    timeUnit,
  };
  // A bound first: running into one usually also stalls the optimiser, and "at a bound" says why.
  if (atBound) return fallbackTo('at_bound', iterations, estimate);
  if (!converged) return fallbackTo('not_converged', iterations, estimate);
  return {
    ...estimate,
    logLikelihood: model.total(estimate, groups),
    converged: true,
    iterations,
    fallback: false,
    fallbackReason: null,
    parameterSource: 'fit',
    estimate,
    ...summary,
  };
};

// ── predictions ─────────────────────────────────────────────────────────────────────────

/**
 * P(alive | x, t_x, T) (FHL 2005; Hardie's note "Computing P(alive) using the BG/NBD model"):
 *   1 / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^(r+x)),
 * as a logistic of the log-odds of having dropped out, so it is exact at both ends.
 * With no repeat purchase a customer is alive for sure: the model lets customers drop out only
 * right after a repeat purchase.
 */
export const probabilityAlive = (p: BgNbdParameters, o: BgNbdObservation): number => {
  checkObservation(o);
  if (o.frequency === 0) return 1;
  return probabilityAliveUnchecked(p, o.frequency, o.recency, o.age);
};

/** probabilityAlive without input checks, for the scorer's inner loop. */
export const probabilityAliveUnchecked = (p: BgNbdParameters, x: number, tx: number, T: number): number => {
  if (x === 0) return 1;
  const logOddsDropped = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log1p((T - tx) / (p.alpha + tx));
  return 1 / (1 + Math.exp(logOddsDropped));
};

/** Distance from the removable singularities a = 1 and a+b+x−1 = 0 inside which we extrapolate. */
const SINGULAR_GAP = 1e-4;

/**
 * E[purchases in (T, T+t] | alive at T, x] — the part of FHL eq. 10 before division by the
 * P(alive) denominator. It depends on x and T but not on t_x, so a scorer can cache it.
 *
 * The paper writes it as (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z)]
 * with z = t/(α+T+t). That 2F1 grows like (1−z)^(a−1−r−x) as z → 1 and overflows for heavy
 * buyers (x in the hundreds), only to be multiplied by a vanishing power. Euler's transformation
 * 2F1(A,B;C;z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z) cancels the two analytically:
 *   I = C/ε · [1 − (1−z)^ε 2F1(a+b−1−r, ε; C; z)],   ε = a−1, C = a+b+x−1,
 * whose 2F1 has parameters independent of x (apart from C) and stays close to 1. It is
 * evaluated for z near 1 by analytic continuation (special.ts).
 *
 * I is analytic in a, but the formula has removable singularities at ε = 0 and C = 0 (0/0, with
 * a cancellation error ~1e-16/|ε| close by). Within SINGULAR_GAP of either, I is taken from
 * symmetric evaluations at a ± h and a ± 2h (h = 3·SINGULAR_GAP) combined to cancel the h² term
 * (Richardson): S(h) = (I(a−h) + I(a+h))/2 = I(a) + h²I''/2 + O(h⁴), I ≈ (4S(h) − S(2h))/3.
 * Error there ~1e-11 relative (checked against mpmath in the tests).
 */
export const purchasesIfAlive = (p: BgNbdParameters, x: number, T: number, t: number): number => {
  if (!(t > 0)) return 0;
  const { r, alpha, a, b } = p;
  const evaluate = (aa: number): number => {
    const eps = aa - 1;
    const C = aa + b + x - 1;
    const z = t / (alpha + T + t);
    const log1mz = -Math.log1p(t / (alpha + T));
    const F = hyp2f1(aa + b - 1 - r, eps, C, z);
    return (C / eps) * (1 - Math.exp(eps * log1mz) * F);
  };
  const nearSingular = (aa: number) => Math.abs(aa - 1) < SINGULAR_GAP || Math.abs(aa + b + x - 1) < SINGULAR_GAP;
  if (!nearSingular(a)) return evaluate(a);
  const h = 3 * SINGULAR_GAP;
  const symmetric = (d: number) => 0.5 * (evaluate(a - d) + evaluate(a + d));
  return (4 * symmetric(h) - symmetric(2 * h)) / 3;
};

/** E[X(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005, eq. 10). */
export const conditionalExpectedPurchases = (p: BgNbdParameters, o: BgNbdObservation, t: number): number => {
  checkObservation(o);
  return probabilityAliveUnchecked(p, o.frequency, o.recency, o.age) * purchasesIfAlive(p, o.frequency, o.age, t);
};

/**
 * E[X(t)] for a customer just acquired (FHL 2005, eq. 9): expected repeat purchases in (0, t].
 * The same function as above at x = 0, T = 0, where the customer is alive.
 */
export const expectedPurchases = (p: BgNbdParameters, t: number): number => purchasesIfAlive(p, 0, 0, t);

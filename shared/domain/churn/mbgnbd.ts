/**
 * The MBG/NBD purchase model: Batislam, Denizel & Filiztekin (2007), "Empirical validation and
 * comparison of models for customer base analysis", IJRM 24(3), 201–209.
 *
 * BG/NBD with one change: a customer may also drop out right after the first purchase, not only
 * after repeat ones. So a customer without a repeat purchase is no longer alive for sure however
 * long ago they bought (BG/NBD's "x = 0 means alive" artefact): their P(alive) falls with the
 * silence like everyone else's.
 *
 * Same parameters and units as BG/NBD (bgnbd.ts). Per customer (Batislam et al., eqs. 3–6):
 *   L        = Γ(r+x) α^r / Γ(r) · B(a, b+x+1) / B(a, b) · [ (α+T)^−(r+x) + a/(b+x) (α+t_x)^−(r+x) ]
 *   P(alive) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x))
 *   E[X(t) | x, t_x, T] = P(alive) · (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)]
 * with z = t/(α+T+t). The last factor is BG/NBD's E[X | alive] with b + 1 in place of b, which is
 * how it is computed (bgnbd.ts `purchasesIfAlive`, numerically stable for heavy buyers).
 *
 * Checked against the published CDNOW estimates of the BTYDplus package (weeks): r 0.525,
 * α 6.183, a 0.891, b 1.614 (test/unit/churn/mbgnbd.test.ts).
 */
import {
  groupBgNbdObservations,
  fitPurchaseModel,
  purchasesIfAlive as bgPurchasesIfAlive,
  type BgNbdFit,
  type BgNbdGroups,
  type BgNbdObservation,
  type BgNbdParameters,
} from './bgnbd';
import { digamma, lgamma, logAddExp } from './special';
import type { TimeUnit } from './summary';

/** BTYDplus's MBG/NBD estimates on the CDNOW cohort (2,357 customers, 39 weeks, weeks). */
export const CDNOW_MBGNBD_PUBLISHED: BgNbdParameters = {
  r: 0.525,
  alpha: 6.183,
  a: 0.891,
  b: 1.614,
  timeUnit: 'weeks',
};

/** ln L of one customer (formula above), the bracket summed in log space. */
export const mbgNbdLogLikelihood = (p: BgNbdParameters, o: BgNbdObservation): number => {
  const { r, alpha, a, b } = p;
  const { frequency: x, recency: tx, age: T } = o;
  const head =
    lgamma(r + x) -
    lgamma(r) +
    r * Math.log(alpha) +
    lgamma(a + b) +
    lgamma(b + x + 1) -
    lgamma(b) -
    lgamma(a + b + x + 1);
  return head + logAddExp(-(r + x) * Math.log(alpha + T), Math.log(a / (b + x)) - (r + x) * Math.log(alpha + tx));
};

/**
 * Σ weight × ln L over grouped observations, times divided by `timeScale`, and its gradient with
 * respect to (ln r, ln α, ln a, ln b) in `grad` when given. The gamma-function terms depend on x alone and
 * are computed once per distinct x, ln(α+T) and ln(α+t_x) once per distinct T and t_x; each group
 * then costs one exp and one log1p (the weights of the two bracket terms).
 */
const groupedLogLikelihood = (g: BgNbdGroups, timeScale: number) => {
  const [xs, Ts, txs] = g.distinct as [Float64Array, Float64Array, Float64Array];
  const [gx, gT, gtx] = g.index as [Int32Array, Int32Array, Int32Array];
  const scaledT = Ts.map((t) => t / timeScale);
  const scaledTx = txs.map((t) => t / timeScale);
  const logT = new Float64Array(Ts.length);
  const logTx = new Float64Array(txs.length);
  const headX = new Float64Array(xs.length);
  const dHead = [xs.map(() => 0), xs.map(() => 0), xs.map(() => 0)] as Float64Array[];
  return (r: number, alpha: number, a: number, b: number, grad?: Float64Array): number => {
    for (let k = 0; k < Ts.length; k++) logT[k] = Math.log(alpha + scaledT[k]!);
    for (let k = 0; k < txs.length; k++) logTx[k] = Math.log(alpha + scaledTx[k]!);
    const constant = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      headX[k] = lgamma(r + x) + lgamma(b + x + 1) - lgamma(a + b + x + 1);
      if (grad) {
        dHead[0]![k] = digamma(r + x);
        dHead[1]![k] = -digamma(a + b + x + 1);
        dHead[2]![k] = digamma(b + x + 1) - digamma(a + b + x + 1);
      }
    }
    let total = 0;
    let gr = 0;
    let galpha = 0;
    let ga = 0;
    let gb = 0;
    let weight = 0;
    for (let i = 0; i < g.groups; i++) {
      const w = g.weight[i]!;
      const x = xs[gx[i]!]!;
      const lT = logT[gT[i]!]!;
      const lTx = logTx[gtx[i]!]!;
      // Bracket: e^A + e^B, A = −(r+x) ln(α+T) (alive), B = ln(a/(b+x)) − (r+x) ln(α+t_x) (dropped out).
      const A = -(r + x) * lT;
      const B = Math.log(a / (b + x)) - (r + x) * lTx;
      const bracket = logAddExp(A, B);
      total += w * (headX[gx[i]!]! + bracket);
      weight += w;
      if (grad) {
        const wB = Math.exp(B - bracket);
        const wA = 1 - wB;
        const X = gx[i]!;
        gr += w * (dHead[0]![X]! - wA * lT - wB * lTx);
        galpha += w * (-(r + x) * (wA / (alpha + scaledT[gT[i]!]!) + wB / (alpha + scaledTx[gtx[i]!]!)));
        ga += w * (dHead[1]![X]! + wB / a);
        gb += w * (dHead[2]![X]! - wB / (b + x));
      }
    }
    if (grad) {
      // With respect to the log-parameters: d/d ln θ = θ · d/dθ.
      grad[0] = r * (gr + weight * (-digamma(r) + Math.log(alpha)));
      grad[1] = alpha * galpha + weight * r;
      grad[2] = a * (ga + weight * digamma(a + b));
      grad[3] = b * (gb + weight * (digamma(a + b) - digamma(b)));
    }
    return total + weight * constant;
  };
};

export const mbgNbdTotalLogLikelihood = (p: BgNbdParameters, data: readonly BgNbdObservation[] | BgNbdGroups) => {
  const groups = Array.isArray(data) ? groupBgNbdObservations(data) : (data as BgNbdGroups);
  return groupedLogLikelihood(groups, 1)(p.r, p.alpha, p.a, p.b);
};

export interface MbgNbdFitOptions {
  timeUnit: TimeUnit;
  /** Fewer customers than this: no fit, fallback. Default 30. */
  minCustomers?: number;
  /** Fewer repeat buyers than this: no fit, fallback. Default 10. */
  minRepeatBuyers?: number;
}

/**
 * Maximum-likelihood fit with the driver BG/NBD uses (bgnbd.ts `fitPurchaseModel`: BFGS on
 * log-parameters, the analytic gradient, rescue and bound checks). Falls back to the CDNOW
 * estimates above, α in `timeUnit`, with a reason.
 */
export const fitMbgNbd = (data: readonly BgNbdObservation[] | BgNbdGroups, options: MbgNbdFitOptions): BgNbdFit =>
  fitPurchaseModel(data, options, {
    logLikelihood: groupedLogLikelihood,
    total: mbgNbdTotalLogLikelihood,
    defaults: CDNOW_MBGNBD_PUBLISHED,
    starts: [
      [1, 1, 1],
      [0.5, 0.9, 1.6],
      [2, 0.3, 5],
    ],
  });

/** P(alive | x, t_x, T): below 1 also for customers without a repeat purchase. */
export const mbgProbabilityAlive = (p: BgNbdParameters, x: number, tx: number, T: number): number => {
  const logOddsDropped = Math.log(p.a / (p.b + x)) + (p.r + x) * Math.log1p((T - tx) / (p.alpha + tx));
  return 1 / (1 + Math.exp(logOddsDropped));
};

/** E[purchases in (T, T+t] | alive at T, x]: BG/NBD's with b + 1 (see the file comment). */
export const mbgPurchasesIfAlive = (p: BgNbdParameters, x: number, T: number, t: number): number =>
  bgPurchasesIfAlive({ ...p, b: p.b + 1 }, x, T, t);

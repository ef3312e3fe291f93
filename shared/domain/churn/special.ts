/**
 * Special functions the churn models need: log-gamma, digamma, log-beta and the Gauss
 * hypergeometric function 2F1. Plain double-precision TypeScript, no dependencies.
 *
 * Accuracy (checked in test/unit/churn/special.test.ts):
 * - lgamma: relative error ≲ 1e-14 for x > 0, including near its zeros at 1 and 2 (a Taylor
 *   series is used there, because "shift and subtract" would lose all relative accuracy).
 * - digamma: absolute error ≲ 1e-14; it only feeds gradients.
 * - hyp2f1: relative error ≲ 1e-12 for z in (−∞, 1), also for z a hair below 1.
 */

const EULER_GAMMA = 0.5772156649015329;
const HALF_LOG_TWO_PI = 0.9189385332046728;

/**
 * ζ(k) for k = 2..24 by Euler–Maclaurin summation with N = 12 and six Bernoulli terms
 * (truncation error < 1e-16 for every k here). Computed once rather than typed in, so there is
 * no table of magic digits to get wrong.
 */
const zetaTable: number[] = (() => {
  const bernoulli = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730];
  const N = 12;
  const out: number[] = [];
  for (let s = 2; s <= 24; s++) {
    let sum = 0;
    for (let n = N - 1; n >= 1; n--) sum += n ** -s;
    sum += N ** (1 - s) / (s - 1) + 0.5 * N ** -s;
    // Σ_j B_2j/(2j)! · s(s+1)…(s+2j−2) · N^(−s−2j+1)
    let rising = s; // s(s+1)…(s+2j−2) for j = 1
    let factorial = 2; // (2j)!
    for (let j = 1; j <= bernoulli.length; j++) {
      sum += (bernoulli[j - 1]! / factorial) * rising * N ** (-s - 2 * j + 1);
      rising *= (s + 2 * j - 1) * (s + 2 * j);
      factorial *= (2 * j + 1) * (2 * j + 2);
    }
    out[s] = sum;
  }
  return out;
})();

/** ln Γ(1+ε) = −γε + Σ_{k≥2} (−1)^k ζ(k) ε^k / k, for |ε| ≤ 0.2 (terms fall below 1e-17·|ε| by k = 24). */
const lgammaOnePlus = (eps: number): number => {
  let sum = 0;
  let power = -eps; // (−ε)^k, starting from k = 1
  for (let k = 2; k <= 24; k++) {
    power *= -eps;
    sum += (zetaTable[k]! * power) / k;
  }
  return -EULER_GAMMA * eps + sum;
};

/** Stirling's series for ln Γ(x), x ≥ 10: the first omitted term is below 3e-17. */
const lgammaStirling = (x: number): number => {
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 +
          inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 * (1 / 156)))))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
};

/**
 * ln |Γ(x)|. For x > 0: a Taylor series around 1 and 2 (where ln Γ vanishes), otherwise
 * Stirling's series after shifting x up to ≥ 10 with Γ(x) = Γ(x+n) / (x(x+1)…(x+n−1)).
 * Negative non-integers use the reflection formula; poles (0, −1, −2, …) give +∞.
 */
export const lgamma = (x: number): number => {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    // Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (Math.abs(x - 1) <= 0.2) return lgammaOnePlus(x - 1);
  if (Math.abs(x - 2) <= 0.2) return lgammaOnePlus(x - 2) + Math.log1p(x - 2);
  if (x >= 10) return lgammaStirling(x);
  let product = 1;
  let y = x;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  return lgammaStirling(y) - Math.log(product);
};

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), for a, b > 0. */
export const logBeta = (a: number, b: number): number => lgamma(a) + lgamma(b) - lgamma(a + b);

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: shift up to x ≥ 10 with ψ(x) = ψ(x+1) − 1/x, then the
 * asymptotic series ln x − 1/(2x) − Σ B_2k / (2k x^2k).
 */
export const digamma = (x: number): number => {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  let y = x;
  while (y < 10) {
    shift -= 1 / y;
    y += 1;
  }
  const inv2 = 1 / (y * y);
  const series =
    inv2 *
    (1 / 12 -
      inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return shift + Math.log(y) - 0.5 / y - series;
};

/** ln(e^u + e^v) without overflow or underflow. */
export const logAddExp = (u: number, v: number): number => {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
};

// ── Gauss hypergeometric function ───────────────────────────────────────────────────────

/** Relative size below which a term no longer changes a double-precision sum. */
const TERM_EPS = 1e-17;
const MAX_SERIES_TERMS = 20_000;
/** Terms the defining series may take for 1/2 < z < 1 before we switch to continuation. */
const DIRECT_SERIES_BUDGET = 2_000;
/** A series whose largest term exceeds its sum this much has cancelled too many digits. */
const MAX_CANCELLATION = 1e4;
const MAX_TAYLOR_TERMS = 2_000;

/** A non-positive integer n, or undefined: (n)_k vanishes for k > −n, which ends a series. */
const nonPositiveInteger = (v: number): number | undefined => (v <= 0 && Number.isInteger(v) ? v : undefined);

interface SeriesSum {
  value: number;
  slope: number;
  /** Converged within the budget without cancelling more than MAX_CANCELLATION. */
  reliable: boolean;
}

/**
 * Upper bound of the term ratio |t_{j+1}/t_j| = |z| (a+j)(b+j) / ((c+j)(j+1)) over all j ≥ k, or
 * Infinity where no simple bound holds. Writing the ratio as |z|·(1 + (a−1)/(j+1))·(1 + (b−c)/(c+j)),
 * once j > −a, −b, −c every factor is positive and each bracket is monotone in j, so it is at
 * most its value at j = k if it decreases and 1 if it increases.
 */
const tailRatioBound = (a: number, b: number, c: number, z: number, k: number): number => {
  if (!(k > -a && k > -b && k > -c)) return Infinity;
  const first = 1 + (a - 1) / (k + 1);
  const second = 1 + (b - c) / (c + k);
  return Math.abs(z) * Math.max(first, 1) * Math.max(second, 1);
};

/**
 * The defining series Σ (a)_k (b)_k / ((c)_k k!) z^k and its derivative. Summation stops when
 * the whole remaining tail, bounded by a geometric series (tailRatioBound), is negligible — not
 * merely the current term, which can be tiny while later ones grow (b ≈ 0, a ≫ c).
 * `value` is NaN if that does not happen within `maxTerms`.
 */
const hyp2f1Series = (a: number, b: number, c: number, z: number, maxTerms = MAX_SERIES_TERMS): SeriesSum => {
  let term = 1;
  let value = 1;
  let slope = 0;
  let largest = 1;
  for (let k = 0; k < maxTerms; k++) {
    const ratio = ((a + k) * (b + k)) / ((c + k) * (k + 1));
    const next = term * ratio * z;
    // F'(z) = Σ (k+1)·t_{k+1}/z, and t_{k+1}/z = t_k·ratio: no division by z.
    slope += term * ratio * (k + 1);
    value += next;
    term = next;
    largest = Math.max(largest, Math.abs(term));
    if (term === 0 || Math.abs(term) <= TERM_EPS * Math.abs(value)) {
      const bound = term === 0 ? 0 : tailRatioBound(a, b, c, z, k + 1);
      // The derivative's tail decays like k·t_k; with a ratio bound below 1 it is small as well.
      if (bound < 1 && Math.abs(term) * (bound / (1 - bound)) * (k + 2) <= TERM_EPS * Math.abs(value)) {
        return { value, slope, reliable: largest <= MAX_CANCELLATION * Math.abs(value) };
      }
    }
  }
  return { value: Number.NaN, slope: Number.NaN, reliable: false };
};

/**
 * Analytic continuation of 2F1 from z0 to z (z0 < z < 1) along the real axis, by re-expanding
 * the solution of the hypergeometric equation z(1−z)F'' + [c − (a+b+1)z]F' − abF = 0 as a Taylor
 * series around each point (coefficients by the three-term recurrence the equation gives).
 *
 * Why this rather than the classical z → 1−z connection formula: that formula has poles whenever
 * c−a−b is an integer and loses accuracy near those integers, which the BG/NBD parameters can
 * reach. Stepping the ODE needs no special cases.
 *
 * Step size: the series around z0 converges for |w| < 1 − z0, but rounding errors inevitably mix
 * in a little of the equation's other solutions, which behave like z^(1−c) and (1−z)^(c−a−b);
 * their Taylor terms over a step of ρ(1−z0) grow to about (1−ρ)^−m with m the larger of
 * |1−c| and |c−a−b|, and cancel in the sum. ρ = min(½, 4/(m+1)) keeps that growth below e^4 ≈ 55,
 * so each step costs at most two digits' worth of rounding, not all of them. (Large m goes with
 * a quickly converging defining series, which hyp2f1 then uses instead.)
 * Cost: about ln(0.5/(1−z)) / ρ steps of a few dozen terms each.
 */
const continueTowardsOne = (a: number, b: number, c: number, z0: number, start: SeriesSum, z: number): number => {
  const m = Math.max(Math.abs(1 - c), Math.abs(c - a - b));
  const rho = Math.min(0.5, 4 / (m + 1));
  let x0 = z0;
  let value = start.value;
  let slope = start.slope;
  const apb1 = a + b + 1;
  while (x0 < z) {
    // The next point first, then the step as an exact difference (Sterbenz: both in [½, 1]), so
    // that x0 + h lands exactly on it. Otherwise each step would drift by an ulp of x0, which is
    // a relative error of 1e-16/(1−z) in F once F varies on the scale of 1−z.
    const next = Math.min(z, x0 + rho * (1 - x0));
    const h = next - x0;
    const p = x0 * (1 - x0);
    const q0 = c - apb1 * x0;
    const q1 = 1 - 2 * x0;
    // g_k = f_k h^k, with f_k the Taylor coefficients around x0; g_0 = F, g_1 = F'·h.
    let gPrev = value;
    let g = slope * h;
    let nextValue = gPrev + g;
    let nextSlope = g / h;
    let small = 0;
    let k = 0;
    for (; k < MAX_TAYLOR_TERMS; k++) {
      // f_{k+2} = [(k+a)(k+b) f_k − (q1·k + q0)(k+1) f_{k+1}] / [p (k+1)(k+2)]
      const gNext = (((k + a) * (k + b) * gPrev * h - (q1 * k + q0) * (k + 1) * g) * h) / (p * (k + 1) * (k + 2));
      nextValue += gNext;
      nextSlope += ((k + 2) * gNext) / h;
      gPrev = g;
      g = gNext;
      const scale = Math.abs(nextValue) + Math.abs(nextSlope) * h;
      small = Math.abs(g) <= TERM_EPS * scale && Math.abs(gPrev) <= TERM_EPS * scale * 4 ? small + 1 : 0;
      if (small >= 2) break;
    }
    if (k === MAX_TAYLOR_TERMS || !Number.isFinite(nextValue)) return Number.NaN;
    value = nextValue;
    slope = nextSlope;
    x0 = next;
  }
  return value;
};

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c and real z < 1.
 *
 * - z = 0, a = 0 or b = 0: 1.
 * - a or b a non-positive integer: the terminating series (a polynomial), any z < 1.
 * - 0 < z ≤ 1/2: the defining series with a convergence check.
 * - 1/2 < z < 1: the defining series if it converges within DIRECT_SERIES_BUDGET terms without
 *   cancellation (it does quickly when c−a−b is large — in the BG/NBD, heavy buyers); otherwise
 *   the series at z = 1/2 and analytic continuation along the real axis (continueTowardsOne).
 *   This is what keeps the BG/NBD conditional expectation accurate when z = t/(α+T+t)
 *   approaches 1 (young customers, long horizons, small α).
 * - z < 0: Pfaff's transformation 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)), which
 *   maps z onto (0, 1).
 *
 * NaN for z ≥ 1 (the function may diverge there), for c a non-positive integer (unless the
 * series terminates first) and if no method converges.
 */
export const hyp2f1 = (a: number, b: number, c: number, z: number): number => {
  if ([a, b, c, z].some((v) => Number.isNaN(v)) || !(z < 1)) return Number.NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  const na = nonPositiveInteger(a);
  const nb = nonPositiveInteger(b);
  const nc = nonPositiveInteger(c);
  const terminatesAt = Math.max(na ?? -Infinity, nb ?? -Infinity); // the less negative one ends the series first
  if (nc !== undefined && !(terminatesAt >= nc)) return Number.NaN;
  if (terminatesAt > -Infinity) return hyp2f1Series(a, b, c, z).value;
  if (z < 0) return (1 - z) ** -a * hyp2f1(a, c - b, c, z / (z - 1));
  if (z <= 0.5) return hyp2f1Series(a, b, c, z).value;
  const direct = hyp2f1Series(a, b, c, z, DIRECT_SERIES_BUDGET);
  if (direct.reliable) return direct.value;
  const start = hyp2f1Series(a, b, c, 0.5);
  if (!Number.isFinite(start.value)) return Number.NaN;
  return continueTowardsOne(a, b, c, 0.5, start, z);
};

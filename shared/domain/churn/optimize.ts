/**
 * Small unconstrained minimisers for the model fits (4 parameters at most), written here so the
 * domain needs no numerical library.
 *
 * The fits minimise a negative mean log-likelihood over log-parameters, with the analytic
 * gradient: quasi-Newton (BFGS) then converges in a few dozen evaluations, where Nelder–Mead
 * needs hundreds — and an evaluation over 100k customers is the expensive part. Nelder–Mead is
 * kept as the rescue for when BFGS stalls (a poor start, a flat or kinked region).
 *
 * The objective may return +∞ or NaN outside the region it accepts (the parameter bounds):
 * BFGS backtracks and Nelder–Mead shrinks away from such points.
 */

/** Objective value and gradient at x; `gradient` is written into (length n). */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;
export type Objective = (x: Float64Array) => number;

export interface Minimum {
  x: Float64Array;
  value: number;
  /** Largest absolute gradient component at x (NaN for Nelder–Mead). */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** Met the gradient tolerance (BFGS) or the simplex tolerance (Nelder–Mead). */
  converged: boolean;
}

export interface BfgsOptions {
  /** Converged when max |∂f/∂x_i| ≤ this. */
  gradientTolerance: number;
  maxIterations: number;
  /** Largest change of any coordinate in one step; keeps a step in log-space within e^±maxStep. */
  maxStep: number;
}

const maxAbs = (v: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return v.some((e) => Number.isNaN(e)) ? Number.NaN : m;
};

const dot = (u: Float64Array, v: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
};

/**
 * BFGS with an inverse-Hessian update and a backtracking (Armijo) line search. The update is
 * skipped when the curvature condition sᵀy > 0 fails, which keeps the inverse Hessian positive
 * definite; after a failed line search the inverse Hessian is reset to the identity once before
 * giving up.
 */
export const minimizeBfgs = (
  f: ObjectiveWithGradient,
  start: ArrayLike<number>,
  options: Partial<BfgsOptions> = {},
): Minimum => {
  const { gradientTolerance = 1e-8, maxIterations = 200, maxStep = 2 } = options;
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const H = new Float64Array(n * n);
  const resetH = () => {
    H.fill(0);
    // A first step of length ≈ 1/|g| in the steepest-descent direction, capped by maxStep.
    const scale = Math.min(1, 1 / Math.max(maxAbs(g), 1e-12));
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  if (!Number.isFinite(fx) || !Number.isFinite(maxAbs(g))) {
    return { x, value: fx, gradientNorm: Number.NaN, iterations: 0, evaluations, converged: false };
  }
  resetH();
  const direction = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let freshH = true;
  let stalled = 0;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(g) <= gradientTolerance) break;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d -= H[i * n + j]! * g[j]!;
      direction[i] = d;
    }
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): fall back to steepest descent.
      resetH();
      for (let i = 0; i < n; i++) direction[i] = -H[i * n + i]! * g[i]!;
      slope = dot(direction, g);
      freshH = true;
    }
    const longest = maxAbs(direction);
    let step = longest > maxStep ? maxStep / longest : 1;
    let accepted = false;
    let fNew = Number.NaN;
    // Halve the step until the Armijo condition holds, but not below a step that moves no
    // coordinate by more than 1e-10: past that, differences in f are rounding noise.
    while (step * longest >= 1e-10) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * direction[i]!;
      fNew = f(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope && Number.isFinite(maxAbs(gNew))) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease along the quasi-Newton direction. Close to a minimum that is rounding, not a
      // bad direction: stop. Otherwise retry once along steepest descent.
      if (freshH || maxAbs(g) <= 100 * gradientTolerance) break;
      resetH();
      freshH = true;
      continue;
    }
    freshH = false;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, with ρ = 1 / sᵀy
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
        Hy[i] = v;
      }
      const yHy = dot(y, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] =
            H[i * n + j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
    }
    const previous = fx;
    [x, g, gNew] = [Float64Array.from(xNew), gNew, g];
    fx = fNew;
    // Progress at the level of rounding for a few steps in a row: nothing more to gain, the
    // gradient tolerance was tighter than the objective's precision allows.
    stalled = Math.abs(previous - fx) <= 1e-14 * Math.max(1, Math.abs(fx)) ? stalled + 1 : 0;
    if (stalled >= 3) break;
  }
  const gradientNorm = maxAbs(g);
  return { x, value: fx, gradientNorm, iterations, evaluations, converged: gradientNorm <= gradientTolerance };
};

export interface NelderMeadOptions {
  /** Initial simplex edge along each coordinate. */
  initialStep: number;
  /** Converged when the simplex values differ by at most this and its vertices by at most xTolerance. */
  valueTolerance: number;
  xTolerance: number;
  maxEvaluations: number;
}

/** Nelder–Mead with the standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½). */
export const minimizeNelderMead = (
  f: Objective,
  start: ArrayLike<number>,
  options: Partial<NelderMeadOptions> = {},
): Minimum => {
  const { initialStep = 0.5, valueTolerance = 1e-12, xTolerance = 1e-9, maxEvaluations = 4000 } = options;
  const n = start.length;
  const safe = (x: Float64Array) => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const points: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(start);
    p[i] = p[i]! + initialStep;
    points.push(p);
  }
  let values = points.map(safe);
  let evaluations = n + 1;
  let iterations = 0;
  const order = () => {
    const idx = points.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    const p = idx.map((i) => points[i]!);
    const v = idx.map((i) => values[i]!);
    points.splice(0, points.length, ...p);
    values = v;
  };
  const along = (from: Float64Array, to: Float64Array, t: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = from[i]! + t * (to[i]! - from[i]!);
    return out;
  };
  let converged = false;
  while (evaluations < maxEvaluations) {
    order();
    const spread = values[n]! - values[0]!;
    let size = 0;
    for (let k = 1; k <= n; k++)
      for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(points[k]![i]! - points[0]![i]!));
    if (spread <= valueTolerance * Math.max(1, Math.abs(values[0]!)) && size <= xTolerance) {
      converged = Number.isFinite(values[0]!);
      break;
    }
    iterations++;
    const centroid = new Float64Array(n);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] = centroid[i]! + points[k]![i]! / n;
    const worst = points[n]!;
    const reflected = along(centroid, worst, -1);
    const fr = safe(reflected);
    evaluations++;
    if (fr < values[0]!) {
      const expanded = along(centroid, worst, -2);
      const fe = safe(expanded);
      evaluations++;
      [points[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [points[n], values[n]] = [reflected, fr];
    } else {
      const outside = fr < values[n]!;
      const contracted = along(centroid, worst, outside ? -0.5 : 0.5);
      const fc = safe(contracted);
      evaluations++;
      if (fc < (outside ? fr : values[n]!)) {
        [points[n], values[n]] = [contracted, fc];
      } else {
        for (let k = 1; k <= n; k++) {
          points[k] = along(points[0]!, points[k]!, 0.5);
          values[k] = safe(points[k]!);
          evaluations++;
        }
      }
    }
  }
  order();
  return { x: points[0]!, value: values[0]!, gradientNorm: Number.NaN, iterations, evaluations, converged };
};

export interface LogSpaceFit {
  x: Float64Array;
  value: number;
  iterations: number;
  /** An estimate within a margin of a bound: the data cannot tell it from the limit. */
  atBound: boolean;
  /** Finite and met the acceptance gradient. */
  converged: boolean;
}

/** Largest gradient of the mean log-likelihood (per customer) accepted as converged. */
const acceptGradient = 1e-6;
const atBoundMargin = 0.01;

/**
 * The fitting strategy both models share: minimise over log-parameters within bounds from two
 * starts, try a third when they disagree or neither converged, rescue a stalled best with
 * Nelder–Mead and polish it with BFGS, then report whether the estimate sits on a bound.
 */
export const minimizeInLogBounds = (
  f: ObjectiveWithGradient,
  bounds: readonly (readonly [number, number])[],
  starts: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
): LogSpaceFit => {
  const inBounds = (t: Float64Array) => t.every((v, i) => v >= bounds[i]![0] && v <= bounds[i]![1]);
  const bounded: ObjectiveWithGradient = (t, grad) => (inBounds(t) ? f(t, grad) : Infinity);
  const runs: Minimum[] = [];
  const bfgs = (x0: ArrayLike<number>) => {
    const m = minimizeBfgs(bounded, x0, { gradientTolerance: 1e-9, maxIterations: 300 });
    runs.push(m);
    return m;
  };
  bfgs(starts[0]);
  bfgs(starts[1]);
  const agree = Math.abs(runs[0]!.value - runs[1]!.value) <= 1e-9 * Math.abs(runs[0]!.value);
  if (!agree || !runs.some((m) => m.gradientNorm <= acceptGradient)) bfgs(starts[2]);
  let best = runs.reduce((m, c) => (c.value < m.value || Number.isNaN(m.value) ? c : m));
  if (!(best.gradientNorm <= acceptGradient)) {
    const rescue = minimizeNelderMead((t) => bounded(t, new Float64Array(t.length)), best.x, {
      initialStep: 0.3,
      maxEvaluations: 3000,
    });
    runs.push(rescue);
    const polished = bfgs(rescue.x);
    if (polished.value <= best.value) best = polished;
  }
  const t = best.x;
  return {
    x: t,
    value: best.value,
    iterations: runs.reduce((s, m) => s + m.iterations, 0),
    atBound: bounds.some(([lo, hi], i) => t[i]! - lo < atBoundMargin || hi - t[i]! < atBoundMargin),
    converged: Number.isFinite(best.value) && best.gradientNorm <= acceptGradient,
  };
};

import { describe, expect, it } from 'vitest';
import { minimizeBfgs, minimizeNelderMead } from '../../../shared/domain/churn/optimize';

/** Rosenbrock's banana: minimum 0 at (1, 1), a curved narrow valley that defeats naive descent. */
const rosenbrock = (x: Float64Array, g?: Float64Array): number => {
  const [a, b] = [x[0]!, x[1]!];
  if (g) {
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
  }
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe('optimisers', () => {
  it('BFGS finds the Rosenbrock minimum from the classic start', () => {
    const m = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-10 });
    expect(m.converged).toBe(true);
    expect(Math.abs(m.x[0]! - 1)).toBeLessThan(1e-8);
    expect(Math.abs(m.x[1]! - 1)).toBeLessThan(1e-8);
    expect(m.evaluations).toBeLessThan(200);
  });

  it('Nelder–Mead finds it without gradients', () => {
    const m = minimizeNelderMead((x) => rosenbrock(x), [-1.2, 1], { xTolerance: 1e-10, valueTolerance: 1e-20 });
    expect(m.converged).toBe(true);
    expect(Math.abs(m.x[0]! - 1)).toBeLessThan(1e-6);
  });

  it('treats +∞ as outside the feasible region and stays inside', () => {
    // Minimise (x − 3)² subject to x ≤ 2 (∞ beyond): the best point is the bound.
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0]! - 3);
      return x[0]! > 2 ? Infinity : (x[0]! - 3) ** 2;
    };
    const m = minimizeBfgs(f, [0]);
    expect(m.x[0]!).toBeLessThanOrEqual(2);
    expect(m.x[0]!).toBeGreaterThan(1.99);
    expect(m.converged).toBe(false); // the gradient does not vanish at a bound
  });
});

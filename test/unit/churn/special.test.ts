import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digamma, hyp2f1, lgamma, logAddExp, logBeta } from '../../../shared/domain/churn/special';

const EULER_GAMMA = 0.5772156649015329;

/** |actual − expected| ≤ tol · max(1, |expected|)… or relative when asked. */
const relErr = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** The defining series, summed naively with many terms: an independent reference for |z| ≤ 0.9. */
const naiveSeries = (a: number, b: number, c: number, z: number, terms = 4000): number => {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < terms; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
  }
  return sum;
};

describe('lgamma', () => {
  it.each([
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [2.5, Math.log((3 * Math.sqrt(Math.PI)) / 4)],
    [1, 0],
    [2, 0],
    [3, Math.log(2)],
    [10, Math.log(362880)],
    // Reference values: Abramowitz & Stegun tables / Γ(1.1) = 0.95135076986687318, Γ(0.1) = 9.5135076986687318.
    [1.1, Math.log(0.9513507698668732)],
    [0.1, Math.log(9.513507698668732)],
    [100, 359.1342053695754], // ln 99!
    [-0.5, Math.log(2 * Math.sqrt(Math.PI))], // Γ(−1/2) = −2√π
  ])('lgamma(%s)', (x, expected) => {
    const got = lgamma(x);
    if (expected === 0) expect(got).toBe(0);
    else expect(relErr(got, expected)).toBeLessThan(1e-13);
  });

  it('keeps relative accuracy next to its zeros at 1 and 2', () => {
    // ln Γ(1+ε) ≈ −γε + (π²/12)ε²; ln Γ(2+ε) ≈ (1−γ)ε + (π²/12 − 1/2)ε²
    for (const step of [1e-3, -1e-3, 1e-6, -1e-7, 1e-10]) {
      // The ε actually represented: 1 + step rounds, (1 + step) − 1 is then exact.
      const [x1, x2] = [1 + step, 2 + step];
      const [e1, e2] = [x1 - 1, x2 - 2];
      const one = -EULER_GAMMA * e1 + ((Math.PI * Math.PI) / 12) * e1 * e1;
      const two = (1 - EULER_GAMMA) * e2 + ((Math.PI * Math.PI) / 12 - 0.5) * e2 * e2;
      const tol = Math.abs(step) > 1e-4 ? 2e-6 : 1e-9; // the omitted ε³ term
      expect(relErr(lgamma(x1), one)).toBeLessThan(tol);
      expect(relErr(lgamma(x2), two)).toBeLessThan(tol);
    }
  });

  it('is ln(n−1)! at the integers', () => {
    let logFactorial = 0;
    for (let n = 3; n <= 60; n++) {
      logFactorial += Math.log(n - 1);
      expect(relErr(lgamma(n), logFactorial)).toBeLessThan(1e-14);
    }
  });

  it('satisfies ln Γ(x+1) = ln Γ(x) + ln x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 200, noNaN: true }), (x) => {
        const lhs = lgamma(x + 1);
        const rhs = lgamma(x) + Math.log(x);
        return Math.abs(lhs - rhs) <= 1e-13 * Math.max(1, Math.abs(lgamma(x)), Math.abs(lhs));
      }),
    );
  });

  it('has poles at the non-positive integers', () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
    expect(lgamma(Number.NaN)).toBeNaN();
  });
});

describe('digamma and logBeta', () => {
  it('knows ψ(1) = −γ and ψ(1/2) = −γ − 2 ln 2', () => {
    expect(Math.abs(digamma(1) + EULER_GAMMA)).toBeLessThan(1e-14);
    expect(Math.abs(digamma(0.5) + EULER_GAMMA + 2 * Math.log(2))).toBeLessThan(1e-14);
  });

  it('satisfies ψ(x+1) = ψ(x) + 1/x and is the derivative of lgamma', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 100, noNaN: true }), (x) => {
        const recurrence = Math.abs(digamma(x + 1) - digamma(x) - 1 / x) <= 1e-12 * Math.max(1, 1 / x);
        const h = 1e-5 * Math.max(1, x);
        const numeric = (lgamma(x + h) - lgamma(x - Math.min(h, x / 2))) / (h + Math.min(h, x / 2));
        return recurrence && Math.abs(numeric - digamma(x)) <= 1e-4 * Math.max(1, Math.abs(digamma(x)));
      }),
    );
  });

  it('gives B(1,1) = 1, B(2,3) = 1/12, B(½,½) = π', () => {
    expect(Math.abs(logBeta(1, 1))).toBeLessThan(1e-15);
    expect(relErr(logBeta(2, 3), Math.log(1 / 12))).toBeLessThan(1e-14);
    expect(relErr(logBeta(0.5, 0.5), Math.log(Math.PI))).toBeLessThan(1e-14);
  });

  it('adds in log space without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-1000, -Infinity)).toBe(-1000);
    expect(logAddExp(0, -800)).toBe(0);
  });
});

describe('hyp2f1', () => {
  it('is 1 at z = 0 and when a or b is 0', () => {
    expect(hyp2f1(0.3, 2.1, 1.7, 0)).toBe(1);
    expect(hyp2f1(0, 2.1, 1.7, 0.9)).toBe(1);
    expect(hyp2f1(2, 0, 1.7, -5)).toBe(1);
  });

  // 2F1(1,1;2;z) = −ln(1−z)/z: c−a−b = 0, the logarithmic case where the classical z → 1−z
  // connection formula has a pole — exactly what the continuation must get right.
  it.each([-100, -0.5, 0.1, 0.5, 0.6, 0.9, 0.99, 0.999999, 1 - 1e-12])('2F1(1,1;2;%s) = −ln(1−z)/z', (z) => {
    expect(relErr(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
  });

  // More closed forms (DLMF 15.4): integer c−a−b = 0, 1 and non-integer cases.
  it.each([0.05, 0.3, 0.55, 0.8, 0.97, 0.9999, 1 - 1e-9])('closed forms at z = %s', (z) => {
    // References written in terms of d = 1 − z (exact for z ≥ 1/2), so that they do not lose
    // digits near z = 1 themselves: 1 − √z = d / (1 + √z).
    const s = Math.sqrt(z);
    const d = 1 - z;
    const oneMinusS = d / (1 + s);
    const L = Math.log1p(-z);
    const atanhS = 0.5 * (Math.log1p(s) - Math.log(oneMinusS));
    const asinS = Math.PI / 2 - 2 * Math.asin(Math.sqrt(oneMinusS / 2)); // asin s = π/2 − acos s
    expect(relErr(hyp2f1(0.5, 1, 1.5, z), atanhS / s)).toBeLessThan(1e-12);
    expect(relErr(hyp2f1(0.5, 0.5, 1.5, z), asinS / s)).toBeLessThan(1e-12);
    expect(relErr(hyp2f1(0.7, 2.3, 2.3, z), (1 - z) ** -0.7)).toBeLessThan(1e-12);
    // The closed form cancels at small z.
    expect(relErr(hyp2f1(1, 2, 3, z), (-2 * (z + L)) / (z * z))).toBeLessThan(z < 0.1 ? 1e-9 : 1e-12);
    expect(relErr(hyp2f1(1, 1, 3, z), (2 * ((1 - z) * L + z)) / (z * z))).toBeLessThan(z < 0.1 ? 1e-9 : 1e-12);
  });

  it('approaches Gauss’s sum Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) as z → 1 when c−a−b > 0', () => {
    const [a, b, c] = [0.3, 0.4, 2.5]; // c−a−b = 1.8: F(1−δ) − F(1) = O(δ)
    const gauss = Math.exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
    expect(relErr(hyp2f1(a, b, c, 1 - 1e-12), gauss)).toBeLessThan(1e-10);
  });

  // Reference values from mpmath 1.3 (mp.dps = 50, mpmath.hyp2f1), rounded to the nearest double.
  it.each([
    [3.0179231769983415, 4.986490747663735, 0.3, -0.5995123352583327, 0.17027634977257666],
    [0.7, 1.3, 2.1, -5.0, 0.4107565956001501],
    [0.25, 0.5, 1.75, -100.0, 0.5347157217660455],
    [1.0, 1.0, 2.0, 0.999999, 13.815524373459892],
    [0.5, 0.5, 1.0, 0.9999, 3.814364242073626], // c−a−b = 0
    [1.5, 2.5, 3.0, 0.99, 164.93970787168755], // c−a−b = −1
    [0.3, 0.7, 3.0, 0.999999999, 1.109752671175019], // c−a−b = 2
    [2.0, 3.0, 4.9999999, 0.95, 13.208820762284288], // c−a−b within 1e-7 of 0
    [-0.98, -0.98, 76.04, 0.8657646048109966, 1.0109348001386644], // large c
    [1.9760000000000004, -0.207, 2.219, 0.9, 0.6910456163402912], // BG/NBD form at CDNOW, x = 0
    [1.9760000000000004, -0.20699999999999996, 27.219, 0.999, 0.9843026262001814], // … x = 25
    [5.5, -3.3, 1.2, 0.97, -0.054176427989153134],
    [40.0, 35.0, 2.0, 0.6, 2.8085476662318902e44],
  ])('2F1(%s, %s; %s; %s) = %s (mpmath)', (a, b, c, z, expected) => {
    expect(relErr(hyp2f1(a, b, c, z), expected)).toBeLessThan(1e-12);
  });

  it('sums terminating series exactly (a polynomial)', () => {
    const [b, c, z] = [1.7, 2.9, 0.95];
    expect(relErr(hyp2f1(-2, b, c, z), 1 - ((2 * b) / c) * z + ((b * (b + 1)) / (c * (c + 1))) * z * z)).toBeLessThan(
      1e-14,
    );
  });

  it('matches the naive series where both apply, across the switch to continuation at z = 1/2', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 6, noNaN: true }),
        fc.double({ min: -0.9, max: 6, noNaN: true }),
        fc.double({ min: 0.3, max: 12, noNaN: true }),
        // z ≥ 0 only: for z < 0 the naive alternating sum itself loses digits (see the mpmath table)
        fc.double({ min: 0, max: 0.85, noNaN: true }),
        (a, b, c, z) => relErr(hyp2f1(a, b, c, z), naiveSeries(a, b, c, z)) < 1e-11,
      ),
      { numRuns: 300 },
    );
  });

  it('stays accurate for large c (the BG/NBD’s heavy buyers), where continuation alone would not', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.double({ min: -0.99, max: 40, noNaN: true }),
        fc.double({ min: 0.3, max: 150, noNaN: true }),
        fc.double({ min: 0.5, max: 0.9, noNaN: true }),
        (a, b, c, z) => relErr(hyp2f1(a, b, c, z), naiveSeries(a, b, c, z, 8_000)) < 1e-10,
      ),
      { numRuns: 300 },
    );
    for (const z of [0.6, 0.8657646048109966, 0.99, 0.999999]) {
      expect(relErr(hyp2f1(-0.98, -0.98, 76.04, z), naiveSeries(-0.98, -0.98, 76.04, z, 200))).toBeLessThan(1e-13);
    }
  });

  it('agrees with Euler’s transformation 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a,c−b;c;z) near 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        fc.constantFrom(0.9, 0.99, 0.9999, 1 - 1e-8),
        (a, b, c, z) => {
          const direct = hyp2f1(a, b, c, z);
          const euler = (1 - z) ** (c - a - b) * hyp2f1(c - a, c - b, c, z);
          return relErr(direct, euler) < 1e-10;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is NaN where it is undefined', () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(1, 1, 0, 0.5)).toBeNaN();
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
  });
});

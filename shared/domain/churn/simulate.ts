/**
 * Draws customers from the BG/NBD and Gamma-Gamma generative models with a seeded PRNG, so
 * tests and the nightly bench can check fits and scores against a known truth. Deterministic
 * for a given seed; no Math.random.
 *
 * The process is the one the models assume (FHL 2005, §2): the first purchase at time 0; while
 * alive, purchases at rate λ ~ Gamma(r, α); after each repeat purchase, drop out with
 * probability p ~ Beta(a, b). Spend: ν ~ Gamma(q, γ) per customer, each purchase's value
 * ~ Gamma(p, ν) (Colombo & Jiang 1999). Times are continuous and then, as in a real shop, turned
 * into calendar days (same-day purchases merge when summarised).
 */
import type { BgNbdParameters } from './bgnbd';
import type { GammaGammaParameters } from './gamma-gamma';
import { DAYS_PER_UNIT, type Purchase } from './summary';

export type Random = () => number;

/**
 * sfc32 (Chris Doty-Humphrey's small fast counting generator), 53-bit doubles in [0, 1) from two
 * 32-bit outputs. Passes PractRand to large sizes; plenty for simulation.
 */
export const seededRandom = (seed: number): Random => {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();
  return () => ((next() >>> 5) * 67_108_864 + (next() >>> 6)) / 9_007_199_254_740_992;
};

/** A uniform draw in (0, 1): never 0, so logarithms stay finite. */
const open01 = (random: Random): number => {
  let u = random();
  while (u === 0) u = random();
  return u;
};

const standardNormal = (random: Random): number =>
  Math.sqrt(-2 * Math.log(open01(random))) * Math.cos(2 * Math.PI * random());

/**
 * Gamma(shape, rate) by Marsaglia & Tsang (2000); shapes below 1 via Gamma(shape+1)·U^(1/shape),
 * computed in log space because shapes like r ≈ 0.24 put mass very close to 0.
 */
export const sampleGamma = (random: Random, shape: number, rate: number): number => {
  if (shape < 1) {
    const g = sampleGamma(random, shape + 1, 1);
    return Math.exp(Math.log(g) + Math.log(open01(random)) / shape) / rate;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(open01(random)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
};

export const sampleBeta = (random: Random, a: number, b: number): number => {
  const x = sampleGamma(random, a, 1);
  const y = sampleGamma(random, b, 1);
  return x / (x + y);
};

export interface SimulatedCustomer {
  purchases: Purchase[];
  /** The customer's purchase rate per day and dropout probability. */
  lambdaPerDay: number;
  dropoutProbability: number;
  /** Day of the purchase after which the customer dropped out; null if still alive at the end. */
  droppedOutAfterDay: number | null;
}

export interface SimulationModel {
  purchases: BgNbdParameters;
  /** MBG/NBD also lets a customer drop out right after the first purchase; BG/NBD (default) does not. */
  dropoutAfterFirst?: boolean;
  /** Value unit of the purchases' amounts (minor units); amounts default to 100 when absent. */
  spend?: GammaGammaParameters;
}

/**
 * One customer whose first purchase is on `firstDay`, simulated up to and including `lastDay`.
 * Amounts are rounded to whole minor units, at least 1.
 */
export const simulateCustomer = (
  random: Random,
  model: SimulationModel,
  firstDay: number,
  lastDay: number,
): SimulatedCustomer => {
  const { r, alpha, a, b, timeUnit } = model.purchases;
  const alphaDays = alpha * DAYS_PER_UNIT[timeUnit];
  const lambda = sampleGamma(random, r, alphaDays);
  const dropout = sampleBeta(random, a, b);
  const spendRate = model.spend ? sampleGamma(random, model.spend.q, model.spend.v) : 0;
  const amount = () => (model.spend ? Math.max(1, Math.round(sampleGamma(random, model.spend.p, spendRate))) : 100);
  const offset = random(); // time of day of the first purchase, as a fraction of a day
  const purchases: Purchase[] = [{ day: firstDay, amountMinor: amount() }];
  let droppedOutAfterDay: number | null = null;
  if (model.dropoutAfterFirst && random() < dropout) {
    return { purchases, lambdaPerDay: lambda, dropoutProbability: dropout, droppedOutAfterDay: firstDay };
  }
  let t = offset;
  for (;;) {
    if (!(lambda > 0)) break;
    t += -Math.log(open01(random)) / lambda;
    const day = firstDay + Math.floor(t);
    if (day > lastDay) break;
    purchases.push({ day, amountMinor: amount() });
    if (random() < dropout) {
      droppedOutAfterDay = day;
      break;
    }
  }
  return { purchases, lambdaPerDay: lambda, dropoutProbability: dropout, droppedOutAfterDay };
};

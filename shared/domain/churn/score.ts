/**
 * Per-customer churn scores from fitted models: P(alive), expected purchases over the next
 * `horizonDays` (E[X(t) | x, t_x, T], FHL 2005 eq. 10) and the predicted value over the next
 * `valueHorizonDays`.
 *
 * Predicted value = expected purchases over the value horizon × E[M | x, m̄] (Gamma-Gamma
 * conditional expected spend), in the value unit of the Gamma-Gamma model (minor units).
 * Undiscounted by default. With `discount`, the horizon is cut into `periods` equal periods,
 * each period's expected purchases are valued at the end of the period and discounted at
 * (1 + annualRate)^(−elapsed years):
 *   Σ_k (E[X(t_k)|·] − E[X(t_{k−1})|·]) · E[M|·] / (1 + annualRate)^(t_k / 365 days).
 * (lifetimes' customer_lifetime_value does the same with monthly periods and a monthly rate.)
 * 12 months = 365 days.
 *
 * Speed: E[X(t)|·] = P(alive | x, t_x, T) · I(x, T, t), and I — the hypergeometric part — does
 * not depend on t_x. Scoring caches I per distinct (x, T), so a shop's customers cost one log
 * and one exp each plus a cache lookup; the 2F1 evaluations scale with the distinct (x, T).
 */
import type { BgNbdParameters } from './bgnbd';
import { expectedAverageValue, type GammaGammaParameters } from './gamma-gamma';
import {
  noPurchaseIfAlive,
  probabilityAliveOf,
  purchasesIfAliveOf,
  type PurchaseModel,
  type PurchaseModelKind,
} from './purchase-models';
import { DEFAULT_HORIZON_DAYS } from './risk';
import { DAYS_PER_UNIT } from './summary';

export interface ScoringModel {
  purchases: BgNbdParameters;
  /** Which purchase model `purchases` parameterises (purchase-models.ts); BG/NBD when absent. */
  kind?: PurchaseModelKind;
  spend: GammaGammaParameters;
}

export interface ScoreOptions {
  /** Horizon of the expected-purchases score. Default 90 days. */
  horizonDays: number;
  /** Horizon of the predicted value. Default 365 days (12 months). */
  valueHorizonDays: number;
  /** Discounting of the predicted value; none by default. */
  discount?: { annualRate: number; periods: number };
  /** Horizon of the no-purchase probability (the churn risk). Default 90 days. */
  noPurchaseHorizonDays?: number;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = { horizonDays: 90, valueHorizonDays: 365 };

/** One customer's model inputs, recency and age in the purchase model's time unit. */
export interface ScoreInput {
  frequency: number;
  recency: number;
  age: number;
  /** Average repeat-purchase value in the spend model's unit; null (or ignored) when x = 0. */
  averageRepeatValue: number | null;
}

export interface CustomerScore {
  probabilityAlive: number;
  expectedPurchases: number;
  expectedValue: number;
  /** P(no purchase in the next `noPurchaseHorizonDays`). */
  noPurchase: number;
}

export interface ScoreColumns {
  probabilityAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedValue: Float64Array;
  noPurchase: Float64Array;
  /** Distinct (x, T) for which the hypergeometric part was computed. */
  distinctFrequencyAge: number;
}

/**
 * I(x, T, t) at the horizons a score needs, for one (x, T): the purchases horizon, and the value
 * horizon folded with its discount factors into one number, so value = P(alive) · E[M] · that.
 */
const horizonTerms = (m: PurchaseModel, o: ScoreOptions) => {
  const p = m.parameters;
  const perUnit = DAYS_PER_UNIT[p.timeUnit];
  const noPurchaseHorizon = (o.noPurchaseHorizonDays ?? DEFAULT_HORIZON_DAYS) / perUnit;
  const horizon = o.horizonDays / perUnit;
  const valueHorizon = o.valueHorizonDays / perUnit;
  const periods = o.discount?.periods ?? 1;
  const annualRate = o.discount?.annualRate ?? 0;
  const ends = Array.from({ length: periods }, (_, k) => (valueHorizon * (k + 1)) / periods);
  const factors = ends.map((t) => (1 + annualRate) ** (-(t * perUnit) / 365));
  return (x: number, T: number): [number, number, number] => {
    const purchases = purchasesIfAliveOf(m, x, T, horizon);
    let discounted = 0;
    let previous = 0;
    for (let k = 0; k < periods; k++) {
      const cumulative = ends[k] === horizon ? purchases : purchasesIfAliveOf(m, x, T, ends[k]!);
      discounted += (cumulative - previous) * factors[k]!;
      previous = cumulative;
    }
    return [purchases, discounted, noPurchaseIfAlive(p, x, T, noPurchaseHorizon)];
  };
};

const checkInput = (c: ScoreInput): void => {
  const { frequency: x, recency: tx, age: T } = c;
  if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= T && Number.isFinite(T)) || (x === 0 && tx !== 0)) {
    throw new RangeError(`Not a valid (frequency, recency, age): (${x}, ${tx}, ${T})`);
  }
  if (x > 0 && !(c.averageRepeatValue !== null && c.averageRepeatValue >= 0)) {
    throw new RangeError(`A repeat customer needs an average repeat value ≥ 0, got ${c.averageRepeatValue}`);
  }
};

/** Scores for many customers, as columns (no per-customer objects: a shop can have millions). */
export const scoreCustomers = (
  model: ScoringModel,
  customers: readonly ScoreInput[],
  options: Partial<ScoreOptions> = {},
): ScoreColumns => {
  const o = { ...DEFAULT_SCORE_OPTIONS, ...options };
  const n = customers.length;
  const out: ScoreColumns = {
    probabilityAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    expectedValue: new Float64Array(n),
    noPurchase: new Float64Array(n),
    distinctFrequencyAge: 0,
  };
  const purchaseModel: PurchaseModel = { kind: model.kind ?? 'bgnbd', parameters: model.purchases };
  const terms = horizonTerms(purchaseModel, o);
  // (x, T) → [I at the horizon, discounted I over the value horizon]; x is small, so a map per x.
  const cache = new Map<number, Map<number, [number, number, number]>>();
  for (let i = 0; i < n; i++) {
    const c = customers[i]!;
    checkInput(c);
    const { frequency: x, recency: tx, age: T } = c;
    let byAge = cache.get(x);
    if (!byAge) cache.set(x, (byAge = new Map()));
    let entry = byAge.get(T);
    if (!entry) {
      byAge.set(T, (entry = terms(x, T)));
      out.distinctFrequencyAge++;
    }
    const alive = probabilityAliveOf(purchaseModel, x, tx, T);
    out.probabilityAlive[i] = alive;
    out.expectedPurchases[i] = alive * entry[0];
    out.noPurchase[i] = 1 - alive + alive * entry[2];
    out.expectedValue[i] = alive * entry[1] * expectedAverageValue(model.spend, x, x > 0 ? c.averageRepeatValue : null);
  }
  return out;
};

/** Scores for one customer. */
export const scoreCustomer = (
  model: ScoringModel,
  customer: ScoreInput,
  options: Partial<ScoreOptions> = {},
): CustomerScore => {
  const s = scoreCustomers(model, [customer], options);
  return {
    probabilityAlive: s.probabilityAlive[0]!,
    expectedPurchases: s.expectedPurchases[0]!,
    expectedValue: s.expectedValue[0]!,
    noPurchase: s.noPurchase[0]!,
  };
};

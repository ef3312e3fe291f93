/**
 * Choosing the purchase model on the shop's own evidence, and the model card that says how well
 * it predicts.
 *
 * Every night, before scoring, the run pretends it is `window` days earlier: it summarises every
 * customer's purchases as of the cutoff asOf − window, fits each candidate model (BG/NBD,
 * MBG/NBD) on that, predicts each customer's probability of no purchase in the window, and
 * compares with what happened in (cutoff, asOf]. The model with the lowest log loss (a proper
 * scoring rule: it rewards ranking and calibration together) scores tonight's customers, refitted
 * on the whole history — unless last night's model is within `SWITCH_MARGIN` of it, which then
 * stays (`kept_incumbent`), so scores do not jump between models on a close call.
 *
 * - **Window** = the shop's horizon H, at least `MIN_WINDOW_DAYS`. A shop with less than twice
 *   that of history gets half its history instead (so the fit still sees as much as it predicts)
 *   and the card says so; below `MIN_WINDOW_DAYS` it is too short to judge.
 * - **Too short to judge** (then the heuristic of purchase-models.ts scores, and the card says
 *   why): a window under `MIN_WINDOW_DAYS`, fewer than `MIN_CUSTOMERS` customers before the
 *   cutoff, fewer than `MIN_EACH_OUTCOME` who bought, or who did not, in the window (with one
 *   outcome missing nothing can be told apart), or no candidate that could be fitted on the
 *   history before the cutoff (a fallback to published parameters says nothing about the shop).
 * - **Card**: the chosen model and why; per candidate the AUC of its ranking (the chance that a
 *   customer who did not buy is ranked riskier than one who did; 0.5 is a coin), log loss, Brier
 *   score, the predicted vs. actual share with no purchase and the predicted vs. actual number of
 *   purchase days; for the chosen one the calibration by decile of predicted risk; the AUC of
 *   plain days-since-last-purchase on the same customers, the baseline a model has to beat.
 *
 * Pure: plain arrays in, a plain object out.
 */
import { fitBgNbd, groupBgNbdObservations, type FallbackReason } from './bgnbd';
import { fitMbgNbd } from './mbgnbd';
import {
  noPurchaseIfAlive,
  probabilityAliveOf,
  purchasesIfAliveOf,
  purchaseModelKinds,
  type PurchaseModel,
  type PurchaseModelKind,
} from './purchase-models';
import { summarizePurchases, type Purchase, type PurchaseSummary } from './summary';

export const MIN_WINDOW_DAYS = 28;
export const MIN_CUSTOMERS = 30;
export const MIN_EACH_OUTCOME = 5;
/**
 * Relative log-loss gain another model needs to replace last night's: a close call must not
 * flip the model (and every score with it) from one night to the next.
 */
export const SWITCH_MARGIN = 0.02;
const DECILES = 10;
const PROBABILITY_FLOOR = 1e-6;

export interface CandidateResult {
  model: PurchaseModelKind;
  /** Parameters fitted as of the cutoff (α in days); `fallback` says when they are defaults. */
  parameters: { r: number; alpha: number; a: number; b: number };
  fallback: FallbackReason | null;
  auc: number;
  logLoss: number;
  brier: number;
  predictedNoPurchaseShare: number;
  actualNoPurchaseShare: number;
  predictedPurchases: number;
  actualPurchases: number;
}

export interface CalibrationBin {
  customers: number;
  /** Mean predicted probability of no purchase in the bin. */
  predictedNoPurchase: number;
  /** Share of the bin that made no purchase. */
  actualNoPurchase: number;
}

export interface Backtest {
  /** Last day of the pretend history (ISO date). */
  cutoff: string;
  windowDays: number;
  /** The window is shorter than the horizon because the history is. */
  shortened: boolean;
  /** Customers with a purchase by the cutoff: the ones predicted. */
  customers: number;
  /** Of them, those who bought in the window. */
  buyers: number;
  /** AUC of ranking by days since the last purchase, the baseline. */
  recencyAuc: number;
  candidates: CandidateResult[];
  /** The candidate with the lowest log loss among those fitted; null when none could be. */
  best: PurchaseModelKind | null;
  /** Of the chosen model, by decile of predicted probability (fewer bins for few customers). */
  calibration: CalibrationBin[];
}

export interface ModelCard {
  model: PurchaseModelKind | 'heuristic';
  horizonDays: number;
  reason: 'best_log_loss' | 'kept_incumbent' | 'history_too_short';
  /** Why the history was too short, or why the scoring model differs from the back-test's best, in words. */
  note?: string;
  /** Null when there was not enough history to run one. */
  backtest: Backtest | null;
}

/** Mann–Whitney AUC of `risk` for the event "no purchase" (ties count half). */
export const aucOf = (risk: ArrayLike<number>, noPurchase: ArrayLike<boolean>): number => {
  const n = risk.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => risk[i]! - risk[j]!);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && risk[order[j + 1]!] === risk[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (noPurchase[order[k]!]) {
        rankSum += midRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
};

/** Up to `bins` groups of nearly equal size in order of predicted probability. */
export const calibrationBins = (
  predicted: ArrayLike<number>,
  noPurchase: ArrayLike<boolean>,
  bins = DECILES,
): CalibrationBin[] => {
  const n = predicted.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => predicted[i]! - predicted[j]!);
  const k = Math.min(bins, n);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < k; b++) {
    const from = Math.floor((b * n) / k);
    const to = Math.floor(((b + 1) * n) / k);
    let p = 0;
    let none = 0;
    for (let i = from; i < to; i++) {
      p += predicted[order[i]!]!;
      if (noPurchase[order[i]!]) none++;
    }
    out.push({ customers: to - from, predictedNoPurchase: p / (to - from), actualNoPurchase: none / (to - from) });
  }
  return out;
};

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export interface BacktestInput {
  /** Every customer's purchases up to the as-of day (day numbers, any order). */
  customers: readonly (readonly Purchase[])[];
  asOfDay: number;
  horizonDays: number;
  /** Last night's model, kept unless another predicts clearly better (`SWITCH_MARGIN`). */
  incumbent?: PurchaseModelKind;
}

interface Observed {
  summary: PurchaseSummary;
  noPurchase: boolean;
  /** Distinct purchase days in the window. */
  purchases: number;
}

const observe = (customers: BacktestInput['customers'], cutoff: number, asOfDay: number): Observed[] => {
  const out: Observed[] = [];
  for (const purchases of customers) {
    const summary = summarizePurchases(purchases, cutoff, 'days');
    if (!summary) continue;
    const later = new Set<number>();
    for (const p of purchases) if (p.day > cutoff && p.day <= asOfDay) later.add(p.day);
    out.push({ summary, noPurchase: later.size === 0, purchases: later.size });
  }
  return out;
};

const evaluate = (
  model: PurchaseModel,
  fallback: FallbackReason | null,
  observed: readonly Observed[],
  windowDays: number,
): { result: CandidateResult; predicted: Float64Array } => {
  const n = observed.length;
  const predicted = new Float64Array(n);
  const ifAlive = new Map<string, [number, number]>();
  let logLoss = 0;
  let brier = 0;
  let predictedPurchases = 0;
  let actualPurchases = 0;
  let none = 0;
  observed.forEach((o, i) => {
    const { frequency: x, recency: tx, age: T } = o.summary;
    const key = `${x}|${T}`;
    let terms = ifAlive.get(key);
    if (!terms) {
      terms = [noPurchaseIfAlive(model.parameters, x, T, windowDays), purchasesIfAliveOf(model, x, T, windowDays)];
      ifAlive.set(key, terms);
    }
    const alive = probabilityAliveOf(model, x, tx, T);
    const p = Math.min(1, Math.max(0, 1 - alive + alive * terms[0]));
    predicted[i] = p;
    const q = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p));
    logLoss -= o.noPurchase ? Math.log(q) : Math.log(1 - q);
    brier += ((o.noPurchase ? 1 : 0) - p) ** 2;
    predictedPurchases += alive * terms[1];
    actualPurchases += o.purchases;
    if (o.noPurchase) none++;
  });
  const { r, alpha, a, b } = model.parameters;
  return {
    predicted,
    result: {
      model: model.kind,
      parameters: { r, alpha, a, b },
      fallback,
      auc: aucOf(
        predicted,
        observed.map((o) => o.noPurchase),
      ),
      logLoss: logLoss / n,
      brier: brier / n,
      predictedNoPurchaseShare: predicted.reduce((s, p) => s + p, 0) / n,
      actualNoPurchaseShare: none / n,
      predictedPurchases,
      actualPurchases,
    },
  };
};

const fitters = {
  bgnbd: fitBgNbd,
  mbgnbd: fitMbgNbd,
} as const;

/** The back-test and the model it chooses (see the file comment). */
export const chooseModel = (input: BacktestInput): ModelCard => {
  const { customers, asOfDay, horizonDays } = input;
  const tooShort = (note: string, backtest: Backtest | null = null): ModelCard => ({
    model: 'heuristic',
    horizonDays,
    reason: 'history_too_short',
    note,
    backtest,
  });
  let firstDay = Infinity;
  for (const purchases of customers)
    for (const p of purchases) if (p.day <= asOfDay) firstDay = Math.min(firstDay, p.day);
  if (!Number.isFinite(firstDay)) return tooShort('no purchases yet');
  const span = asOfDay - firstDay;
  // The horizon, but at least MIN_WINDOW_DAYS (a 14-day horizon is judged over 28 days) and at
  // most half the history (the fit must see as much as it predicts).
  const windowDays = Math.min(Math.max(horizonDays, MIN_WINDOW_DAYS), Math.floor(span / 2));
  if (windowDays < MIN_WINDOW_DAYS)
    return tooShort(`${span} days of history; a back-test needs at least ${2 * MIN_WINDOW_DAYS}`);
  const cutoff = asOfDay - windowDays;
  const observed = observe(customers, cutoff, asOfDay);
  const noPurchase = observed.map((o) => o.noPurchase);
  const buyers = noPurchase.filter((v) => !v).length;
  if (observed.length < MIN_CUSTOMERS)
    return tooShort(`${observed.length} customers before the back-test's cutoff; at least ${MIN_CUSTOMERS} needed`);
  if (buyers < MIN_EACH_OUTCOME || observed.length - buyers < MIN_EACH_OUTCOME)
    return tooShort(
      `${buyers} of ${observed.length} customers bought in the back-test window; ` +
        `at least ${MIN_EACH_OUTCOME} who did and ${MIN_EACH_OUTCOME} who did not are needed`,
    );

  const groups = groupBgNbdObservations(
    observed.map((o) => ({ frequency: o.summary.frequency, recency: o.summary.recency, age: o.summary.age })),
  );
  const evaluated = purchaseModelKinds.map((kind) => {
    const fit = fitters[kind](groups, { timeUnit: 'days' });
    const model: PurchaseModel = {
      kind,
      parameters: { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b, timeUnit: 'days' },
    };
    return evaluate(model, fit.fallbackReason, observed, windowDays);
  });
  // A candidate that fell back to published defaults says nothing about this shop.
  const fitted = evaluated.filter((e) => e.result.fallback === null);
  const lowest = fitted.length ? fitted.reduce((m, c) => (c.result.logLoss < m.result.logLoss ? c : m)) : undefined;
  const incumbent = fitted.find((e) => e.result.model === input.incumbent);
  const keep =
    incumbent !== undefined &&
    lowest !== undefined &&
    incumbent !== lowest &&
    lowest.result.logLoss > incumbent.result.logLoss * (1 - SWITCH_MARGIN);
  const best = keep ? incumbent : lowest;
  const backtest: Backtest = {
    cutoff: isoDay(cutoff),
    windowDays,
    shortened: windowDays < horizonDays,
    customers: observed.length,
    buyers,
    recencyAuc: aucOf(
      observed.map((o) => o.summary.daysSinceLastPurchase),
      noPurchase,
    ),
    candidates: evaluated.map((e) => e.result),
    best: best?.result.model ?? null,
    calibration: best ? calibrationBins(best.predicted, noPurchase) : [],
  };
  if (!best)
    return tooShort(
      `no model could be fitted on the history before the back-test's cutoff (${evaluated
        .map((e) => `${e.result.model}: ${e.result.fallback}`)
        .join(', ')})`,
      backtest,
    );
  return keep
    ? {
        model: best.result.model,
        horizonDays,
        reason: 'kept_incumbent',
        note: `kept last night's model: ${lowest!.result.model}'s log loss is within ${100 * SWITCH_MARGIN} % of it`,
        backtest,
      }
    : { model: best.result.model, horizonDays, reason: 'best_log_loss', backtest };
};

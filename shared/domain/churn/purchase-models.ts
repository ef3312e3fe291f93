/**
 * The purchase models the nightly run chooses between, behind one interface, and the number the
 * churn risk is made of: the probability that a customer makes no purchase in the next t.
 *
 * Both models share parameters (r, α, a, b) and the time unit rules of bgnbd.ts. Given the
 * customer is alive at T, both let them buy as a Poisson process with rate λ, and drop out only
 * right after a purchase, so "no purchase in (T, T+t]" means no Poisson event in t:
 *   P(none | alive, λ) = e^(−λt),   λ | alive, x, T ~ Gamma(r+x, α+T)
 *   P(none | alive)    = ((α+T)/(α+T+t))^(r+x)
 *   P(none)            = 1 − P(alive) + P(alive) · ((α+T)/(α+T+t))^(r+x)
 * (the Gamma posterior of λ given alive is the same in both models: dropout depends on p only).
 */
import { probabilityAliveUnchecked, purchasesIfAlive, type BgNbdParameters } from './bgnbd';
import { mbgProbabilityAlive, mbgPurchasesIfAlive } from './mbgnbd';

export const purchaseModelKinds = ['bgnbd', 'mbgnbd'] as const;
export type PurchaseModelKind = (typeof purchaseModelKinds)[number];

export interface PurchaseModel {
  kind: PurchaseModelKind;
  parameters: BgNbdParameters;
}

/** P(alive | x, t_x, T), times in the parameters' unit. */
export const probabilityAliveOf = (m: PurchaseModel, x: number, tx: number, T: number): number =>
  m.kind === 'mbgnbd' ? mbgProbabilityAlive(m.parameters, x, tx, T) : probabilityAliveUnchecked(m.parameters, x, tx, T);

/** E[purchases in (T, T+t] | alive at T, x]. */
export const purchasesIfAliveOf = (m: PurchaseModel, x: number, T: number, t: number): number =>
  m.kind === 'mbgnbd' ? mbgPurchasesIfAlive(m.parameters, x, T, t) : purchasesIfAlive(m.parameters, x, T, t);

/** P(no purchase in (T, T+t] | alive at T, x) = ((α+T)/(α+T+t))^(r+x). */
export const noPurchaseIfAlive = (p: BgNbdParameters, x: number, T: number, t: number): number =>
  t > 0 ? Math.exp(-(p.r + x) * Math.log1p(t / (p.alpha + T))) : 1;

/** P(no purchase in the next t | x, t_x, T), from the model's conditional distribution. */
export const probabilityNoPurchase = (m: PurchaseModel, x: number, tx: number, T: number, t: number): number => {
  const alive = probabilityAliveOf(m, x, tx, T);
  return 1 - alive + alive * noPurchaseIfAlive(m.parameters, x, T, t);
};

/**
 * The heuristic for shops whose history is too short to judge a model: the chance that a gap
 * already `daysSince` long lasts another `horizonDays`, for gaps spread like a Lomax (Pareto II)
 * distribution of shape 1 and scale the usual interval c: (c + d) / (c + d + H). With one c
 * for the whole shop it ranks customers exactly as days since the last purchase do; it rises
 * with the silence and falls as the horizon grows (more time to buy). Without any usual
 * interval (nobody bought twice) c = H.
 */
export const heuristicNoPurchase = (daysSince: number, usualIntervalDays: number | undefined, horizonDays: number) => {
  const c = usualIntervalDays !== undefined && usualIntervalDays > 0 ? usualIntervalDays : horizonDays;
  return (c + daysSince) / (c + daysSince + horizonDays);
};

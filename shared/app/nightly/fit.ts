import { chooseModel, type ModelCard } from '../../domain/churn/backtest';
import { fitBgNbd, type BgNbdFit, type BgNbdParameters } from '../../domain/churn/bgnbd';
import type { ExportCustomer } from '../../domain/churn/export-rows';
import { fitGammaGamma, type GammaGammaParameters } from '../../domain/churn/gamma-gamma';
import { fitMbgNbd } from '../../domain/churn/mbgnbd';
import type { PurchaseModelKind } from '../../domain/churn/purchase-models';
import type { MetricsOrder } from '../../domain/churn/metrics';
import type { CountedOrder } from '../../domain/churn/purchases';
import { rfmScores } from '../../domain/churn/rfm';
import { DEFAULT_HORIZON_DAYS, medianIntervalDays } from '../../domain/churn/risk';
import { dayNumber, summarizePurchases, type PurchaseSummary } from '../../domain/churn/summary';
import { jobFiles, range, readJson, writeJson } from './files';
import type { ExportSink, NightlyDeps, NightlyResult } from '../ports/nightly';
import type { NightlyAnswer, SegmentSummary, StepInput } from './summarise';

/** What score needs of one customer with at least one counted order. */
export interface ScoringInput {
  frequency: number;
  recency: number;
  age: number;
  averageRepeatValueMinor: number | null;
  daysSinceLast: number;
  rfm: { r: number; f: number; m: number };
}

export interface ShardCustomer {
  customer: ExportCustomer;
  orders: MetricsOrder[];
  /** Null for customers without a counted order: they count in the metrics but are not scored. */
  scoring: ScoringInput | null;
}

export interface ModelFile {
  currency: string;
  /** The chosen purchase model's kind and parameters (BG/NBD's when the heuristic scores risk). */
  kind: PurchaseModelKind;
  purchases: BgNbdParameters;
  spend: GammaGammaParameters;
  /** Days ahead the churn risk looks. */
  horizonDays: number;
  /** Present when the history was too short to judge a model: the heuristic scores risk with this interval. */
  heuristic?: { shopIntervalDays?: number };
  result: NightlyResult['model'];
}

/**
 * The model file of a run, read by score and assemble. A run that `fit` began before the risk
 * became a probability (a state machine execution spanning a deploy) wrote no horizon and no
 * kind: it finishes as BG/NBD over the default horizon instead of failing that night.
 */
export const readModelFile = async (sink: ExportSink, key: string): Promise<ModelFile> => {
  const m = await readJson<Partial<ModelFile> & Omit<ModelFile, 'horizonDays' | 'kind'>>(sink, key);
  return { ...m, kind: m.kind ?? 'bgnbd', horizonDays: m.horizonDays ?? DEFAULT_HORIZON_DAYS };
};

const noCustomer = (cid: string): ExportCustomer => ({ cid, points: { available: 0, pending: 0 } });

/** Customers in id order, cut into `n` contiguous shards (so the concatenated export is in id order). */
const shardsOf = <T>(rows: readonly T[], n: number): T[][] => {
  const size = Math.ceil(rows.length / n);
  return range(n).map((k) => rows.slice(k * size, (k + 1) * size));
};

/**
 * Step 2, once: groups every segment's findings by customer, summarises purchase histories as
 * of the day (days, UTC calendar), fits BG/NBD and Gamma-Gamma (falling back to documented
 * defaults for small shops), scores RFM quintiles over all buyers, and writes the customers in
 * `totalSegments` shards for score.
 */
export const fit = async (deps: NightlyDeps, input: StepInput) => {
  const { shopId, jobId, asOf, totalSegments } = input;
  const files = jobFiles(shopId, jobId);
  const shop = await deps.shops.get(shopId);
  if (!shop) throw new Error(`Shop ${shopId} no longer exists`);
  const partials = await Promise.all(
    range(totalSegments).map((s) => readJson<SegmentSummary>(deps.sink, files.summary(s))),
  );

  const profiles = new Map<string, ExportCustomer>();
  const orders = new Map<string, CountedOrder[]>();
  const nps: NightlyAnswer[] = [];
  for (const p of partials) {
    for (const c of p.customers) profiles.set(c.cid, c);
    for (const o of p.orders) {
      const list = orders.get(o.cid);
      if (list) list.push(o);
      else orders.set(o.cid, [o]);
    }
    for (const a of p.nps) nps.push(a);
  }

  const asOfDay = dayNumber(asOf);
  const cids = [...new Set([...profiles.keys(), ...orders.keys()])].sort();
  const rows = cids.map((cid) => {
    const own = (orders.get(cid) ?? []).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const summary = own.length
      ? summarizePurchases(
          own.map((o) => ({ day: dayNumber(o.at.slice(0, 10)), amountMinor: o.revenueMinor })),
          asOfDay,
          'days',
        )
      : null;
    return {
      customer: profiles.get(cid) ?? noCustomer(cid),
      orders: own.map(({ at, revenueMinor, productIds, referred }): MetricsOrder => ({
        at,
        revenueMinor,
        productIds,
        referred,
      })),
      summary,
    };
  });
  const buyers = rows.filter((r): r is typeof r & { summary: PurchaseSummary } => r.summary !== null);
  const summaries = buyers.map((b) => b.summary);

  // The model is chosen on a back-test over the shop's own history (domain/churn/backtest.ts),
  // then refitted on all of it. BG/NBD is always fitted: the heuristic's customers still get
  // its P(alive), expected purchases and value.
  const horizonDays = shop.program.churn.horizonDays;
  const previous = await deps.store.getModelChoice(shopId);
  const chosen: ModelCard = chooseModel({
    ...(previous ? { incumbent: previous.model } : {}),
    customers: buyers.map((b) =>
      b.orders.map((o) => ({ day: dayNumber(o.at.slice(0, 10)), amountMinor: o.revenueMinor })),
    ),
    asOfDay,
    horizonDays,
  });
  const observations = summaries.map((s) => ({ frequency: s.frequency, recency: s.recency, age: s.age }));
  const bgnbd = fitBgNbd(observations, { timeUnit: 'days' });
  let mbgFit: BgNbdFit | undefined;
  const fitOf = (kind: PurchaseModelKind): BgNbdFit =>
    kind === 'bgnbd' ? bgnbd : (mbgFit ??= fitMbgNbd(observations, { timeUnit: 'days' }));
  // The back-tested choice may not fit the whole history (an estimate on a bound, say) while the
  // other model does: then the other's own fit scores rather than published default parameters.
  const preferred: PurchaseModelKind = chosen.model === 'mbgnbd' ? 'mbgnbd' : 'bgnbd';
  const other: PurchaseModelKind = preferred === 'bgnbd' ? 'mbgnbd' : 'bgnbd';
  const switched = chosen.model !== 'heuristic' && fitOf(preferred).fallback && !fitOf(other).fallback;
  const kind = switched ? other : preferred;
  const names = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD' } as const;
  const card: ModelCard = switched
    ? {
        ...chosen,
        model: other,
        note:
          `${names[preferred]} predicted best in the back-test but could not be fitted on the whole history ` +
          `(${fitOf(preferred).fallbackReason}); ${names[other]} scores instead`,
      }
    : chosen;
  const purchases = fitOf(kind);
  // What the back-test chose, not a switch forced by a failed refit: tomorrow's incumbent.
  if (chosen.model !== 'heuristic') await deps.store.putModelChoice(shopId, { model: chosen.model, asOf });
  const mbgnbd = kind === 'mbgnbd' ? purchases : undefined;
  const averages = summaries.map((s) => s.averageValueMinor);
  const typicalValue = averages.length ? averages.reduce((a, b) => a + b, 0) / averages.length : 0;
  const spend = fitGammaGamma(
    summaries
      .filter((s) => s.frequency > 0 && (s.averageRepeatValueMinor ?? 0) > 0)
      .map((s) => ({ frequency: s.frequency, averageValue: s.averageRepeatValueMinor! })),
    // Without any order value the fallback's scale would be undefined; 1 minor unit keeps it finite.
    { typicalValue: typicalValue > 0 ? typicalValue : 1 },
  );
  const rfm = rfmScores(
    summaries.map((s) => ({
      timeSinceLastPurchase: s.daysSinceLastPurchase,
      frequency: s.purchaseDays,
      monetary: s.averageValueMinor,
    })),
  );
  const shopInterval = medianIntervalDays(summaries);

  const scoringOf = new Map<string, ScoringInput>();
  buyers.forEach((b, i) => {
    const s = b.summary;
    scoringOf.set(b.customer.cid, {
      frequency: s.frequency,
      recency: s.recency,
      age: s.age,
      averageRepeatValueMinor: s.averageRepeatValueMinor,
      daysSinceLast: s.daysSinceLastPurchase,
      rfm: { r: rfm.recency[i]!, f: rfm.frequency[i]!, m: rfm.monetary[i]! },
    });
  });

  const fellBack = purchases.fallback || spend.fallback;
  const parametersOf = (f: typeof purchases) => ({
    r: f.r,
    alpha: f.alpha,
    a: f.a,
    b: f.b,
    timeUnit: f.timeUnit === 'days' ? ('day' as const) : ('week' as const),
    logLikelihood: f.logLikelihood,
  });
  const model: ModelFile = {
    currency: shop.currency,
    kind,
    purchases: { r: purchases.r, alpha: purchases.alpha, a: purchases.a, b: purchases.b, timeUnit: purchases.timeUnit },
    spend: { p: spend.p, q: spend.q, v: spend.v },
    horizonDays,
    ...(card.model === 'heuristic'
      ? { heuristic: shopInterval !== undefined ? { shopIntervalDays: shopInterval } : {} }
      : {}),
    result: {
      bgnbd: parametersOf(bgnbd),
      ...(mbgnbd ? { mbgnbd: parametersOf(mbgnbd) } : {}),
      gammaGamma: { p: spend.p, q: spend.q, v: spend.v },
      customers: buyers.length,
      selected: card.model,
      horizonDays,
      card,
      ...(fellBack
        ? {
            fallback: {
              bgnbd: bgnbd.fallbackReason,
              ...(mbgnbd ? { mbgnbd: mbgnbd.fallbackReason } : {}),
              gammaGamma: spend.fallbackReason,
            },
          }
        : {}),
    },
  };
  const shards = shardsOf(
    rows.map((r): ShardCustomer => ({
      customer: r.customer,
      orders: r.orders,
      scoring: scoringOf.get(r.customer.cid) ?? null,
    })),
    totalSegments,
  );
  await Promise.all([
    writeJson(deps.sink, files.model, model),
    writeJson(deps.sink, files.nps, nps),
    ...shards.map((shard, k) => writeJson(deps.sink, files.shard(k), shard)),
  ]);
  deps.logger.info('nightly fit', {
    shopId,
    jobId,
    asOf,
    customers: rows.length,
    buyers: buyers.length,
    repeatBuyers: purchases.repeatBuyers,
    model: card.model,
    backtestAuc: card.backtest?.candidates.find((c) => c.model === card.model)?.auc ?? null,
    bgnbdFallback: bgnbd.fallbackReason,
    gammaGammaFallback: spend.fallbackReason,
  });
  return { step: 'fit' as const, shards: range(totalSegments), customers: buyers.length, fallback: fellBack };
};

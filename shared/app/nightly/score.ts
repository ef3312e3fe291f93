import { endpointWants, segmentChangedEvent } from '../../domain/outgoing/events';
import { exportRow, toCsvRows, type ExportRow } from '../../domain/churn/export-rows';
import type { MetricsCustomer } from '../../domain/churn/metrics';
import { heuristicNoPurchase } from '../../domain/churn/purchase-models';
import { churnRisk } from '../../domain/churn/risk';
import { scoreCustomers } from '../../domain/churn/score';
import { segmentNames, segmentOf, segmentTransition, type SegmentName } from '../../domain/churn/segments';
import { readModelFile, type ShardCustomer } from './fit';
import { jobFiles, readJson, writeJson } from './files';
import { segmentHistoryLimit, type NightlyDeps, type SegmentRecord, type SegmentWrite } from '../ports/nightly';
import type { StepInput } from './summarise';
import { forEachLimited } from '../../domain/for-each-limited';
import { engagementInWindow, engagementScore } from '../../domain/metrics/engagement';
import type { DayCustomer } from '../../domain/metrics/day-metrics';
import { membershipPlanAt } from '../../domain/membership/state';

/** What score leaves for assemble, per shard. */
/** A customer's inputs to both metrics: LoyaltyMetrics and the day's metrics kept over time. */
export type ScoredMetricsCustomer = MetricsCustomer & Omit<DayCustomer, 'orders'>;

export interface ScoredShard {
  rows: ExportRow[];
  metrics: ScoredMetricsCustomer[];
  segments: Record<SegmentName, number>;
  transitions: number;
}

export const emptySegmentCounts = (): Record<SegmentName, number> =>
  Object.fromEntries(segmentNames.map((n) => [n, 0])) as Record<SegmentName, number>;

/**
 * The segment item for tonight, from last night's. History keeps the last changes (oldest
 * first); an unchanged segment keeps its `since`.
 */
export const nextSegmentRecord = (
  previous: SegmentRecord | undefined,
  scored: Omit<SegmentRecord, 'since' | 'history'>,
): { record: SegmentRecord; transition: ReturnType<typeof segmentTransition> } => {
  const transition = segmentTransition(previous?.name, scored.name);
  const unchanged = transition.kind === 'unchanged' && previous !== undefined;
  return {
    transition,
    record: {
      ...scored,
      since: unchanged ? previous.since : scored.asOf,
      history: unchanged
        ? previous.history
        : [...(previous?.history ?? []), { name: scored.name, since: scored.asOf }].slice(-segmentHistoryLimit),
    },
  };
};

/**
 * Step 3, once per shard: P(alive), expected purchases (90 days) and predicted 12-month value
 * from the fitted models; churn risk; segment; the transition from the stored segment (a move
 * writes a `segment_changed` event with the segment item, in one transaction); the shard's
 * export rows and metric inputs.
 *
 * A run for an earlier day than the stored segment's (a replay) reports and exports its own
 * segments but leaves the stored ones, and emits no events: history only moves forward.
 */
export const score = async (deps: NightlyDeps, input: StepInput & { segment: number }) => {
  const { shopId, jobId, asOf, segment: shard } = input;
  const files = jobFiles(shopId, jobId);
  const [model, customers] = await Promise.all([
    readModelFile(deps.sink, files.model),
    readJson<ShardCustomer[]>(deps.sink, files.shard(shard)),
  ]);
  const buyers = customers.filter(
    (c): c is ShardCustomer & { scoring: NonNullable<ShardCustomer['scoring']> } => c.scoring !== null,
  );
  const columns = scoreCustomers(
    { kind: model.kind, purchases: model.purchases, spend: model.spend },
    buyers.map((b) => ({
      frequency: b.scoring.frequency,
      recency: b.scoring.recency,
      age: b.scoring.age,
      averageRepeatValue: b.scoring.averageRepeatValueMinor,
    })),
    { horizonDays: 90, valueHorizonDays: 365, noPurchaseHorizonDays: model.horizonDays },
  );
  const previous = await deps.store.getSegments(
    shopId,
    buyers.map((b) => b.customer.cid),
  );

  const now = deps.clock.now().toISOString();
  const out: ScoredShard = { rows: [], metrics: [], segments: emptySegmentCounts(), transitions: 0 };
  const writes: SegmentWrite[] = [];
  const predicted = new Map<string, number>();
  const segmentOfCid = new Map<string, SegmentName>();
  const atRisk: string[] = [];
  const shop = await deps.shops.get(shopId);
  // At risk: a probability of no purchase within the shop's horizon at or above its threshold,
  // or, while the shop has not set one, the 0–100 risk score at or above the one it always could.
  const winback = deps.winback && shop?.program.winback.enabled ? shop.program.winback : undefined;
  const atOrAbove = (p: number, score: number): boolean =>
    winback !== undefined &&
    (winback.noPurchaseProbability !== null ? p >= winback.noPurchaseProbability : score >= winback.riskThreshold);
  // A series starts when the risk crosses the threshold between the stored night and this one.
  // A customer's first scored night is their baseline, and so is the first night after the risk
  // became a probability (a stored item without pNoPurchase): most customers of a shop are
  // unlikely to buy within 90 days, and an upgrade must not mail all of them at once.
  const crossed = (prev: SegmentRecord | undefined, p: number, score: number): boolean =>
    prev?.pNoPurchase !== undefined &&
    prev.asOf < asOf &&
    !atOrAbove(prev.pNoPurchase, prev.churnRisk.score) &&
    atOrAbove(p, score);
  buyers.forEach((b, i) => {
    const s = b.scoring;
    const pAlive = Math.min(1, Math.max(0, columns.probabilityAlive[i]!));
    const expectedPurchases90d = Math.max(0, columns.expectedPurchases[i]!);
    const value = Math.max(0, columns.expectedValue[i]!);
    const pNoPurchase = Math.min(
      1,
      Math.max(
        0,
        model.heuristic
          ? heuristicNoPurchase(s.daysSinceLast, model.heuristic.shopIntervalDays, model.horizonDays)
          : columns.noPurchase[i]!,
      ),
    );
    const risk = churnRisk(pNoPurchase);
    const engaged = engagementInWindow(b.customer.engagedDays, asOf);
    const name = segmentOf({
      rfm: s.rfm,
      frequency: s.frequency,
      ageDays: s.age,
      pAlive,
      riskBand: risk.band,
      ...(engaged.daysSinceActivity !== undefined
        ? {
            engagement: {
              daysSinceActivity: engaged.daysSinceActivity,
              daysSinceLastPurchase: s.daysSinceLast,
              horizonDays: model.horizonDays,
            },
          }
        : {}),
    });
    segmentOfCid.set(b.customer.cid, name);
    const row = exportRow(
      b.customer,
      {
        pAlive,
        expectedPurchases90d,
        predictedValue12mMinor: value,
        currency: model.currency,
        rfm: s.rfm,
        pNoPurchase,
        horizonDays: model.horizonDays,
        engagement: engagementScore(b.customer.engagedDays, asOf),
      },
      name,
      risk,
    );
    out.rows.push(row);
    out.segments[name]++;
    predicted.set(b.customer.cid, value);

    const prev = previous.get(b.customer.cid);
    if (prev && prev.asOf > asOf) return;
    if (crossed(prev, pNoPurchase, risk.score)) atRisk.push(b.customer.cid);
    const { record, transition } = nextSegmentRecord(prev, {
      cid: b.customer.cid,
      name,
      asOf,
      jobId,
      churnRisk: risk,
      pNoPurchase: row.pNoPurchase,
      horizonDays: model.horizonDays,
      pAlive: row.pAlive,
      expectedPurchases90d: row.expectedPurchases90d,
      predictedValue12mMinor: row.predictedValue12mMinor,
      rfm: s.rfm,
      updatedAt: now,
    });
    if (transition.kind === 'moved') {
      out.transitions++;
      writes.push({
        record,
        event: {
          eventType: 'segment_changed',
          data: { from: transition.from, to: transition.to, worsened: transition.worsened },
          at: now,
        },
        ...(shop?.outgoingEvents && endpointWants(shop.outgoingEvents, 'segment.changed')
          ? {
              outgoing: segmentChangedEvent(shopId, b.customer, {
                from: transition.from,
                to: transition.to,
                churnRisk: risk.score,
                at: now,
              }),
            }
          : {}),
      });
    } else {
      writes.push({ record });
    }
  });
  // Members as of the end of the day the run is for (the same instant as the run's other as-of
  // reads), whatever time it runs: covered then by their membership's paid period and grace days,
  // even if it has lapsed since or was bought later that the run reads it.
  const endOfAsOf = `${asOf}T23:59:59.999Z`;
  out.metrics = customers.map((c) => ({
    cid: c.customer.cid,
    orders: c.orders,
    ...(c.customer.engagedDays ? { engagedDays: c.customer.engagedDays } : {}),
    member: shop !== undefined && membershipPlanAt(c.customer, shop.program, endOfAsOf) !== undefined,
    ...(segmentOfCid.has(c.customer.cid) ? { segment: segmentOfCid.get(c.customer.cid)! } : {}),
    pointsAvailable: c.customer.points.available,
    pointsPending: c.customer.points.pending,
    predictedValue12mMinor: predicted.get(c.customer.cid) ?? 0,
    // No stored tier is the lowest tier, when the shop has tiers at all.
    ...(c.customer.tier !== undefined
      ? { tier: c.customer.tier }
      : shop?.program.tiers.enabled
        ? { tier: shop.program.tiers.levels[0]!.id }
        : {}),
  }));

  await deps.store.writeSegments(shopId, writes);
  // At or above the shop's threshold: into the win-back series, which keeps each customer to
  // one series per cooldown and the weekly marketing cap, and needs consent.
  let winbacks = 0;
  if (shop && deps.winback) {
    const riskSince = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString();
    await forEachLimited(atRisk, 8, async (cid) => {
      if ((await deps.winback!.start(shop, cid, riskSince)).started) winbacks++;
    });
  }
  await Promise.all([
    deps.sink.put(files.csvPart(shard), toCsvRows(out.rows), 'text/csv'),
    writeJson(deps.sink, files.scored(shard), out),
  ]);
  return { step: 'score' as const, segment: shard, customers: out.rows.length, transitions: out.transitions, winbacks };
};

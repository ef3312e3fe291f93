import { pointValueOf } from '../domain/churn/metrics';
import type { Shop } from '../domain/shop';
import { localDay } from '../domain/calendar';
import { churnPrefix, daysBetween, segmentPrefix, tierPrefix, type Counters } from '../domain/stats/daily';
import type { DailyStatsDeps } from './daily-stats-service';
import type { NightlyStore } from './ports/nightly';

export interface OverviewDeps extends DailyStatsDeps {
  jobs: Pick<NightlyStore, 'listJobs'>;
  /** E-mail performance by type over a range (the `GET …/emails/stats` answer). */
  emailStats: (shopId: string, from: string, to: string) => Promise<unknown>;
}

export interface Kpi<T> {
  value: T;
  /** The same figure for the period before; null where only the current state is kept. */
  previous: T | null;
}

const dayMs = 86_400_000;
const shifted = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

/** A ratio rounded to `decimals`, or null over nothing. */
const ratio = (num: number, den: number, decimals = 4): number | null =>
  den === 0 ? null : Math.round((num / den) * 10 ** decimals) / 10 ** decimals;

const sumOver = (stored: Map<string, Counters>, from: string, to: string, name: string) =>
  daysBetween(from, to).reduce((s, d) => s + (stored.get(d)?.[name] ?? 0), 0);

/** −100..100 from promoters, passives and detractors, 2 decimals; null without answers. */
const npsOf = (stored: Map<string, Counters>, from: string, to: string): number | null => {
  const p = sumOver(stored, from, to, 'npsPromoters');
  const d = sumOver(stored, from, to, 'npsDetractors');
  const n = p + d + sumOver(stored, from, to, 'npsPassives');
  return n === 0 ? null : ratio(100 * (p - d), n, 2);
};

const prefixed = (totals: Counters, prefix: string) =>
  Object.entries(totals)
    .filter(([k, v]) => k.startsWith(prefix) && v > 0)
    .map(([k, v]) => [k.slice(prefix.length), v] as const);

/** The last 100 runs at most (jobs are kept 90 days): newest first. */
const recentJobs = async (deps: OverviewDeps, shopId: string) =>
  (await deps.jobs.listJobs(shopId, { limit: 100 })).items;

/**
 * The console's KPIs for the `days` days ending today (the shop's today) and the period before,
 * and the distributions beside them (docs/console.md, "Statistics", for every definition).
 */
export const statsOverview = async (deps: OverviewDeps, shop: Shop, days: number) => {
  await deps.catchUp?.();
  const now = deps.clock.now();
  const to = localDay(now.toISOString(), shop.timezone);
  const from = shifted(to, -(days - 1));
  const previous = { from: shifted(from, -days), to: shifted(from, -1) };
  const active = { from: shifted(to, -89), to };
  const readFrom = previous.from < active.from ? previous.from : active.from;
  const [stored, totals, jobs] = await Promise.all([
    deps.stats.days(shop.id, readFrom, to),
    deps.stats.totals(shop.id),
    recentJobs(deps, shop.id),
  ]);
  const sum = (name: string, p: { from: string; to: string }) => sumOver(stored, p.from, p.to, name);
  const both = (f: (p: { from: string; to: string }) => number | null) => ({
    value: f({ from, to }),
    previous: f(previous),
  });
  const pointValue = pointValueOf(shop.program.rewards);
  const outstanding = totals.pointsOutstanding ?? 0;
  const succeeded = jobs.filter((j) => j.status === 'succeeded' && j.result);
  const latest = succeeded[0];
  // State KPIs have no daily counter to sum; their previous value is the nightly run's as of the
  // previous period's end (newest first, so the first at or before it).
  const then = succeeded.find((j) => j.asOf <= previous.to)?.result?.metrics;
  return {
    shopId: shop.id,
    currency: shop.currency,
    timezone: shop.timezone,
    days,
    period: { from, to },
    previousPeriod: previous,
    asOf: { counters: now.toISOString(), segments: latest?.asOf ?? null },
    kpis: {
      members: { value: totals.members ?? 0, previous: null },
      active90: { value: sum('lastOrderMembers', active), previous: null },
      repeatPurchaseRate: {
        value: ratio(totals.repeatBuyers ?? 0, totals.buyers ?? 0) ?? 0,
        previous: then?.repeatPurchaseRate ?? null,
      },
      memberRevenue: both((p) => sum('memberRevenue', p)),
      nonMemberRevenue: both((p) => sum('revenue', p) - sum('memberRevenue', p)),
      referredRevenue: both((p) => sum('referredRevenue', p)),
      pointsLiability: {
        value: {
          points: outstanding,
          amount: pointValue ? Math.floor((outstanding * pointValue.valueMinor) / pointValue.points) : 0,
          currency: shop.currency,
        },
        previous: then
          ? { points: then.pointsLiability.points, amount: then.pointsLiability.valueMinor, currency: shop.currency }
          : null,
      },
      redemptionRate: both((p) => ratio(sum('pointsRedeemed', p), sum('pointsIssued', p))),
      nps: both((p) => npsOf(stored, p.from, p.to)),
    },
    distributions: {
      tiers: tierDistribution(prefixed(totals, tierPrefix), shop),
      churnRisk: Array.from({ length: 10 }, (_, i) => ({
        min: i * 10,
        max: i === 9 ? 100 : i * 10 + 9,
        customers: totals[`${churnPrefix}${i * 10}`] ?? 0,
      })),
      segmentsNow: Object.fromEntries(prefixed(totals, segmentPrefix)),
      segments: succeeded.map((j) => ({ asOf: j.asOf, jobId: j.jobId, segments: { ...j.result!.segments } })).reverse(),
      emails: await deps.emailStats(shop.id, from, to),
    },
  };
};

/**
 * Customers per tier in the program's order, with each tier's name. A customer without a tier
 * record has never changed tier, so is on the first level (its threshold is always 0); levels the
 * program no longer has come last, by id.
 */
const tierDistribution = (counted: readonly (readonly [string, number])[], shop: Shop) => {
  const levels = shop.program.tiers.enabled ? shop.program.tiers.levels : [];
  const byId = new Map(counted);
  if (levels[0] && byId.has('none')) {
    byId.set(levels[0].id, (byId.get(levels[0].id) ?? 0) + byId.get('none')!);
    byId.delete('none');
  }
  const known = levels.map((l) => ({ tier: l.id, name: l.name, customers: byId.get(l.id) ?? 0 }));
  const others = [...byId]
    .filter(([id]) => !levels.some((l) => l.id === id))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tier, customers]) => ({ tier, name: tier, customers }));
  return [...known, ...others];
};

import type { Shop } from '../domain/shop';
import { err, ok, type DomainResult } from '../domain/result';
import { endOfDayMs } from '../domain/churn/purchases';
import { withLaterAnswers, type DayMetrics } from '../domain/metrics/day-metrics';
import type { Clock } from './ports/clock';
import type { MetricsStore } from './ports/metrics';

export interface MetricsHistoryDeps {
  metrics: MetricsStore;
  clock: Clock;
}

/** The most days one request may ask for (as for the daily statistics). */
export const maxMetricsDays = 400;

/** The newest night's metrics, with NPS and loyalty index counting every answer up to `answersUntil` (now). */
export type LatestMetrics = DayMetrics & { answersUntil: string };

export interface MetricsHistory {
  shopId: string;
  from: string;
  to: string;
  /** The days of the range with metrics (a night that did not run has none), oldest first. */
  days: DayMetrics[];
  /** Null before the first night with metrics. */
  latest: LatestMetrics | null;
}

export type MetricsHistoryError = { kind: 'range_too_long'; days: number };

/**
 * The loyalty metrics over time (docs/metrics.md): the nights' records from `from` to `to`, and
 * `latest`, the newest night's with the answers given after the instant the night counted answers
 * up to (`answersUntil`: the end of its as-of day, or the run's start if that was earlier) added
 * to its NPS and loyalty index.
 */
export const metricsHistory = async (
  deps: MetricsHistoryDeps,
  shop: Pick<Shop, 'id'>,
  from: string,
  to: string,
): Promise<DomainResult<MetricsHistory, MetricsHistoryError>> => {
  const count = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (count > maxMetricsDays) return err({ kind: 'range_too_long', days: count });
  const [days, newest] = await Promise.all([deps.metrics.listDays(shop.id, from, to), deps.metrics.latestDay(shop.id)]);
  const now = deps.clock.now().toISOString();
  let latest: LatestMetrics | null = null;
  if (newest) {
    const counted = Date.parse(newest.answersUntil ?? new Date(endOfDayMs(newest.asOf) - 1).toISOString());
    const nowMs = Date.parse(now);
    const answers = (await deps.metrics.answersSince(shop.id, new Date(counted).toISOString())).filter((a) => {
      const at = Date.parse(a.at);
      return at > counted && at <= nowMs;
    });
    latest = { ...newest, ...withLaterAnswers(newest, answers), answersUntil: now };
  }
  return ok({ shopId: shop.id, from, to, days, latest });
};

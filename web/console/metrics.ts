import type { DailyStat, MetricsDay } from './types';

/**
 * What each overview chart shows, as plain series: computed apart from how it is drawn (uPlot),
 * so the same numbers feed the chart and its table.
 */
export interface Series {
  /** The i18n key of the series' label, or a literal label (segment names, e-mail types). */
  label: string;
  values: (number | null)[];
  /** Money series are minor units of the shop currency. */
  money?: boolean;
}

export interface ChartData {
  /** x values: UTC dates as YYYY-MM-DD. */
  dates: string[];
  series: Series[];
  /** The figure beside each series: its sum over the days (default) or its last value (sizes). */
  summary?: 'sum' | 'last';
}

const pick = (days: DailyStat[], field: keyof DailyStat, label: string, money = false): Series => ({
  label,
  values: days.map((d) => (typeof d[field] === 'number' ? (d[field] as number) : null)),
  money,
});

export const ordersAndRevenue = (days: DailyStat[]): ChartData => ({
  dates: days.map((d) => d.date),
  series: [pick(days, 'orders', 'orders'), pick(days, 'revenue', 'revenue', true)],
});

export const pointsFlow = (days: DailyStat[]): ChartData => ({
  dates: days.map((d) => d.date),
  series: [
    pick(days, 'pointsIssued', 'pointsIssued'),
    pick(days, 'pointsRedeemed', 'pointsRedeemed'),
    pick(days, 'pointsExpired', 'pointsExpired'),
  ],
});

export const referralFunnel = (days: DailyStat[]): ChartData => ({
  dates: days.map((d) => d.date),
  series: [
    pick(days, 'referralClicks', 'referralClicks'),
    pick(days, 'referralOrders', 'referralOrders'),
    pick(days, 'referralRewardsConfirmed', 'referralRewardsConfirmed'),
  ],
});

/** One series per segment name seen in any snapshot; a snapshot without it has no value there. */
export const segmentSizes = (snapshots: { asOf: string; sizes: Record<string, number> }[]): ChartData => {
  const sorted = [...snapshots].sort((a, b) => a.asOf.localeCompare(b.asOf));
  const names = [...new Set(sorted.flatMap((s) => Object.keys(s.sizes)))];
  return {
    dates: sorted.map((s) => s.asOf.slice(0, 10)),
    series: names.map((name) => ({ label: name, values: sorted.map((s) => s.sizes[name] ?? null) })),
    summary: 'last',
  };
};

/**
 * NPS, loyalty index and engagement per night: scores without answers are gaps, not zeros; the
 * engagement rate as a percentage so the three share one 0–100 scale.
 */
export const loyaltyOverTime = (days: MetricsDay[]): ChartData => {
  const sorted = [...days].sort((a, b) => a.asOf.localeCompare(b.asOf));
  return {
    dates: sorted.map((d) => d.asOf),
    series: [
      { label: 'nps', values: sorted.map((d) => (d.nps.responses ? d.nps.score : null)) },
      {
        label: 'customerLoyaltyIndex',
        values: sorted.map((d) => (d.customerLoyaltyIndex.responses ? d.customerLoyaltyIndex.score : null)),
      },
      { label: 'engagementPercent', values: sorted.map((d) => Math.round(d.engagementRate * 1000) / 10) },
    ],
    summary: 'last',
  };
};

/** The figure beside a series: its sum, or its last known value. */
export const summaryOf = (s: Series, how: ChartData['summary'] = 'sum'): number | null =>
  how === 'last'
    ? ([...s.values].reverse().find((v) => v !== null) ?? null)
    : s.values.reduce<number>((a, v) => a + (v ?? 0), 0);

/** YYYY-MM-DD of `days` days before `today` (UTC), and today: the daily stats' range. */
export const lastDays = (today: Date, days: number): { from: string; to: string } => {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
};

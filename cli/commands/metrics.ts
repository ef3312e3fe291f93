import type { Command } from 'commander';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';

interface Score {
  score: number;
  responses: number;
}

interface Day {
  asOf: string;
  answersUntil?: string;
  customers: number;
  nps: Score;
  customerLoyaltyIndex: Score;
  repeatPurchaseRate: number;
  repeatRevenueShare: number;
  multiProductRate: number;
  engagementRate: number;
}

interface History {
  days: Day[];
  latest: Day | null;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const scored = (s: Score) => (s.responses ? `${s.score} (${s.responses})` : '–');

const row = (d: Day) => ({
  asOf: d.asOf,
  customers: d.customers,
  nps: scored(d.nps),
  cli: scored(d.customerLoyaltyIndex),
  repeat: percent(d.repeatPurchaseRate),
  repeatRevenue: percent(d.repeatRevenueShare),
  multiProduct: percent(d.multiProductRate),
  engagement: percent(d.engagementRate),
});

const columns = ['asOf', 'customers', 'nps', 'cli', 'repeat', 'repeatRevenue', 'multiProduct', 'engagement'];

/** The loyalty metrics over time (docs/metrics.md): `GET …/metrics`. */
export const registerMetrics = (program: Command, io: Io, state: RunState) => {
  program
    .command('metrics')
    .description('loyalty metrics per nightly run (NPS, loyalty index, repeat, multi-product and engagement rates)')
    .option('--from <day>', 'YYYY-MM-DD (default: 29 days before --to)')
    .option('--to <day>', "YYYY-MM-DD (default: today in the shop's time zone)")
    .action(
      action(io, state, async (ctx, opts: { from?: string; to?: string }) => {
        for (const [flag, v] of [
          ['--from', opts.from],
          ['--to', opts.to],
        ] as const)
          if (v !== undefined && !isoDay.test(v)) throw usageError(`${flag} must be YYYY-MM-DD`);
        const r = await ctx.client.request<History>('GET', `/admin/shops/${enc(ctx.shopId())}/metrics`, {
          query: { from: opts.from, to: opts.to },
        });
        emit(io, ctx.json, r, () => {
          const days = table(r.days.map(row), columns);
          if (!r.latest) return days;
          const { asOf: _asOf, ...now } = row(r.latest);
          return `${days}\nlatest (night of ${r.latest.asOf}, answers up to ${r.latest.answersUntil ?? '?'})\n${keyValues(now)}`;
        });
      }),
    );
};

import { describe, expect, it } from 'vitest';
import { defaultProgram } from '../../../shared/schemas/program';
import { diff, getAt, serverIssues, setAt, validate } from '../../../web/console/program-model';
import { lastDays, loyaltyOverTime, ordersAndRevenue, segmentSizes, summaryOf } from '../../../web/console/metrics';

/** The console's pure parts: the program editor's model and what the overview charts show. */
describe('program editor model', () => {
  it('reads and writes a draft by path without touching the original', () => {
    const p = defaultProgram();
    const next = setAt(p, ['rewards', 0, 'name'], 'Ten off');
    expect(getAt(next, ['rewards', 0, 'name'])).toBe('Ten off');
    expect(p.rewards[0]!.name).not.toBe('Ten off');
    expect(next.rewards[1]).toBe(p.rewards[1]);
  });

  it('names every problem by its dotted path with the API schema', () => {
    const bad = setAt(
      setAt(defaultProgram(), ['earning', 'rate', 'points'], -1),
      ['tiers', 'levels', 0, 'threshold'],
      5,
    );
    const { program, issues } = validate(bad);
    expect(program).toBeUndefined();
    expect([...issues.keys()].sort()).toEqual(['earning.rate.points', 'tiers.levels.0.threshold']);
    expect(validate(defaultProgram()).issues.size).toBe(0);
  });

  it('diffs leaf by leaf, arrays by index', () => {
    const before = defaultProgram();
    const after = setAt(setAt(before, ['earning', 'rate', 'points'], 2), ['rewards', 1, 'pointsCost'], 900);
    expect(diff(before, after)).toEqual([
      { path: 'earning.rate.points', from: 1, to: 2 },
      { path: 'rewards.1.pointsCost', from: 1000, to: 900 },
    ]);
    expect(diff(before, before)).toEqual([]);
  });

  it('maps the PATCH body paths of a 400 to the program fields', () => {
    expect([...serverIssues([{ path: 'program.rewards.0.name', message: 'taken' }])]).toEqual([
      ['rewards.0.name', 'taken'],
    ]);
  });
});

describe('overview metrics', () => {
  const day = (date: string, orders: number, revenue: number) =>
    ({ date, orders, revenue }) as unknown as Parameters<typeof ordersAndRevenue>[0][number];

  it('keeps money series marked, and sums a daily series', () => {
    const c = ordersAndRevenue([day('2026-12-01', 2, 1000), day('2026-12-02', 3, 500)]);
    expect(c.dates).toEqual(['2026-12-01', '2026-12-02']);
    expect(c.series.map((s) => [s.label, s.money ?? false, summaryOf(s)])).toEqual([
      ['orders', false, 5],
      ['revenue', true, 1500],
    ]);
  });

  it('shows NPS, loyalty index and engagement per night, a score without answers as a gap', () => {
    const night = (asOf: string, nps: number, npsN: number, cli: number, cliN: number, engagementRate: number) => ({
      asOf,
      nps: { score: nps, responses: npsN },
      customerLoyaltyIndex: { score: cli, responses: cliN },
      engagementRate,
    });
    const c = loyaltyOverTime([night('2026-12-02', 40, 5, 72.5, 2, 0.2234), night('2026-12-01', 0, 0, 0, 0, 0.1)]);
    expect(c.dates).toEqual(['2026-12-01', '2026-12-02']);
    expect(c.series.map((s) => [s.label, s.values, summaryOf(s, c.summary)])).toEqual([
      ['nps', [null, 40], 40],
      ['customerLoyaltyIndex', [null, 72.5], 72.5],
      ['engagementPercent', [10, 22.3], 22.3],
    ]);
  });

  it('shows segment sizes by date, the latest as the figure, a missing segment as a gap', () => {
    const c = segmentSizes([
      { asOf: '2026-12-02', sizes: { loyal: 12 } },
      { asOf: '2026-12-01', sizes: { loyal: 10, lost: 4 } },
    ]);
    expect(c.dates).toEqual(['2026-12-01', '2026-12-02']);
    expect(c.series).toEqual([
      { label: 'loyal', values: [10, 12] },
      { label: 'lost', values: [4, null] },
    ]);
    expect(c.series.map((s) => summaryOf(s, c.summary))).toEqual([12, 4]);
  });

  it('asks for the 30 days ending today (UTC)', () => {
    expect(lastDays(new Date('2026-12-05T01:00:00Z'), 30)).toEqual({ from: '2026-11-06', to: '2026-12-05' });
  });
});

import { describe, expect, it } from 'vitest';
import { dayMetrics, withLaterAnswers, type DayCustomer } from '../../../shared/domain/metrics/day-metrics';
import { engagementInWindow, engagementScore } from '../../../shared/domain/metrics/engagement';
import { customerLoyaltyIndex } from '../../../shared/domain/metrics/loyalty-index';

const order = (day: string, revenueMinor: number, ...productIds: string[]) => ({
  at: `${day}T12:00:00.000Z`,
  revenueMinor,
  productIds,
  referred: false,
});

/**
 * Five customers as of 2026-06-30. The 365-day window starts 2025-07-01T00:00Z (end of the day,
 * 2026-07-01T00:00Z, minus 365 × 24 h); the 90-day engagement window is 2026-04-02 … 2026-06-30.
 */
const asOf = '2026-06-30';
const customers: DayCustomer[] = [
  // Repeat, active, two products, member, engaged 10 days ago.
  {
    cid: 'a',
    orders: [order('2026-03-01', 5_000, 'p2'), order('2026-06-01', 10_000, 'p1')],
    engagedDays: ['2026-06-20'],
    member: true,
    segment: 'loyal',
  },
  // Repeat (one order before the window), active, one product; engaged 180 days ago: not engaged.
  {
    cid: 'b',
    orders: [order('2024-01-01', 8_000, 'p1'), order('2026-05-01', 2_000, 'p1')],
    engagedDays: ['2026-01-01'],
    member: false,
    segment: 'at_risk',
  },
  // One order, active; engaged 89 days ago: the window's first day.
  { cid: 'c', orders: [order('2026-06-25', 3_000, 'p3')], engagedDays: ['2026-04-02'], member: false, segment: 'new' },
  // Repeat, two products, both orders before the window: not active; engaged 90 days ago: outside.
  {
    cid: 'd',
    orders: [order('2025-01-01', 4_000, 'p1'), order('2025-02-01', 6_000, 'p4')],
    engagedDays: ['2026-04-01'],
    member: false,
    segment: 'lost',
  },
  // No order, so no segment; engaged on the day (a day after it is ignored); a member.
  { cid: 'e', orders: [], engagedDays: ['2026-06-30', '2026-07-05'], member: true },
];
const answers = [
  { cid: 'a', score: 10, buyAgain: 9, tryOther: 8 }, // promoter, CLI sum 27
  { cid: 'a', score: 7 }, // passive, no CLI
  { cid: 'b', score: 8, buyAgain: 5, tryOther: 4 }, // passive, 17
  { cid: 'c', score: 3, buyAgain: 2, tryOther: 1 }, // detractor, 6
  { cid: 'x', score: 9, buyAgain: 10 }, // promoter of an unknown customer; one intent answer: no CLI
];

describe('dayMetrics on hand-made data', () => {
  const m = dayMetrics({ asOf, customers, answers });

  it('NPS: 2 promoters, 2 passives, 1 detractor → 100 × (2 − 1) / 5 = 20', () => {
    expect(m.nps).toEqual({ score: 20, responses: 5, promoters: 2, passives: 2, detractors: 1 });
  });

  it('CLI: three complete answers summing 27 + 17 + 6 = 50 → 10 × 50 / 9 = 55.56', () => {
    expect(m.customerLoyaltyIndex).toEqual({ score: 55.56, responses: 3, answerSum: 50 });
  });

  it('repeat-purchase rate of active customers: a, b, c active, a and b repeat → 2/3', () => {
    expect(m).toMatchObject({ customers: 5, activeCustomers: 3, repeatActiveCustomers: 2, repeatPurchaseRate: 0.6667 });
  });

  it('revenue from repeat customers: a 15 000 + b 10 000 + d 10 000 of 38 000 → 0.9211', () => {
    expect(m).toMatchObject({ revenueMinor: 38_000, repeatCustomerRevenueMinor: 35_000, repeatRevenueShare: 0.9211 });
  });

  it('multi-product buyers among repeat buyers: a and d of a, b, d → 2/3', () => {
    expect(m).toMatchObject({ repeatBuyers: 3, multiProductRepeatBuyers: 2, multiProductRate: 0.6667 });
  });

  it('engagement rate: a, c, e of 5 → 0.6', () => {
    expect(m).toMatchObject({ engagedCustomers: 3, engagementRate: 0.6 });
  });

  it('members vs non-members spend in 365 days: 15 000 over 2; 2 000 + 3 000 over 3 → 1 667', () => {
    expect(m.members).toEqual({ customers: 2, revenueMinor: 15_000, averageSpendMinor: 7_500 });
    expect(m.nonMembers).toEqual({ customers: 3, revenueMinor: 5_000, averageSpendMinor: 1_667 });
  });

  it('per segment, answers in the segment of who gave them, customers without one under none', () => {
    expect(m.bySegment.loyal).toMatchObject({
      customers: 1,
      nps: { score: 50, responses: 2, promoters: 1, passives: 1, detractors: 0 },
      customerLoyaltyIndex: { score: 90, responses: 1, answerSum: 27 },
      repeatPurchaseRate: 1,
      repeatRevenueShare: 1,
      multiProductRate: 1,
      engagementRate: 1,
      members: { customers: 1, revenueMinor: 15_000, averageSpendMinor: 15_000 },
      nonMembers: { customers: 0, revenueMinor: 0, averageSpendMinor: 0 },
    });
    expect(m.bySegment.at_risk).toMatchObject({
      nps: { score: 0, responses: 1 },
      customerLoyaltyIndex: { score: 56.67, responses: 1 },
      engagementRate: 0,
      nonMembers: { customers: 1, revenueMinor: 2_000, averageSpendMinor: 2_000 },
    });
    expect(m.bySegment.new).toMatchObject({
      nps: { score: -100 },
      customerLoyaltyIndex: { score: 20 },
      activeCustomers: 1,
      repeatPurchaseRate: 0,
    });
    expect(m.bySegment.lost).toMatchObject({
      activeCustomers: 0,
      repeatPurchaseRate: 0,
      repeatBuyers: 1,
      multiProductRate: 1,
      engagementRate: 0,
    });
    expect(m.bySegment.none).toMatchObject({
      customers: 1,
      nps: { score: 100, responses: 1 },
      customerLoyaltyIndex: { score: 0, responses: 0 },
      engagementRate: 1,
      members: { customers: 1, revenueMinor: 0, averageSpendMinor: 0 },
    });
    expect(m.bySegment.champions).toMatchObject({ customers: 0, repeatPurchaseRate: 0, nps: { responses: 0 } });
  });

  it('gives 0 over empty denominators', () => {
    const empty = dayMetrics({ asOf, customers: [], answers: [] });
    expect(empty).toMatchObject({ repeatPurchaseRate: 0, engagementRate: 0, nps: { score: 0, responses: 0 } });
  });

  it('refuses a bad answer or revenue', () => {
    expect(() => dayMetrics({ asOf, customers: [], answers: [{ cid: 'a', score: 11 }] })).toThrow(RangeError);
    expect(() =>
      dayMetrics({ asOf, customers: [{ cid: 'a', orders: [order(asOf, -1)], member: false }], answers: [] }),
    ).toThrow(RangeError);
  });
});

describe('withLaterAnswers', () => {
  it('adds answers given after the night exactly, from the counts and the sum', () => {
    const day = dayMetrics({ asOf, customers, answers });
    // (2, 2, 1) + a detractor and a promoter → (3, 2, 2): 100 × 1 / 7 = 14.29; CLI 50 / 4 answers: 500 / 12 = 41.67.
    expect(withLaterAnswers(day, [{ score: 0, buyAgain: 0, tryOther: 0 }, { score: 9 }])).toEqual({
      nps: { score: 14.29, responses: 7, promoters: 3, passives: 2, detractors: 2 },
      customerLoyaltyIndex: { score: 41.67, responses: 4, answerSum: 50 },
    });
  });
});

describe('customerLoyaltyIndex', () => {
  it('counts only answers with all three 0–10 answers', () => {
    expect(
      customerLoyaltyIndex([
        { score: 10, buyAgain: 10, tryOther: 10 },
        { score: 5, buyAgain: 5, tryOther: 11 },
        { score: 5 },
        { score: 0, buyAgain: 0, tryOther: 0 },
      ]),
    ).toEqual({ score: 50, responses: 2, answerSum: 30 });
    expect(customerLoyaltyIndex([])).toEqual({ score: 0, responses: 0, answerSum: 0 });
  });
});

describe('engagementScore', () => {
  const tenDays = Array.from({ length: 10 }, (_, k) => `2026-06-${String(21 + k).padStart(2, '0')}`);
  it.each<[string, string[] | undefined, number]>([
    ['nothing', undefined, 0],
    ['one activity today: 50 + 5', ['2026-06-30'], 55],
    ['ten days up to today: 50 + 50', tenDays, 100],
    ['one activity on the window’s first day: (5 + 45) / 9 = 5.56', ['2026-04-02'], 6],
    ['one the day before the window', ['2026-04-01'], 0],
    ['three days, the newest 45 days ago: (225 + 135) / 9', ['2026-05-16', '2026-05-01', '2026-04-20'], 40],
    [
      'repeats, a malformed day and a day after the as-of day ignored: 2 days, newest 10 days ago: 490 / 9',
      ['2026-05-01', '2026-06-20', '2026-06-20', 'someday', '2026-07-01'],
      54,
    ],
  ])('%s → %i', (_name, days, expected) => {
    expect(engagementScore(days, asOf)).toBe(expected);
  });

  it('reports the window’s days and recency', () => {
    expect(engagementInWindow(['2026-06-20', '2026-05-01'], asOf)).toEqual({ days: 2, daysSinceActivity: 10 });
    expect(engagementInWindow([], asOf)).toEqual({ days: 0 });
  });
});

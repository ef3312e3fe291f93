import { describe, expect, it } from 'vitest';
import { localDay } from '../../../shared/domain/calendar';
import {
  churnBucket,
  dailyStatsOf,
  daysBetween,
  mergedDeltas,
  statsDeltas,
  totalsDay,
  type DayDelta,
  type StatsContext,
  type StatsSource,
} from '../../../shared/domain/stats/daily';
import type { OrderRecord } from '../../../shared/domain/ledger/order-record';
import { paidOrder } from '../../support/memory-nightly';

/** The daily statistics' projection (docs/console.md, "Statistics"): what each record adds. */
const ctx = (over: Partial<StatsContext> = {}): StatsContext => ({
  timezone: 'Europe/Copenhagen',
  rewardTypes: { 'five-off': 'discount_code' },
  referredFriend: () => false,
  ...over,
});
const order = (o: OrderRecord): StatsSource => ({ kind: 'order', order: o });

/** Applies a sequence of records (before → after) and sums what they add. */
const replay = (images: (StatsSource | undefined)[], c = ctx()): DayDelta[] =>
  mergedDeltas(images.slice(1).flatMap((after, i) => statsDeltas(images[i], after, c)));

describe('daily statistics projection', () => {
  it('cuts days in the shop’s time zone', () => {
    expect(localDay('2026-03-01T23:30:00Z', 'Europe/Copenhagen')).toBe('2026-03-02');
    expect(localDay('2026-03-01T23:30:00Z', 'UTC')).toBe('2026-03-01');
    expect(localDay('2026-03-02T03:00:00Z', 'America/New_York')).toBe('2026-03-01');
  });

  it('counts an order on its creation day, as member or new customer, and takes it back when cancelled', () => {
    const first = paidOrder('c1', 'o1', '2026-03-01T10:00:00Z', 10_000);
    const asFirst: OrderRecord = { ...first, earn: { ...first.earn!, firstOrder: true } };
    expect(statsDeltas(undefined, order(asFirst), ctx())).toEqual([
      { day: '2026-03-01', counters: { orders: 1, revenue: 10_000, newCustomers: 1 } },
    ]);
    const member = paidOrder('c1', 'o2', '2026-03-02T10:00:00Z', 5_000);
    expect(statsDeltas(undefined, order(member), ctx())).toEqual([
      {
        day: '2026-03-02',
        counters: { orders: 1, revenue: 5_000, memberOrders: 1, memberRevenue: 5_000, repeatCustomers: 1 },
      },
    ]);
    const cancelled: OrderRecord = { ...member, cancelledAt: '2026-03-03T00:00:00Z', version: 2 };
    expect(replay([undefined, order(member), order(cancelled)])).toEqual([]);
  });

  it('counts a partial refund as the difference, and nothing for a record that changes nothing counted', () => {
    const o = paidOrder('c1', 'o1', '2026-03-01T10:00:00Z', 10_000);
    const refunded: OrderRecord = {
      ...o,
      refunds: { r1: { amountMinor: 2_500, itemsNetMinor: 2_500, createdAt: '2026-03-05T10:00:00Z' } },
      version: 2,
    };
    expect(statsDeltas(order(o), order(refunded), ctx())).toEqual([
      { day: '2026-03-01', counters: { revenue: -2_500, memberRevenue: -2_500 } },
    ]);
    expect(statsDeltas(order(o), order({ ...o, confirmed: true, version: 2 }), ctx())).toEqual([]);
  });

  it('counts referred friends’ orders, and the referral order once', () => {
    const friendFirst = paidOrder('f', 'o1', '2026-03-01T10:00:00Z', 8_000, { referral: 'f' });
    const friendLater = paidOrder('f', 'o2', '2026-03-04T10:00:00Z', 2_000);
    const referred = ctx({ referredFriend: (cid) => cid === 'f' });
    expect(statsDeltas(undefined, order(friendFirst), ctx())[0]!.counters).toMatchObject({
      referredOrders: 1,
      referredRevenue: 8_000,
      referralOrders: 1,
    });
    const later = statsDeltas(undefined, order(friendLater), referred)[0]!.counters;
    expect(later).toMatchObject({ referredOrders: 1, referredRevenue: 2_000 });
    expect(later.referralOrders).toBeUndefined();
  });

  it('counts ledger entries once, on the day they were written', () => {
    const entry = (type: string, points: number, credit = 0, rewardId?: string): StatsSource => ({
      kind: 'entry',
      entry: {
        entryId: type,
        type: type as never,
        at: '2026-03-10T22:30:00Z',
        points: { available: 0, pending: points },
        credit: { available: credit, pending: 0 },
        cause: 'x',
        ...(rewardId ? { rewardId } : {}),
      },
    });
    expect(statsDeltas(undefined, entry('earn', 120), ctx())).toEqual([
      { day: '2026-03-10', counters: { pointsIssued: 120 } },
    ]);
    expect(statsDeltas(undefined, entry('redeem', -500, 0, 'five-off'), ctx())).toEqual([
      { day: '2026-03-10', counters: { pointsRedeemed: 500, 'r#discount_code': 1 } },
    ]);
    expect(statsDeltas(undefined, entry('redeem', -1000, 1000, 'credit-10'), ctx())[0]!.counters).toEqual({
      pointsRedeemed: 1000,
      storeCreditIssued: 1000,
      'r#credit-10': 1,
    });
    expect(statsDeltas(undefined, entry('expire', -40), ctx())).toEqual([
      { day: '2026-03-10', counters: { pointsExpired: 40 } },
    ]);
    // A modification or removal of an entry (never made) counts nothing.
    expect(statsDeltas(entry('earn', 120), undefined, ctx())).toEqual([]);
  });

  it('counts transitions: a confirmed referral reward, a sent e-mail, clicks', () => {
    const ref = (confirmed: boolean): StatsSource => ({
      kind: 'referral',
      confirmed,
      updatedAt: '2026-03-10T10:00:00Z',
    });
    expect(statsDeltas(ref(false), ref(true), ctx())).toEqual([
      { day: '2026-03-10', counters: { referralRewardsConfirmed: 1 } },
    ]);
    expect(statsDeltas(ref(true), ref(true), ctx())).toEqual([]);
    const mail = (status: string): StatsSource => ({
      kind: 'outbox',
      type: 'welcome',
      status,
      settledAt: '2026-03-10T10:00:00Z',
    });
    expect(statsDeltas(mail('pending'), mail('sent'), ctx())).toEqual([
      { day: '2026-03-10', counters: { 'e#welcome': 1 } },
    ]);
    expect(statsDeltas(mail('sent'), mail('sent'), ctx())).toEqual([]);
    const clicks = (n: number): StatsSource => ({ kind: 'clicks', day: '2026-03-10', clicks: n });
    expect(statsDeltas(clicks(2), clicks(3), ctx({ timezone: 'UTC' }))).toEqual([
      { day: '2026-03-10', counters: { referralClicks: 1 } },
    ]);
    expect(statsDeltas(clicks(2), clicks(3), ctx({ recordedAt: '2026-03-10T23:30:00Z' }))).toEqual([
      { day: '2026-03-11', counters: { referralClicks: 1 } },
    ]);
  });

  it('keeps customers, NPS answers and segments as running totals by contribution', () => {
    const customer = (over: Partial<Extract<StatsSource, { kind: 'customer' }>>): StatsSource => ({
      kind: 'customer',
      lifetimeEarned: 0,
      outstanding: 0,
      earnedOrders: 0,
      ...over,
    });
    const joined = customer({
      lifetimeEarned: 100,
      outstanding: 100,
      earnedOrders: 1,
      lastOrderAt: '2026-03-01T10:00:00Z',
    });
    const again = customer({
      lifetimeEarned: 150,
      outstanding: 150,
      earnedOrders: 2,
      lastOrderAt: '2026-03-05T10:00:00Z',
      tier: 'gold',
    });
    expect(replay([undefined, customer({}), joined, again])).toEqual([
      { day: '2026-03-05', counters: { lastOrderMembers: 1 } },
      { day: totalsDay, counters: { members: 1, buyers: 1, repeatBuyers: 1, pointsOutstanding: 150, 't#gold': 1 } },
    ]);
    // A deleted customer takes back everything it counted for.
    expect(replay([undefined, again, undefined])).toEqual([]);
    expect(statsDeltas(undefined, { kind: 'nps', score: 6, at: '2026-03-01T10:00:00Z' }, ctx())).toEqual([
      { day: '2026-03-01', counters: { npsDetractors: 1 } },
    ]);
    const seg = (name: string, churnScore: number): StatsSource => ({ kind: 'segment', name, churnScore });
    expect(replay([undefined, seg('active', 12), seg('at_risk', 100)])).toEqual([
      { day: totalsDay, counters: { 's#at_risk': 1, 'c#90': 1 } },
    ]);
    expect(statsDeltas(seg('active', 12), seg('active', 15), ctx())).toEqual([]);
    expect(churnBucket(0)).toBe(0);
    expect(churnBucket(59)).toBe(50);
  });

  it('shows every day of a range, zeros where nothing was stored', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    const day = dailyStatsOf('2026-03-01', { orders: 2, 'e#welcome': 3, 'r#discount_code': 1, lastOrderMembers: 4 });
    expect(day).toMatchObject({ date: '2026-03-01', orders: 2, revenue: 0, emailsSent: { welcome: 3 } });
    expect(day.rewardsRedeemed).toEqual({ discount_code: 1 });
    expect(day).not.toHaveProperty('lastOrderMembers');
  });
});

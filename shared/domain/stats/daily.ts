/**
 * A shop's statistics per day (docs/console.md, "Statistics"): what each change of a stored item
 * adds to the counters of one day in the shop's time zone. Pure: the adapters turn stream records
 * into `StatsSource`s and `DayDelta`s into ADD updates; markers keyed by the stream record's id
 * make every record count once (shared/app/daily-stats-service.ts).
 *
 * Orders count by contribution: an order contributes to the day it was created on while it is a
 * purchase (`countedOrder` as of the end of time: paid or earning, not a test, not cancelled or
 * refunded in full, its value the items after discounts less the items refunded), and a record
 * adds `contribution(new) − contribution(old)`. Because the records of one item arrive in order
 * and each is applied once, the sum over an order's records is its contribution now. Ledger
 * entries are append-only (their INSERT counts); referrals, outbox e-mails and click counters
 * count on the transition the record shows.
 */
import { countedOrder } from '../churn/purchases';
import { localDay } from '../calendar';
import type { LedgerEntry } from '../ledger/entries';
import type { OrderRecord } from '../ledger/order-record';

/** Plain counters of a day; `rewardsRedeemed` and `emailsSent` are kept flat as `r#<type>` and `e#<type>`. */
export const dayCounterNames = [
  'orders',
  'revenue',
  'memberOrders',
  'memberRevenue',
  'referredOrders',
  'referredRevenue',
  'newCustomers',
  'repeatCustomers',
  'pointsIssued',
  'pointsRedeemed',
  'pointsExpired',
  'storeCreditIssued',
  'storeCreditSpent',
  'referralClicks',
  'referralOrders',
  'referralRewardsConfirmed',
] as const;
export type DayCounterName = (typeof dayCounterNames)[number];

/** Counter name → amount to add: a plain counter, `r#<reward type>` or `e#<e-mail type>`. */
export type Counters = Record<string, number>;

export interface DayDelta {
  day: string;
  counters: Counters;
}

export interface DailyStats {
  date: string;
  orders: number;
  revenue: number;
  memberOrders: number;
  memberRevenue: number;
  referredOrders: number;
  referredRevenue: number;
  newCustomers: number;
  repeatCustomers: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  storeCreditIssued: number;
  storeCreditSpent: number;
  rewardsRedeemed: Record<string, number>;
  referralClicks: number;
  referralOrders: number;
  referralRewardsConfirmed: number;
  emailsSent: Record<string, number>;
}

export const rewardPrefix = 'r#';
export const emailPrefix = 'e#';

/** What a stream record shows of an item the statistics count (before and after, either absent). */
export type StatsSource =
  | { kind: 'order'; order: OrderRecord }
  | { kind: 'entry'; entry: LedgerEntry }
  | { kind: 'referral'; confirmed: boolean; updatedAt: string }
  | { kind: 'outbox'; type: string; status: string; settledAt?: string }
  | { kind: 'clicks'; day: string; clicks: number }
  | {
      kind: 'customer';
      lifetimeEarned: number;
      /** Outstanding points (available plus pending; a negative balance counts as 0). */
      outstanding: number;
      earnedOrders: number;
      lastOrderAt?: string;
      tier?: string;
    }
  | { kind: 'nps'; score: number; at: string }
  | { kind: 'segment'; name: string; churnScore: number };

/**
 * The shop's running totals (members, outstanding points, tiers, churn buckets…) are kept like a
 * day, under this key, which sorts after every date so no range of days ever includes it.
 */
export const totalsDay = 'totals';

/** Totals: `members`, `buyers`, `repeatBuyers`, `pointsOutstanding`, `t#<tier>`, `s#<segment>`, `c#<risk bucket>`. */
export const tierPrefix = 't#';
export const segmentPrefix = 's#';
export const churnPrefix = 'c#';

/** A 0–100 churn score's bucket of 10: 0, 10, …, 90 (100 falls in 90). */
export const churnBucket = (score: number): number => Math.min(90, Math.max(0, Math.floor(score / 10) * 10));

/** What the projection needs to know besides the images. */
export interface StatsContext {
  timezone: string;
  /** The type of each of the program's rewards, by reward id. */
  rewardTypes: Record<string, string>;
  /** The customer is a referred friend (a referral names them); stable once true. */
  referredFriend: (cid: string) => boolean;
  /** When the record was written (the stream's ApproximateCreationDateTime), ISO. */
  recordedAt?: string;
}

const add = (c: Counters, name: string, n: number) => {
  if (n !== 0) c[name] = (c[name] ?? 0) + n;
};

/** What an order contributes while it stands, or undefined when it counts on no day. */
export const orderContribution = (o: OrderRecord, ctx: StatsContext): DayDelta | undefined => {
  const counted = countedOrder(o, '9999-12-31');
  if (!counted || !o.earn) return undefined;
  const r = counted.revenueMinor;
  const c: Counters = { orders: 1 };
  add(c, 'revenue', r);
  if (o.earn.firstOrder) c.newCustomers = 1;
  else {
    c.memberOrders = 1;
    c.repeatCustomers = 1;
    add(c, 'memberRevenue', r);
  }
  if (o.referral !== undefined || ctx.referredFriend(counted.cid)) {
    c.referredOrders = 1;
    add(c, 'referredRevenue', r);
  }
  if (o.referral !== undefined) c.referralOrders = 1;
  return { day: localDay(counted.at, ctx.timezone), counters: c };
};

const total = (b: { available: number; pending: number }) => b.available + b.pending;

/**
 * What a customer contributes while stored: to the totals (a member once they have earned points;
 * a buyer with one order that earned, a repeat buyer with two; outstanding points; their tier) and
 * to the day of their last order, if a member (`lastOrderMembers`: active members are the sum
 * over the last 90 days).
 */
const customerContribution = (c: Extract<StatsSource, { kind: 'customer' }>, ctx: StatsContext): DayDelta[] => {
  const totals: Counters = {};
  const member = c.lifetimeEarned > 0;
  if (member) totals.members = 1;
  if (c.earnedOrders >= 1) totals.buyers = 1;
  if (c.earnedOrders >= 2) totals.repeatBuyers = 1;
  add(totals, 'pointsOutstanding', c.outstanding);
  totals[`${tierPrefix}${c.tier ?? 'none'}`] = 1;
  const out: DayDelta[] = [{ day: totalsDay, counters: totals }];
  if (member && c.lastOrderAt)
    out.push({ day: localDay(c.lastOrderAt, ctx.timezone), counters: { lastOrderMembers: 1 } });
  return out;
};

/** An NPS answer counts on the day it was given. */
const npsContribution = (a: Extract<StatsSource, { kind: 'nps' }>, ctx: StatsContext): DayDelta[] => [
  {
    day: localDay(a.at, ctx.timezone),
    counters: { [a.score >= 9 ? 'npsPromoters' : a.score >= 7 ? 'npsPassives' : 'npsDetractors']: 1 },
  },
];

/** A customer's latest churn segment counts in the totals by name and by risk bucket. */
const segmentContribution = (g: Extract<StatsSource, { kind: 'segment' }>): DayDelta[] => [
  { day: totalsDay, counters: { [`${segmentPrefix}${g.name}`]: 1, [`${churnPrefix}${churnBucket(g.churnScore)}`]: 1 } },
];

/** What an item contributes while it stands, for the kinds counted by contribution; undefined for the others. */
const contributionOf = (s: StatsSource | undefined, ctx: StatsContext): DayDelta[] | undefined => {
  switch (s?.kind) {
    case 'order': {
      const c = orderContribution(s.order, ctx);
      return c ? [c] : [];
    }
    case 'customer':
      return customerContribution(s, ctx);
    case 'nps':
      return npsContribution(s, ctx);
    case 'segment':
      return segmentContribution(s);
    default:
      return undefined;
  }
};

/** What a new ledger entry adds to its day. */
export const entryCounters = (e: LedgerEntry, ctx: StatsContext): DayDelta | undefined => {
  const c: Counters = {};
  const points = total(e.points);
  const credit = total(e.credit);
  if ((e.type === 'earn' || e.type === 'adjust') && points > 0) add(c, 'pointsIssued', points);
  if (e.type === 'redeem' && points < 0) add(c, 'pointsRedeemed', -points);
  if (e.type === 'expire' && points < 0) add(c, 'pointsExpired', -points);
  if ((e.type === 'earn' || e.type === 'adjust' || e.type === 'redeem') && credit > 0)
    add(c, 'storeCreditIssued', credit);
  if ((e.type === 'redeem' || e.type === 'adjust') && credit < 0) add(c, 'storeCreditSpent', -credit);
  if (e.type === 'redeem' && e.rewardId !== undefined)
    add(c, `${rewardPrefix}${ctx.rewardTypes[e.rewardId] ?? e.rewardId}`, 1);
  return Object.keys(c).length ? { day: localDay(e.at, ctx.timezone), counters: c } : undefined;
};

const negated = (d: DayDelta): DayDelta => ({
  day: d.day,
  counters: Object.fromEntries(Object.entries(d.counters).map(([k, v]) => [k, -v])),
});

/** Sums deltas by day, dropping counters (and days) that come to zero. */
export const mergedDeltas = (deltas: readonly DayDelta[]): DayDelta[] => {
  const byDay = new Map<string, Counters>();
  for (const d of deltas) {
    const c = byDay.get(d.day) ?? {};
    for (const [k, v] of Object.entries(d.counters)) add(c, k, v);
    byDay.set(d.day, c);
  }
  return [...byDay]
    .map(([day, counters]) => ({
      day,
      counters: Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0)),
    }))
    .filter((d) => Object.keys(d.counters).length > 0)
    .sort((a, b) => a.day.localeCompare(b.day));
};

/** What one change of a stored item adds to the shop's days (nothing when it changes no counter). */
export const statsDeltas = (
  before: StatsSource | undefined,
  after: StatsSource | undefined,
  ctx: StatsContext,
): DayDelta[] => {
  const kind = (after ?? before)?.kind;
  const out: DayDelta[] = [];
  switch (kind) {
    case 'order':
    case 'customer':
    case 'nps':
    case 'segment': {
      // contribution(new) − contribution(old): what the item counts for now, once every record is applied.
      const old = before?.kind === kind ? (contributionOf(before, ctx) ?? []) : [];
      const next = after?.kind === kind ? (contributionOf(after, ctx) ?? []) : [];
      out.push(...old.map(negated), ...next);
      break;
    }
    case 'entry': {
      // Entries are append-only: only their creation counts.
      if (!before && after?.kind === 'entry') {
        const d = entryCounters(after.entry, ctx);
        if (d) out.push(d);
      }
      break;
    }
    case 'referral': {
      const was = before?.kind === 'referral' && before.confirmed;
      if (after?.kind === 'referral' && after.confirmed && !was)
        out.push({ day: localDay(after.updatedAt, ctx.timezone), counters: { referralRewardsConfirmed: 1 } });
      break;
    }
    case 'outbox': {
      const was = before?.kind === 'outbox' && before.status === 'sent';
      if (after?.kind === 'outbox' && after.status === 'sent' && !was) {
        const at = after.settledAt ?? ctx.recordedAt;
        if (at) out.push({ day: localDay(at, ctx.timezone), counters: { [`${emailPrefix}${after.type}`]: 1 } });
      }
      break;
    }
    case 'clicks': {
      if (after?.kind !== 'clicks') break;
      const n = after.clicks - (before?.kind === 'clicks' ? before.clicks : 0);
      // The counter's own day is a UTC day: exact for shops on UTC, else the moment of the write.
      const day = ctx.timezone === 'UTC' || !ctx.recordedAt ? after.day : localDay(ctx.recordedAt, ctx.timezone);
      if (n !== 0) out.push({ day, counters: { referralClicks: n } });
      break;
    }
  }
  return mergedDeltas(out);
};

/** Every day from `from` to `to` (inclusive, yyyy-mm-dd). */
export const daysBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000)
    out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
};

/** A stored day's counters as the API shows them; zeros for what never happened. */
export const dailyStatsOf = (date: string, counters: Counters | undefined): DailyStats => {
  const c = counters ?? {};
  const plain = Object.fromEntries(dayCounterNames.map((n) => [n, c[n] ?? 0])) as Record<DayCounterName, number>;
  const prefixed = (prefix: string) =>
    Object.fromEntries(
      Object.entries(c)
        .filter(([k, v]) => k.startsWith(prefix) && v !== 0)
        .map(([k, v]) => [k.slice(prefix.length), v])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  return { date, ...plain, rewardsRedeemed: prefixed(rewardPrefix), emailsSent: prefixed(emailPrefix) };
};

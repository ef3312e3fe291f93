import { describe, expect, it } from 'vitest';
import { newCustomer, type CustomerRecord } from '../../shared/domain/ledger/customer';
import { planOrderEvent, type Plan } from '../../shared/domain/ledger/plans';
import { mayQueue, reviewTierEffects, withTierChange } from '../../shared/domain/ledger/tier-effects';
import type { OrderRecord } from '../../shared/domain/ledger/order-record';
import type { CanonicalOrder, OrderEvent } from '../../shared/schemas/order';
import { programSchema, type Program } from '../../shared/schemas/program';
import { canonicalOrder } from '../support/orders';

/** Bronze 0 / Silver 500 / Gold 1,500 DKK with Silver earning 150 % and Gold 200 %. */
const levels = [
  { id: 'bronze', name: 'Bronze', threshold: 0 },
  { id: 'silver', name: 'Silver', threshold: 500, multiplierPercent: 150, perks: 'Free shipping' },
  { id: 'gold', name: 'Gold', threshold: 1500, multiplierPercent: 200, perks: 'Early access' },
];
const program = (over: { tiers?: Record<string, unknown>; emails?: Record<string, unknown> } = {}): Program =>
  programSchema.parse({ tiers: { levels, ...over.tiers }, ...(over.emails ? { emails: over.emails } : {}) });

const paidOrder = (orderId: string, netMinor: number, at: string, over: Partial<CanonicalOrder> = {}): OrderEvent => ({
  kind: 'order',
  topic: 'orders/paid',
  order: canonicalOrder({ orderId, nets: [netMinor], createdAt: at, updatedAt: at, paidAt: at, ...over }),
});
const fullRefund = (orderId: string, netMinor: number, at: string): OrderEvent => ({
  kind: 'refund',
  topic: 'refunds/create',
  orderId,
  refund: {
    refundId: `r-${orderId}`,
    createdAt: at,
    amountMinor: netMinor + 4_900,
    itemsNetMinor: netMinor,
    lines: [],
  },
});

/** Plans one delivery against what the previous plans left, like the ledger would. */
const ledger = (p: Program) => {
  let customer: CustomerRecord | undefined;
  const orders = new Map<string, OrderRecord>();
  let n = 0;
  return {
    deliver(event: OrderEvent, now: string): Plan {
      const orderId = event.kind === 'order' ? event.order.orderId : event.kind === 'refund' ? event.orderId : '';
      const plan = planOrderEvent({
        event,
        order: orders.get(orderId),
        customer,
        program: p,
        now,
        entryId: `E${++n}`,
        currency: 'DKK',
      });
      if (!plan) throw new Error('expected a plan');
      if (plan.order) orders.set(orderId, plan.order.next);
      if (plan.customer) customer = plan.customer.next;
      return plan;
    },
    get customer() {
      return customer;
    },
  };
};

const JAN = '2026-01-10T10:00:00.000Z';

describe('planOrderEvent: tiers', () => {
  it('a first order of 600 DKK makes the customer Silver at once, with a tier_up e-mail and a history line', () => {
    const plan = ledger(program()).deliver(paidOrder('1001', 60_000, JAN), JAN);
    expect(plan.customer?.next.tier).toEqual({
      id: 'silver',
      since: JAN,
      reviewAt: '2027-01-10T10:00:00.000Z',
      from: 'bronze',
    });
    expect(plan.customer?.next.tierStats).toEqual({ '2026-01': [60_000, 600, 1] });
    expect(plan.tierChanges).toEqual([
      {
        cid: 'i.c1',
        change: {
          kind: 'up',
          from: 'bronze',
          to: 'silver',
          at: JAN,
          reason: 'qualified: spend 600.00 DKK in 12 months (order 1001)',
        },
      },
    ]);
    expect(plan.emails).toEqual([
      {
        type: 'tier_up',
        cid: 'i.c1',
        at: JAN,
        data: { tierName: 'Silver', previousTierName: 'Bronze', perks: 'Free shipping', multiplierPercent: 150 },
      },
    ]);
  });

  it('a first order of 1,600 DKK goes straight to Gold', () => {
    const plan = ledger(program()).deliver(paidOrder('1001', 160_000, JAN), JAN);
    expect(plan.tierChanges?.map((t) => [t.change.from, t.change.to])).toEqual([['bronze', 'gold']]);
    expect(plan.emails?.[0]?.data).toMatchObject({
      tierName: 'Gold',
      previousTierName: 'Bronze',
      multiplierPercent: 200,
    });
  });

  it('queues no e-mail for a customer without an address, but still moves them', () => {
    const plan = ledger(program()).deliver(
      paidOrder('1001', 60_000, JAN, { customer: { id: 'c1', firstName: 'Ann' } }),
      JAN,
    );
    expect(plan.customer?.next.tier?.id).toBe('silver');
    expect(plan.tierChanges).toHaveLength(1);
    expect(plan.emails).toBeUndefined();
  });

  it('an order below the first threshold changes nothing but the stats', () => {
    const plan = ledger(program()).deliver(paidOrder('1001', 49_999, JAN), JAN);
    expect(plan.customer?.next.tier).toBeUndefined();
    expect(plan.customer?.next.tierStats).toEqual({ '2026-01': [49_999, 499, 1] });
    expect(plan.tierChanges).toBeUndefined();
    expect(plan.emails).toBeUndefined();
  });

  it("the upgrading order earns at 100 %, the next one at Silver's 150 %", () => {
    const l = ledger(program());
    const first = l.deliver(paidOrder('1001', 60_000, JAN), JAN);
    expect(first.order?.next.earn?.tierPercent).toBe(100);
    expect(first.entry?.points).toEqual({ available: 0, pending: 600 });

    const FEB = '2026-02-01T10:00:00.000Z';
    const second = l.deliver(paidOrder('1002', 10_000, FEB), FEB);
    expect(second.order?.next.earn?.tierPercent).toBe(150);
    expect(second.entry?.points).toEqual({ available: 0, pending: 150 });
    // Still Silver: no second change, and the stats count the points as earned.
    expect(second.tierChanges).toBeUndefined();
    expect(second.emails).toBeUndefined();
    expect(l.customer?.tierStats).toEqual({ '2026-01': [60_000, 600, 1], '2026-02': [10_000, 150, 1] });
  });

  it('a full refund within the return window reverts the upgrade, without an e-mail', () => {
    const l = ledger(program());
    l.deliver(paidOrder('1001', 60_000, JAN), JAN);
    const REFUND = '2026-01-15T09:00:00.000Z';
    const plan = l.deliver(fullRefund('1001', 60_000, REFUND), REFUND);
    expect(plan.tierChanges).toEqual([
      {
        cid: 'i.c1',
        change: {
          kind: 'reversed',
          from: 'silver',
          to: 'bronze',
          at: REFUND,
          reason: 'refund undid the upgrade (order 1001)',
        },
      },
    ]);
    expect(plan.emails).toBeUndefined();
    expect(l.customer?.tier).toMatchObject({ id: 'bronze', since: REFUND, from: 'silver' });
    // The order's month nets to nothing, so nothing is kept.
    expect(l.customer?.tierStats).toBeUndefined();
    expect(plan.entry?.type).toBe('reverse');
  });

  it('a refund after the return window leaves the tier alone', () => {
    const l = ledger(program());
    l.deliver(paidOrder('1001', 60_000, JAN), JAN);
    const LATE = '2026-01-25T10:00:00.000Z'; // 15 days later, the window is 14
    const plan = l.deliver(fullRefund('1001', 60_000, LATE), LATE);
    expect(plan.tierChanges).toBeUndefined();
    expect(l.customer?.tier?.id).toBe('silver');
  });

  it('with tiers disabled the stats are still counted, but nobody moves', () => {
    const l = ledger(program({ tiers: { enabled: false } }));
    const plan = l.deliver(paidOrder('1001', 160_000, JAN), JAN);
    expect(plan.customer?.next.tierStats).toEqual({ '2026-01': [160_000, 1600, 1] });
    expect(plan.customer?.next.tier).toBeUndefined();
    expect(plan.tierChanges).toBeUndefined();
    expect(plan.emails).toBeUndefined();
    // And no tier multiplier on later orders.
    const FEB = '2026-02-01T10:00:00.000Z';
    expect(l.deliver(paidOrder('1002', 10_000, FEB), FEB).order?.next.earn?.tierPercent).toBe(100);
  });

  it('with tier_up switched off there is a change but no e-mail', () => {
    const plan = ledger(program({ emails: { transactional: { tier_up: false } } })).deliver(
      paidOrder('1001', 60_000, JAN),
      JAN,
    );
    expect(plan.customer?.next.tier?.id).toBe('silver');
    expect(plan.tierChanges?.[0]?.change.kind).toBe('up');
    expect(plan.emails).toBeUndefined();
  });

  it("an order in another currency than the shop's, without a conversion, counts for nothing: no spend, points or order", () => {
    for (const qualifyOn of ['spend', 'points', 'orders']) {
      const plan = ledger(program({ tiers: { qualifyOn } })).deliver(
        paidOrder('1001', 60_000, JAN, { currency: 'EUR' }),
        JAN,
      );
      expect(plan.order?.next).toMatchObject({ earnBlocked: 'currency_mismatch', awarded: { points: 0, credit: 0 } });
      expect(plan.order?.next.earn).toBeUndefined();
      expect(plan.entry).toBeUndefined();
      expect(plan.customer?.next.tierStats ?? {}).toEqual({});
      expect(plan.customer?.next.tier).toBeUndefined();
      expect(plan.tierChanges).toBeUndefined();
    }
  });

  it('counts an order in the month it was paid, not the month it was delivered', () => {
    const paidAt = '2026-01-31T23:30:00.000Z';
    const plan = ledger(program()).deliver(paidOrder('1001', 60_000, paidAt), '2026-02-01T00:10:00.000Z');
    expect(plan.customer?.next.tierStats).toEqual({ '2026-01': [60_000, 600, 1] });
  });
});

describe('withTierChange', () => {
  const base = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
    ...newCustomer('i.1', JAN),
    email: 'ann@example.com',
    ...over,
  });
  const ctx = { currency: 'DKK', now: JAN, month: '2026-01', reason: 'adjustment' };

  it('is a no-op for a zero delta', () => {
    const c = base();
    const out = withTierChange(c, program(), { ...ctx, delta: [0, 0, 0] });
    expect(out).toEqual({ customer: c, changes: [], emails: [] });
    expect(out.customer).toBe(c);
  });

  it('drops tierStats altogether when they net to nothing', () => {
    const c = base({ tierStats: { '2026-01': [10_000, 100, 1] } });
    const out = withTierChange(c, program(), { ...ctx, delta: [-10_000, -100, -1] });
    expect('tierStats' in out.customer).toBe(false);
  });

  it('does not queue for a redacted customer', () => {
    const out = withTierChange(base({ redactedAt: JAN }), program(), { ...ctx, delta: [60_000, 600, 1] });
    expect(out.changes).toHaveLength(1);
    expect(out.emails).toEqual([]);
  });
});

describe('reviewTierEffects', () => {
  const silver = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
    ...newCustomer('i.1', JAN),
    email: 'ann@example.com',
    tier: { id: 'silver', since: JAN, reviewAt: '2027-01-10T10:00:00.000Z', from: 'bronze' },
    tierStats: { '2026-01': [60_000, 600, 1] },
    ...over,
  });
  const WARN = '2027-01-26T10:00:00.000Z';
  const DROP = '2027-02-09T10:00:00.000Z';

  it('queues the downgrade warning with what is still needed', () => {
    const out = reviewTierEffects(silver(), program(), { currency: 'DKK', now: WARN });
    expect(out.changes).toEqual([]);
    expect(out.customer.tier?.warnedFor).toBe(DROP);
    expect(out.emails).toEqual([
      {
        type: 'tier_down_warning',
        cid: 'i.1',
        at: WARN,
        data: {
          tierName: 'Silver',
          nextTierName: 'Bronze',
          downgradeAt: DROP,
          qualifyOn: 'spend',
          toKeep: 50_000,
          currency: 'DKK',
        },
      },
    ]);
  });

  it('queues the downgrade itself after grace', () => {
    const out = reviewTierEffects(silver(), program(), { currency: 'DKK', now: DROP });
    expect(out.changes).toMatchObject([{ kind: 'down', from: 'silver', to: 'bronze', at: DROP }]);
    expect(out.emails).toEqual([
      { type: 'tier_down', cid: 'i.1', at: DROP, data: { tierName: 'Bronze', previousTierName: 'Silver', perks: '' } },
    ]);
  });

  it('honours the switches and the address', () => {
    const off = program({ emails: { transactional: { tier_down_warning: false, tier_down: false } } });
    expect(reviewTierEffects(silver(), off, { currency: 'DKK', now: WARN }).emails).toEqual([]);
    expect(reviewTierEffects(silver(), off, { currency: 'DKK', now: DROP }).emails).toEqual([]);
    expect(
      reviewTierEffects(silver({ email: undefined }), program(), { currency: 'DKK', now: DROP }).changes,
    ).toHaveLength(1);
    expect(reviewTierEffects(silver({ email: undefined }), program(), { currency: 'DKK', now: DROP }).emails).toEqual(
      [],
    );
  });

  it('does nothing with tiers disabled', () => {
    const c = silver();
    expect(reviewTierEffects(c, program({ tiers: { enabled: false } }), { currency: 'DKK', now: DROP })).toEqual({
      customer: c,
      changes: [],
      emails: [],
    });
  });
});

describe('mayQueue', () => {
  it('needs an address, no redaction and the type switched on', () => {
    const c = { ...newCustomer('i.1', JAN), email: 'ann@example.com' };
    expect(mayQueue(c, program(), 'tier_up')).toBe(true);
    expect(mayQueue({ ...c, email: undefined }, program(), 'tier_up')).toBe(false);
    expect(mayQueue({ ...c, redactedAt: JAN }, program(), 'tier_up')).toBe(false);
    expect(mayQueue(c, program({ emails: { transactional: { tier_up: false } } }), 'tier_up')).toBe(false);
    expect(mayQueue(c, program({ emails: { enabled: false } }), 'tier_up')).toBe(false);
  });
});

describe('orders from before tiers existed', () => {
  it('count for nothing, so refunding one takes nothing off', async () => {
    const { tierContribution } = await import('../../shared/domain/ledger/plans');
    const legacy: OrderRecord = {
      orderId: 'old',
      cid: 'i.c',
      refunds: {},
      awarded: { points: 1000, credit: 0 },
      confirmed: true,
      version: 3,
      state: {
        currency: 'DKK',
        createdAt: '2026-10-01T00:00:00.000Z',
        updatedAt: '2026-10-01T00:00:00.000Z',
        financialStatus: 'paid',
        test: false,
        lines: [{ netMinor: 100_000 }],
        shippingMinor: 0,
        totalMinor: 100_000,
      },
      paidAt: '2026-10-01T00:00:00.000Z',
      earn: {
        rule: programSchema.parse({}).earning,
        firstOrder: true,
        earnedAt: '2026-10-01T00:00:00.000Z',
        confirmDueAt: '2026-10-15T00:00:00.000Z',
      },
    };
    expect(tierContribution(legacy, 'DKK')).toEqual([0, 0, 0]);
    expect(tierContribution({ ...legacy, earn: { ...legacy.earn!, tierPercent: 100 } }, 'DKK')).toEqual([
      100_000, 1000, 1,
    ]);
    expect(tierContribution({ ...legacy, earn: { ...legacy.earn!, tierPercent: 100 } }, 'EUR')).toEqual([0, 1000, 1]);
  });
});

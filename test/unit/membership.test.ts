import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/domain/ledger/plans';
import { newCustomer, wakeAt, type CustomerRecord } from '../../shared/domain/ledger/customer';
import { membershipChangeOf } from '../../shared/domain/membership/change';
import { membershipLifecycle } from '../../shared/domain/membership/effects';
import { foldMembership } from '../../shared/domain/membership/payments';
import { membershipWakeAt } from '../../shared/domain/membership/schedule';
import { activeMembershipPlan, earningMultiplierPercent, stackedPercent } from '../../shared/domain/membership/state';
import { membershipView } from '../../shared/domain/membership/view';
import type { OrderEvent } from '../../shared/schemas/order';

import { ledger as ledgerOf, paid, program, refund, vip } from '../support/membership';

const JAN = '2026-01-10T10:00:00.000Z';
const FEB = '2026-02-10T10:00:00.000Z';

describe('membership from paid orders', () => {
  it('a paid order with the plan’s SKU grants it for one period, with the join e-mail', () => {
    const l = ledgerOf(program());
    const plan = l.deliver(vip('m1', JAN), JAN)!;
    expect(l.customer.membership).toEqual({
      planId: 'vip',
      status: 'active',
      since: JAN,
      paidThrough: FEB,
      payments: [{ orderId: 'm1', at: JAN, months: 1, planId: 'vip', lineIds: ['L1'] }],
    });
    expect(plan.emails?.filter((e) => e.type === 'membership_joined')).toEqual([
      {
        type: 'membership_joined',
        cid: 'i.c1',
        at: JAN,
        data: { planName: 'VIP Club', perks: 'Free shipping', multiplierPercent: 200, paidThrough: FEB },
      },
    ]);
  });

  it('matches plans by product id too, and an order without a plan’s product changes no membership', () => {
    const l = ledgerOf(program());
    l.deliver(paid('o1', JAN, [{ sku: 'MUG', netMinor: 5_000 }]), JAN);
    expect(l.customer.membership).toBeUndefined();
    const byProduct = paid('o2', JAN, [{ sku: 'OTHER', netMinor: 9_900 }]);
    if (byProduct.kind === 'order') byProduct.order.lines[0]!.productId = 'VIP-P';
    l.deliver(byProduct, JAN);
    expect(l.customer.membership?.planId).toBe('vip');
  });

  it('quantity 3 of a monthly plan buys three months', () => {
    const l = ledgerOf(program());
    l.deliver(vip('m1', JAN, 3), JAN);
    expect(l.customer.membership?.paidThrough).toBe('2026-04-10T10:00:00.000Z');
  });

  it('a renewal, early or late (within grace), extends the period from the membership’s anchor', () => {
    const early = ledgerOf(program());
    early.deliver(vip('m1', JAN), JAN);
    const plan = early.deliver(vip('m2', '2026-02-05T00:00:00.000Z'), '2026-02-05T00:00:00.000Z')!;
    expect(early.customer.membership).toMatchObject({ since: JAN, paidThrough: '2026-03-10T10:00:00.000Z' });
    expect(plan.emails ?? []).toEqual([]);

    const late = ledgerOf(program());
    late.deliver(vip('m1', JAN), JAN);
    late.deliver(vip('m2', '2026-02-12T00:00:00.000Z'), '2026-02-12T00:00:00.000Z');
    // Two months from the first payment, as the platform bills: not a month from the late payment.
    expect(late.customer.membership).toMatchObject({ since: JAN, paidThrough: '2026-03-10T10:00:00.000Z' });
  });

  it('a payment after the grace days starts a new membership, with a new join e-mail', () => {
    const l = ledgerOf(program());
    l.deliver(vip('m1', JAN), JAN);
    const at = '2026-02-14T00:00:00.000Z';
    const plan = l.deliver(vip('m2', at), at)!;
    expect(l.customer.membership).toMatchObject({
      status: 'active',
      since: at,
      paidThrough: '2026-03-14T00:00:00.000Z',
    });
    expect(plan.emails?.map((e) => e.type)).toEqual(['membership_joined']);
  });

  it('a refund takes back that payment’s months only; refunding the last one cancels', () => {
    const l = ledgerOf(program());
    l.deliver(vip('m1', JAN), JAN);
    l.deliver(vip('m2', '2026-02-01T00:00:00.000Z'), '2026-02-01T00:00:00.000Z');
    expect(l.customer.membership?.paidThrough).toBe('2026-03-10T10:00:00.000Z');
    l.deliver(refund('m2', '2026-02-02T00:00:00.000Z', ['L1']), '2026-02-02T00:00:00.000Z');
    expect(l.customer.membership).toMatchObject({ status: 'active', paidThrough: FEB });
    expect(l.customer.membership?.payments.map((p) => p.orderId)).toEqual(['m1']);
    l.deliver(refund('m1', '2026-02-03T00:00:00.000Z'), '2026-02-03T00:00:00.000Z');
    expect(l.customer.membership).toMatchObject({
      status: 'cancelled',
      payments: [],
      endedAt: '2026-02-03T00:00:00.000Z',
    });
  });

  it('a cancelled or deleted paying order cancels; a partial refund of another line keeps the membership', () => {
    const l = ledgerOf(program());
    l.deliver(
      paid('m1', JAN, [
        { sku: 'VIP', netMinor: 9_900 },
        { sku: 'MUG', netMinor: 5_000 },
      ]),
      JAN,
    );
    const mugBack: OrderEvent = {
      kind: 'refund',
      topic: 'refunds/create',
      orderId: 'm1',
      refund: {
        refundId: 'r-mug',
        createdAt: JAN,
        amountMinor: 5_000,
        itemsNetMinor: 5_000,
        lines: [{ lineId: 'L2', quantity: 1, netMinor: 5_000 }],
      },
    };
    l.deliver(mugBack, JAN);
    expect(l.customer.membership?.status).toBe('active');
    l.deliver({ kind: 'order_deleted', topic: 'orders/delete', orderId: 'm1', at: JAN }, JAN);
    expect(l.customer.membership?.status).toBe('cancelled');
  });

  it('a refund delivered before the payment means the payment never counts', () => {
    const l = ledgerOf(program());
    l.deliver(paid('o0', JAN, [{ sku: 'MUG', netMinor: 5_000 }]), JAN);
    l.deliver(refund('m1', JAN, ['L1']), JAN);
    const plan = l.deliver(vip('m1', JAN), JAN);
    expect(l.customer.membership).toBeUndefined();
    expect(plan?.emails ?? []).toEqual([]);
  });

  it('the same payment delivered twice, or updated, counts once', () => {
    const l = ledgerOf(program());
    l.deliver(vip('m1', JAN), JAN);
    const before = l.customer;
    expect(l.deliver(vip('m1', JAN), JAN)).toBeUndefined();
    const updated = vip('m1', JAN);
    if (updated.kind === 'order') updated.order = { ...updated.order, updatedAt: '2026-01-11T00:00:00.000Z' };
    l.deliver(updated, '2026-01-11T00:00:00.000Z');
    expect(l.customer.membership).toEqual(before.membership);
  });

  it('switching to another plan starts that plan', () => {
    const l = ledgerOf(program());
    l.deliver(vip('m1', JAN), JAN);
    const plan = l.deliver(
      paid('y1', '2026-01-20T00:00:00.000Z', [{ sku: 'VIP-Y', netMinor: 99_000 }]),
      '2026-01-20T00:00:00.000Z',
    )!;
    expect(l.customer.membership).toMatchObject({ planId: 'vip-year', paidThrough: '2027-01-20T00:00:00.000Z' });
    expect(plan.emails?.find((e) => e.type === 'membership_joined')?.data).toMatchObject({ planName: 'VIP Year' });
  });

  it('a shop without membership ignores the SKU', () => {
    const l = ledgerOf(program({ enabled: false }));
    l.deliver(vip('m1', JAN), JAN);
    expect(l.customer.membership).toBeUndefined();
  });

  it('payments in any delivery order give the same membership (property)', () => {
    const at = (day: number) => new Date(Date.parse(JAN) + day * 86_400_000).toISOString();
    const payment = fc.record({
      day: fc.integer({ min: 0, max: 200 }),
      quantity: fc.integer({ min: 1, max: 3 }),
      refunded: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(payment, { minLength: 1, maxLength: 6 }), fc.infiniteStream(fc.nat()), (ps, seeds) => {
        const events = ps.flatMap((p, i) => [
          vip(`m${i}`, at(p.day), p.quantity),
          ...(p.refunded ? [refund(`m${i}`, at(p.day), ['L1'], 9_900 * p.quantity)] : []),
        ]);
        const shuffled = [...events];
        const it = seeds[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const now = at(201);
        const [a, b] = [ledgerOf(program()), ledgerOf(program())];
        for (const e of events) a.deliver(e, now);
        for (const e of [...shuffled, ...shuffled]) b.deliver(e, now);
        // What the deliveries mean as of now: the payments, the paid period they make, and whether it
        // still holds. (The stored status may differ: a run still active when its payment was taken
        // back is left for the daily job to lapse, with its e-mail; one that had ended is lapsed at once.)
        const strip = (c: CustomerRecord | undefined) => {
          const m = c?.membership;
          if (!m?.payments.length) return undefined;
          const active = activeMembershipPlan(c, program(), now) !== undefined;
          return { active, since: m.since, paidThrough: m.paidThrough, payments: m.payments };
        };
        expect(strip(b.customer)).toEqual(strip(a.customer));
        const months = ps.filter((p) => !p.refunded).reduce((s, p) => s + p.quantity, 0);
        expect((a.customer?.membership?.payments ?? []).reduce((s, p) => s + p.months, 0)).toBe(months);
      }),
      { numRuns: 200 },
    );
  });
});

describe('earning with a membership', () => {
  it('the paying order itself and later orders earn with the plan’s multiplier', () => {
    const l = ledgerOf(program());
    // 99 DKK of membership + 100 DKK of goods at 1 point per DKK, doubled.
    l.deliver(
      paid('m1', JAN, [
        { sku: 'VIP', netMinor: 9_900 },
        { sku: 'MUG', netMinor: 10_000 },
      ]),
      JAN,
    );
    expect(l.order('m1')?.awarded.points).toBe(398);
    l.deliver(paid('o2', '2026-01-15T00:00:00.000Z', [{ sku: 'MUG', netMinor: 10_000 }]), '2026-01-15T00:00:00.000Z');
    expect(l.order('o2')?.awarded.points).toBe(200);
  });

  it('after the grace days an order earns at 100 % again', () => {
    const l = ledgerOf(program());
    l.deliver(vip('m1', JAN), JAN);
    const at = '2026-02-13T10:00:00.000Z';
    l.deliver(paid('o2', at, [{ sku: 'MUG', netMinor: 10_000 }]), at);
    expect(l.order('o2')?.awarded.points).toBe(100);
  });

  const silver = {
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: 0 },
      { id: 'silver', name: 'Silver', threshold: 1, multiplierPercent: 150 },
    ],
  };
  const silverMember = (): CustomerRecord => ({
    ...newCustomer('i.c1', JAN),
    tier: { id: 'silver', since: JAN, reviewAt: '2027-01-10T10:00:00.000Z' },
    membership: { planId: 'vip', status: 'active', since: JAN, paidThrough: FEB, payments: [] },
  });

  it.each([
    ['multiply', 300],
    ['add', 250],
    ['highest', 200],
  ] as const)('stacks with the tier by %s: Silver 150 % and VIP 200 % earn %i %', (stacking, percent) => {
    const p = program({ stacking }, silver);
    expect(earningMultiplierPercent(silverMember(), p, JAN)).toBe(percent);
    expect(stackedPercent(150, 200, stacking)).toBe(percent);
    const l = ledgerOf(p);
    l.customer = silverMember();
    l.deliver(paid('o1', JAN, [{ sku: 'MUG', netMinor: 10_000 }]), JAN);
    expect(l.order('o1')?.awarded.points).toBe(percent);
  });
});

describe('the daily membership look', () => {
  const member = (over: Partial<NonNullable<CustomerRecord['membership']>> = {}): CustomerRecord => ({
    ...newCustomer('i.c1', JAN),
    email: 'ann@example.com',
    membership: { planId: 'vip', status: 'active', since: JAN, paidThrough: FEB, payments: [], ...over },
  });

  it('leaves the renewal-due e-mail 7 days before the period ends, once per paid period', () => {
    const p = program();
    const c = member();
    expect(wakeAt(c, p)).toBe('2026-02-03T10:00:00.000Z');
    expect(membershipLifecycle(c, p, { cutoff: '2026-02-03T10:00:00.000Z', now: JAN }).customer).toBe(c);
    const due = membershipLifecycle(c, p, { cutoff: '2026-02-04T00:00:00.000Z', now: '2026-02-04T00:00:00.000Z' });
    expect(due.customer.membership?.renewalWarnedFor).toBe(FEB);
    expect(due.emails).toEqual([
      {
        type: 'membership_renewal_due',
        cid: 'i.c1',
        at: '2026-02-04T00:00:00.000Z',
        data: { planName: 'VIP Club', paidThrough: FEB, perks: 'Free shipping' },
      },
    ]);
    expect(wakeAt(due.customer, p)).toBe('2026-02-13T10:00:00.000Z');
    const again = membershipLifecycle(due.customer, p, {
      cutoff: '2026-02-05T00:00:00.000Z',
      now: '2026-02-05T00:00:00.000Z',
    });
    expect(again.customer).toBe(due.customer);
    expect(again.emails).toEqual([]);
  });

  it('lapses the membership once paidThrough + graceDays has passed, with the lapsed e-mail', () => {
    const p = program();
    const c = member({ renewalWarnedFor: FEB });
    const cutoff = '2026-02-14T00:00:00.000Z';
    const lapsed = membershipLifecycle(c, p, { cutoff, now: cutoff });
    expect(lapsed.customer.membership).toEqual({
      planId: 'vip',
      status: 'lapsed',
      since: JAN,
      paidThrough: FEB,
      payments: [],
      endedAt: '2026-02-13T10:00:00.000Z',
    });
    expect(lapsed.emails).toEqual([
      { type: 'membership_lapsed', cid: 'i.c1', at: cutoff, data: { planName: 'VIP Club', paidThrough: FEB } },
    ]);
    expect(wakeAt(lapsed.customer, p)).toBeUndefined();
    expect(membershipView(lapsed.customer, p, cutoff)).toMatchObject({
      status: 'lapsed',
      earningMultiplierPercent: 100,
    });
  });

  it('a renewal-due e-mail waits for a reminder period; 0 days means none', () => {
    const p = program({ renewalReminderDays: 0 });
    expect(wakeAt(member(), p)).toBe('2026-02-13T10:00:00.000Z');
    const r = membershipLifecycle(member(), p, { cutoff: '2026-02-12T00:00:00.000Z', now: '2026-02-12T00:00:00.000Z' });
    expect(r.emails).toEqual([]);
  });

  it('a lapsed membership stays lapsed when a late refund or an old payment arrives; no second lapse', () => {
    const p = program();
    const l = ledgerOf(p);
    l.deliver(vip('m1', JAN), JAN);
    l.deliver(vip('m2', '2026-02-01T00:00:00.000Z'), '2026-02-01T00:00:00.000Z');
    const cutoff = '2026-03-20T00:00:00.000Z';
    l.customer = membershipLifecycle(l.customer, p, { cutoff, now: cutoff }).customer;
    expect(l.customer.membership).toMatchObject({ status: 'lapsed', endedAt: '2026-03-13T10:00:00.000Z' });
    l.deliver(refund('m2', cutoff, ['L1']), cutoff);
    expect(l.customer.membership).toMatchObject({
      status: 'lapsed',
      paidThrough: FEB,
      endedAt: '2026-02-13T10:00:00.000Z',
    });
    expect(membershipWakeAt(l.customer.membership!, p)).toBeUndefined();
    // An order of long ago delivered now: a membership that ended long ago, and no join e-mail.
    const old = ledgerOf(p);
    const plan = old.deliver(vip('m0', JAN), cutoff);
    expect(old.customer.membership).toMatchObject({ status: 'lapsed', endedAt: '2026-02-13T10:00:00.000Z' });
    expect(plan?.emails ?? []).toEqual([]);
  });

  it('a cancelled membership folds back to active only with a new payment', () => {
    const p = program();
    const cancelled = foldMembership(member().membership, [], p.membership, JAN)!;
    expect(cancelled).toMatchObject({ status: 'cancelled', endedAt: JAN });
    const again = foldMembership(cancelled, [{ orderId: 'x', at: FEB, months: 1, planId: 'vip' }], p.membership, FEB)!;
    expect(again).toMatchObject({ status: 'active', since: FEB, paidThrough: '2026-03-10T10:00:00.000Z' });
    expect(again.endedAt).toBeUndefined();
  });
});

describe('membership changes for the outgoing event', () => {
  it('say joined, renewed, shortened, cancelled or lapsed, and nothing for a duplicate', () => {
    const l = ledgerOf(program());
    const kinds = (p: Plan | undefined) => p?.membershipChange?.kind;
    expect(kinds(l.deliver(vip('m1', JAN), JAN))).toBe('joined');
    expect(l.deliver(vip('m1', JAN), JAN)).toBeUndefined();
    expect(kinds(l.deliver(vip('m2', JAN), JAN))).toBe('renewed');
    expect(kinds(l.deliver(refund('m2', JAN, ['L1']), JAN))).toBe('shortened');
    expect(kinds(l.deliver(paid('o3', JAN, [{ sku: 'MUG', netMinor: 100 }]), JAN))).toBeUndefined();
    expect(kinds(l.deliver(refund('m1', JAN, ['L1']), JAN))).toBe('cancelled');
    const active = l.customer.membership && { ...l.customer.membership, status: 'active' as const };
    expect(membershipChangeOf('i.c1', active, { ...active!, status: 'lapsed' })?.kind).toBe('lapsed');
    expect(membershipChangeOf('i.c1', active, { ...active!, renewalWarnedFor: FEB })).toBeUndefined();
  });
});

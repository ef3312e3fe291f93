/**
 * Paid membership: the defects an independent review of issue 15 found, each pinned by a test.
 */
import { describe, expect, it } from 'vitest';
import { planOrderEvent } from '../../shared/domain/ledger/plans';
import { programSchema } from '../../shared/schemas/program';
import { activeMembershipPlan, membershipPlanAt } from '../../shared/domain/membership/state';
import { renewalDueAt } from '../../shared/domain/membership/schedule';

import { ledger as ledgerOf, paid, program, refund, vip } from '../support/membership';

const JAN = '2026-01-10T10:00:00.000Z';

describe('paid membership: review findings', () => {
  it('a full refund of a membership order cancels it even after the shop changed the plan’s SKUs', () => {
    // The shop sold VIP under SKU "VIP", then renamed the SKU in the program. The payment records
    // its planId, but a later full refund of the old order is matched against the *current* SKUs
    // (planOfLines in membershipAfterOrder), finds no plan, and changes nothing.
    const p = program();
    const l = ledgerOf(p, 'Europe/Copenhagen');
    l.deliver(vip('m1', JAN), JAN);
    expect(l.customer.membership?.status).toBe('active');
    const renamed = programSchema.parse({
      ...p,
      membership: {
        ...p.membership,
        plans: p.membership.plans.map((x) => (x.id === 'vip' ? { ...x, skus: ['VIP-2026'] } : x)),
      },
    });
    const at = '2026-01-12T00:00:00.000Z';
    const plan = planOrderEvent({
      event: refund('m1', at, ['L1']),
      order: l.order('m1'),
      customer: l.customer,
      program: renamed,
      now: at,
      entryId: 'E-refund',
      currency: 'DKK',
      timeZone: 'Europe/Copenhagen',
    });
    // The whole payment was refunded: the membership must not stay active.
    expect(plan?.customer?.next.membership?.status).toBe('cancelled');
  });

  it('refunding the first payment of a renewed membership is not reported as "joined"', () => {
    const l = ledgerOf(program(), 'Europe/Copenhagen');
    l.deliver(vip('m1', JAN), JAN);
    l.deliver(vip('m2', '2026-02-05T00:00:00.000Z'), '2026-02-05T00:00:00.000Z');
    const plan = l.deliver(refund('m1', '2026-02-06T00:00:00.000Z', ['L1']), '2026-02-06T00:00:00.000Z')!;
    // A refund shortens the paid period; membership.changed must not tell receivers someone joined.
    expect(plan.membershipChange?.kind).not.toBe('joined');
  });

  it('an order paid before the membership was bought does not earn with its multiplier when delivered late', () => {
    // docs/membership.md: "A membership counts as active from its payment until paidThrough + graceDays".
    // Webhooks are retried for hours; an order paid on the 9th whose delivery lands after the
    // membership bought on the 10th still earns double, because activeMembershipPlan never
    // looks at `since` and the multiplier is taken at processing time.
    const l = ledgerOf(program(), 'Europe/Copenhagen');
    const early = paid('o1', '2026-01-09T10:00:00.000Z', [{ sku: 'MUG', netMinor: 10_000 }]);
    l.deliver(vip('m1', JAN), JAN);
    l.deliver(early, '2026-01-10T11:00:00.000Z');
    expect(l.order('o1')?.awarded.points).toBe(100);
  });

  it('a monthly member who joined on the 31st stays one membership when the platform bills on the 28th, then the 31st', () => {
    // Subscription platforms keep the billing anchor day (31 Jan → 28 Feb → 31 Mar). Chained
    // addMonths from paidThrough loses the anchor: 28 Feb + 1 month = 28 Mar, so the 31 Mar payment
    // lands after paidThrough + 3 grace days and starts a *new* membership (new since, second join
    // e-mail; the daily job may even send a lapse e-mail in between).
    const l = ledgerOf(program(), 'Europe/Copenhagen');
    l.deliver(vip('m1', '2026-01-31T12:00:00.000Z'), '2026-01-31T12:00:00.000Z');
    l.deliver(vip('m2', '2026-02-28T12:00:00.000Z'), '2026-02-28T12:00:00.000Z');
    const plan = l.deliver(vip('m3', '2026-03-31T12:00:00.000Z'), '2026-03-31T12:00:00.000Z')!;
    expect(l.customer.membership?.since).toBe('2026-01-31T12:00:00.000Z');
    expect(plan.emails?.filter((e) => e.type === 'membership_joined') ?? []).toEqual([]);
  });
});

describe('review2: the paying order’s multiplier after the membership is refunded', () => {
  it('refunding only the membership line takes back the doubled points on the goods bought with it', () => {
    // VIP (99 DKK) + a 100 DKK mug in one order earns 398 (both doubled). Refunding just the VIP
    // line cancels the membership, yet the mug keeps 200 points: double points for a membership
    // the customer never paid for. Buy the plan with a large basket, refund the plan, keep 2x.
    const l = ledgerOf(program(), 'Europe/Copenhagen');
    l.deliver(
      paid('m1', JAN, [
        { sku: 'VIP', netMinor: 9_900 },
        { sku: 'MUG', netMinor: 10_000 },
      ]),
      JAN,
    );
    expect(l.order('m1')?.awarded.points).toBe(398);
    l.deliver(refund('m1', '2026-01-11T00:00:00.000Z', ['L1']), '2026-01-11T00:00:00.000Z');
    expect(l.customer.membership?.status).toBe('cancelled');
    expect(l.order('m1')?.awarded.points).toBe(100);
  });
});

describe('review2: a paid month on the shop’s calendar', () => {
  it('a month paid on 1 March just after midnight in Copenhagen lasts until 1 April there', () => {
    // addMonths works on the UTC calendar: 1 March 00:30 CET is 28 February 23:30Z, and
    // 28 Feb + 1 month is 28 Mar, so a customer who paid on the 1st is covered until 29 March
    // local time (three days short); the same happens on the 1st after every 30-day month.
    const l = ledgerOf(program(), 'Europe/Copenhagen');
    const at = '2026-03-01T00:30:00+01:00';
    l.deliver(vip('m1', at), '2026-03-01T00:31:00+01:00');
    // 1 April 00:30 CEST = 31 March 22:30Z.
    expect(Date.parse(l.customer.membership!.paidThrough)).toBeGreaterThanOrEqual(
      Date.parse('2026-03-31T22:30:00.000Z'),
    );
  });
});

describe('review2: membership instants are compared as instants', () => {
  it('activeMembershipPlan gives nothing for an instant after the grace days written with an offset', () => {
    // payments.ts compares instants with toMs; activeMembershipPlan compares ISO strings. An
    // instant with an offset (activities' occurredAt feeds earningMultiplierPercent) is compared
    // as text: 09:00-02:00 (= 11:00Z) sorts before 10:00Z, so a lapsed plan still multiplies.
    const p = program();
    const c = {
      membership: {
        planId: 'vip',
        status: 'active' as const,
        since: '2026-01-10T10:00:00.000Z',
        paidThrough: '2026-02-10T10:00:00.000Z',
        payments: [],
      },
    };
    // graceDays 3: the plan ends at 2026-02-13T10:00:00Z; this instant is 2026-02-13T11:00:00Z.
    expect(activeMembershipPlan(c, p, '2026-02-13T09:00:00-02:00')).toBeUndefined();
  });
});

describe('review2: follow-ups to the fixes', () => {
  it('a redelivered membership-line refund changes nothing more; a renewal bought with goods keeps its rate', () => {
    const l = ledgerOf(program(), 'Europe/Copenhagen');
    l.deliver(
      paid('m1', JAN, [
        { sku: 'VIP', netMinor: 9_900 },
        { sku: 'MUG', netMinor: 10_000 },
      ]),
      JAN,
    );
    const at = '2026-01-11T00:00:00.000Z';
    l.deliver(refund('m1', at, ['L1']), at);
    const again = l.deliver(refund('m1', at, ['L1']), '2026-01-11T01:00:00.000Z');
    expect(again?.entry).toBeUndefined();
    expect(l.order('m1')?.awarded.points).toBe(100);
    expect(l.customer.points.pending + l.customer.points.available).toBe(100);

    // Already a member: the renewal line's refund does not undo a multiplier the order had anyway.
    const r = ledgerOf(program(), 'Europe/Copenhagen');
    r.deliver(vip('m0', JAN), JAN);
    const feb = '2026-02-01T00:00:00.000Z';
    r.deliver(
      paid('m2', feb, [
        { sku: 'VIP', netMinor: 9_900 },
        { sku: 'MUG', netMinor: 10_000 },
      ]),
      feb,
    );
    r.deliver(refund('m2', '2026-02-02T00:00:00.000Z', ['L1']), '2026-02-02T00:00:00.000Z');
    expect(r.customer.membership).toMatchObject({ status: 'active', since: JAN });
    expect(r.order('m2')?.awarded.points).toBe(200);
  });

  it('the renewal-due reminder waits for half the paid period after a payment', () => {
    const l = ledgerOf(program({ renewalReminderDays: 30 }), 'Europe/Copenhagen');
    l.deliver(vip('m1', JAN), JAN);
    // 10 Jan → 10 Feb: 31 days, so not before 25 Jan 22:00Z (30 days before the end would be the 11th).
    expect(renewalDueAt(l.customer.membership!, program({ renewalReminderDays: 30 }))).toBe('2026-01-25T22:00:00.000Z');
    // A 7-day reminder is unchanged: 3 February.
    expect(renewalDueAt(l.customer.membership!, program())).toBe('2026-02-03T10:00:00.000Z');
  });

  it('a membership that lapsed later still covered its paid period; a cancelled one never did', () => {
    const p = program();
    const m = {
      planId: 'vip',
      status: 'lapsed' as const,
      since: '2026-01-10T10:00:00.000Z',
      paidThrough: '2026-02-10T10:00:00.000Z',
      payments: [],
    };
    expect(membershipPlanAt({ membership: m }, p, '2026-01-31T23:59:59.999Z')?.id).toBe('vip');
    expect(membershipPlanAt({ membership: m }, p, '2026-01-09T23:59:59.999Z')).toBeUndefined();
    expect(membershipPlanAt({ membership: { ...m, status: 'cancelled' } }, p, '2026-01-31T00:00:00Z')).toBeUndefined();
    expect(activeMembershipPlan({ membership: { ...m, status: 'active' } }, p, '2026-01-09T10:00:00Z')).toBeUndefined();
  });
});

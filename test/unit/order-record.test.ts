import { describe, expect, it } from 'vitest';
import { emptyOrderRecord, entitlement, mergeOrderEvent, qualify } from '../../shared/domain/ledger/order-record';
import { planOrderEvent } from '../../shared/domain/ledger/plans';
import { defaultProgram, programSchema } from '../../shared/schemas/program';
import type { OrderEvent } from '../../shared/schemas/order';
import { canonicalOrder } from '../support/orders';
import { testRetryDeps } from '../support/deterministic';

const program = defaultProgram();
const orderEvent = (over: Parameters<typeof canonicalOrder>[0] = {}): OrderEvent => ({
  kind: 'order',
  topic: 'orders/updated',
  order: canonicalOrder(over),
});
const refund = (id: string, itemsNetMinor: number): OrderEvent => ({
  kind: 'refund',
  topic: 'refunds/create',
  orderId: '1001',
  refund: { refundId: id, createdAt: '2026-01-12T00:00:00Z', amountMinor: itemsNetMinor, itemsNetMinor, lines: [] },
});
const fold = (events: OrderEvent[]) =>
  qualify(events.reduce(mergeOrderEvent, emptyOrderRecord('1001')), program, false);

describe('order record', () => {
  it('keeps the latest platform view by updatedAt, whatever order deliveries arrive in', () => {
    const older = orderEvent({ financialStatus: 'pending', updatedAt: '2026-01-10T10:00:00Z', nets: [5_000] });
    const newer = orderEvent({ financialStatus: 'paid', updatedAt: '2026-01-10T11:00:00Z', nets: [8_000] });
    expect(fold([older, newer])).toEqual(fold([newer, older]));
    expect(fold([newer, older]).state?.lines).toEqual([
      { lineId: 'L1', productId: 'P1', sku: 'SKU-1', netMinor: 8_000 },
    ]);
  });

  it('paid and cancelled are sticky facts', () => {
    const paid = orderEvent({ financialStatus: 'paid', updatedAt: '2026-01-10T11:00:00Z' });
    const stalePending = orderEvent({ financialStatus: 'pending', updatedAt: '2026-01-10T09:00:00Z' });
    expect(fold([paid, stalePending]).paidAt).toBeDefined();
    const cancelled = orderEvent({
      financialStatus: 'voided',
      cancelledAt: '2026-01-11T00:00:00Z',
      updatedAt: '2026-01-11T00:00:00Z',
    });
    expect(entitlement(fold([paid, cancelled]))).toEqual({ points: 0, credit: 0 });
  });

  it('reverses refunds proportionally, including a refund that arrives before its order', () => {
    const paid = orderEvent({ nets: [10_000] });
    expect(entitlement(fold([paid])).points).toBe(100);
    expect(entitlement(fold([refund('r1', 2_500), paid])).points).toBe(75);
    expect(entitlement(fold([paid, refund('r1', 2_500), refund('r1', 2_500)])).points).toBe(75);
    expect(entitlement(fold([paid, refund('r1', 2_500), refund('r2', 7_500)])).points).toBe(0);
  });

  it("keeps the rule that applied when the order earned, not today's", () => {
    const record = fold([orderEvent({ nets: [10_000] })]);
    const doubled = programSchema2x();
    const refunded = mergeOrderEvent(qualify(record, doubled, false), refund('r1', 5_000));
    expect(entitlement(refunded).points).toBe(50);
  });

  it('test orders and orders without a customer never earn', () => {
    expect(entitlement(fold([orderEvent({ test: true })])).points).toBe(0);
    expect(entitlement(fold([orderEvent({ customer: {} })])).points).toBe(0);
  });
});

describe('planOrderEvent', () => {
  const base = { customer: undefined, program, now: '2026-01-10T12:00:00Z', entryId: 'E1' };

  it('earns pending points for a new paid order and schedules their confirmation', () => {
    const plan = planOrderEvent({
      ...base,
      event: orderEvent({ nets: [10_000], paidAt: '2026-01-10T10:00:00Z' }),
      order: undefined,
    })!;
    expect(plan.entry).toMatchObject({ type: 'earn', points: { available: 0, pending: 100 } });
    expect(plan.customer?.next.points).toMatchObject({ available: 0, pending: 100 });
    expect(plan.customer?.next.pendingOrders).toEqual({ 1001: '2026-01-24T10:00:00.000Z' });
  });

  it('a duplicate delivery plans nothing', () => {
    const event = orderEvent({ nets: [10_000] });
    const first = planOrderEvent({ ...base, event, order: undefined })!;
    expect(
      planOrderEvent({ ...base, event, order: first.order!.next, customer: first.customer!.next, entryId: 'E2' }),
    ).toBeUndefined();
  });
});

function programSchema2x() {
  const p = defaultProgram();
  return { ...p, earning: { ...p.earning, rate: { points: 2, per: 1 } } };
}

describe('sameRecord', () => {
  it('ignores key order, as DynamoDB may return map keys in any order', async () => {
    const { sameRecord } = await import('../../shared/domain/ledger/order-record');
    const a = fold([orderEvent({ nets: [10_000] })]);
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    const deep = { ...a, state: Object.fromEntries(Object.entries(a.state!).reverse()) as typeof a.state };
    expect(sameRecord(a, reordered)).toBe(true);
    expect(sameRecord(a, deep)).toBe(true);
    expect(sameRecord(a, { ...a, paidAt: '2030-01-01T00:00:00.000Z' })).toBe(false);
  });
});

describe('review findings', () => {
  const base = { program, now: '2026-01-10T12:00:00Z', entryId: 'E1' };

  it('an order moved to another customer does not copy their details onto the first', () => {
    const first = planOrderEvent({
      ...base,
      event: orderEvent({ customer: { id: 'A', email: 'alice@example.com', firstName: 'Alice' } }),
      order: undefined,
      customer: undefined,
    })!;
    const moved = orderEvent({
      customer: { id: 'B', email: 'bob@example.com', firstName: 'Bob' },
      updatedAt: '2026-01-11T00:00:00Z',
    });
    const plan = planOrderEvent({
      ...base,
      event: moved,
      order: first.order!.next,
      customer: first.customer!.next,
      entryId: 'E2',
    });
    const after = plan?.customer?.next ?? first.customer!.next;
    expect(after).toMatchObject({
      cid: 'i.A',
      email: 'alice@example.com',
      firstName: 'Alice',
      platformCustomerId: 'A',
    });
  });

  it('a declined payment that is retried and paid still earns', () => {
    const failed = orderEvent({ financialStatus: 'pending', updatedAt: '2026-01-10T10:00:00Z' });
    const voided = orderEvent({ financialStatus: 'voided', updatedAt: '2026-01-10T10:05:00Z' });
    const paid = orderEvent({
      financialStatus: 'paid',
      paidAt: '2026-01-10T11:00:00Z',
      updatedAt: '2026-01-10T11:00:00Z',
    });
    expect(entitlement(fold([failed, voided, paid])).points).toBe(100);
    expect(entitlement(fold([paid, voided])).points).toBe(100);
  });
});

describe('refunds follow the rule of each line', () => {
  const lineRefund = (id: string, lineId: string, netMinor: number): OrderEvent => ({
    kind: 'refund',
    topic: 'refunds/create',
    orderId: '1001',
    refund: {
      refundId: id,
      createdAt: '2026-01-12T00:00:00Z',
      amountMinor: netMinor,
      itemsNetMinor: netMinor,
      lines: [{ lineId, quantity: 1, netMinor }],
    },
  });
  const withRule = (earning: object) => {
    const p = programSchema.parse({ earning });
    return (events: OrderEvent[]) => qualify(events.reduce(mergeOrderEvent, emptyOrderRecord('1001')), p, false);
  };

  it('refunding an excluded line (a gift card) takes no points back', () => {
    const foldX = withRule({ excludedSkus: ['SKU-2'] });
    const paid = orderEvent({ nets: [10_000, 10_000] });
    expect(entitlement(foldX([paid])).points).toBe(100);
    expect(entitlement(foldX([paid, lineRefund('r1', 'L2', 10_000)])).points).toBe(100);
    expect(entitlement(foldX([lineRefund('r1', 'L1', 10_000), paid])).points).toBe(0);
  });

  it('refunding a double-points line takes back double points', () => {
    const foldM = withRule({ multipliers: [{ skus: ['SKU-1'], percent: 200 }] });
    const paid = orderEvent({ nets: [10_000, 10_000] });
    expect(entitlement(foldM([paid])).points).toBe(300);
    expect(entitlement(foldM([paid, lineRefund('r1', 'L1', 10_000)])).points).toBe(100);
    expect(entitlement(foldM([paid, lineRefund('r1', 'L2', 5_000)])).points).toBe(250);
  });

  it('a refund naming lines we do not know counts in proportion', () => {
    const paid = orderEvent({ nets: [10_000] });
    expect(entitlement(fold([paid, lineRefund('r1', 'L9', 2_500)])).points).toBe(75);
  });
});

describe('expiry', () => {
  it('warns before it expires, even when the warning is late', async () => {
    const { planExpiry } = await import('../../shared/domain/ledger/plans');
    const { newCustomer } = await import('../../shared/domain/ledger/customer');
    const c = {
      ...newCustomer('i.1', '2024-01-01T00:00:00Z'),
      email: 'a@example.com',
      lastActivityAt: '2024-01-01T00:00:00.000Z',
      points: { available: 40, pending: 0, lifetimeEarned: 40 },
    };
    // A year and a half later, nothing was ever sent: warn now, expire only after the notice.
    const warn = planExpiry(c, program, '2025-07-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', 'E1')!;
    expect(warn.entry).toBeUndefined();
    expect(warn.emails).toEqual([
      {
        type: 'points_expiring',
        cid: 'i.1',
        at: '2025-07-01T00:00:00.000Z',
        data: { points: 40, expiresAt: '2025-07-31T00:00:00.000Z' },
      },
    ]);
    // Without an address there is nobody to e-mail, but the notice period still runs.
    const silent = planExpiry(
      { ...c, email: undefined },
      program,
      '2025-07-01T00:00:00.000Z',
      '2025-07-01T00:00:00.000Z',
      'E1',
    )!;
    expect(silent.emails).toBeUndefined();
    expect(silent.customer!.next.expiryWarnedAt).toBe('2025-07-01T00:00:00.000Z');
    const warned = warn.customer!.next;
    expect(planExpiry(warned, program, '2025-07-30T00:00:00.000Z', '2025-07-30T00:00:00.000Z', 'E2')).toBeUndefined();
    const expire = planExpiry(warned, program, '2025-08-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z', 'E3')!;
    expect(expire.entry).toMatchObject({ type: 'expire', points: { available: -40 } });
  });
});

describe('first-order bonus', () => {
  it('is not used up by an order that earns nothing, and converges whatever the delivery order', async () => {
    const { memoryLedgerStore } = await import('../support/memory-ledger-store');
    const { applyOrderEvent } = await import('../../shared/app/ledger-service');
    const { fixedClock } = await import('../../shared/adapters/clock');
    const p = programSchema.parse({ earning: { firstOrderBonusPoints: 500, minimumOrderMinor: 5_000 } });
    const shop = { id: 's', program: p } as Parameters<typeof applyOrderEvent>[1];
    const run = async (events: OrderEvent[]) => {
      const mem = memoryLedgerStore();
      let n = 0;
      const deps = {
        store: mem.store,
        clock: fixedClock('2026-01-10T12:00:00Z'),
        newId: () => `E${++n}`,
        ...testRetryDeps(),
      };
      for (const e of events) await applyOrderEvent(deps, shop, e);
      return (await mem.store.getCustomer('s', 'i.c1'))!.points.pending;
    };
    const small = orderEvent({ orderId: 'o1', nets: [1_000] });
    const big = orderEvent({ orderId: 'o2', nets: [10_000] });
    expect(await run([small, big])).toBe(600);
    const cancel = orderEvent({
      orderId: 'o1',
      nets: [10_000],
      cancelledAt: '2026-01-10T13:00:00Z',
      updatedAt: '2026-01-10T13:00:00Z',
      financialStatus: 'voided',
    });
    const o1 = orderEvent({ orderId: 'o1', nets: [10_000] });
    expect(await run([o1, cancel, big])).toBe(600);
    expect(await run([cancel, o1, big])).toBe(600);
  });
});

describe('redaction', () => {
  it('a redacted guest can no longer be found by e-mail, and keeps its totals', async () => {
    const { memoryLedgerStore } = await import('../support/memory-ledger-store');
    const { applyOrderEvent } = await import('../../shared/app/ledger-service');
    const { redactCustomer } = await import('../../shared/app/privacy-service');
    const { findCustomer } = await import('../../shared/app/customer-service');
    const { fixedClock } = await import('../../shared/adapters/clock');
    const shop = { id: 's', program } as Parameters<typeof applyOrderEvent>[1];
    const mem = memoryLedgerStore();
    let n = 0;
    const deps = {
      store: mem.store,
      clock: fixedClock('2026-01-10T12:00:00Z'),
      newId: () => `E${++n}`,
      ...testRetryDeps(),
    };
    await applyOrderEvent(deps, shop, orderEvent({ customer: { email: 'Guest@Example.com', firstName: 'G' } }));
    expect((await findCustomer(mem.store, 's', 'guest@example.com'))?.firstName).toBe('G');
    expect(await redactCustomer(deps, shop, { email: 'guest@example.com' })).toBe(1);
    expect(await findCustomer(mem.store, 's', 'guest@example.com')).toBeUndefined();
    const [kept] = [...mem.customers.values()];
    expect(kept).toMatchObject({ points: { pending: 100 }, redactedAt: expect.any(String) });
    expect(JSON.stringify(kept)).not.toMatch(/guest@example\.com|"G"/i);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import { applyOrderEvent, runDaily } from '../../shared/app/ledger-service';
import { newShop } from '../../shared/domain/shop';
import type { OrderEvent } from '../../shared/schemas/order';
import { createShopSchema } from '../../shared/schemas/shop';
import { memoryLedgerStore } from '../support/memory-ledger-store';
import { canonicalOrder } from '../support/orders';
import { testRetryDeps } from '../support/deterministic';

/**
 * For any interleaving — concurrent or not — of create / paid / updated / refund / cancel
 * deliveries and their duplicates, the ledger ends where the rule applied to each order's
 * final state says, and no order change is written twice.
 */
const shop = newShop(
  createShopSchema.parse({
    id: 'prop',
    name: 'Prop',
    platform: 'custom',
    storefrontUrl: 'https://prop.example',
    currency: 'DKK',
    timezone: 'UTC',
    locale: 'en',
    webhookSecret: 'prop-secret-123',
    senderEmail: 'a@prop.example',
    program: { earning: { cashbackBasisPoints: 300 } },
  }),
  { apiKeyHash: 'x', apiKeyHint: 'x' },
  new Date('2026-01-01T00:00:00Z'),
);

const orderScenario = fc.record({
  nets: fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 4 }),
  customer: fc.constantFrom('c1', 'c2', 'c3'),
  paid: fc.boolean(),
  edited: fc.boolean(),
  refunds: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 3 }),
  cancelled: fc.boolean(),
});

type Scenario = {
  nets: number[];
  customer: string;
  paid: boolean;
  edited: boolean;
  refunds: number[];
  cancelled: boolean;
};

const at = (minute: number) => new Date(Date.UTC(2026, 0, 10, 10, minute)).toISOString();

/** The deliveries one order produces, and what its final state is worth by the documented rule. */
const deliveriesFor = (orderId: string, s: Scenario) => {
  const events: OrderEvent[] = [];
  const base = { orderId, customer: { id: s.customer, email: `${s.customer}@example.com` } };
  const nets = s.edited ? s.nets.map((n) => Math.floor(n / 2)) : s.nets;
  events.push({
    kind: 'order',
    topic: 'order.created',
    order: canonicalOrder({ ...base, nets: s.nets, financialStatus: 'pending', updatedAt: at(0) }),
  });
  if (s.paid)
    events.push({
      kind: 'order',
      topic: 'order.paid',
      order: canonicalOrder({ ...base, nets: s.nets, financialStatus: 'paid', paidAt: at(1), updatedAt: at(1) }),
    });
  if (s.edited)
    events.push({
      kind: 'order',
      topic: 'order.updated',
      order: canonicalOrder({ ...base, nets, financialStatus: s.paid ? 'paid' : 'pending', updatedAt: at(2) }),
    });
  const basis = nets.reduce((a, b) => a + b, 0);
  let refunded = 0;
  s.refunds.forEach((pct, i) => {
    const itemsNetMinor = Math.floor((basis * pct) / 100 / Math.max(1, s.refunds.length));
    refunded += itemsNetMinor;
    events.push({
      kind: 'refund',
      topic: 'order.refunded',
      orderId,
      refund: {
        refundId: `${orderId}-r${i}`,
        createdAt: at(3 + i),
        amountMinor: itemsNetMinor,
        itemsNetMinor,
        lines: [],
      },
    });
  });
  if (s.cancelled)
    events.push({
      kind: 'order',
      topic: 'order.cancelled',
      order: canonicalOrder({ ...base, nets, financialStatus: 'voided', cancelledAt: at(9), updatedAt: at(9) }),
    });

  // The oracle, written from the rule's description rather than the implementation.
  const remaining = Math.max(0, basis - refunded);
  const earns = s.paid && !s.cancelled && basis > 0 && remaining > 0;
  const points = earns ? Math.floor((Math.floor(basis / 100) * remaining) / basis) : 0;
  const credit = earns ? Math.floor((Math.floor((basis * 300) / 10_000) * remaining) / basis) : 0;
  return { events, expected: { customer: `i.${s.customer}`, points, credit } };
};

describe('ledger under any interleaving of deliveries', () => {
  it("converges on the rule applied to each order's final state, writing nothing twice", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderScenario, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        fc.integer({ min: 1, max: 6 }),
        async (scenarios, shuffleKeys, concurrency) => {
          const mem = memoryLedgerStore();
          const deps = {
            store: mem.store,
            clock: fixedClock('2026-01-10T12:00:00Z'),
            newId: (() => {
              let n = 0;
              return () => `E${String(++n).padStart(6, '0')}`;
            })(),
            ...testRetryDeps(),
          };
          const plans = scenarios.map((s, i) => deliveriesFor(`o${i}`, s));
          // Every delivery once, some twice (duplicates), in a random order.
          const all = plans.flatMap((p) => p.events).flatMap((e, i) => (shuffleKeys[i % 64]! % 3 === 0 ? [e, e] : [e]));
          const shuffled = all
            .map((e, i) => ({ e, k: shuffleKeys[(i * 7) % 64]! * 1000 + i }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          for (let i = 0; i < shuffled.length; i += concurrency) {
            await Promise.all(shuffled.slice(i, i + concurrency).map((e) => applyOrderEvent(deps, shop, e)));
          }

          const expected = new Map<string, { points: number; credit: number }>();
          for (const p of plans) {
            const t = expected.get(p.expected.customer) ?? { points: 0, credit: 0 };
            expected.set(p.expected.customer, {
              points: t.points + p.expected.points,
              credit: t.credit + p.expected.credit,
            });
          }
          for (const [cid, want] of expected) {
            const c = await mem.store.getCustomer(shop.id, cid);
            const got = c
              ? { points: c.points.available + c.points.pending, credit: c.credit.available + c.credit.pending }
              : { points: 0, credit: 0 };
            expect(got).toEqual(want);
            const entries = mem.entries.get(`${shop.id}|${cid}`) ?? [];
            // Balances are exactly the sum of the entries.
            expect(entries.reduce((s, e) => s + e.points.available + e.points.pending, 0)).toBe(got.points);
            // No order change was written twice.
            const causes = entries.map((e) => e.cause.replace(/:[^:]*$/, ''));
            expect(new Set(causes).size).toBe(causes.length);
          }

          // After the return window everything pending is confirmed, and balances stay equal.
          await runDaily({ ...deps, clock: fixedClock('2026-03-01T00:00:00Z') }, shop, '2026-02-01');
          for (const [cid, want] of expected) {
            const c = await mem.store.getCustomer(shop.id, cid);
            if (!c) continue;
            expect(c.points).toMatchObject({ pending: 0, available: want.points });
            expect(c.pendingOrders).toEqual({});
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

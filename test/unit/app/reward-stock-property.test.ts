import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { redeemReward, type CustomerChangeDeps } from '../../../shared/app/customer-admin-service';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import type { Shop } from '../../../shared/domain/shop';
import { programSchema } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

/**
 * For any burst of concurrent redemptions of one stock-limited reward — several customers, each
 * with their own keys, keys repeated — the reward is never redeemed more often than its stock,
 * no customer more often than the limit, each key spends once and answers the same every time,
 * and every refusal is one the final state justifies.
 */
const at = '2026-05-01T12:00:00.000Z';

const scenario = fc.record({
  stock: fc.integer({ min: 0, max: 6 }),
  limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  cost: fc.integer({ min: 50, max: 400 }),
  balances: fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 4 }),
  requests: fc.array(fc.record({ customer: fc.nat(3), key: fc.nat(4) }), { minLength: 1, maxLength: 25 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

describe('stock-limited redemptions under concurrency (property)', () => {
  it('never oversells, never exceeds a limit, never spends twice, and refuses only for a reason', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ stock, limit, cost, balances, requests, seed }) => {
        const mem = memoryLedgerStore();
        balances.forEach((available, i) =>
          mem.customers.set(`s|i.${i}`, {
            ...newCustomer(`i.${i}`, at),
            points: { available, pending: 0, lifetimeEarned: available },
            version: 1,
          }),
        );
        const reward = {
          id: 'r',
          name: 'R',
          type: 'experience' as const,
          pointsCost: cost,
          valueMinor: 0,
          stock,
          ...(limit ? { perCustomerLimit: limit } : {}),
        };
        const shop = { id: 's', currency: 'DKK', program: programSchema.parse({ rewards: [reward] }) } as Shop;
        let n = 0;
        const deps: CustomerChangeDeps = {
          store: mem.store,
          clock: fixedClock(at),
          newId: () => `E${++n}`,
          humanCode: () => `BMR-${n}`,
          ...testRetryDeps(seed),
        };
        const asked = requests.map((r) => ({ customer: r.customer % balances.length, key: r.key }));
        const results = await Promise.all(
          asked.map((r) =>
            redeemReward(deps, shop, {
              customerRef: String(r.customer),
              key: `${r.customer}-${r.key}`,
              requestHash: 'h',
              rewardId: 'r',
            }),
          ),
        );

        const redeemed = mem.rewardRedeemed.get('s|r') ?? 0;
        expect(redeemed).toBeLessThanOrEqual(stock);
        const firstAnswer = new Map<string, unknown>();
        results.forEach((r, i) => {
          const key = `${asked[i]!.customer}-${asked[i]!.key}`;
          if (!r.ok) return;
          if (firstAnswer.has(key)) expect(r.value.body).toEqual(firstAnswer.get(key));
          else firstAnswer.set(key, r.value.body);
        });
        // Every key that succeeded once took exactly one of the stock and spent once.
        expect(redeemed).toBe(firstAnswer.size);
        balances.forEach((start, c) => {
          const won = [...firstAnswer.keys()].filter((k) => k.startsWith(`${c}-`)).length;
          const after = mem.customers.get(`s|i.${c}`)!;
          expect(after.points.available).toBe(start - won * cost);
          expect(mem.entries.get(`s|i.${c}`) ?? []).toHaveLength(won);
          expect(after.rewardRedemptions?.r ?? 0).toBe(won);
          if (limit) expect(won).toBeLessThanOrEqual(limit);
        });
        results.forEach((r, i) => {
          if (r.ok) return;
          const key = `${asked[i]!.customer}-${asked[i]!.key}`;
          // A key that succeeded elsewhere in the burst answers that success, never a refusal.
          expect(firstAnswer.has(key)).toBe(false);
          const c = mem.customers.get(`s|i.${asked[i]!.customer}`)!;
          const e = r.error;
          if (e.kind === 'out_of_stock') expect(redeemed).toBe(stock);
          else if (e.kind === 'reward_limit_reached') expect(c.rewardRedemptions?.r).toBe(limit);
          else if (e.kind === 'insufficient_points') expect(c.points.available).toBeLessThan(cost);
          else expect.unreachable(`unexpected refusal ${e.kind}`);
        });
      }),
      { numRuns: 150 },
    );
  });
});

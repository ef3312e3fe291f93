import { describe, expect, it } from 'vitest';
import { planOpeningBalance } from '../../../shared/domain/imports/balances';
import { batchItems, historyBatches, packBatches } from '../../../shared/domain/imports/history';
import { parseOrders } from '../../../shared/domain/imports/orders';
import { programSchema } from '../../../shared/schemas/program';
import { customOrderLine } from '../../support/imports';

const now = '2026-06-01T00:00:00.000Z';
let ids = 0;
const ctx = (awardPoints: boolean) => ({
  cid: 'i.c1',
  program: programSchema.parse({}),
  shopCurrency: 'DKK',
  now,
  awardPoints,
  newId: () => `01J00000000000000000${String(++ids).padStart(6, '0')}`,
  importId: 'IMP',
});
const events = (n: number) =>
  parseOrders(
    Array.from({ length: n }, (_, i) =>
      customOrderLine({
        orderId: `o${i}`,
        customerId: 'c1',
        at: new Date(Date.parse('2025-01-01T00:00:00Z') + i * 86_400_000).toISOString(),
        amount: '10.00',
      }),
    ).join('\n'),
    'custom-jsonl',
    { shopCurrency: 'DKK', receivedAt: new Date(now) },
  ).rows.map((r) => r.event);

describe('historyBatches', () => {
  it('folds a customer’s orders without points into one write, counting them as earned orders', () => {
    const { batches, unchanged } = historyBatches(undefined, events(3), ctx(false));
    expect(unchanged).toBe(0);
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(b).toMatchObject({ expectedVersion: 0, events: 3, entries: [] });
    expect(b.customer).toMatchObject({ version: 1, earnedOrders: 3, lastOrderAt: '2025-01-03T00:00:00.000Z' });
    expect(b.customer.points).toMatchObject({ available: 0, pending: 0 });
    expect(b.orders.map((o) => [o.next.orderId, o.expectedVersion, o.next.importId])).toEqual([
      ['o0', 0, 'IMP'],
      ['o1', 0, 'IMP'],
      ['o2', 0, 'IMP'],
    ]);
  });

  it('cuts a long history into transactions of at most 100 items, each guarded by the last one’s version', () => {
    const { batches } = historyBatches(undefined, events(150), ctx(true));
    // With points, each order is its item, its earn entry and (its return window long over) its confirm entry.
    expect(batches.map(batchItems)).toEqual([100, 100, 100, 100, 55]);
    expect(batches.map((b) => [b.expectedVersion, b.customer.version])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    expect(batches.at(-1)!.customer.points).toMatchObject({ available: 1500, pending: 0 });
    expect(batches.at(-1)!.customer.pendingOrders).toEqual({});
  });

  it('changes nothing when the same import’s stored orders already hold the events (a resumed run)', () => {
    const first = historyBatches(undefined, events(2), ctx(false)).batches[0]!;
    const stored = new Map(first.orders.map((o) => [o.next.orderId, o.next]));
    const again = historyBatches(first.customer, events(2), { ...ctx(false), stored });
    expect(again).toEqual({ batches: [], unchanged: 2 });
  });

  it('packs small customers into shared transactions of at most 100 items', () => {
    const one = historyBatches(undefined, events(2), ctx(false)).batches[0]!;
    const groups = packBatches(Array.from({ length: 70 }, () => ({ batch: one })));
    expect(groups.map((g) => g.length)).toEqual([33, 33, 4]);
  });
});

describe('planOpeningBalance', () => {
  const program = programSchema.parse({
    tiers: {
      enabled: true,
      levels: [
        { id: 'bronze', name: 'Bronze', threshold: 0 },
        { id: 'gold', name: 'Gold', threshold: 1000 },
      ],
    },
  });
  const row = { line: 2, email: 'a@b.co', points: 250, tier: 'gold' };

  it('credits the balance as an adjustment naming its source and grants a tier the program has', () => {
    const { plan, tierNote } = planOpeningBalance(undefined, 'e.x', row, {
      format: 'smile',
      importId: 'IMP',
      now,
      entryId: 'E1',
      program,
    });
    expect(tierNote).toBeUndefined();
    expect(plan.entry).toMatchObject({
      type: 'adjust',
      points: { available: 250, pending: 0 },
      cause: 'import:smile:e.x',
      reason: 'Opening balance imported from Smile.io',
      by: 'import:IMP',
    });
    expect(plan.customer!.next).toMatchObject({ email: 'a@b.co', points: { available: 250 }, tier: { id: 'gold' } });
    expect(plan.customer!.expectedVersion).toBe(0);
  });

  it('reports a tier the program does not have and imports the balance without it', () => {
    const { plan, tierNote } = planOpeningBalance(
      undefined,
      'e.x',
      { ...row, tier: 'Platinum' },
      {
        format: 'loyaltylion',
        importId: 'IMP',
        now,
        entryId: 'E1',
        program,
      },
    );
    expect(tierNote).toContain('"Platinum" is not a tier of this program');
    expect(plan.customer!.next.tier).toBeUndefined();
  });
});

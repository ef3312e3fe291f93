import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import {
  adjustPoints,
  customerTierHistory,
  recordNpsAnswer,
  redeemReward,
  type CustomerChangeDeps,
} from '../../../shared/app/customer-admin-service';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import type { Shop } from '../../../shared/domain/shop';
import { defaultProgram } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

const shop = {
  id: 's',
  platform: 'custom',
  currency: 'EUR',
  program: defaultProgram(),
  status: 'active',
  version: 1,
} as Shop;

const setup = (available = 800) => {
  const mem = memoryLedgerStore();
  const at = '2026-05-01T12:00:00.000Z';
  mem.customers.set('s|i.7', {
    ...newCustomer('i.7', at),
    points: { available, pending: 0, lifetimeEarned: available },
    version: 1,
  });
  let n = 0;
  const deps: CustomerChangeDeps = {
    store: mem.store,
    clock: fixedClock(at),
    newId: () => `ID${++n}`,
    humanCode: (p) => `${p}-TEST-CODE`,
    ...testRetryDeps(),
    random: () => 0,
  };
  return { mem, deps, at };
};

const request = { customerRef: '7', key: 'k1', requestHash: 'h1' };

describe('redeemReward', () => {
  it('spends the points once and answers a repeat with the first result', async () => {
    const t = setup();
    const first = await redeemReward(t.deps, shop, { ...request, rewardId: 'five-off' });
    expect(first).toMatchObject({
      ok: true,
      value: {
        status: 201,
        replayed: false,
        body: { points: { balance: 300 }, redemption: { id: 'ID1', code: 'BMR-TEST-CODE', at: t.at } },
      },
    });
    const again = await redeemReward(t.deps, shop, { ...request, rewardId: 'five-off' });
    expect(again).toEqual({ ok: true, value: { ...(first.ok ? first.value : {}), replayed: true } });
    expect(t.mem.customers.get('s|i.7')!.points.available).toBe(300);
  });

  it('refuses a key reused with another request, an unknown reward, a short balance and an unknown customer', async () => {
    const t = setup();
    await redeemReward(t.deps, shop, { ...request, rewardId: 'five-off' });
    expect(await redeemReward(t.deps, shop, { ...request, requestHash: 'other', rewardId: 'five-off' })).toEqual({
      ok: false,
      error: { kind: 'idempotency_key_reused' },
    });
    expect(await redeemReward(t.deps, shop, { ...request, key: 'k2', rewardId: 'nope' })).toEqual({
      ok: false,
      error: { kind: 'unknown_reward', rewardId: 'nope' },
    });
    expect(await redeemReward(t.deps, shop, { ...request, key: 'k3', rewardId: 'credit-10' })).toEqual({
      ok: false,
      error: { kind: 'insufficient_points', balance: 300, cost: 1000 },
    });
    expect(await redeemReward(t.deps, shop, { ...request, customerRef: '8', key: 'k4', rewardId: 'five-off' })).toEqual(
      { ok: false, error: { kind: 'customer_not_found' } },
    );
  });

  it('a refusal that only follows the same request succeeding is answered with that success', async () => {
    const t = setup(500);
    const first = await redeemReward(t.deps, shop, { ...request, rewardId: 'five-off' });
    // The balance is now 0: planning again would refuse, but the key's first result wins.
    const store = {
      ...t.mem.store,
      getIdempotency: (() => {
        let calls = 0;
        return async (s: string, k: string) => (++calls === 1 ? undefined : t.mem.store.getIdempotency(s, k));
      })(),
    };
    const raced = await redeemReward({ ...t.deps, store }, shop, { ...request, rewardId: 'five-off' });
    expect(raced).toEqual({ ok: true, value: { ...(first.ok ? first.value : {}), replayed: true } });
  });

  it('re-plans after losing a race', async () => {
    const t = setup();
    let conflicts = 1;
    const store = {
      ...t.mem.store,
      commit: async (...args: Parameters<typeof t.mem.store.commit>) =>
        conflicts-- > 0 ? ('conflict' as const) : t.mem.store.commit(...args),
    };
    const r = await redeemReward({ ...t.deps, store }, shop, { ...request, rewardId: 'five-off' });
    expect(r).toMatchObject({ ok: true, value: { replayed: false, body: { redemption: { id: 'ID2' } } } });
  });
});

describe('redeemReward of a stock-limited reward', () => {
  const limited = {
    ...shop,
    program: {
      ...shop.program,
      rewards: [
        {
          id: 'tasting',
          name: 'Tasting',
          type: 'experience' as const,
          pointsCost: 100,
          valueMinor: 0,
          stock: 1,
          perCustomerLimit: 1,
          description: 'Wine tasting',
        },
      ],
    },
  } as Shop;

  it('answers 201 with the code and what to fulfil, then refuses the next one out_of_stock', async () => {
    const t = setup();
    const first = await redeemReward(t.deps, limited, { ...request, rewardId: 'tasting' });
    expect(first).toMatchObject({
      ok: true,
      value: {
        status: 201,
        body: { redemption: { type: 'experience', code: 'BMR-TEST-CODE', description: 'Wine tasting' } },
      },
    });
    expect(t.mem.rewardRedeemed.get('s|tasting')).toBe(1);
    t.mem.customers.set('s|i.8', {
      ...newCustomer('i.8', t.at),
      points: { available: 800, pending: 0, lifetimeEarned: 800 },
    });
    expect(
      await redeemReward(t.deps, limited, { ...request, customerRef: '8', key: 'k2', rewardId: 'tasting' }),
    ).toEqual({
      ok: false,
      error: { kind: 'out_of_stock', rewardId: 'tasting', stock: 1 },
    });
    // The first key still gets its answer, though the stock is gone.
    const replay = await redeemReward(t.deps, limited, { ...request, rewardId: 'tasting' });
    expect(replay).toEqual({ ok: true, value: { ...(first.ok ? first.value : {}), replayed: true } });
    expect(t.mem.customers.get('s|i.8')!.points.available).toBe(800);
  });

  it('re-reads the stock after a commit lost the last one to someone else, and refuses without spending', async () => {
    const t = setup();
    // Between this request's read of the count and its commit, another customer takes the last one.
    let reads = 0;
    const store = {
      ...t.mem.store,
      rewardRedeemed: async (shopId: string, rewardId: string) => {
        const n = await t.mem.store.rewardRedeemed(shopId, rewardId);
        if (++reads === 1) t.mem.rewardRedeemed.set('s|tasting', 1);
        return n;
      },
    };
    const r = await redeemReward({ ...t.deps, store }, limited, { ...request, rewardId: 'tasting' });
    expect(r).toEqual({ ok: false, error: { kind: 'out_of_stock', rewardId: 'tasting', stock: 1 } });
    expect(reads).toBe(2);
    expect(t.mem.customers.get('s|i.7')!.points.available).toBe(800);
    expect(t.mem.entries.get('s|i.7') ?? []).toEqual([]);
  });

  it('holds the per-customer limit when two keys race for the same customer', async () => {
    const t = setup();
    const roomy = {
      ...limited,
      program: { ...limited.program, rewards: [{ ...limited.program.rewards[0]!, stock: 10 }] },
    };
    const both = await Promise.all([
      redeemReward(t.deps, roomy, { ...request, key: 'a', rewardId: 'tasting' }),
      redeemReward(t.deps, roomy, { ...request, key: 'b', rewardId: 'tasting' }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toEqual({
      ok: false,
      error: { kind: 'reward_limit_reached', rewardId: 'tasting', limit: 1 },
    });
    expect(t.mem.customers.get('s|i.7')).toMatchObject({
      points: { available: 700 },
      rewardRedemptions: { tasting: 1 },
    });
  });
});

describe('adjustPoints', () => {
  it('records who made the change; without a key it makes one', async () => {
    const t = setup();
    const r = await adjustPoints(t.deps, shop, {
      customerRef: '7',
      requestHash: 'h',
      points: -100,
      reason: 'goodwill',
      by: 'api-key (Ann)',
    });
    expect(r).toMatchObject({
      ok: true,
      value: { status: 201, body: { entry: { entryId: 'ID2', by: 'api-key (Ann)' }, points: { balance: 700 } } },
    });
    expect(await t.mem.store.getIdempotency('s', 'adjust:ID1')).toBeDefined();
  });

  it('may not take the balance below zero', async () => {
    const t = setup(50);
    expect(await adjustPoints(t.deps, shop, { ...request, points: -100, reason: 'x', by: 'operator' })).toEqual({
      ok: false,
      error: { kind: 'would_go_negative', balance: 50, points: -100 },
    });
  });
});

describe('recordNpsAnswer', () => {
  it('stores the answer with an id and time from its deps', async () => {
    const t = setup();
    const put: unknown[] = [];
    const answer = await recordNpsAnswer(
      {
        ...t.deps,
        nightly: {
          putNpsAnswer: async (_s, a) => {
            put.push(a);
            return true;
          },
        },
      },
      shop,
      t.mem.customers.get('s|i.7')!,
      { score: 9 },
    );
    expect(answer).toEqual({
      id: 'ID1',
      customerId: 'i.7',
      score: 9,
      comment: null,
      buyAgain: null,
      tryOther: null,
      at: t.at,
    });
    expect(put).toEqual([{ cid: 'i.7', answerId: 'ID1', score: 9, at: t.at, source: 'api' }]);
  });
});

describe('customerTierHistory', () => {
  it('gives the tier as of its clock (null with tiers off) and the changes, newest first', async () => {
    const t = setup();
    const c = t.mem.customers.get('s|i.7')!;
    const off = { ...shop, program: { ...shop.program, tiers: { ...shop.program.tiers, enabled: false } } } as Shop;
    expect(await customerTierHistory(t.deps, off, c, 10)).toEqual({ tier: null, history: [] });
  });
});

describe('recordNpsAnswer with the loyalty-index questions', () => {
  it('keeps both intent answers, which the Customer Loyalty Index counts', async () => {
    const t = setup();
    const put: unknown[] = [];
    const nightly = {
      putNpsAnswer: async (_s: string, a: unknown) => {
        put.push(a);
        return true;
      },
    };
    const answer = await recordNpsAnswer({ ...t.deps, nightly }, shop, t.mem.customers.get('s|i.7')!, {
      score: 6,
      buyAgain: 8,
      tryOther: 3,
      comment: 'Slow delivery',
    });
    expect(answer).toMatchObject({ score: 6, buyAgain: 8, tryOther: 3, comment: 'Slow delivery' });
    expect(put).toEqual([
      {
        cid: 'i.7',
        answerId: 'ID1',
        score: 6,
        buyAgain: 8,
        tryOther: 3,
        comment: 'Slow delivery',
        at: t.at,
        source: 'api',
      },
    ]);
  });
});

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
    expect(answer).toEqual({ id: 'ID1', customerId: 'i.7', score: 9, comment: null, at: t.at });
    expect(put).toEqual([{ cid: 'i.7', answerId: 'ID1', score: 9, at: t.at }]);
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

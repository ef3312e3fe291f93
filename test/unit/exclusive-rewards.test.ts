import { describe, expect, it } from 'vitest';
import { newCustomer, type CustomerRecord } from '../../shared/domain/ledger/customer';
import { planRedemption } from '../../shared/domain/ledger/plans';
import { rewardLock } from '../../shared/domain/rewards/eligibility';
import { programSchema, type Program, type ProgramInput } from '../../shared/schemas/program';

const now = '2026-05-01T12:00:00.000Z';

const program = (rewards: ProgramInput['rewards'], over: Partial<ProgramInput> = {}): Program =>
  programSchema.parse({
    tiers: {
      levels: [
        { id: 'bronze', name: 'Bronze', threshold: 0 },
        { id: 'silver', name: 'Silver', threshold: 500 },
        { id: 'gold', name: 'Gold', threshold: 1500 },
      ],
    },
    membership: {
      enabled: true,
      plans: [
        { id: 'vip', name: 'VIP Club' },
        { id: 'plus', name: 'Plus' },
      ],
    },
    rewards,
    ...over,
  });

const customer = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
  ...newCustomer('i.1', '2026-01-01T00:00:00.000Z'),
  points: { available: 1000, pending: 0, lifetimeEarned: 1000 },
  version: 3,
  ...over,
});

const tier = (id: string) => ({ id, since: '2026-01-01T00:00:00.000Z', reviewAt: '2027-01-01T00:00:00.000Z' });
const member = (planId: string, paidThrough = '2026-06-01T00:00:00.000Z') => ({
  planId,
  status: 'active' as const,
  since: '2026-01-01T00:00:00.000Z',
  paidThrough,
  payments: [],
});

const tasting = {
  id: 'tasting',
  name: 'Tasting evening',
  type: 'experience' as const,
  pointsCost: 400,
  valueMinor: 0,
  description: 'Wine tasting with the owner',
  startsAt: '2026-06-01T18:00:00+02:00',
};
const mug = { id: 'mug', name: 'Mug', type: 'product' as const, pointsCost: 300, valueMinor: 1500, sku: 'MUG-1' };

const redeem = (c: CustomerRecord, p: Program, rewardId: string, redeemed?: number) =>
  planRedemption(c, p, rewardId, {
    now,
    entryId: 'E1',
    key: 'k1',
    code: 'BMR-ABCD-EFGH',
    ...(redeemed === undefined ? {} : { redeemed }),
  });

describe('planRedemption of exclusive rewards', () => {
  it('gives a product or an experience a code and what the shop fulfils, without store credit', () => {
    const p = program([tasting, mug]);
    const r = redeem(customer(), p, 'tasting');
    expect(r.ok && r.value.redemption).toEqual({
      rewardId: 'tasting',
      type: 'experience',
      pointsCost: 400,
      valueMinor: 0,
      code: 'BMR-ABCD-EFGH',
      description: 'Wine tasting with the owner',
      startsAt: '2026-06-01T18:00:00+02:00',
    });
    const m = redeem(customer(), p, 'mug');
    expect(m.ok && m.value.redemption).toMatchObject({ type: 'product', code: 'BMR-ABCD-EFGH', sku: 'MUG-1' });
    expect(m.ok && m.value.plan.entry).toMatchObject({ points: { available: -300 }, credit: { available: 0 } });
    // Counted per customer even without a limit, so a limit set later counts what came before.
    expect(m.ok && m.value.plan.customer!.next.rewardRedemptions).toEqual({ mug: 1 });
    expect(m.ok && m.value.plan.rewardStock).toBeUndefined();
  });

  it('refuses a reward above the customer’s tier, and allows it at that tier or above', () => {
    const p = program([{ ...mug, requires: { tier: 'silver' } }]);
    expect(redeem(customer(), p, 'mug')).toEqual({
      ok: false,
      error: { kind: 'reward_locked', rewardId: 'mug', requires: { tier: 'silver' } },
    });
    expect(redeem(customer({ tier: tier('silver') }), p, 'mug').ok).toBe(true);
    expect(redeem(customer({ tier: tier('gold') }), p, 'mug').ok).toBe(true);
    // With tiers switched off nobody holds silver: the gate stays shut.
    const off = program([{ ...mug, requires: { tier: 'silver' } }], { tiers: { enabled: false } });
    expect(redeem(customer({ tier: tier('gold') }), off, 'mug').ok).toBe(false);
  });

  it('refuses a members-only reward without an active membership of that plan', () => {
    const vipOnly = program([{ ...mug, requires: { membership: 'vip' } }]);
    const anyPlan = program([{ ...mug, requires: { membership: 'any' } }]);
    const locked = { ok: false, error: { kind: 'reward_locked', rewardId: 'mug', requires: { membership: 'vip' } } };
    expect(redeem(customer(), vipOnly, 'mug')).toEqual(locked);
    expect(redeem(customer({ membership: member('plus') }), vipOnly, 'mug')).toEqual(locked);
    expect(redeem(customer({ membership: member('vip') }), vipOnly, 'mug').ok).toBe(true);
    expect(redeem(customer({ membership: member('plus') }), anyPlan, 'mug').ok).toBe(true);
    // Paid through April (plus 3 grace days): lapsed by 1 May.
    expect(redeem(customer({ membership: member('vip', '2026-04-20T00:00:00.000Z') }), vipOnly, 'mug').ok).toBe(false);
    expect(redeem(customer({ membership: { ...member('vip'), status: 'cancelled' } }), vipOnly, 'mug').ok).toBe(false);
  });

  it('names every requirement the customer misses', () => {
    const p = program([{ ...mug, requires: { tier: 'gold', membership: 'any' } }]);
    expect(rewardLock(p.rewards[0]!, customer({ tier: tier('silver') }), p, now)).toEqual({
      tier: 'gold',
      membership: 'any',
    });
    expect(rewardLock(p.rewards[0]!, customer({ tier: tier('gold') }), p, now)).toEqual({ membership: 'any' });
    expect(rewardLock(p.rewards[0]!, customer({ tier: tier('gold'), membership: member('vip') }), p, now)).toBe(
      undefined,
    );
  });

  it('stops at the per-customer limit, counting on the customer guarded by its version', () => {
    const p = program([{ ...mug, perCustomerLimit: 2 }]);
    const once = redeem(customer({ rewardRedemptions: { mug: 1 } }), p, 'mug');
    expect(once.ok && once.value.plan.customer).toMatchObject({
      expectedVersion: 3,
      next: { rewardRedemptions: { mug: 2 } },
    });
    expect(redeem(customer({ rewardRedemptions: { mug: 2 } }), p, 'mug')).toEqual({
      ok: false,
      error: { kind: 'reward_limit_reached', rewardId: 'mug', limit: 2 },
    });
    // Other rewards' counts do not use up this one's limit.
    expect(redeem(customer({ rewardRedemptions: { other: 5 } }), p, 'mug').ok).toBe(true);
  });

  it('takes one of a limited stock and refuses once it is gone', () => {
    const p = program([{ ...tasting, stock: 3 }]);
    const r = redeem(customer(), p, 'tasting', 2);
    expect(r.ok && r.value.plan.rewardStock).toEqual({ rewardId: 'tasting', stock: 3 });
    expect(redeem(customer(), p, 'tasting', 3)).toEqual({
      ok: false,
      error: { kind: 'out_of_stock', rewardId: 'tasting', stock: 3 },
    });
    expect(redeem(customer(), program([{ ...tasting, stock: 0 }]), 'tasting', 0)).toMatchObject({
      error: { kind: 'out_of_stock' },
    });
  });

  it('says locked before sold out, sold out before the limit, and the limit before the points', () => {
    const p = program([{ ...mug, stock: 1, perCustomerLimit: 1, pointsCost: 5000, requires: { tier: 'gold' } }]);
    const poor = customer({ rewardRedemptions: { mug: 1 } });
    expect(redeem(poor, p, 'mug', 1)).toMatchObject({ error: { kind: 'reward_locked' } });
    const gold = { ...poor, tier: tier('gold') };
    expect(redeem(gold, p, 'mug', 1)).toMatchObject({ error: { kind: 'out_of_stock' } });
    expect(redeem(gold, p, 'mug', 0)).toMatchObject({ error: { kind: 'reward_limit_reached' } });
    expect(redeem({ ...gold, rewardRedemptions: {} }, p, 'mug', 0)).toEqual({
      ok: false,
      error: { kind: 'insufficient_points', balance: 1000, cost: 5000 },
    });
  });

  it('leaves discount codes and store credit as they were', () => {
    const p = programSchema.parse({});
    const r = redeem(customer(), p, 'credit-10');
    expect(r.ok && r.value.redemption).toEqual({
      rewardId: 'credit-10',
      type: 'store_credit',
      pointsCost: 1000,
      valueMinor: 1000,
    });
    expect(r.ok && r.value.plan.customer!.next.rewardRedemptions).toBeUndefined();
  });
});

describe('program validation of reward requirements', () => {
  it('refuses a tier or membership plan that the program does not have, naming the reward', () => {
    const bad = programSchema.safeParse({
      rewards: [
        { ...mug, requires: { tier: 'platinum' } },
        { ...tasting, requires: { membership: 'gold-club' } },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'rewards.0.requires.tier',
      'rewards.1.requires.membership',
    ]);
    expect(
      programSchema.safeParse({ rewards: [{ ...mug, requires: { tier: 'gold', membership: 'any' } }] }).success,
    ).toBe(true);
  });
});

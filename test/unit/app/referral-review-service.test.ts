import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import type { ReferralStore } from '../../../shared/app/ports/referrals';
import {
  decideHeldReferral,
  publishReferralCode,
  uncounted,
  type ReferralReviewDeps,
} from '../../../shared/app/referral-review-service';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import type { Plan } from '../../../shared/domain/ledger/plans';
import type { ReferralRecord } from '../../../shared/domain/referrals/referral';
import type { Shop } from '../../../shared/domain/shop';
import { defaultProgram } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

const at = '2026-05-01T12:00:00.000Z';
const shop = {
  id: 's',
  platform: 'custom',
  currency: 'EUR',
  program: defaultProgram(),
  status: 'active',
  version: 1,
} as Shop;

const held: ReferralRecord = {
  referralId: 'i.friend',
  friendCid: 'i.friend',
  referrerCid: 'i.ref',
  code: 'ANNA-1234',
  source: 'landing_site',
  orderId: 'o1',
  currency: 'EUR',
  orderRevenueMinor: 5000,
  status: 'held',
  findings: [],
  rewardPoints: 500,
  awarded: 0,
  issued: 0,
  confirmed: false,
  createdAt: '2026-04-20T10:00:00.000Z',
  updatedAt: '2026-04-20T10:00:00.000Z',
  version: 1,
};

const setup = (referral: ReferralRecord | null = held) => {
  const mem = memoryLedgerStore();
  const committed: Plan[] = [];
  let stored = referral ?? undefined;
  const store = {
    ...mem.store,
    commit: async (...args: Parameters<typeof mem.store.commit>) => {
      const outcome = await mem.store.commit(...args);
      if (outcome === 'committed') {
        committed.push(args[1]);
        if (args[1].referral) stored = args[1].referral.next;
      }
      return outcome;
    },
  };
  const published: string[] = [];
  const taken = new Set(['TAKEN']);
  const referrals = {
    getReferral: async () => structuredClone(stored),
    publishCode: async (_s: string, _cid: string, code: string) => {
      if (taken.has(code)) return 'taken' as const;
      published.push(code);
      return 'published' as const;
    },
  } as unknown as ReferralStore;
  const deps: ReferralReviewDeps = { store, referrals, clock: fixedClock(at), newId: () => 'E1', ...testRetryDeps() };
  return { mem, deps, committed, published };
};

describe('decideHeldReferral', () => {
  it('refuses a referral that does not exist or is not held', async () => {
    expect(await decideHeldReferral(setup(null).deps, shop, 'i.friend', 'approve', 'operator')).toEqual({
      ok: false,
      error: { kind: 'not_found' },
    });
    expect(
      await decideHeldReferral(setup({ ...held, status: 'approved' }).deps, shop, 'i.friend', 'reject', 'operator'),
    ).toEqual({ ok: false, error: { kind: 'not_held', status: 'approved' } });
  });

  it('rejecting takes the conversion off the referrer and touches the order', async () => {
    const t = setup();
    const referrer = {
      ...newCustomer('i.ref', at),
      referralTotals: { conversions: 2, rewardPoints: 0, clawedBackPoints: 0 },
      referralConversions: { '2026-04': 1 },
      version: 3,
    };
    t.mem.customers.set('s|i.ref', referrer);
    t.mem.orders.set('s|o1', { orderId: 'o1', version: 4 } as never);
    const r = await decideHeldReferral(t.deps, shop, 'i.friend', 'reject', 'api-key');
    expect(r).toMatchObject({
      ok: true,
      value: { status: 'rejected', decidedBy: 'api-key', decidedAt: at, version: 2 },
    });
    expect(t.committed).toHaveLength(1);
    expect(t.committed[0]).toMatchObject({
      order: { expectedVersion: 4, next: { version: 5 } },
      referral: { expectedVersion: 1 },
      referrer: {
        customer: {
          expectedVersion: 3,
          next: { referralTotals: { conversions: 1 }, referralConversions: { '2026-04': 0 } },
        },
      },
    });
  });

  it('without the order, only the referral is decided', async () => {
    const t = setup();
    const r = await decideHeldReferral(t.deps, shop, 'i.friend', 'approve', 'operator');
    expect(r).toMatchObject({ ok: true, value: { status: 'approved' } });
    expect(Object.keys(t.committed[0]!)).toEqual(['referral']);
  });
});

describe('uncounted', () => {
  it('never goes below zero', () => {
    const c = uncounted({ ...newCustomer('i.r', at), version: 1 }, '2026-04-02');
    expect(c).toMatchObject({ referralTotals: { conversions: 0 }, referralConversions: {}, version: 2 });
  });
});

describe('publishReferralCode', () => {
  it('publishes a vanity code, refusing an invalid or taken one and an unknown customer', async () => {
    const t = setup();
    t.mem.customers.set('s|i.7', { ...newCustomer('i.7', at), version: 1 });
    expect(await publishReferralCode(t.deps, shop, '7', 'a')).toMatchObject({
      ok: false,
      error: { kind: 'invalid_vanity' },
    });
    expect(await publishReferralCode(t.deps, shop, '8', 'ANNA2026')).toEqual({
      ok: false,
      error: { kind: 'customer_not_found' },
    });
    expect(await publishReferralCode(t.deps, shop, '7', 'taken')).toEqual({
      ok: false,
      error: { kind: 'code_taken', vanity: 'TAKEN' },
    });
    expect(await publishReferralCode(t.deps, shop, '7', 'anna2026')).toEqual({ ok: true, value: 'ANNA2026' });
    expect(t.published).toEqual(['ANNA2026']);
  });
});

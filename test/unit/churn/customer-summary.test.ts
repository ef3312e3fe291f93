import { describe, expect, it } from 'vitest';
import {
  profileOf,
  shardsOfSegment,
  summaryChanges,
  summaryShardOf,
  summaryShards,
  type SummarySource,
} from '../../../shared/domain/churn/customer-summary';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import { paidOrder } from '../../support/memory-nightly';

const customer = (changes: Partial<ReturnType<typeof newCustomer>> = {}): SummarySource => ({
  kind: 'customer',
  customer: { ...newCustomer('i.1', '2026-01-01T00:00:00Z'), email: 'a@example.com', ...changes },
});
const order = (o = paidOrder('i.1', 'A-1', '2026-03-01T10:00:00.000Z', 10_000)): SummarySource => ({
  kind: 'order',
  order: o,
});

describe('customer summaries (projection of stream records)', () => {
  it('keeps the profile fields the nightly reads, and nothing personal once redacted', () => {
    const [change] = summaryChanges(undefined, customer({ firstName: 'Ann', phone: '+45 1234' }));
    expect(change).toEqual({
      cid: 'i.1',
      part: { kind: 'profile' },
      value: { email: 'a@example.com', points: { available: 0, pending: 0 } },
    });
    const redacted = profileOf({ ...newCustomer('i.1', 'x'), email: 'a@example.com', redactedAt: '2026-02-01' });
    expect(redacted).toEqual({ redactedAt: '2026-02-01', points: { available: 0, pending: 0 } });
  });

  it('keeps what the loyalty metrics read: activity days, the membership, the loyalty-index answers', () => {
    const membership = {
      planId: 'vip',
      status: 'active' as const,
      since: '2026-01-01T00:00:00Z',
      paidThrough: '2027-01-01T00:00:00Z',
      payments: [{ orderId: 'm-1', at: '2026-01-01T00:00:00Z', months: 12 }],
    };
    const [change] = summaryChanges(undefined, customer({ engagedDays: ['2026-03-01'], membership }));
    expect(change!.value).toMatchObject({ engagedDays: ['2026-03-01'], membership });
    // An empty list of days is no engagement: nothing to keep.
    expect(profileOf({ ...newCustomer('i.1', 'x'), engagedDays: [] })).not.toHaveProperty('engagedDays');
    const survey: SummarySource = {
      kind: 'nps',
      answer: { cid: 'i.1', answerId: 'n2', score: 9, at: '2026-03-02', buyAgain: 8, tryOther: 6 },
    };
    expect(summaryChanges(undefined, survey)[0]!.value).toEqual({
      score: 9,
      at: '2026-03-02',
      buyAgain: 8,
      tryOther: 6,
    });
  });

  it('writes nothing when the projection did not change', () => {
    expect(summaryChanges(customer(), customer({ updatedAt: '2026-03-01T00:00:00Z', version: 7 }))).toEqual([]);
    expect(summaryChanges(order(), order())).toEqual([]);
  });

  it('sets a counted order with its currency, and removes it when it stops counting', () => {
    const paid = paidOrder('i.1', 'A-1', '2026-03-01T10:00:00.000Z', 10_000);
    expect(summaryChanges(undefined, order(paid))).toEqual([
      {
        cid: 'i.1',
        part: { kind: 'order', orderId: 'A-1' },
        value: {
          at: '2026-03-01T10:00:00.000Z',
          revenueMinor: 10_000,
          currency: paid.state!.currency,
          productIds: ['p-1'],
          referred: false,
        },
      },
    ]);
    const cancelled = { ...paid, cancelledAt: '2026-03-05T00:00:00Z' };
    expect(summaryChanges(order(paid), order(cancelled))).toEqual([
      { cid: 'i.1', part: { kind: 'order', orderId: 'A-1' }, value: null },
    ]);
    // An order that never counted has nothing to remove.
    expect(summaryChanges(undefined, order({ ...paid, earn: undefined }))).toEqual([]);
  });

  it('counts an order in another currency too (the night filters by the shop currency)', () => {
    const paid = paidOrder('i.1', 'A-1', '2026-03-01T10:00:00.000Z', 10_000);
    const other = { ...paid, state: { ...paid.state!, currency: 'SEK' } };
    expect(summaryChanges(undefined, order(other))[0]!.value).toMatchObject({ currency: 'SEK' });
  });

  it('moves an order that changed hands, and removes what a deleted item held', () => {
    const paid = paidOrder('i.1', 'A-1', '2026-03-01T10:00:00.000Z', 10_000);
    const moved = summaryChanges(order(paid), order({ ...paid, cid: 'i.2' }));
    expect(moved.map((c) => [c.cid, c.value === null])).toEqual([
      ['i.1', true],
      ['i.2', false],
    ]);
    expect(summaryChanges(customer(), undefined)).toEqual([{ cid: 'i.1', part: { kind: 'profile' }, value: null }]);
    const nps: SummarySource = { kind: 'nps', answer: { cid: 'i.1', answerId: 'n1', score: 9, at: '2026-03-02' } };
    expect(summaryChanges(undefined, nps)).toEqual([
      { cid: 'i.1', part: { kind: 'nps', answerId: 'n1' }, value: { score: 9, at: '2026-03-02' } },
    ]);
  });

  it('spreads customers over the shards, and every segment count reads every shard once', () => {
    const shards = new Set(Array.from({ length: 1000 }, (_, i) => summaryShardOf(`i.${i}`)));
    expect(shards.size).toBe(summaryShards);
    expect(summaryShardOf('i.42')).toBe(summaryShardOf('i.42'));
    for (const total of [1, 3, 4, 8, 16, 20]) {
      const read = Array.from({ length: total }, (_, s) => shardsOfSegment(s, total)).flat();
      expect(read.sort((a, b) => a - b)).toEqual(Array.from({ length: summaryShards }, (_, k) => k));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { recordActivity } from '../../../shared/app/activity-service';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import type { Shop } from '../../../shared/domain/shop';
import { programSchema } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

/**
 * For any sequence of activity deliveries — retries of the same id, out-of-order `occurredAt`,
 * several in flight at once — every id is recorded once, each way to earn pays at most once per
 * limit period (every id for `unlimited`), and the balance is the sum of the awards.
 */
const ways = [
  { type: 'review', points: 10, limit: 'day' },
  { type: 'newsletter', points: 100, limit: 'once' },
  { type: 'visit', points: 7, limit: 'month' },
  { type: 'quiz', points: 5, limit: 'year' },
  { type: 'share', points: 3, limit: 'unlimited' },
] as const;

const shop = {
  id: 'prop',
  platform: 'custom',
  currency: 'DKK',
  timezone: 'Europe/Copenhagen',
  program: programSchema.parse({ waysToEarn: ways }),
  status: 'active',
  version: 1,
} as Shop;

// 29 December 2026 to 3 January 2027: winter, so Copenhagen is UTC+1 throughout (no DST to model).
const start = Date.UTC(2026, 11, 29, 0, 0);
const span = 6 * 24 * 60;
const copenhagenDay = (ms: number) => new Date(ms + 3_600_000).toISOString().slice(0, 10);

/** The period an activity counts in, by the limit's description (the oracle's own calendar). */
const period = (limit: (typeof ways)[number]['limit'], ms: number, id: string) => {
  const day = copenhagenDay(ms);
  if (limit === 'day') return day;
  if (limit === 'month') return day.slice(0, 7);
  if (limit === 'year') return day.slice(0, 4);
  if (limit === 'once') return 'once';
  return id;
};

const activityDef = fc.record({
  way: fc.integer({ min: 0, max: ways.length - 1 }),
  minute: fc.integer({ min: 0, max: span - 1 }),
  customer: fc.constantFrom('i.1', 'i.2'),
});

describe('activities under any interleaving of deliveries', () => {
  it('award once per id and once per limit period, and the balance is the sum of the awards', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(activityDef, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        async (defs, picks, concurrency) => {
          const mem = memoryLedgerStore();
          for (const cid of ['i.1', 'i.2'])
            mem.customers.set(`prop|${cid}`, { ...newCustomer(cid, '2026-01-01T00:00:00.000Z'), version: 1 });
          let n = 0;
          const deps = {
            store: mem.store,
            clock: fixedClock('2027-01-05T00:00:00.000Z'),
            newId: () => `E${String(++n).padStart(6, '0')}`,
            ...testRetryDeps(),
          };
          const request = (i: number) => {
            const d = defs[i]!;
            return {
              customerRef: d.customer.slice(2),
              activity: {
                id: `a${i}`,
                type: ways[d.way]!.type,
                occurredAt: new Date(start + d.minute * 60_000).toISOString(),
                source: 'api' as const,
              },
            };
          };
          // Every activity at least once, then retries of random ones, in a random order.
          const deliveries = [...defs.map((_, i) => i), ...picks.map((p) => p % defs.length)]
            .map((i, k) => ({ i, key: (picks[k % picks.length]! * 31 + k * 17) % 997 }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.i);
          for (let k = 0; k < deliveries.length; k += concurrency) {
            const results = await Promise.all(
              deliveries.slice(k, k + concurrency).map((i) => recordActivity(deps, shop, request(i))),
            );
            for (const r of results) expect(r.ok).toBe(true);
          }

          // The oracle: per customer, the distinct periods each way was active in pay once each.
          for (const cid of ['i.1', 'i.2']) {
            const mine = defs.map((d, i) => ({ d, i })).filter(({ d }) => d.customer === cid);
            const paid = new Set(
              mine.map(({ d, i }) => `${d.way}|${period(ways[d.way]!.limit, start + d.minute * 60_000, `a${i}`)}`),
            );
            const want = [...paid].reduce((s, k) => s + ways[Number(k.split('|')[0])]!.points, 0);
            const c = mem.customers.get(`prop|${cid}`)!;
            expect(c.points.available).toBe(want);
            const entries = mem.entries.get(`prop|${cid}`) ?? [];
            expect(entries.reduce((s, e) => s + e.points.available, 0)).toBe(c.points.available);
            // No id paid twice, and every id recorded exactly once.
            const causes = entries.map((e) => e.cause);
            expect(new Set(causes).size).toBe(causes.length);
            const recorded = (mem.activities.get(`prop|${cid}`) ?? []).map((a) => a.id).sort();
            expect(recorded).toEqual(mine.map(({ i }) => `a${i}`).sort());
            // The awarded ones are exactly one per period.
            const awarded = (mem.activities.get(`prop|${cid}`) ?? []).filter((a) => a.status === 'awarded');
            expect(awarded).toHaveLength(paid.size);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

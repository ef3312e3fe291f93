import type { Counters } from '../../shared/domain/stats/daily';
import type { DailyStatsStore } from '../../shared/app/ports/daily-stats';

/**
 * The daily statistics store in memory, with the DynamoDB store's contract: a record whose
 * marker exists adds nothing; a chunk of records is all or nothing. `failOn` makes the n-th
 * apply call throw before writing (a failed transaction).
 */
export const memoryDailyStats = (o: { failOn?: number; referred?: string[] } = {}) => {
  const days = new Map<string, Counters>();
  const markers = new Set<string>();
  let calls = 0;
  const store: DailyStatsStore = {
    async apply(shopId, records, _now) {
      if (++calls === o.failOn) throw new Error('throttled');
      let applied = 0;
      let skipped = 0;
      for (const r of records) {
        const marker = `${shopId}#${r.eventId}`;
        if (markers.has(marker)) {
          skipped++;
          continue;
        }
        markers.add(marker);
        for (const d of r.days) {
          const c = days.get(`${shopId}#${d.day}`) ?? {};
          for (const [k, v] of Object.entries(d.counters)) c[k] = (c[k] ?? 0) + v;
          days.set(`${shopId}#${d.day}`, c);
        }
        applied++;
      }
      return { applied, skipped, transactions: 1 };
    },
    async days(shopId, from, to) {
      return new Map(
        [...days]
          .filter(([k]) => k.startsWith(`${shopId}#`))
          .map(([k, v]) => [k.slice(shopId.length + 1), { ...v }] as const)
          .filter(([d]) => d >= from && d <= to),
      );
    },
    async totals(shopId) {
      return { ...(days.get(`${shopId}#totals`) ?? {}) };
    },
    async referredFriends(_shopId, cids) {
      return new Set(cids.filter((c) => o.referred?.includes(c)));
    },
  };
  return { store, days, markers };
};

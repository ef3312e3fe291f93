import {
  summaryChangeOf,
  summaryChanges,
  type SummaryChange,
  type SummarySource,
} from '../domain/churn/customer-summary';
import { forEachLimited } from '../domain/for-each-limited';
import type { CustomerSummaryStore, SummaryStreamRecord } from './ports/customer-summary';

export interface CustomerSummaryDeps {
  summaries: CustomerSummaryStore;
}

/** Summary writes in flight at once (one per customer). */
const writeConcurrency = 8;

export interface AppliedSummaries {
  /** Stream records looked at. */
  records: number;
  /** Attribute changes they made (records whose projection did not change make none). */
  changes: number;
  /** Summary updates written: one per customer of the batch that changed. */
  writes: number;
}

const byCustomer = (entries: Iterable<[string, SummaryChange]>) => {
  const groups = new Map<string, { shopId: string; cid: string; changes: SummaryChange[] }>();
  for (const [shopId, change] of entries) {
    const k = `${shopId}\u0000${change.cid}`;
    const g = groups.get(k) ?? { shopId, cid: change.cid, changes: [] };
    g.changes.push(change);
    groups.set(k, g);
  }
  return [...groups.values()];
};

/**
 * Keeps the customer summaries from a batch of the table's stream records (oldest first, as
 * the stream gives them): each record's changes in order, grouped per customer into one update.
 * Records of one item arrive in order and each change sets or removes one attribute, so the
 * batch may be applied again (a retry) and ends in the same state. Throws if a write fails: the
 * caller hands the batch back to be retried.
 */
export const applySummaryRecords = async (
  deps: CustomerSummaryDeps,
  records: readonly SummaryStreamRecord[],
): Promise<AppliedSummaries> => {
  const entries: [string, SummaryChange][] = records.flatMap((r) =>
    summaryChanges(r.before, r.after).map((c): [string, SummaryChange] => [r.shopId, c]),
  );
  const groups = byCustomer(entries);
  await forEachLimited(groups, writeConcurrency, (g) => deps.summaries.apply(g.shopId, g.cid, g.changes));
  return { records: records.length, changes: entries.length, writes: groups.length };
};

/**
 * Backfill: writes what stored items (a page of the shop scan) contribute to their customers'
 * summaries, only where a summary attribute is still absent (a newer write from the stream wins).
 */
export const fillSummaries = async (
  deps: CustomerSummaryDeps,
  shopId: string,
  items: readonly SummarySource[],
): Promise<number> => {
  const changes = items.map(summaryChangeOf).filter((c): c is SummaryChange => c !== undefined);
  const groups = byCustomer(changes.map((c): [string, SummaryChange] => [shopId, c]));
  await forEachLimited(groups, writeConcurrency, (g) => deps.summaries.fill(g.shopId, g.cid, g.changes));
  return groups.length;
};

import { marshall } from '@aws-sdk/util-dynamodb';
import type { Table } from '../../shared/adapters/table';
import { itemSize } from './item-size';

/**
 * A Table that counts read units in AWS arithmetic while passing every call through: a get is
 * its item's size in 4 KB steps (at least one), a query the sum of the items it returned in
 * 4 KB steps; eventually consistent reads cost half. Writes are counted as calls only.
 */
export const countingReads = (inner: Table) => {
  const counts = { readUnits: 0, gets: 0, queries: 0, writes: 0, shopReadUnits: 0 };
  const size = (item: Record<string, unknown> | undefined) =>
    item ? itemSize(marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true })) : 0;
  const units = (bytes: number, consistent: boolean | undefined) =>
    (Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 2 : 1)) / 2;
  const table: Table = {
    ...inner,
    async get(input) {
      const out = await inner.get(input);
      counts.gets += 1;
      const read = units(size(out.Item), input.ConsistentRead);
      counts.readUnits += read;
      // The shop item, re-read when a container's shop cache expires: reported apart.
      if ((input.Key as { sk?: string }).sk === 'SHOP') counts.shopReadUnits += read;
      return out;
    },
    async query(input) {
      const out = await inner.query(input);
      counts.queries += 1;
      counts.readUnits += units(
        (out.Items ?? []).reduce((sum, i) => sum + size(i), 0),
        input.ConsistentRead,
      );
      return out;
    },
    async put(input) {
      counts.writes += 1;
      return inner.put(input);
    },
    async update(input) {
      counts.writes += 1;
      return inner.update(input);
    },
    async transactWrite(input) {
      counts.writes += 1;
      return inner.transactWrite(input);
    },
  };
  return {
    table,
    counts,
    reset: () => Object.assign(counts, { readUnits: 0, gets: 0, queries: 0, writes: 0, shopReadUnits: 0 }),
  };
};

import { forEachLimited } from '../domain/for-each-limited';
import { indexes } from './keys';
import { sleep } from './sleep';
import type { Table } from './table';

/** Item helpers for the stores (dynamo.ts re-exports them for older imports). */

/** True when a write failed only because its condition did not hold. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** True when a transaction was cancelled because the condition of its item `index` did not hold. */
export const isTransactionConditionFailure = (error: unknown, index: number): boolean =>
  error instanceof Error &&
  error.name === 'TransactionCanceledException' &&
  (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.[index]?.Code ===
    'ConditionalCheckFailed';

/** A conditional write: true when it was made, false when its condition did not hold. */
export const written = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
};

/**
 * The condition on a write of a versioned item (order, customer, referral, velocity window, shop):
 * it was planned from version `expected`, so the stored item must still have exactly that version.
 * See versionGuard for items that may not exist yet.
 */
export const versionIs = (expected: number) => ({
  ConditionExpression: '#v = :v',
  ExpressionAttributeNames: { '#v': 'version' },
  ExpressionAttributeValues: { ':v': expected },
});

/** versionIs, where an expected version of 0 means "not stored yet" (`attribute_not_exists(pk)`). */
export const versionGuard = (expected: number) =>
  expected === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : versionIs(expected);

/**
 * Moves an item's version on by one inside an update: `SET …, ${versionBump.set}`, with its names and values
 * merged in.
 */
export const versionBump = { set: '#v = #v + :one', names: { '#v': 'version' }, values: { ':one': 1 } } as const;

/** An item without its keys and bookkeeping attributes: the record it stores. */
export const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { byTime: g1, alternate: g2 } = indexes;
  const {
    pk: _pk,
    sk: _sk,
    [g1.pk]: _a,
    [g1.sk]: _b,
    [g2.pk]: _c,
    [g2.sk]: _d,
    itemType: _t,
    shopId: _s,
    ...rest
  } = item;
  return rest as T;
};

/**
 * Items by key, 100 per BatchGetItem, up to `BATCH_GETS_IN_FLIGHT` at a time, retrying
 * unprocessed keys with backoff. Returned in the order of `keys` (missing items left out):
 * BatchGetItem itself answers in any order.
 */
/** Concurrent BatchGetItem calls of one `batchGetAll`. */
const BATCH_GETS_IN_FLIGHT = 4;

export const batchGetAll = async (
  table: Table,
  tableName: string,
  keys: readonly { pk: unknown; sk: unknown }[],
  options: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> => {
  const byKey = new Map<string, Record<string, unknown>>();
  const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  const chunks: { pk: unknown; sk: unknown }[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100).map((k) => ({ pk: k.pk, sk: k.sk })));
  // A shard of the nightly run reads tens of thousands of segment items: one round trip at a
  // time made it latency-bound.
  await forEachLimited(chunks, BATCH_GETS_IN_FLIGHT, async (chunk) => {
    let requested = chunk;
    for (let attempt = 0; requested.length; attempt++) {
      const out = await table.batchGet({
        RequestItems: { [tableName]: { Keys: requested, ConsistentRead: options.consistent ?? false } },
      });
      for (const item of out.Responses?.[tableName] ?? []) byKey.set(id(item as { pk: unknown; sk: unknown }), item);
      requested = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as typeof requested;
      if (requested.length) await sleep(Math.min(1000, 50 * 2 ** attempt));
    }
  });
  return keys.map((k) => byKey.get(id(k))).filter((i): i is Record<string, unknown> => i !== undefined);
};

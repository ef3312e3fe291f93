/**
 * Item helpers with no AWS SDK import, for stores that small functions bundle (dynamo.ts
 * re-exports them for everyone else).
 */

/** True when a write failed only because its condition did not hold. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** An item without its keys and bookkeeping attributes: the record it stores. */
export const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, itemType: _t, shopId: _s, ...rest } = item;
  return rest as T;
};

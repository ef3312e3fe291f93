import { InvalidCursorError } from '../domain/errors';
import type { indexes } from './keys';

/**
 * The one pagination-cursor format of the stores: base64url of a JSON array of the strings that
 * resume a query where its last page stopped (the sort key, and for an index the item's pk).
 * Nothing else travels: the partition a query reads always comes from the caller, so a cursor
 * cannot widen a query to another shop or customer.
 */
export const encodeCursor = (parts: readonly string[] | undefined): string | undefined =>
  parts ? Buffer.from(JSON.stringify(parts)).toString('base64url') : undefined;

/**
 * The strings of a cursor made by encodeCursor: exactly `count` strings of at most 1024
 * characters that `valid` accepts, else InvalidCursorError (400 `invalid_cursor`).
 */
export const decodeCursor = (cursor: string, count: number, valid: (parts: string[]) => boolean): string[] => {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parts) || parts.length !== count || !parts.every((p) => typeof p === 'string' && p.length <= 1024))
    throw new InvalidCursorError();
  if (!valid(parts as string[])) throw new InvalidCursorError();
  return parts as string[];
};

type Index = (typeof indexes)[keyof typeof indexes];

/**
 * A cursor for a query on an index: the index sort key and the item's pk (the index partition comes from the
 * caller).
 */
export const listingCursor = (key: Record<string, unknown> | undefined, index: Index): string | undefined =>
  encodeCursor(key && [String(key[index.sk]), String(key.pk)]);

/**
 * The ExclusiveStartKey of a listingCursor on `index` in `partition`, for items whose pk starts with
 * `pkPrefix` and whose sk is `sk`.
 */
export const listingStartKey = (
  cursor: string | undefined,
  index: Index,
  partition: string,
  pkPrefix: string,
  sk: string,
): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  const [indexSk, pk] = decodeCursor(cursor, 2, ([, p]) => p!.startsWith(pkPrefix));
  return { [index.pk]: partition, [index.sk]: indexSk, pk, sk };
};

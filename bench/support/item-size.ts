import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../infra/table';

/**
 * DynamoDB's own capacity arithmetic, so the benchmark can say what an order costs on AWS
 * rather than what DynamoDB Local happens to report.
 *
 * Item size (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html),
 * approximated as AWS documents it:
 * - every attribute: UTF-8 length of its name + size of its value;
 * - String: UTF-8 length; Binary: byte length;
 * - Number: 1 byte per 2 significant digits (leading and trailing zeros trimmed) + 1 byte;
 * - Boolean and Null: 1 byte;
 * - Map and List: 3 bytes overhead + 1 byte per element + the elements (a map element also
 *   counts its key's UTF-8 length);
 * - sets: the sum of their elements.
 * It is computed on the AttributeValue form actually stored (read back with the low-level
 * client), so string-vs-number choices of the document client are accounted exactly.
 */

export type Item = Record<string, AttributeValue>;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

export const numberSize = (n: string): number => {
  const digits = n
    .replace(/^[+-]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
};

export const valueSize = (v: AttributeValue): number => {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((sum, [k, e]) => sum + utf8(k) + valueSize(e) + 1, 0);
  if (v.L !== undefined) return 3 + v.L.reduce((sum, e) => sum + valueSize(e) + 1, 0);
  if (v.SS !== undefined) return v.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((sum, s) => sum + numberSize(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((sum, b) => sum + b.byteLength, 0);
  return 0;
};

export const itemSize = (item: Item | undefined): number =>
  item ? Object.entries(item).reduce((sum, [name, v]) => sum + utf8(name) + valueSize(v), 0) : 0;

/** Standard write units: 1 per started KB (a missing/empty item still costs 1). */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** Strongly consistent read units: 1 per started 4 KB; reading a missing item costs 1. */
export const consistentReadUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 4096));

/** What happened to one item's entry in one GSI, and what that costs at the standard rate. */
export type IndexChange = 'created' | 'changed' | 'deleted' | 'unchanged' | 'absent';

export interface IndexWrite {
  index: string;
  change: IndexChange;
  /** created/deleted: 1 write; changed key: 2 (delete old + put new, per AWS GSI docs). */
  units: number;
}

const str = (v: AttributeValue | undefined): string | undefined => v?.S ?? v?.N;

/**
 * KEYS_ONLY indexes are sparse and project no attributes, so an index is only written when
 * the item's index keys appear, disappear or change: rewriting other attributes is free.
 * Index entries hold only keys (+100 bytes overhead), always under 1 KB here.
 */
export const indexWrites = (before: Item | undefined, after: Item | undefined): IndexWrite[] =>
  tableDefinition.globalSecondaryIndexes.map((gsi) => {
    const key = (item: Item | undefined) => {
      const pk = str(item?.[gsi.partitionKey]);
      const sk = str(item?.[gsi.sortKey]);
      return pk !== undefined && sk !== undefined ? `${pk}\u0000${sk}` : undefined;
    };
    const was = key(before);
    const now = key(after);
    const change: IndexChange =
      was === undefined && now === undefined
        ? 'absent'
        : was === undefined
          ? 'created'
          : now === undefined
            ? 'deleted'
            : was === now
              ? 'unchanged'
              : 'changed';
    const units = change === 'created' || change === 'deleted' ? 1 : change === 'changed' ? 2 : 0;
    return { index: gsi.indexName, change, units };
  });

export interface AttributeSize {
  path: string;
  bytes: number;
}

/**
 * Where an item's bytes go: each top-level attribute (name + value), and one level into maps
 * (`state.lines`), largest first. Used to explain an item that crosses a 1 KB write unit.
 */
export const attributeSizes = (item: Item): AttributeSize[] => {
  const out: AttributeSize[] = [];
  for (const [name, v] of Object.entries(item)) {
    out.push({ path: name, bytes: utf8(name) + valueSize(v) });
    for (const [k, child] of Object.entries(v.M ?? {}))
      out.push({ path: `${name}.${k}`, bytes: utf8(k) + valueSize(child) + 1 });
  }
  return out.sort((a, b) => b.bytes - a.bytes);
};

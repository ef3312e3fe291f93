/**
 * Customers collapsed into weighted groups of identical model inputs. Log-likelihoods are sums
 * over customers, and customers with the same inputs contribute the same term, so a fit only has
 * to visit each distinct input once per evaluation. With day-level data most one-time buyers of
 * a shop share (x = 0, t_x = 0, T) with everyone who started the same day, which is what makes
 * fitting 100k customers fast.
 */

/**
 * Groups rows by a tuple of numeric keys. Each key column is first mapped to the index of its
 * distinct values (so the fits can precompute per distinct value: e.g. ln(α+T) per distinct T),
 * then the index tuple to a group.
 */
export interface Grouped {
  /** Distinct values of each key column, in first-seen order. */
  distinct: Float64Array[];
  /** Per group, the index into `distinct[k]` of key column k. */
  index: Int32Array[];
  /** Per group, the summed weight (number of customers when unweighted). */
  weight: Float64Array;
  groups: number;
}

export const groupRows = (
  columns: readonly (readonly number[] | Float64Array)[],
  rows: number,
  weightOf?: (row: number) => number,
): Grouped => {
  const valueMaps = columns.map(() => new Map<number, number>());
  const distinctValues: number[][] = columns.map(() => []);
  const rowIndex = columns.map(() => new Int32Array(rows));
  for (let k = 0; k < columns.length; k++) {
    const col = columns[k]!;
    const map = valueMaps[k]!;
    const out = rowIndex[k]!;
    const values = distinctValues[k]!;
    for (let i = 0; i < rows; i++) {
      const v = col[i]!;
      let idx = map.get(v);
      if (idx === undefined) {
        idx = values.length;
        values.push(v);
        map.set(v, idx);
      }
      out[i] = idx;
    }
  }
  // A tuple of indices as one exact number: mixed radix with the distinct counts as bases. That
  // stays below 2^53 for any realistic shop; past it, a (slower) string key keeps it exact.
  const radix = distinctValues.map((v) => Math.max(1, v.length));
  const numericKeys = radix.reduce((p, r) => p * r, 1) <= Number.MAX_SAFE_INTEGER;
  const groupOf = new Map<number | string, number>();
  const firstRow: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < rows; i++) {
    let key: number | string = 0;
    if (numericKeys) for (let k = 0; k < columns.length; k++) key = key * radix[k]! + rowIndex[k]![i]!;
    else key = rowIndex.map((idx) => idx[i]!).join(',');
    const w = weightOf ? weightOf(i) : 1;
    const g = groupOf.get(key);
    if (g === undefined) {
      groupOf.set(key, firstRow.length);
      firstRow.push(i);
      weights.push(w);
    } else {
      weights[g] = weights[g]! + w;
    }
  }
  return {
    distinct: distinctValues.map((v) => Float64Array.from(v)),
    index: rowIndex.map((idx) => Int32Array.from(firstRow, (row) => idx[row]!)),
    weight: Float64Array.from(weights),
    groups: firstRow.length,
  };
};

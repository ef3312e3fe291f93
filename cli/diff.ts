/** One changed leaf: a path like `tiers.1.threshold`, its value before and after (undefined: absent). */
export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaves that differ between two JSON values; objects are walked key by key, arrays index by index. */
export const diffPaths = (from: unknown, to: unknown, path: string[] = []): Change[] => {
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => diffPaths(from[k], to[k], [...path, k]));
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const n = Math.max(from.length, to.length);
    return Array.from({ length: n }, (_, i) => diffPaths(from[i], to[i], [...path, String(i)])).flat();
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  return [{ path: path.join('.') || '(root)', from, to }];
};

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));

export const formatChanges = (changes: Change[]): string =>
  changes.length ? changes.map((c) => `${c.path}: ${show(c.from)} → ${show(c.to)}`).join('\n') + '\n' : 'no changes\n';

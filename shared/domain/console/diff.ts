import { stableJson } from '../stable-json';

/** One changed setting: where (`program.earning.pointsPerUnit`, `rewards[1].cost`), before and after. */
export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

const walk = (path: string, from: unknown, to: unknown, out: Change[]): void => {
  if (isObject(from) && isObject(to)) {
    const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const k of names) walk(join(path, k), from[k], to[k], out);
    return;
  }
  // Lists of the same length are compared item by item; a list that grew or shrank is one change.
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    from.forEach((f, i) => walk(`${path}[${i}]`, f, to[i], out));
    return;
  }
  if (stableJson(from) !== stableJson(to)) out.push({ path, from: from ?? null, to: to ?? null });
};

/**
 * What an edit changed, for the audit log: every leaf path whose value differs, with its value
 * before and after (null where it did not exist), in a stable order. Equal inputs give [].
 */
export const programDiff = (before: unknown, after: unknown): Change[] => {
  const out: Change[] = [];
  walk('', before, after, out);
  return out;
};
